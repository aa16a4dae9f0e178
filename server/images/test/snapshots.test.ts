// Tag "Snapshots": the lifecycle under a manual clock, ownership, expiry and every 4xx.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALICE_CONTAINER, BOB_CONTAINER, errorBody, startServer, stateOf, type TestServer } from './helpers.ts';

let server: TestServer;
beforeEach(async () => {
  server = await startServer();
});
afterEach(() => server.close());

const path = (id: string) => ({ params: { path: { id } } });
const named = (id: string, name: string) => ({ params: { path: { id, name } } });
const list = async (client = server.alice, id = ALICE_CONTAINER) => (await client.GET('/api/v1/containers/{id}/snapshots', path(id))).data!.data!;
const create = (body?: { alias?: string; expiry?: number }, client = server.alice, id = ALICE_CONTAINER) =>
  client.POST('/api/v1/containers/{id}/snapshots', { ...path(id), ...(body === undefined ? {} : { body }) });

describe('listSnapshots', () => {
  it('lists the live snapshots newest first; the one that expired on 2025-01-01 is gone', async () => {
    const data = await list();
    expect(data).toEqual({
      container_id: ALICE_CONTAINER,
      project_id: '507f1f77bcf86cd799439033',
      snapshots: [
        { name: 'snap-20250115-103000', alias: 'backup-2025-01-15', created_at: '2025-01-15T10:30:00.000Z', last_used_at: '2025-01-15T14:00:00.000Z', expires_at: '2025-02-15T10:30:00.000Z' },
        { name: 'snap-20250110-080000', alias: 'weekly-backup', created_at: '2025-01-10T08:00:00.000Z', last_used_at: null, expires_at: null },
      ],
    });
  });

  it('shows the expired snapshot when the clock is before its expiry, and hides the next one when the clock passes it', async () => {
    server.clock.set('2024-12-31T23:59:59.999Z');
    expect((await list()).snapshots.map((s) => s.name)).toContain('snap-20241201-000000');
    server.clock.set('2025-02-15T10:30:00.000Z'); // the moment snap-20250115-103000 expires
    expect((await list()).snapshots.map((s) => s.name)).toEqual(['snap-20250110-080000']);
  });

  it('bob lists his own container', async () => {
    expect((await list(server.bob, BOB_CONTAINER)).snapshots.map((s) => s.name)).toEqual(['snap-20250112-090000']);
  });
});

describe('createSnapshot', () => {
  it('names the snapshot from the clock, with the alias and the expiry in days', async () => {
    server.clock.set('2025-01-15T14:55:00.000Z');
    const { data, response } = await create({ alias: 'pre-deployment-backup', expiry: 30 });
    expect(response.status).toBe(201);
    expect(data).toEqual({
      statusCode: 201,
      message: 'Snapshot created successfully',
      data: {
        container_id: ALICE_CONTAINER, project_id: '507f1f77bcf86cd799439033', name: 'snap-20250115-145500', alias: 'pre-deployment-backup',
        created_at: '2025-01-15T14:55:00.000Z', last_used_at: null, expires_at: '2025-02-14T14:55:00.000Z',
      },
    });
    expect((await list()).snapshots[0]!.name).toBe('snap-20250115-145500');
  });

  it.each([
    ['no body at all', undefined, { alias: null, expires_at: null }],
    ['an empty body', {}, { alias: null, expires_at: null }],
    ['an alias only', { alias: 'x' }, { alias: 'x', expires_at: null }],
    ['an expiry of 1 day', { expiry: 1 }, { alias: null, expires_at: '2025-03-02T06:07:08.000Z' }],
    ['the longest expiry, 3650 days', { expiry: 3650 }, { alias: null, expires_at: '2035-02-27T06:07:08.000Z' }],
  ])('works with %s', async (_name, body, expected) => {
    server.clock.set('2025-03-01T06:07:08.000Z');
    const { data, response } = await create(body);
    expect(response.status).toBe(201);
    expect(data!.data).toMatchObject({ name: 'snap-20250301-060708', created_at: '2025-03-01T06:07:08.000Z', last_used_at: null, ...expected });
  });

  it('three snapshots in one second take the next free seconds, so names stay unique and sortable', async () => {
    server.clock.set('2025-01-15T14:55:00.250Z');
    const names = [];
    for (let n = 0; n < 3; n++) {
      names.push((await create()).data!.data!.name);
      server.clock.advance(100);
    }
    expect(names).toEqual(['snap-20250115-145500', 'snap-20250115-145501', 'snap-20250115-145502']);
    server.clock.set('2025-01-15T14:55:01.900Z'); // a later request in an already taken second
    expect((await create()).data!.data!.name).toBe('snap-20250115-145503');
    const listed = (await list()).snapshots.map((s) => s.name);
    expect(new Set(listed).size).toBe(listed.length);
  });

  it('a snapshot with an expiry disappears once the clock reaches it', async () => {
    server.clock.set('2025-01-15T15:00:00.000Z');
    await create({ alias: 'short', expiry: 1 });
    server.clock.set('2025-01-16T14:59:59.999Z');
    expect((await list()).snapshots.map((s) => s.alias)).toContain('short');
    server.clock.set('2025-01-16T15:00:00.000Z');
    expect((await list()).snapshots.map((s) => s.alias)).not.toContain('short');
  });

  it.each([
    ['an alias of 101 characters', { alias: 'a'.repeat(101) }, /^Invalid request payload: alias must NOT have more than 100 characters$/],
    ['an empty alias', { alias: '' }, /^Invalid request payload: alias/],
    ['an expiry of 0 days', { expiry: 0 }, /^Invalid request payload: expiry must be >= 1$/],
    ['a fractional expiry', { expiry: 1.5 }, /^Invalid request payload: expiry must be integer$/],
    ['an expiry over ten years', { expiry: 3651 }, /^Invalid request payload: expiry must be <= 3650$/],
    ['an unknown field', { name: 'mine' }, /^Invalid request payload: .*additional properties/],
    ['a body that is an array', [], /^Invalid request payload: /],
  ])('answers 400 for %s and takes no snapshot', async (_name, body, message) => {
    const before = stateOf(server.store, server.fixture);
    const { error, response } = await create(body as never);
    expect(response.status).toBe(400);
    expect(error).toEqual(errorBody(400, message));
    expect(stateOf(server.store, server.fixture)).toEqual(before);
  });
});

describe('restoreSnapshot', () => {
  it('sets last_used_at to the restore time and says what was restored', async () => {
    server.clock.set('2025-01-20T09:00:00.000Z');
    const { data } = await server.alice.PATCH('/api/v1/containers/{id}/snapshots/{name}', named(ALICE_CONTAINER, 'snap-20250110-080000'));
    expect(data).toEqual({
      statusCode: 200,
      message: 'Container restored from snapshot successfully',
      data: {
        message: 'Container restored from snapshot successfully', container_id: ALICE_CONTAINER, project_id: '507f1f77bcf86cd799439033',
        snapshot_name: 'snap-20250110-080000', restored_at: '2025-01-20T09:00:00.000Z',
      },
    });
    const snapshot = (await list()).snapshots.find((s) => s.name === 'snap-20250110-080000');
    expect(snapshot).toMatchObject({ last_used_at: '2025-01-20T09:00:00.000Z', created_at: '2025-01-10T08:00:00.000Z', expires_at: null });
  });
});

describe('updateSnapshotAlias', () => {
  it.each([
    ['sets a new alias', 'production-baseline'],
    ['removes the alias with null', null],
    ['accepts an alias of exactly 100 characters', 'b'.repeat(100)],
  ])('%s', async (_name, alias) => {
    const { data } = await server.alice.PATCH('/api/v1/containers/{id}/snapshots/{name}/alias', { ...named(ALICE_CONTAINER, 'snap-20250115-103000'), body: { alias } });
    expect(data).toEqual({
      statusCode: 200,
      message: 'Snapshot alias updated successfully',
      data: {
        container_id: ALICE_CONTAINER, project_id: '507f1f77bcf86cd799439033', name: 'snap-20250115-103000', alias,
        created_at: '2025-01-15T10:30:00.000Z', last_used_at: '2025-01-15T14:00:00.000Z', expires_at: '2025-02-15T10:30:00.000Z',
      },
    });
    expect((await list()).snapshots[0]!.alias).toBe(alias);
  });

  it('aliases need not be unique', async () => {
    const { response } = await server.alice.PATCH('/api/v1/containers/{id}/snapshots/{name}/alias', { ...named(ALICE_CONTAINER, 'snap-20250115-103000'), body: { alias: 'weekly-backup' } });
    expect(response.status).toBe(200);
  });

  it.each([
    ['an alias of 101 characters', { alias: 'a'.repeat(101) }, /^Invalid alias value: alias/],
    ['a number', { alias: 5 }, /^Invalid alias value: alias/],
    ['no alias field', {}, /^Invalid alias value: .*alias/],
    ['an alias with a NUL byte', { alias: 'a\u0000b' }, /^Invalid alias value: alias must not contain NUL characters$/],
  ])('answers 400 for %s', async (_name, body, message) => {
    const before = stateOf(server.store, server.fixture);
    const { error, response } = await server.alice.PATCH('/api/v1/containers/{id}/snapshots/{name}/alias', { ...named(ALICE_CONTAINER, 'snap-20250115-103000'), body: body as never });
    expect(response.status).toBe(400);
    expect(error).toEqual(errorBody(400, message));
    expect(stateOf(server.store, server.fixture)).toEqual(before);
  });
});

describe('deleteSnapshot', () => {
  it('deletes the snapshot; it is gone from the list and a second delete is a 404', async () => {
    const { data } = await server.alice.DELETE('/api/v1/containers/{id}/snapshots/{name}', named(ALICE_CONTAINER, 'snap-20250110-080000'));
    expect(data).toEqual({ statusCode: 200, message: 'Snapshot deleted successfully', data: { container_id: ALICE_CONTAINER, project_id: '507f1f77bcf86cd799439033', snapshot_name: 'snap-20250110-080000' } });
    expect((await list()).snapshots.map((s) => s.name)).toEqual(['snap-20250115-103000']);
    const again = await server.alice.DELETE('/api/v1/containers/{id}/snapshots/{name}', named(ALICE_CONTAINER, 'snap-20250110-080000'));
    expect(again.error).toEqual(errorBody(404, 'Container or snapshot not found'));
  });

  it('a deleted name is free again for a new snapshot taken in that second', async () => {
    server.clock.set('2025-01-15T16:00:00.000Z');
    const first = (await create()).data!.data!.name;
    await server.alice.DELETE('/api/v1/containers/{id}/snapshots/{name}', named(ALICE_CONTAINER, first));
    expect((await create()).data!.data!.name).toBe(first);
  });
});

// Every operation, for every way a caller can fail to reach a snapshot.
const operations = {
  listSnapshots: { call: (c: TestServer['alice'], id: string) => c.GET('/api/v1/containers/{id}/snapshots', path(id)), forbidden: 'You do not have permission to access this container', missing: 'Container not found', badId: 'Invalid container ID format' },
  createSnapshot: { call: (c: TestServer['alice'], id: string) => c.POST('/api/v1/containers/{id}/snapshots', { ...path(id), body: { alias: 'x' } }), forbidden: 'You do not have permission to create snapshots for this container', missing: 'Container not found', badId: 'Invalid container ID format' },
  restoreSnapshot: { call: (c: TestServer['alice'], id: string, name = 'snap-20250115-103000') => c.PATCH('/api/v1/containers/{id}/snapshots/{name}', named(id, name)), forbidden: 'You do not have permission to restore this container', missing: 'Container or snapshot not found', badId: 'Invalid snapshot name or container ID' },
  updateSnapshotAlias: { call: (c: TestServer['alice'], id: string, name = 'snap-20250115-103000') => c.PATCH('/api/v1/containers/{id}/snapshots/{name}/alias', { ...named(id, name), body: { alias: 'y' } }), forbidden: 'You do not have permission to update snapshots for this container', missing: 'Container or snapshot not found', badId: 'Invalid snapshot name or container ID' },
  deleteSnapshot: { call: (c: TestServer['alice'], id: string, name = 'snap-20250115-103000') => c.DELETE('/api/v1/containers/{id}/snapshots/{name}', named(id, name)), forbidden: 'You do not have permission to delete snapshots for this container', missing: 'Container or snapshot not found', badId: 'Invalid snapshot name or container ID' },
} as const;
const table = Object.entries(operations);
const byName = (name: string) => Object.entries(operations).filter(([op]) => op !== 'listSnapshots' && op !== 'createSnapshot').map(([op, o]) => [op, name, o] as const);

describe.each(table)('%s refusals', (_op, o) => {
  it('bob on alice\'s container gets the documented 403 and no data, and nothing changes', async () => {
    const before = stateOf(server.store, server.fixture);
    const { error, data, response } = await o.call(server.bob, ALICE_CONTAINER);
    expect(response.status).toBe(403);
    expect(data).toBeUndefined();
    expect(error).toEqual(errorBody(403, o.forbidden));
    expect(stateOf(server.store, server.fixture)).toEqual(before);
  });

  it('an unknown container is a 404', async () => {
    const { error } = await o.call(server.alice, '507f1f77bcf86cd799439099');
    expect(error).toEqual(errorBody(404, o.missing));
  });

  it.each(['not-a-valid-id', '507F1F77BCF86CD799439011', '507f1f77bcf86cd79943901', '507f1f77bcf86cd799439011a'])('a malformed container id (%s) is a 400', async (id) => {
    const { error } = await o.call(server.alice, id);
    expect(error).toEqual(errorBody(400, new RegExp(`^${o.badId.replace(/[()]/g, '\\$&')}: id must match pattern`)));
  });

  it.each([
    ['a missing token', 'anonymous'],
  ] as const)('%s is a 401 with WWW-Authenticate: Bearer', async (_name, who) => {
    const { error, response } = await o.call(server[who], ALICE_CONTAINER);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(error).toEqual(errorBody(401, 'Authentication required'));
  });
});

describe.each([...byName('snap-20240101-000000'), ...byName('snap-20241201-000000')])('%s of %s (unknown or expired)', (_op, name, o) => {
  it('is a 404', async () => {
    const { error } = await (o.call as (c: TestServer['alice'], id: string, name: string) => Promise<{ error?: unknown }>)(server.alice, ALICE_CONTAINER, name);
    expect(error).toEqual(errorBody(404, 'Container or snapshot not found'));
  });
});

describe.each([...byName('latest'), ...byName('snap-2025-01-15'), ...byName('snap-20250115-103000x')])('%s of a malformed name %s', (_op, name, o) => {
  it('is a 400 "Invalid snapshot name or container ID"', async () => {
    const { error } = await (o.call as (c: TestServer['alice'], id: string, name: string) => Promise<{ error?: unknown }>)(server.alice, ALICE_CONTAINER, name);
    expect(error).toEqual(errorBody(400, /^Invalid snapshot name or container ID: name must match pattern/));
  });
});
