// A spec that declares `x-example-pairing: same-key` (spec/README.md) is read by key only: a response
// example whose path parameter names no example of its key is an error of the spec, and its case
// fails without a request. A spec that does not declare it keeps the fallback (the first example).
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../runner.ts';
import { runCliCaptured } from './run-cli.ts';

/** `missing` (404) names no example on the path parameter; `found` (200) does. */
const spec = (declared: boolean) => ({
  openapi: '3.1.0',
  info: { title: 'Pairs', version: '1' },
  ...(declared ? { 'x-example-pairing': 'same-key' } : {}),
  paths: {
    '/items/{id}': {
      get: {
        operationId: 'getItem',
        tags: ['Items'],
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' }, examples: { gone: { value: 'zz' }, found: { value: 'a1' } } }],
        responses: {
          '200': { description: 'found', content: { 'application/json': { schema: { type: 'object' }, examples: { found: { value: { id: 'a1' } } } } } },
          // x-match marks the spec as written to this project's convention, the fallback's ground
          '404': { description: 'gone', content: { 'application/json': { schema: { type: 'object' }, examples: { missing: { value: { message: 'no' }, 'x-match': 'exact' } } } } },
        },
      },
    },
  },
});

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'same-key-'));
const seen: string[] = [];
const server = http.createServer((req, res) => {
  seen.push(req.url ?? '');
  const found = req.url === '/items/a1';
  res.writeHead(found ? 200 : 404, { 'content-type': 'application/json' });
  res.end(JSON.stringify(found ? { id: 'a1' } : { message: 'no' }));
});
let baseUrl = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function run(declared: boolean) {
  const file = path.join(tmp, `${declared ? 'declared' : 'undeclared'}.json`);
  fs.writeFileSync(file, JSON.stringify(spec(declared)));
  seen.length = 0;
  const cli = await runCliCaptured(['--spec', file, '--base-url', baseUrl, '--check', 'example_match', '--no-workflows', '--reporter', 'json']);
  const report = JSON.parse(cli.stdout) as RunReport;
  const missing = report.results.find((r) => r.name === 'Items > getItem > example missing > example_match');
  // the suite first checks the base URL is reachable (GET /): only the operation's requests count
  return { code: cli.code, missing, seen: seen.filter((u) => u.startsWith('/items/')) };
}

describe('example pairing by key only, when the spec declares it', () => {
  it('fails the case naming operation, example key and part, and sends nothing for it', async () => {
    const { code, missing, seen } = await run(true);
    expect(missing).toMatchObject({
      status: 'failed',
      message: 'the spec\'s pairing is incomplete: getItem: response example "missing" has no example "missing" on its path parameter "id" (x-example-pairing: same-key pairs by key only, with no fallback)',
    });
    expect(missing?.request).toBeUndefined();
    expect(seen).toEqual(['/items/a1']);
    expect(code).toBe(1);
  });

  it('keeps the fallback for a spec that does not declare it: the first example is sent and passes', async () => {
    const { code, missing, seen } = await run(false);
    expect(missing).toMatchObject({ status: 'passed' });
    expect(missing?.request?.url).toBe(`${baseUrl}/items/zz`);
    expect(seen.sort()).toEqual(['/items/a1', '/items/zz']);
    expect(code).toBe(0);
  });
});
