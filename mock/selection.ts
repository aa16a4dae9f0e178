// Which example answers a request: what the client asks for (Prefer), else the named request
// example the request matches (spec/README.md's pairing convention), else the default success.
import { isDeepStrictEqual } from 'node:util';
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
}

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

/** The named request example the request carries; the one pinning most parts wins, an error case on a tie. */
export function matchRequestCase(op: OperationModel, facts: RequestFacts): RequestCase | undefined {
  let best: RequestCase | undefined;
  for (const c of op.cases) {
    if (c.constraints.length === 0 || !c.constraints.every((k) => satisfies(k, facts))) continue;
    if (
      !best ||
      c.constraints.length > best.constraints.length ||
      (c.constraints.length === best.constraints.length && best.status < 300 && c.status >= 300)
    ) {
      best = c;
    }
  }
  return best;
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
      return isDeepStrictEqual(facts.body, k.value);
  }
}

function scalar(v: unknown): string {
  if (Array.isArray(v)) return v.map(String).join(',');
  return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
}
