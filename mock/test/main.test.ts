// mock/main.ts as users start it: one start line, answers, stops on SIGTERM and SIGINT.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { PETS } from './helpers.ts';

const children = new Set<ReturnType<typeof spawn>>();
afterEach(() => {
  // A failed assertion must not leave a server running.
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children.clear();
});

const TSX = pathToFileURL(path.resolve('node_modules/tsx/dist/loader.mjs')).href;

function start(args: string[], cwd = process.cwd(), env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, ['--import', TSX, path.resolve('mock/main.ts'), ...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd, env: { ...process.env, ...env } });
  const waiting: { test: (err: string) => boolean; resolve: () => void }[] = [];
  children.add(child);
  let out = '';
  let err = '';
  child.stderr.on('data', (c: Buffer) => {
    err += c.toString();
    for (const w of [...waiting]) if (w.test(err)) waiting.splice(waiting.indexOf(w), 1) && w.resolve();
  });
  /** Resolves when stderr so far passes `test` (an event, not a sleep). */
  const stderrMatches = (test: (err: string) => boolean) => new Promise<void>((resolve) => (test(err) ? resolve() : waiting.push({ test, resolve })));
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0] ?? '');
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, firstLine, exited, stderrMatches, output: () => out, errors: () => err };
}

describe('npm run mock', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('prints one start line, answers, logs, and stops on %s', async (signal) => {
    const m = start(['--spec', PETS, '--port', '0', '--stateful', '--delay', '1', '--fail-rate', '0', '--seed', '1', '--no-watch']);
    const line = await m.firstLine;
    expect(line).toMatch(/^mock: Pets fixture \(mock tests only\) \(6 operations from .*pets\/openapi\.yaml\) on http:\/\/127\.0\.0\.1:[0-9]+ \[stateful, delay 1ms, seed 1\]; catalog at .*\/__mock$/);
    const url = /on (http:\/\/[0-9.:]+)/.exec(line)?.[1] ?? '';
    const res = await fetch(`${url}/ping`);
    expect(await res.json()).toEqual({ pong: true });
    m.child.kill(signal);
    expect(await m.exited).toBe(0);
    expect(m.output()).toMatch(/\nGET \/ping 200 default [0-9.]+ms\n/);
  });

  it('started from another working directory, resolves the $refs of a multi-file spec against the file they are written in, and serves a $ref inside an example value as data', async () => {
    const elsewhere = mkdtempSync(path.join(tmpdir(), 'mock-cwd-'));
    const spec = path.relative(elsewhere, path.resolve('mock/test/fixtures/refs/openapi.yaml'));
    const m = start(['--spec', spec, '--port', '0', '--no-watch', '--quiet'], elsewhere);
    const url = /on (http:\/\/[0-9.:]+)/.exec(await m.firstLine)?.[1] ?? '';
    // The path item's $ref resolved from paths/; the example value's $ref is data (issue 19), served as written.
    expect(await (await fetch(`${url}/things`)).json()).toEqual([{ name: 'lamp', owner: { $ref: '../shared/owner.yaml' } }]);
    m.child.kill('SIGTERM');
    expect(await m.exited).toBe(0);
    rmSync(elsewhere, { recursive: true, force: true });
  });

  it('--quiet prints the start line and no request lines', async () => {
    const m = start(['--spec', PETS, '--port', '0', '--quiet', '--no-watch']);
    const url = /on (http:\/\/[0-9.:]+)/.exec(await m.firstLine)?.[1] ?? '';
    await (await fetch(`${url}/ping`)).arrayBuffer();
    m.child.kill('SIGTERM');
    await m.exited;
    expect(m.output().trim().split('\n').filter((l) => !l.includes('stopping'))).toHaveLength(1);
  });

  it('maps Basic, header and credentials-file credentials to roles', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mock-credentials-'));
    const file = path.join(dir, 'credentials.json');
    writeFileSync(file, JSON.stringify({ noaccess: { token: ['file-token'] } }));
    const m = start(['--spec', 'spec/stackrox/openapi.yaml', '--port', '0', '--no-watch', '--basic', 'admin=admin:pw', '--header', 'noaccess:Authorization=Bearer none-token', '--credentials', file]);
    const url = /on (http:\/\/[0-9.:]+)/.exec(await m.firstLine)?.[1] ?? '';
    const get = async (authorization: string) => (await fetch(`${url}/v1/imagescount`, { headers: { authorization } })).status;
    expect(await get(`Basic ${Buffer.from('admin:pw').toString('base64')}`)).toBe(200);
    expect(await get('Bearer none-token')).toBe(403);
    expect(await get('Bearer file-token')).toBe(403);
    // A token no credential names is the spec's first role (admin).
    expect(await get('Bearer unknown-token')).toBe(200);
    m.child.kill('SIGTERM');
    await m.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    { what: 'the positional spec and -p', args: [PETS, '-p', '0'], env: {} },
    { what: 'PORT', args: [PETS], env: { PORT: '0' } },
    { what: '-p over PORT', args: ['--spec', PETS, '-p', '0'], env: { PORT: 'not-a-port' } },
  ])('takes $what as Prism users give them', async ({ args, env }) => {
    const m = start([...args, '--no-watch', '--quiet'], process.cwd(), env);
    const url = /on (http:\/\/127\.0\.0\.1:[0-9]+);/.exec(await m.firstLine)?.[1] ?? '';
    expect((await fetch(`${url}/ping`)).status).toBe(200);
    m.child.kill('SIGTERM');
    expect(await m.exited).toBe(0);
  });

  it('on a busy port: one line, exit 2, and no start line', async () => {
    const first = start([PETS, '-p', '0', '--no-watch', '--quiet']);
    const port = /:([0-9]+);/.exec(await first.firstLine)?.[1] ?? '';
    const second = start([PETS, '-p', port, '--no-watch']);
    second.firstLine.catch(() => {});
    expect(await second.exited).toBe(2);
    expect(second.output()).toBe('');
    expect(second.errors().trimEnd().split('\n')).toEqual([expect.stringMatching(new RegExp(`^mock: cannot listen on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE`))]);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
  });

  it.each([
    { args: ['--spec', 'mock/test/fixtures/none.yaml', '--port', '0'], says: /cannot start/ },
    { args: [], says: /^mock: name the spec: octk mock <spec> \(see --help\)\n$/ },
    { args: [PETS, 'other.yaml'], says: /^mock: one spec only/ },
    { args: [PETS, '-p', '70000'], says: /^mock: --port 70000 is not a port \(0-65535\)\n$/ },
    { args: ['--port', 'x'], says: /--port x is not a port/ },
    { args: ['--fail-rate', '2'], says: /--fail-rate 2 is not valid/ },
    { args: ['--bogus'], says: /Unknown option/ },
    { args: ['--basic', 'admin=nocolon'], says: /--basic admin=nocolon is not role=user:password/ },
    { args: ['--header', 'owner=X-Key'], says: /--header owner=X-Key is not role:/ },
    { args: ['--credentials', 'mock/test/fixtures/none.json'], says: /--credentials mock\/test\/fixtures\/none.json/ },
    { args: [PETS], env: { PORT: 'abc' }, says: /^mock: PORT abc is not a port \(0-65535\)\n$/ },
  ])('refuses $args with exit 2', async ({ args, says, env }) => {
    const m = start(args, process.cwd(), env);
    m.firstLine.catch(() => {});
    expect(await m.exited).toBe(2);
    expect(m.errors()).toMatch(says);
    expect(m.errors()).not.toMatch(/\n\s+at /);
    expect(m.errors().trimEnd().split('\n')).toHaveLength(1);
  });
});

const BOMB = readFileSync('test/fixtures/alias-bomb.yaml', 'utf8');

/** Resident memory of a process (Linux /proc), in bytes. */
function rss(pid: number): number {
  const kb = /VmRSS:\s+([0-9]+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) * 1024;
}

describe.runIf(process.platform === 'linux')('a YAML alias bomb (issue 15)', () => {
  it('written in place during a hot reload: the last good spec keeps answering, memory stays flat, SIGTERM stops it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mock-bomb-'));
    cpSync('mock/test/fixtures/pets', dir, { recursive: true });
    const m = start(['--spec', path.join(dir, 'openapi.yaml'), '--port', '0', '--quiet']);
    const url = /on (http:\/\/[0-9.:]+)/.exec(await m.firstLine)?.[1] ?? '';
    const rex = async () => (await (await fetch(`${url}/pets/p1`, { headers: { 'x-api-key': 'k' } })).json()) as { name?: string };
    expect(await rex()).toMatchObject({ name: 'Rex' });
    const before = rss(m.child.pid ?? 0);
    writeFileSync(path.join(dir, 'components/examples/rex.yaml'), BOMB);
    await m.stderrMatches((err) => /reload FAILED[^]*rex\.yaml: YAML aliases expand past the limit/.test(err));
    expect(await rex()).toMatchObject({ name: 'Rex' });
    expect(rss(m.child.pid ?? 0) - before).toBeLessThan(64 * 1024 * 1024);
    m.child.kill('SIGTERM');
    expect(await m.exited).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    { file: 'openapi.yaml', write: (dir: string) => writeFileSync(path.join(dir, 'openapi.yaml'), BOMB.replace('value:', 'openapi: 3.1.0\nx-laughs:')) },
    { file: 'components/examples/rex.yaml', write: (dir: string) => writeFileSync(path.join(dir, 'components/examples/rex.yaml'), BOMB) },
  ])('in $file at start-up: exit 2 with one line naming the file', async ({ file, write }) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mock-bomb-'));
    cpSync('mock/test/fixtures/pets', dir, { recursive: true });
    write(dir);
    const m = start(['--spec', path.join(dir, 'openapi.yaml'), '--port', '0', '--no-watch']);
    m.firstLine.catch(() => {});
    expect(await m.exited).toBe(2);
    expect(m.errors().trimEnd().split('\n')).toEqual([expect.stringMatching(new RegExp(`^mock: cannot start: .*${file.replace(/\./g, '\\.')}: YAML aliases expand past the limit of 1000`))]);
    rmSync(dir, { recursive: true, force: true });
  });
});
