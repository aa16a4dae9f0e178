// npm run bench: the reference server against a bare Express baseline serving the same bytes, at
// several catalog sizes, then the mock against the Prism CLI, then the validating proxy's added
// latency (bench/proxy.ts; `--proxy` runs only that, `--no-proxy` skips it). Prints a table and writes JSON.
// Each server runs in its own process; autocannon runs here. Runs alternate (reference, baseline,
// reference, ...) and the median counts, so a noisy neighbour hits both sides alike.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import type { BenchRequest } from './baseline.ts';
import { LARGE_SUITE_HEADERS, benchLargeSuite, largeSuiteTable } from './large-suite.ts';
import { benchLargeSpecs, largeSpecsTable, type LargeSpecsResult } from './large-specs.ts';
import { benchProxy, describeProxyResult, proxyOptions, type ProxyBenchResult } from './proxy.ts';
import { benchRequests, isListRequest } from './requests.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface BenchOptions {
  durationSec: number;
  warmupSec: number;
  connections: number;
  rounds: number;
  catalogSizes: number[];
  jsonPath: string;
  mock: boolean;
  /**
   * The four large public specs: the mock against the Prism CLI (bench/large-specs.ts) and the suite on
   * each (bench/large-suite.ts); on unless --short or --no-large-specs.
   */
  largeSpecs: boolean;
  /** Measure the validating proxy's added latency (bench/proxy.ts). */
  proxy: boolean;
  /** Only the proxy's figure (--proxy). */
  proxyOnly: boolean;
  short: boolean;
  /** The reference server keeps validated catalog answers until its state changes (its default). */
  answerCache: boolean;
  /** Only the requests whose name contains one of these (all when empty): for A/B runs of one change. */
  only: string[];
  /** Only that section (`--only-large-specs`). */
  largeSpecsOnly: boolean;
  startupTimeoutSec: number;
}

function optionsFromArgv(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      rounds: { type: 'string' },
      'catalog-sizes': { type: 'string' },
      'catalog-size': { type: 'string' },
      json: { type: 'string' },
      short: { type: 'boolean', default: false },
      'no-mock': { type: 'boolean', default: false },
      'large-specs': { type: 'boolean', default: false },
      'no-large-specs': { type: 'boolean', default: false },
      proxy: { type: 'boolean', default: false },
      'no-proxy': { type: 'boolean', default: false },
      'no-answer-cache': { type: 'boolean', default: false },
      only: { type: 'string' },
      'only-large-specs': { type: 'boolean', default: false },
      'startup-timeout': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(`npm run bench -- [--duration s] [--warmup s] [--connections n] [--rounds n]
  [--catalog-sizes 1000,10000,100000] [--json reports/bench.json] [--short] [--no-mock] [--no-answer-cache]
  [--large-specs | --no-large-specs]   the large public specs: the mock vs the Prism CLI, and the suite on each
                                       (default: on, off with --short)
  [--only-large-specs] [--startup-timeout s]   only that section; how long a mock may take to start (120 s)
  [--proxy]       only the validating proxy's added latency    [--no-proxy]   without it
  [--only "list public,user images"]   only the requests whose name contains one of these`);
    process.exit(0);
  }
  const short = values.short;
  const number = (value: string | undefined, fallback: number, name: string) => {
    const n = value === undefined ? fallback : Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
    return n;
  };
  const sizes = (values['catalog-sizes'] ?? values['catalog-size'] ?? (short ? '1000' : '1000,10000,100000')).split(',').map((s) => number(s.trim(), 0, 'catalog-sizes'));
  return {
    durationSec: number(values.duration, short ? 1 : 10, 'duration'),
    warmupSec: number(values.warmup, short ? 0.5 : 3, 'warmup'),
    connections: number(values.connections, short ? 10 : 50, 'connections'),
    rounds: number(values.rounds, short ? 1 : 3, 'rounds'),
    catalogSizes: sizes,
    jsonPath: values.json ?? 'reports/bench.json',
    mock: !values['no-mock'],
    largeSpecs: values['large-specs'] || (!short && !values['no-large-specs']),
    proxy: !values['no-proxy'],
    proxyOnly: values.proxy,
    short,
    answerCache: !values['no-answer-cache'],
    only: (values.only ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    largeSpecsOnly: values['only-large-specs'],
    startupTimeoutSec: number(values['startup-timeout'], short ? 60 : 120, 'startup-timeout'),
  };
}

interface Child {
  url: string;
  readyMs: number;
  process: ChildProcess;
  stats(): Promise<{ rss: number; heapUsed: number }>;
  /** CPU time the server process has used so far (user + system), in microseconds. */
  cpu(): Promise<number>;
  stop(): void;
}

/**
 * The Node flags `npm start` gives the server (package.json's start script, between `node` and `--import`),
 * so that the reference is measured as it runs.
 */
function startFlags(): string[] {
  const { scripts } = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { scripts: Record<string, string> };
  const match = /^node((?: --[\w-]+(?:=\S+)?)*) --import tsx /.exec(scripts.start ?? '');
  if (!match) throw new Error(`package.json's start script is not "node [flags] --import tsx ...": ${scripts.start}`);
  return match[1]!.trim().split(' ').filter(Boolean);
}

function startChild(kind: 'reference' | 'baseline' | 'node', size: number, answerCache = true): Promise<Child> {
  const child = fork(fileURLToPath(new URL('./serve.ts', import.meta.url)), [kind, String(size), answerCache ? 'cache' : 'no-cache'], {
    execArgv: [...(kind === 'reference' ? startFlags() : []), '--import', 'tsx', '--expose-gc', '--max-old-space-size=4096'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
    child.once('message', (message: { url: string; readyMs: number }) => {
      resolve({
        url: message.url,
        readyMs: message.readyMs,
        process: child,
        stats: () =>
          new Promise((done) => {
            child.once('message', (m: { rss: number; heapUsed: number }) => done(m));
            child.send('stats');
          }),
        cpu: () =>
          new Promise((done) => {
            child.once('message', (m: { micros: number }) => done(m.micros));
            child.send('cpu');
          }),
        stop: () => {
          child.removeAllListeners('exit');
          child.kill();
        },
      });
    });
  });
}

interface Load {
  rps: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  /** CPU time the server spent per answered request (microseconds of one core). */
  cpuUsPerRequest: number;
}

/**
 * Throughput on a shared 2-core machine moves with whatever else runs; the CPU time the server process
 * spends per request moves much less, since time it waits for a core is not counted. Both are reported.
 */
async function load(server: Child, request: BenchRequest, durationSec: number, connections: number): Promise<Load> {
  const cpuBefore = await server.cpu();
  const result = await autocannon({
    url: `${server.url}${request.path}`,
    method: request.method,
    headers: request.headers,
    body: request.body,
    connections,
    duration: durationSec,
  });
  const cpuAfter = await server.cpu();
  const answered = Math.max(1, result['2xx'] + result.non2xx);
  return {
    rps: result.requests.average,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    cpuUsPerRequest: (cpuAfter - cpuBefore) / answered,
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

export interface ServerRow {
  catalogSize: number;
  request: string;
  list: boolean;
  referenceRps: number;
  baselineRps: number;
  ratio: number;
  referenceP99Ms: number;
  baselineP99Ms: number;
  /** Microseconds of one core per request at this rate (1e6 / rps): the scale comparison uses it. */
  referenceUsPerRequest: number;
  /** CPU time per request, medians of the rounds: the server's own cost, less moved by neighbours. */
  referenceCpuUs: number;
  baselineCpuUs: number;
  /** baselineCpuUs / referenceCpuUs: the throughput ratio the reference would reach if CPU were all it waited on. */
  cpuRatio: number;
  /** Bare Node's http server serving the same bytes: the floor under any framework. */
  nodeRps: number;
  nodeCpuUs: number;
  /** nodeCpuUs / referenceCpuUs. */
  nodeCpuRatio: number;
  failures: number;
}

async function benchServers(options: BenchOptions): Promise<{ rows: ServerRow[]; memory: { catalogSize: number; rssMb: number; heapMb: number; readyMs: number }[] }> {
  const rows: ServerRow[] = [];
  const memory: { catalogSize: number; rssMb: number; heapMb: number; readyMs: number }[] = [];
  for (const size of options.catalogSizes) {
    const reference = await startChild('reference', size, options.answerCache);
    const baseline = await startChild('baseline', size);
    const bareNode = await startChild('node', size);
    try {
      for (const request of benchRequests.filter((r) => options.only.length === 0 || options.only.some((o) => r.name.includes(o)))) {
        await load(reference, request, options.warmupSec, options.connections);
        await load(baseline, request, options.warmupSec, options.connections);
        await load(bareNode, request, options.warmupSec, options.connections);
        const ours: Load[] = [];
        const floor: Load[] = [];
        const nodeFloor: Load[] = [];
        for (let round = 0; round < options.rounds; round++) {
          ours.push(await load(reference, request, options.durationSec, options.connections));
          floor.push(await load(baseline, request, options.durationSec, options.connections));
          nodeFloor.push(await load(bareNode, request, options.durationSec, options.connections));
        }
        const nodeCpuUs = median(nodeFloor.map((l) => l.cpuUsPerRequest));
        const referenceRps = median(ours.map((l) => l.rps));
        const baselineRps = median(floor.map((l) => l.rps));
        const row: ServerRow = {
          catalogSize: size,
          request: request.name,
          list: isListRequest(request),
          referenceRps,
          baselineRps,
          ratio: referenceRps / baselineRps,
          referenceP99Ms: median(ours.map((l) => l.p99Ms)),
          baselineP99Ms: median(floor.map((l) => l.p99Ms)),
          referenceUsPerRequest: 1e6 / referenceRps,
          referenceCpuUs: median(ours.map((l) => l.cpuUsPerRequest)),
          baselineCpuUs: median(floor.map((l) => l.cpuUsPerRequest)),
          cpuRatio: median(floor.map((l) => l.cpuUsPerRequest)) / median(ours.map((l) => l.cpuUsPerRequest)),
          nodeRps: median(nodeFloor.map((l) => l.rps)),
          nodeCpuUs,
          nodeCpuRatio: nodeCpuUs / median(ours.map((l) => l.cpuUsPerRequest)),
          failures: [...ours, ...floor, ...nodeFloor].reduce((n, l) => n + l.non2xx + l.errors, 0),
        };
        rows.push(row);
        console.log(
          `  ${String(size).padStart(6)}  ${request.name.padEnd(32)} ours ${row.referenceRps.toFixed(0).padStart(6)} rps  bare ${row.baselineRps.toFixed(0).padStart(6)} rps  ${row.ratio.toFixed(2)}x  cpu ${row.referenceCpuUs.toFixed(0)}/${row.baselineCpuUs.toFixed(0)} us ${row.cpuRatio.toFixed(2)}x  bare Node ${row.nodeCpuUs.toFixed(0)} us ${row.nodeCpuRatio.toFixed(2)}x${row.failures ? `  (${row.failures} non-2xx/errors!)` : ''}`,
        );
      }
      const stats = await reference.stats();
      memory.push({ catalogSize: size, rssMb: stats.rss / 2 ** 20, heapMb: stats.heapUsed / 2 ** 20, readyMs: reference.readyMs });
    } finally {
      reference.stop();
      baseline.stop();
      bareNode.stop();
    }
  }
  return { rows, memory };
}

/** `npm start` from spawn to the first 200 on the public list: node, tsx, the app and the demo data. */
async function measureStartup(): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [...startFlags(), '--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', CONTROL_API: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let buffered = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const match = /"url":"(http:[^"]+)"/.exec(buffered);
        if (match?.[1]) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`server/main.ts exited with ${code}`)));
    });
    const response = await fetch(`${url}/api/v1/images/public`);
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`first answer was ${response.status}`);
    return performance.now() - started;
  } finally {
    child.removeAllListeners('exit');
    child.kill();
  }
}

interface MockRow {
  name: string;
  ours_rps: number;
  prism_rps: number;
  ratio: number;
}

async function benchMockIfPresent(options: BenchOptions): Promise<{ rows: MockRow[]; extra: Record<string, unknown> } | { skipped: string }> {
  let module: { benchMock?: (opts: { durationSec: number; connections: number; warmupSec: number }) => Promise<unknown> };
  try {
    const specifier = './mock.ts'; // written by the mock's helper: a variable keeps tsc from requiring it
    module = (await import(specifier)) as typeof module;
  } catch (error) {
    return { skipped: `bench/mock.ts could not be loaded: ${(error as Error).message.split('\n')[0]}` };
  }
  if (typeof module.benchMock !== 'function') return { skipped: 'bench/mock.ts exports no benchMock' };
  const result = await module.benchMock({ durationSec: options.durationSec, connections: options.connections, warmupSec: options.warmupSec });
  const asObject = (typeof result === 'object' && result !== null ? result : {}) as Record<string, unknown>;
  const rows = (Array.isArray(result) ? result : Array.isArray(asObject.rows) ? asObject.rows : []) as MockRow[];
  const { rows: _rows, ...extra } = asObject;
  return { rows, extra };
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** A markdown table; text columns align left, figures right. */
function table(headers: string[], lines: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const text = headers.map((_, i) => lines.some((l) => /[a-z]/i.test((l[i] ?? '').replace(/x$/, ''))));
  const row = (cells: string[]) => `| ${cells.map((c, i) => (text[i] ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`;
  return [row(headers), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(row)].join('\n');
}

/** The large-specs section: printed as it comes, returned for the JSON report. */
async function runLargeSpecs(options: BenchOptions): Promise<LargeSpecsResult> {
  console.log(`\nMock vs Prism CLI on large public specs (start-up timeout ${options.startupTimeoutSec} s)`);
  const result = await benchLargeSpecs(
    { durationSec: options.durationSec, connections: options.connections, warmupSec: options.warmupSec, startupTimeoutSec: options.startupTimeoutSec },
    (row) => console.log(`  ${row.spec}: mock ${row.mock.failed ?? `${fmt(row.mock.startup_ms ?? 0)} ms`}, Prism ${row.prism.failed ?? `${fmt(row.prism.startup_ms ?? 0)} ms`}`),
  );
  console.log(largeSpecsTable(result));
  return result;
}

/** `--proxy`: the proxy's figure alone, written to the same JSON file. */
async function runProxyOnly(options: BenchOptions) {
  const proxy = await benchProxy(proxyOptions(options.short));
  console.log(describeProxyResult(proxy));
  const failures = proxy.violations + proxy.non2xx;
  const report = { when: new Date().toISOString(), node: process.version, options, summary: { failures, proxyAddedMedianMs: proxy.addedMedianMs, proxyRatio: proxy.ratio }, proxy };
  mkdirSync(dirname(options.jsonPath), { recursive: true });
  writeFileSync(options.jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`wrote ${options.jsonPath}`);
  return report;
}

export async function runBench(options: BenchOptions) {
  if (options.proxyOnly) return runProxyOnly(options);
  if (options.largeSpecsOnly) {
    const largeSpecs = await runLargeSpecs(options);
    const largeSuite = await benchLargeSuite({ only: [], mockStartLimitSec: options.startupTimeoutSec, reportDir: dirname(options.jsonPath) });
    console.log('\nThe conformance suite on the large public specs (its own process; Stripe target: under 60 s and 600 MB)');
    console.log(table(LARGE_SUITE_HEADERS, largeSuiteTable(largeSuite)));
    const report = { when: new Date().toISOString(), node: process.version, options, largeSpecs, largeSuite, summary: { failures: 0 } };
    mkdirSync(dirname(options.jsonPath), { recursive: true });
    writeFileSync(options.jsonPath, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`wrote ${options.jsonPath}`);
    return report;
  }
  console.log(
    `bench: ${options.durationSec}s x ${options.rounds} round(s) per side, ${options.warmupSec}s warm-up, ${options.connections} connections, catalogs ${options.catalogSizes.join(', ')}, answer cache ${options.answerCache ? 'on' : 'off'}`,
  );
  const startupMs = await measureStartup();
  console.log(`  start-up to first answer (npm start): ${fmt(startupMs)} ms`);
  const { rows, memory } = await benchServers(options);
  const mock = options.mock ? await benchMockIfPresent(options) : { skipped: '--no-mock' };
  const largeSuite = options.largeSpecs ? await benchLargeSuite({ only: [], mockStartLimitSec: options.startupTimeoutSec, reportDir: dirname(options.jsonPath) }) : undefined;
  const proxy: ProxyBenchResult | { skipped: string } = options.proxy ? await benchProxy(proxyOptions(options.short)) : { skipped: '--no-proxy' };

  const smallest = Math.min(...options.catalogSizes);
  const scale = rows.map((row) => {
    const base = rows.find((r) => r.catalogSize === smallest && r.request === row.request);
    return { ...row, costVsSmallest: base ? row.referenceUsPerRequest / base.referenceUsPerRequest : 1 };
  });

  console.log('\nReference server (full request and response validation) vs bare Express, and bare Node, serving the same bytes');
  console.log(
    table(
      ['catalog', 'request', 'reference rps', 'bare rps', 'ratio', 'ref CPU us/req', 'bare CPU us/req', 'CPU ratio', 'bare Node CPU us/req', 'CPU vs Node', 'ref p99 ms', 'bare p99 ms', `cost vs ${smallest}`],
      scale.map((r) => [
        fmt(r.catalogSize),
        r.request,
        fmt(r.referenceRps),
        fmt(r.baselineRps),
        `${r.ratio.toFixed(2)}x`,
        fmt(r.referenceCpuUs),
        fmt(r.baselineCpuUs),
        `${r.cpuRatio.toFixed(2)}x`,
        fmt(r.nodeCpuUs),
        `${r.nodeCpuRatio.toFixed(2)}x`,
        fmt(r.referenceP99Ms),
        fmt(r.baselineP99Ms),
        `${r.costVsSmallest.toFixed(2)}x`,
      ]),
    ),
  );
  console.log('\nMemory and readiness of the reference server per catalog');
  console.log(table(['catalog', 'RSS MB', 'heap MB', 'fork to listening ms'], memory.map((m) => [fmt(m.catalogSize), fmt(m.rssMb), fmt(m.heapMb), fmt(m.readyMs)])));
  if ('rows' in mock) {
    console.log('\nMock vs Prism CLI');
    console.log(table(['request', 'mock rps', 'prism rps', 'ratio'], mock.rows.map((r) => [r.name, fmt(r.ours_rps), fmt(r.prism_rps), `${r.ratio.toFixed(2)}x`])));
    if (Object.keys(mock.extra).length > 0) console.log(JSON.stringify(mock.extra));
  } else {
    console.log(`\nMock vs Prism CLI: skipped (${mock.skipped})`);
  }
  const largeSpecs = options.largeSpecs ? await runLargeSpecs(options) : { skipped: '--no-large-specs' };
  if (largeSuite) {
    console.log('\nThe conformance suite on the large public specs (its own process; Stripe target: under 60 s and 600 MB)');
    console.log(table(LARGE_SUITE_HEADERS, largeSuiteTable(largeSuite)));
  }
  console.log(`\n${'skipped' in proxy ? `Validating proxy: skipped (${proxy.skipped})` : describeProxyResult(proxy)}`);

  const listRows = rows.filter((r) => r.list);
  const worstListRatio = Math.min(...listRows.map((r) => r.ratio));
  const worstRatio = Math.min(...rows.map((r) => r.ratio));
  const worstCpuRatio = Math.min(...rows.map((r) => r.cpuRatio));
  const worstNodeCpuRatio = Math.min(...rows.map((r) => r.nodeCpuRatio));
  const worstScale = Math.max(...scale.map((r) => r.costVsSmallest));
  const failures = rows.reduce((n, r) => n + r.failures, 0) + ('skipped' in proxy ? 0 : proxy.violations + proxy.non2xx);
  const summary = {
    startupMs,
    worstListRatio,
    listRatioTarget: 0.8,
    worstRatio,
    ratioTarget: 0.95,
    worstCpuRatio,
    worstNodeCpuRatio,
    worstCostVsSmallest: worstScale,
    scaleTarget: 2,
    rssMbAtLargest: memory.at(-1)?.rssMb,
    ...('skipped' in proxy ? {} : { proxyAddedMedianMs: proxy.addedMedianMs, proxyRatio: proxy.ratio, proxyAddedTargetMs: proxy.targetAddedMs }),
    failures,
  };
  console.log(
    `\nworst ratio to bare Express ${worstRatio.toFixed(2)}x over every request (target >= 0.95x), over the lists ${worstListRatio.toFixed(2)}x (target >= 0.80x); worst CPU ratio ${worstCpuRatio.toFixed(2)}x, ${worstNodeCpuRatio.toFixed(2)}x to bare Node; worst cost vs ${smallest} ${worstScale.toFixed(2)}x (target <= 2x); start-up ${fmt(startupMs)} ms (target < 1000 ms)${failures ? `; ${failures} non-2xx answers or errors` : ''}`,
  );

  const report = { when: new Date().toISOString(), node: process.version, options, summary, servers: scale, memory, mock, largeSpecs, largeSuite, proxy };
  mkdirSync(dirname(options.jsonPath), { recursive: true });
  writeFileSync(options.jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`wrote ${options.jsonPath}`);
  return report;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.chdir(root);
  runBench(optionsFromArgv(process.argv.slice(2))).then(
    (report) => process.exit(report.summary.failures > 0 ? 1 : 0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
