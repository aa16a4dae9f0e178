// Tag "Snapshots": the lifecycle under a manual clock, ownership, expiry and every 4xx.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALICE_CONTAINER, BOB_CONTAINER, errorBody, SMALL_CONTAINER, startServer, stateOf, type TestServer } from './helpers.ts';

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
      snapshot_count: 2,
      max_snapshots: 100,
      snapshots: [
        { name: 'snap-20250115-103000', alias: 'backup-2025-01-15', created_at: '2025-01-15T10:30:00.000Z', last_used_at: '2025-01-15T14:00:00.000Z', expires_at: '2025-02-15T10:30:00.000Z', stateful: false, size: 1288490188 },
        { name: 'snap-20250110-080000', alias: 'weekly-backup', created_at: '2025-01-10T08:00:00.000Z', last_used_at: null, expires_at: null, stateful: false, size: 1181116006 },
      ],
    });
  });

  it('shows the expired snapshot when the clock is before its expiry, and hides the next one when the clock passes it', async () => {
    server.clock.set('2024-12-31T23:59:59.999Z');
    expect((await list()).snapshots.map((s) => s.name)).toContain('snap-20241201-000000');
    expect((await list()).snapshot_count).toBe(3);
    server.clock.set('2025-02-15T10:30:00.000Z'); // the moment snap-20250115-103000 expires
    expect((await list()).snapshots.map((s) => s.name)).toEqual(['snap-20250110-080000']);
    expect((await list()).snapshot_count).toBe(1);
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
        container_id: ALICE_CONTAINER,
        project_id: '507f1f77bcf86cd799439033',
        snapshot: {
          name: 'snap-20250115-145500', alias: 'pre-deployment-backup', created_at: '2025-01-15T14:55:00.000Z', last_used_at: null,
          expires_at: '2025-02-14T14:55:00.000Z', stateful: false, size: 1342177280, // the container's filesystem when taken
        },
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
    expect(data!.data!.snapshot).toMatchObject({ name: 'snap-20250301-060708', created_at: '2025-03-01T06:07:08.000Z', last_used_at: null, ...expected });
  });

  it('three snapshots in one second take the next free seconds, so names stay unique and sortable', async () => {
    server.clock.set('2025-01-15T14:55:00.250Z');
    const names = [];
    for (let n = 0; n < 3; n++) {
      names.push((await create()).data!.data!.snapshot.name);
      server.clock.advance(100);
    }
    expect(names).toEqual(['snap-20250115-145500', 'snap-20250115-145501', 'snap-20250115-145502']);
    server.clock.set('2025-01-15T14:55:01.900Z'); // a later request in an already taken second
    expect((await create()).data!.data!.snapshot.name).toBe('snap-20250115-145503');
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

// The documents' PATCH and the published client's PUT are one operation each (decision 18).
const restoreWith = {
  PATCH: (id: string, name: string) => server.alice.PATCH('/api/v1/containers/{id}/snapshots/{name}', named(id, name)),
  PUT: (id: string, name: string) => server.alice.PUT('/api/v1/containers/{id}/snapshots/{name}', named(id, name)),
};
const aliasWith = {
  PATCH: (id: string, name: string, alias: unknown) => server.alice.PATCH('/api/v1/containers/{id}/snapshots/{name}/alias', { ...named(id, name), body: { alias } as never }),
  PUT: (id: string, name: string, alias: unknown) => server.alice.PUT('/api/v1/containers/{id}/snapshots/{name}/alias', { ...named(id, name), body: { alias } as never }),
};

describe.each(['PATCH', 'PUT'] as const)('restoreSnapshot by %s', (verb) => {
  it('sets last_used_at to the restore time and answers { success, message, snapshot }', async () => {
    server.clock.set('2025-01-20T09:00:00.000Z');
    const { data } = await restoreWith[verb](ALICE_CONTAINER, 'snap-20250110-080000');
    expect(data).toEqual({
      statusCode: 200,
      message: 'Container restored from snapshot successfully',
      data: {
        success: true,
        message: 'Container restored from snapshot successfully',
        snapshot: { name: 'snap-20250110-080000', alias: 'weekly-backup', created_at: '2025-01-10T08:00:00.000Z', last_used_at: '2025-01-20T09:00:00.000Z', expires_at: null, stateful: false, size: 1181116006 },
      },
    });
    const snapshot = (await list()).snapshots.find((s) => s.name === 'snap-20250110-080000');
    expect(snapshot).toMatchObject({ last_used_at: '2025-01-20T09:00:00.000Z', created_at: '2025-01-10T08:00:00.000Z', expires_at: null });
  });
});

describe.each(['PATCH', 'PUT'] as const)('updateSnapshotAlias by %s', (verb) => {
  it.each([
    ['sets a new alias', 'production-baseline'],
    ['removes the alias with null', null],
    ['accepts an alias of exactly 100 characters', 'b'.repeat(100)],
  ])('%s', async (_name, alias) => {
    const { data } = await aliasWith[verb](ALICE_CONTAINER, 'snap-20250115-103000', alias);
    expect(data).toEqual({
      statusCode: 200,
      message: 'Snapshot alias updated successfully',
      data: {
        container_id: ALICE_CONTAINER,
        project_id: '507f1f77bcf86cd799439033',
        snapshot: {
          name: 'snap-20250115-103000', alias, created_at: '2025-01-15T10:30:00.000Z', last_used_at: '2025-01-15T14:00:00.000Z',
          expires_at: '2025-02-15T10:30:00.000Z', stateful: false, size: 1288490188,
        },
      },
    });
    expect((await list()).snapshots[0]!.alias).toBe(alias);
  });

  it('aliases need not be unique', async () => {
    const { response } = await aliasWith[verb](ALICE_CONTAINER, 'snap-20250115-103000', 'weekly-backup');
    expect(response.status).toBe(200);
  });

  it.each([
    ['an alias of 101 characters', { alias: 'a'.repeat(101) }, /^Invalid alias value: alias/],
    ['a number', { alias: 5 }, /^Invalid alias value: alias/],
    ['no alias field', {}, /^Invalid alias value: .*alias/],
    ['an alias with a NUL byte', { alias: 'a\u0000b' }, /^Invalid alias value: alias must not contain NUL characters$/],
  ])('answers 400 for %s', async (_name, body, message) => {
    const before = stateOf(server.store, server.fixture);
    const { error, response } = await aliasWith[verb](ALICE_CONTAINER, 'snap-20250115-103000', (body as { alias?: unknown }).alias);
    expect(response.status).toBe(400);
    expect(error).toEqual(errorBody(400, message));
    expect(stateOf(server.store, server.fixture)).toEqual(before);
  });
});

describe('the per-container snapshot limit', () => {
  it('alice\'s small container lists its limit, and one more snapshot is a 409 that takes none', async () => {
    expect(await list(server.alice, SMALL_CONTAINER)).toMatchObject({ snapshot_count: 2, max_snapshots: 2 });
    const before = stateOf(server.store, server.fixture);
    const { error, response } = await create({ alias: 'one-too-many' }, server.alice, SMALL_CONTAINER);
    expect(response.status).toBe(409);
    expect(error).toEqual(errorBody(409, 'Snapshot limit reached: this container keeps at most 2 snapshots; delete one first'));
    expect(stateOf(server.store, server.fixture)).toEqual(before);
  });

  it('deleting one frees a place', async () => {
    await server.alice.DELETE('/api/v1/containers/{id}/snapshots/{name}', named(SMALL_CONTAINER, 'snap-20250113-120000'));
    const { data, response } = await create({ alias: 'after-cleanup' }, server.alice, SMALL_CONTAINER);
    expect(response.status).toBe(201);
    expect(data!.data!.snapshot).toMatchObject({ alias: 'after-cleanup', size: 268435456, stateful: false });
    expect((await create(undefined, server.alice, SMALL_CONTAINER)).response.status).toBe(409);
  });

  it('an expired snapshot does not count against the limit', async () => {
    await server.alice.DELETE('/api/v1/containers/{id}/snapshots/{name}', named(SMALL_CONTAINER, 'snap-20250113-120000'));
    server.clock.set('2025-01-15T15:00:00.000Z');
    expect((await create({ expiry: 1 }, server.alice, SMALL_CONTAINER)).response.status).toBe(201);
    expect((await create(undefined, server.alice, SMALL_CONTAINER)).response.status).toBe(409);
    server.clock.set('2025-01-16T15:00:00.000Z'); // the day-long one has expired
    expect((await create(undefined, server.alice, SMALL_CONTAINER)).response.status).toBe(201);
    expect((await list(server.alice, SMALL_CONTAINER)).snapshot_count).toBe(2);
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
    const first = (await create()).data!.data!.snapshot.name;
    await server.alice.DELETE('/api/v1/containers/{id}/snapshots/{name}', named(ALICE_CONTAINER, first));
    expect((await create()).data!.data!.snapshot.name).toBe(first);
  });
});

// Every operation, for every way a caller can fail to reach a snapshot.
const operations = {
  listSnapshots: { call: (c: TestServer['alice'], id: string) => c.GET('/api/v1/containers/{id}/snapshots', path(id)), forbidden: 'You do not have permission to access this container', missing: 'Container not found', badId: 'Invalid container ID format' },
  createSnapshot: { call: (c: TestServer['alice'], id: string) => c.POST('/api/v1/containers/{id}/snapshots', { ...path(id), body: { alias: 'x' } }), forbidden: 'You do not have permission to create snapshots for this container', missing: 'Container not found', badId: 'Invalid container ID format' },
  restoreSnapshot: { call: (c: TestServer['alice'], id: string, name = 'snap-20250115-103000') => c.PATCH('/api/v1/containers/{id}/snapshots/{name}', named(id, name)), forbidden: 'You do not have permission to restore this container', missing: 'Container or snapshot not found', badId: 'Invalid snapshot name or container ID' },
  restoreSnapshotPut: { call: (c: TestServer['alice'], id: string, name = 'snap-20250115-103000') => c.PUT('/api/v1/containers/{id}/snapshots/{name}', named(id, name)), forbidden: 'You do not have permission to restore this container', missing: 'Container or snapshot not found', badId: 'Invalid snapshot name or container ID' },
  updateSnapshotAlias: { call: (c: TestServer['alice'], id: string, name = 'snap-20250115-103000') => c.PATCH('/api/v1/containers/{id}/snapshots/{name}/alias', { ...named(id, name), body: { alias: 'y' } }), forbidden: 'You do not have permission to update snapshots for this container', missing: 'Container or snapshot not found', badId: 'Invalid snapshot name or container ID' },
  updateSnapshotAliasPut: { call: (c: TestServer['alice'], id: string, name = 'snap-20250115-103000') => c.PUT('/api/v1/containers/{id}/snapshots/{name}/alias', { ...named(id, name), body: { alias: 'y' } }), forbidden: 'You do not have permission to update snapshots for this container', missing: 'Container or snapshot not found', badId: 'Invalid snapshot name or container ID' },
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
