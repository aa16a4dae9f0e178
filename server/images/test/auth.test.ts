// Bearer auth on every secured operation: a missing, malformed or unknown token is a 401 with
// WWW-Authenticate: Bearer before anything else is looked at; the public catalog ignores tokens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE_CONTAINER, startServer, stateOf, type TestServer } from './helpers.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const SNAP = `/api/v1/containers/${ALICE_CONTAINER}/snapshots/snap-20250115-103000`;
const secured: [string, string, string, string?][] = [
  ['listUserImages', 'GET', '/api/v1/images/user'],
  ['importImage', 'POST', '/api/v1/images/import/507f1f77bcf86cd799439021'],
  ['purchaseImage', 'POST', '/api/v1/images/purchase/507f1f77bcf86cd799439022'],
  ['rateImage', 'POST', '/api/v1/images/rate/507f1f77bcf86cd799439021', '{"rating": 1}'],
  ['listSnapshots', 'GET', `/api/v1/containers/${ALICE_CONTAINER}/snapshots`],
  ['createSnapshot', 'POST', `/api/v1/containers/${ALICE_CONTAINER}/snapshots`, '{"alias": "x"}'],
  ['restoreSnapshot', 'PATCH', SNAP],
  ['updateSnapshotAlias', 'PATCH', `${SNAP}/alias`, '{"alias": "y"}'],
  ['deleteSnapshot', 'DELETE', SNAP],
];
const credentials: [string, Record<string, string>][] = [
  ['no Authorization header', {}],
  ['the token without its scheme', { Authorization: 'alice-demo-token' }],
  ['an unknown token', { Authorization: 'Bearer mallory-token' }],
  ['an empty bearer token', { Authorization: 'Bearer' }],
  ['a lookalike token', { Authorization: 'Bearer alice-demo-token2' }],
];
const rows = secured.flatMap(([op, method, path, body]) => credentials.map(([how, headers]) => [op, how, method, path, body, headers] as const));

describe('secured operations', () => {
  it.each(rows)('%s with %s is a 401 and changes nothing', async (_op, _how, method, path, body, headers) => {
    const before = stateOf(server.store, server.fixture);
    const response = await server.raw(path, { method, headers: { ...headers, ...(body ? { 'Content-Type': 'application/json' } : {}) }, body });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(await response.json()).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Authentication required' });
    expect(stateOf(server.store, server.fixture)).toEqual(before);
  });

  it.each(secured.map(([op, method, path]) => [op, method, path] as const))('%s: 401 comes before input validation', async (_op, method, path) => {
    const broken = path.replace(ALICE_CONTAINER, 'not-an-id');
    const response = await server.raw(broken, { method, headers: { 'Content-Type': 'application/json' }, body: method === 'GET' ? undefined : '{"rating": 99}' });
    expect(response.status).toBe(401);
  });

  it('the scheme word is case-insensitive', async () => {
    expect((await server.raw('/api/v1/images/user', { headers: { Authorization: 'bearer alice-demo-token' } })).status).toBe(200);
  });
});

describe('public operations', () => {
  it.each([
    ['listPublicImages', '/api/v1/images/public'],
    ['getPublicImage', '/api/v1/images/public/507f1f77bcf86cd799439021'],
    ['getImageIcon', '/api/v1/images/507f1f77bcf86cd799439021/icon'],
  ])('%s answers with no token, and ignores an unknown one', async (_op, path) => {
    expect((await server.raw(path)).status).toBe(200);
    expect((await server.raw(path, { headers: { Authorization: 'Bearer mallory-token' } })).status).toBe(200);
  });
});
