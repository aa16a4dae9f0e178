// listImages, getImage and deleteImage over real HTTP through the generated client, on the demo fixture.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { formData } from '../../../generated/chutes/client.ts';
import { IDS, startChutes, validCreate, type ChutesTestServer } from './helpers.ts';

let s: ChutesTestServer;
beforeAll(async () => {
  s = await startChutes();
});
afterAll(() => s.close());
beforeEach(async () => {
  await s.raw('/__control/chutes/reset', { method: 'POST' });
});

const NOT_FOUND = { detail: 'Image not found, or does not belong to you' };

describe('listImages', () => {
  it.each<[string, { include_public?: boolean; name?: string; tag?: string; page?: number; limit?: number }, { total: number; names: string[] }]>([
    ['own images only, newest first', {}, { total: 4, names: ['vllm', 'broken-build', 'tinyllama', 'base-python'] }],
    ['public images of others too with include_public', { include_public: true }, { total: 5, names: ['vllm', 'broken-build', 'tinyllama', 'comfyui', 'base-python'] }],
    ['a case-insensitive name substring', { name: 'LLAMA' }, { total: 1, names: ['tinyllama'] }],
    ['a tag substring', { tag: '1.0' }, { total: 2, names: ['broken-build', 'tinyllama'] }],
    ['a blank name as no filter', { name: '  ' }, { total: 4, names: ['vllm', 'broken-build', 'tinyllama', 'base-python'] }],
    ['page 1 of 2 per page', { page: 1, limit: 2 }, { total: 4, names: ['tinyllama', 'base-python'] }],
    ['a page past the end as empty', { page: 9 }, { total: 4, names: [] }],
  ])('lists %s', async (_what, query, expected) => {
    const { data, response } = await s.alice.GET('/images/', { params: { query } });
    expect(response.status).toBe(200);
    expect({ total: data?.total, names: data?.items.map((i) => i.name) }).toEqual(expected);
    expect(data).toMatchObject({ page: query.page ?? 0, limit: query.limit ?? 25, cord_refs: null });
  });

  it('shows each image as it stands on the clock: the running build is building', async () => {
    const { data } = await s.alice.GET('/images/', { params: { query: { name: 'vllm' } } });
    expect(data?.items[0]).toMatchObject({ status: 'building', build_started_at: '2026-11-20T09:59:57.000Z', build_completed_at: null });
  });

  it.each<[string, string, unknown]>([
    ['limit=ten', 'limit', { type: 'int_parsing', loc: ['query', 'limit'], msg: 'Input should be a valid integer, unable to parse string as an integer', input: 'ten' }],
    ['page=-1', 'page', { type: 'greater_than_equal', loc: ['query', 'page'], msg: 'Input should be greater than or equal to 0', input: '-1', ctx: { ge: 0 } }],
    ['limit=101', 'limit', { type: 'less_than_equal', loc: ['query', 'limit'], msg: 'Input should be less than or equal to 100', input: '101', ctx: { le: 100 } }],
  ])('answers 422 in FastAPI shape for %s', async (query, _param, item) => {
    const response = await s.raw(`/images/?${query}`, { headers: { Authorization: `Bearer ${KEYS_ALICE}` } });
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({ detail: [item] });
  });

  it('ignores query parameters it does not declare, as FastAPI does', async () => {
    const response = await s.raw('/images/?colour=blue', { headers: { Authorization: KEYS_ALICE } });
    expect(response.status).toBe(200);
  });

  it('needs credentials', async () => {
    const { error, response } = await s.anonymous.GET('/images/');
    expect(response.status).toBe(401);
    expect(error).toEqual({ detail: 'Missing or invalid authorization header(s)' });
  });
});

const KEYS_ALICE = 'cpk_a11ce5d3c2b14e0f9a8b7c6d5e4f3a21.3f1b2c4d5e6f4a7b8c9d0e1f2a3b4c5d.AliceDemoKey00000000000000000000';

describe('getImage', () => {
  it.each<[string, string, number, string | null]>([
    ['an own image by id', IDS.tinyllama, 200, 'tinyllama'],
    ['an own image by id in capitals', IDS.tinyllama.toUpperCase(), 200, 'tinyllama'],
    ['an own image by name:tag', 'tinyllama:1.0.0', 200, 'tinyllama'],
    ['an own image by username/name:tag', 'alice/tinyllama:1.0.0', 200, 'tinyllama'],
    ["another user's public image by username/name:tag", 'bob/comfyui:0.3.1', 200, 'comfyui'],
    ["another user's public image by id", IDS.comfyui, 200, 'comfyui'],
    ["another user's private image", 'bob/whisper:2.0', 404, null],
    ["another user's private image by id", IDS.whisper, 404, null],
    ['a name without a tag', 'tinyllama', 404, null],
    ['a name:tag of another user without the username', 'comfyui:0.3.1', 404, null],
    ['an unknown image', 'no-such-image:1.0', 404, null],
  ])('%s (%s) answers %i', async (_what, ref, status, name) => {
    const { data, error, response } = await s.alice.GET('/images/{image_id_or_name}', { params: { path: { image_id_or_name: ref } } });
    expect(response.status).toBe(status);
    if (name) expect(data?.name).toBe(name);
    else expect(error).toEqual(NOT_FOUND);
  });

  it('finds a name holding a slash by username/name:tag, raw or encoded', async () => {
    await s.raw('/images/', { method: 'POST', headers: { Authorization: KEYS_ALICE }, body: formData(validCreate({ name: 'org/model', tag: '1.0' })) });
    for (const path of ['/images/alice/org/model:1.0', '/images/alice%2Forg%2Fmodel:1.0']) {
      const response = await s.raw(path, { headers: { Authorization: KEYS_ALICE } });
      expect(((await response.json()) as { name: string }).name, path).toBe('org/model');
    }
  });

  it('takes a raw slash in username/name:tag, as FastAPI path parameters do', async () => {
    const response = await s.raw('/images/bob/comfyui:0.3.1', { headers: { Authorization: KEYS_ALICE } });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { image_id: string }).image_id).toBe(IDS.comfyui);
  });

  it('shows the owner and computed logo URLs', async () => {
    const { data } = await s.alice.GET('/images/{image_id_or_name}', { params: { path: { image_id_or_name: 'base-python:3.12.7' } } });
    expect(data).toMatchObject({
      status: 'built and pushed',
      logo: 'https://logos.chutes.ai/logo/9d2c4e6a-1b3f-4a5c-8e7d-6f5a4b3c2d1e.webp',
      user: { username: 'alice', logo: 'https://logos.chutes.ai/logo/5b0f8a5e-2b6c-4d1e-9f3a-7c8d9e0f1a2b.webp' },
    });
  });
});

describe('deleteImage', () => {
  it.each<[string, string, number, unknown]>([
    ['an own image by id', IDS.tinyllama, 200, { image_id: IDS.tinyllama, deleted: true }],
    ['an own image by name:tag', 'tinyllama:1.0.0', 200, { image_id: IDS.tinyllama, deleted: true }],
    ['an own image a chute uses', 'base-python:3.12.7', 409, { detail: 'Image is in use by one or more chutes' }],
    ["another user's public image", 'bob/comfyui:0.3.1', 404, NOT_FOUND],
    ["another user's private image", IDS.whisper, 404, NOT_FOUND],
    ['an unknown image', 'no-such-image:1.0', 404, NOT_FOUND],
  ])('%s (%s) answers %i', async (_what, ref, status, body) => {
    const { data, error, response } = await s.alice.DELETE('/images/{image_id_or_name}', { params: { path: { image_id_or_name: ref } } });
    expect(response.status).toBe(status);
    expect(data ?? error).toEqual(body);
  });

  it('really deletes: the image is gone afterwards, and stays for a refused delete', async () => {
    await s.alice.DELETE('/images/{image_id_or_name}', { params: { path: { image_id_or_name: IDS.tinyllama } } });
    await s.alice.DELETE('/images/{image_id_or_name}', { params: { path: { image_id_or_name: 'base-python:3.12.7' } } });
    expect((await s.alice.GET('/images/{image_id_or_name}', { params: { path: { image_id_or_name: IDS.tinyllama } } })).response.status).toBe(404);
    expect((await s.alice.GET('/images/{image_id_or_name}', { params: { path: { image_id_or_name: IDS.basePython } } })).response.status).toBe(200);
  });

  it('answers 405 with Allow for a method the path does not have', async () => {
    const response = await s.raw(`/images/${IDS.tinyllama}`, { method: 'PUT', headers: { Authorization: KEYS_ALICE } });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('DELETE, GET');
    expect(await response.json()).toEqual({ detail: 'Method Not Allowed' });
  });
});
