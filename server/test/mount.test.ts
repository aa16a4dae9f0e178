// Every contract mounts beside other apps the same way (ReferenceContract.mount): it answers its own
// paths in its own shape, passes every other request on untouched, and resets to its demo data.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chutesContract } from '../chutes/contract.ts';
import { imagesContract } from '../images/contract.ts';
import { ownPathsOnly, type MountedContract, type ReferenceContract } from '../shared/contract.ts';
import { stackroxContract } from '../stackrox/contract.ts';

const CHUTES_KEY = 'cpk_a11ce5d3c2b14e0f9a8b7c6d5e4f3a21.3f1b2c4d5e6f4a7b8c9d0e1f2a3b4c5d.AliceDemoKey00000000000000000000';
type Row = [method: string, path: string, headers: Record<string, string>, status: number, body?: unknown];

const table: [ReferenceContract, Row[]][] = [
  [
    imagesContract,
    [
      ['GET', '/api/v1/images/public?limit=1', {}, 200],
      ['GET', '/api/v1/nothing', {}, 404, { statusCode: 404, error: 'Not Found', message: 'No operation at GET /api/v1/nothing' }],
      ['GET', '/docs', {}, 200],
      ['POST', '/__control/images/reset', {}, 204],
      ['GET', '/v1/imagescount', {}, 299],
      ['GET', '/images/', {}, 299],
      ['POST', '/__control/reset', {}, 299],
    ],
  ],
  [
    stackroxContract,
    [
      ['GET', '/v1/imagescount', { Authorization: 'Bearer admin-demo-token' }, 200, { count: 11 }],
      ['GET', '/v1/imagescount?query=Image%20Registry%3Aquay.io', { Authorization: 'Bearer admin-demo-token' }, 200, { count: 3 }],
      ['GET', '/v1/nothing', { Authorization: 'Bearer admin-demo-token' }, 404, { code: 5, message: 'Not Found', details: [], error: 'Not Found' }],
      ['GET', '/stackrox/docs', {}, 200],
      ['POST', '/__control/stackrox/reset', {}, 204],
      ['GET', '/api/v1/images/public', {}, 299],
      ['GET', '/docs', {}, 299],
    ],
  ],
  [
    chutesContract,
    [
      ['GET', '/images/', { Authorization: CHUTES_KEY }, 200],
      ['GET', '/images', { Authorization: CHUTES_KEY }, 307], // to /images/, as FastAPI redirects
      ['GET', '/images/no-such:1.0', { Authorization: CHUTES_KEY }, 404, { detail: 'Image not found, or does not belong to you' }],
      ['GET', '/chutes/docs', {}, 200],
      ['POST', '/__control/chutes/reset', {}, 204],
      ['GET', '/api/v1/images/public', {}, 299],
      ['GET', '/v1/images', {}, 299],
      ['GET', '/imagesx', {}, 299],
      ['POST', '/__control/reset', {}, 299],
      ['GET', '/docs', {}, 299],
    ],
  ],
];

describe.each(table)('$name mounted before another app', (contract, rows) => {
  let server: Server;
  let base: string;
  let mounted: MountedContract;
  beforeAll(async () => {
    mounted = contract.mount({ logger: pino({ level: 'silent' }), controlApi: true });
    const main = express();
    main.use(ownPathsOnly(contract.prefixes, mounted.app));
    main.use((req, res) => void res.status(299).json({ passedThrough: req.path }));
    server = await new Promise<Server>((resolve) => {
      const s = main.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it.each(rows)('%s %s', async (method, path, headers, status, body) => {
    const response = await fetch(`${base}${path}`, { method, headers, redirect: 'manual' });
    expect(response.status).toBe(status);
    if (body !== undefined) expect(await response.json()).toEqual(body);
    else await response.arrayBuffer();
  });
});

it('reset() puts a contract back on its demo data', async () => {
  const mounted = stackroxContract.mount({ logger: pino({ level: 'silent' }), controlApi: false });
  const app = express().use(ownPathsOnly(stackroxContract.prefixes, mounted.app));
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const get = (path: string, init: RequestInit = {}) => fetch(`${base}${path}`, { ...init, headers: { Authorization: 'Bearer admin-demo-token' } });
  await (await get('/v1/images?query.query=&confirm=true', { method: 'DELETE' })).arrayBuffer();
  expect(await (await get('/v1/imagescount')).json()).toEqual({ count: 0 });
  mounted.reset();
  expect(await (await get('/v1/imagescount')).json()).toEqual({ count: 11 });
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
