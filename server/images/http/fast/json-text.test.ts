// jsonText must give JSON.stringify's exact text for anything, remembered or not.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonText } from './json-text.ts';

const deepFreeze = (value: unknown): unknown => {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
};

describe('jsonText', () => {
  it('is JSON.stringify for any JSON value, frozen or not, asked once or twice', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (value, frozen) => {
        const subject = frozen ? deepFreeze(structuredClone(value)) : value;
        expect(jsonText(subject)).toBe(JSON.stringify(subject));
        expect(jsonText(subject)).toBe(JSON.stringify(subject));
      }),
      { numRuns: 500, seed: 3 },
    );
  });

  const summary = Object.freeze({ id: 'a', size: 3, price: 5.99, icon_url: null, prespawn: false, note: 'say "hi"\n' });
  let calls = 0;
  const withGetter = Object.freeze(Object.defineProperty({}, 'n', { enumerable: true, get: () => ++calls }));
  const mutableInside = Object.freeze({ inner: { n: 1 } });
  class Point {
    constructor(readonly x: number) {}
  }
  it.each([
    ['a page of frozen summaries', { statusCode: 200, data: { images: [summary, summary], pagination: { total: 2 } } }],
    ['undefined, functions and symbols as values', { a: undefined, b: () => 1, c: Symbol('s'), d: [undefined, () => 1, Symbol('t')] }],
    ['a date and an object with toJSON', { at: new Date(0), custom: { toJSON: () => 'custom' } }],
    ['a class instance', { point: new Point(1) }],
    ['a frozen object holding a mutable one', mutableInside],
    ['numbers JSON cannot carry', [Number.NaN, Number.POSITIVE_INFINITY, -0]],
    ['integer-like keys, which come first', { b: 1, 2: 'two', a: 3, 1: 'one' }],
    ['an object whose values are all left out, an empty object and array', { a: { b: undefined, c: () => 1 }, d: {}, e: [] }],
    ['an array with a hole', [1, , 3]], // eslint-disable-line no-sparse-arrays
  ])('%s: the same text, twice', (_name, value) => {
    const first = JSON.stringify(value);
    expect(jsonText(value)).toBe(first);
    expect(jsonText(value)).toBe(JSON.stringify(value));
  });

  it('a mutable object inside a frozen one is serialised as it is now', () => {
    expect(jsonText(mutableInside)).toBe('{"inner":{"n":1}}');
    mutableInside.inner.n = 2;
    expect(jsonText(mutableInside)).toBe('{"inner":{"n":2}}');
  });

  it('a frozen getter is asked again each time', () => {
    const before = jsonText(withGetter);
    expect(jsonText(withGetter)).not.toBe(before);
  });
});
