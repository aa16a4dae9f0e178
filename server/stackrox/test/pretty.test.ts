// `?pretty` (present with any value or none) indents JSON answers, errors included, as the service does;
// the NDJSON export stays one line per result.
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, TOKENS, type TestServer } from './helpers.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const ADMIN = { authorization: `Bearer ${TOKENS.admin}` };

describe('?pretty', () => {
  it.each([
    ['a list', '/v1/images', '?pretty', 200],
    ['a list, pretty with a value', '/v1/images?query=Image%20OS:debian', '&pretty=false', 200],
    ['a count', '/v1/imagescount', '?pretty=1', 200],
    ['an unknown image (an error answer)', '/v1/images/sha256:0000', '?pretty', 404],
    ['a malformed query (a 400 from the domain)', '/v1/images?query=Image', '&pretty', 400],
    ['watched images', '/v1/watchedimages', '?pretty', 200],
  ] as const)('%s: the same value, indented by two spaces', async (_name, path, pretty, status) => {
    server = await startServer();
    const plain = await server.raw(path, { headers: ADMIN });
    const indented = await server.raw(`${path}${pretty}`, { headers: ADMIN });
    expect([plain.status, indented.status]).toEqual([status, status]);
    expect(indented.headers.get('content-type')).toBe(plain.headers.get('content-type'));
    expect(indented.headers.get('cache-control')).toBe('no-store, no-cache');
    const [plainText, indentedText] = [await plain.text(), await indented.text()];
    expect(plainText).not.toContain('\n');
    expect(indentedText).toBe(JSON.stringify(JSON.parse(plainText), null, 2));
  });

  it('the NDJSON export stays one result per line', async () => {
    server = await startServer();
    const plain = await (await server.raw('/v1/export/images', { headers: ADMIN })).text();
    const pretty = await (await server.raw('/v1/export/images?pretty', { headers: ADMIN })).text();
    expect(pretty).toBe(plain);
    expect(pretty.trim().split('\n').length).toBeGreaterThan(1);
  });

  it('a POST body answer is indented too', async () => {
    server = await startServer();
    const response = await server.raw('/v1/watchedimages?pretty', {
      method: 'POST',
      headers: { ...ADMIN, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'docker.io/library/nginx:1.25' }),
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/^\{\n {2}"normalizedName": /);
  });
});
