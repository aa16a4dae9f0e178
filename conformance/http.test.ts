import { describe, expect, it } from 'vitest';
import { UNKNOWN_TOKEN, buildRequest, readBody, type RoleCredentials } from './http.ts';
import { parseStream } from './streams.ts';
import type { AuthSpoiler, MediaTypeSpec, OperationSpec, RequestPlan } from './model.ts';

const scheme = (name: string, s: Record<string, unknown>) => ({ name, scheme: s });
const BEARER = scheme('bearer', { type: 'http', scheme: 'bearer' });
const BASIC = scheme('basic', { type: 'http', scheme: 'basic' });
const KEY = scheme('key', { type: 'apiKey', in: 'header', name: 'X-Key' });
const QUERY_KEY = scheme('q', { type: 'apiKey', in: 'query', name: 'key' });

function op(requirements: ReturnType<typeof scheme>[][], body?: MediaTypeSpec): OperationSpec {
  return {
    operationId: 'op',
    method: 'post',
    path: '/things',
    tag: 't',
    parameters: [],
    responses: [],
    security: requirements.map((schemes) => ({ schemes })),
    secured: requirements.every((r) => r.length > 0),
    requestBody: body ? { required: true, content: [body] } : undefined,
  };
}

const plan = (caller: string, spoilAuth?: AuthSpoiler, body?: RequestPlan['body']): RequestPlan => ({
  method: 'post',
  pathTemplate: '/things',
  pathParams: {},
  query: [],
  headers: {},
  caller,
  spoilAuth,
  body,
});

const send = (o: OperationSpec, p: RequestPlan, creds: RoleCredentials) => buildRequest(p, o, { base: 'http://h', credentials: { r: creds }, requestTimeoutMs: 1 });

describe('credentials', () => {
  it.each<[string, ReturnType<typeof scheme>[][], RoleCredentials, AuthSpoiler | undefined, Record<string, string>, string]>([
    ['a token goes as Bearer', [[BEARER], [BASIC]], { token: 't1' }, undefined, { authorization: 'Bearer t1' }, ''],
    ['user:password goes to the Basic requirement, even listed second', [[BEARER], [BASIC]], { token: 'u:p' }, undefined, { authorization: `Basic ${Buffer.from('u:p').toString('base64')}` }, ''],
    ['config Basic credentials', [[BASIC]], { basic: 'u:p' }, undefined, { authorization: `Basic ${Buffer.from('u:p').toString('base64')}` }, ''],
    ['an API key in a header', [[KEY]], { token: 'k1' }, undefined, { 'x-key': 'k1' }, ''],
    ['an API key in the query', [[QUERY_KEY]], { token: 'k1' }, undefined, {}, '?key=k1'],
    ['fixed headers of a role, with no requirement it can meet', [[scheme('sig', { type: 'apiKey', in: 'header', name: 'X-Sig' }), scheme('n', { type: 'apiKey', in: 'header', name: 'X-Nonce' })]], { headers: { 'X-Sig': 's', 'X-Nonce': '1' } }, undefined, { 'x-sig': 's', 'x-nonce': '1' }, ''],
    ['malformed: the token without its scheme word', [[BEARER]], { token: 't1' }, 'malformed', { authorization: 't1' }, ''],
    ['unknown: another token', [[BEARER]], { token: 't1' }, 'unknown', { authorization: `Bearer ${UNKNOWN_TOKEN}` }, ''],
    ['unknown fixed headers', [[KEY]], { headers: { 'X-Sig': 's' } }, 'unknown', { 'x-sig': UNKNOWN_TOKEN }, ''],
    ['none: nothing at all', [[BEARER]], { token: 't1', headers: { 'X-Sig': 's' } }, 'none', {}, ''],
  ])('%s', async (_what, requirements, creds, spoil, headers, query) => {
    const sent = await send(op(requirements), plan('r', spoil), creds);
    const { accept: _accept, ...rest } = sent.headers;
    expect(rest).toEqual(headers);
    expect(sent.url).toBe(`http://h/things${query}`);
    expect(sent.secretHeaders?.sort()).toEqual(Object.keys(headers).sort());
  });
});

describe('form bodies', () => {
  const form: MediaTypeSpec = {
    mediaType: 'multipart/form-data',
    schema: { type: 'object', properties: { archive: { type: 'string', format: 'binary' }, blob: { type: 'string', contentEncoding: 'base64' }, flag: { type: 'boolean' }, name: { type: 'string' } } },
    encoding: { archive: { contentType: 'application/zip' } },
    examples: new Map(),
  };

  it('sends binary fields as file parts (one byte per character, or base64) and the rest as text', async () => {
    const value = { archive: 'PK\x05\x06\xff', blob: Buffer.from('hi').toString('base64'), flag: false, name: 'n', tags: ['a', 'b'] };
    const sent = await send(op([[BEARER]], form), plan('r', undefined, { mediaType: 'multipart/form-data', value }), { token: 't' });
    expect(sent.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    const parsed = await new Response(Buffer.from(sent.bytes!), { headers: { 'content-type': sent.headers['content-type']! } }).formData();
    const archive = parsed.get('archive') as File;
    expect(archive.type).toBe('application/zip');
    expect([...new Uint8Array(await archive.arrayBuffer())]).toEqual([0x50, 0x4b, 5, 6, 0xff]);
    expect(await (parsed.get('blob') as File).text()).toBe('hi');
    expect(parsed.get('flag')).toBe('false');
    expect(parsed.getAll('tags')).toEqual(['a', 'b']);
    expect(sent.body).toContain('archive: <file archive, application/zip, 5 bytes>');
  });

  it('sends url-encoded forms as text fields', async () => {
    const sent = await send(op([[]]), plan('none', undefined, { mediaType: 'application/x-www-form-urlencoded', value: { a: 1, b: 'x y' } }), {});
    expect(sent.body).toBe('a=1&b=x+y');
  });
});

describe('reading a stream', () => {
  // An event stream that never closes: `write` says what it sends, then it stays open.
  async function endlessStream(write: (res: import('node:http').ServerResponse) => void): Promise<{ url: string; close: () => Promise<void> }> {
    const { createServer } = await import('node:http');
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      write(res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    return { url: `http://127.0.0.1:${port}/`, close: () =>
        new Promise((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    };
  }
  const oneEventThenDone = (res: import('node:http').ServerResponse) => res.write('data: {"n":1}\n\ndata: [DONE]\n\n');
  const firehose = (res: import('node:http').ServerResponse) => {
    const event = Buffer.from(`data: ${JSON.stringify({ pad: 'x'.repeat(1000) })}\n\n`);
    const pump = () => {
      while (!res.destroyed) if (!res.write(event)) return void res.once('drain', pump);
    };
    pump();
  };

  it.each([
    ['stops at the documented end marker, the stream complete', ['[DONE]'], { truncated: false, ended: true }, [{ n: 1 }]],
    ['without a marker, stops at the bound and says so', [], { truncated: true, ended: false }, [{ n: 1 }, '[DONE]']],
  ])('%s', async (_what, endMarkers, flags, values) => {
    const { send } = await import('./http.ts');
    const server = await endlessStream(oneEventThenDone);
    try {
      const res = await send({ method: 'GET', url: server.url, headers: {} }, { timeoutMs: 60_000, streamMaxMs: 300, endMarkers });
      expect(res.stream).toMatchObject({ kind: 'events', ...flags });
      expect(res.stream!.items.map((i) => i.value)).toEqual(values);
    } finally {
      await server.close();
    }
  });

  it('a stream faster than the byte cap is cut there, and says so', async () => {
    const { send } = await import('./http.ts');
    const server = await endlessStream(firehose);
    try {
      const res = await send({ method: 'GET', url: server.url, headers: {} }, { timeoutMs: 60_000, streamMaxMs: 60_000, maxBytes: 64 * 1024 });
      expect(res.bodyCutAt).toBe(64 * 1024);
      expect(res.text.length).toBe(64 * 1024);
      expect(res.stream?.truncated).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('a stream read to its end (a workflow step) that never ends is stopped by the request timeout, as an error', async () => {
    const { ExchangeError, send } = await import('./http.ts');
    const server = await endlessStream(oneEventThenDone);
    try {
      const failure = await send({ method: 'GET', url: server.url, headers: {} }, { timeoutMs: 200 }).catch((err: unknown) => err);
      expect(failure).toBeInstanceOf(ExchangeError);
      expect(failure).toMatchObject({ status: 200, message: expect.stringMatching(/^a body still unfinished at the request timeout \(200 ms\), \d+ bytes read$/) });
    } finally {
      await server.close();
    }
  });
});

describe('readBody', () => {
  const streamOf = (chunks: string[]) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (const c of chunks) controller.enqueue(new TextEncoder().encode(c));
        controller.close();
      },
    });
  const events = (text: string) => parseStream('events', text, ['[DONE]']).ended;

  // Chunks as the network may cut them; 'marker' means reading stopped there, before the rest.
  it.each<[string, string[], number, string | undefined, string]>([
    ['a marker inside one chunk', ['data: 1\n\ndata: [DONE]\n\n', 'data: 2\n\n'], 1000, 'marker', 'data: 1\n\ndata: [DONE]\n\n'],
    ['a marker split across two chunks', ['data: 1\n\ndata: [DO', 'NE]\n\n', 'data: 2\n\n'], 1000, 'marker', 'data: 1\n\ndata: [DONE]\n\n'],
    ['no marker: to the end', ['data: 1\n\n', 'data: 2\n\n'], 1000, undefined, 'data: 1\n\ndata: 2\n\n'],
    ['over the cap: the first bytes, cut', ['data: 1\n\n', 'data: 2\n\n'], 12, 'bytes', 'data: 1\n\ndat'],
  ])('%s', async (_what, chunks, maxBytes, cut, text) => {
    const read = await readBody(streamOf(chunks), { maxBytes, ended: { markers: ['[DONE]'], test: events }, progress: { bytes: 0 } });
    expect(read.cut).toBe(cut);
    expect(read.buf.toString('utf8')).toBe(text);
  });
});
