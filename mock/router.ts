// Which operation a request is for, before prism sees it: we need our own answer for 404 and for
// 405 with Allow (prism gives a 405 without Allow), and the path parameters for selection and state.
// Generic over the operation's model: the validating proxy routes the conformance suite's model.
import type { OperationModel } from './model.ts';

/** What routing needs of an operation: its path template and lower-case method. */
export interface Routable {
  path: string;
  method: string;
}

interface CompiledPath<Op extends Routable> {
  template: string;
  regex: RegExp;
  names: string[];
  /** Literal segments first: `/images/public/{id}` beats `/images/{id}/icon` on `/images/public/icon`. */
  rank: number[];
  byMethod: Map<string, Op>;
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

export function createRouter<Op extends Routable = OperationModel>(operations: Op[]): Router<Op> {
  const byTemplate = new Map<string, CompiledPath<Op>>();
  for (const op of operations) {
    let compiled = byTemplate.get(op.path);
    if (!compiled) {
      const names: string[] = [];
      const segments = op.path.split('/').slice(1);
      const source = segments
        .map((segment) => {
          // A segment may mix literals and parameters, like `{file}.{ext}`.
          const parts = segment.split(/(\{[^}]+\})/).filter(Boolean);
          return parts
            .map((part) => {
              const name = /^\{([^}]+)\}$/.exec(part)?.[1];
              if (name === undefined) return escapeRegex(part);
              names.push(name);
              return '([^/]+)';
            })
            .join('');
        })
        .join('/');
      compiled = {
        template: op.path,
        regex: new RegExp(`^/${source}/?$`),
        names,
        rank: segments.map((s) => (s.includes('{') ? 1 : 0)),
        byMethod: new Map(),
      };
      byTemplate.set(op.path, compiled);
    }
    compiled.byMethod.set(op.method, op);
  }
  const compiledPaths = [...byTemplate.values()].sort((a, b) => compareRank(a.rank, b.rank));

  function candidates(pathname: string): { path: CompiledPath<Op>; m: RegExpExecArray }[] {
    const out: { path: CompiledPath<Op>; m: RegExpExecArray }[] = [];
    for (const path of compiledPaths) {
      const m = path.regex.exec(pathname);
      if (m) out.push({ path, m });
    }
    return out;
  }

  return {
    match(method, pathname) {
      const found = candidates(pathname);
      if (found.length === 0) return { kind: 'not-found' };
      for (const { path, m } of found) {
        const op = path.byMethod.get(method);
        if (!op) continue;
        const params: Record<string, string> = {};
        path.names.forEach((name, i) => {
          const raw = m[i + 1] ?? '';
          try {
            params[name] = decodeURIComponent(raw);
          } catch {
            params[name] = raw;
          }
        });
        return { kind: 'found', op, params };
      }
      return { kind: 'method-not-allowed', allow: allowOf(found.map((f) => f.path)), template: found[0]!.path.template };
    },
    methodsFor(pathname) {
      return allowOf(candidates(pathname).map((f) => f.path));
    },
  };
}

function allowOf(paths: CompiledPath<Routable>[]): string[] {
  const methods = new Set<string>();
  for (const p of paths) for (const m of p.byMethod.keys()) methods.add(m.toUpperCase());
  return [...methods];
}

function compareRank(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? -1) - (b[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
