// The export stream read as a stream: lines arrive one at a time while the server is still producing
// them, each line is an ExportImagesStreamLine of the contract, and a failure part way ends the stream
// with one error line.
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImageRecord } from '../domain/model.ts';
import { loadDemoFixture } from '../store/fixture.ts';
import { MemoryStore } from '../store/memory-store.ts';
import { startServer, TOKENS, type TestServer } from './helpers.ts';

const bundle = JSON.parse(readFileSync(new URL('../../../generated/stackrox/openapi.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const ajv = new Ajv2020({ strict: false, allErrors: true });
// ajv-formats is CommonJS: its default export is the module object under tsc's NodeNext resolution
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv2020) => void;
addFormats(ajv);
ajv.addSchema(bundle, 'stackrox');
const validLine = ajv.getSchema('stackrox#/components/schemas/ExportImagesStreamLine')!;

/** A store whose export cursor waits at `pauseAfter` records until released, or fails there. */
class CursorStore extends MemoryStore {
  released!: () => void;
  private gate = new Promise<void>((resolve) => (this.released = resolve));
  paused = false;
  constructor(
    private readonly pauseAfter: number,
    private readonly failAtPause = false,
  ) {
    super(loadDemoFixture());
  }
  override async *stream(ids: readonly string[]): AsyncIterable<ImageRecord> {
    let n = 0;
    for await (const record of super.stream(ids)) {
      if (n++ === this.pauseAfter) {
        if (this.failAtPause) throw new Error('disk read error at /var/lib/stackrox/images.db');
        this.paused = true;
        await this.gate;
      }
      yield record;
    }
  }
}

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const exportImages = (s: TestServer, query = '', token: string = TOKENS.admin) =>
  s.raw(`/v1/export/images${query ? `?query=${encodeURIComponent(query)}` : ''}`, { headers: { Authorization: `Bearer ${token}` } });

/** Reads the body line by line as it arrives. */
async function* lines(res: Response): AsyncGenerator<string> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      yield buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
    }
  }
  expect(buffer, 'the stream ends with a newline').toBe('');
}

const listIds = async (s: TestServer, query?: string) => (await s.admin.GET('/v1/images', { params: { query: { query } } })).data!.images.map((i) => i.id);

describe('exportImages', () => {
  it('sends each line as it is produced (chunked), before the store has read the next image', async () => {
    const store = new CursorStore(1);
    server = await startServer({ store });
    const res = await exportImages(server);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    expect(res.headers.get('cache-control')).toBe('no-store, no-cache');
    const stream = lines(res);
    const first = await stream.next();
    expect(JSON.parse(first.value as string).result.image.priority).toBe('1');
    expect(store.paused).toBe(true); // the first line arrived while the server was still waiting on the store
    store.released();
    const rest: string[] = [];
    for await (const line of stream) rest.push(line);
    expect(1 + rest.length).toBe(11);
  });

  it.each<[string, string]>([
    ['every image', ''],
    ['a query', 'Image Registry:docker.io+Severity:IMPORTANT'],
    ['a query that matches nothing', 'CVE:CVE-1999-0001'],
  ])('%s: one valid line per image, in list order, each the full stored image', async (_name, query) => {
    server = await startServer();
    const res = await exportImages(server, query);
    const got: string[] = [];
    for await (const line of lines(res)) {
      const parsed = JSON.parse(line);
      expect(validLine(parsed), JSON.stringify(validLine.errors)).toBe(true);
      const { data } = await server.admin.GET('/v1/images/{id}', { params: { path: { id: parsed.result.image.id } } });
      expect(parsed.result.image).toEqual(data);
      got.push(parsed.result.image.id);
    }
    expect(got).toEqual(await listIds(server, query));
  });

  it('a failure part way ends the stream with one error line, after the lines already sent', async () => {
    server = await startServer({ store: new CursorStore(3, true) });
    const res = await exportImages(server);
    expect(res.status).toBe(200);
    const got: unknown[] = [];
    for await (const line of lines(res)) got.push(JSON.parse(line));
    expect(got).toHaveLength(4);
    for (const line of got) expect(validLine(line)).toBe(true);
    expect(got.slice(0, 3).every((l) => 'result' in (l as object))).toBe(true);
    expect(got[3]).toEqual({ error: { code: 13, message: 'an internal error occurred while reading images', details: [] } });
  });

  it('the timeout ends the stream with DeadlineExceeded', async () => {
    const store = new CursorStore(2);
    server = await startServer({ store });
    const res = await server.raw('/v1/export/images?timeout=5', { headers: { Authorization: `Bearer ${TOKENS.admin}` } });
    const stream = lines(res);
    const got = [(await stream.next()).value, (await stream.next()).value];
    server.clock.advance(6000); // while the export waits on its store
    store.released();
    for await (const line of stream) got.push(line);
    expect(got.map((l) => JSON.parse(l as string))).toEqual([expect.objectContaining({ result: expect.anything() }), expect.objectContaining({ result: expect.anything() }), { error: { code: 4, message: 'context deadline exceeded', details: [] } }]);
  });

  it('a timeout that does not run out changes nothing', async () => {
    server = await startServer();
    const res = await server.raw('/v1/export/images?timeout=5', { headers: { Authorization: `Bearer ${TOKENS.admin}` } });
    let n = 0;
    for await (const line of lines(res)) if ('result' in JSON.parse(line)) n++;
    expect(n).toBe(11);
  });

  it.each<[string, string, string, number, number, string]>([
    ['a malformed query', 'CVE:', TOKENS.admin, 400, 3, 'invalid query "CVE:": field "CVE" has no value: invalid arguments'],
    ['a role without access', '', TOKENS.noaccess, 403, 7, 'not authorized: "READ_ACCESS" for "Image"'],
    ['an unknown token', '', 'nope', 401, 16, 'credentials not found: the token or password is not valid'],
  ])('%s: the status, and the error line as the whole body', async (_name, query, token, status, code, message) => {
    server = await startServer();
    const res = await exportImages(server, query, token);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const body = await res.text();
    expect(body).toBe(`${JSON.stringify({ error: { code, message, details: [] } })}\n`);
    expect(validLine(JSON.parse(body))).toBe(true);
  });

  it('a client that goes away mid-stream does not stop the server', async () => {
    const store = new CursorStore(1);
    server = await startServer({ store });
    const controller = new AbortController();
    const res = await server.raw('/v1/export/images', { headers: { Authorization: `Bearer ${TOKENS.admin}` }, signal: controller.signal });
    await lines(res).next();
    controller.abort();
    store.released();
    expect((await server.admin.GET('/v1/imagescount')).data).toEqual({ count: 11 });
  });
});
