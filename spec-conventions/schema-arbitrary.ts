// fast-check arbitraries from JSON Schema (the subset OpenAPI 3.x contracts use): values that match a
// schema, and values that break it in one named way. Generic: nothing here knows a contract. The
// hardening fuzz tests and the conformance suite's schema-derived requests both draw from it.
import fc from 'fast-check';

export type Json = Record<string, unknown>;
export type Schema = Json | boolean;

export type Resolve = <T = unknown>(node: unknown) => T;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
/** Keeps generated strings and collections small: the point is shape, not volume. */
const SOFT_MAX_LENGTH = 24;
const SOFT_MAX_ITEMS = 4;

/** allOf of object schemas folded into one object schema (enough for envelopes and mixins). */
function merged(schema: Json, resolve: Resolve): Json {
  if (!Array.isArray(schema.allOf)) return schema;
  const parts = schema.allOf.map((s) => merged(resolve<Json>(s), resolve));
  const { allOf: _allOf, ...rest } = schema;
  return parts.reduce<Json>(
    (acc, part) => ({
      ...acc,
      ...part,
      properties: { ...(isObject(acc.properties) ? acc.properties : {}), ...(isObject(part.properties) ? part.properties : {}) },
      required: [...new Set([...(Array.isArray(acc.required) ? acc.required : []), ...(Array.isArray(part.required) ? part.required : [])])],
    }),
    rest,
  );
}

function typesOf(schema: Json): string[] {
  if (Array.isArray(schema.type)) return schema.type.map(String);
  if (typeof schema.type === 'string') return [schema.type];
  if (schema.properties !== undefined) return ['object'];
  if (schema.items !== undefined) return ['array'];
  if (schema.pattern !== undefined || schema.format !== undefined || schema.minLength !== undefined) return ['string'];
  if (schema.minimum !== undefined || schema.maximum !== undefined) return ['number'];
  return ['string', 'integer', 'boolean', 'null'];
}

const dateTime = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2035-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString());

// Building a string arbitrary tokenizes fast-check's bias strings through its unit (about 7 ms for a
// pattern): 21 s of a suite run on Stripe's spec built the same few again per request part. Kept by
// shape; arbitraries are immutable, so sharing them changes no drawn value.
const strings = new Map<string, fc.Arbitrary<string>>();

function stringOf(schema: Json): fc.Arbitrary<string> {
  const key = JSON.stringify([schema.format, schema.pattern, schema.minLength, schema.maxLength]);
  let arbitrary = strings.get(key);
  if (!arbitrary) strings.set(key, (arbitrary = freshStringOf(schema)));
  return arbitrary;
}

function freshStringOf(schema: Json): fc.Arbitrary<string> {
  const minLength = num(schema.minLength) ?? 0;
  const maxLength = Math.max(minLength, num(schema.maxLength) ?? Math.max(minLength, SOFT_MAX_LENGTH));
  if (schema.format === 'date-time') return dateTime;
  if (schema.format === 'date') return dateTime.map((s) => s.slice(0, 10));
  if (schema.format === 'uri') return fc.webUrl();
  if (schema.format === 'email') return fc.emailAddress();
  if (schema.format === 'uuid') return fc.uuid();
  if (typeof schema.pattern === 'string') {
    const pattern = new RegExp(schema.pattern);
    return fc.stringMatching(pattern).filter((s) => s.length >= minLength && s.length <= maxLength);
  }
  return fc.string({ unit: 'grapheme', minLength, maxLength: Math.min(maxLength, minLength + SOFT_MAX_LENGTH) });
}

function numberOf(schema: Json, integer: boolean): fc.Arbitrary<number> {
  const exclusiveMin = num(schema.exclusiveMinimum);
  const exclusiveMax = num(schema.exclusiveMaximum);
  const min = num(schema.minimum) ?? (exclusiveMin !== undefined ? exclusiveMin + (integer ? 1 : 1e-9) : -1e6);
  const max = num(schema.maximum) ?? (exclusiveMax !== undefined ? exclusiveMax - (integer ? 1 : 1e-9) : 1e6);
  const step = num(schema.multipleOf);
  if (integer || step !== undefined) {
    const unit = step ?? 1;
    return fc.integer({ min: Math.ceil(min / unit), max: Math.floor(max / unit) }).map((n) => (step ? Number((n * unit).toFixed(10)) : n));
  }
  // Round values and the bounds themselves turn up more often than a uniform double would give them.
  return fc.oneof(fc.constantFrom(min, max), fc.integer({ min: Math.ceil(min), max: Math.floor(max) }), fc.double({ min, max, noNaN: true, noDefaultInfinity: true }));
}

/**
 * Values that match `schema`. `omit` leaves out properties marked so: `readOnly` ones in a request
 * (a client never sends them), `writeOnly` ones in an answer.
 */
export function validOf(raw: Schema, resolve: Resolve, depth = 0, omit?: 'readOnly' | 'writeOnly'): fc.Arbitrary<unknown> {
  if (raw === true || (isObject(raw) && Object.keys(raw).length === 0)) return fc.jsonValue({ maxDepth: 2 });
  if (raw === false) return fc.constant(undefined);
  const schema = merged(resolve<Json>(raw), resolve);
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
  const choices = Array.isArray(schema.oneOf) ? schema.oneOf : Array.isArray(schema.anyOf) ? schema.anyOf : undefined;
  if (choices) return fc.oneof(...choices.map((s) => validOf(s as Schema, resolve, depth + 1, omit)));
  return fc.oneof(
    ...typesOf(schema).map((type): fc.Arbitrary<unknown> => {
      switch (type) {
        case 'string':
          return stringOf(schema);
        case 'integer':
          return numberOf(schema, true);
        case 'number':
          return numberOf(schema, false);
        case 'boolean':
          return fc.boolean();
        case 'null':
          return fc.constant(null);
        case 'array': {
          const minLength = num(schema.minItems) ?? 0;
          const items = depth > 4 ? fc.constant(null) : validOf((schema.items as Schema | undefined) ?? {}, resolve, depth + 1, omit);
          return fc.array(items, { minLength, maxLength: Math.max(minLength, Math.min(num(schema.maxItems) ?? SOFT_MAX_ITEMS, SOFT_MAX_ITEMS)) });
        }
        default: {
          const all = isObject(schema.properties) ? schema.properties : {};
          const properties = omit ? Object.fromEntries(Object.entries(all).filter(([, s]) => !(isObject(s) && resolve<Json>(s)[omit] === true))) : all;
          const required = Array.isArray(schema.required) ? schema.required.map(String) : [];
          const model = Object.fromEntries(Object.entries(properties).map(([k, s]) => [k, depth > 4 ? fc.constant(null) : validOf(s as Schema, resolve, depth + 1, omit)]));
          return fc.record(model, { requiredKeys: required.filter((k) => k in model) });
        }
      }
    }),
  );
}

export interface Violation {
  /** How the value breaks the schema, for the failure message. */
  how: string;
  value: unknown;
}

const PATTERN_BREAKERS = ['a\u0000b', '\u0000', ' ', 'a b', '../x', 'x/y', '\n', '\u202e', 'Ω', 'UPPER', '-', '0', 'x'.repeat(300)];

/** A value of each JSON type, to offer where the schema wants another. */
const sampleOfType: Record<string, unknown[]> = {
  string: ['text', ''],
  number: [12.5, -3],
  integer: [7],
  boolean: [true, false],
  null: [null],
  array: [[1, 'a'], []],
  object: [{ a: 1 }, {}],
};

function typesOfAny(schema: Json, resolve: Resolve): string[] {
  const choices = Array.isArray(schema.oneOf) ? schema.oneOf : Array.isArray(schema.anyOf) ? schema.anyOf : undefined;
  if (choices) return [...new Set(choices.flatMap((c) => typesOfAny(merged(resolve<Json>(c), resolve), resolve)))];
  if (Array.isArray(schema.enum)) return [...new Set(schema.enum.map((v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v)))];
  return typesOf(schema);
}

/**
 * Values that break `schema`, each with a note of how. `textOnly` keeps to violations that survive
 * being sent as text (a query or path parameter), where a number and its digits look alike.
 */
export function invalidOf(raw: Schema, resolve: Resolve, textOnly = false, depth = 0): fc.Arbitrary<Violation> {
  if (raw === true || !isObject(resolve(raw))) return fc.constant({ how: 'cannot be broken', value: undefined });
  const schema = merged(resolve<Json>(raw), resolve);
  const options: fc.Arbitrary<Violation>[] = [];
  const types = typesOfAny(schema, resolve);
  const numeric = types.includes('number') || types.includes('integer');
  const foreign = textOnly
    ? types.includes('string')
      ? []
      : ['text', 'not-a-number', 'yes']
    : Object.entries(sampleOfType)
        .filter(([type]) => !types.includes(type) && !(numeric && (type === 'integer' || type === 'number')))
        .flatMap(([, values]) => values);
  if (foreign.length > 0) options.push(fc.constantFrom(...foreign).map((value) => ({ how: `not of type ${types.join('|')}`, value })));
  const choices = Array.isArray(schema.oneOf) ? schema.oneOf : Array.isArray(schema.anyOf) ? schema.anyOf : [];
  // A value that breaks one branch may still match another: the caller filters with a validator.
  for (const choice of choices) options.push(invalidOf(choice as Schema, resolve, textOnly, depth + 1));
  if (Array.isArray(schema.enum)) {
    options.push(fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !(schema.enum as unknown[]).includes(s)).map((value) => ({ how: 'not one of the enum', value })));
  }
  if (types.includes('string') && !Array.isArray(schema.enum)) {
    const maxLength = num(schema.maxLength);
    const minLength = num(schema.minLength);
    if (maxLength !== undefined) options.push(fc.integer({ min: maxLength + 1, max: maxLength + 64 }).map((n) => ({ how: `longer than ${maxLength}`, value: 'x'.repeat(n) })));
    if (minLength !== undefined && minLength > 0 && !textOnly) options.push(fc.constant({ how: `shorter than ${minLength}`, value: 'x'.repeat(minLength - 1) }));
    if (typeof schema.pattern === 'string') {
      // Drawn from a fixed pool (random text plus characters patterns tend to forbid): a filter on
      // random text alone never ends when the pattern accepts nearly everything.
      const pattern = new RegExp(schema.pattern);
      const pool = [...fc.sample(fc.string({ minLength: 1, maxLength: 40 }), { numRuns: 200, seed: 42 }), ...PATTERN_BREAKERS].filter((s) => !pattern.test(s));
      if (pool.length > 0) options.push(fc.constantFrom(...pool).map((value) => ({ how: `not matching ${schema.pattern}`, value })));
    }
    if (schema.format === 'date-time') options.push(fc.constantFrom('yesterday', '2025-13-45T99:00:00Z').map((value) => ({ how: 'not a date-time', value })));
  }
  if (types.includes('number') || types.includes('integer')) {
    const min = num(schema.minimum);
    const max = num(schema.maximum);
    if (min !== undefined) options.push(fc.integer({ min: 1, max: 1000 }).map((d) => ({ how: `below ${min}`, value: min - d / (types.includes('integer') ? 1 : 10) })));
    if (max !== undefined) options.push(fc.integer({ min: 1, max: 1000 }).map((d) => ({ how: `above ${max}`, value: max + d / (types.includes('integer') ? 1 : 10) })));
    if (types.includes('integer') && !types.includes('number')) options.push(fc.constantFrom(0.5, 1.25).map((value) => ({ how: 'not an integer', value })));
  }
  if (types.includes('object') && !textOnly && depth < 3) {
    const properties = isObject(schema.properties) ? schema.properties : {};
    const required = Array.isArray(schema.required) ? schema.required.map(String).filter((k) => k in properties) : [];
    const whole = validOf(schema, resolve, depth) as fc.Arbitrary<Json>;
    if (required.length > 0) {
      options.push(
        fc.tuple(whole, fc.constantFrom(...required)).map(([value, key]) => {
          const { [key]: _dropped, ...rest } = value;
          return { how: `missing required ${key}`, value: rest };
        }),
      );
    }
    if (schema.additionalProperties === false) {
      options.push(
        fc.tuple(whole, fc.string({ minLength: 1, maxLength: 10 }).filter((k) => !(k in properties))).map(([value, key]) => ({ how: `unknown property ${key}`, value: { ...value, [key]: 1 } })),
      );
    }
    const keys = Object.keys(properties);
    if (keys.length > 0) {
      options.push(
        fc
          .tuple(whole, fc.constantFrom(...keys))
          .chain(([value, key]) => invalidOf(properties[key] as Schema, resolve, false, depth + 1).map((bad) => ({ how: `${key} ${bad.how}`, value: { ...value, [key]: bad.value } }))),
      );
    }
  }
  return options.length > 0 ? fc.oneof(...options) : fc.constant({ how: 'cannot be broken', value: undefined });
}

