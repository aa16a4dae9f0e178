// npm start as a process: the start line, a real request, and a clean exit on SIGTERM.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const main = fileURLToPath(new URL('../main.ts', import.meta.url));

it.each(['SIGTERM', 'SIGINT'] as const)('starts on PORT, logs URL, docs and demo tokens, serves, and exits 0 on %s', async (signal) => {
  const child = spawn(process.execPath, ['--import', 'tsx', main], { env: { ...process.env, PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'development' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = createInterface({ input: child.stdout! });
  const [first] = (await once(lines, 'line')) as [string];
  const start = JSON.parse(first) as { msg: string; url: string; contracts: string[]; controlApi: boolean };
  expect(start.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(start.contracts).toEqual(['images', 'stackrox', 'chutes']);
  expect(start.msg).toContain(`${start.url}/docs`);
  expect(start.msg).toContain(start.url);
  expect(start.msg).toContain('alice-demo-token');
  expect(start.msg).toContain('bob-demo-token');
  expect(start.controlApi).toBe(true);
  const response = await fetch(`${start.url}/api/v1/images/public?limit=1`);
  expect(response.status).toBe(200);
  const [request] = (await once(lines, 'line')) as [string];
  expect(JSON.parse(request)).toMatchObject({ method: 'GET', url: '/api/v1/images/public?limit=1', status: 200 });
  child.kill(signal);
  const [code] = (await once(child, 'exit')) as [number | null];
  expect(code).toBe(0);
});

it.each([
  ['a PORT that is not a number', { PORT: 'abc' }, /^server: PORT must be a number from 0 to 65535, got "abc"\n$/],
  ['a PORT out of range', { PORT: '70000' }, /^server: PORT must be a number/],
])('%s: one line on stderr, exit 2, nothing logged as serving', async (_what, env, stderr) => {
  const child = spawn(process.execPath, ['--import', 'tsx', main], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d));
  child.stderr!.on('data', (d: Buffer) => (err += d));
  const [code] = (await once(child, 'exit')) as [number | null];
  expect(code).toBe(2);
  expect(err).toMatch(stderr);
  expect(out).toBe('');
});

it('a busy port: one line on stderr, exit 2, and no line claiming it serves', async () => {
  const blocker = createServer().listen(0, '127.0.0.1');
  await once(blocker, 'listening');
  const { port } = blocker.address() as AddressInfo;
  const child = spawn(process.execPath, ['--import', 'tsx', main], { env: { ...process.env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d));
  child.stderr!.on('data', (d: Buffer) => (err += d));
  const [code] = (await once(child, 'exit')) as [number | null];
  blocker.close();
  expect(code).toBe(2);
  expect(err).toBe(`server: cannot listen: port ${port} on 127.0.0.1 is in use (set PORT)\n`);
  expect(out).not.toMatch(/on http/);
});
