// The mock and the suite on public specs this project did not write (fixtures/foreign/, each with
// its SOURCE.md): every spec mocked by our mock and by the Prism CLI, then the suite run as a new user
// would (only --spec and --base-url) and with credentials. Exit 0 or 1, never 2; every operation
// requested; against our own mock, no false failure.
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type Running } from '../../mock/test/helpers.ts';
import type { Credential } from '../../mock/selection.ts';
import type { RunReport } from '../runner.ts';
import { runCliCaptured } from './run-cli.ts';

const FOREIGN = 'conformance/test/fixtures/foreign';
const TOKEN = 'foreign-demo-token';
const BASIC = 'ada:lovelace-demo';

interface ForeignSpec {
  name: string;
  root: string;
  /** What the mock accepts as the first role's credentials, and the flags that give them to the suite. */
  credential: Credential;
  flags: string[];
}

const SPECS: ForeignSpec[] = [
  { name: 'petstore3', root: `${FOREIGN}/petstore3/openapi.yaml`, credential: { role: 'owner', kind: 'token', value: TOKEN }, flags: ['--token', TOKEN] },
  { name: 'museum', root: `${FOREIGN}/museum/openapi.yaml`, credential: { role: 'owner', kind: 'basic', value: BASIC }, flags: ['--basic', BASIC] },
  { name: 'tictactoe', root: `${FOREIGN}/tictactoe/openapi.yaml`, credential: { role: 'owner', kind: 'token', value: TOKEN }, flags: ['--token', TOKEN] },
  { name: 'specmatic-order', root: `${FOREIGN}/specmatic-order/api_order_v3.yaml`, credential: { role: 'owner', kind: 'token', value: TOKEN }, flags: ['--token', TOKEN] },
];

/** Operations of the report that no request reached. */
function unrequested(report: RunReport): string[] {
  const reached = new Set(report.results.filter((r) => r.request && !r.label.startsWith('probe unsupported_method')).map((r) => r.operationId));
  return report.coverage.map((row) => row.operationId).filter((id) => !reached.has(id));
}

function failures(report: RunReport): string[] {
  return report.results.filter((r) => r.status === 'failed').map((r) => `${r.name}: ${r.message} (${r.request?.method} ${r.request?.url})`);
}

async function runSuite(spec: ForeignSpec, baseUrl: string, extra: string[]): Promise<{ code: number; report: RunReport; stderr: string }> {
  const run = await runCliCaptured(['--spec', spec.root, '--base-url', baseUrl, ...extra, '--reporter', 'json']);
  return { code: run.code, stderr: run.stderr, report: run.code === 2 ? ({} as RunReport) : (JSON.parse(run.stdout) as RunReport) };
}

describe.each(SPECS)('$name on our mock', (spec) => {
  let mock: Running;
  beforeAll(async () => {
    mock = await startMock({ specPath: spec.root, credentials: [spec.credential], strictAuth: true, watch: false, quiet: true });
  });
  afterAll(async () => {
    await mock?.close();
  });

  it.each<[string, () => string[]]>([
    ['as a new user (only --spec and --base-url)', () => []],
    ['with credentials', () => [...spec.flags, '--seed', '13']],
  ])('%s: runs to the end, requests every operation, fails nothing', async (_how, extra) => {
    const { code, report, stderr } = await runSuite(spec, mock.url, extra());
    expect(stderr).toBe('');
    expect([0, 1]).toContain(code);
    // Without credentials one notice says how many operations need them; with them, none.
    expect(report.notices).toHaveLength(extra().length === 0 ? 1 : 0);
    if (extra().length === 0) expect(report.notices[0]).toMatch(/^\d+ operations? needs? credentials: give --token <token>, --basic <user:password> or --header <Name>=<value>/);
    expect(unrequested(report)).toEqual([]);
    expect(failures(report), `seed ${report.seed}`).toEqual([]);
    expect(code).toBe(0);
  });
});

/** A free port on 127.0.0.1 (the Prism CLI takes a port number, not 0). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startPrism(root: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(path.resolve('node_modules/.bin/prism'), ['mock', '-h', '127.0.0.1', '-p', String(port), root], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/Prism is listening/.test(output)) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`prism exited with ${code}: ${output.slice(-500)}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

describe.each(SPECS)('$name on the Prism CLI', (spec) => {
  let prism: { url: string; child: ChildProcess } | undefined;
  beforeAll(async () => {
    prism = await startPrism(spec.root);
  });
  afterAll(() => {
    prism?.child.kill('SIGTERM');
  });

  it('runs to the end with credentials and requests every operation', async () => {
    const { code, report, stderr } = await runSuite(spec, prism!.url, [...spec.flags, '--seed', '13']);
    expect(stderr).toBe('');
    expect([0, 1]).toContain(code);
    expect(unrequested(report)).toEqual([]);
    // Prism's answers may fail some checks (random bodies, no 405); recorded, not judged.
    const byCheck = Object.entries(report.summary.byCheck).filter(([, t]) => t.failed > 0).map(([c, t]) => `${c} ${t.failed}`);
    console.log(`prism ${spec.name}: ${report.summary.passed} passed, ${report.summary.failed} failed (${byCheck.join(', ') || 'none'}), ${report.summary.skipped} skipped`);
  });
});
