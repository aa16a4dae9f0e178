import { describe, expect, it } from 'vitest';
import { firstDifference } from './example-match.ts';

describe('firstDifference', () => {
  it.each([
    ['equal objects match exactly', { a: 1, b: [1, 2] }, { a: 1, b: [1, 2] }, 'exact', [], undefined],
    ['an extra field breaks exact', { a: 1 }, { a: 1, b: 2 }, 'exact', [], { pointer: '/b', expected: 'no such field (exact match)', got: '2' }],
    ['an extra field is fine under fields', { a: 1 }, { a: 1, b: 2 }, 'fields', [], undefined],
    ['a different value is reported with its pointer', { data: { n: 1 } }, { data: { n: 2 } }, 'fields', [], { pointer: '/data/n', expected: '1', got: '2' }],
    ['a missing field is "nothing"', { data: { n: 1 } }, { data: {} }, 'fields', [], { pointer: '/data/n', expected: 'number 1', got: 'nothing' }],
    ['arrays compare item by item for the listed items', [{ id: 'a' }], [{ id: 'a', x: 1 }, { id: 'b' }], 'fields', [], undefined],
    ['exact arrays must have the same length', [1], [1, 2], 'exact', [], { pointer: '', expected: '1 items', got: '2 items' }],
    ['ignored pointers are not compared', { id: 'n3', t: 'x' }, { id: 'n10', t: 'x' }, 'fields', ['/id'], undefined],
    ['ignoring a pointer ignores what is under it', { meta: { at: 1 } }, { meta: { at: 2 } }, 'fields', ['/meta'], undefined],
    ['keys with / are escaped', { 'a/b': 1 }, { 'a/b': 2 }, 'fields', [], { pointer: '/a~1b', expected: '1', got: '2' }],
    ['type mismatch names both types', { n: 1 }, { n: '1' }, 'fields', [], { pointer: '/n', expected: 'number 1', got: 'string "1"' }],
  ] as const)('%s', (_what, expected, got, mode, ignore, diff) => {
    expect(firstDifference(expected, got, '', mode, [...ignore])).toEqual(diff);
  });
});
