// npm start as a process: the start line, a real request, and a clean exit on SIGTERM.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const main = fileURLToPath(new URL('../main.ts', import.meta.url));

it.each(['SIGTERM', 'SIGINT'] as const)('starts on PORT, logs URL, docs and demo tokens, serves, and exits 0 on %s', async (signal) => {
  const child = spawn(process.execPath, ['--import', 'tsx', main], { env: { ...process.env, PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'development' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = createInterface({ input: child.stdout! });
  const [first] = (await once(lines, 'line')) as [string];
  const start = JSON.parse(first) as { msg: string; url: string; docs: string; controlApi: boolean };
  expect(start.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(start.docs).toBe(`${start.url}/docs`);
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
