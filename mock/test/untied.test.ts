// The mock on a spec that pairs examples by name only (spec-conventions/pairing.ts): an example no
// request part names is untied, so no request gets it unless Prefer asks for it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startMock, type Running } from './helpers.ts';

let mock: Running;
beforeAll(async () => {
  mock = await startMock({ specPath: 'mock/test/fixtures/untied/openapi.yaml', watch: false });
});
afterAll(async () => {
  await mock.close();
});

describe('untied examples in a spec that pairs by name only', () => {
  it.each<{ when: string; path: string; headers: Record<string, string>; status: number; body: unknown }>([
    { when: 'a request naming an example by a part gets that example', path: '/items?q=apple', headers: {}, status: 200, body: ['apple'] },
    { when: 'a request naming none gets the default success, not the untied 404', path: '/items', headers: {}, status: 200, body: ['apple'] },
    { when: 'Prefer still reaches the untied 404', path: '/items', headers: { prefer: 'example=nothing' }, status: 404, body: { message: 'nothing matched' } },
  ])('$when', async ({ path, headers, status, body }) => {
    const reply = await call(mock.url, 'GET', path, { headers });
    expect(reply.status).toBe(status);
    expect(reply.body).toEqual(body);
  });
});
