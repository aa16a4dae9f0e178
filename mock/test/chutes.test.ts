// The mock serving the Chutes contract unchanged: FastAPI errors ({"detail": "..."}, 422 lists),
// a multipart create matched by its fields, API keys and hotkey headers as callers, the build log
// as server-sent events and as text, and the /images/ collection in stateful mode.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSpec } from '../load-spec.ts';
import { exampleRows, expectedText, formData, replay } from './example-rows.ts';
import { call, startMock, type Running } from './helpers.ts';

const SPEC = 'spec/chutes/openapi.yaml';
const KEYS = {
  owner: 'cpk_a11ce5d3c2b14e0f9a8b7c6d5e4f3a21.3f1b2c4d5e6f4a7b8c9d0e1f2a3b4c5d.AliceDemoKey00000000000000000000',
  other: 'cpk_b0b5d3c2b14e0f9a8b7c6d5e4f3a2100.7a8b9c0d1e2f4a3b9c4d5e6f7a8b9c0d.BobDemoKey0000000000000000000000',
  limited: 'cpk_ca701d3c2b14e0f9a8b7c6d5e4f3a210.c1d2e3f4a5b64c7d8e9f0a1b2c3d4e5f.CarolDemoKey00000000000000000000',
};
// Substrate's well-known dev address of Bob: bob's hotkey in the demo data.
const BOB_HOTKEY = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
const hotkey = (address: string) => ({ 'x-chutes-hotkey': address, 'x-chutes-signature': 'ab'.repeat(64), 'x-chutes-nonce': '1795168800' });
const detail = { detail: expect.any(String) };

const { model } = await loadSpec(SPEC);
const rows = exampleRows(model, { owner: { authorization: KEYS.owner }, other: { authorization: `Bearer ${KEYS.other}` }, limited: { authorization: KEYS.limited } });
const forms = model.operations.find((op) => op.id === 'createImage')?.bodyExamples as Map<string, Record<string, string | boolean>>;
/** The create form of example `key` (default `create`), with fields changed. */
const asForm = (overrides: Record<string, string> = {}, key = 'create') =>
  formData({ ...Object.fromEntries(Object.entries(forms.get(key) ?? {}).map(([k, v]) => [k, String(v)])), ...overrides });

let mock: Running;
beforeAll(async () => {
  mock = await startMock({ specPath: SPEC, tokens: KEYS, credentials: [{ role: 'other', kind: 'header', name: 'X-Chutes-Hotkey', value: BOB_HOTKEY }] });
});
afterAll(async () => {
  await mock.close();
});

describe('the Chutes contract', () => {
  it('names owner, other and limited as its caller roles; the logs need no credentials', () => {
    expect(model.roles).toEqual(['owner', 'other', 'limited']);
    expect(Object.fromEntries(model.operations.map((op) => [op.id, op.defaultCaller]))).toEqual({
      listImages: 'owner', createImage: 'owner', streamBuildLogs: 'none', getImage: 'owner', deleteImage: 'owner',
    });
  });
});

describe('example selection by name, every example of every operation', () => {
  it.each(rows)('$name', async (row) => {
    const reply = await replay(mock.url, row);
    expect(reply.status).toBe(row.status);
    expect(reply.headers.get('content-type')).toContain(row.mediaType);
    const text = expectedText(row);
    if (text !== undefined) expect(reply.text).toBe(text);
    else expect(reply.body).toEqual(row.expected);
  });
});

describe('errors in FastAPI’s shape', () => {
  const owner = { authorization: KEYS.owner };
  it.each([
    { when: 'an unknown path is {"detail"} 404', method: 'GET', path: '/nothing', status: 404, body: detail },
    { when: 'a wrong method is {"detail"} 405', method: 'PUT', path: '/images/', status: 405, body: detail },
    { when: 'an undocumented status asked for is {"detail"}', method: 'GET', path: '/images/?__code=418', status: 418, body: detail },
    { when: 'an unknown example is {"detail"} 404 naming the known ones', method: 'GET', path: '/images/?__example=nope', status: 404, body: { detail: expect.stringContaining('second-page') } },
    { when: 'a malformed percent-encoding is a 422 list of one problem', method: 'GET', path: '/images/%zz', status: 422,
      body: { detail: [{ type: expect.any(String), loc: [], msg: expect.any(String), input: null }] } },
  ])('$when', async ({ method, path, status, body }) => {
    const reply = await call(mock.url, method, path, { headers: owner });
    expect(reply.status).toBe(status);
    expect(reply.body).toEqual(body);
    expect(reply.text).not.toMatch(/prism|stoplight|problem\+json|node_modules/i);
  });
});

describe('callers', () => {
  it.each([
    { when: 'an API key without Bearer is its role', headers: { authorization: KEYS.other }, example: 'insufficient-balance', status: 402 },
    { when: 'an API key with Bearer is its role', headers: { authorization: `Bearer ${KEYS.limited}` }, example: 'rate-limited', status: 429 },
    { when: 'a known hotkey is its role (--header)', headers: hotkey(BOB_HOTKEY), example: 'insufficient-balance', status: 402 },
    { when: 'an unknown hotkey is the first role', headers: hotkey('5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY'), example: 'create', status: 202 },
    { when: 'no credentials get the documented 401', headers: {}, example: 'no-credentials', status: 401 },
    { when: 'half a hotkey (no signature, no nonce) is no credentials', headers: { 'x-chutes-hotkey': BOB_HOTKEY }, example: 'no-credentials', status: 401 },
  ])('$when', async ({ headers, example, status }) => {
    const res = await fetch(`${mock.url}/images/`, { method: 'POST', headers: headers as Record<string, string>, body: asForm({}, forms.has(example) ? example : 'create') });
    expect(res.status).toBe(status);
    expect(mock.lines.at(-1)).toMatch(new RegExp(`^POST /images/ ${status} ${example} `));
  });
});

describe('the multipart create', () => {
  it.each([
    { when: 'the documented form gets the 202', overrides: {}, status: 202, example: 'create' },
    { when: 'the fields of the duplicate example get the 409', overrides: Object.fromEntries(Object.entries(forms.get('duplicate') ?? {}).map(([k, v]) => [k, String(v)])), status: 409, example: 'duplicate' },
    { when: 'a form the spec does not name gets the default 202', overrides: { name: 'something-else' }, status: 202, example: 'create' },
    { when: 'a name breaking its pattern gets a 422 list', overrides: { name: 'Not Valid!' }, status: 422, example: 'bad-name' },
  ])('$when', async ({ overrides, status, example }) => {
    const res = await fetch(`${mock.url}/images/`, { method: 'POST', headers: { authorization: KEYS.owner }, body: asForm(overrides) });
    expect(res.status).toBe(status);
    expect(mock.lines.at(-1)).toMatch(new RegExp(`^POST /images/ ${status} ${example} `));
  });

  it('a JSON body instead of a form does not crash: a documented 4xx', async () => {
    const reply = await call(mock.url, 'POST', '/images/', { headers: { authorization: KEYS.owner }, body: { name: 'x' } });
    expect(reply.status).toBeGreaterThanOrEqual(400);
    expect(reply.status).toBeLessThan(500);
    expect(reply.body).toEqual({ detail: expect.anything() });
  });
});

describe('the build log', () => {
  let slow: Running;
  beforeAll(async () => {
    slow = await startMock({ specPath: SPEC, tokens: KEYS, streamIntervalMs: 20 });
  });
  afterAll(async () => {
    await slow.close();
  });
  const running = '/images/69909454-4d85-5614-9036-7d67c4f30d5f/logs';

  it('while building: server-sent events, chunked, read one event at a time, ending with DONE', async () => {
    const res = await fetch(`${slow.url}${running}`, { headers: { authorization: KEYS.owner, accept: 'text/event-stream' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    expect(res.headers.get('content-length')).toBeNull();
    const events: string[] = [];
    let chunks = 0;
    let buffered = '';
    const decoder = new TextDecoder();
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      chunks++;
      buffered += decoder.decode(chunk, { stream: true });
      for (let end = buffered.indexOf('\n\n'); end >= 0; end = buffered.indexOf('\n\n')) {
        events.push(buffered.slice(0, end));
        buffered = buffered.slice(end + 2);
      }
    }
    expect(chunks).toBeGreaterThan(1);
    const data = events.map((e) => JSON.parse(e.replace(/^data: /, '')) as { log: { log: string }; offset: string });
    expect(data[0]?.log.log).toBe('Step 1/10 : FROM alice/base-python:3.12.7');
    expect(data.every((d) => /^[0-9]+-[0-9]+$/.test(d.offset))).toBe(true);
    expect(buffered).toBe('DONE\n');
  });

  it('once built: the whole log as text/plain with its Content-Disposition', async () => {
    const res = await fetch(`${slow.url}/images/f7cbd348-6b3e-5302-ac09-f49cd37e3f1d/logs`, { headers: { authorization: KEYS.owner } });
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(res.headers.get('content-disposition')).toBe('inline; filename="f7cbd348-6b3e-5302-ac09-f49cd37e3f1d.log"');
    expect(await res.text()).toMatch(/^Step 1\/4 .*\nSuccessfully built and pushed alice\/tinyllama:1.0.0\n$/s);
  });
});

describe('stateful /images/', () => {
  let stateful: Running;
  beforeAll(async () => {
    stateful = await startMock({ specPath: SPEC, tokens: KEYS, stateful: true });
  });
  afterAll(async () => {
    await stateful.close();
  });
  const owner = { authorization: KEYS.owner };

  it('finds the collection with its trailing slash, the id field and the page envelope', () => {
    expect(stateful.app.state?.resources.map((r) => ({ collection: r.collection, item: r.item, idField: r.idField, listPath: r.listPath }))).toEqual([
      { collection: '/images/', item: '/images/{image_id_or_name}', idField: 'image_id', listPath: ['items'] },
    ]);
  });

  it('create by form, then list, get, delete and 404', async () => {
    const before = await call(stateful.url, 'GET', '/images/', { headers: owner });
    const total = (before.body as { total: number }).total;
    const res = await fetch(`${stateful.url}/images/`, { method: 'POST', headers: owner, body: asForm({ name: 'whisper-small', public: 'true' }) });
    expect(res.status).toBe(202);
    const created = (await res.json()) as { image_id: string; name: string; public: unknown };
    expect(created).toMatchObject({ name: 'whisper-small', public: true, status: 'pending build' });
    expect(created.image_id).toMatch(/^[0-9a-f-]{36}$/);

    const list = await call(stateful.url, 'GET', '/images/', { headers: owner });
    expect(list.body).toMatchObject({ total: total + 1, items: expect.arrayContaining([expect.objectContaining({ image_id: created.image_id, name: 'whisper-small' })]) });
    const got = await call(stateful.url, 'GET', `/images/${created.image_id}`, { headers: owner });
    expect(got.body).toMatchObject({ image_id: created.image_id, name: 'whisper-small', public: true });
    const removed = await call(stateful.url, 'DELETE', `/images/${created.image_id}`, { headers: owner });
    expect(removed.status).toBe(200);
    const gone = await call(stateful.url, 'GET', `/images/${created.image_id}`, { headers: owner });
    expect(gone).toMatchObject({ status: 404, body: { detail: 'Image not found, or does not belong to you' } });
  });

  it('finds an image by name:tag and username/name:tag as well (x-also-matches), and deletes it so', async () => {
    // A mock of its own: this one deletes a seeded image the other cases may read.
    const own = await startMock({ specPath: SPEC, tokens: KEYS, stateful: true });
    try {
      const id = 'f7cbd348-6b3e-5302-ac09-f49cd37e3f1d';
      const byId = await call(own.url, 'GET', `/images/${id}`, { headers: owner });
      const { name, tag, user } = byId.body as { name: string; tag: string; user: { username: string } };
      for (const other of [`${name}:${tag}`, `${user.username}/${name}:${tag}`]) {
        const found = await call(own.url, 'GET', `/images/${encodeURIComponent(other)}`, { headers: owner });
        expect({ other, status: found.status, body: found.body }).toEqual({ other, status: 200, body: byId.body });
      }
      expect((await call(own.url, 'GET', `/images/${encodeURIComponent(`${name}:9.9.9`)}`, { headers: owner })).status).toBe(404);
      const removed = await call(own.url, 'DELETE', `/images/${encodeURIComponent(`${user.username}/${name}:${tag}`)}`, { headers: owner });
      expect(removed).toMatchObject({ status: 200, body: { image_id: id, deleted: true } });
      expect((await call(own.url, 'GET', `/images/${id}`, { headers: owner })).status).toBe(404);
      expect((await call(own.url, 'GET', `/images/${encodeURIComponent(`${name}:${tag}`)}`, { headers: owner })).status).toBe(404);
      // A created image (the create answer carries no user) is found by name:tag.
      const created = (await (await fetch(`${own.url}/images/`, { method: 'POST', headers: owner, body: asForm({ name: 'bark-tts', tag: '2.0.1' }) })).json()) as { image_id: string };
      expect(await call(own.url, 'GET', '/images/bark-tts%3A2.0.1', { headers: owner })).toMatchObject({ status: 200, body: { image_id: created.image_id } });
    } finally {
      await own.close();
    }
  });
});

describe('--strict-auth', () => {
  let strict: Running;
  beforeAll(async () => {
    strict = await startMock({ specPath: SPEC, tokens: KEYS, strictAuth: true });
  });
  afterAll(async () => {
    await strict.close();
  });

  it.each([
    { when: 'a configured key is its role', path: '/images/', headers: { authorization: KEYS.owner }, status: 200 },
    { when: 'a key nobody configured gets the documented 401', path: '/images/', headers: { authorization: 'cpk_unknown' }, status: 401, body: { detail: 'Missing or invalid authorization header(s)' } },
    { when: 'an unknown hotkey gets the documented 401', path: '/images/f7cbd348-6b3e-5302-ac09-f49cd37e3f1d', headers: hotkey(BOB_HOTKEY), status: 401 },
    { when: 'unknown credentials count as none where credentials are optional (public log)', path: '/images/7f68e2ba-1409-589a-bee7-285d32f2d5c0/logs', headers: { authorization: 'cpk_unknown' }, status: 200 },
    { when: 'Prefer still reaches any example', path: '/images/', headers: { authorization: 'cpk_unknown', prefer: 'example=second-page' }, status: 200 },
  ])('$when', async ({ path, headers, status, body }) => {
    const reply = await call(strict.url, 'GET', path, { headers: headers as Record<string, string> });
    expect(reply.status).toBe(status);
    if (body) expect(reply.body).toEqual(body);
  });
});
