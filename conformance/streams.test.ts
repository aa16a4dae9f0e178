import { describe, expect, it } from 'vitest';
import { exampleItems, itemSchemaOf, parseEvents, parseLines, parseStream, streamKind } from './streams.ts';

describe('streamKind', () => {
  it.each([
    ['application/x-ndjson', 'lines'],
    ['application/jsonl; charset=utf-8', 'lines'],
    ['application/json-seq', 'lines'],
    ['application/geo+json-seq', 'lines'],
    ['text/event-stream; charset=utf-8', 'events'],
    ['application/json', undefined],
    ['text/plain', undefined],
  ])('%s is %s', (mediaType, kind) => {
    expect(streamKind(mediaType)).toBe(kind);
  });
});

describe('parseLines', () => {
  it.each([
    ['one JSON value per line, blank lines and CRLF ignored', '{"a":1}\r\n\n[2]\n', [{ value: { a: 1 } }, { value: [2] }]],
    ['RS-separated JSON text sequences', '\x1e{"a":1}\n\x1e{"a":2}\n', [{ value: { a: 1 } }, { value: { a: 2 } }]],
    ['a line that is not JSON is an item with an error', '{"a":1}\nnope\n', [{ value: { a: 1 } }, { error: expect.stringContaining('"nope"') }]],
    ['an empty body has no items', '', []],
  ])('%s', (_what, text, items) => {
    expect(parseLines(text)).toEqual(items);
  });
});

describe('parseEvents', () => {
  it.each([
    ['data lines dispatched by a blank line, JSON data parsed', 'data: {"n":1}\n\ndata: {"n":2}\n\n', [{ n: 1 }, { n: 2 }]],
    ['heartbeat and end-marker lines are other fields, not events', 'data: {"n":1}\n\n.\n.\nDONE\n', [{ n: 1 }]],
    ['comments are skipped; several data lines join with a newline', ': hi\ndata: a\ndata: b\n\n', ['a\nb']],
    ['text data stays text', 'event: note\nid: 7\ndata: hello\n\n', ['hello']],
    ['an event cut before its blank line still counts', 'data: {"n":1}\n\ndata: {"n":2}', [{ n: 1 }, { n: 2 }]],
    ['an event with no data is not dispatched', 'event: ping\n\n', []],
  ])('%s', (_what, text, values) => {
    expect(parseEvents(text).map((i) => i.value)).toEqual(values);
  });

  it('keeps the event name and id', () => {
    expect(parseEvents('event: note\nid: 7\ndata: hello\n\n')[0]!.event).toEqual({ event: 'note', id: '7', data: 'hello' });
  });
});

describe('itemSchemaOf', () => {
  const line = { type: 'object' };
  it.each([
    ['itemSchema wins', { itemSchema: { type: 'integer' }, schema: line }, 'lines', { type: 'integer' }],
    ['a line stream schema describes one line', { schema: line }, 'lines', line],
    ['an array schema describes the whole line stream', { schema: { type: 'array' } }, 'lines', undefined],
    ['an event stream object schema describes one event data', { schema: line }, 'events', line],
    ['a string schema describes the whole event stream text', { schema: { type: 'string' } }, 'events', undefined],
  ] as const)('%s', (_what, mt, kind, expected) => {
    expect(itemSchemaOf({ mediaType: 'x/y', encoding: {}, examples: new Map(), ...mt }, kind)).toEqual(expected);
  });
});

describe('exampleItems', () => {
  it('reads a text example as the body and any other value as its only item', () => {
    expect(exampleItems('lines', '{"a":1}\n{"a":2}\n').map((i) => i.value)).toEqual([{ a: 1 }, { a: 2 }]);
    expect(exampleItems('lines', { a: 1 }).map((i) => i.value)).toEqual([{ a: 1 }]);
  });
});

describe('end markers (x-stream-end)', () => {
  it.each([
    ['a line stream stops at the marker line, which is no item', 'lines', '{"n":1}\n[DONE]\n{"n":2}\n', [{ n: 1 }], true],
    ['an event stream stops at an event whose data is the marker', 'events', 'data: {"n":1}\n\ndata: [DONE]\n\ndata: {"n":2}\n\n', [{ n: 1 }], true],
    ['an event stream stops at a bare marker line', 'events', 'data: {"n":1}\n\n[DONE]\ndata: {"n":2}\n\n', [{ n: 1 }], true],
    ['without the marker every item counts', 'events', 'data: {"n":1}\n\n', [{ n: 1 }], false],
  ] as const)('%s', (_what, kind, text, values, ended) => {
    const parsed = parseStream(kind, text, ['[DONE]']);
    expect(parsed.items.map((i) => i.value)).toEqual(values);
    expect(parsed.ended).toBe(ended);
  });
});
