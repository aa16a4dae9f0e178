// `mock --proxy` as users start it (a child process stopped by SIGTERM / SIGINT) and runProxyCli's
// usage errors: reports in the suite's formats at stop, credentials masked everywhere, exit codes.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunReport } from '../../../conformance/runner.ts';
import { type NotesServer, startNotesServer } from '../../../conformance/test/fixtures/notes-server.ts';
import { runProxyCli } from '../cli.ts';

const NOTES_SPEC = 'conformance/test/fixtures/notes-api/openapi.yaml';
const TSX = pathToFileURL(path.resolve('node_modules/tsx/dist/loader.mjs')).href;
const TOKEN = 'ann-token';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

function startCli(args: string[]) {
  const child = spawn(process.execPath, ['--import', TSX, path.resolve('mock/main.ts'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const listening = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const url = / on (http:\/\/127\.0\.0\.1:\d+) -> /.exec(out)?.[1];
      if (url) resolve(url);
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, listening, exited, output: () => out, errors: () => err };
}

async function notes(fault?: Parameters<typeof startNotesServer>[0]): Promise<NotesServer> {
  const server = await startNotesServer(fault);
  cleanups.push(() => server.close());
  return server;
}

function scratch(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'proxy-cli-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('mock --proxy, stopped by a signal', () => {
  it.each<[string, 'wrong-status' | undefined, NodeJS.Signals, number]>([
    ['violations found, --fail-on-violation', 'wrong-status', 'SIGTERM', 1],
    ['a clean upstream, --fail-on-violation', undefined, 'SIGINT', 0],
  ])('%s: reports in every format, then the exit code', async (_what, fault, signal, code) => {
    const server = await notes(fault);
    const out = scratch();
    const cli = startCli(['--proxy', server.url, '--spec', NOTES_SPEC, '--port', '0', '--fail-on-violation', '--reporter', 'console', '--reporter', 'json', '--reporter', 'junit', '--reporter', 'html', '--output', `${out}/`]);
    const url = await cli.listening;
    const created = await fetch(`${url}/v2/notes?api_key=secret-query-key`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, cookie: 'session=secret-cookie-value; theme=dark', 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Milk', priority: 1 }),
    });
    await created.arrayBuffer();
    expect(created.headers.get('x-contract-violations')).toBe(fault ? '1; status_code_conformance' : null);
    cli.child.kill(signal);
    expect(await cli.exited).toBe(code);

    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as RunReport;
    expect(report.requests).toBe(1);
    const failedChecks = report.results.filter((r) => r.status === 'failed').map((r) => r.check);
    expect(failedChecks).toEqual(fault ? ['status_code_conformance'] : []);
    const cell = report.coverage.find((r) => r.operationId === 'createNote')!;
    if (fault) expect(cell.undocumented).toEqual(['200']);
    else expect(cell.cells.find((c) => c.status === '201')).toMatchObject({ traffic: 1 });
    expect(readFileSync(path.join(out, 'junit.xml'), 'utf8')).toContain('<testcase name="Notes &gt; createNote &gt; #1 POST /v2/notes?api_key=sec*** &gt; status_code_conformance"');
    const html = readFileSync(path.join(out, 'report.html'), 'utf8');
    expect(html).toContain('<th>traffic</th>');
    expect(cli.output()).toContain(`proxy: ${signal}, stopping`);
    expect(cli.output()).toMatch(fault ? /FAILED: \d+ passed, 1 failed/ : /PASSED: \d+ passed, 0 failed/);
    // Credentials masked in every report and every log line.
    for (const text of [readFileSync(path.join(out, 'report.json'), 'utf8'), readFileSync(path.join(out, 'junit.xml'), 'utf8'), html, cli.output(), cli.errors()]) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain('secret-query-key');
      expect(text).not.toContain('secret-cookie-value');
    }
    expect(report.results[0]!.request!.headers).toMatchObject({ authorization: 'Bearer ann***' });
  });
});

describe('runProxyCli usage errors', () => {
  const run = async (argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runProxyCli(argv, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, cwd: process.cwd() });
    return { code, stdout, stderr };
  };

  it.each<[string, string[], RegExp]>([
    ['no upstream', ['--spec', NOTES_SPEC], /^proxy: the upstream URL is required: --proxy <url> \(see --help\)\n$/],
    ['an upstream that is not a URL', ['--proxy', 'not a url'], /^proxy: the upstream not a url is not a URL\n$/],
    ['an upstream that is not http', ['--proxy', 'ftp://127.0.0.1/'], /^proxy: the upstream ftp:\/\/127\.0\.0\.1\/ is not an http or https URL\n$/],
    ['a mock option that does not apply', ['--proxy', 'http://127.0.0.1:9', '--stateful'], /^proxy: Unknown option '--stateful'.*\(see --help\)\n$/],
    ['an unknown reporter', ['--proxy', 'http://127.0.0.1:9', '--reporter', 'pdf'], /^proxy: unknown reporter pdf; known: console, json, junit, html\n$/],
    ['a bad body bound', ['--proxy', 'http://127.0.0.1:9', '--max-body-bytes', 'lots'], /^proxy: --max-body-bytes lots: expected a positive number of bytes/],
    ['a spec that does not load', ['--proxy', 'http://127.0.0.1:9', '--spec', 'no/such/spec.yaml'], /^proxy: spec .* does not load: /],
  ])('%s: exit 2 with one line', async (_what, argv, line) => {
    const { code, stderr } = await run(argv);
    expect(code).toBe(2);
    expect(stderr).toMatch(line);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('--help prints the usage and exits 0', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--fail-on-violation');
  });

  it('stops on its signal and answers 502 in one line while the upstream is down', async () => {
    const stop = new AbortController();
    let url = '';
    let stderr = '';
    let listened!: () => void;
    const listening = new Promise<void>((resolve) => (listened = resolve));
    const done = runProxyCli(['--proxy', 'http://127.0.0.1:9', '--spec', NOTES_SPEC, '--port', '0', '--reporter', 'json', '--output', path.join(scratch(), 'r.json')], {
      stdout: { write: () => true },
      stderr: { write: (t: string) => (stderr += t) },
      cwd: process.cwd(),
      signal: stop.signal,
      onListening: (u) => {
        url = u;
        listened();
      },
    });
    await listening;
    const res = await fetch(`${url}/v2/notes`);
    expect(res.status).toBe(502);
    expect(await res.text()).toMatch(/^proxy: the upstream http:\/\/127\.0\.0\.1:9 did not answer \(ECONNREFUSED\)\n$/);
    expect(stderr).toMatch(/^proxy: GET \/v2\/notes -> upstream http:\/\/127\.0\.0\.1:9 failed \(ECONNREFUSED\)\n$/);
    stop.abort();
    expect(await done).toBe(0);
  });
});
