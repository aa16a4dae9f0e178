// Arazzo 1.0 runtime expressions, criteria (simple, regex, jsonpath) and request payloads.
import fs from 'node:fs';
import path from 'node:path';
import { query, type JsonValue } from 'jsonpath-rfc9535';
import type { FileValue } from './http.ts';
import type { ReceivedResponse, SentRequest } from './model.ts';
import { valueAt } from './schema.ts';

export interface ExpressionScope {
  inputs: Record<string, unknown>;
  steps: Record<string, { outputs: Record<string, unknown> }>;
  response?: ReceivedResponse;
  /** The request of the step being judged (`$request.*`, `$url`, `$method`). */
  request?: { sent: SentRequest; pathParams: Record<string, unknown>; query: [string, unknown][]; body?: unknown };
  /** `$outputs.NAME`: the workflow's own outputs, or a workflowId step's callee's. */
  outputs?: Record<string, unknown>;
  /** `$workflows.ID.inputs.NAME` / `$workflows.ID.outputs.NAME`: workflows run so far. */
  workflows?: Record<string, { inputs: Record<string, unknown>; outputs: Record<string, unknown> }>;
  /** `$components.parameters.NAME` and friends: the Arazzo document's components. */
  components?: Record<string, unknown>;
  /** Folder of the workflow file: `$file('./x.zip')` is read relative to it. */
  baseDir?: string;
}

export class ExpressionError extends Error {}

/** Evaluates one runtime expression (`$inputs.x`, `$steps.a.outputs.b#/0`, `$response.body#/p`...). */
export function evaluateExpression(expr: string, scope: ExpressionScope): unknown {
  const e = expr.trim();
  if (e === '$statusCode') return need(scope).status;
  if (e === '$url') return needRequest(scope, e).sent.url;
  if (e === '$method') return needRequest(scope, e).sent.method;
  if (e === '$response.body' || e.startsWith('$response.body#') || e.startsWith('$response.body.')) {
    const res = need(scope);
    // a streamed answer is the list of its items (lines, or events' data)
    const body = res.json !== undefined ? res.json : res.stream ? res.stream.items.map((i) => i.value) : res.text;
    return within(body, e.slice('$response.body'.length));
  }
  if (e.startsWith('$response.header.')) return need(scope).headers[e.slice('$response.header.'.length).toLowerCase()];
  if (e.startsWith('$request.')) return requestPart(e, scope);
  const named = e.match(/^\$(inputs|outputs)\.([^#]+)(#.*)?$/);
  if (named) {
    const [, kind, name, pointer] = named;
    const root = kind === 'inputs' ? scope.inputs : scope.outputs;
    if (!root) throw new ExpressionError(`${e}: no workflow outputs here`);
    return within(dotted(root, name!), pointer ?? '');
  }
  const step = e.match(/^\$steps\.([^.]+)\.outputs\.([^#]+)(#.*)?$/);
  if (step) {
    const [, id, name, pointer] = step;
    const outputs = scope.steps[id!]?.outputs;
    if (!outputs) throw new ExpressionError(`${e}: step ${id} has not run`);
    return within(dotted(outputs, name!), pointer ?? '');
  }
  const wf = e.match(/^\$workflows\.([^.]+)\.(inputs|outputs)\.([^#]+)(#.*)?$/);
  if (wf) {
    const [, id, kind, name, pointer] = wf;
    const run = scope.workflows?.[id!];
    if (!run) throw new ExpressionError(`${e}: workflow ${id} has not run`);
    return within(dotted(run[kind as 'inputs' | 'outputs'], name!), pointer ?? '');
  }
  if (e.startsWith('$components.')) {
    const v = dotted(scope.components ?? {}, e.slice('$components.'.length));
    if (v === undefined) throw new ExpressionError(`${e}: no such component`);
    return v;
  }
  throw new ExpressionError(`unsupported runtime expression ${e}`);
}

function need(scope: ExpressionScope): ReceivedResponse {
  if (!scope.response) throw new ExpressionError('no response yet');
  return scope.response;
}

function needRequest(scope: ExpressionScope, e: string): NonNullable<ExpressionScope['request']> {
  if (!scope.request) throw new ExpressionError(`${e}: no request yet`);
  return scope.request;
}

function requestPart(e: string, scope: ExpressionScope): unknown {
  const req = needRequest(scope, e);
  if (e.startsWith('$request.header.')) return req.sent.headers[e.slice('$request.header.'.length).toLowerCase()];
  if (e.startsWith('$request.query.')) return req.query.find(([n]) => n === e.slice('$request.query.'.length))?.[1];
  if (e.startsWith('$request.path.')) return req.pathParams[e.slice('$request.path.'.length)];
  if (e === '$request.body' || e.startsWith('$request.body#')) return within(req.body, e.slice('$request.body'.length));
  throw new ExpressionError(`unsupported runtime expression ${e}`);
}

/** `#/json/pointer` (Arazzo) or `.a.b` (as Redocly's examples write it) below a value. */
function within(value: unknown, rest: string): unknown {
  if (rest === '') return value;
  if (rest.startsWith('#')) return valueAt(value, rest.slice(1));
  return dotted(value, rest.slice(1));
}

function dotted(root: unknown, pathText: string): unknown {
  let cur = root;
  for (const key of pathText.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

const WHOLE_EXPRESSION = /^\$(inputs|outputs|steps|workflows|response|request|statusCode|url|method|components)\b/;
const EMBEDDED = /\{(\$[^{}]+)\}/g;

/** Replaces `{$...}` inside text; a value that is one whole expression keeps its type. */
export function resolveValue(value: unknown, scope: ExpressionScope): unknown {
  if (typeof value === 'string') {
    const file = value.trim().match(/^\$file\(\s*(['"]?)(.+?)\1\s*\)$/);
    if (file) return readFileValue(file[2]!, scope);
    if (WHOLE_EXPRESSION.test(value.trim()) && !/\s/.test(value.trim())) return evaluateExpression(value, scope);
    return value.replace(EMBEDDED, (_, expr: string) => asText(evaluateExpression(expr, scope)));
  }
  if (Array.isArray(value)) return value.map((v) => resolveValue(v, scope));
  if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveValue(v, scope)]));
  }
  return value;
}

function asText(v: unknown): string {
  if (v === undefined) return '';
  return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
}

/**
 * A request body's payload: objects resolved member by member; a JSON template written as text
 * (`payload: |` with `"id": "{$inputs.id}"`) has each whole `"{$...}"` string replaced by the
 * value's JSON (its type kept, as runtime expressions keep it) and is then parsed; other text
 * (XML, a form string) gets the values as text. `replacements` then set values at JSON pointers.
 */
export function resolvePayload(
  payload: unknown,
  contentType: string | undefined,
  replacements: { target: string; value: unknown }[],
  scope: ExpressionScope,
): unknown {
  let body: unknown;
  if (typeof payload === 'string' && !WHOLE_EXPRESSION.test(payload.trim()) && looksJson(payload, contentType)) {
    const text = payload.replace(/"\{(\$[^{}"]+)\}"/g, (_, expr: string) => JSON.stringify(evaluateExpression(expr, scope) ?? null));
    const filled = text.replace(EMBEDDED, (_, expr: string) => JSON.stringify(asText(evaluateExpression(expr, scope))).slice(1, -1));
    try {
      body = JSON.parse(filled);
    } catch {
      body = filled;
    }
  } else {
    body = resolveValue(payload, scope);
  }
  for (const r of replacements) body = setAt(body, r.target, resolveValue(r.value, scope));
  return body;
}

function looksJson(text: string, contentType: string | undefined): boolean {
  const t = text.trim();
  return (contentType === undefined || /json/i.test(contentType)) && (t.startsWith('{') || t.startsWith('['));
}

/** Sets `value` at a JSON pointer (`/a/0/b`, `-` appends), creating objects on the way. */
export function setAt(root: unknown, pointer: string, value: unknown): unknown {
  const keys = pointer.replace(/^#/, '').split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (keys.length === 0) return value;
  const top: unknown = root !== null && typeof root === 'object' ? structuredClone(root) : {};
  let cur = top as Record<string, unknown> | unknown[];
  keys.forEach((key, i) => {
    const last = i === keys.length - 1;
    if (Array.isArray(cur)) {
      const idx = key === '-' ? cur.length : Number(key);
      if (!Number.isInteger(idx) || idx < 0) throw new ExpressionError(`replacement target ${pointer}: ${key} is not an index of an array`);
      if (last) cur[idx] = value;
      else cur = (cur[idx] ??= /^\d+$|^-$/.test(keys[i + 1]!) ? [] : {}) as Record<string, unknown> | unknown[];
    } else {
      if (last) cur[key] = value;
      else {
        const next = cur[key];
        cur = (next !== null && typeof next === 'object' ? next : (cur[key] = /^\d+$|^-$/.test(keys[i + 1]!) ? [] : {})) as Record<string, unknown> | unknown[];
      }
    }
  });
  return top;
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

export interface ConditionResult {
  passed: boolean;
  got: string;
}

// ---------------------------------------------------------------------------------------------
// simple conditions: the Arazzo 1.0 condition grammar

type Token =
  | { t: 'op'; v: '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||' | '!' | '(' | ')' }
  | { t: 'lit'; v: unknown; text: string }
  | { t: 'expr'; v: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (['==', '!=', '<=', '>=', '&&', '||'].includes(two)) {
      tokens.push({ t: 'op', v: two as '==' });
      i += 2;
      continue;
    }
    if ('<>!()'.includes(c)) {
      tokens.push({ t: 'op', v: c as '<' });
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      // Arazzo strings are single-quoted, '' escaping a quote; double quotes are read the same way
      let j = i + 1;
      let s = '';
      for (;;) {
        if (j >= text.length) throw new ExpressionError(`unclosed string in condition: ${text}`);
        if (text[j] === c) {
          if (text[j + 1] === c) {
            s += c;
            j += 2;
            continue;
          }
          break;
        }
        s += text[j++];
      }
      tokens.push({ t: 'lit', v: s, text: text.slice(i, j + 1) });
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < text.length && !/[\s()=!<>&|]/.test(text[j]!)) j++;
    const word = text.slice(i, j);
    if (word === '') throw new ExpressionError(`cannot read condition at "${text.slice(i)}"`);
    i = j;
    if (word.startsWith('$')) tokens.push({ t: 'expr', v: word });
    else if (word === 'true' || word === 'false') tokens.push({ t: 'lit', v: word === 'true', text: word });
    else if (word === 'null') tokens.push({ t: 'lit', v: null, text: word });
    else if (!Number.isNaN(Number(word))) tokens.push({ t: 'lit', v: Number(word), text: word });
    else tokens.push({ t: 'lit', v: word, text: word }); // a bare word reads as text, as users write enum values
  }
  return tokens;
}

type Node =
  | { k: 'or' | 'and'; a: Node; b: Node }
  | { k: 'not'; a: Node }
  | { k: 'cmp'; op: string; a: Node; b: Node }
  | { k: 'lit'; v: unknown; text: string }
  | { k: 'expr'; v: string };

function parseCondition(text: string): Node {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos];
  const isOp = (v: string) => {
    const tk = peek();
    return tk?.t === 'op' && tk.v === v;
  };
  const or = (): Node => {
    let a = and();
    while (isOp('||')) {
      pos++;
      a = { k: 'or', a, b: and() };
    }
    return a;
  };
  const and = (): Node => {
    let a = not();
    while (isOp('&&')) {
      pos++;
      a = { k: 'and', a, b: not() };
    }
    return a;
  };
  const not = (): Node => {
    if (isOp('!')) {
      pos++;
      return { k: 'not', a: not() };
    }
    return cmp();
  };
  const cmp = (): Node => {
    const a = primary();
    const tk = peek();
    if (tk?.t === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(tk.v)) {
      pos++;
      return { k: 'cmp', op: tk.v, a, b: primary() };
    }
    return a;
  };
  const primary = (): Node => {
    const tk = tokens[pos++];
    if (!tk) throw new ExpressionError(`condition ends too soon: ${text}`);
    if (tk.t === 'op' && tk.v === '(') {
      const inner = or();
      if (!isOp(')')) throw new ExpressionError(`missing ) in condition: ${text}`);
      pos++;
      return inner;
    }
    if (tk.t === 'lit') return { k: 'lit', v: tk.v, text: tk.text };
    if (tk.t === 'expr') return { k: 'expr', v: tk.v };
    throw new ExpressionError(`unexpected ${tk.v} in condition: ${text}`);
  };
  const node = or();
  if (pos < tokens.length) throw new ExpressionError(`cannot read condition past "${JSON.stringify(tokens[pos]!.v)}": ${text}`);
  return node;
}

const KNOWN_EXPRESSION = /^\$(statusCode|url|method|response\.(body|header\.)|request\.(header|query|path|body)|inputs\.|outputs\.|steps\.[^.]+\.outputs\.|workflows\.[^.]+\.(inputs|outputs)\.|components\.)/;

/** Throws when a simple condition cannot be read or names an unknown runtime expression (checked when a workflow loads). */
export function assertSimpleCondition(condition: string): void {
  const walk = (n: Node): void => {
    if (n.k === 'expr' && !KNOWN_EXPRESSION.test(n.v)) throw new ExpressionError(`unsupported runtime expression ${n.v}`);
    if (n.k === 'not') walk(n.a);
    if (n.k === 'and' || n.k === 'or' || n.k === 'cmp') {
      walk(n.a);
      walk(n.b);
    }
  };
  walk(parseCondition(unbraced(condition)));
}

function unbraced(condition: string): string {
  // the Arazzo spec's own JSON example wraps a condition in braces: "{$statusCode == 401}"
  return /^\{\$[^]*\}$/.test(condition.trim()) ? condition.trim().slice(1, -1) : condition;
}

/** A simple condition (Arazzo 1.0: literals, runtime expressions, == != < <= > >= ! && || and parentheses). */
export function evaluateSimpleCondition(condition: string, scope: ExpressionScope): ConditionResult {
  const node = parseCondition(unbraced(condition));
  const seen: string[] = [];
  const value = (n: Node): unknown => {
    switch (n.k) {
      case 'lit':
        return n.v;
      case 'expr': {
        const v = evaluateExpression(n.v, scope);
        const shown = `${n.v} = ${v === undefined ? 'missing' : JSON.stringify(v)}`;
        if (!seen.includes(shown)) seen.push(shown);
        return v;
      }
      case 'not':
        return !value(n.a);
      case 'and':
        return Boolean(value(n.a)) && Boolean(value(n.b));
      case 'or':
        return Boolean(value(n.a)) || Boolean(value(n.b));
      case 'cmp':
        return compare(value(n.a), n.op, value(n.b));
    }
  };
  const passed = Boolean(value(node));
  return { passed, got: seen.join(', ') || String(passed) };
}

// Loose, as Arazzo asks: '201' == 201, strings compared without case, and a missing value is null.
function equal(a: unknown, b: unknown): boolean {
  if (a === undefined || a === null || b === undefined || b === null) return (a ?? null) === (b ?? null);
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  if (typeof a === 'object' || typeof b === 'object') return JSON.stringify(a) === JSON.stringify(b);
  return a == b || String(a).toLowerCase() === String(b).toLowerCase();
}

function compare(a: unknown, op: string, b: unknown): boolean {
  if (op === '==') return equal(a, b);
  if (op === '!=') return !equal(a, b);
  if (a === undefined || b === undefined || a === null || b === null) return false;
  let x: number | string = Number(a);
  let y: number | string = Number(b);
  if (Number.isNaN(x) || Number.isNaN(y)) {
    x = String(a).toLowerCase();
    y = String(b).toLowerCase();
  }
  if (op === '<') return x < y;
  if (op === '<=') return x <= y;
  if (op === '>') return x > y;
  return x >= y;
}

// ---------------------------------------------------------------------------------------------
// regex criteria

/** A regex criterion: the pattern (`^200$`, or `/pattern/flags`) tested on the context's value as text. */
export function evaluateRegexCondition(condition: string, context: unknown): ConditionResult {
  const slashed = condition.match(/^\/(.*)\/([dgimsuy]*)$/s);
  let re: RegExp;
  try {
    re = slashed ? new RegExp(slashed[1]!, slashed[2]!.replace(/[gy]/g, '')) : new RegExp(condition);
  } catch (err) {
    throw new ExpressionError(`not a regular expression: ${condition} (${err instanceof Error ? err.message : err})`);
  }
  const text = typeof context === 'string' ? context : asText(context);
  return { passed: re.test(text), got: short(text) };
}

// ---------------------------------------------------------------------------------------------
// jsonpath criteria: RFC 9535 by jsonpath-rfc9535, as Arazzo 1.0 names it

/**
 * A jsonpath criterion passes when the query selects something from the context.
 *
 * Three spellings are read, as they are found in published Arazzo files:
 * - an RFC 9535 query (`$.items[?@.id == 'a']`, `$.data.items[?(@.id == 'a')]`);
 * - a filter on the root, `$[?count(@.pets) > 0]` (the Arazzo spec's own example): RFC 9535
 *   reads `@` as each child of the root, the Arazzo example means the root itself (Redocly
 *   Respect queries `[context]` for this reason); either reading selecting something passes;
 * - a comparison of queries, `$.name == 'x'`, `$.items.length > 0 && $.ok == true` (Redocly's
 *   museum example, Respect before RFC 9535): read as the RFC 9535 filter `$[?@.name == 'x']` on the
 *   root, with `X.length` as `length(X)`.
 * `{$...}` inside the condition is replaced first: inside quotes by its text, elsewhere by its JSON.
 */
export function evaluateJsonPathCondition(condition: string, context: unknown, scope: ExpressionScope): ConditionResult {
  const text = embedIntoJsonPath(condition, scope);
  const data = context as JsonValue;
  let selected: unknown[];
  try {
    selected = query(data, text);
    if (/^\$\s*\[\s*\?/.test(text) && selected.length === 0) selected = query([data], text);
  } catch (first) {
    const rewritten = comparisonAsFilter(text);
    try {
      if (rewritten === undefined) throw first;
      selected = query([data], rewritten);
    } catch {
      throw new ExpressionError(`not an RFC 9535 JSONPath query, nor a comparison of queries: ${text} (${firstLine(first)})`);
    }
  }
  return { passed: selected.length > 0, got: selected.length > 0 ? `${selected.length} selected` : `nothing selected from ${short(asText(context))}` };
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
}

function short(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}

function embedIntoJsonPath(condition: string, scope: ExpressionScope): string {
  let out = '';
  let quote: string | null = null;
  for (let i = 0; i < condition.length; i++) {
    const c = condition[i]!;
    if (c === '{' && condition[i + 1] === '$') {
      const close = condition.indexOf('}', i);
      if (close > 0) {
        const v = evaluateExpression(condition.slice(i + 1, close), scope);
        out += quote ? asText(v).replaceAll('\\', '\\\\').replaceAll(quote, `\\${quote}`) : JSON.stringify(v ?? null);
        i = close;
        continue;
      }
    }
    if (quote) {
      if (c === '\\') {
        out += c + (condition[i + 1] ?? '');
        i++;
        continue;
      }
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    out += c;
  }
  return out;
}

/**
 * `$.name == 'x' && $.items.length > 0` -> `$[?(@.name == 'x' && length(@.items) > 0)]`; undefined
 * when the text has no query outside brackets to turn into one.
 */
function comparisonAsFilter(text: string): string | undefined {
  let out = '';
  let found = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "'" || c === '"') {
      const end = closingQuote(text, i);
      out += text.slice(i, end + 1);
      i = end + 1;
      continue;
    }
    if (c === '$' && (i === 0 || /[\s(!&|=<>]/.test(text[i - 1]!))) {
      let j = i + 1;
      while (j < text.length) {
        if (text[j] === '[') j = closingBracket(text, j) + 1;
        else if (/[\w.*]/.test(text[j]!)) j++;
        else break;
      }
      let q = `@${text.slice(i + 1, j)}`;
      if (q.endsWith('.length')) q = `length(${q.slice(0, -'.length'.length)})`;
      out += q;
      found = true;
      i = j;
      continue;
    }
    out += c;
    i++;
  }
  return found ? `$[?(${out.trim()})]` : undefined;
}

function closingQuote(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === text[open]) return i;
  }
  return text.length - 1;
}

function closingBracket(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === "'" || c === '"') i = closingQuote(text, i);
    else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return i;
  }
  return text.length - 1;
}
