// Loading a spec never reaches the network because of its content: a `$ref` inside an example
// value, a schema example or x- extension data is data, served as written; a remote `$ref` where a
// reference belongs is fetched only with --allow-remote-refs (option allowRemoteRefs), else the
// load fails with one line naming it. Every connection the process opens is watched.
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { call, startMock, type Running } from './helpers.ts';
import { loadSpec } from '../load-spec.ts';

const DATA_REF = { $ref: 'https://example.invalid/x' };

let server: http.Server;
let served = 0;
let base = '';
let dir = '';

/** A spec whose data holds remote `$ref`s everywhere data can, and, when `remote`, one real remote reference to our local server. */
function writeSpec(name: string, remote: boolean): string {
  const file = path.join(dir, name);
  const schema = remote ? { $ref: `${base}/pet.json` } : { type: 'object' };
  fs.writeFileSync(
    file,
    JSON.stringify({
      openapi: '3.0.3',
      info: { title: 'remote refs', version: '1' },
      'x-vendor': { docs: DATA_REF },
      paths: {
        '/pets': {
          get: {
            'x-links': [DATA_REF],
            responses: {
              '200': {
                description: 'ok',
                content: {
                  'application/json': {
                    schema: { type: 'object', properties: { pet: schema, meta: { type: 'object', example: DATA_REF } } },
                    examples: { scim: { value: { pet: { name: 'rex' }, meta: DATA_REF } } },
                  },
                },
              },
            },
          },
        },
        // A response named `default` is a response, not data: its $ref to another file is followed.
        '/cats': { get: { responses: { '200': { description: 'ok' }, default: { $ref: './error.json' } } } },
        '/dogs': {
          get: {
            responses: {
              '200': {
                description: 'ok',
                content: {
                  'application/json': {
                    examples: {
                      byReference: { value: { $ref: '#/components/examples/rex' } },
                      data: { value: { $ref: '#/components/examples/rex', note: 'a key beside it: data' } },
                    },
                  },
                },
              },
            },
          },
        },
      },
      components: { examples: { rex: { value: { name: 'rex' } } } },
    }),
  );
  fs.writeFileSync(path.join(dir, 'error.json'), JSON.stringify({ description: 'error', content: { 'application/json': { example: { message: 'from error.json' } } } }));
  return file;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mock-remote-refs-'));
  server = http.createServer((req, res) => {
    served++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ type: 'object', required: ['name'], properties: { name: { type: 'string' } } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Hosts the process connected to while `run` ran. */
async function connectionsDuring(run: () => Promise<unknown>): Promise<string[]> {
  const connect = vi.spyOn(net.Socket.prototype, 'connect');
  try {
    await run().catch(() => undefined);
    return connect.mock.calls.map((args) => {
      const [first] = args as unknown[];
      const options = (Array.isArray(first) ? first[0] : first) as { host?: string; port?: number } | undefined;
      return `${options?.host ?? ''}:${options?.port ?? ''}`;
    });
  } finally {
    connect.mockRestore();
  }
}

describe('remote references', () => {
  it('by default: one line naming the remote $ref, nothing fetched, no connection at all', async () => {
    const before = served;
    const spec = writeSpec('default.json', true);
    let error: Error | undefined;
    const hosts = await connectionsDuring(() => loadSpec(spec).catch((err: Error) => (error = err)));
    expect(error?.message).toContain(`remote $ref ${base}/pet.json is not fetched`);
    expect(error?.message).toContain('--allow-remote-refs');
    expect(error?.message).not.toContain('\n');
    expect(hosts).toEqual([]);
    expect(served).toBe(before);
  });

  it('with allowRemoteRefs: the remote schema is fetched once, and nothing else is reached', async () => {
    const before = served;
    const spec = writeSpec('allowed.json', true);
    const hosts = await connectionsDuring(() => loadSpec(spec, { allowRemoteRefs: true }));
    expect(served - before).toBe(1);
    expect(hosts).toEqual([`127.0.0.1:${new URL(base).port}`]);
  });
});

describe('a $ref inside data', () => {
  let mock: Running;
  let hosts: string[] = [];
  beforeAll(async () => {
    const spec = writeSpec('data.json', false);
    hosts = await connectionsDuring(async () => {
      mock = await startMock({ specPath: spec, quiet: true });
    });
  });
  afterAll(() => mock.close());

  it('opens no connection at load', () => {
    expect(hosts).toEqual([]);
  });

  it.each([
    { row: 'an example value', read: (body: Record<string, unknown>) => body.meta },
  ])('is served as written: $row', async ({ read }) => {
    const reply = await call(mock.url, 'GET', '/pets');
    expect(reply.status).toBe(200);
    expect(read(reply.body as Record<string, unknown>)).toEqual(DATA_REF);
  });

  it.each([
    { row: 'a value that is only a $ref to an Example Object takes its value', example: 'byReference', body: { name: 'rex' } },
    { row: 'a $ref with keys beside it is data', example: 'data', body: { $ref: '#/components/examples/rex', note: 'a key beside it: data' } },
  ])('$row', async ({ example, body }) => {
    const reply = await call(mock.url, 'GET', '/dogs', { headers: { prefer: `example=${example}` } });
    expect(reply.body).toEqual(body);
  });

  it.each([
    { row: 'a schema example', at: ['paths', '/pets', 'get', 'responses', '200', 'content', 'application/json', 'schema', 'properties', 'meta', 'example'] },
    { row: 'x- extension data on the root', at: ['x-vendor', 'docs'] },
    { row: 'x- extension data on an operation', at: ['paths', '/pets', 'get', 'x-links', '0'] },
  ])('is kept as written in the loaded spec: $row', ({ at }) => {
    const value = at.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], mock.app.spec.document);
    expect(value).toEqual(DATA_REF);
  });

  it('a response named default is a response, not data: its $ref to another file is followed', () => {
    const paths = mock.app.spec.document.paths as Record<string, { get: { responses: Record<string, unknown> } }>;
    // Bundled: the file's response moved into components, the $ref local.
    expect(paths['/cats']?.get.responses.default).toEqual({ $ref: expect.stringMatching(/^#\/components\/responses\//) });
  });
});
