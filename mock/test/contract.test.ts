// The mock serving this project's contract (spec/images/openapi.yaml). The cases are built from the spec's
// own named examples with spec/README.md's pairing convention, so a new example is a new row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../generated/images/client.ts';
import { loadSpec } from '../load-spec.ts';
import { exampleRows, expectedText, replay } from './example-rows.ts';
import { call, startMock, type Running } from './helpers.ts';

const SPEC = 'spec/images/openapi.yaml';
const TOKENS = { owner: 'alice-demo-token', other: 'bob-demo-token' };
const CONTAINER = '507f1f77bcf86cd799439011';
const errorShape = { statusCode: expect.any(Number), error: expect.any(String), message: expect.any(String) };

const { model } = await loadSpec(SPEC);

const rows = exampleRows(model, { owner: { authorization: `Bearer ${TOKENS.owner}` }, other: { authorization: `Bearer ${TOKENS.other}` } });

let mock: Running;
beforeAll(async () => {
  mock = await startMock({ specPath: SPEC, tokens: TOKENS });
});
afterAll(async () => {
  await mock.close();
});

describe('the contract', () => {
  it('has the 14 operations, each with named examples', () => {
    expect(model.operations).toHaveLength(14);
    for (const op of model.operations) expect(op.examples.length, op.id).toBeGreaterThan(1);
  });
});

describe('example selection by name, every example of every operation', () => {
  it.each(rows)('$name', async (row) => {
    const reply = await replay(mock.url, row);
    expect(reply.status).toBe(row.status);
    const text = expectedText(row);
    if (text !== undefined) expect(reply.text).toBe(text);
    else expect(reply.body).toEqual(row.expected);
  });
});

describe('Prefer on the contract', () => {
  const list = `/api/v1/containers/${CONTAINER}/snapshots`;
  const alice = { authorization: `Bearer ${TOKENS.owner}` };
  it.each([
    { when: 'code=404 gives the documented 404 example', prefer: 'code=404', status: 404, message: 'Container not found' },
    { when: 'example=forbidden gives the 403 example for the owner too', prefer: 'example=forbidden', status: 403 },
    { when: 'example=server-error gives the 500 no request can provoke', prefer: 'example=server-error', status: 500 },
    { when: 'an unknown example is a 404 in the contract error shape', prefer: 'example=nope', status: 404, message: expect.stringContaining('list-snapshots') },
  ])('$when', async ({ prefer, status, message }) => {
    const reply = await call(mock.url, 'GET', list, { headers: { ...alice, prefer } });
    expect(reply.status).toBe(status);
    expect(reply.body).toEqual({ ...errorShape, statusCode: status, ...(message ? { message } : {}) });
  });

  it('dynamic=true with a seed gives a schema-valid envelope, the same twice', async () => {
    const a = await call(mock.url, 'GET', list, { headers: { ...alice, prefer: 'dynamic=true, seed=9' } });
    const b = await call(mock.url, 'GET', list, { headers: { ...alice, prefer: 'dynamic=true, seed=9' } });
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ statusCode: expect.any(Number), message: expect.any(String), data: { snapshots: expect.any(Array) } });
    expect(b.body).toEqual(a.body);
  });
});

describe('validation errors in the contract’s shape', () => {
  const alice = { authorization: `Bearer ${TOKENS.owner}` };
  it.each([
    { when: 'no token', method: 'GET', path: '/api/v1/images/user', headers: {}, status: 401 },
    { when: 'a malformed container id', method: 'GET', path: '/api/v1/containers/zzz/snapshots', headers: alice, status: 400 },
    { when: 'a body with an unknown field', method: 'POST', path: `/api/v1/containers/${CONTAINER}/snapshots`, headers: alice, send: { colour: 'red' }, status: 400 },
    { when: 'malformed JSON', method: 'POST', path: `/api/v1/containers/${CONTAINER}/snapshots`, headers: { ...alice, 'content-type': 'application/json' }, raw: '{"alias": ', status: 400 },
    { when: 'a rating out of range', method: 'POST', path: '/api/v1/images/rate/507f1f77bcf86cd799439021', headers: alice, send: { rating: 9 }, status: 400 },
    { when: 'an unknown path', method: 'GET', path: '/api/v2/nothing', headers: alice, status: 404 },
    { when: 'a wrong method', method: 'PUT', path: '/api/v1/images/user', headers: alice, status: 405 },
  ])('$when: $status', async ({ method, path, headers, send, raw, status }) => {
    const reply = await call(mock.url, method, path, { headers, body: send, raw });
    expect(reply.status).toBe(status);
    expect(reply.body).toEqual({ ...errorShape, statusCode: status, error: expect.stringMatching(/^[A-Z]/) });
    expect(reply.text).not.toMatch(/prism|stoplight|problem\+json|node_modules/i);
  });

  it('405 carries Allow', async () => {
    const reply = await call(mock.url, 'DELETE', '/api/v1/images/user', { headers: alice });
    expect(reply.headers.get('allow')).toBe('GET');
  });
});

describe('stateful snapshots through the generated client', () => {
  let stateful: Running;
  beforeAll(async () => {
    stateful = await startMock({ specPath: SPEC, stateful: true, tokens: TOKENS });
  });
  afterAll(async () => {
    await stateful.close();
  });

  it('create, list, rename alias, delete, then 404', async () => {
    const api = createClient({ baseUrl: stateful.url, token: TOKENS.owner });
    const params = { path: { id: CONTAINER } };
    const before = await api.GET('/api/v1/containers/{id}/snapshots', { params });
    expect(before.data?.data.snapshots.map((s) => s.name)).toEqual(['snap-20250115-103000', 'snap-20250110-080000']);

    const created = await api.POST('/api/v1/containers/{id}/snapshots', { params, body: { alias: 'before-upgrade', expiry: 7 } });
    expect(created.response.status).toBe(201);
    const name = created.data?.data.snapshot.name ?? '';
    expect(name).toMatch(/^snap-[0-9]{8}-[0-9]{6}$/);
    expect(before.data?.data.snapshots.map((s) => s.name)).not.toContain(name);
    expect(created.data?.data).toMatchObject({ container_id: CONTAINER, snapshot: { alias: 'before-upgrade' } });

    const listed = await api.GET('/api/v1/containers/{id}/snapshots', { params });
    expect(listed.data?.data.snapshots[0]).toMatchObject({ name, alias: 'before-upgrade' });
    expect(listed.data?.data.snapshots).toHaveLength(3);
    expect(listed.data?.data.snapshot_count).toBe(3); // the count follows the list

    const renamed = await api.PATCH('/api/v1/containers/{id}/snapshots/{name}/alias', { params: { path: { id: CONTAINER, name } }, body: { alias: 'after-upgrade' } });
    expect(renamed.response.status).toBe(200);
    expect(renamed.data?.data).toMatchObject({ snapshot: { name, alias: 'after-upgrade' } });
    const relisted = await api.GET('/api/v1/containers/{id}/snapshots', { params });
    expect(relisted.data?.data.snapshots.find((s) => s.name === name)?.alias).toBe('after-upgrade');

    const removed = await api.DELETE('/api/v1/containers/{id}/snapshots/{name}', { params: { path: { id: CONTAINER, name } } });
    expect(removed.response.status).toBe(200);
    expect(removed.data?.data).toEqual({ container_id: CONTAINER, project_id: expect.any(String), snapshot_name: name });

    const again = await api.DELETE('/api/v1/containers/{id}/snapshots/{name}', { params: { path: { id: CONTAINER, name } } });
    expect(again.response.status).toBe(404);
    expect(again.error).toEqual({ ...errorShape, statusCode: 404 });
    const renameGone = await api.PATCH('/api/v1/containers/{id}/snapshots/{name}/alias', { params: { path: { id: CONTAINER, name } }, body: { alias: 'x' } });
    expect(renameGone.response.status).toBe(404);
    const after = await api.GET('/api/v1/containers/{id}/snapshots', { params });
    expect(after.data?.data.snapshots.map((s) => s.name)).toEqual(['snap-20250115-103000', 'snap-20250110-080000']);
  });

  it('removing an alias with null', async () => {
    const api = createClient({ baseUrl: stateful.url, token: TOKENS.owner });
    const path = { id: CONTAINER, name: 'snap-20250110-080000' };
    const res = await api.PATCH('/api/v1/containers/{id}/snapshots/{name}/alias', { params: { path }, body: { alias: null } });
    expect(res.data?.data).toMatchObject({ snapshot: { name: 'snap-20250110-080000', alias: null } });
  });
});

describe('CORS and delay on the contract', () => {
  it('answers a browser preflight for a PATCH with a bearer token', async () => {
    const reply = await call(mock.url, 'OPTIONS', `/api/v1/containers/${CONTAINER}/snapshots/snap-20250115-103000/alias`, {
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'authorization, content-type' },
    });
    expect(reply.status).toBe(204);
    expect(reply.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(reply.headers.get('access-control-allow-methods')).toContain('PATCH');
    expect(reply.headers.get('access-control-allow-headers')).toBe('authorization, content-type');
  });

  it('lists the headers the contract documents as readable, by name (a page with credentials reads `*` literally)', async () => {
    const reply = await call(mock.url, 'GET', '/api/v1/images/user', { headers: { origin: 'http://localhost:5173' } });
    expect(reply.status).toBe(401);
    expect(reply.headers.get('access-control-expose-headers')!.split(', ')).toEqual(['WWW-Authenticate', 'X-Mock-Violations']);
  });

  it('Prefer: delay holds the answer', async () => {
    const started = performance.now();
    const reply = await call(mock.url, 'GET', '/api/v1/images/public', { headers: { prefer: 'delay=250' } });
    expect(reply.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(245);
  });
});
