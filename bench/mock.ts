// The mock (mock/main.ts) against the Prism CLI serving the same spec, side by side in one run:
// requests per second on list GETs and a POST with a body, and start-up to first answer.
// Alone: node --import tsx bench/mock.ts [--short] [--spec spec/images/openapi.yaml]
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freePort } from './free-port.ts';
import autocannon from 'autocannon';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface MockBenchOptions {
  durationSec: number;
  connections: number;
  warmupSec: number;
  /** Default spec/images/openapi.yaml; the requests below are this contract's. */
  specPath?: string;
}

export interface MockBenchRow {
  name: string;
  ours_rps: number;
  prism_rps: number;
  ratio: number;
}

export interface MockBenchResult {
  rows: MockBenchRow[];
  startup: { ours_ms: number; prism_ms: number };
  /** Answers outside 2xx seen during the measured runs (should be 0 on both sides). */
  non2xx: { ours: number; prism: number };
  note: string;
}

interface Target {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

const CONTAINER = '507f1f77bcf86cd799439011';
const TARGETS: Target[] = [
  { name: 'GET list of public images', method: 'GET', path: '/api/v1/images/public', headers: {} },
  { name: 'GET list of snapshots (bearer)', method: 'GET', path: `/api/v1/containers/${CONTAINER}/snapshots`, headers: { authorization: 'Bearer alice-demo-token' } },
  {
    name: 'POST create snapshot (JSON body)',
    method: 'POST',
    path: `/api/v1/containers/${CONTAINER}/snapshots`,
    headers: { authorization: 'Bearer alice-demo-token', 'content-type': 'application/json' },
    body: JSON.stringify({ alias: 'bench', expiry: 7 }),
  },
];

interface Server {
  url: string;
  startupMs: number;
  stop(): Promise<void>;
}

/** Spawns a server and polls until it answers `probe` with any HTTP status. */
async function startServer(command: string, args: string[], port: number, probe: Target): Promise<Server> {
  const started = performance.now();
  const child: ChildProcess = spawn(command, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${command} exited with ${child.exitCode}: ${stderr}`);
    try {
      const res = await fetch(`${url}${probe.path}`, { method: probe.method, headers: probe.headers, body: probe.body });
      await res.arrayBuffer();
      return { url, startupMs: performance.now() - started, stop };
    } catch {
      if (performance.now() - started > 60_000) {
        await stop();
        throw new Error(`${command} did not answer within 60 s: ${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

async function load(url: string, t: Target, durationSec: number, connections: number): Promise<{ rps: number; non2xx: number }> {
  const result = await autocannon({ url: `${url}${t.path}`, method: t.method, headers: t.headers, body: t.body, connections, duration: durationSec });
  return { rps: result.requests.average, non2xx: result.non2xx + result.errors };
}

export async function benchMock(opts: MockBenchOptions): Promise<MockBenchResult> {
  const spec = opts.specPath ?? 'spec/images/openapi.yaml';
  const probe = TARGETS[0] as Target;
  const node = process.execPath;
  const oursArgs = (port: number, extra: string[] = []) => ['--import', 'tsx', 'mock/main.ts', '--spec', spec, '--port', String(port), '--quiet', '--no-watch', ...extra];
  const prismArgs = (port: number) => ['node_modules/@stoplight/prism-cli/dist/index.js', 'mock', spec, '-p', String(port), '-h', '127.0.0.1', '--errors=false', '-v', 'error'];

  const servers: Server[] = [];
  try {
    // Start-up first, one at a time, so neither competes with the other for the CPU.
    const oursPort = await freePort();
    const oursServer = await startServer(node, oursArgs(oursPort), oursPort, probe);
    servers.push(oursServer);
    const prismPort = await freePort();
    const prismServer = await startServer(node, prismArgs(prismPort), prismPort, probe);
    servers.push(prismServer);
    const uncachedPort = await freePort();
    const uncachedServer = await startServer(node, oursArgs(uncachedPort, ['--no-cache']), uncachedPort, probe);
    servers.push(uncachedServer);

    const rows: MockBenchRow[] = [];
    const non2xx = { ours: 0, prism: 0 };
    const uncachedRows: MockBenchRow[] = [];
    for (const t of TARGETS) {
      if (opts.warmupSec > 0) {
        for (const s of [oursServer, prismServer, uncachedServer]) await load(s.url, t, opts.warmupSec, opts.connections);
      }
      const o = await load(oursServer.url, t, opts.durationSec, opts.connections);
      const p = await load(prismServer.url, t, opts.durationSec, opts.connections);
      const u = await load(uncachedServer.url, t, opts.durationSec, opts.connections);
      non2xx.ours += o.non2xx + u.non2xx;
      non2xx.prism += p.non2xx;
      rows.push({ name: t.name, ours_rps: o.rps, prism_rps: p.rps, ratio: p.rps > 0 ? o.rps / p.rps : 0 });
      uncachedRows.push({ name: `${t.name}, answer cache off`, ours_rps: u.rps, prism_rps: p.rps, ratio: p.rps > 0 ? u.rps / p.rps : 0 });
    }
    return {
      rows: [...rows, ...uncachedRows],
      startup: { ours_ms: Math.round(oursServer.startupMs), prism_ms: Math.round(prismServer.startupMs) },
      non2xx,
      note: 'The mock remembers prism’s answer per identical request (method, URL, relevant headers, body); the "answer cache off" rows run every request through prism-http.',
    };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: {
      short: { type: 'boolean', default: false },
      spec: { type: 'string' },
      duration: { type: 'string' },
      connections: { type: 'string' },
    },
  });
  const short = values.short ?? false;
  const result = await benchMock({
    durationSec: Number(values.duration ?? (short ? 2 : 10)),
    connections: Number(values.connections ?? (short ? 10 : 50)),
    warmupSec: short ? 1 : 3,
    specPath: values.spec,
  });
  const width = Math.max(...result.rows.map((r) => r.name.length));
  console.log(`${'request'.padEnd(width)} | mock rps | prism rps | ratio`);
  for (const r of result.rows) {
    console.log(`${r.name.padEnd(width)} | ${Math.round(r.ours_rps).toString().padStart(8)} | ${Math.round(r.prism_rps).toString().padStart(9)} | ${r.ratio.toFixed(2)}x`);
  }
  console.log(`start-up to first answer: mock ${result.startup.ours_ms} ms, prism ${result.startup.prism_ms} ms; non-2xx: ${JSON.stringify(result.non2xx)}`);
  console.log(result.note);
}
