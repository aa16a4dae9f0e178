// The StackRox app mounted beside another app on one port, as the composed server does it.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { manualClock } from '../../clock.ts';
import { createStackroxApp } from '../app.ts';
import { mountStackrox } from '../mount.ts';
import { loadDemoFixture } from '../store/fixture.ts';
import { MemoryStore } from '../store/memory-store.ts';

let server: Server;
let base: string;
beforeAll(async () => {
  const fixture = loadDemoFixture();
  const stackrox = createStackroxApp({ store: new MemoryStore(fixture), clock: manualClock(fixture.clock), control: { fixture } });
  const other = express();
  other.get('/api/v1/images/public', (_req, res) => void res.json({ other: true }));
  other.use((_req, res) => void res.status(404).json({ statusCode: 404 }));
  const main = express();
  main.use(mountStackrox(stackrox));
  main.use(other);
  server = await new Promise<Server>((resolve) => {
    const s = main.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const get = (path: string, init: RequestInit = {}) => fetch(`${base}${path}`, { ...init, headers: { Authorization: 'Bearer admin-demo-token', ...init.headers } });

it.each<[string, string, RequestInit, number, unknown]>([
  ['a StackRox operation', '/v1/imagescount', {}, 200, { count: 11 }],
  ['a StackRox operation with a query', '/v1/imagescount?query=Image%20Registry%3Aquay.io', {}, 200, { count: 3 }],
  ['an unknown /v1 path answers in the StackRox shape', '/v1/nothing', {}, 404, { code: 5, message: 'Not Found', details: [], error: 'Not Found' }],
  ['the other app keeps its paths', '/api/v1/images/public', {}, 200, { other: true }],
  ['the other app keeps its 404', '/elsewhere', {}, 404, { statusCode: 404 }],
])('%s: %s', async (_name, path, init, status, body) => {
  const res = await get(path, init);
  expect(res.status).toBe(status);
  expect(await res.json()).toEqual(body);
});

it('the control path resets the StackRox data', async () => {
  await get('/v1/images?query.query=&confirm=true', { method: 'DELETE' });
  expect(await (await get('/v1/imagescount')).json()).toEqual({ count: 0 });
  expect((await fetch(`${base}/__control/stackrox/reset`, { method: 'POST' })).status).toBe(204);
  expect(await (await get('/v1/imagescount')).json()).toEqual({ count: 11 });
});
