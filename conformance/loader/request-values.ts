// Request values a spec gives no example for, derived from the schemas with the same fast-check
// arbitraries the hardening fuzz tests use, seeded (--seed) so a run can be replayed exactly.
import fc from 'fast-check';
import { validOf } from '../../spec-conventions/schema-arbitrary.ts';
import type { Schema } from '../model.ts';
import { type SchemaValidator, schemaView } from '../schema.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const identity = <T,>(n: unknown) => n as T;
// Text that survives a path segment, a query string and a header as it is.
const PLAIN_TEXT = /^[a-z][a-z0-9]{2,11}$/;

export class SchemaValues {
  constructor(
    readonly seed: number,
    private readonly validator: SchemaValidator,
  ) {}

  /**
   * A value valid against `schema` for the request part `where` (`path.petId`, `body`), the same for
   * the same seed and part: the schema's own const, default or example first, else a drawn one.
   * `text` parts (path, query, header) get plain strings. Undefined when nothing valid turns up.
   */
  sample(schema: Schema | undefined, where: string, text: boolean): unknown {
    if (schema === undefined) return text ? 'x1' : undefined;
    const view = schemaView(schema, 'readOnly');
    const own = documentedValue(schema);
    if (own !== undefined && this.validator.confirms(view, own, true)) return own;
    const arbitrary = validOf(textFriendly(view, text), identity, 0, 'readOnly');
    const draws = fc.sample(arbitrary, { numRuns: 8, seed: hash(`${this.seed}:${where}`) });
    return draws.find((v) => v !== undefined && this.validator.confirms(view, v, true));
  }
}

function documentedValue(schema: Schema): unknown {
  if (!isObj(schema)) return undefined;
  if ('const' in schema) return schema.const;
  if ('default' in schema) return schema.default;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if ('example' in schema) return schema.example;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  return undefined;
}

/** A plain string schema of a text part draws from PLAIN_TEXT (no slashes, spaces or empty segments). */
function textFriendly(schema: Schema, text: boolean): Schema {
  if (!text || !isObj(schema)) return schema;
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  const plain = types.includes('string') && schema.pattern === undefined && schema.format === undefined && !Array.isArray(schema.enum);
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  return plain && min <= 12 && max >= 3 ? { ...schema, type: 'string', pattern: PLAIN_TEXT.source } : schema;
}

/** FNV-1a: a stable 32-bit seed per part from the run's seed. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h | 0;
}
