// createImage: the multipart form read with limits, checked as FastAPI checks it, then the rules in
// the service's order. Over real HTTP; the typed client where it can send the form, fetch where not.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { formData } from '../../../generated/chutes/client.ts';
import { bundlePathOf } from '../../shared/spec.ts';
import { imageIdFor } from '../domain/images.ts';
import { ALICE_ID, EMPTY_ZIP, KEYS, rawCreate, rawForm, startChutes, validCreate, zipOf, type ChutesTestServer } from './helpers.ts';

let s: ChutesTestServer;
const LIMIT = 64 * 1024;
const INSTRUCTIONS = 20;
beforeAll(async () => {
  s = await startChutes({ limits: { buildContextBytes: LIMIT, fieldBytes: 4 * 1024, dockerfileInstructions: INSTRUCTIONS } });
});
afterAll(() => s.close());
beforeEach(async () => {
  await s.raw('/__control/chutes/reset', { method: 'POST' });
});

const auth = (key: string) => ({ Authorization: key });
const post = (fields: Record<string, unknown>, key = KEYS.alice) => s.raw('/images/', rawCreate(fields, auth(key)));

describe('createImage: accepted', () => {
  it('answers 202 with the pending row, its id the uuid5 of username/name:tag', async () => {
    const { data, response } = await s.alice.POST('/images/', { body: validCreate(), bodySerializer: formData });
    expect(response.status).toBe(202);
    expect(data).toEqual({
      image_id: imageIdFor('alice', 'whisper-large', 'v3'),
      user_id: ALICE_ID,
      name: 'whisper-large',
      tag: 'v3',
      readme: '## whisper-large',
      logo_id: null,
      public: false,
      status: 'pending build',
      created_at: '2026-11-20T10:00:00.000Z',
      build_started_at: null,
      build_completed_at: null,
      chutes_version: '0.3.61',
      patch_version: 'initial',
    });
    expect(data?.image_id).toBe('11b8eb69-9bd0-58a2-b58c-60977d80dd2c'); // Python: uuid.uuid5(uuid.NAMESPACE_OID, "alice/whisper-large:v3")
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['the empty zip archive', { build_context: new Blob([EMPTY_ZIP]) }, {}],
    ['a logo id', { logo_id: '0c6e4a1f-5b2d-4c3e-9f8a-7d6e5c4b3a21' }, { logo_id: '0c6e4a1f-5b2d-4c3e-9f8a-7d6e5c4b3a21' }],
    ['public true as "yes"', { public: 'yes' }, { public: true }],
    ['wait true (still the 202 row)', { wait: 'true' }, { status: 'pending build' }],
    ['a Dockerfile of exactly the instruction limit (blank lines and comments do not count)', { dockerfile: ['FROM x', '# build', '', ...Array.from({ length: INSTRUCTIONS - 1 }, (_, n) => `RUN step ${n}`)].join('\n') }, {}],
    ['a zip exactly at the size limit', { build_context: new Blob([new Uint8Array(zipOf('big.bin', Buffer.alloc(LIMIT - 30 - 7 - 46 - 7 - 22)))]) }, {}],
  ])('accepts %s', async (_what, overrides, expected) => {
    const response = await post(rawForm(overrides));
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject(expected);
  });

  it('makes the image visible at once, its build pending', async () => {
    await s.alice.POST('/images/', { body: validCreate(), bodySerializer: formData });
    const { data } = await s.alice.GET('/images/{image_id_or_name}', { params: { path: { image_id_or_name: 'whisper-large:v3' } } });
    expect(data).toMatchObject({ status: 'pending build', build_started_at: null, user: { username: 'alice' } });
  });
});

describe('createImage: the rules, in order', () => {
  it.each<[string, string, Record<string, unknown>, number, string]>([
    ['a username that is not the caller', KEYS.alice, { username: 'bob' }, 401, 'Cannot make images for users other than yourself!'],
    ['the username check before the rate limit', KEYS.carol, { username: 'alice' }, 401, 'Cannot make images for users other than yourself!'],
    ['24 creates/deletes in the last 24 h', KEYS.carol, { username: 'carol' }, 429, 'You may create or delete at most 24 images in 24 hours'],
    ['a balance under $50', KEYS.bob, { username: 'bob' }, 402, 'You must have a balance of at least $50 to create images'],
    ['the balance check before the duplicate check', KEYS.bob, { username: 'bob', name: 'whisper', tag: '2.0' }, 402, 'You must have a balance of at least $50 to create images'],
    ['a name and tag the caller already has', KEYS.alice, { name: 'tinyllama', tag: '1.0.0' }, 409, "Image with name='tinyllama' and tag='1.0.0' aready exists"],
  ])('refuses %s', async (_what, key, overrides, status, detail) => {
    const before = s.store.images().length;
    const response = await post(rawForm(overrides), key);
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual({ detail });
    expect(s.store.images().length).toBe(before);
  });

  it('counts creates toward the 24 h limit and lets them age out', async () => {
    const fixture = structuredClone(s.fixture);
    fixture.action_bursts = [{ username: 'alice', kind: 'delete', count: 23, first_at: '2026-11-19T10:30:00.000Z', every_minutes: 1 }];
    const t = await startChutes({ fixture });
    try {
      expect((await t.raw('/images/', rawCreate(rawForm({ tag: 'a1' }), auth(KEYS.alice)))).status).toBe(202);
      expect((await t.raw('/images/', rawCreate(rawForm({ tag: 'a2' }), auth(KEYS.alice)))).status).toBe(429);
      t.clock.advance(31 * 60_000); // the first delete (10:30 yesterday) falls out of the window
      expect((await t.raw('/images/', rawCreate(rawForm({ tag: 'a2' }), auth(KEYS.alice)))).status).toBe(202);
    } finally {
      await t.close();
    }
  });
});

const FORM_PROBLEMS: [string, (f: Record<string, unknown>) => void, unknown[]][] = [
  ['a missing field', (f) => delete f.tag, [{ type: 'missing', loc: ['body', 'tag'], msg: 'Field required', input: null }]],
  ['a missing file', (f) => delete f.build_context, [{ type: 'missing', loc: ['body', 'build_context'], msg: 'Field required', input: null }]],
  ['a file that is not a zip', (f) => (f.build_context = new Blob(['just text'])), [{ type: 'value_error', loc: ['body', 'build_context'], msg: 'Value error, build_context is not a zip archive', input: 'build_context.zip' }]],
  ['a file over the size limit', (f) => (f.build_context = new Blob([new Uint8Array(zipOf('big.bin', Buffer.alloc(LIMIT)))])), [{ type: 'value_error', loc: ['body', 'build_context'], msg: `Value error, build_context is larger than ${LIMIT} bytes`, input: 'build_context.zip' }]],
  ['the build context sent as text', (f) => (f.build_context = 'PK'), [{ type: 'value_error', loc: ['body', 'build_context'], msg: "Value error, Expected UploadFile, received: <class 'str'>", input: 'PK' }]],
  ['a name breaking its pattern', (f) => (f.name = 'Whisper Large'), [{ type: 'string_pattern_mismatch', loc: ['body', 'name'], msg: "String should match pattern '^[a-z0-9][a-z0-9_./-]{2,64}$'", input: 'Whisper Large', ctx: { pattern: '^[a-z0-9][a-z0-9_./-]{2,64}$' } }]],
  ['a tag too long', (f) => (f.tag = `v${'1'.repeat(33)}`), [{ type: 'string_pattern_mismatch', loc: ['body', 'tag'], msg: "String should match pattern '^[a-z0-9][a-z0-9_./-]{1,32}$'", input: `v${'1'.repeat(33)}`, ctx: { pattern: '^[a-z0-9][a-z0-9_./-]{1,32}$' } }]],
  ['a Dockerfile over the instruction limit (its count as the input, not its text)', (f) => (f.dockerfile = ['FROM x', ...Array.from({ length: INSTRUCTIONS }, (_, n) => `RUN step ${n}`)].join('\n')), [{ type: 'value_error', loc: ['body', 'dockerfile'], msg: `Value error, dockerfile has ${INSTRUCTIONS + 1} instructions, more than ${INSTRUCTIONS}`, input: INSTRUCTIONS + 1 }]],
  ['a boolean that is not one', (f) => (f.public = 'maybe'), [{ type: 'bool_parsing', loc: ['body', 'public'], msg: 'Input should be a valid boolean, unable to interpret input', input: 'maybe' }]],
  [
    'several problems, all reported in parameter order',
    (f) => {
      delete f.wait;
      f.name = 'X';
      delete f.image;
    },
    [
      { type: 'missing', loc: ['body', 'wait'], msg: 'Field required', input: null },
      { type: 'string_pattern_mismatch', loc: ['body', 'name'], msg: "String should match pattern '^[a-z0-9][a-z0-9_./-]{2,64}$'", input: 'X', ctx: { pattern: '^[a-z0-9][a-z0-9_./-]{2,64}$' } },
      { type: 'missing', loc: ['body', 'image'], msg: 'Field required', input: null },
    ],
  ],
];

describe('createImage: the form, checked as FastAPI does (422)', () => {
  it.each(FORM_PROBLEMS)('reports %s', async (_what, change, detail) => {
    const fields = rawForm();
    change(fields);
    const response = await post(fields);
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({ detail });
    expect(s.store.images()).toHaveLength(7);
  });

  it('reads a JSON body as an empty form: every field missing', async () => {
    const response = await s.raw('/images/', { method: 'POST', headers: { ...auth(KEYS.alice), 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'x' }) });
    expect(response.status).toBe(422);
    const { detail } = (await response.json()) as { detail: { loc: string[] }[] };
    expect(detail.map((d) => d.loc[1])).toEqual(['wait', 'build_context', 'username', 'name', 'readme', 'logo_id', 'tag', 'dockerfile', 'image', 'public']);
  });

  it('authenticates before it checks the form (401 before 422)', async () => {
    const response = await s.raw('/images/', rawCreate({ name: 'X' }));
    expect(response.status).toBe(401);
  });

  it.each<[string, RequestInit]>([
    ['a multipart body without its closing boundary', { method: 'POST', headers: { 'Content-Type': 'multipart/form-data; boundary=xyz' }, body: '--xyz\r\nContent-Disposition: form-data; name="wait"\r\n\r\nfalse\r\n--xy' }],
    ['a multipart content type without a boundary', { method: 'POST', headers: { 'Content-Type': 'multipart/form-data' }, body: 'wait=false' }],
  ])('answers 400 for %s', async (_what, init) => {
    const response = await s.raw('/images/', { ...init, headers: { ...(init.headers as Record<string, string>), ...auth(KEYS.alice) } });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ detail: 'There was an error parsing the body' });
  });

  it('answers 400 for a text part over the field limit, as Starlette does', async () => {
    const response = await post(rawForm({ readme: 'x'.repeat(5 * 1024) }));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ detail: 'Part exceeded maximum size of 4KB.' });
  });
});

describe('createImage: the form patterns are the contract’s, read from the bundle', () => {
  it('follows a changed pattern in the bundle it is given, with no copy to update', async () => {
    const bundle = JSON.parse(readFileSync(bundlePathOf('chutes'), 'utf8')) as { components: { schemas: { CreateImageForm: { properties: { name: { pattern: string } } } } } };
    bundle.components.schemas.CreateImageForm.properties.name.pattern = '^[A-Z][A-Za-z ]+$';
    const dir = mkdtempSync(join(tmpdir(), 'chutes-spec-'));
    const specPath = join(dir, 'openapi.json');
    writeFileSync(specPath, JSON.stringify(bundle));
    const t = await startChutes({ specPath });
    try {
      const accepted = await t.raw('/images/', rawCreate(rawForm({ name: 'Whisper Large' }), auth(KEYS.alice)));
      expect(accepted.status).toBe(202);
      const refused = await t.raw('/images/', rawCreate(rawForm({ name: 'whisper-large', tag: 'v4' }), auth(KEYS.alice)));
      expect(await refused.json()).toEqual({ detail: [{ type: 'string_pattern_mismatch', loc: ['body', 'name'], msg: "String should match pattern '^[A-Z][A-Za-z ]+$'", input: 'whisper-large', ctx: { pattern: '^[A-Z][A-Za-z ]+$' } }] });
    } finally {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
