import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { Schema } from './model.ts';

// ajv-formats is CommonJS: its default export arrives wrapped under tsx/NodeNext.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv2020,
) => void;

export interface SchemaViolation {
  pointer: string;
  message: string;
  got: unknown;
}

/** JSON Schema 2020-12 validation with formats; each schema object is compiled once. */
export class SchemaValidator {
  private readonly ajv: Ajv2020;
  private readonly compiled = new WeakMap<object, ValidateFunction>();

  constructor() {
    // strict off: OpenAPI schemas carry keywords ajv does not know (example, discriminator, xml, x-...).
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    addFormats(this.ajv);
  }

  private compile(schema: Schema): ValidateFunction {
    if (typeof schema === 'boolean') return this.ajv.compile(schema);
    let fn = this.compiled.get(schema);
    if (!fn) {
      fn = this.ajv.compile(stripIds(schema));
      this.compiled.set(schema, fn);
    }
    return fn;
  }

  isValid(schema: Schema, value: unknown): boolean {
    return this.compile(schema)(value) === true;
  }

  violations(schema: Schema, value: unknown): SchemaViolation[] {
    const fn = this.compile(schema);
    if (fn(value)) return [];
    return (fn.errors ?? []).map((e) => violation(e, value));
  }
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

// Dereferenced specs repeat the same $id-less objects; a stray $id in two places would make ajv
// refuse the second compile, so ids are dropped (the spec is already dereferenced).
function stripIds(schema: Record<string, unknown>): Record<string, unknown> {
  const seen = new Map<object, unknown>();
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    const hit = seen.get(v);
    if (hit) return hit;
    const out: Record<string, unknown> = {};
    seen.set(v, out);
    for (const [k, val] of Object.entries(v)) if (k !== '$id' && k !== '$schema') out[k] = walk(val);
    return out;
  };
  return walk(schema) as Record<string, unknown>;
}

const views = { readOnly: new WeakMap<object, Schema>(), writeOnly: new WeakMap<object, Schema>() };

/**
 * The schema as one side of the exchange sees it: a `readOnly` property is never sent in a request
 * and a `writeOnly` one never comes back in an answer, so neither is required there (OpenAPI 3.x).
 * Returns the same object when nothing is marked, so compiled validators are shared.
 */
export function schemaView(schema: Schema, omit: 'readOnly' | 'writeOnly'): Schema {
  if (typeof schema === 'boolean') return schema;
  const cached = views[omit].get(schema);
  if (cached) return cached;
  const seen = new Map<object, unknown>();
  let changed = false;
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    const hit = seen.get(v);
    if (hit) return hit;
    const out: Record<string, unknown> = {};
    seen.set(v, out);
    for (const [k, val] of Object.entries(v)) out[k] = walk(val);
    const props = out.properties;
    if (Array.isArray(out.required) && props !== null && typeof props === 'object') {
      const marked = (name: unknown) => {
        const p = (props as Record<string, unknown>)[String(name)];
        return p !== null && typeof p === 'object' && (p as Record<string, unknown>)[omit] === true;
      };
      if (out.required.some(marked)) {
        changed = true;
        out.required = out.required.filter((n) => !marked(n));
      }
    }
    return out;
  };
  const view = walk(schema) as Schema;
  const result = changed ? view : schema;
  views[omit].set(schema, result);
  return result;
}
