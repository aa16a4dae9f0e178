// A `+` in a query is a space on every contract of the composed server, as the web writes queries
// (URLSearchParams, forms) and as the real services read them; an escaped plus stays a plus.
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, type Listening } from '../../test/helpers/listen.ts';
import { createReferenceServer } from '../contracts.ts';
import { plusAsSpace } from '../shared/form-query.ts';

const CHUTES_ALICE = 'cpk_a11ce5d3c2b14e0f9a8b7c6d5e4f3a21.3f1b2c4d5e6f4a7b8c9d0e1f2a3b4c5d.AliceDemoKey00000000000000000000';
let server: Listening;
beforeAll(async () => {
  server = await listen(createReferenceServer({ logger: pino({ level: 'silent' }), controlApi: false }));
});
afterAll(() => server.close());

describe('plusAsSpace', () => {
  it.each([
    ['a plus in a query value', '/a?q=x+y', '/a?q=x%20y'],
    ['several, in several values', '/a?q=x+y+z&r=+', '/a?q=x%20y%20z&r=%20'],
    ['an escaped plus stays', '/a?q=c%2B%2B', '/a?q=c%2B%2B'],
    ['a plus in the path is a plus', '/a+b/c?q=1', '/a+b/c?q=1'],
    ['no query', '/a+b', '/a+b'],
  ])('%s', (_what, url, expected) => {
    expect(plusAsSpace(url)).toBe(expected);
  });
});

describe('on the composed server', () => {
  it.each<[string, string, Record<string, string>]>([
    ['the images catalog search', '/api/v1/images/public?search=Jammy%20Jellyfish&limit=5', {}],
    ['a Chutes name filter', '/images/?name=python%20base', { authorization: CHUTES_ALICE }],
  ])('%s answers a + as it answers %%20', async (_what, escaped, headers) => {
    const expected = await server.raw(escaped, { headers });
    expect(expected.status).toBe(200);
    const plus = await server.raw(escaped.replaceAll('%20', '+'), { headers });
    expect(plus.status).toBe(200);
    expect(await plus.json()).toEqual(await expected.json());
  });
});
