// Real clients of the mock's streams, in headless Chromium on another origin: an EventSource reads
// the Chutes build log event by event, a fetch reader reads the StackRox export line by line.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type Running } from './helpers.ts';

let chutes: Running;
let stackrox: Running;
let app: http.Server;
let appUrl: string;
let browser: Browser;

beforeAll(async () => {
  chutes = await startMock({ specPath: 'spec/chutes/openapi.yaml', quiet: true, streamIntervalMs: 10 });
  stackrox = await startMock({ specPath: 'spec/stackrox/openapi.yaml', quiet: true, streamIntervalMs: 10 });
  app = http.createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>app</title>'));
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  appUrl = `http://localhost:${(app.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
});
afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => app?.close(resolve));
  await chutes?.close();
  await stackrox?.close();
});

describe('streams read by a browser', () => {
  it('an EventSource gets every build log event, then the DONE marker', async () => {
    const page = await browser.newPage();
    await page.goto(appUrl);
    // EventSource sends no Authorization: the query form of Prefer picks the running build's stream.
    const url = `${chutes.url}/images/69909454-4d85-5614-9036-7d67c4f30d5f/logs?__example=streaming`;
    const events = await page.evaluate(
      (u) =>
        new Promise<string[]>((resolve, reject) => {
          const seen: string[] = [];
          const source = new EventSource(u);
          source.onmessage = (e) => seen.push(e.data as string);
          source.onerror = () => {
            source.close();
            // The stream ended (the mock closes it after the last event) or failed before any event.
            if (seen.length > 0) resolve(seen);
            else reject(new Error('no events'));
          };
        }),
      url,
    );
    expect(events).toHaveLength(22); // the example's data: events; DONE is no field an EventSource dispatches
    expect(JSON.parse(events[0] ?? '{}')).toEqual({ log: { log_type: 'stdout', log: 'Step 1/10 : FROM alice/base-python:3.12.7' }, offset: '1795168797000-0' });
    expect(JSON.parse(events.at(-1) ?? '{}')).toMatchObject({ log: { log: 'Successfully built and pushed alice/vllm:0.6.3' } });
    await page.close();
  });

  it('a fetch reader gets the NDJSON export line by line, with the bearer token preflighted', async () => {
    const page = await browser.newPage();
    await page.goto(appUrl);
    const lines = await page.evaluate(async (u) => {
      const res = await fetch(u, { headers: { authorization: 'Bearer admin-demo-token' } });
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      const out: unknown[] = [];
      let buffered = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffered += decoder.decode(value, { stream: true });
        let nl: number;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          out.push(JSON.parse(buffered.slice(0, nl)));
          buffered = buffered.slice(nl + 1);
        }
      }
      return { status: res.status, type: res.headers.get('content-type'), out, rest: buffered };
    }, `${stackrox.url}/v1/export/images`);
    expect(lines).toMatchObject({ status: 200, type: 'application/x-ndjson', rest: '' });
    expect(lines.out).toEqual([{ result: { image: expect.objectContaining({ id: expect.stringMatching(/^sha256:/) }) } }]);
    await page.close();
  });
});
