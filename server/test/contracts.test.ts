// npm start serves every contract on one port: each answers its own paths in its own shape, and a path
// no contract owns is the first contract's 404.
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, type Listening } from '../../test/helpers/listen.ts';
import { createReferenceServer } from '../contracts.ts';

const ALICE_CHUTES_KEY = 'cpk_a11ce5d3c2b14e0f9a8b7c6d5e4f3a21.3f1b2c4d5e6f4a7b8c9d0e1f2a3b4c5d.AliceDemoKey00000000000000000000';
let server: Listening;
let base: string;

beforeAll(async () => {
  server = await listen(createReferenceServer({ logger: pino({ level: 'silent' }), controlApi: true }));
  base = server.baseUrl;
});
afterAll(() => server.close());

describe('one port, three contracts', () => {
  it.each<[string, string, Record<string, string>, number, (body: any) => void]>([ // eslint-disable-line @typescript-eslint/no-explicit-any -- bodies of three contracts
    ['the images catalog', '/api/v1/images/public?limit=1', {}, 200, (b) => expect(b.data.pagination.total).toBe(87)],
    ['the images contract refuses a missing token in its shape', '/api/v1/images/user', {}, 401, (b) => expect(b).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Authentication required' })],
    ['StackRox counts its images', '/v1/imagescount', { Authorization: 'Bearer admin-demo-token' }, 200, (b) => expect(b.count).toBeGreaterThan(0)],
    ['StackRox refuses in its own error shape', '/v1/imagescount', {}, 401, (b) => expect(Object.keys(b).sort()).toEqual(['code', 'details', 'error', 'message'])],
    ['Chutes lists the caller\'s images', '/images/', { Authorization: ALICE_CHUTES_KEY }, 200, (b) => expect(b.items.length).toBeGreaterThan(0)],
    ['Chutes refuses in FastAPI\'s shape', '/images/', {}, 401, (b) => expect(Object.keys(b)).toEqual(['detail'])],
    ['a path no contract owns', '/v2/nothing', {}, 404, (b) => expect(b).toMatchObject({ statusCode: 404, error: 'Not Found' })],
  ])('%s', async (_what, path, headers, status, check) => {
    const res = await fetch(`${base}${path}`, { headers });
    expect(res.status).toBe(status);
    check(await res.json());
  });

  it.each(['/docs', '/stackrox/docs', '/chutes/docs'])('serves the docs of each contract at %s', async (path) => {
    const res = await fetch(`${base}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
  });

  it.each(['/__control/reset', '/__control/stackrox/reset', '/__control/chutes/reset'])('resets each contract with POST %s', async (path) => {
    const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(204);
  });
});
