// Which operation a request is for, before prism sees it: we need our own answer for 404 and for
// 405 with Allow (prism gives a 405 without Allow), and the path parameters for selection and state.
// Literal segments win over templated ones, as OpenAPI says (`/images/public/{id}` before
// `/images/{id}/icon`); a literal path lacking the method gives way to the template that has it.
// No imports that need Node: the MSW handlers route with this in the browser (router.ts adds the tree).
import type { OperationModel } from './model.ts';

/** What routing needs of an operation: its path template and lower-case method (generic: the validating proxy routes the suite's model). */
export interface Routable {
  path: string;
  method: string;
}

export type RouteResult<Op extends Routable = OperationModel> =
  | { kind: 'found'; op: Op; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allow: string[]; /** The most specific template the path matches. */ template: string }
  | { kind: 'not-found' };

export interface Router<Op extends Routable = OperationModel> {
  match(method: string, pathname: string): RouteResult<Op>;
  /** Methods served on a path (for CORS preflight and Allow). */
  methodsFor(pathname: string): string[];
}

/**
 * A prefix tree over path templates, for a lookup whose cost does not grow with the number of paths.
 * Optional: without one (in the browser, where find-my-way's node: imports do not load) every
 * template is matched by regex, in the same order.
 */
export interface PathTree<Op> {
  /** Adds a route; false when the tree cannot hold the template (it is then matched by regex). */
  add(method: string, template: string, op: Op): boolean;
  find(method: string, pathname: string): { op: Op; params: Record<string, string> } | undefined;
}

/** A template the tree cannot hold (or every template, without a tree), matched by regex after the tree misses. */
interface Fallback<Op> {
  template: string;
  regex: RegExp;
  names: string[];
  byMethod: Map<string, Op>;
}

export function buildRouter<Op extends Routable = OperationModel>(operations: Op[], tree?: PathTree<Op>): Router<Op> {
  const fallbackByTemplate = new Map<string, Fallback<Op>>();
  const methods = new Set<string>();
  for (const op of operations) {
    const method = op.method.toUpperCase();
    methods.add(method);
    if (tree?.add(method, op.path, op)) continue;
    let fallback = fallbackByTemplate.get(op.path);
    if (!fallback) {
      fallback = { template: op.path, ...regexOf(op.path), byMethod: new Map() };
      fallbackByTemplate.set(op.path, fallback);
    }
    fallback.byMethod.set(op.method, op);
  }

  // Among fallbacks, literal segments first, as in the tree.
  const fallbacks = [...fallbackByTemplate.values()].sort((a, b) => compareRank(rankOf(a.template), rankOf(b.template)));

  function lookup(method: string, pathname: string): { op: Op; params: Record<string, string> } | undefined {
    const found = tree?.find(method, pathname);
    if (found) return found;
    for (const fallback of fallbacks) {
      const op = fallback.byMethod.get(method.toLowerCase());
      const m = op && fallback.regex.exec(pathname);
      if (op && m) return { op, params: Object.fromEntries(fallback.names.map((name, i) => [name, decoded(m[i + 1] ?? '')])) };
    }
    return undefined;
  }

  function methodsFor(pathname: string): string[] {
    return [...methods].filter((m) => lookup(m, pathname) !== undefined);
  }

  return {
    match(method, pathname) {
      const found = lookup(method.toUpperCase(), pathname);
      if (found) return { kind: 'found', ...found };
      const allow = methodsFor(pathname);
      // The most specific template among those that answer the path (literal segments first), as a
      // server's router picks it: the one whose Allow the answer names.
      const templates = allow.map((m) => lookup(m, pathname)?.op.path).filter((t): t is string => t !== undefined);
      const template = templates.sort((a, b) => compareRank(rankOf(a), rankOf(b)))[0];
      return template === undefined ? { kind: 'not-found' } : { kind: 'method-not-allowed', allow, template };
    },
    methodsFor,
  };
}

function regexOf(template: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  const source = template
    .split(/(\{[^}]+\})/)
    .filter(Boolean)
    .map((part) => {
      const name = /^\{([^}]+)\}$/.exec(part)?.[1];
      if (name === undefined) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(name);
      return '([^/]+)';
    })
    .join('');
  return { regex: new RegExp(`^${source}/?$`), names };
}

/** Per segment, 0 for a literal one and 1 for one holding a parameter: the lower ranks first. */
function rankOf(template: string): number[] {
  return template.split('/').slice(1).map((s) => (s.includes('{') ? 1 : 0));
}

function compareRank(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? -1) - (b[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

function decoded(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
