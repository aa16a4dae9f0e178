import { isJsonMediaType } from '../loader/responses.ts';
import { exampleItems, itemName } from '../streams.ts';
import { type Check, bodyCut, failed, passed, show, skipped } from './check.ts';

export const exampleMatch: Check = {
  name: 'example_match',
  run: ({ testCase, response }) => {
    const ex = testCase.example;
    if (!ex) return skipped('no example to compare with');
    if (response.status !== ex.status) return failed(`status ${ex.status} (the example's)`, String(response.status));
    if (ex.match === 'schema') return passed;
    const cut = bodyCut(response);
    if (cut) return cut;
    let got: unknown;
    const stream = response.stream;
    if (stream) {
      // Item by item: a text example is the body itself, another value its only item.
      const expected = exampleItems(stream.kind, ex.value);
      const bad = expected.findIndex((i) => i.error !== undefined);
      if (bad >= 0) return skipped(`the example's ${itemName(stream.kind)} ${bad + 1} is not JSON (${expected[bad]!.error})`);
      const items = stream.items.map((i) => i.value);
      if (stream.truncated && items.length < expected.length) {
        return skipped(`the stream was still open after the read bound, with ${items.length} of the example's ${expected.length} ${itemName(stream.kind)}s`);
      }
      // A stream cut by the read bound may hold fewer items than the whole answer: compare what arrived.
      const mode = stream.truncated ? 'fields' : ex.match;
      const diff = firstDifference(expected.map((i) => i.value), items, '', mode, ex.ignore);
      return diff ? failed(diff.expected.replace(/ items$/, ` ${itemName(stream.kind)}s`), diff.got.replace(/ items$/, ` ${itemName(stream.kind)}s`), diff.pointer || '/') : passed;
    }
    if (isJsonMediaType(response.contentType)) {
      if (response.jsonError) return failed('a JSON body', `unparsable JSON (${response.jsonError})`);
      got = response.json;
    } else if (typeof ex.value === 'string') {
      got = response.text;
    } else {
      return skipped(`cannot compare a ${response.contentType || 'untyped'} body with a non-text example`);
    }
    const diff = firstDifference(ex.value, got, '', ex.match, ex.ignore);
    return diff ? failed(diff.expected, diff.got, diff.pointer || '/') : passed;
  },
};

interface Difference {
  pointer: string;
  expected: string;
  got: string;
}

const escape = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');
const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** The first place where `got` departs from the example under `mode` (exact or fields). */
export function firstDifference(
  expected: unknown,
  got: unknown,
  pointer: string,
  mode: 'exact' | 'fields',
  ignore: string[],
): Difference | undefined {
  if (ignore.some((p) => p === pointer || (p !== '' && pointer.startsWith(`${p}/`)))) return undefined;
  if (kind(expected) !== kind(got)) {
    return { pointer, expected: `${kind(expected)} ${show(expected)}`, got: got === undefined ? 'nothing' : `${kind(got)} ${show(got)}` };
  }
  if (Array.isArray(expected)) {
    const list = got as unknown[];
    if (mode === 'exact' ? list.length !== expected.length : list.length < expected.length) {
      return { pointer, expected: `${mode === 'exact' ? '' : 'at least '}${expected.length} items`, got: `${list.length} items` };
    }
    for (let i = 0; i < expected.length; i++) {
      const d = firstDifference(expected[i], list[i], `${pointer}/${i}`, mode, ignore);
      if (d) return d;
    }
    return undefined;
  }
  if (kind(expected) === 'object') {
    const e = expected as Record<string, unknown>;
    const g = got as Record<string, unknown>;
    for (const key of Object.keys(e)) {
      const d = firstDifference(e[key], key in g ? g[key] : undefined, `${pointer}/${escape(key)}`, mode, ignore);
      if (d) return d;
    }
    if (mode === 'exact') {
      const extra = Object.keys(g).find((k) => !(k in e) && !ignore.includes(`${pointer}/${escape(k)}`));
      if (extra !== undefined) return { pointer: `${pointer}/${escape(extra)}`, expected: 'no such field (exact match)', got: show(g[extra]) };
    }
    return undefined;
  }
  return Object.is(expected, got) ? undefined : { pointer, expected: show(expected), got: show(got) };
}
