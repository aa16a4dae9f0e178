import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { Schema } from './model.ts';

// ajv-formats is CommonJS: its default export arrives wrapped under tsx/NodeNext.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv2020,
) => void;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface SchemaViolation {
  pointer: string;
  message: string;
  got: unknown;
}

/** A schema of the spec that ajv cannot compile; the same error object comes back for every use. */
export class SchemaCompileError extends Error {}

// Where JSON Schema keeps subschemas: one, a map of them, or a list of them.
const ONE = ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedItems', 'unevaluatedProperties', 'additionalItems', 'contentSchema'];
const MANY = ['properties', 'patternProperties', 'dependentSchemas', '$defs', 'definitions'];
const LIST = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const ONE_SET = new Set(ONE);
const MANY_SET = new Set(MANY);
const LIST_SET = new Set(LIST);
// Words ajv need not see: annotations and OpenAPI's own (ids are ours to give, see SchemaValidator).
const DROPPED = new Set(['$id', '$schema', 'example', 'examples', 'xml', 'externalDocs', 'discriminator', 'description', 'title', 'nullable']);

/** The object subschemas directly under a schema object, in keyword order. */
export function subschemas(node: Obj): Obj[] {
  const out: Obj[] = [];
  for (const [k, v] of Object.entries(node)) {
    if (ONE_SET.has(k)) {
      if (isObj(v)) out.push(v);
      else if (k === 'items' && Array.isArray(v)) for (const s of v) if (isObj(s)) out.push(s);
    } else if (MANY_SET.has(k) && isObj(v)) {
      for (const s of Object.values(v)) if (isObj(s)) out.push(s);
    } else if (LIST_SET.has(k) && Array.isArray(v)) {
      for (const s of v) if (isObj(s)) out.push(s);
    }
  }
  return out;
}

/**
 * OpenAPI 3.0's dialect in 2020-12 terms, on one translated schema object (`node` as written, `out`
 * its copy): boolean exclusiveMinimum / exclusiveMaximum, and `nullable`. The lint plugin keeps a
 * plain-JS copy (scripts/redocly-examples-plugin.js); a table in schema.test.ts holds both to it.
 */
export function from30(node: Obj, out: Obj): Obj {
  for (const [exclusive, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
    if (typeof out[exclusive] !== 'boolean') continue;
    if (out[exclusive] === true && typeof out[bound] === 'number') {
      out[exclusive] = out[bound];
      delete out[bound];
    } else delete out[exclusive];
  }
  if (node.nullable !== true) return out;
  if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  if (typeof out.type === 'string') out.type = [out.type, 'null'];
  else if (out.type === undefined && ['allOf', 'anyOf', 'oneOf', '$ref', 'not', 'enum', 'const'].some((k) => k in out)) {
    // nullable without type (3.0 writes `nullable: true, allOf: [...]`): the schema, or null. The
    // schema comes first so its violations are the ones named.
    return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

/**
 * JSON Schema 2020-12 validation with formats, for the dereferenced schema graphs of any spec.
 *
 * A dereferenced spec is a graph, not a tree: Stripe's schemas are recursive (every path reaches most
 * of its 819 components), and expanding them overflowed the stack. So a subschema reached twice (a
 * component, a recursion) is added to ajv once under an id of its own and referenced by that id,
 * never copied; each schema object is compiled once, and a compile failure is kept and thrown again
 * (a schema that does not compile cost about 125 ms per try on Stripe). OpenAPI 3.0's dialect
 * (`nullable`, boolean `exclusiveMinimum` / `exclusiveMaximum`) is translated to 2020-12.
 */
export class SchemaValidator {
  private readonly ajv: Ajv2020;
  private readonly compiled = new WeakMap<object, ValidateFunction | SchemaCompileError>();
  private readonly booleans = new Map<boolean, ValidateFunction>();
  /** Shared subschemas already added to ajv, by their id. */
  private readonly ids = new WeakMap<object, string>();
  /** Subschemas an earlier compile inlined: met again, they are shared, so each is compiled at most twice. */
  private readonly inlined = new WeakSet<object>();
  private nextId = 0;
  private readonly openapi30: boolean;
  /** Every distinct compile failure, with how many schemas it hit: reported once per run. */
  readonly failures = new Map<string, number>();

  /** `openapi`: the spec's `openapi` version; 3.0 schemas are translated to 2020-12. */
  constructor(opts: { openapi?: string } = {}) {
    this.openapi30 = opts.openapi?.startsWith('3.0') ?? false;
    // strict off: OpenAPI schemas carry keywords ajv does not know (xml, x-...). unicodeRegExp off:
    // specs write patterns such as [\w\-] that are ECMAScript but invalid under the u flag.
    this.ajv = new Ajv2020({
      strict: false,
      allErrors: true,
      validateFormats: true,
      unicodeRegExp: false,
      logger: { log: () => {}, warn: () => {}, error: () => {} }, // an unknown format ("uri-map") is not an error
    });
    addFormats(this.ajv);
  }

  private compile(schema: Schema): ValidateFunction {
    if (typeof schema === 'boolean') {
      let fn = this.booleans.get(schema);
      if (!fn) this.booleans.set(schema, (fn = this.ajv.compile(schema)));
      return fn;
    }
    let fn = this.compiled.get(schema);
    if (!fn) {
      try {
        fn = this.ajv.compile(this.prepare(schema));
      } catch (err) {
        const message = `a schema that cannot be compiled: ${firstLine(err)}`;
        fn = new SchemaCompileError(message);
        this.failures.set(message, (this.failures.get(message) ?? 0) + 1);
      }
      this.compiled.set(schema, fn);
    }
    if (fn instanceof SchemaCompileError) throw fn;
    return fn;
  }

  /**
   * The schema as ajv gets it: the subschemas of `root` reached twice in its graph (counting the edges
   * from inside it, so a recursion counts) are added to ajv under ids and referenced; the rest, a
   * tree by then, is inlined. Subschemas already added by an earlier compile are referenced too.
   */
  private prepare(root: Obj): Obj {
    const reached = new Map<object, number>();
    const stack: Obj[] = [root];
    const seen = new Set<object>([root]);
    while (stack.length > 0) {
      for (const child of subschemas(stack.pop()!)) {
        if (this.ids.has(child)) continue;
        reached.set(child, (reached.get(child) ?? 0) + 1);
        if (!seen.has(child)) {
          seen.add(child);
          stack.push(child);
        }
      }
    }
    const shared: Obj[] = [];
    for (const [node, n] of reached) {
      if (n >= 2 || (node === root && n >= 1) || this.inlined.has(node)) {
        this.ids.set(node, `urn:openapi-conformance:schema:${this.nextId++}`);
        shared.push(node as Obj);
      }
    }
    const inline = (node: Obj): Obj => {
      const id = this.ids.get(node);
      if (id !== undefined) return { $ref: id };
      this.inlined.add(node);
      return this.translate(node, inline);
    };
    // ajv checks each against the meta-schema when it compiles the first schema referring to it.
    for (const node of shared) this.ajv.addSchema({ ...this.translate(node, inline), $id: this.ids.get(node) }, undefined, undefined, false);
    return inline(root);
  }

  /** One schema object in 2020-12 terms, its subschemas through `sub`. */
  private translate(node: Obj, sub: (s: Obj) => Obj): Obj {
    const child = (v: unknown) => (isObj(v) ? sub(v) : v);
    const out: Obj = {};
    for (const [k, v] of Object.entries(node)) {
      if (DROPPED.has(k) || k.startsWith('x-')) continue;
      if (ONE_SET.has(k)) out[k] = k === 'items' && Array.isArray(v) ? v.map(child) : child(v);
      else if (MANY_SET.has(k) && isObj(v)) out[k] = Object.fromEntries(Object.entries(v).map(([name, s]) => [name, child(s)]));
      else if (LIST_SET.has(k) && Array.isArray(v)) out[k] = v.map(child);
      else out[k] = v;
    }
    return this.openapi30 ? from30(node, out) : out;
  }

  isValid(schema: Schema, value: unknown): boolean {
    return this.compile(schema)(value) === true;
  }

  /**
   * Whether ajv can judge `value` and finds it `valid` (true) or invalid (false): a probe is built
   * only on a confirmed judgement, so a schema that cannot be compiled confirms nothing.
   */
  confirms(schema: Schema, value: unknown, valid: boolean): boolean {
    try {
      return this.isValid(schema, value) === valid;
    } catch (err) {
      if (err instanceof SchemaCompileError) return false;
      throw err;
    }
  }

  violations(schema: Schema, value: unknown): SchemaViolation[] {
    const fn = this.compile(schema);
    if (fn(value)) return [];
    return (fn.errors ?? []).map((e) => violation(e, value));
  }
}

function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0] ?? msg;
}

function violation(e: ErrorObject, root: unknown): SchemaViolation {
  let pointer = e.instancePath || '';
  let message = e.message ?? 'is invalid';
  if (e.keyword === 'required') {
    const missing = String((e.params as { missingProperty?: string }).missingProperty);
    pointer = `${pointer}/${missing}`;
    message = 'a required property';
  } else if (e.keyword === 'additionalProperties') {
    const extra = String((e.params as { additionalProperty?: string }).additionalProperty);
    pointer = `${pointer}/${extra}`;
    message = 'no property outside the schema (additionalProperties: false)';
  }
  const got = e.keyword === 'required' ? undefined : valueAt(root, pointer);
  return { pointer: pointer || '/', message, got };
}

export function valueAt(root: unknown, pointer: string): unknown {
  if (pointer === '' || pointer === '/') return root;
  let cur: unknown = root;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

const views = { readOnly: new WeakMap<object, Obj>(), writeOnly: new WeakMap<object, Obj>() };

/**
 * The schema as one side of the exchange sees it: a `readOnly` property is never sent in a request
 * and a `writeOnly` one never comes back in an answer, so neither is required there (OpenAPI 3.x).
 * Each schema object gets one view per side, kept for good: the views of a recursive graph form the
 * same graph (shared where the original is shared), so the validator compiles each view once.
 */
export function schemaView(schema: Schema, omit: 'readOnly' | 'writeOnly'): Schema {
  if (typeof schema === 'boolean') return schema;
  const memo = views[omit];
  const cached = memo.get(schema);
  if (cached) return cached;
  // Iterative: a chain of nested components can be deeper than the call stack.
  const viewOf = (node: Obj): Obj => {
    let out = memo.get(node);
    if (!out) {
      out = { ...node };
      memo.set(node, out);
      pending.push(out);
    }
    return out;
  };
  const pending: Obj[] = [];
  const root = viewOf(schema);
  while (pending.length > 0) {
    const out = pending.pop()!;
    const sub = (v: unknown) => (isObj(v) ? viewOf(v) : v);
    for (const [k, v] of Object.entries(out)) {
      if (ONE_SET.has(k)) out[k] = k === 'items' && Array.isArray(v) ? v.map(sub) : sub(v);
      else if (MANY_SET.has(k) && isObj(v)) out[k] = Object.fromEntries(Object.entries(v).map(([name, s]) => [name, sub(s)]));
      else if (LIST_SET.has(k) && Array.isArray(v)) out[k] = v.map(sub);
    }
    const props = out.properties;
    if (Array.isArray(out.required) && isObj(props)) {
      out.required = out.required.filter((name) => {
        const p = props[String(name)];
        return !(isObj(p) && p[omit] === true);
      });
    }
  }
  return root;
}
