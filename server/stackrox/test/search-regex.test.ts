// r/ search values over real HTTP: RE2 semantics (Go's regexp, as the service), the bounds on a
// pattern, and the regular-expression stall of issue 15 sent as an attacker would, by a view-only caller.
// That the evaluation is linear in the text is shown beside the code, in domain/search-query.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StorageImage } from '../domain/model.ts';
import { rpcError, startServer, TOKENS, type TestServer } from './helpers.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const ATTACK = 'Image:r/^.{16}(?:[^:]|[^:])*$';
const images = () => server.fixture.images.map((r) => r.image);
const namesOf = (i: StorageImage) => [i.name.fullName, ...i.names.map((n) => n.fullName)];
/** What the attack pattern means, said without a regular expression: 16 characters, then no ':' to the end. */
const attackMatches = (i: StorageImage) => namesOf(i).some((n) => n.length >= 16 && !n.slice(16).includes(':'));

const asAnalyst = (path: string, query: string) =>
  server.raw(`${path}?query=${encodeURIComponent(query)}`, { headers: { Authorization: `Bearer ${TOKENS.analyst}` } });

describe('the reported attack, sent by a view-only caller', () => {
  it.each<[string, string, (body: string) => unknown, () => unknown]>([
    ['countImages', '/v1/imagescount', (b) => JSON.parse(b), () => ({ count: images().filter(attackMatches).length })],
    ['listImages', '/v1/images', (b) => (JSON.parse(b) as { images: { id: string }[] }).images.map((i) => i.id).sort(), () => images().filter(attackMatches).map((i) => i.id).sort()],
    ['exportImages', '/v1/export/images', (b) => b.split('\n').filter(Boolean).length, () => images().filter(attackMatches).length],
  ])('%s answers 200 with what the pattern means', async (_operation, path, read, expected) => {
    const res = await asAnalyst(path, ATTACK);
    expect(res.status).toBe(200);
    expect(read(await res.text())).toEqual(expected());
  });
});

describe('r/ values', () => {
  it.each<[string, string, (i: StorageImage) => boolean]>([
    ['unanchored, case-insensitive', 'Image:r/LIBRARY/n', (i) => namesOf(i).some((n) => n.toLowerCase().includes('library/n'))],
    ['anchored by ^', 'Image:r/^quay\\.io/', (i) => namesOf(i).some((n) => n.startsWith('quay.io/'))],
    ['Perl classes (RE2 syntax)', 'Image Tag:r/^\\d*\\.\\d*\\.\\d*$', (i) => /^[0-9]*\.[0-9]*\.[0-9]*$/.test(i.name.tag)],
  ])('%s (%s)', async (_name, query, keep) => {
    const res = await asAnalyst('/v1/imagescount', query);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ count: images().filter(keep).length });
  });

  it.each<[string, string, string]>([
    ['a lookahead, which RE2 refuses', 'Image:r/nginx(?=:)', 'field "Image" has an invalid regular expression "nginx(?=:)" (error parsing regexp: invalid or unsupported Perl syntax: `(?=`)'],
    ['a backreference, which RE2 refuses', 'Image:r/(a)\\1', 'field "Image" has an invalid regular expression "(a)\\\\1" (error parsing regexp: invalid escape sequence: `\\1`)'],
    ['a pattern over 256 characters', `Image:r/${'a'.repeat(300)}`, 'field "Image" has a regular expression of 300 characters; at most 256 are allowed'],
    ['patterns that compile past 2000 RE2 instructions together', 'Image:r/.{1000}.{1000}', 'its regular expressions compile to 2002 RE2 instructions; at most 2000 are allowed in one query'],
  ])('%s is a 400 in the contract shape naming the problem', async (_name, query, why) => {
    const res = await asAnalyst('/v1/imagescount', query);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual(rpcError(3, `invalid query ${JSON.stringify(query)}: ${why}: invalid arguments`));
  });
});
