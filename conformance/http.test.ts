import { describe, expect, it } from 'vitest';
import { UNKNOWN_TOKEN, buildRequest, type RoleCredentials } from './http.ts';
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
  // An event stream that never closes: one event, the end marker, then silence.
  async function endlessStream(): Promise<{ url: string; close: () => Promise<void> }> {
    const { createServer } = await import('node:http');
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"n":1}\n\ndata: [DONE]\n\n');
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

  it.each([
    ['stops at the documented end marker, the stream complete', ['[DONE]'], { truncated: false, ended: true }, [{ n: 1 }]],
    ['without a marker, stops at the bound and says so', [], { truncated: true, ended: false }, [{ n: 1 }, '[DONE]']],
  ])('%s', async (_what, endMarkers, flags, values) => {
    const { send } = await import('./http.ts');
    const server = await endlessStream();
    try {
      const res = await send({ method: 'GET', url: server.url, headers: {} }, { timeoutMs: 60_000, streamMaxMs: 300, endMarkers });
      expect(res.stream).toMatchObject({ kind: 'events', ...flags });
      expect(res.stream!.items.map((i) => i.value)).toEqual(values);
    } finally {
      await server.close();
    }
  });
});
