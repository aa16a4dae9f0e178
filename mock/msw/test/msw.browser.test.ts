// The MSW handlers in real headless Chromium, behind MSW's service worker: a page bundled by esbuild
// for the browser (a node: import anywhere on the handlers' path fails the build) mounts the three
// contracts and the Petstore; the typed client gets the default, a named case, a Prefer code and an
// override; every case of every spec gets in the page what msw/node's handlers answer in Node.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { setupServer } from 'msw/node';
import { chromium, type Browser, type Page } from 'playwright-core';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockHandlers } from '../index.ts';
import { exampleOf } from './examples.ts';
import { MOUNTS } from './browser/mounts.ts';
import { answerOf, credentialsOf, rowsOf, type Sent } from './requests.ts';

const json = (file: string): object => JSON.parse(readFileSync(file, 'utf8')) as object;
const SPECS: Record<(typeof MOUNTS)[number]['spec'], object> = {
  images: json('generated/images/openapi.json'),
  stackrox: json('generated/stackrox/openapi.json'),
  chutes: json('generated/chutes/openapi.json'),
  petstore: parse(readFileSync('conformance/test/fixtures/foreign/petstore3/openapi.yaml', 'utf8')) as object,
};
const NODE_BASE = 'http://node.api.test';

let site: http.Server;
let siteUrl: string;
let browser: Browser;
let page: Page;

interface BrowserSent {
  path: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}
type Got = Awaited<ReturnType<typeof answerOf>>;
interface PageApi {
  mswTest: { send(rows: BrowserSent[]): Promise<Got[]>; typedClient(): Promise<Record<string, { status: number; body: unknown }>> };
}

beforeAll(async () => {
  const bundle = await build({
    entryPoints: ['mock/msw/test/browser/app.ts'],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    loader: { '.yaml': 'text' },
    write: false,
    logLevel: 'silent',
  });
  const files: Record<string, { type: string; body: string | Uint8Array }> = {
    '/': { type: 'text/html', body: '<!doctype html><title>msw</title><script type="module" src="/app.js"></script>' },
    '/app.js': { type: 'text/javascript', body: bundle.outputFiles[0]!.contents },
    '/mockServiceWorker.js': { type: 'text/javascript', body: readFileSync('node_modules/msw/lib/mockServiceWorker.js') },
  };
  // Anything else is not the worker's answer: a 599 no row expects.
  site = http.createServer((req, res) => {
    const file = files[req.url ?? ''];
    if (file) res.writeHead(200, { 'content-type': file.type }).end(file.body);
    else res.writeHead(599, { 'content-type': 'text/plain' }).end(`not answered by the worker: ${req.method} ${req.url}`);
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  page = await browser.newPage();
  await page.goto(siteUrl);
  await page.waitForFunction(() => 'mswTest' in window);
});
afterAll(async () => {
  await browser?.close();
  // site is unset when the bundle failed: closing nothing must not hang the hook.
  if (site) await new Promise((resolve) => site.close(resolve));
});

describe('MSW handlers behind the service worker', () => {
  it('answer the typed client: the default, a case by query and by body, a Prefer code, an override and back', async () => {
    const got = await page.evaluate(() => (window as unknown as PageApi).mswTest.typedClient());
    const images = SPECS.images;
    const expected = (operationId: string, key: string) => {
      const ex = exampleOf(images, operationId, key);
      return { status: ex.status, body: ex.value };
    };
    expect(got).toEqual({
      default: expected('listPublicImages', 'default-page'),
      byQuery: expected('listPublicImages', 'search-jammy'),
      byBody: expected('rateImage', 'out-of-range'),
      preferCode: expected('listPublicImages', 'server-error'),
      override: { status: 404, body: { statusCode: 404, error: 'Not Found', message: 'overridden 507f1f77bcf86cd799439021' } },
      afterReset: expected('getPublicImage', 'ubuntu'),
    });
  });

  describe.each(MOUNTS.map((m) => [m.spec, m] as const))('%s', (_, mount) => {
    const spec = SPECS[mount.spec];
    // Forms stay in the Node test (a FormData does not cross into the page); the rest is sent as text.
    const rows = rowsOf(spec).rows.filter((r): r is Sent & { body?: string } => r.body === undefined || typeof r.body === 'string');
    const server = setupServer(...createMockHandlers(spec, { baseUrl: mount.baseUrl, credentials: credentialsOf(spec) }));

    it(`answers every case as msw/node does (${rows.length} requests)`, async () => {
      const sent: BrowserSent[] = rows.map((r) => ({ path: `${mount.baseUrl}${r.path}`, method: r.method, headers: r.headers, body: r.body }));
      const inPage = await page.evaluate((list) => (window as unknown as PageApi).mswTest.send(list), sent);
      server.listen({ onUnhandledRequest: 'error' });
      const inNode: Got[] = [];
      try {
        for (const r of sent) inNode.push(await answerOf(NODE_BASE, { ...r, label: '' }));
      } finally {
        server.close();
      }
      expect(rows.length).toBeGreaterThan(10);
      const label = (i: number) => rows[i]!.label;
      expect(inPage.map((g, i) => [label(i), g.status, g.type?.split(';')[0], g.body])).toEqual(inNode.map((g, i) => [label(i), g.status, g.type?.split(';')[0], g.body]));
    });
  });
});
