// Which example answers a request: what the client asks for (Prefer), else the named request
// example the request matches (spec/README.md's pairing convention), else the default success.
// No node: imports here: the MSW handlers (mock/msw/) run this selection in the browser too.
import isDeepEqual from 'fast-deep-equal';
import { formMatches } from './body.ts';
import type { OperationModel, RequestCase } from './model.ts';

export interface Prefer {
  code?: number;
  example?: string;
  dynamic?: boolean;
  seed?: string;
  delay?: number;
}

export interface RequestFacts {
  params: Record<string, string>;
  query: Record<string, string | string[]>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  /** The body is a form (multipart or urlencoded): fields compared as text. */
  form?: boolean;
  /** Who sends it, in x-caller terms: `none` without credentials, the role its credentials map to, else the first role. */
  caller?: string;
}

/**
 * A credential that names a caller role. `token`: the last word of Authorization (`Bearer t`, or a
 * bare API key) or the value of an API-key header; `basic`: `user:password` of Basic; `header`: the
 * request carries header `name` with this value (a hotkey, an API key header of its own).
 */
export type Credential =
  | { role: string; kind: 'token'; value: string }
  | { role: string; kind: 'basic'; value: string }
  | { role: string; kind: 'header'; name: string; value: string };

export type Selection =
  | {
      kind: 'prism';
      code?: number;
      exampleKey?: string;
      dynamic: boolean;
      seed?: string;
      /** How it was chosen: prefer, request (a named request example matched) or default. */
      source: 'prefer' | 'request' | 'default';
    }
  | { kind: 'unknown-example'; example: string }
  | { kind: 'undocumented-code'; code: number };

/** Reads `Prefer: code=404, example=missing, dynamic=true, seed=1, delay=200` (commas or semicolons). */
export function parsePrefer(header: string | string[] | undefined, query?: Record<string, string | string[]>): Prefer {
  const prefer: Prefer = {};
  const pairs: [string, string][] = [];
  for (const line of Array.isArray(header) ? header : header ? [header] : []) {
    for (const token of line.split(/[,;]/)) {
      const eq = token.indexOf('=');
      if (eq < 0) continue;
      pairs.push([token.slice(0, eq).trim().toLowerCase(), token.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1')]);
    }
  }
  // Prism's query forms (`?__code=404&__example=x&__dynamic=true`) for clients that cannot set headers.
  if (query) {
    for (const name of ['code', 'example', 'dynamic', 'seed', 'delay']) {
      const v = query[`__${name}`];
      if (v !== undefined) pairs.push([name, String(Array.isArray(v) ? v[0] : v)]);
    }
  }
  for (const [name, value] of pairs) {
    if (name === 'code' && /^[1-5][0-9][0-9]$/.test(value)) prefer.code = Number(value);
    else if (name === 'example' && value) prefer.example = value;
    else if (name === 'dynamic') prefer.dynamic = value === 'true';
    else if (name === 'seed' && value) prefer.seed = value;
    else if (name === 'delay' && /^[0-9]+$/.test(value)) prefer.delay = Number(value);
  }
  return prefer;
}

/**
 * The caller of a request in x-caller terms: the role of the first credential it carries, else
 * `fallback` (the spec's first role); with `fallback` undefined (--strict-auth), `unknown` for
 * credentials no flag names.
 */
export function callerOf(op: OperationModel, headers: RequestFacts['headers'], credentials: Credential[], fallback: string | undefined): string {
  const header = (name: string): string | undefined => {
    const raw = headers[name.toLowerCase()];
    return Array.isArray(raw) ? raw[0] : raw;
  };
  if (!op.securityHeaders.some((name) => header(name))) return 'none';
  const authorization = header('authorization') ?? '';
  for (const c of credentials) {
    if (c.kind === 'token') {
      if (authorization.split(/\s+/).pop() === c.value) return c.role;
      if (op.securityHeaders.some((name) => name !== 'authorization' && header(name) === c.value)) return c.role;
    } else if (c.kind === 'basic') {
      const m = /^Basic\s+(\S+)$/i.exec(authorization);
      if (m?.[1] && fromBase64(m[1]) === c.value) return c.role;
    } else if (header(c.name) === c.value) {
      return c.role;
    }
  }
  return fallback ?? UNKNOWN_CALLER;
}

/** UTF-8 text of base64 (or base64url); '' when it is not base64 at all. atob, as Buffer is Node's only. */
function fromBase64(text: string): string {
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    return new TextDecoder().decode(Uint8Array.from(binary, (ch) => ch.charCodeAt(0)));
  } catch {
    return '';
  }
}

/** The caller of credentials nobody configured, under --strict-auth. */
export const UNKNOWN_CALLER = '\0unknown';

/** The 401 a request with unknown credentials gets under --strict-auth: the one paired with no caller, else the first. */
export function unauthorizedExample(op: OperationModel): string | undefined {
  const all = op.examples.filter((ex) => ex.status === 401);
  return (all.find((ex) => ex.ext['x-caller'] === 'none') ?? all[0])?.key;
}

export function selectExample(op: OperationModel, facts: RequestFacts, prefer: Prefer, defaultSeed?: string): Selection {
  const dynamic = prefer.dynamic === true;
  const seed = prefer.seed ?? defaultSeed;
  if (prefer.example !== undefined) {
    const example = op.examplesByKey.get(prefer.example);
    if (!example) return { kind: 'unknown-example', example: prefer.example };
    return { kind: 'prism', code: prefer.code ?? example.status, exampleKey: example.key, dynamic, seed, source: 'prefer' };
  }
  if (prefer.code !== undefined) {
    if (!op.statuses.includes(prefer.code)) return { kind: 'undocumented-code', code: prefer.code };
    return { kind: 'prism', code: prefer.code, dynamic, seed, source: 'prefer' };
  }
  if (!dynamic) {
    const matched = matchRequestCase(op, facts);
    if (matched) return { kind: 'prism', code: matched.status, exampleKey: matched.key, dynamic, seed, source: 'request' };
  }
  return { kind: 'prism', dynamic, seed, source: dynamic ? 'prefer' : 'default' };
}

/** The named case the request carries, if any (see the ranking below; spec order breaks ties). */
export function matchRequestCase(op: OperationModel, facts: RequestFacts): RequestCase | undefined {
  let best: { c: RequestCase; rank: number[] } | undefined;
  for (const c of op.cases) {
    if (c.caller !== facts.caller) continue;
    if (!c.constraints.every((k) => satisfies(k, facts))) continue;
    // An error case with a part of its own beats any success case: the parts a request shares
    // with the success case are the convention's fallbacks, its own part is what it is about.
    const error = c.status >= 300;
    // On a tie, the case that accounts for more of what the request sends (a query parameter the
    // other case does not name) is the one the request is about.
    const unexplained = unexplainedParts(op, c, facts);
    const rank = [error && c.own > 0 ? 1 : 0, c.own, -unexplained, error ? 1 : 0];
    if (!best || compare(rank, best.rank) > 0) best = { c, rank };
  }
  return best?.c;
}

function unexplainedParts(op: OperationModel, c: RequestCase, facts: RequestFacts): number {
  let n = 0;
  for (const p of op.params) {
    if (p.in !== 'query' && p.in !== 'header') continue;
    const sent = p.in === 'query' ? facts.query[p.name] : facts.headers[p.name.toLowerCase()];
    if (sent !== undefined && !c.constraints.some((k) => k.part === p.in && k.name === p.name)) n++;
  }
  return n;
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}

function satisfies(k: RequestCase['constraints'][number], facts: RequestFacts): boolean {
  switch (k.part) {
    case 'path':
      return facts.params[k.name] === scalar(k.value);
    case 'query': {
      const got = facts.query[k.name];
      if (got === undefined) return false;
      return (Array.isArray(got) ? got.join(',') : got) === scalar(k.value);
    }
    case 'header': {
      const got = facts.headers[k.name.toLowerCase()];
      return got !== undefined && (Array.isArray(got) ? got.join(',') : got) === scalar(k.value);
    }
    case 'body':
      return facts.form ? formMatches(facts.body, k.value) : isDeepEqual(facts.body, k.value);
    case 'body-absent':
      return facts.body === undefined;
    case 'query-absent':
      return facts.query[k.name] === undefined;
    case 'header-absent':
      return facts.headers[k.name.toLowerCase()] === undefined;
  }
}

function scalar(v: unknown): string {
  if (Array.isArray(v)) return v.map(String).join(',');
  return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
}
