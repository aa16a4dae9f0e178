// The flat form must accept exactly what the closed composition accepts, and anything else is left alone.
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { flatClosedObject, withFlatClosedObjects } from './flatten-schemas.ts';

const document = {
  components: {
    schemas: {
      Fields: { type: 'object', required: ['id', 'size'], properties: { id: { type: 'string' }, size: { type: 'integer', minimum: 0 } } },
      Summary: {
        description: 'fields plus a date',
        allOf: [{ $ref: '#/components/schemas/Fields' }, { type: 'object', required: ['added'], properties: { added: { type: 'string' }, size: { maximum: 10 } } }],
        unevaluatedProperties: false,
      },
      Untyped: { allOf: [{ properties: { a: { type: 'string' } } }], unevaluatedProperties: false },
      Page: { type: 'object', properties: { items: { type: 'array', items: { $ref: '#/components/schemas/Summary' } } } },
    },
  },
};

const validatorsOf = (doc: Record<string, unknown>, name: string) => {
  const ajv = new Ajv2020({ strict: false });
  ajv.addSchema(doc, 'doc');
  return ajv.compile({ $ref: `doc#/components/schemas/${name}` });
};

describe('withFlatClosedObjects', () => {
  const flat = withFlatClosedObjects(document);

  it('rewrites the closed composition as one flat closed object, and leaves the input untouched', () => {
    expect(flat.components).toMatchObject({
      schemas: { Summary: { type: 'object', required: ['id', 'size', 'added'], additionalProperties: false } },
    });
    expect(document.components.schemas.Summary.unevaluatedProperties).toBe(false);
  });

  it.each([
    ['a complete summary', 'Summary', { id: 'a', size: 3, added: 'x' }],
    ['an extra property', 'Summary', { id: 'a', size: 3, added: 'x', serial: '1' }],
    ['a missing field of the first member', 'Summary', { size: 3, added: 'x' }],
    ['a missing field of the second member', 'Summary', { id: 'a', size: 3 }],
    ['a field both members constrain, broken by the first', 'Summary', { id: 'a', size: -1, added: 'x' }],
    ['a field both members constrain, broken by the second', 'Summary', { id: 'a', size: 11, added: 'x' }],
    ['a wrong type', 'Summary', { id: 1, size: 3, added: 'x' }],
    ['not an object', 'Summary', 'text'],
    ['an untyped composition given a string', 'Untyped', 'text'],
    ['an untyped composition given an extra key', 'Untyped', { a: 'x', b: 1 }],
    ['a page holding a summary with an extra key', 'Page', { items: [{ id: 'a', size: 3, added: 'x', extra: true }] }],
    ['a page holding a good summary', 'Page', { items: [{ id: 'a', size: 3, added: 'x' }] }],
  ])('%s: the flat form gives the same verdict', (_name, schema, instance) => {
    expect(validatorsOf(flat, schema)(instance)).toBe(validatorsOf(document, schema)(instance));
  });

  it.each([
    ['a member that is not a plain object schema', { allOf: [{ type: 'object', additionalProperties: true }], unevaluatedProperties: false }],
    ['a node with applicators of its own', { allOf: [{ type: 'object' }], properties: { a: {} }, unevaluatedProperties: false }],
    ['an open composition', { allOf: [{ type: 'object', properties: { a: {} } }] }],
    ['a composition of another type', { type: 'array', allOf: [{ type: 'array' }], unevaluatedProperties: false }],
    ['a reference outside the document', { allOf: [{ $ref: 'other.yaml#/x' }], unevaluatedProperties: false }],
  ])('%s is left as it is', (_name, node) => {
    expect(flatClosedObject(document, node)).toBeUndefined();
  });
});
