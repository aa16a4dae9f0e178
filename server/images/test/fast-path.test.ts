// The fast path (validators compiled at start-up, validated answers kept until the store changes) must
// answer exactly as the full validation chain does, and still turn a broken answer into a 500.
import { request } from 'node:http';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { CatalogImage } from '../domain/model.ts';
import { loadDemoFixture } from '../store/fixture.ts';
import { MemoryStore } from '../store/memory-store.ts';
import { startServer, stateOf, type TestServer } from './helpers.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const ALICE = { authorization: 'Bearer alice-demo-token' };
// A GET that declares a body (content-length) never takes the fast path: the full chain answers it.
// Both sides go through node:http: fetch drops a zero content-length from a GET (so both sides were the
// fast path) and shows a 304 to a conditional request as a 200.
function get(baseUrl: string, path: string, headers: Record<string, string>, via: 'fast' | 'full chain') {
  return new Promise<{ status: number; contentType: string | undefined; text: string }>((resolve, reject) => {
    const req = request(`${baseUrl}${path}`, { headers: via === 'fast' ? headers : { ...headers, 'content-length': '0' } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], text }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('fast path', () => {
  it.each([
    ['the default page', '/api/v1/images/public', {}],
    ['a filtered, sorted page', '/api/v1/images/public?os=Ubuntu&architecture=amd64&max_price=10&sort_by=price&sort_order=asc&page=1&limit=5', {}],
    ['a search with escapes', '/api/v1/images/public?search=jammy%20lts&min_rating=1.5', {}],
    ['a search with a plus for a space (reserved: the chain refuses it)', '/api/v1/images/public?search=jammy+lts', {}],
    ['a search with an escaped plus', '/api/v1/images/public?search=c%2B%2B', {}],
    ['a search with a colon', '/api/v1/images/public?search=a:b', {}],
    ['a search with an equals sign', '/api/v1/images/public?search=a=b', {}],
    ['an escaped parameter name', '/api/v1/images/public?%73earch=jammy', {}],
    ['image details', '/api/v1/images/public/507f1f77bcf86cd799439021', {}],
    ['an unknown image (the handler, called directly, throws a domain error)', '/api/v1/images/public/no-such-image', {}],
    ['an escaped id', '/api/v1/images/public/507f1f77bcf86cd79943902%31', {}],
    ['a stranger\'s container', '/api/v1/containers/507f1f77bcf86cd799439012/snapshots', { authorization: 'Bearer bob-demo-token' }],
    ['the caller\'s images', '/api/v1/images/user?limit=3&page=2', ALICE],
    ['a container\'s snapshots', '/api/v1/containers/507f1f77bcf86cd799439011/snapshots', ALICE],
    ['an invalid limit', '/api/v1/images/public?limit=500', {}],
    ['an unknown parameter', '/api/v1/images/public?colour=red', {}],
    ['no token', '/api/v1/images/user', {}],
    ['a conditional request (If-None-Match: * makes even an untagged answer fresh)', '/api/v1/images/public', { 'if-none-match': '*' }],
    ['a conditional request by date', '/api/v1/images/public/507f1f77bcf86cd799439021', { 'if-modified-since': 'Thu, 26 Nov 2026 10:00:00 GMT' }],
  ] as const)('%s: the same status and body as the full chain', async (_name, path, headers) => {
    server = await startServer();
    const fast = await get(server.baseUrl, path, headers, 'fast');
    const full = await get(server.baseUrl, path, headers, 'full chain');
    expect(fast).toEqual(full);
  });

  it('a cached list changes as soon as a rating does', async () => {
    server = await startServer();
    const list = async () => ((await (await server!.raw('/api/v1/images/public?sort_by=rating&limit=100')).json()) as { data: { images: { id: string; rating_count: number }[] } }).data.images;
    const countOf = async (id: string) => (await list()).find((i) => i.id === id)?.rating_count;
    const before = await countOf('507f1f77bcf86cd799439022');
    expect(await countOf('507f1f77bcf86cd799439022')).toBe(before); // now served from the cache
    const rated = await server.raw('/api/v1/images/rate/507f1f77bcf86cd799439022', { method: 'POST', headers: { ...ALICE, 'content-type': 'application/json' }, body: '{"rating": 1}' });
    expect(rated.status).toBe(200);
    expect(await countOf('507f1f77bcf86cd799439022')).toBe((before ?? 0) + 1);
  });

  it.each([
    ['a negative size', { size: -1 }],
    ['a date that does not exist (checked in full, not by pattern alone)', { addedDate: '2026-02-30T00:00:00.000Z' }],
    ['an hour that does not exist', { addedDate: '2026-01-10T24:00:00.000Z' }],
  ] as const)('a list holding an image with %s breaks the schema: a 500, every time', async (_name, change) => {
    // The same broken image object on every call: its summary is the same frozen object each time, so
    // a remembered verdict (remembered-verdicts.ts) would show here as a 200 on the second request.
    const broken = new WeakMap<CatalogImage, CatalogImage>();
    class BrokenList extends MemoryStore {
      override catalogInOrder(...args: Parameters<MemoryStore['catalogInOrder']>): readonly CatalogImage[] {
        return super.catalogInOrder(...args).map((image, at) => {
          if (at > 0) return image; // one broken image: the others pass, and must not hide it
          if (!broken.has(image)) broken.set(image, { ...image, ...change });
          return broken.get(image) as CatalogImage;
        });
      }
    }
    server = await startServer({ store: new BrokenList(loadDemoFixture()) });
    for (let i = 0; i < 3; i++) {
      const response = await server.raw('/api/v1/images/public');
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'Failed to retrieve public images' });
    }
  });
});

// The same body sent with a content-length (the fast path's case) or chunked (always the full chain).
function send(baseUrl: string, method: string, path: string, headers: Record<string, string>, body: string | Buffer, via: 'fast' | 'full chain') {
  return new Promise<{ status: number; contentType: string | undefined; text: string }>((resolve, reject) => {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    const framing = via === 'fast' ? { 'content-length': String(bytes.length) } : { 'transfer-encoding': 'chunked' };
    const req = request(`${baseUrl}${path}`, { method, headers: { ...headers, ...framing } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], text }));
    });
    req.on('error', reject);
    req.end(bytes);
  });
}

describe('fast path with a JSON body', () => {
  const JSON_ALICE = { ...ALICE, 'content-type': 'application/json' };
  const RATE = '/api/v1/images/rate/507f1f77bcf86cd799439021';
  const ALIAS = '/api/v1/containers/507f1f77bcf86cd799439011/snapshots/snap-20250115-103000/alias';
  it.each([
    ['a rating', 'POST', RATE, JSON_ALICE, '{"rating": 4}'],
    ['a fractional rating, with the charset named', 'POST', RATE, { ...ALICE, 'content-type': 'application/json; charset=UTF-8' }, '{"rating": 4.5}'],
    ['a rating out of range', 'POST', RATE, JSON_ALICE, '{"rating": 7}'],
    ['a rating as text', 'POST', RATE, JSON_ALICE, '{"rating": "4"}'],
    ['an unknown field', 'POST', RATE, JSON_ALICE, '{"rating": 4, "colour": "red"}'],
    ['an array for the body', 'POST', RATE, JSON_ALICE, '[4]'],
    ['malformed JSON', 'POST', RATE, JSON_ALICE, '{"rating": '],
    ['an empty body', 'POST', RATE, JSON_ALICE, ''],
    ['bytes that are not UTF-8', 'POST', RATE, JSON_ALICE, Buffer.from([0x7b, 0x22, 0x72, 0xff, 0x22, 0x3a, 0x31, 0x7d])],
    ['a NUL in a key', 'POST', RATE, JSON_ALICE, '{"rating": 4, "a\\u0000": 1}'],
    ['a body over the limit', 'POST', RATE, JSON_ALICE, `{"rating": 4, "pad": "${'x'.repeat(1_100_000)}"}`],
    ['JSON nested 10,000 deep', 'POST', RATE, JSON_ALICE, `${'['.repeat(10_000)}${']'.repeat(10_000)}`],
    ['text/plain', 'POST', RATE, { ...ALICE, 'content-type': 'text/plain' }, '{"rating": 4}'],
    ['another charset', 'POST', RATE, { ...ALICE, 'content-type': 'application/json; charset=latin1' }, '{"rating": 4}'],
    ['no token', 'POST', RATE, { 'content-type': 'application/json' }, '{"rating": 4}'],
    ['an unknown image', 'POST', '/api/v1/images/rate/507f1f77bcf86cd799439099', JSON_ALICE, '{"rating": 4}'],
    ['an id that is not one', 'POST', '/api/v1/images/rate/nope', JSON_ALICE, '{"rating": 4}'],
    ['a new alias', 'PATCH', ALIAS, JSON_ALICE, '{"alias": "before upgrade"}'],
    ['an alias removed', 'PATCH', ALIAS, JSON_ALICE, '{"alias": null}'],
    ['a NUL in an alias', 'PATCH', ALIAS, JSON_ALICE, '{"alias": "before\\u0000after"}'],
    ['an alias too long', 'PATCH', ALIAS, JSON_ALICE, `{"alias": "${'a'.repeat(101)}"}`],
    ['an alias on a stranger\'s container', 'PATCH', ALIAS, { ...JSON_ALICE, authorization: 'Bearer bob-demo-token' }, '{"alias": "mine"}'],
  ] as const)('%s: the same status and body as the full chain, and the same state after', async (_name, method, path, headers, body) => {
    // Each side on a server of its own: a write on one must not change what the other answers.
    const fast = await startServer();
    const full = await startServer();
    try {
      const fastAnswer = await send(fast.baseUrl, method, path, headers, body, 'fast');
      const fullAnswer = await send(full.baseUrl, method, path, headers, body, 'full chain');
      expect(fastAnswer).toEqual(fullAnswer);
      expect(stateOf(fast.store, fast.fixture)).toEqual(stateOf(full.store, full.fixture));
    } finally {
      await fast.close();
      await full.close();
    }
  });

  it('a rating through the fast path shows in the next list', async () => {
    server = await startServer();
    const count = async () => ((await (await server!.raw('/api/v1/images/public/507f1f77bcf86cd799439022')).json()) as { data: { rating_count: number } }).data.rating_count;
    const before = await count();
    const rated = await send(server.baseUrl, 'POST', '/api/v1/images/rate/507f1f77bcf86cd799439022', { ...ALICE, 'content-type': 'application/json' }, '{"rating": 2}', 'fast');
    expect(rated.status).toBe(200);
    expect(await count()).toBe(before + 1);
  });
});

describe('fast path and full chain agree on generated requests', () => {
  // Query parts made of the parameters' names and values that sit on every edge the two paths read:
  // escapes, reserved characters, signs, exponents, empty values, unknown and repeated names.
  const names = ['os', 'architecture', 'min_price', 'max_price', 'min_rating', 'max_rating', 'search', 'page', 'limit', 'sort_by', 'sort_order', 'colour', 'Page', '%70age'];
  const pieces = ['ubuntu', 'Ubuntu', 'amd64', 'arm64', '1', '2', '0', '-1', '5.5', '1e1', '.5', '20', '100', '101', 'price', 'rating', 'alias', 'added_date', 'asc', 'desc', 'DESC', '%20', '%2B', '+', ':', '=', '%', '%FF', '%00', '%C3%A9', 'é', '', 'true', ' '];
  const part = fc.tuple(fc.constantFrom(...names), fc.array(fc.constantFrom(...pieces), { maxLength: 3 }), fc.boolean()).map(([name, value, bare]) => (bare && value.length === 0 ? name : `${name}=${value.join('')}`));
  const query = fc.array(part, { maxLength: 4 }).map((parts) => (parts.length === 0 ? '' : `?${parts.join('&')}`));
  const paths = fc.oneof(
    query.map((q) => ({ path: `/api/v1/images/public${q}`, headers: {} })),
    query.map((q) => ({ path: `/api/v1/images/user${q}`, headers: ALICE })),
    fc.constantFrom('507f1f77bcf86cd799439021', '507f1f77bcf86cd79943902%31', '507F1F77BCF86CD799439021', 'nope', '%00', '%E0%A4%A', '..').map((id) => ({ path: `/api/v1/images/public/${id}`, headers: {} })),
  );

  it('300 generated GETs: the same status and body both ways', async () => {
    server = await startServer();
    const base = server.baseUrl;
    await fc.assert(
      fc.asyncProperty(paths, async ({ path, headers }) => {
        const fast = await get(base, path, headers, 'fast');
        const full = await get(base, path, headers, 'full chain');
        expect({ path, ...fast }).toEqual({ path, ...full });
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('200 generated bodies for a rating and an alias: the same answers both ways, and the same state', async () => {
    // Two servers fed the same sequence, one through the fast path and one through the chain.
    const fastServer = await startServer();
    const fullServer = await startServer();
    const value = fc.oneof(
      fc.constantFrom(0, 4, 4.5, 5, 5.01, -1, 1e400, 3.3333, '4', null, true, [], {}, 'x'.repeat(101), 'before\u0000after', 'snap'),
      fc.jsonValue({ maxDepth: 2 }),
    );
    const body = fc.oneof(
      fc.record({ rating: value }, { requiredKeys: [] }),
      fc.record({ rating: value, colour: value }, { requiredKeys: ['rating'] }),
      fc.record({ alias: value }, { requiredKeys: [] }),
      value,
    );
    const target = fc.constantFrom(
      { method: 'POST', path: '/api/v1/images/rate/507f1f77bcf86cd799439021' },
      { method: 'POST', path: '/api/v1/images/rate/507f1f77bcf86cd799439099' },
      { method: 'PATCH', path: '/api/v1/containers/507f1f77bcf86cd799439011/snapshots/snap-20250115-103000/alias' },
      { method: 'PATCH', path: '/api/v1/containers/507f1f77bcf86cd799439012/snapshots/snap-20250112-090000/alias' },
    );
    const headers = { ...ALICE, 'content-type': 'application/json' };
    try {
      await fc.assert(
        fc.asyncProperty(target, body, async ({ method, path }, json) => {
          const text = JSON.stringify(json) ?? '';
          const fast = await send(fastServer.baseUrl, method, path, headers, text, 'fast');
          const full = await send(fullServer.baseUrl, method, path, headers, text, 'full chain');
          expect({ path, sent: text, ...fast }).toEqual({ path, sent: text, ...full });
        }),
        { numRuns: 200, seed: 11 },
      );
      expect(stateOf(fastServer.store, fastServer.fixture)).toEqual(stateOf(fullServer.store, fullServer.fixture));
    } finally {
      await fastServer.close();
      await fullServer.close();
    }
  });
});
