// Sequential media types: a body read as items rather than as one document. Lines (NDJSON, JSON
// Lines, JSON text sequences) are JSON each; server-sent events carry a data payload each.
import type { MediaTypeSpec, ReceivedStream, Schema, StreamItem } from './model.ts';
import { baseMediaType } from './loader/responses.ts';

const LINE_TYPES = new Set(['application/x-ndjson', 'application/ndjson', 'application/jsonl', 'application/x-jsonlines', 'application/jsonlines', 'application/json-seq']);

export type StreamKind = ReceivedStream['kind'];

export function streamKind(mediaType: string): StreamKind | undefined {
  const base = baseMediaType(mediaType);
  if (base === 'text/event-stream') return 'events';
  if (LINE_TYPES.has(base) || base.endsWith('+json-seq') || base.endsWith('+ndjson')) return 'lines';
  return undefined;
}

export interface ParsedStream {
  items: StreamItem[];
  /** An end marker arrived; what follows it is not read. */
  ended: boolean;
}

/** Splits a line stream into items: each non-empty line (or RS-separated record) parsed as JSON. */
export function parseLines(text: string, endMarkers: string[] = []): StreamItem[] {
  return parseLineStream(text, endMarkers).items;
}

function parseLineStream(text: string, endMarkers: string[]): ParsedStream {
  const records = (text.includes('\x1e') ? text.split('\x1e') : text.split('\n')).map((r) => r.replace(/\r$/, '').trim()).filter((r) => r.length > 0);
  const end = records.findIndex((r) => endMarkers.includes(r));
  const items = (end < 0 ? records : records.slice(0, end))
    .map((r): StreamItem => {
      try {
        return { value: JSON.parse(r) as unknown };
      } catch (err) {
        return { error: `${err instanceof Error ? err.message : err} in ${JSON.stringify(r.slice(0, 60))}` };
      }
    });
  return { items, ended: end >= 0 };
}

/**
 * Parses server-sent events as the HTML standard does: `field: value` lines, a blank line dispatches
 * the event, lines of any other field (a heartbeat `.`, an end marker) are not events. An event with
 * no data is not dispatched. A trailing event without its blank line is counted (the stream was cut).
 */
export function parseEvents(text: string, endMarkers: string[] = []): StreamItem[] {
  return parseEventStream(text, endMarkers).items;
}

function parseEventStream(text: string, endMarkers: string[]): ParsedStream {
  const items: StreamItem[] = [];
  let ended = false;
  let data: string[] = [];
  let event = '';
  let id: string | undefined;
  const dispatch = () => {
    if (data.length > 0) {
      const raw = data.join('\n');
      if (endMarkers.includes(raw)) ended = true;
      if (ended) return;
      let value: unknown = raw;
      try {
        value = JSON.parse(raw);
      } catch {
        // not JSON: the data is text
      }
      items.push({ value, event: { event: event || 'message', id, data: raw } });
    }
    data = [];
    event = '';
  };
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (ended) break;
    if (endMarkers.includes(line)) {
      ended = true; // a bare marker line (`DONE`), not a field of an event
      break;
    }
    if (line === '') {
      dispatch();
      continue;
    }
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
    else if (field === 'id') id = value;
  }
  if (!ended) dispatch();
  return { items, ended };
}

/** The items of a stream, up to its end marker (`x-stream-end`) when one is documented and arrives. */
export function parseStream(kind: StreamKind, text: string, endMarkers: string[] = []): ParsedStream {
  return kind === 'lines' ? parseLineStream(text, endMarkers) : parseEventStream(text, endMarkers);
}

const typeOf = (s: Schema | undefined) => (typeof s === 'object' ? s.type : undefined);

/**
 * The schema of one item: `itemSchema` (OpenAPI 3.2) or `x-item-schema`; else the media type's
 * schema, which for a line stream describes one line (the common habit) unless it is an array
 * schema, and for an event stream describes one event's data unless it is a string schema (then it
 * describes the whole text, and no item schema is known).
 */
export function itemSchemaOf(mt: MediaTypeSpec, kind: StreamKind): Schema | undefined {
  if (mt.itemSchema !== undefined) return mt.itemSchema;
  const t = typeOf(mt.schema);
  if (kind === 'lines') return t === 'array' ? undefined : mt.schema;
  return t === 'string' ? undefined : mt.schema;
}

/** The items an example promises: a text example is the body itself; any other value is its one item. */
export function exampleItems(kind: StreamKind, value: unknown): StreamItem[] {
  return typeof value === 'string' ? parseStream(kind, value).items : [{ value }];
}

export function itemName(kind: StreamKind): string {
  return kind === 'lines' ? 'line' : 'event';
}
