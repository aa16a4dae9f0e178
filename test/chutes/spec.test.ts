// The Chutes contract says what the seed and the facts say: 5 operations, their statuses each with an
// example, FastAPI's error bodies, the three ways to authenticate, and lint that fails on a broken copy.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeSandbox, root, type Sandbox } from '../helpers/sandbox.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- walking a parsed spec
const spec = JSON.parse(readFileSync(join(root, 'generated', 'chutes', 'openapi.json'), 'utf8')) as Json;

const deref = (node: Json): Json =>
  typeof node?.$ref === 'string' ? deref(node.$ref.slice(2).split('/').reduce((n: Json, k: string) => n[k.replace(/~1/g, '/').replace(/~0/g, '~')], spec)) : node;
const operation = (method: string, path: string): Json => spec.paths[path][method];
const examplesOf = (op: Json, status: string) =>
  Object.entries(deref(op.responses[status]).content ?? {}).flatMap(([type, media]) => Object.values((media as Json).examples ?? {}).map((e): Json => ({ type, ...deref(e as Json) })));

const SIGNED = [{ apiKey: [] }, { bearerAuth: [] }, { chutesHotkey: [], chutesSignature: [], chutesNonce: [] }];

const operations: [string, string, string, string[], Json[]][] = [
  ['get', '/images/', 'listImages', ['200', '401', '422'], SIGNED],
  ['post', '/images/', 'createImage', ['202', '400', '401', '402', '409', '422', '429'], SIGNED],
  ['get', '/images/{image_id_or_name}', 'getImage', ['200', '401', '404', '422'], SIGNED],
  ['delete', '/images/{image_id_or_name}', 'deleteImage', ['200', '401', '404', '409', '422'], SIGNED],
  ['get', '/images/{image_id}/logs', 'streamBuildLogs', ['200', '404', '422'], [{}, ...SIGNED]],
];

// Decision 15: FastAPI reads a part without a file name as text, so the form says build_context is a file part.
describe('the create form', () => {
  const disposition = () => operation('post', '/images/').requestBody.content['multipart/form-data'].encoding.build_context.headers['Content-Disposition'];
  it.each([
    ['form-data; name="build_context"; filename="context.zip"', true],
    ['form-data; name="build_context"; filename*=UTF-8\'\'ctx.zip', true],
    ['form-data; name="build_context"', false],
  ])('requires build_context as a file part: %s -> %s', (header, allowed) => {
    expect(disposition().required).toBe(true);
    expect(new RegExp(disposition().schema.pattern).test(header)).toBe(allowed);
  });
});

describe('the 5 operations', () => {
  it('are all there and nothing else', () => {
    const found = Object.entries(spec.paths as Json).flatMap(([path, item]) => Object.keys(item as Json).filter((k) => ['get', 'post', 'put', 'patch', 'delete'].includes(k)).map((m) => `${m} ${path}`));
    expect(found.sort()).toEqual(operations.map(([m, p]) => `${m} ${p}`).sort());
  });

  it.each(operations)('%s %s is %s, documents exactly its statuses each with an example, and is secured as the facts say', (method, path, id, statuses, security) => {
    const op = operation(method, path);
    expect(op.operationId).toBe(id);
    expect(Object.keys(op.responses).sort()).toEqual([...statuses].sort());
    for (const status of statuses) expect(examplesOf(op, status).length, `${id} ${status}`).toBeGreaterThan(0);
    expect(op.security).toEqual(security);
  });

  it('errors are {"detail": string} and 422s FastAPI validation items', () => {
    for (const [method, path, , statuses] of operations) {
      for (const status of statuses.filter((s) => Number(s) >= 400)) {
        for (const e of examplesOf(operation(method, path), status)) {
          if (status === '422') expect(e.value.detail.every((d: Json) => ['type', 'loc', 'msg', 'input'].every((k) => k in d))).toBe(true);
          else expect(typeof e.value.detail).toBe('string');
        }
      }
    }
  });

  it.each([
    ['401', 'Missing or invalid authorization header(s)'],
    ['401', 'Cannot make images for users other than yourself!'],
    ['409', "Image with name='tinyllama' and tag='1.0.0' aready exists"],
  ])('create documents %s "%s"', (status, detail) => {
    expect(examplesOf(operation('post', '/images/'), status).map((e) => e.value.detail)).toContain(detail);
  });

  it('create takes multipart/form-data with every field required and the build context a zip file', () => {
    const body = operation('post', '/images/').requestBody;
    expect(body.required).toBe(true);
    const media = body.content['multipart/form-data'];
    const form = deref(media.schema);
    expect(form.required.sort()).toEqual(['build_context', 'dockerfile', 'image', 'logo_id', 'name', 'public', 'readme', 'tag', 'username', 'wait']);
    expect(form.properties.build_context).toMatchObject({ type: 'string', format: 'binary', contentMediaType: 'application/zip' });
    expect(form.properties.name.pattern).toBe('^[a-z0-9][a-z0-9_./-]{2,64}$');
    expect(form.properties.tag.pattern).toBe('^[a-z0-9][a-z0-9_./-]{1,32}$');
  });

  it('the logs answer text/plain or text/event-stream, each with examples', () => {
    const ok = operation('get', '/images/{image_id}/logs').responses['200'];
    expect(Object.keys(ok.content).sort()).toEqual(['text/event-stream', 'text/plain']);
  });

  it('names the hotkey signature headers as security schemes', () => {
    const schemes = spec.components.securitySchemes;
    expect([schemes.chutesHotkey.name, schemes.chutesSignature.name, schemes.chutesNonce.name]).toEqual(['X-Chutes-Hotkey', 'X-Chutes-Signature', 'X-Chutes-Nonce']);
    expect(schemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  });
});

describe('npm run lint on the Chutes contract', () => {
  let box: Sandbox;
  beforeEach(async () => {
    box = await makeSandbox();
  });
  afterEach(async () => {
    await box.remove();
  });
  const lint = () => box.run('node_modules/.bin/redocly', ['lint', 'spec/chutes/openapi.yaml']);
  const ex = (name: string) => `spec/chutes/components/examples/${name}.yaml`;

  it('passes as it is, with no warning', async () => {
    const { code, out } = await lint();
    expect(out).toContain('Your API description is valid');
    expect(out).not.toMatch(/\d+ warnings?/);
    expect(code).toBe(0);
  });

  it.each<[string, string, (s: string) => string, string]>([
    ['a response example that breaks its schema', ex('DeleteImageDeleted'), (s) => s.replace('deleted: true', 'deleted: "yes"'), 'examples/example-validity'],
    ['a request example marked x-invalid that is valid', ex('CreateImageBadNameRequest'), (s) => s.replace('name: Whisper Large', 'name: whisper-large'), 'is marked x-invalid but its value is valid'],
    ['an unknown caller role', ex('CreateImageRateLimited'), (s) => s.replace('x-caller: limited', 'x-caller: admin'), 'x-caller must be one of'],
    ['a request example with no response of its name', 'spec/chutes/paths/images.yaml', (s) => s.replace('            rate-limited:\n              $ref: ../components/examples/CreateImageRateLimited.yaml', '            too-many:\n              $ref: ../components/examples/CreateImageRateLimited.yaml'), 'has no response example of the same name'],
  ])('fails on %s', async (_what, file, change, expected) => {
    await box.edit(file, change);
    const { code, out } = await lint();
    expect(out).toContain(expected);
    expect(code).not.toBe(0);
  });
});
