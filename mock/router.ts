// The router of the mock and the validating proxy: routing.ts's rules over a radix tree (find-my-way,
// Fastify's router), so a lookup costs the same on 811 paths as on 49: trying every path pattern in
// turn took 36 % of the mock's time on GitHub's spec (issue 19). find-my-way backtracks to the
// templated branch when a literal one fails, as routing.ts's order does. Node only (find-my-way
// imports node:assert): the MSW handlers use routing.ts without the tree.
import createFindMyWay, { type HTTPMethod } from 'find-my-way';
import type { OperationModel } from './model.ts';
import { buildRouter, type PathTree, type Routable, type Router } from './routing.ts';

export type { Routable, RouteResult, Router } from './routing.ts';

export function createRouter<Op extends Routable = OperationModel>(operations: Op[]): Router<Op> {
  return buildRouter(operations, findMyWayTree<Op>());
}

interface Route<Op> {
  op: Op;
  /** find-my-way's parameter name (`p0`, ...) -> the spec's; spec names may hold characters find-my-way reads as syntax. */
  names: string[];
}

function findMyWayTree<Op>(): PathTree<Op> {
  const tree = createFindMyWay({ ignoreTrailingSlash: true, caseSensitive: true });
  return {
    add(method, template, op) {
      const inTree = treePattern(template);
      if (!inTree) return false;
      try {
        tree.on(method as HTTPMethod, inTree.pattern, () => undefined, { op, names: inTree.names } satisfies Route<Op>);
        return true;
      } catch {
        return false;
      }
    },
    find(method, pathname) {
      const found = tree.find(method as HTTPMethod, pathname);
      if (!found) return undefined;
      const route = found.store as Route<Op>;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => {
        params[name] = found.params[`p${i}`] ?? '';
      });
      return { op: route.op, params };
    },
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
