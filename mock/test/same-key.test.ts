// The mock on a spec that declares `x-example-pairing: same-key` (spec-conventions/pairing.ts): a
// response example whose needed part names no example of its key is the spec's error, refused at
// load like any broken spec; a spec that does not declare it keeps the fallback (the first example).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSpec } from '../load-spec.ts';
import { call, startMock } from './helpers.ts';

const json = (examples: Record<string, unknown>) => ({ 'application/json': { schema: { type: 'object' }, examples } });

/**
 * `found` 200 and `conflict` 409 on the same id; `missing` 404 names the id only when `complete`;
 * the id's first example (`gone`), which the fallback sends, pairs with no answer.
 */
const spec = (declared: boolean, complete: boolean) => ({
  openapi: '3.1.0',
  info: { title: 'Pairs', version: '1' },
  ...(declared ? { 'x-example-pairing': 'same-key' } : {}),
  paths: {
    '/items/{id}': {
      get: {
        operationId: 'getItem',
        parameters: [{
          name: 'id', in: 'path', required: true, schema: { type: 'string' },
          examples: { gone: { value: 'zz' }, found: { value: 'a1' }, conflict: { value: 'a1' }, ...(complete ? { missing: { value: 'zz' } } : {}) },
        }],
        responses: {
          '200': { description: 'found', content: json({ found: { value: { id: 'a1' } } }) },
          '404': { description: 'gone', content: json({ missing: { value: { message: 'no' }, 'x-match': 'exact' } }) },
          '409': { description: 'busy', content: json({ conflict: { value: { message: 'busy' } } }) },
        },
      },
    },
  },
});

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mock-same-key-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
function write(declared: boolean, complete: boolean): string {
  const file = path.join(tmp, `${declared}-${complete}.json`);
  fs.writeFileSync(file, JSON.stringify(spec(declared, complete)));
  return file;
}

describe('the mock on a spec that pairs by key only', () => {
  it('refuses it when a response example leaves a needed part unnamed, naming operation, key and part', async () => {
    await expect(loadSpec(write(true, false))).rejects.toThrow(
      /^getItem: response example "missing" has no example "missing" on its path parameter "id" \(x-example-pairing: same-key pairs by key only, with no fallback\)$/,
    );
  });

  it.each<{ when: string; declared: boolean; complete: boolean; path: string; headers?: Record<string, string>; status: number; body: unknown }>([
    { when: 'declared and complete: the id an example names gets it', declared: true, complete: true, path: '/items/zz', status: 404, body: { message: 'no' } },
    { when: 'declared: a request for the success\'s values gets the success, not an error example that names the same values', declared: true, complete: true, path: '/items/a1', status: 200, body: { id: 'a1' } },
    { when: 'declared: Prefer still reaches that error example', declared: true, complete: true, path: '/items/a1', headers: { prefer: 'example=conflict' }, status: 409, body: { message: 'busy' } },
    { when: 'not declared: the example no part names answers the first example (the fallback stays)', declared: false, complete: false, path: '/items/zz', status: 404, body: { message: 'no' } },
  ])('$when', async ({ declared, complete, path: url, headers, status, body }) => {
    const mock = await startMock({ specPath: write(declared, complete), watch: false });
    try {
      const reply = await call(mock.url, 'GET', url, { headers: headers ?? {} });
      expect(reply.status).toBe(status);
      expect(reply.body).toEqual(body);
    } finally {
      await mock.close();
    }
  });
});
