// CORS on the composed server, as the mock answers it: preflights without credentials, the requested
// headers allowed, answers readable by the page with credentials, the documented headers exposed.
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, type Listening } from '../../test/helpers/listen.ts';
import { createReferenceServer } from '../contracts.ts';
import { readConfig } from '../shared/config.ts';
import { documentedResponseHeaders, methodsByPath } from '../shared/cors.ts';

const ORIGIN = 'http://localhost:5173';
const CHUTES_ALICE = 'cpk_a11ce5d3c2b14e0f9a8b7c6d5e4f3a21.3f1b2c4d5e6f4a7b8c9d0e1f2a3b4c5d.AliceDemoKey00000000000000000000';
let on: Listening;
let off: Listening;

beforeAll(async () => {
  on = await listen(createReferenceServer({ logger: pino({ level: 'silent' }), controlApi: true, cors: true }));
  off = await listen(createReferenceServer({ logger: pino({ level: 'silent' }), controlApi: true, cors: false }));
});
afterAll(async () => {
  await on.close();
  await off.close();
});

const preflight = (server: Listening, path: string, method: string, headers = 'authorization, content-type') =>
  server.raw(path, { method: 'OPTIONS', headers: { origin: ORIGIN, 'access-control-request-method': method, 'access-control-request-headers': headers } });

describe('a preflight, which carries no credentials', () => {
  it.each([
    ['the images PUT the published client sends', '/api/v1/containers/507f1f77bcf86cd799439011/snapshots/snap-20250115-103000', 'PUT', ['PATCH', 'PUT', 'DELETE']],
    ['the images alias update', '/api/v1/containers/507f1f77bcf86cd799439011/snapshots/snap-20250115-103000/alias', 'PATCH', ['PATCH', 'PUT']],
    ['a StackRox scan (the path also reads as GET /v1/images/{id})', '/v1/images/scan', 'POST', ['GET', 'POST']],
    ['a Chutes delete', '/images/5b1c8e9f-3a2d-4c7e-9f1a-2b3c4d5e6f70', 'DELETE', ['GET', 'DELETE']],
  ])('for %s is a 204 allowing the origin, credentials, the requested headers and the path\'s methods', async (_what, path, method, methods) => {
    const res = await preflight(on, path, method, 'authorization, content-type, prefer');
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(res.headers.get('access-control-allow-headers')).toBe('authorization, content-type, prefer');
    expect(res.headers.get('access-control-allow-methods')!.split(', ').sort()).toEqual([...methods].sort());
    expect(res.headers.get('vary')).toMatch(/Origin/);
  });

  it.each([
    ['the control API (a foreign page must not reset the demo data)', '/__control/reset', 'POST'],
    ['a path no contract documents', '/v2/nothing', 'GET'],
  ])('is not answered for %s', async (_what, path, method) => {
    const res = await preflight(on, path, method);
    expect(res.status).not.toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('is refused with 405 when CORS is off, as before', async () => {
    const res = await preflight(off, '/api/v1/images/user', 'GET');
    expect(res.status).toBe(405);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('an answer to a page on another origin', () => {
  it.each([
    ['an images 401', '/api/v1/images/user', {}, 401, ['WWW-Authenticate']],
    ['an images list', '/api/v1/images/public?limit=1', {}, 200, ['WWW-Authenticate']],
    ['a StackRox count', '/v1/imagescount', { authorization: 'Bearer admin-demo-token' }, 200, ['Cache-Control', 'WWW-Authenticate']],
    ['a Chutes list', '/images/', { authorization: CHUTES_ALICE }, 200, ['Content-Disposition']],
  ])('%s lets the page read it and the headers its contracts document', async (_what, path, headers, status, exposed) => {
    const res = await on.raw(path, { headers: { origin: ORIGIN, ...headers } });
    expect(res.status).toBe(status);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    const listed = res.headers.get('access-control-expose-headers')!.split(', ');
    for (const name of exposed) expect(listed).toContain(name);
    expect(listed).not.toContain('*'); // no wildcard: a request with credentials would take it literally
  });

  it.each([
    ['without an Origin (not a browser page)', () => on, {}],
    ['with CORS off', () => off, { origin: ORIGIN }],
  ])('carries no CORS headers %s', async (_what, server, headers) => {
    const res = await server().raw('/api/v1/images/public?limit=1', { headers });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('reading the contract', () => {
  const spec = {
    paths: {
      '/a/{id}': {
        get: { responses: { '200': { headers: { 'X-Rate-Limit': {} } }, '401': { $ref: '#/components/responses/Unauthorized' } } },
        put: { responses: { '200': { description: 'no headers' } } },
      },
      '/b': { post: { responses: { '201': { headers: { Location: {}, 'x-rate-limit': {} } } } } },
    },
    components: { responses: { Unauthorized: { headers: { 'WWW-Authenticate': {} } } } },
  };

  it('collects every documented response header once, references followed', () => {
    expect(documentedResponseHeaders(spec).map((h) => h.toLowerCase()).sort()).toEqual(['location', 'www-authenticate', 'x-rate-limit']);
  });

  it('knows the methods of a concrete path', () => {
    const methodsOf = methodsByPath([spec]);
    expect(methodsOf('/a/42')).toEqual(['GET', 'PUT']);
    expect(methodsOf('/a/42/more')).toEqual([]);
  });
});

describe('the CORS setting', () => {
  it.each([
    ['on by default for local use', {}, true],
    ['CORS=0 turns it off', { CORS: '0' }, false],
    ['off under NODE_ENV=production', { NODE_ENV: 'production' }, false],
    ['CORS=1 turns it on in production', { NODE_ENV: 'production', CORS: '1' }, true],
  ])('%s', (_what, env, cors) => {
    expect(readConfig(env).cors).toBe(cors);
  });
});
