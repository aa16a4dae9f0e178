// Arazzo runtime expressions and success criteria, for the subset loader/workflows.ts describes.
import fs from 'node:fs';
import path from 'node:path';
import type { FileValue } from './http.ts';
import type { ReceivedResponse } from './model.ts';
import { valueAt } from './schema.ts';

export interface ExpressionScope {
  inputs: Record<string, unknown>;
  steps: Record<string, { outputs: Record<string, unknown> }>;
  response?: ReceivedResponse;
  /** Folder of the workflow file: `$file('./x.zip')` is read relative to it. */
  baseDir?: string;
}

export class ExpressionError extends Error {}

/** Evaluates one runtime expression (`$inputs.x`, `$steps.a.outputs.b`, `$response.body#/p`...). */
export function evaluateExpression(expr: string, scope: ExpressionScope): unknown {
  const e = expr.trim();
  if (e === '$statusCode') return need(scope).status;
  if (e.startsWith('$response.body')) {
    const res = need(scope);
    // a streamed answer is the list of its items (lines, or events' data)
    const body = res.json !== undefined ? res.json : res.stream ? res.stream.items.map((i) => i.value) : res.text;
    const hash = e.indexOf('#');
    return hash < 0 ? body : valueAt(body, e.slice(hash + 1));
  }
  if (e.startsWith('$response.header.')) return need(scope).headers[e.slice('$response.header.'.length).toLowerCase()];
  if (e.startsWith('$inputs.')) return dotted(scope.inputs, e.slice('$inputs.'.length));
  const step = e.match(/^\$steps\.([^.]+)\.outputs\.([^#]+)(?:#(.*))?$/);
  if (step) {
    const [, id, name, pointer] = step;
    const outputs = scope.steps[id!]?.outputs;
    if (!outputs) throw new ExpressionError(`${e}: step ${id} has not run`);
    const v = dotted(outputs, name!);
    return pointer ? valueAt(v, pointer) : v;
  }
  throw new ExpressionError(`unsupported runtime expression ${e}`);
}

function need(scope: ExpressionScope): ReceivedResponse {
  if (!scope.response) throw new ExpressionError('no response yet');
  return scope.response;
}

function dotted(root: unknown, pathText: string): unknown {
  let cur = root;
  for (const key of pathText.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** Replaces `{$...}` inside text; a value that is one whole expression keeps its type. */
export function resolveValue(value: unknown, scope: ExpressionScope): unknown {
  if (typeof value === 'string') {
    const file = value.trim().match(/^\$file\(\s*(['"]?)(.+?)\1\s*\)$/);
    if (file) return readFileValue(file[2]!, scope);
    if (/^\$(inputs|steps|response|statusCode)\b/.test(value)) return evaluateExpression(value, scope);
    return value.replace(/\{(\$[^}]+)\}/g, (_, expr: string) => String(evaluateExpression(expr, scope)));
  }
  if (Array.isArray(value)) return value.map((v) => resolveValue(v, scope));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveValue(v, scope)]));
  }
  return value;
}

/** `$file(path)`, as Redocly Respect reads it: the file's bytes, sent as a file part of a form. */
function readFileValue(file: string, scope: ExpressionScope): FileValue {
  const full = path.resolve(scope.baseDir ?? process.cwd(), file);
  try {
    return { file: new Uint8Array(fs.readFileSync(full)), name: path.basename(full) };
  } catch (err) {
    throw new ExpressionError(`$file(${file}): cannot read ${full}: ${err instanceof Error ? err.message : err}`);
  }
}

const COMPARISON = /^(.+?)\s*(==|!=|<=|>=|<|>)\s*(.+)$/;

/** A simple condition: `a OP b` (joined by && at most), operands being expressions or literals. */
export function evaluateSimpleCondition(condition: string, scope: ExpressionScope): { passed: boolean; got: string } {
  const parts = condition.split('&&').map((p) => p.trim());
  const gots: string[] = [];
  for (const part of parts) {
    const m = part.match(COMPARISON);
    if (!m) {
      const v = operand(part, scope);
      gots.push(`${part} = ${JSON.stringify(v)}`);
      if (!v) return { passed: false, got: gots.join(', ') };
      continue;
    }
    const left = operand(m[1]!, scope);
    const right = operand(m[3]!, scope);
    gots.push(`${m[1]!.trim()} = ${JSON.stringify(left)}`);
    if (!compare(left, m[2]!, right)) return { passed: false, got: gots.join(', ') };
  }
  return { passed: true, got: gots.join(', ') };
}

function operand(text: string, scope: ExpressionScope): unknown {
  const t = text.trim();
  if (t.startsWith('$')) return evaluateExpression(t, scope);
  if (/^'.*'$/.test(t) || /^".*"$/.test(t)) return t.slice(1, -1);
  if (t === 'true') return true;
  if (t === 'false') return false;
  if (t === 'null') return null;
  if (t !== '' && !Number.isNaN(Number(t))) return Number(t);
  return t;
}

// Loose on scalars ('201' == 201, as Arazzo's examples compare), but a missing value equals nothing but missing.
function equal(a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a === null || b === null) return a === b;
  return a == b || JSON.stringify(a) === JSON.stringify(b);
}

function compare(a: unknown, op: string, b: unknown): boolean {
  switch (op) {
    case '==':
      return equal(a, b);
    case '!=':
      return !equal(a, b);
    case '<':
      return Number(a) < Number(b);
    case '<=':
      return Number(a) <= Number(b);
    case '>':
      return Number(a) > Number(b);
    default:
      return Number(a) >= Number(b);
  }
}

/**
 * A small JSONPath: `$`, `.name`, `['name']`, `[n]`, `[*]`, `.*` and filters `[?(@.a.b OP literal)]`.
 * A jsonpath criterion passes when the path selects something.
 */
export function jsonPathSelect(root: unknown, pathText: string): unknown[] {
  const p = pathText.trim();
  if (!p.startsWith('$')) throw new ExpressionError(`JSONPath must start with $: ${p}`);
  let nodes: unknown[] = [root];
  let i = 1;
  while (i < p.length) {
    if (p[i] === '.') {
      const m = p.slice(i + 1).match(/^(\*|[A-Za-z0-9_$-]+)/);
      if (!m) throw new ExpressionError(`cannot read JSONPath ${p} at ${i}`);
      nodes = nodes.flatMap((n) => child(n, m[1]!));
      i += 1 + m[1]!.length;
    } else if (p[i] === '[') {
      const close = matchingBracket(p, i);
      const inner = p.slice(i + 1, close).trim();
      if (inner.startsWith('?')) {
        const filter = inner.slice(1).trim().replace(/^\((.*)\)$/, '$1');
        nodes = nodes.flatMap((n) => children(n).filter((c) => filterMatches(c, filter)));
      } else if (inner === '*') {
        nodes = nodes.flatMap(children);
      } else if (/^-?\d+$/.test(inner)) {
        const idx = Number(inner);
        nodes = nodes.flatMap((n) => (Array.isArray(n) ? [n.at(idx)].filter((v) => v !== undefined) : []));
      } else {
        nodes = nodes.flatMap((n) => child(n, inner.replace(/^['"]|['"]$/g, '')));
      }
      i = close + 1;
    } else {
      throw new ExpressionError(`cannot read JSONPath ${p} at ${i}`);
    }
  }
  return nodes;
}

function matchingBracket(p: string, open: number): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = open; i < p.length; i++) {
    const c = p[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return i;
  }
  throw new ExpressionError(`unclosed [ in JSONPath ${p}`);
}

function children(n: unknown): unknown[] {
  if (Array.isArray(n)) return n;
  if (n !== null && typeof n === 'object') return Object.values(n);
  return [];
}

function child(n: unknown, key: string): unknown[] {
  if (key === '*') return children(n);
  if (key === 'length' && (Array.isArray(n) || typeof n === 'string')) return [n.length];
  if (n !== null && typeof n === 'object' && key in n) return [(n as Record<string, unknown>)[key]];
  return [];
}

function filterMatches(node: unknown, filter: string): boolean {
  const m = filter.match(COMPARISON);
  const atPath = (t: string) => jsonPathSelect(node, `$${t.trim().slice(1)}`)[0];
  if (!m) return atPath(filter) !== undefined;
  const left = m[1]!.trim().startsWith('@') ? atPath(m[1]!) : operand(m[1]!, { inputs: {}, steps: {} });
  const right = m[3]!.trim().startsWith('@') ? atPath(m[3]!) : operand(m[3]!, { inputs: {}, steps: {} });
  return compare(left, m[2]!, right);
}
