// The service's published client (as test/images/published-client.ts sends it) against the reference
// server and the stateful mock: every operation it has, in the order a frontend would call them, with
// the shapes it reads (facts-001-002.md). Each row is one client call; later rows use what earlier ones made.
import { createServer } from 'node:http';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockApp } from '../../mock/app.ts';
import { createReferenceServer } from '../../server/contracts.ts';
import { listen } from '../helpers/listen.ts';
import { publishedClient, PublishedClientError, type PublishedClient } from './published-client.ts';

const CONTAINER = '507f1f77bcf86cd799439011';
const SNAPSHOT_ENTRY = { name: expect.stringMatching(/^snap-\d{8}-\d{6}$/), alias: expect.toBeOneOf([expect.any(String), null]), created_at: expect.any(String), last_used_at: expect.toBeOneOf([expect.any(String), null]), expires_at: expect.toBeOneOf([expect.any(String), null]), stateful: expect.any(Boolean), size: expect.any(Number) };

interface Target {
  url: string;
  /** The reference server holds the demo data; the mock answers from the examples. */
  real: boolean;
  close(): Promise<void>;
}

const targets: [string, () => Promise<Target>][] = [
  ['the reference server', async () => {
    const { baseUrl, close } = await listen(createReferenceServer({ logger: pino({ level: 'silent' }), controlApi: false, cors: true }));
    return { url: baseUrl, real: true, close };
  }],
  ['the stateful mock', async () => {
    const mock = await createMockApp({ specPath: 'spec/images/openapi.yaml', stateful: true, quiet: true, tokens: { owner: 'alice-demo-token', other: 'bob-demo-token' }, logger: { info: () => {}, error: () => {} } });
    const { baseUrl, close } = await listen(createServer(mock.handle));
    return { url: baseUrl, real: false, close: async () => (await close(), await mock.close()) };
  }],
];

interface Context {
  target: Target;
  alice: PublishedClient;
  bob: PublishedClient;
  created?: string;
}

type Step = [string, (c: Context) => Promise<void>];

const steps: Step[] = [
  ['listPublic: a two-word search, written by URLSearchParams as Jammy+Jellyfish', async ({ alice, target }) => {
    const { data } = await alice.request<{ images: { alias: string; description: string }[]; pagination: { total: number; page: number; limit: number; totalPages: number } }>('GET', '/api/v1/images/public', { query: { search: 'Jammy Jellyfish', page: 1, limit: 20 } });
    expect(data.pagination).toEqual({ total: expect.any(Number), page: 1, limit: 20, totalPages: expect.any(Number) });
    expect(data.images.length).toBeGreaterThan(0);
    if (target.real) for (const image of data.images) expect(`${image.alias} ${image.description}`.toLowerCase()).toMatch(/jammy|22\.04/);
  }],
  ['listPublic: every filter the client checks', async ({ alice }) => {
    const query = { os: 'ubuntu', architecture: 'amd64', min_price: 0, max_price: 10, min_rating: 1, max_rating: 5, sort_by: 'rating', sort_order: 'desc', page: 1, limit: 5 };
    const { data } = await alice.request<{ images: unknown[]; pagination: { total: number } }>('GET', '/api/v1/images/public', { query });
    expect(data.pagination.total).toEqual(expect.any(Number));
  }],
  ['getPublic', async ({ alice }) => {
    const { data } = await alice.request<{ id: string }>('GET', '/api/v1/images/public/507f1f77bcf86cd799439021');
    expect(data.id).toBe('507f1f77bcf86cd799439021');
  }],
  ['getIcon: PNG bytes (the mock sends its example\'s text as the body)', async ({ alice, target }) => {
    const icon = await alice.bytes('/api/v1/images/507f1f77bcf86cd799439021/icon');
    expect(icon.contentType).toMatch(/^image\/png/);
    expect(icon.bytes.length).toBeGreaterThan(0);
    if (target.real) expect([...icon.bytes.slice(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  }],
  ['user images, sorted by created_at', async ({ alice }) => {
    const { data } = await alice.request<{ images: unknown[]; pagination: { total: number } }>('GET', '/api/v1/images/user', { query: { sort_by: 'created_at', sort_order: 'desc', page: 1, limit: 20 } });
    expect(data.images.length).toBeGreaterThan(0);
    expect(data.pagination.total).toBeGreaterThanOrEqual(data.images.length);
  }],
  ['importFree (bob, bodiless POST with a JSON content type)', async ({ bob }) => {
    const { data } = await bob.request('POST', '/api/v1/images/import/507f1f77bcf86cd799439021');
    expect(data).toEqual({});
  }],
  ['purchase (bodiless POST)', async ({ alice }) => {
    const { data } = await alice.request('POST', '/api/v1/images/purchase/507f1f77bcf86cd799439022');
    expect(data).toEqual({ price_paid: 5.99, remaining_balance: 44.01 });
  }],
  ['rate (bob)', async ({ bob }) => {
    const { data } = await bob.request('POST', '/api/v1/images/rate/507f1f77bcf86cd799439022', { body: { rating: 5 } });
    expect(data).toEqual({ new_rating: expect.any(Number), average_rating: expect.any(Number), rating_count: expect.any(Number) });
  }],
  ['a rating of 7 reaches the server (the client checks no body) and comes back as its error', async ({ bob }) => {
    const error = await bob.request('POST', '/api/v1/images/rate/507f1f77bcf86cd799439022', { body: { rating: 7 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PublishedClientError);
    expect(error).toMatchObject({ status: 400, message: expect.stringMatching(/^Invalid rating value/) });
  }],
  ['listSnapshots', async ({ alice }) => {
    const { data } = await alice.request<{ snapshots: unknown[] }>('GET', `/api/v1/containers/${CONTAINER}/snapshots`);
    expect(data).toEqual({ container_id: CONTAINER, project_id: expect.any(String), snapshot_count: data.snapshots.length, max_snapshots: expect.toBeOneOf([expect.any(Number), null]), snapshots: expect.any(Array) });
    for (const entry of data.snapshots) expect(entry).toEqual(SNAPSHOT_ENTRY);
  }],
  ['createSnapshot: the snapshot nested under data.snapshot', async (c) => {
    const { status, data } = await c.alice.request<{ snapshot: { name: string } }>('POST', `/api/v1/containers/${CONTAINER}/snapshots`, { body: { alias: 'from-the-client', expiry: 7 } });
    expect(status).toBe(201);
    expect(data).toEqual({ container_id: CONTAINER, project_id: expect.any(String), snapshot: { ...SNAPSHOT_ENTRY, alias: 'from-the-client' } });
    c.created = data.snapshot.name;
  }],
  ['updateSnapshotAlias by PUT', async ({ alice, created }) => {
    const { data } = await alice.request('PUT', `/api/v1/containers/${CONTAINER}/snapshots/${created}/alias`, { body: { alias: 'renamed-by-put' } });
    expect(data).toEqual({ container_id: CONTAINER, project_id: expect.any(String), snapshot: { ...SNAPSHOT_ENTRY, name: created, alias: 'renamed-by-put' } });
  }],
  ['restoreSnapshot by PUT, no body: { success, message, snapshot }', async ({ alice, created, target }) => {
    const { data } = await alice.request<{ snapshot: { last_used_at: string | null } }>('PUT', `/api/v1/containers/${CONTAINER}/snapshots/${created}`);
    expect(data).toEqual({ success: true, message: 'Container restored from snapshot successfully', snapshot: { ...SNAPSHOT_ENTRY, name: created, alias: 'renamed-by-put' } });
    if (target.real) expect(data.snapshot.last_used_at).not.toBeNull();
  }],
  ['deleteSnapshot (DELETE with a JSON content type)', async ({ alice, created }) => {
    const { data } = await alice.request('DELETE', `/api/v1/containers/${CONTAINER}/snapshots/${created}`);
    expect(data).toEqual({ container_id: CONTAINER, project_id: expect.any(String), snapshot_name: created });
  }],
  ['restoring it again is the documented 404, thrown with its message', async ({ alice, created }) => {
    const error = await alice.request('PUT', `/api/v1/containers/${CONTAINER}/snapshots/${created}`).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 404, message: expect.any(String), body: { statusCode: 404, error: 'Not Found' } });
  }],
];

describe.each(targets)('the published client against %s', (_name, start) => {
  const context = {} as Context;
  beforeAll(async () => {
    context.target = await start();
    context.alice = publishedClient(context.target.url, 'alice-demo-token');
    context.bob = publishedClient(context.target.url, 'bob-demo-token');
  });
  afterAll(() => context.target?.close());

  it.each(steps)('%s', async (_step, run) => {
    await run(context);
  });
});
