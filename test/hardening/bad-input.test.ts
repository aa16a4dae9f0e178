// The bad input catalogue: each request is a 4xx in the contract's error shape with nothing internal in
// it, the server answers normally afterwards, and the state seen through the API has not changed.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE_CONTAINER, startServer, stateOf, type TestServer } from '../../server/images/test/helpers.ts';
import { ALICE, expectContractError, stateThroughApi } from './helpers.ts';

const RATE = '/api/v1/images/rate/507f1f77bcf86cd799439021';
const SNAPSHOTS = `/api/v1/containers/${ALICE_CONTAINER}/snapshots`;
const ALIAS = `${SNAPSHOTS}/snap-20250115-103000/alias`;
const JSON_BODY = { authorization: ALICE, 'content-type': 'application/json' };

interface Case {
  method?: string;
  /** Sent byte for byte (no URL normalisation), so broken escapes reach the server as written. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

const invalidUtf8Alias = Buffer.concat([Buffer.from('{"alias": "bad'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]);

const cases: [string, Case][] = [
  ['malformed JSON', { method: 'POST', path: RATE, headers: JSON_BODY, body: '{"rating": 4,' }],
  ['a 10 MB body', { method: 'POST', path: RATE, headers: JSON_BODY, body: JSON.stringify({ rating: 4, pad: 'x'.repeat(10 * 2 ** 20) }) }],
  ['JSON nested 10,000 deep (arrays)', { method: 'POST', path: RATE, headers: JSON_BODY, body: `{"rating": ${'['.repeat(10_000)}4${']'.repeat(10_000)}}` }],
  ['JSON nested 10,000 deep (objects)', { method: 'PATCH', path: ALIAS, headers: JSON_BODY, body: `{"alias": ${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}` }],
  ['__proto__ key in the body', { method: 'POST', path: RATE, headers: JSON_BODY, body: '{"rating": 4, "__proto__": {"admin": true}}' }],
  ['constructor key in the body', { method: 'POST', path: SNAPSHOTS, headers: JSON_BODY, body: '{"constructor": {"prototype": {"admin": true}}}' }],
  ['__proto__ key in the query', { path: '/api/v1/images/public?__proto__[admin]=1' }],
  ['constructor key in the query', { path: '/api/v1/images/public?constructor[prototype][admin]=1' }],
  ['NUL in a body string', { method: 'PATCH', path: ALIAS, headers: JSON_BODY, body: '{"alias": "a\\u0000b"}' }],
  ['NUL in a query string', { path: '/api/v1/images/public?search=ubu%00ntu' }],
  ['NUL in a path id', { path: `/api/v1/containers/507f1f77bcf86cd79943901%00/snapshots`, headers: { authorization: ALICE } }],
  ['NUL in an image id', { path: '/api/v1/images/public/507f1f77bcf86cd799439021%00' }],
  ['invalid UTF-8 in a body string', { method: 'PATCH', path: ALIAS, headers: JSON_BODY, body: invalidUtf8Alias }],
  ['invalid UTF-8 in a query string', { path: '/api/v1/images/public?search=%FF%FEubuntu' }],
  ['invalid UTF-8 in a path', { path: '/api/v1/images/public/%FF%FE' }],
  ['invalid UTF-8 in a snapshot name', { method: 'DELETE', path: `${SNAPSHOTS}/snap-%C3%28`, headers: { authorization: ALICE } }],
  ['an over-long image id', { path: `/api/v1/images/public/${'a'.repeat(8000)}` }],
  ['an over-long container id', { path: `/api/v1/containers/${'a'.repeat(8000)}/snapshots`, headers: { authorization: ALICE } }],
  ['an over-long purchase id', { method: 'POST', path: `/api/v1/images/purchase/${'9'.repeat(8000)}`, headers: { authorization: ALICE } }],
  ['an array where a scalar belongs (limit[])', { path: '/api/v1/images/public?limit[]=5' }],
  ['an object where a scalar belongs (os[x])', { path: '/api/v1/images/public?os[x]=ubuntu' }],
  ['duplicate query keys (limit)', { path: '/api/v1/images/public?limit=5&limit=10' }],
  ['duplicate query keys (sort_by)', { path: '/api/v1/images/public?sort_by=price&sort_by=alias' }],
  ['a wrong content type (text/plain)', { method: 'POST', path: RATE, headers: { authorization: ALICE, 'content-type': 'text/plain' }, body: '{"rating": 4}' }],
  ['a wrong content type (form)', { method: 'POST', path: RATE, headers: { authorization: ALICE, 'content-type': 'application/x-www-form-urlencoded' }, body: 'rating=4' }],
  ['a huge Authorization header (12 KB)', { path: '/api/v1/images/user', headers: { authorization: `Bearer ${'a'.repeat(12_000)}` } }],
  ['a huge header (64 KB)', { path: '/api/v1/images/public', headers: { 'x-padding': 'a'.repeat(64 * 1024) } }],
];

/** node:http rather than fetch: fetch would re-encode the path and refuse some of these headers. */
function send(base: string, c: Case): Promise<{ status: number; text: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, method: c.method ?? 'GET', path: c.path, headers: { ...c.headers, ...(c.body !== undefined ? { 'content-length': Buffer.byteLength(c.body) } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(c.body);
  });
}

let server: TestServer;
let before: Awaited<ReturnType<typeof stateThroughApi>>;
let storeBefore: ReturnType<typeof stateOf>;

beforeAll(async () => {
  server = await startServer();
  before = await stateThroughApi(server);
  storeBefore = stateOf(server.store, server.fixture);
});
afterAll(() => server.close());

describe('bad input catalogue', () => {
  it.each(cases)('%s: a 4xx in the contract shape, nothing internal, server up, state unchanged', async (name, c) => {
    try {
      const { status, text } = await send(server.baseUrl, c);
      expectContractError(status, text, name);
      const health = await server.raw('/api/v1/images/public?limit=1');
      expect(health.status).toBe(200);
      expect(await stateThroughApi(server)).toEqual(before);
      expect(stateOf(server.store, server.fixture)).toEqual(storeBefore);
    } finally {
      await server.raw('/__control/images/reset', { method: 'POST' }); // one failing case must not fail the next
    }
  });
});
