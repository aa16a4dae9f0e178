import { describe, expect, it } from 'vitest';
import { duplicateKey, hasLoneSurrogate } from '../shared/json-text-checks.ts';

describe('duplicateKey', () => {
  it.each<[string, string | undefined]>([
    ['{"rating":9,"rating":1}', 'rating'],
    ['{"a":1,"b":{"c":1,"c":2}}', 'c'],
    ['[{"a":1},{"a":2}]', undefined], // the same key in two objects is no duplicate
    ['{"a":{"a":1}}', undefined],
    ['{"a":1,"b":2}', undefined],
    ['{"\\u0061":1,"a":2}', 'a'], // an escaped key is the same key
    ['{"x":"{\\"y\\":1,\\"y\\":2}"}', undefined], // keys inside a string are text
    ['[]', undefined],
    ['{"rating":4}', undefined], // one key: not scanned
    ['{"a" :1,\n "a"\t\r\n: 2}', 'a'], // white space between a key and its colon still counts as a key
    ['{"a":"\\":","a":2}', 'a'],
    [`${'['.repeat(100_000)}${']'.repeat(100_000)}`, undefined], // deeper than the walker's stack: no answer, no crash
  ])('%.40s -> %s', (text, key) => {
    expect(duplicateKey(text)).toBe(key);
  });
});

describe('hasLoneSurrogate', () => {
  it.each<[string, boolean]>([
    ['\ud800', true],
    ['a\udc00b', true],
    ['\ud83d\ude00', false], // a whole pair: an emoji
    ['plain', false],
    ['\ude00\ud83d', true], // the halves in the wrong order
  ])('%j -> %s', (text, expected) => {
    expect(hasLoneSurrogate(text)).toBe(expected);
  });
});
