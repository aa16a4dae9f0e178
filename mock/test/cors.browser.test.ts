// A frontend on another origin, in real headless Chromium, talks to the mock: preflighted PATCH
// with a bearer token and Prefer, errors readable, exposed headers, stateful writes.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type Running } from './helpers.ts';

const CONTAINER = '507f1f77bcf86cd799439011';
let mock: Running;
let app: http.Server;
let appUrl: string;
let browser: Browser;

beforeAll(async () => {
  mock = await startMock({ specPath: 'spec/images/openapi.yaml', stateful: true, quiet: true });
  // The "frontend": another port is another origin.
  app = http.createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>app</title>'));
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  appUrl = `http://localhost:${(app.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
});
afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => app?.close(resolve));
  await mock?.close();
});

describe('the mock from a page on another origin', () => {
  it('lets the page create, rename and list snapshots, and read errors and exposed headers', async () => {
    const page = await browser.newPage();
    await page.goto(appUrl);
    const result = await page.evaluate(
      async ({ base, container }) => {
        const auth = { authorization: 'Bearer alice-demo-token', 'content-type': 'application/json' };
        const list = `${base}/api/v1/containers/${container}/snapshots`;
        const created = await (await fetch(list, { method: 'POST', headers: auth, body: JSON.stringify({ alias: 'from-the-browser' }) })).json();
        const name = created.data.snapshot.name as string;
        const renamed = await fetch(`${list}/${name}/alias`, { method: 'PATCH', headers: { ...auth, prefer: 'delay=10' }, body: JSON.stringify({ alias: 'renamed-in-browser' }) });
        const listed = await (await fetch(list, { headers: auth })).json();
        const missing = await fetch(`${list}/snap-20000101-000000`, { method: 'DELETE', headers: auth });
        const invalid = await fetch(list, { method: 'POST', headers: auth, body: JSON.stringify({ colour: 1 }) });
        return {
          renamedStatus: renamed.status,
          aliases: (listed.data.snapshots as { name: string; alias: string }[]).filter((s) => s.name === name).map((s) => s.alias),
          missing: { status: missing.status, body: await missing.json() },
          violations: invalid.headers.get('x-mock-violations'),
        };
      },
      { base: mock.url, container: CONTAINER },
    );
    expect(result.renamedStatus).toBe(200);
    expect(result.aliases).toEqual(['renamed-in-browser']);
    expect(result.missing).toEqual({ status: 404, body: { statusCode: 404, error: 'Not Found', message: expect.any(String) } });
    expect(result.violations).toMatch(/colour|additional/i);
    await page.close();
  });
});
