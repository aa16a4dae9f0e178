// The MSW handlers of the images contract under msw/node, called through the generated typed client:
// the default example, named examples chosen by the request (query, path, body, caller), Prefer, and
// typed overrides. Expected bodies are read from the bundle, not from the handlers' own model.
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../../generated/images/client.ts';
import type { paths } from '../../../generated/images/schema.d.ts';
import spec from '../../../generated/images/openapi.json' with { type: 'json' };
import { createMockHandlers, createTypedHttp, type Credential } from '../index.ts';
import { exampleOf } from './examples.ts';

const BASE = 'http://images.api.test';
const ALICE = 'alice-demo-token';
const BOB = 'bob-demo-token';
const credentials: Credential[] = [
  { role: 'owner', kind: 'token', value: ALICE },
  { role: 'other', kind: 'token', value: BOB },
];
const server = setupServer(...createMockHandlers(spec, { baseUrl: BASE, credentials }));
const http = createTypedHttp<paths>({ baseUrl: BASE });

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

// openapi-fetch takes globalThis.fetch when the client is made: after listen(), MSW's.
const client = (token?: string) => createClient({ baseUrl: BASE, token });
const IMAGE = '507f1f77bcf86cd799439021';
const PAID = '507f1f77bcf86cd799439022';
const MISSING = '507f1f77bcf86cd799439099';

type Call = (token?: string) => Promise<{ response: Response; data?: unknown; error?: unknown }>;

describe('MSW handlers of the images contract, through the typed client', () => {
  it.each<[string, Call, string | undefined, string, string]>([
    ['the default example when the request names no case', (t) => client(t).GET('/api/v1/images/public'), undefined, 'listPublicImages', 'default-page'],
    ['the case its query pairs with', (t) => client(t).GET('/api/v1/images/public', { params: { query: { search: 'jammy' } } }), undefined, 'listPublicImages', 'search-jammy'],
    ['the case its path pairs with', (t) => client(t).GET('/api/v1/images/public/{id}', { params: { path: { id: MISSING } } }), undefined, 'getPublicImage', 'not-found'],
    ['the case its body pairs with', (t) => client(t).POST('/api/v1/images/rate/{id}', { params: { path: { id: IMAGE } }, body: { rating: 7 } }), ALICE, 'rateImage', 'out-of-range'],
    ["the case of the caller's role (other)", (t) => client(t).POST('/api/v1/images/purchase/{id}', { params: { path: { id: '507f1f77bcf86cd799439023' } } }), BOB, 'purchaseImage', 'insufficient-balance'],
    ["the case of the caller's role (owner)", (t) => client(t).POST('/api/v1/images/import/{id}', { params: { path: { id: IMAGE } } }), ALICE, 'importImage', 'already-imported'],
    ['the no-credentials case without a token', (t) => client(t).GET('/api/v1/images/user'), undefined, 'listUserImages', 'no-token'],
    ['the default of a secured operation with a token', (t) => client(t).GET('/api/v1/images/user'), ALICE, 'listUserImages', 'owner-images'],
    ['the path case of a purchase', (t) => client(t).POST('/api/v1/images/purchase/{id}', { params: { path: { id: PAID } } }), ALICE, 'purchaseImage', 'paid-image'],
  ])('answers %s', async (_, call, token, operationId, key) => {
    const expected = exampleOf(spec, operationId, key);
    const { response, data, error } = await call(token);
    expect(response.status).toBe(expected.status);
    expect(response.headers.get('content-type')).toBe(expected.mediaType);
    expect(data ?? error).toEqual(expected.value);
  });

  it.each<[string, Record<string, string>, string, string]>([
    ['Prefer: code=500 answers the first 500 example', { prefer: 'code=500' }, '', 'server-error'],
    ['Prefer: example=<key> answers that example whatever the query', { prefer: 'example=search-jammy' }, '?os=ubuntu', 'search-jammy'],
    ['Prefer: code=400, example=<key> together', { prefer: 'code=400, example=rating-out-of-range' }, '', 'rating-out-of-range'],
    ['?__example=<key> for clients that cannot set headers', {}, '?__example=ubuntu-amd64', 'ubuntu-amd64'],
    ['?__code=400', {}, '?__code=400', 'rating-out-of-range'],
  ])('%s', async (_, headers, search, key) => {
    const expected = exampleOf(spec, 'listPublicImages', key);
    const response = await fetch(`${BASE}/api/v1/images/public${search}`, { headers });
    expect(response.status).toBe(expected.status);
    expect(await response.json()).toEqual(expected.value);
  });

  it.each<[string, Record<string, string>, string, number, RegExp]>([
    ['an unknown example is a 404 naming the known keys', { prefer: 'example=nope' }, 'GET', 404, /no example named 'nope' \(known: default-page, .*search-jammy/],
    ['an undocumented status is that status in the error shape', { prefer: 'code=503' }, 'GET', 503, /documents no 503 answer/],
    ['a method the path does not serve is a 405 with Allow', {}, 'DELETE', 405, /DELETE is not allowed/],
  ])('%s', async (_, headers, method, status, message) => {
    const response = await fetch(`${BASE}/api/v1/images/public`, { method, headers });
    expect(response.status).toBe(status);
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['error', 'message', 'statusCode']);
    expect(body.statusCode).toBe(status);
    expect(body.message).toMatch(message);
    if (status === 405) expect(response.headers.get('allow')).toBe('GET');
  });

  it('lets a typed override answer instead of the examples, until the handlers are reset', async () => {
    const rated = { new_rating: 4, average_rating: 4.5, rating_count: 2 };
    server.use(
      http.post('/api/v1/images/rate/{id}', async ({ params, request, response }) => {
        const { rating } = await request.json();
        if (params.id !== IMAGE) return response(404).json({ statusCode: 404, error: 'Not Found', message: `no image ${params.id}` });
        return response(200).json({ statusCode: 200, message: 'Rated', data: { ...rated, new_rating: rating } });
      }),
    );
    const ok = await client(ALICE).POST('/api/v1/images/rate/{id}', { params: { path: { id: IMAGE } }, body: { rating: 3 } });
    expect(ok.data?.data).toEqual({ ...rated, new_rating: 3 });
    const missing = await client(ALICE).POST('/api/v1/images/rate/{id}', { params: { path: { id: MISSING } }, body: { rating: 3 } });
    expect([missing.response.status, missing.error]).toEqual([404, { statusCode: 404, error: 'Not Found', message: `no image ${MISSING}` }]);
    // Other operations still answer from the examples.
    expect((await client().GET('/api/v1/images/public')).data).toEqual(exampleOf(spec, 'listPublicImages', 'default-page').value);

    server.resetHandlers();
    const back = await client(ALICE).POST('/api/v1/images/rate/{id}', { params: { path: { id: IMAGE } }, body: { rating: 3 } });
    expect(back.data).toEqual(exampleOf(spec, 'rateImage', 'rate-again').value);
  });

  it('leaves requests outside the spec to MSW (unhandled), and answers only under its base URL', async () => {
    const unhandled: string[] = [];
    const other = setupServer(...createMockHandlers(spec, { baseUrl: `${BASE}/` }));
    server.close();
    other.listen({ onUnhandledRequest: (request) => void unhandled.push(new URL(request.url).pathname) });
    try {
      await fetch(`${BASE}/not/in/the/spec`).catch(() => undefined);
      await fetch(`http://elsewhere.test/api/v1/images/public`).catch(() => undefined);
      expect(unhandled).toEqual(['/not/in/the/spec', '/api/v1/images/public']);
      expect((await fetch(`${BASE}/api/v1/images/public`)).status).toBe(200);
    } finally {
      other.close();
      server.listen({ onUnhandledRequest: 'error' });
    }
  });
});
