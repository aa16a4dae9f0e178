// The control API outside the contract, and when main turns it on.
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type RequestListener } from 'node:http';
import { createApp } from '../app.ts';
import { manualClock } from '../../shared/clock.ts';
import { loadDemoFixture } from '../store/fixture.ts';
import { MemoryStore } from '../store/memory-store.ts';
import { ALICE, ALICE_CONTAINER, startServer, stateOf, type TestServer } from './helpers.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const post = (path: string, body?: unknown) =>
  server!.raw(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

describe('POST /__control/images/reset', () => {
  it('restores the fixture and the fixture clock after changes', async () => {
    server = await startServer();
    const fresh = stateOf(server.store, server.fixture);
    await server.alice.POST('/api/v1/images/purchase/{id}', { params: { path: { id: '507f1f77bcf86cd799439022' } } });
    await server.alice.DELETE('/api/v1/containers/{id}/snapshots/{name}', { params: { path: { id: ALICE_CONTAINER, name: 'snap-20250110-080000' } } });
    await server.bob.POST('/api/v1/images/rate/{id}', { params: { path: { id: '507f1f77bcf86cd799439021' } }, body: { rating: 1 } });
    server.clock.set('2030-01-01T00:00:00.000Z');
    expect(stateOf(server.store, server.fixture)).not.toEqual(fresh);
    const response = await post('/__control/images/reset');
    expect(response.status).toBe(204);
    expect(stateOf(server.store, server.fixture)).toEqual(fresh);
    expect(server.clock.now()).toBe(Date.parse('2025-01-15T14:55:00.000Z'));
    expect(server.store.account(ALICE.id)!.balanceCents).toBe(5000);
  });
});

describe('POST /__control/images/fixture', () => {
  it('loads a fixture of the same format, clock included, and reset returns to it', async () => {
    server = await startServer();
    const fixture = loadDemoFixture();
    fixture.clock = '2026-06-01T00:00:00.000Z';
    fixture.images = fixture.images.slice(0, 3);
    fixture.users = fixture.users.map((u) => ({ ...u, images: u.images.filter((i) => fixture.images.some((f) => f.id === i.image_id)), ratings: {} }));
    expect((await post('/__control/images/fixture', fixture)).status).toBe(204);
    const { data } = await server.anonymous.GET('/api/v1/images/public');
    expect(data!.data!.pagination.total).toBe(3);
    expect(server.clock.now()).toBe(Date.parse('2026-06-01T00:00:00.000Z'));
    await server.alice.POST('/api/v1/images/purchase/{id}', { params: { path: { id: '507f1f77bcf86cd799439022' } } });
    await post('/__control/images/reset');
    expect(server.store.account(ALICE.id)!.balanceCents).toBe(5000);
    expect((await server.anonymous.GET('/api/v1/images/public')).data!.data!.pagination.total).toBe(3);
  });

  it.each([
    ['not an object', [], /^Invalid fixture: fixture must be an object$/],
    ['no clock', { images: [], users: [], containers: [] }, /^Invalid fixture: clock must be a date-time$/],
    ['a user owning an unknown image', { clock: '2025-01-01T00:00:00Z', images: [], users: [{ id: 'u', name: 'u', token: 't', balance: '1.00', images: [{ image_id: 'x', acquired_at: '2025-01-01T00:00:00Z', via: 'import' }], ratings: {} }], containers: [] }, /users\[0\]\.images\[0\]\.image_id/],
    ['a balance as a float', { clock: '2025-01-01T00:00:00Z', images: [], users: [{ id: 'u', name: 'u', token: 't', balance: 1.5, images: [], ratings: {} }], containers: [] }, /balance/],
  ])('refuses a fixture with %s (400) and keeps the state', async (_name, body, message) => {
    server = await startServer();
    const before = stateOf(server.store, server.fixture);
    const response = await post('/__control/images/fixture', body);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(message);
    expect(stateOf(server.store, server.fixture)).toEqual(before);
  });

  it('is absent when the app is built without it: 404, like any path outside the contract', async () => {
    const fixture = loadDemoFixture();
    const app = createApp({ store: new MemoryStore(fixture), clock: manualClock(fixture.clock) });
    const listening = createServer(app as unknown as RequestListener).listen(0, '127.0.0.1');
    await new Promise((resolve) => listening.once('listening', resolve));
    const { port } = listening.address() as { port: number };
    const response = await fetch(`http://127.0.0.1:${port}/__control/images/reset`, { method: 'POST' });
    expect(response.status).toBe(404);
    await new Promise((resolve) => listening.close(resolve));
  });
});
