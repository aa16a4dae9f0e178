// Which operation a request is for, before prism sees it: we need our own answer for 404 and for
// 405 with Allow (prism gives a 405 without Allow), and the path parameters for selection and state.
// A radix tree (find-my-way, Fastify's router), so a lookup costs the same on 811 paths as on 49:
// trying every path pattern in turn took 36 % of the mock's time on GitHub's spec (issue 19).
// Literal segments win over templated ones, as OpenAPI says (`/images/public/{id}` before
// `/images/{id}/icon`); find-my-way backtracks to the templated branch when the literal one fails.
import createFindMyWay, { type HTTPMethod } from 'find-my-way';
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

interface Route<Op> {
  op: Op;
  /** find-my-way's parameter name (`p0`, ...) -> the spec's; spec names may hold characters find-my-way reads as syntax. */
  names: string[];
}

/** A template find-my-way cannot express (`{name}:{tag}`, a literal `*`), matched by regex after the tree misses. */
interface Fallback<Op> {
  template: string;
  regex: RegExp;
  names: string[];
  byMethod: Map<string, Op>;
}

export function createRouter<Op extends Routable = OperationModel>(operations: Op[]): Router<Op> {
  const tree = createFindMyWay({ ignoreTrailingSlash: true, caseSensitive: true });
  const fallbackByTemplate = new Map<string, Fallback<Op>>();
  const methods = new Set<string>();
  for (const op of operations) {
    const method = op.method.toUpperCase();
    methods.add(method);
    const inTree = treePattern(op.path);
    try {
      if (!inTree) throw new Error('not a tree pattern');
      tree.on(method as HTTPMethod, inTree.pattern, () => undefined, { op, names: inTree.names } satisfies Route<Op>);
    } catch {
      let fallback = fallbackByTemplate.get(op.path);
      if (!fallback) {
        fallback = { template: op.path, ...regexOf(op.path), byMethod: new Map() };
        fallbackByTemplate.set(op.path, fallback);
      }
      fallback.byMethod.set(op.method, op);
    }
  }

  // Among fallbacks, literal segments first, as in the tree.
  const fallbacks = [...fallbackByTemplate.values()].sort((a, b) => compareRank(rankOf(a.template), rankOf(b.template)));

  function lookup(method: string, pathname: string): { op: Op; params: Record<string, string> } | undefined {
    const found = tree.find(method as HTTPMethod, pathname);
    if (found) {
      const route = found.store as Route<Op>;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => {
        params[name] = found.params[`p${i}`] ?? '';
      });
      return { op: route.op, params };
    }
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

/**
 * The find-my-way pattern of an OpenAPI path template: `{name}` becomes `:p<i>`, a literal `:` is
 * doubled as find-my-way escapes it. A parameter name ends, for find-my-way, only at `/`, `-` or
 * `.`: a parameter followed by anything else (`{name}:{tag}`, `{id}~x`), or a literal `*` or `(`
 * (its wildcard and regex syntax), has no tree pattern.
 */
function treePattern(template: string): { pattern: string; names: string[] } | undefined {
  const names: string[] = [];
  const parts = template.split(/(\{[^}]+\})/).filter(Boolean);
  let pattern = '';
  for (const [i, part] of parts.entries()) {
    const name = /^\{([^}]+)\}$/.exec(part)?.[1];
    if (name === undefined) {
      if (/[*(]/.test(part)) return undefined;
      pattern += part.replace(/:/g, '::');
      continue;
    }
    const next = parts[i + 1];
    if (next !== undefined && !/^[/.-]/.test(next)) return undefined;
    names.push(name);
    pattern += `:p${names.length - 1}`;
  }
  return { pattern, names };
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
