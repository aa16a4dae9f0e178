// The mock serving the StackRox contract unchanged: grpc-gateway errors, roles of x-caller-roles,
// Bearer and Basic, the NDJSON export as a stream.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSpec } from '../load-spec.ts';
import { exampleRows, expectedText, replay } from './example-rows.ts';
import { call, startMock, type Running } from './helpers.ts';

const SPEC = 'spec/stackrox/openapi.yaml';
const TOKENS = { admin: 'admin-demo-token', analyst: 'analyst-demo-token', noaccess: 'noaccess-demo-token' };
const bearer = (role: keyof typeof TOKENS) => ({ authorization: `Bearer ${TOKENS[role]}` });
const basicAdmin = { authorization: `Basic ${Buffer.from('admin:stackrox-demo-password').toString('base64')}` };
const rpcError = (code: number) => ({ code, message: expect.any(String), details: [], error: expect.any(String) });

const { model } = await loadSpec(SPEC);
const rows = exampleRows(model, { admin: bearer('admin'), analyst: bearer('analyst'), noaccess: bearer('noaccess') });

let mock: Running;
beforeAll(async () => {
  mock = await startMock({ specPath: SPEC, tokens: TOKENS });
});
afterAll(async () => {
  await mock.close();
});

describe('the StackRox contract', () => {
  it('names admin as its first caller role', () => {
    expect(model.roles).toEqual(['admin', 'analyst', 'noaccess']);
    expect(model.operations.filter((op) => op.secured).map((op) => op.defaultCaller)).toEqual(model.operations.map(() => 'admin'));
  });
});

describe('example selection by name, every example of every operation', () => {
  it.each(rows)('$name', async (row) => {
    const reply = await replay(mock.url, row);
    expect(reply.status).toBe(row.status);
    expect(reply.headers.get('content-type')).toContain(row.mediaType);
    const text = expectedText(row);
    if (text !== undefined) expect(reply.text).toBe(text);
    else expect(reply.body).toEqual(row.expected);
  });
});

describe('errors in the grpc-gateway shape', () => {
  it.each([
    { when: 'an unknown path is 404 NotFound', method: 'GET', path: '/v1/nothing', status: 404, code: 5 },
    { when: 'a wrong method is 405 Unimplemented with Allow', method: 'PUT', path: '/v1/images', status: 405, code: 12 },
    { when: 'an undocumented status asked for is that status with its gRPC code', method: 'GET', path: '/v1/imagescount?__code=409', status: 409, code: 6 },
    { when: 'an unknown example is 404 NotFound naming the known ones', method: 'GET', path: '/v1/imagescount?__example=nope', status: 404, code: 5 },
    { when: 'a malformed percent-encoding is 400 InvalidArgument', method: 'GET', path: '/v1/images/%zz', status: 400, code: 3 },
  ])('$when', async ({ method, path, status, code }) => {
    const reply = await call(mock.url, method, path, { headers: bearer('admin') });
    expect(reply.status).toBe(status);
    expect(reply.body).toEqual(rpcError(code));
    // StackRox's `error` repeats its `message`: the mock's too.
    const body = reply.body as { message: string; error: string };
    expect(body.error).toBe(body.message);
    if (status === 405) expect(reply.headers.get('allow')).toBe('GET, DELETE');
  });
});

describe('callers', () => {
  it.each([
    { when: 'Basic admin is the admin role', headers: basicAdmin, status: 200 },
    { when: 'the admin token is the admin role', headers: bearer('admin'), status: 200 },
    { when: 'the noaccess token gets the documented 403', headers: bearer('noaccess'), status: 403 },
    { when: 'no credentials get the documented 401', headers: {}, status: 401 },
  ])('$when', async ({ headers, status }) => {
    const reply = await call(mock.url, 'GET', '/v1/images', { headers });
    expect(reply.status).toBe(status);
  });

  it('an admin request matching a named case gets it (the default caller is the first role, not owner)', async () => {
    const reply = await call(mock.url, 'GET', `/v1/images?query=${encodeURIComponent('CVE:"CVE-2021-44228"')}`, { headers: basicAdmin });
    expect(mock.lines.at(-1)).toMatch(/ 200 log4shell /);
    expect((reply.body as { images: unknown[] }).images).toHaveLength(1);
  });
});

describe('the NDJSON export', () => {
  let slow: Running;
  beforeAll(async () => {
    slow = await startMock({ specPath: SPEC, tokens: TOKENS, streamIntervalMs: 30 });
  });
  afterAll(async () => {
    await slow.close();
  });

  it('is chunked, without Content-Length, and read line by line is the example', async () => {
    const res = await fetch(`${slow.url}/v1/export/images`, { headers: bearer('admin') });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson');
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    expect(res.headers.get('content-length')).toBeNull();
    const lines: unknown[] = [];
    let buffered = '';
    const decoder = new TextDecoder();
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffered += decoder.decode(chunk, { stream: true });
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
        lines.push(JSON.parse(buffered.slice(0, nl)));
        buffered = buffered.slice(nl + 1);
      }
    }
    expect(buffered).toBe('');
    const one = model.operations.find((op) => op.id === 'exportImages')?.examplesByKey.get('one-image')?.value;
    expect(lines).toEqual([one]);
  });

  it('a query the spec pairs with an error line answers that line with its status', async () => {
    const res = await fetch(`${slow.url}/v1/export/images?query=CVE:`, { headers: bearer('admin') });
    expect(res.status).toBe(400);
    expect(JSON.parse(await res.text())).toEqual({ error: { code: 3, message: expect.stringContaining('invalid query'), details: [] } });
  });
});

describe('--strict-auth', () => {
  let strict: Running;
  beforeAll(async () => {
    strict = await startMock({ specPath: SPEC, tokens: TOKENS, credentials: [{ role: 'admin', kind: 'basic', value: 'admin:stackrox-demo-password' }], strictAuth: true });
  });
  afterAll(async () => {
    await strict.close();
  });

  it.each([
    { when: 'the admin password is admin', headers: basicAdmin, status: 200 },
    { when: 'a wrong password gets the documented 401 with WWW-Authenticate', headers: { authorization: `Basic ${Buffer.from('admin:wrong').toString('base64')}` }, status: 401 },
    { when: 'an unknown token gets the documented 401 with WWW-Authenticate', headers: { authorization: 'Bearer nobody' }, status: 401 },
  ])('$when', async ({ headers, status }) => {
    const reply = await call(strict.url, 'GET', '/v1/imagescount', { headers });
    expect(reply.status).toBe(status);
    if (status === 401) {
      expect(reply.body).toEqual({ code: 16, message: 'credentials not found', details: [], error: 'credentials not found' });
      expect(reply.headers.get('www-authenticate')).toContain('Bearer');
    }
  });
});
