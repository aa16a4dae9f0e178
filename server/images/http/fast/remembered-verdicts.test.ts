// Remembered verdicts must never change a verdict: the rewritten schema passes and fails exactly the
// instances the original does, however often it is asked, and only objects that cannot change are remembered.
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { addSettledItems, SETTLED_ITEMS, withSettledItems } from './remembered-verdicts.ts';

const document = {
  components: {
    schemas: {
      Item: { type: 'object', required: ['n'], additionalProperties: false, properties: { n: { type: 'integer', minimum: 0 }, tag: { type: 'string' }, inner: { type: 'object', properties: { b: { type: 'integer' } } } } },
      List: { type: 'array', items: { $ref: '#/components/schemas/Item' } },
      Page: { type: 'object', properties: { items: { type: 'array', items: { $ref: '#/components/schemas/Item' } } } },
    },
  },
};

function validators() {
  const original = new Ajv2020({ strict: false });
  original.addSchema(document, 'doc');
  const remembered = new Ajv2020({ strict: false });
  addSettledItems(remembered, 'doc');
  remembered.addSchema(withSettledItems(document), 'doc');
  return {
    original: original.getSchema('doc#/components/schemas/List')!,
    remembered: remembered.getSchema('doc#/components/schemas/List')!,
    page: remembered.getSchema('doc#/components/schemas/Page')!,
  };
}

describe('withSettledItems', () => {
  it('puts the keyword in place of an array of one referenced schema, and nowhere else', () => {
    const rewritten = withSettledItems(document) as typeof document;
    expect(rewritten.components.schemas.List.items).toEqual({ [SETTLED_ITEMS]: '#/components/schemas/Item' });
    expect(rewritten.components.schemas.Item).toEqual(document.components.schemas.Item);
    expect(document.components.schemas.List.items).toEqual({ $ref: '#/components/schemas/Item' }); // the input is untouched
  });
});

describe('settled items', () => {
  const frozen = <T extends object>(value: T) => Object.freeze(value);
  it.each([
    ['an empty list', []],
    ['frozen valid items', [frozen({ n: 1 }), frozen({ n: 2, tag: 'x' })]],
    ['a frozen item below the minimum', [frozen({ n: -1 })]],
    ['a frozen item with an unknown field', [frozen({ n: 1, colour: 'red' })]],
    ['an item that is not an object', [frozen({ n: 1 }), 'text']],
    ['an item that is null', [null]],
    ['unfrozen items', [{ n: 3 }, { n: 'three' }]],
  ])('%s: the same verdict as the original schema, asked three times', (_name, list) => {
    const { original, remembered } = validators();
    const expected = original(list);
    for (let i = 0; i < 3; i++) expect(remembered(list)).toBe(expected);
  });

  it('a failing item reports the referenced schema\'s error at its path in the whole instance', () => {
    const { page } = validators();
    expect(page({ items: [Object.freeze({ n: 1 }), Object.freeze({ n: -1 })] })).toBe(false);
    expect(page.errors?.[0]).toMatchObject({ instancePath: '/items/1/n', keyword: 'minimum' });
  });

  it('an unfrozen item that passed and then changed fails', () => {
    const { remembered } = validators();
    const item: { n: unknown } = { n: 1 };
    expect(remembered([item])).toBe(true);
    item.n = -1;
    expect(remembered([item])).toBe(false);
  });

  it('a frozen item holding an object is not remembered: the object inside may change', () => {
    const { remembered } = validators();
    const inner = { b: 1 as unknown };
    const item = Object.freeze({ n: 1, inner });
    expect(remembered([item])).toBe(true);
    inner.b = 'one';
    expect(remembered([item])).toBe(false);
  });
});
