// /docs in real headless Chromium (Debian's package): the rendered contract shows its operations.
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledSpec, bundlePathOf } from '../../shared/spec.ts';
import { startServer, type TestServer } from './helpers.ts';

let server: TestServer;
let browser: Browser;
beforeAll(async () => {
  server = await startServer();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Every operation of the bundled contract, with the anchor Redoc gives it. */
function operations() {
  const spec = bundledSpec(bundlePathOf('images')) as { paths: Record<string, Record<string, { operationId: string; summary: string; tags: string[] }>> };
  return Object.entries(spec.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
      .map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      summary: op.summary,
      anchor: `#/${op.tags[0]!.toLowerCase().replaceAll(' ', '-')}/${op.operationId.toLowerCase()}`,
    })),
  );
}

describe('/docs', () => {
  it('renders the contract without the network, and every operation opens with its summary', async () => {
    const page = await browser.newPage();
    // Offline: anything not from our server is refused, so the page must be self-contained.
    await page.route(/.*/, (route) => (route.request().url().startsWith(server.baseUrl) || route.request().url().startsWith('blob:') ? route.continue() : route.abort()));
    const response = await page.goto(`${server.baseUrl}/docs`);
    expect(response?.status()).toBe(200);
    await page.getByText('/api/v1/images/public', { exact: true }).first().waitFor();
    expect(await page.locator('body').innerText()).toContain('Container Images and Snapshots API');
    const all = operations();
    expect(all).toHaveLength(14); // 12, and the PUT twins of restore and alias update (decision 18)
    for (const op of all) {
      await page.goto(`${server.baseUrl}/docs${op.anchor}`);
      await page.getByText(op.summary, { exact: true }).first().waitFor();
      const text = await page.locator('body').innerText();
      expect(text, op.anchor).toContain(op.path);
    }
    await page.close();
  });

  it.each([
    ['/openapi.json', /^application\/json/],
    ['/openapi.yaml', /^application\/yaml/],
  ])('serves %s', async (path, type) => {
    const response = await fetch(`${server.baseUrl}${path}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(type);
    expect(await response.text()).toMatch(/Container Images and Snapshots API/);
  });

  it('answers a clear 404 in the error shape when the docs are not built', async () => {
    const bare = await startServer({ docsDir: '/nonexistent/' });
    const response = await fetch(`${bare.baseUrl}/docs`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ statusCode: 404, error: 'Not Found', message: '/docs is not built yet: run npm run generate' });
    await bare.close();
  });
});
