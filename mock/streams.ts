// Streaming media types are sent as streams: chunked, one record at a time, never with a
// Content-Length, so a client written for the real stream (a line reader, an EventSource) works.
import type { ServerResponse } from 'node:http';
import type { Heartbeat } from './model.ts';

export type StreamKind = 'lines' | 'events';

/** NDJSON and its kin are line streams; text/event-stream is an event stream; the rest is not a stream. */
export function streamKind(contentType: string | undefined): StreamKind | undefined {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'text/event-stream') return 'events';
  if (/^application\/(x-)?(nd|ld)json$|^application\/jsonl(ines)?$|^application\/json-seq$|\+ndjson$/.test(type)) return 'lines';
  return undefined;
}

/**
 * The records of an example: a line stream's example is one line (a JSON value) or a text of lines;
 * an event stream's example is its text, events separated by blank lines. Joined they give the
 * example's bytes back exactly.
 */
export function streamRecords(kind: StreamKind, body: unknown): string[] {
  if (kind === 'lines') {
    if (typeof body !== 'string') return body === undefined ? [] : [`${JSON.stringify(body)}\n`];
    return body.split(/(?<=\n)/).filter((line) => line !== '');
  }
  const text = typeof body === 'string' ? body : body === undefined ? '' : `data: ${JSON.stringify(body)}\n\n`;
  return text.split(/(?<=\n\n)(?!\n)/).filter((event) => event !== '');
}

/**
 * Sends the records one at a time, `intervalMs` apart. With a heartbeat (an event stream's
 * `x-stream-heartbeat`), its text is written on its own beat while the stream is open, as the real
 * server does while it has no event: with records spaced further apart than the beat, a client sees
 * heartbeats between them.
 */
export function sendStream(res: ServerResponse, status: number, headers: Record<string, string>, kind: StreamKind, body: unknown, intervalMs = 0, heartbeat?: Heartbeat): void {
  const { 'content-length': _, ...rest } = headers;
  const extra: Record<string, string> = kind === 'events' ? { 'cache-control': rest['cache-control'] ?? 'no-cache' } : {};
  res.writeHead(status, { ...rest, ...extra });
  res.flushHeaders();
  const records = streamRecords(kind, body);
  const beat = heartbeat && kind === 'events' ? setInterval(() => res.destroyed || res.writableEnded || res.write(heartbeat.text), heartbeat.intervalMs) : undefined;
  res.once('close', () => clearInterval(beat));
  let i = 0;
  const next = (): void => {
    if (res.destroyed) return;
    const record = records[i++];
    if (record === undefined) {
      clearInterval(beat);
      res.end();
      return;
    }
    res.write(record);
    if (intervalMs > 0) setTimeout(next, intervalMs);
    else setImmediate(next);
  };
  next();
}
