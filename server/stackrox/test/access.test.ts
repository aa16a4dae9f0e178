// Who may call what: Bearer API tokens or the admin's Basic password, 401 before 403, and the answers
// every /v1 path shares (Cache-Control, 404, 405) in the service's error shape.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BASIC, rpcError, startServer, TOKENS, type TestServer } from './helpers.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
beforeEach(() => server.reset());
afterAll(() => server.close());

type Op = [operationId: string, method: string, path: string, body: unknown, resource: string, write: boolean];
const OPERATIONS: Op[] = [
  ['countImages', 'GET', '/v1/imagescount', undefined, 'Image', false],
  ['listImages', 'GET', '/v1/images', undefined, 'Image', false],
  ['getImage', 'GET', '/v1/images/sha256:0', undefined, 'Image', false],
  ['exportImages', 'GET', '/v1/export/images', undefined, 'Image', false],
  ['deleteImages', 'DELETE', '/v1/images?query.query=Image:none', undefined, 'Image', true],
  ['invalidateScanAndRegistryCaches', 'GET', '/v1/images/cache/invalidate', undefined, 'Image', true],
  ['scanImage', 'POST', '/v1/images/scan', { imageName: 'nginx:1.25.3' }, 'Image', true],
  ['getWatchedImages', 'GET', '/v1/watchedimages', undefined, 'WatchedImage', false],
  ['watchImage', 'POST', '/v1/watchedimages', { name: 'docker.io/library/nginx:1.27.0' }, 'WatchedImage', true],
  ['unwatchImage', 'DELETE', '/v1/watchedimages?name=x', undefined, 'WatchedImage', true],
];

const call = async ([, method, path, body]: Op, authorization?: string) => {
  const headers: Record<string, string> = {};
  if (authorization) headers.Authorization = authorization;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await server.raw(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  const parsed = text ? JSON.parse(text.trim().split('\n')[0]!) : undefined;
  // the export answers its errors as the stream's error line
  return { res, body: parsed?.error && typeof parsed.error === 'object' ? { ...parsed.error, error: parsed.error.message } : parsed };
};

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe.each(OPERATIONS)('%s', (...op) => {
  const [, , , , resource, write] = op;

  it.each<[string, string | undefined, string]>([
    ['no credentials', undefined, 'credentials not found'],
    ['an unknown token', 'Bearer not-a-token', 'credentials not found: the token or password is not valid'],
    ['a malformed Authorization header', 'Token admin-demo-token', 'credentials not found: the token or password is not valid'],
    ['a wrong admin password', basic('admin', 'guess'), 'credentials not found: the token or password is not valid'],
    ['a user other than admin', basic('alice', BASIC.password), 'credentials not found: the token or password is not valid'],
  ])('%s: 401 with WWW-Authenticate', async (_name, authorization, message) => {
    const { res, body } = await call(op, authorization);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="stackrox", Basic realm="stackrox"');
    expect(body).toEqual(rpcError(16, message));
  });

  it('a role without access: 403 naming the access and resource', async () => {
    const { res, body } = await call(op, `Bearer ${TOKENS.noaccess}`);
    expect(res.status).toBe(403);
    expect(body).toEqual(rpcError(7, `not authorized: "${write ? 'READ_WRITE_ACCESS' : 'READ_ACCESS'}" for "${resource}"`));
  });

  it(`the analyst role ${write ? 'may not' : 'may'} call it`, async () => {
    const { res } = await call(op, `Bearer ${TOKENS.analyst}`);
    if (write) expect(res.status).toBe(403);
    else expect(res.status).not.toBe(403);
    expect(res.status).not.toBe(401);
  });

  it.each([
    ['the admin token', `Bearer ${TOKENS.admin}`],
    ['the admin password (Basic)', basic(BASIC.username, BASIC.password)],
  ])('%s may call it', async (_name, authorization) => {
    const { res } = await call(op, authorization);
    expect([401, 403]).not.toContain(res.status);
    expect(res.status).toBeLessThan(500);
  });

  it('every answer forbids caching', async () => {
    for (const authorization of [undefined, `Bearer ${TOKENS.noaccess}`, `Bearer ${TOKENS.admin}`]) {
      const { res } = await call(op, authorization);
      expect(res.headers.get('cache-control')).toBe('no-store, no-cache');
    }
  });
});

describe('the generated client', () => {
  it('sends Basic credentials', async () => {
    const { createClient } = await import('../../../generated/stackrox/client.ts');
    const client = createClient({ baseUrl: server.baseUrl, basic: BASIC });
    const { data, response } = await client.GET('/v1/imagescount');
    expect(response.status).toBe(200);
    expect(data).toEqual({ count: 11 });
  });
});

describe('paths and methods outside the contract', () => {
  it('an unknown /v1 path is 404 in the service shape, before authentication', async () => {
    const res = await server.raw('/v1/clusters');
    expect(res.status).toBe(404);
    expect(res.headers.get('cache-control')).toBe('no-store, no-cache');
    expect(await res.json()).toEqual(rpcError(5, 'Not Found'));
  });

  it('another method on a known path is 405 with Allow', async () => {
    const res = await server.raw('/v1/imagescount', { method: 'POST', headers: { Authorization: `Bearer ${TOKENS.admin}` } });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toMatch(/GET/);
    expect(await res.json()).toEqual(rpcError(12, 'Method Not Allowed'));
  });

  it('the control API resets the data', async () => {
    await server.admin.DELETE('/v1/images', { params: { query: { 'query.query': '', confirm: true } } });
    expect((await server.admin.GET('/v1/imagescount')).data).toEqual({ count: 0 });
    await server.reset();
    expect((await server.admin.GET('/v1/imagescount')).data).toEqual({ count: 11 });
  });
});
