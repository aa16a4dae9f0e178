// The mock against the Prism CLI on the four large public specs of test/fixtures/large-specs/, side
// by side in one run: start-up to first answer, RSS once started, requests per second on one GET
// with the answer cache and without it; Prism bounded by a start-up timeout. Then the router figure:
// cached requests per second on GitHub's 811 paths over those on Twilio Conversations' 49, both
// mocks up, loaded in turn for three rounds.
// Alone: node --import tsx bench/large-specs.ts [--short] [--startup-timeout 120]
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freePort } from './free-port.ts';
import autocannon from 'autocannon';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface LargeSpecsOptions {
  durationSec: number;
  connections: number;
  warmupSec: number;
  /** How long each server may take to answer its first request. */
  startupTimeoutSec: number;
}

interface SpecCase {
  name: string;
  spec: string;
  paths: number;
  /** One GET every server answers 200 (a templated path, so routing does real work). */
  path: string;
}

const SID = 'a'.repeat(32);
const BASIC = `Basic ${Buffer.from('ACuser:token').toString('base64')}`;
export const LARGE_SPECS: SpecCase[] = [
  { name: 'GitHub', spec: 'test/fixtures/large-specs/github/api.github.com.json', paths: 811, path: '/repos/octocat/hello-world/issues/1' },
  { name: 'Stripe', spec: 'test/fixtures/large-specs/stripe/spec3.json', paths: 261, path: '/v1/customers/cus_1' },
  { name: 'Twilio API v2010', spec: 'test/fixtures/large-specs/twilio-api-v2010/twilio_api_v2010.json', paths: 121, path: `/2010-04-01/Accounts/AC${SID}/Calls/CA${SID}.json` },
  { name: 'Twilio Conversations', spec: 'test/fixtures/large-specs/twilio-conversations/twilio_conversations_v1.json', paths: 49, path: `/v1/Conversations/CH${SID}` },
];

export interface ServerFigures {
  /** Spawn to first answer, or why there is none. */
  startup_ms?: number;
  failed?: string;
  rss_mb?: number;
  rps?: number;
  status?: number;
  bytes?: number;
  non2xx?: number;
}

export interface LargeSpecRow {
  spec: string;
  paths: number;
  path: string;
  mock: ServerFigures;
  mock_uncached: ServerFigures;
  prism: ServerFigures;
}

export interface LargeSpecsResult {
  rows: LargeSpecRow[];
  /** Cached rps on the most paths over cached rps on the fewest (target >= 0.8): the median of three alternating rounds. */
  router: { many: string; few: string; ratio: number; target: number; rounds: number[]; failed?: string };
}

interface Running {
  url: string;
  child: ChildProcess;
  startupMs: number;
  stop(): Promise<void>;
}

/** Spawns a server and polls `path` until it answers, or gives up after the timeout (then stops it). */
async function start(args: string[], port: number, path: string, timeoutSec: number): Promise<Running | { failed: string }> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-1000);
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) return { failed: `exited with ${child.exitCode}: ${stderr.trim().split('\n').at(-1) ?? ''}` };
    try {
      const res = await fetch(`${url}${path}`, { headers: { authorization: BASIC } });
      await res.arrayBuffer();
      return { url, child, startupMs: performance.now() - started, stop };
    } catch {
      if (performance.now() - started > timeoutSec * 1000) {
        await stop();
        return { failed: `did not start in ${timeoutSec} s` };
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** Resident memory of a process, from /proc (Linux). */
function rssMb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

export async function benchLargeSpecs(opts: LargeSpecsOptions, onRow?: (row: LargeSpecRow) => void): Promise<LargeSpecsResult> {
  const rows: LargeSpecRow[] = [];
  for (const c of LARGE_SPECS) {
    const mockArgs = (extra: string[]) => ['--import', 'tsx', 'mock/main.ts', '--spec', c.spec, '--port', 'PORT', '--quiet', '--no-watch', ...extra];
    // One server at a time: start-up and load never compete with another server for the CPU.
    const mock = await measureWithPort(mockArgs([]), c, opts);
    const uncached = await measureWithPort(mockArgs(['--no-cache']), c, opts);
    const prism = await measureWithPort(['node_modules/@stoplight/prism-cli/dist/index.js', 'mock', c.spec, '-p', 'PORT', '-h', '127.0.0.1', '--errors=false', '-v', 'error'], c, opts);
    const row = { spec: c.name, paths: c.paths, path: c.path, mock, mock_uncached: uncached, prism };
    rows.push(row);
    onRow?.(row);
  }
  const byPaths = [...LARGE_SPECS].sort((a, b) => a.paths - b.paths);
  const router = await routerFigure(byPaths.at(-1)!, byPaths[0]!, opts);
  return { rows, router };
}

/**
 * Cached rps of the mock on the spec with the most paths over the one with the fewest: both
 * started, then loaded in turn, three rounds, the median ratio (a noisy neighbour hits both alike).
 */
async function routerFigure(many: SpecCase, few: SpecCase, opts: LargeSpecsOptions): Promise<LargeSpecsResult['router']> {
  const started: Running[] = [];
  const label = (c: SpecCase) => `${c.name} (${c.paths} paths)`;
  try {
    for (const c of [many, few]) {
      const port = await freePort();
      const server = await start(['--import', 'tsx', 'mock/main.ts', '--spec', c.spec, '--port', String(port), '--quiet', '--no-watch'], port, c.path, opts.startupTimeoutSec);
      if ('failed' in server) return { many: label(many), few: label(few), ratio: 0, target: 0.8, rounds: [], failed: `${c.name}: ${server.failed}` };
      started.push(server);
    }
    const rps = async (server: Running, c: SpecCase, duration: number) =>
      (await autocannon({ url: `${server.url}${c.path}`, headers: { authorization: BASIC }, connections: opts.connections, duration })).requests.average;
    const rounds: number[] = [];
    for (let round = 0; round < 3; round++) {
      if (round === 0 && opts.warmupSec > 0) for (const [i, c] of [many, few].entries()) await rps(started[i]!, c, opts.warmupSec);
      const m = await rps(started[0]!, many, opts.durationSec);
      const f = await rps(started[1]!, few, opts.durationSec);
      rounds.push(f > 0 ? m / f : 0);
    }
    const ratio = [...rounds].sort((a, b) => a - b)[1] ?? 0;
    return { many: label(many), few: label(few), ratio, target: 0.8, rounds };
  } finally {
    await Promise.all(started.map((s) => s.stop()));
  }
}

/** `measure` with the free port put where the arguments say PORT. */
async function measureWithPort(args: string[], c: SpecCase, opts: LargeSpecsOptions): Promise<ServerFigures> {
  const port = await freePort();
  const server = await start(
    args.map((a) => (a === 'PORT' ? String(port) : a)),
    port,
    c.path,
    opts.startupTimeoutSec,
  );
  if ('failed' in server) return { failed: server.failed };
  try {
    const figures: ServerFigures = { startup_ms: Math.round(server.startupMs), rss_mb: rssMb(server.child.pid) };
    const first = await fetch(`${server.url}${c.path}`, { headers: { authorization: BASIC } });
    figures.status = first.status;
    figures.bytes = (await first.arrayBuffer()).byteLength;
    const run = (duration: number) => autocannon({ url: `${server.url}${c.path}`, headers: { authorization: BASIC }, connections: opts.connections, duration });
    if (opts.warmupSec > 0) await run(opts.warmupSec);
    const result = await run(opts.durationSec);
    figures.rps = Math.round(result.requests.average);
    figures.non2xx = result.non2xx + result.errors;
    // RSS again after load: what serving costs, not only loading.
    figures.rss_mb = Math.max(figures.rss_mb ?? 0, rssMb(server.child.pid) ?? 0);
    return figures;
  } finally {
    await server.stop();
  }
}

const fmt = (n: number | undefined): string => (n === undefined ? '' : Math.round(n).toLocaleString('en-US'));

/** The rows as a markdown table: one line per spec and server. */
export function largeSpecsTable(result: LargeSpecsResult): string {
  const lines: string[][] = [];
  for (const r of result.rows) {
    for (const [who, f] of [
      ['mock', r.mock],
      ['mock, answer cache off', r.mock_uncached],
      ['Prism CLI', r.prism],
    ] as const) {
      lines.push([`${r.spec} (${r.paths} paths)`, who, f.failed ?? `${fmt(f.startup_ms)} ms`, fmt(f.rss_mb), fmt(f.rps), f.failed ? '' : `${f.status} (${fmt(f.bytes)} B)`]);
    }
    const ratio = r.mock.rps && r.prism.rps ? `${(r.mock.rps / r.prism.rps).toFixed(1)}x` : 'n/a';
    lines.push([`${r.spec} (${r.paths} paths)`, 'mock / Prism', '', '', ratio, '']);
  }
  const headers = ['spec', 'server', 'start-up', 'RSS MB', 'rps', 'answer'];
  const widths = headers.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const row = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [row(headers), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(row)].join('\n') +
    `\nrouter: cached rps of the mock on ${result.router.many} / on ${result.router.few} = ${result.router.failed ?? `${result.router.ratio.toFixed(2)}x`} (median of rounds ${result.router.rounds.map((r) => r.toFixed(2)).join(', ')}; target >= ${result.router.target})`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: {
      short: { type: 'boolean', default: false },
      duration: { type: 'string' },
      connections: { type: 'string' },
      'startup-timeout': { type: 'string' },
    },
  });
  const short = values.short ?? false;
  const result = await benchLargeSpecs(
    {
      durationSec: Number(values.duration ?? (short ? 2 : 10)),
      connections: Number(values.connections ?? (short ? 10 : 50)),
      warmupSec: short ? 1 : 3,
      startupTimeoutSec: Number(values['startup-timeout'] ?? (short ? 60 : 120)),
    },
    (row) => console.log(`${row.spec}: mock ${row.mock.failed ?? `${row.mock.startup_ms} ms`}, prism ${row.prism.failed ?? `${row.prism.startup_ms} ms`}`),
  );
  console.log(largeSpecsTable(result));
}
