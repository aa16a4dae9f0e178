// Hot reload on copies of the specs: a good edit of any file is served, a broken edit keeps the last
// good spec and says why, and memory stays flat across 100 reloads.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReloadResult } from '../app.ts';
import { call, startMock, type Running } from './helpers.ts';

const key = { 'x-api-key': 'k' };
let dir: string;
let mock: Running | undefined;

afterEach(async () => {
  await mock?.close();
  mock = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function copy(from: string): Promise<string> {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mock-reload-'));
  await cp(from, dir, { recursive: true });
  return dir;
}

function nextReload(m: Running): Promise<ReloadResult> {
  return new Promise((resolve) => m.app.events.once('reload', resolve));
}

async function edit(file: string, change: (text: string) => string): Promise<void> {
  await writeFile(file, change(await readFile(file, 'utf8')));
}

describe('hot reload (pets fixture)', () => {
  it('serves an edit of a referenced file, then keeps serving through a broken edit, then recovers', async () => {
    const root = await copy('mock/test/fixtures/pets');
    mock = await startMock({ specPath: path.join(root, 'openapi.yaml'), watch: true });
    expect((await call(mock.url, 'GET', '/pets/p1', { headers: key })).body).toMatchObject({ name: 'Rex' });

    let reloaded = nextReload(mock);
    await edit(path.join(root, 'components/examples/rex.yaml'), (t) => t.replace('name: Rex', 'name: Rexford'));
    expect(await reloaded).toMatchObject({ ok: true });
    expect((await call(mock.url, 'GET', '/pets/p1', { headers: key })).body).toMatchObject({ name: 'Rexford' });

    reloaded = nextReload(mock);
    await edit(path.join(root, 'paths/pets.yaml'), (t) => t.replace('operationId: listPets', 'operationId: [listPets'));
    const broken = await reloaded;
    expect(broken).toMatchObject({ ok: false, error: expect.stringContaining('pets.yaml') });
    expect(mock.errors.at(-1)).toMatch(/reload FAILED, still serving the last good spec/);
    expect((await call(mock.url, 'GET', '/pets/p1', { headers: key })).body).toMatchObject({ name: 'Rexford' });
    expect((await call(mock.url, 'GET', '/__mock.json')).body).toMatchObject({ lastReloadError: expect.stringContaining('pets.yaml') });

    reloaded = nextReload(mock);
    await edit(path.join(root, 'paths/pets.yaml'), (t) => t.replace('operationId: [listPets', 'operationId: listPets'));
    expect(await reloaded).toMatchObject({ ok: true });
    expect((await call(mock.url, 'GET', '/pets', { headers: key })).status).toBe(200);
  });

  it('a broken $ref keeps the last good spec', async () => {
    const root = await copy('mock/test/fixtures/pets');
    mock = await startMock({ specPath: path.join(root, 'openapi.yaml') });
    await edit(path.join(root, 'paths/pets-{petId}.yaml'), (t) => t.replace('../components/examples/rex.yaml', '../components/examples/gone.yaml'));
    const result = await mock.app.reload();
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/gone\.yaml/) });
    expect((await call(mock.url, 'GET', '/pets/p1', { headers: key })).body).toMatchObject({ name: 'Rex' });
  });

  it('keeps stateful items across a reload', async () => {
    const root = await copy('mock/test/fixtures/pets');
    mock = await startMock({ specPath: path.join(root, 'openapi.yaml'), stateful: true });
    await call(mock.url, 'DELETE', '/pets/p2', { headers: key });
    await edit(path.join(root, 'openapi.yaml'), (t) => t.replace('version: 1.0.0', 'version: 1.0.1'));
    expect(await mock.app.reload()).toMatchObject({ ok: true });
    expect((await call(mock.url, 'GET', '/pets/p2', { headers: key })).status).toBe(404);
  });
});

describe('hot reload (the contract)', () => {
  it('serves an edited example of the contract and survives a broken one', async () => {
    const root = await copy('spec/images');
    mock = await startMock({ specPath: path.join(root, 'openapi.yaml'), watch: true });
    const get = () => call(mock!.url, 'GET', '/api/v1/images/public');
    expect((await get()).body).toMatchObject({ message: 'Public images retrieved successfully' });

    let reloaded = nextReload(mock);
    await edit(path.join(root, 'components/examples/ListPublicImagesDefaultPage.yaml'), (t) => t.replace('Public images retrieved successfully', 'Edited while running'));
    expect(await reloaded).toMatchObject({ ok: true });
    expect((await get()).body).toMatchObject({ message: 'Edited while running' });

    reloaded = nextReload(mock);
    await writeFile(path.join(root, 'components/schemas/ErrorBody.yaml'), 'type: object\nproperties: [\n');
    expect(await reloaded).toMatchObject({ ok: false, error: expect.stringContaining('ErrorBody.yaml') });
    expect((await get()).body).toMatchObject({ message: 'Edited while running' });
  });
});

describe('memory across reloads', () => {
  it('heap after 100 reloads is within 8 MB of the heap after 10', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'mock-memory-'));
    const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--import', 'tsx', 'mock/test/reload-memory.ts', 'spec/images/openapi.yaml', '100'], {
      maxBuffer: 1 << 20,
    });
    const { after10, after100 } = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { after10: number; after100: number };
    expect(after100 - after10).toBeLessThan(8 * 1024 * 1024);
    // About 30 s of CPU (100 reloads of the contract): with the machine shared (load 20 on 2 cores)
    // that passed the default 60 s; the claim is about memory, the budget only catches a hang.
  }, 600_000);
});
