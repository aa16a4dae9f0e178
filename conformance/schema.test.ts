import { describe, expect, it } from 'vitest';
import { from30 as pluginFrom30 } from '../scripts/redocly-examples-plugin.js';
import { from30, SchemaCompileError, SchemaValidator, schemaView } from './schema.ts';

type Obj = Record<string, unknown>;

/** A dereferenced recursive schema, as the loader hands it over: a node is its own descendant. */
function recursiveNode(): Obj {
  const node: Obj = { type: 'object', required: ['name'], properties: { name: { type: 'string' } } };
  (node.properties as Obj).children = { type: 'array', items: node };
  return node;
}

/** Two components that refer to each other (Stripe's customer <-> subscription shape). */
function mutualPair(): Obj {
  const customer: Obj = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^cus_' } } };
  const subscription: Obj = { type: 'object', nullable: true, properties: { customer: { anyOf: [{ type: 'string' }, customer] } } };
  (customer.properties as Obj).subscription = subscription;
  return customer;
}

describe('SchemaValidator on the shapes of real specs', () => {
  const v30 = new SchemaValidator({ openapi: '3.0.3' });
  const v31 = new SchemaValidator({ openapi: '3.1.0' });
  const tree = { name: 'a', children: [{ name: 'b', children: [{ name: 'c', children: [] }] }] };
  const nullableAllOf = { nullable: true, allOf: [{ type: 'object', required: ['id'], properties: { id: { type: 'integer' } } }] };

  it.each<[string, SchemaValidator, () => Obj, unknown, boolean]>([
    ['a recursive schema accepts a nested value', v30, recursiveNode, tree, true],
    ['a recursive schema rejects a bad node three levels down', v30, recursiveNode, { name: 'a', children: [{ name: 'b', children: [{ children: [] }] }] }, false],
    ['two schemas referring to each other accept a nested value', v30, mutualPair, { id: 'cus_1', subscription: { customer: { id: 'cus_2', subscription: null } } }, true],
    ['two schemas referring to each other reject a bad id deep down', v30, mutualPair, { id: 'cus_1', subscription: { customer: { id: 'sub_2' } } }, false],
    ['3.0 nullable without type accepts null', v30, () => nullableAllOf, null, true],
    ['3.0 nullable without type still judges a value', v30, () => nullableAllOf, { id: 'x' }, false],
    ['3.0 nullable with a type accepts null', v30, () => ({ type: 'string', nullable: true }), null, true],
    ['3.0 nullable enum accepts null', v30, () => ({ type: 'string', enum: ['a'], nullable: true }), null, true],
    ['3.0 nullable enum still refuses other values', v30, () => ({ type: 'string', enum: ['a'], nullable: true }), 'b', false],
    ['3.0 boolean exclusiveMinimum excludes the bound', v30, () => ({ type: 'number', minimum: 0, exclusiveMinimum: true }), 0, false],
    ['3.0 boolean exclusiveMinimum false keeps the bound', v30, () => ({ type: 'number', minimum: 0, exclusiveMinimum: false }), 0, true],
    ['3.0 boolean exclusiveMaximum excludes the bound', v30, () => ({ type: 'integer', maximum: 9, exclusiveMaximum: true }), 9, false],
    ['3.1 has no nullable: the word is not a keyword there', v31, () => ({ type: 'string', nullable: true }), null, false],
    ['3.1 nullable without type is not an error', v31, () => ({ nullable: true, type: undefined, minLength: 2 }), 'ab', true],
  ])('%s', (_what, validator, schema, value, valid) => {
    expect(validator.isValid(schema(), value)).toBe(valid);
  });

  it('names the violation of a recursive schema where it is', () => {
    const [first] = v30.violations(recursiveNode(), { name: 'a', children: [{ name: 7, children: [] }] });
    expect(first).toMatchObject({ pointer: '/children/0/name', got: 7 });
  });

  it('compiles a schema reached from several roots once: what an earlier compile added is referenced', () => {
    const validator = new SchemaValidator({ openapi: '3.0.0' });
    const shared = recursiveNode();
    const one = { type: 'array', items: shared };
    const other = { type: 'object', properties: { root: shared } };
    expect(validator.isValid(one, [tree])).toBe(true);
    expect(validator.isValid(other, { root: { name: 1 } })).toBe(false);
    expect(validator.isValid(shared, tree)).toBe(true);
    expect(validator.failures.size).toBe(0);
  });

  it('compiles a schema that cannot compile once, keeps the failure and reports it once', () => {
    const validator = new SchemaValidator({ openapi: '3.0.0' });
    const bad = { type: 'string', pattern: '^(?i)[a-z]+$' }; // a PCRE inline flag: not ECMAScript
    const caught = () => {
      try {
        validator.violations(bad, 'abc');
      } catch (err) {
        return err;
      }
      return undefined;
    };
    const first = caught();
    expect(first).toBeInstanceOf(SchemaCompileError);
    expect(caught()).toBe(first); // the kept failure, not a second compile
    expect(validator.confirms(bad, 'abc', true)).toBe(false);
    expect(validator.confirms(bad, 'abc', false)).toBe(false);
    expect([...validator.failures]).toEqual([[(first as Error).message, 1]]);
    expect((first as Error).message).toMatch(/^a schema that cannot be compiled: .*\(\?i\)/);
  });
});

describe('schemaView of a recursive schema', () => {
  it('drops required readOnly properties at every depth and keeps the recursion', () => {
    const node: Obj = { type: 'object', required: ['id', 'name'], properties: { id: { type: 'string', readOnly: true }, name: { type: 'string' } } };
    (node.properties as Obj).parent = node;
    const view = schemaView(node, 'readOnly') as Obj;
    expect(view.required).toEqual(['name']);
    expect(((view.properties as Obj).parent as Obj)).toBe(view);
    expect(schemaView(node, 'readOnly')).toBe(view);
    const validator = new SchemaValidator();
    expect(validator.isValid(view, { name: 'a', parent: { name: 'b' } })).toBe(true);
    expect(validator.isValid(node, { name: 'a', parent: { name: 'b' } })).toBe(false);
  });
});

// The lint plugin keeps a plain-JS copy of the 3.0 translation (Redocly loads it with plain Node): one table, both.
describe('OpenAPI 3.0 keywords in 2020-12 terms', () => {
  const ROWS: [string, Obj, Obj][] = [
    ['nullable with a type: the type or null', { type: 'string', nullable: true }, { type: ['string', 'null'] }],
    ['nullable with an enum: null joins it', { type: 'string', enum: ['a'], nullable: true }, { type: ['string', 'null'], enum: ['a', null] }],
    ['nullable without a type: the schema or null', { allOf: [{ $ref: '#/x' }], nullable: true }, { anyOf: [{ allOf: [{ $ref: '#/x' }] }, { type: 'null' }] }],
    ['nullable false changes nothing', { type: 'string', nullable: false }, { type: 'string' }],
    ['exclusiveMinimum true takes the minimum', { type: 'number', minimum: 1, exclusiveMinimum: true }, { type: 'number', exclusiveMinimum: 1 }],
    ['exclusiveMaximum false is dropped', { type: 'number', maximum: 9, exclusiveMaximum: false }, { type: 'number', maximum: 9 }],
    ['exclusiveMinimum true without a minimum is dropped', { type: 'number', exclusiveMinimum: true }, { type: 'number' }],
    ['a 2020-12 numeric bound is kept', { type: 'number', exclusiveMinimum: 0 }, { type: 'number', exclusiveMinimum: 0 }],
  ];
  // `out` is the copy the translation works on: nullable is already dropped from it.
  const outOf = (node: Obj): Obj => Object.fromEntries(Object.entries(node).filter(([k]) => k !== 'nullable'));
  it.each(ROWS)('%s', (_what, node, expected) => {
    expect(from30(node, outOf(node))).toEqual(expected);
  });
  it.each(ROWS)('%s (the lint plugin agrees)', (_what, node) => {
    expect(pluginFrom30(node, outOf(node))).toEqual(from30(node, outOf(node)));
  });
});
