// createChutesApp mounts beside other apps: it answers /images... and its control route, and lets
// every other request through to whatever is mounted after it.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { manualClock } from '../../clock.ts';
import { createChutesApp } from '../app.ts';
import { loadDemoFixture } from '../store/fixture.ts';
import { MemoryChutesStore } from '../store/memory-store.ts';
import { KEYS } from './helpers.ts';

let server: Server;
let base: string;
beforeAll(async () => {
  const fixture = loadDemoFixture();
  const main = express();
  main.use(createChutesApp({ store: new MemoryChutesStore(fixture), clock: manualClock(fixture.clock), control: { fixture } }));
  main.use((req, res) => res.status(299).json({ passedThrough: req.path }));
  server = await new Promise<Server>((resolve) => {
    const s = main.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

it.each<[string, string, number]>([
  ['GET', '/images/', 200],
  ['GET', '/images', 307], // to /images/, as FastAPI redirects
  ['GET', '/images/no-such:1.0', 404],
  ['POST', '/__control/chutes/reset', 204],
  ['GET', '/api/v1/images/public', 299],
  ['GET', '/v1/images', 299],
  ['GET', '/imagesx', 299],
  ['POST', '/__control/reset', 299],
  ['GET', '/docs', 299],
])('%s %s answers %i', async (method, path, status) => {
  const response = await fetch(`${base}${path}`, { method, headers: { Authorization: KEYS.alice }, redirect: 'manual' });
  expect(response.status).toBe(status);
  await response.arrayBuffer();
});

it('redirects /images to /images/ keeping the query, and the redirect is followed to the list', async () => {
  const response = await fetch(`${base}/images?limit=1`, { headers: { Authorization: KEYS.alice }, redirect: 'manual' });
  expect(response.headers.get('location')).toBe('/images/?limit=1');
  const followed = await fetch(`${base}/images?limit=1`, { headers: { Authorization: KEYS.alice } });
  expect(((await followed.json()) as { limit: number }).limit).toBe(1);
});
