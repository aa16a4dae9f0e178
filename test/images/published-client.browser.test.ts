// A frontend on another origin, in headless Chromium, calls the reference server and the mock the way
// the published client does (bearer token and a JSON content type on every request, so every call is
// preflighted; PUT for restore; URLSearchParams queries; credentials included) and reads the answers.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockApp, type MockApp } from '../../mock/app.ts';
import { createReferenceServer } from '../../server/contracts.ts';
import { listen, type Listening } from '../helpers/listen.ts';

const CONTAINER = '507f1f77bcf86cd799439011';
let reference: Listening;
let mockApp: MockApp;
let mock: Listening;
let page: Server;
let pageUrl: string;
let browser: Browser;

beforeAll(async () => {
  reference = await listen(createReferenceServer({ logger: pino({ level: 'silent' }), controlApi: false, cors: true }));
  mockApp = await createMockApp({ specPath: 'spec/images/openapi.yaml', stateful: true, quiet: true, tokens: { owner: 'alice-demo-token', other: 'bob-demo-token' }, logger: { info: () => {}, error: () => {} } });
  mock = await listen(createServer(mockApp.handle));
  // The frontend: localhost on another port is another origin than 127.0.0.1.
  page = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>frontend</title>'));
  await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
  pageUrl = `http://localhost:${(page.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
});
afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => page?.close(resolve));
  await mock?.close();
  await mockApp?.close();
  await reference?.close();
});

describe.each([
  ['the reference server', () => reference.baseUrl],
  ['the stateful mock', () => mock.baseUrl],
])('a page on another origin calling %s', (_name, baseOf) => {
  it('searches, takes, renames, restores by PUT and deletes a snapshot, and reads errors and their headers', async () => {
    const tab = await browser.newPage();
    await tab.goto(pageUrl);
    const result = await tab.evaluate(
      async ({ base, container }) => {
        const call = async (method: string, path: string, init: { body?: unknown; query?: Record<string, string>; token?: string | null } = {}) => {
          const headers: Record<string, string> = { 'Content-Type': 'application/json' };
          if (init.token !== null) headers.Authorization = `Bearer ${init.token ?? 'alice-demo-token'}`;
          const search = new URLSearchParams(init.query ?? {}).toString();
          const res = await fetch(`${base}${path}${search ? `?${search}` : ''}`, {
            method,
            headers,
            credentials: 'include',
            ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : method === 'PUT' || method === 'POST' ? { body: '' } : {}),
          });
          return { status: res.status, body: await res.json(), wwwAuthenticate: res.headers.get('www-authenticate') };
        };
        const snapshots = `/api/v1/containers/${container}/snapshots`;
        const search = await call('GET', '/api/v1/images/public', { query: { search: 'Jammy Jellyfish', limit: '5' } });
        const created = await call('POST', snapshots, { body: { alias: 'from-a-browser', expiry: 7 } });
        const name = created.body.data.snapshot.name as string;
        const renamed = await call('PUT', `${snapshots}/${name}/alias`, { body: { alias: 'renamed-in-a-browser' } });
        const restored = await call('PUT', `${snapshots}/${name}`);
        const deleted = await call('DELETE', `${snapshots}/${name}`);
        const anonymous = await call('GET', '/api/v1/images/user', { token: null });
        return {
          searchTotal: search.body.data.pagination.total as number,
          created: created.status,
          renamed: renamed.body.data.snapshot.alias as string,
          restored: { success: restored.body.data.success as boolean, name: restored.body.data.snapshot.name as string },
          deleted: deleted.body.data.snapshot_name as string,
          anonymous: { status: anonymous.status, message: anonymous.body.message as string, wwwAuthenticate: anonymous.wwwAuthenticate },
          name,
        };
      },
      { base: baseOf(), container: CONTAINER },
    );
    expect(result.searchTotal).toBeGreaterThan(0);
    expect(result.created).toBe(201);
    expect(result.renamed).toBe('renamed-in-a-browser');
    expect(result.restored).toEqual({ success: true, name: result.name });
    expect(result.deleted).toBe(result.name);
    expect(result.anonymous).toEqual({ status: 401, message: 'Authentication required', wwwAuthenticate: expect.stringMatching(/^Bearer/) });
    await tab.close();
  });
});
