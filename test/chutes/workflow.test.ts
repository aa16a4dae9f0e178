// The Arazzo workflow of the Chutes contract runs green under Redocly Respect against the reference
// server on its demo data, with a clock that runs in real time (the build takes about 5 s).
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fixtureClock } from '../../server/shared/clock.ts';
import { createChutesApp } from '../../server/chutes/app.ts';
import { KEYS } from '../../server/chutes/test/helpers.ts';
import { loadDemoFixture } from '../../server/chutes/store/fixture.ts';
import { MemoryStore } from '../../server/chutes/store/memory-store.ts';
import { root } from '../helpers/sandbox.ts';

const exec = promisify(execFile);
let server: Server;
let dir: string;
beforeAll(async () => {
  const fixture = loadDemoFixture();
  const app = createChutesApp({ store: new MemoryStore(fixture), clock: fixtureClock(fixture.clock) });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  dir = await mkdtemp(join(tmpdir(), 'chutes-workflow-'));
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

it('image lifecycle: create, watch the log stream until DONE, get by name:tag, delete, get 404', async () => {
  // Respect takes credentials per step (x-security); the committed workflow leaves them to the runner
  const source = join(root, 'spec', 'chutes', 'workflows');
  await cp(join(source, 'fixtures'), join(dir, 'fixtures'), { recursive: true });
  const workflow = (await readFile(join(source, 'image-lifecycle.arazzo.yaml'), 'utf8'))
    .replace('url: ../openapi.yaml', `url: ${join(root, 'spec', 'chutes', 'openapi.yaml')}`)
    .replaceAll('        operationId: $sourceDescriptions.api.', `        x-security:\n          - schemeName: apiKey\n            values:\n              apiKey: ${KEYS.alice}\n        operationId: $sourceDescriptions.api.`);
  await writeFile(join(dir, 'lifecycle.arazzo.yaml'), workflow);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const result = await exec(join(root, 'node_modules', '.bin', 'redocly'), ['respect', join(dir, 'lifecycle.arazzo.yaml'), '--server', `api=${url}`], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } }).catch((e: { stdout: string; stderr: string; code: number }) => e);
  const out = `${result.stdout}${result.stderr}`;
  expect(out).toContain('Steps: 5 passed, 5 total');
  expect('code' in result ? result.code : 0, out).toBe(0);
});
