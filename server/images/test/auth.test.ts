// Bearer auth, per operation: a 401 with WWW-Authenticate: Bearer comes before anything else is looked
// at, the scheme word's case does not matter, and the public catalog ignores tokens. The catalogue of
// refused credentials on every secured operation is test/hardening/auth.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE_CONTAINER, startServer, type TestServer } from './helpers.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const SNAP = `/api/v1/containers/${ALICE_CONTAINER}/snapshots/snap-20250115-103000`;
const secured: [string, string, string][] = [
  ['listUserImages', 'GET', '/api/v1/images/user'],
  ['importImage', 'POST', '/api/v1/images/import/507f1f77bcf86cd799439021'],
  ['purchaseImage', 'POST', '/api/v1/images/purchase/507f1f77bcf86cd799439022'],
  ['rateImage', 'POST', '/api/v1/images/rate/507f1f77bcf86cd799439021'],
  ['listSnapshots', 'GET', `/api/v1/containers/${ALICE_CONTAINER}/snapshots`],
  ['createSnapshot', 'POST', `/api/v1/containers/${ALICE_CONTAINER}/snapshots`],
  ['restoreSnapshot', 'PATCH', SNAP],
  ['updateSnapshotAlias', 'PATCH', `${SNAP}/alias`],
  ['deleteSnapshot', 'DELETE', SNAP],
];

describe('secured operations', () => {
  it.each(secured)('%s: 401 comes before input validation', async (_op, method, path) => {
    const broken = path.replace(ALICE_CONTAINER, 'not-an-id');
    const response = await server.raw(broken, { method, headers: { 'Content-Type': 'application/json' }, body: method === 'GET' ? undefined : '{"rating": 99}' });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(await response.json()).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Authentication required' });
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
