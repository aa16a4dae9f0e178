// Whatever a client sends, the answer is an HTTP status in the spec's shape, never a crash or a stack.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type Running } from './helpers.ts';

let mock: Running;
beforeAll(async () => {
  mock = await startMock({ stateful: true, quiet: true });
});
afterAll(async () => {
  await mock.close();
});

const segment = fc.oneof(fc.constantFrom('pets', 'p1', 'p404', 'ping', '__mock.jsonx', '..', '%', '%zz', ''), fc.string({ maxLength: 8 }).map(encodeURIComponent));

describe('any input', () => {
  it('gets an answer below 500 with no stack, path or library name', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'),
        fc.array(segment, { minLength: 1, maxLength: 3 }),
        fc.option(fc.oneof(fc.string({ maxLength: 40 }), fc.json({ maxDepth: 2 })), { nil: undefined }),
        fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', undefined),
        fc.constantFrom(undefined, 'code=abc', 'example=', 'dynamic=true', 'code=200, example=nope', 'delay=x'),
        fc.boolean(),
        fc.option(fc.oneof(fc.constantFrom('kind=cat', 'kind=bird', '__code=404', '__example=x', 'a=%zz', 'kind=cat&kind=dog'), fc.string({ maxLength: 12 })), { nil: undefined }),
        async (method, segments, body, contentType, prefer, withKey, query) => {
          const headers: Record<string, string> = {};
          if (contentType) headers['content-type'] = contentType;
          if (prefer) headers.prefer = prefer;
          if (withKey) headers['x-api-key'] = 'k';
          const res = await fetch(`${mock.url}/${segments.join('/')}${query === undefined ? '' : `?${query}`}`, { method, headers, body: method === 'GET' || method === 'HEAD' ? undefined : body });
          const text = await res.text();
          expect(res.status).toBeLessThan(500);
          expect(text).not.toMatch(/\n\s+at |node_modules|prism|stoplight|problem\+json|\/work\//i);
          if (res.status >= 400 && method !== 'HEAD' && text !== '') expect(JSON.parse(text)).toHaveProperty('code');
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe.each([
  {
    spec: 'spec/stackrox/openapi.yaml',
    paths: ['/v1/images', '/v1/export/images', '/v1/images/scan', '/v1/watchedimages', '/v1/imagescount', '/v1/images/sha256:ab'],
    segments: ['v1', 'images', 'imagescount', 'export', 'watchedimages', 'scan', 'cache', 'invalidate', 'sha256%3Aab', '%zz', ''],
    credentials: [{ authorization: 'Bearer admin-demo-token' }, { authorization: 'Basic YWRtaW46eA==' }, { authorization: 'Basic !!' }, {}],
    // grpc-gateway's error, or the export's error line.
    isError: (body: Record<string, unknown>) => 'code' in body || 'error' in body,
  },
  {
    spec: 'spec/chutes/openapi.yaml',
    paths: ['/images/', '/images', '/images/f7cbd348-6b3e-5302-ac09-f49cd37e3f1d/logs', '/images/tinyllama:1.0.0'],
    segments: ['images', 'logs', 'f7cbd348-6b3e-5302-ac09-f49cd37e3f1d', 'bob%2Fcomfyui%3A0.3.1', 'x:1', '%zz', ''],
    credentials: [{ authorization: 'cpk_x' }, { 'x-chutes-hotkey': '5Grw', 'x-chutes-signature': 'ab', 'x-chutes-nonce': 'x' }, { 'x-chutes-hotkey': '5Grw' }, {}],
    isError: (body: Record<string, unknown>) => 'detail' in body,
  },
])('any input to $spec', ({ spec, paths, segments, credentials, isError }) => {
  let contract: Running;
  beforeAll(async () => {
    contract = await startMock({ specPath: spec, stateful: true, quiet: true });
  });
  afterAll(async () => {
    await contract.close();
  });

  it('gets an answer in the contract’s error shape, never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'HEAD'),
        fc.oneof(
          fc.constantFrom(...paths),
          fc.array(fc.oneof(fc.constantFrom(...segments), fc.string({ maxLength: 6 }).map(encodeURIComponent)), { minLength: 1, maxLength: 4 }).map((s) => `/${s.join('/')}`),
        ),
        fc.option(fc.oneof(fc.string({ maxLength: 40 }), fc.json({ maxDepth: 2 }), fc.constant('--b\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--b--\r\n')), { nil: undefined }),
        fc.constantFrom('application/json', 'multipart/form-data; boundary=b', 'multipart/form-data', 'text/plain', undefined),
        fc.constantFrom(...credentials),
        fc.option(fc.constantFrom('query=CVE:', 'limit=ten', 'offset=x', 'include_public=true', 'pagination.limit=-1', '__code=500', 'a=%zz'), { nil: undefined }),
        async (method, path, body, contentType, auth, query) => {
          const headers = { ...auth } as Record<string, string>;
          if (contentType) headers['content-type'] = contentType;
          const res = await fetch(`${contract.url}${path}${query === undefined ? '' : `?${query}`}`, { method, headers, body: method === 'GET' || method === 'HEAD' ? undefined : body });
          const text = await res.text();
          expect(text).not.toMatch(/\n\s+at |node_modules|prism|stoplight|\/work\/|could not build|failed to answer/i);
          if (res.status >= 400 && method !== 'HEAD' && /json/.test(res.headers.get('content-type') ?? '')) {
            expect(isError(JSON.parse(text.split('\n')[0] ?? '') as Record<string, unknown>)).toBe(true);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
