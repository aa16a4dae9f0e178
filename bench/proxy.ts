// The validating proxy's added latency: the same list request sent one at a time (one keep-alive
// connection, so no queueing hides in the figure) straight to the reference server and through
// `mock --proxy` in front of it, blocks alternating so a noisy neighbour hits both sides alike.
// The median of each side, the difference (target: under 1 ms) and the ratio to direct access.
// Alone: node --import tsx bench/proxy.ts [--short] [--requests n]
import { fork, spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchRequests } from './requests.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface ProxyBenchOptions {
  /** Requests per side, in blocks of `block` alternating direct / proxied. */
  requests: number;
  block: number;
  /** Requests per side sent first and not counted (JIT, connection set-up). */
  warmup: number;
}

export interface ProxyBenchResult {
  request: string;
  requests: number;
  direct: { medianMs: number; p99Ms: number };
  proxied: { medianMs: number; p99Ms: number };
  addedMedianMs: number;
  ratio: number;
  targetAddedMs: number;
  /** Answers whose verdict header said the contract was broken (should be 0: the reference keeps it). */
  violations: number;
  non2xx: number;
}

const LIST = benchRequests.find((r) => r.name === 'list public (default page)')!;

function startReference(): Promise<{ url: string; stop(): void }> {
  const child = fork(fileURLToPath(new URL('./serve.ts', import.meta.url)), ['reference', '1000'], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`reference server exited with ${code}`)));
    child.once('message', (m: { url: string }) => resolve({ url: m.url, stop: () => stop(child) }));
  });
}

/** `mock --proxy` as users start it, in its own process. */
function startProxy(upstream: string): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'mock/main.ts', '--proxy', upstream, '--port', '0', '--quiet'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`proxy exited with ${code}`)));
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const url = / on (http:\/\/[^ ]+) -> /.exec(out)?.[1];
      if (url) resolve({ url, stop: () => stop(child) });
    });
  });
}

function stop(child: ChildProcess): void {
  child.removeAllListeners('exit');
  child.kill();
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** One request, timed from send to the last byte of the answer. */
function timed(base: string): Promise<{ ms: number; status: number; violated: boolean }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.request(`${base}${LIST.path}`, { method: LIST.method, headers: LIST.headers, agent }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => resolve({ ms: performance.now() - started, status: res.statusCode ?? 0, violated: res.headers['x-contract-violations'] !== undefined }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export async function benchProxy(options: ProxyBenchOptions): Promise<ProxyBenchResult> {
  const reference = await startReference();
  const proxy = await startProxy(reference.url).catch((err: unknown) => {
    reference.stop();
    throw err;
  });
  try {
    const sides = { direct: reference.url, proxied: proxy.url };
    const times: Record<keyof typeof sides, number[]> = { direct: [], proxied: [] };
    let violations = 0;
    let non2xx = 0;
    for (const base of Object.values(sides)) for (let i = 0; i < options.warmup; i++) await timed(base);
    for (let done = 0; done < options.requests; done += options.block) {
      for (const side of Object.keys(sides) as (keyof typeof sides)[]) {
        for (let i = 0; i < Math.min(options.block, options.requests - done); i++) {
          const r = await timed(sides[side]);
          times[side].push(r.ms);
          if (r.violated) violations++;
          if (r.status < 200 || r.status >= 300) non2xx++;
        }
      }
    }
    const stats = (list: number[]) => {
      const sorted = [...list].sort((a, b) => a - b);
      return { medianMs: round(percentile(sorted, 50)), p99Ms: round(percentile(sorted, 99)) };
    };
    const direct = stats(times.direct);
    const proxied = stats(times.proxied);
    return {
      request: LIST.name,
      requests: options.requests,
      direct,
      proxied,
      addedMedianMs: round(proxied.medianMs - direct.medianMs),
      ratio: Math.round((proxied.medianMs / direct.medianMs) * 100) / 100,
      targetAddedMs: 1,
      violations,
      non2xx,
    };
  } finally {
    proxy.stop();
    reference.stop();
    agent.destroy();
  }
}

const round = (n: number) => Math.round(n * 1000) / 1000;

export function proxyOptions(short: boolean, requests?: number): ProxyBenchOptions {
  return short ? { requests: requests ?? 400, block: 100, warmup: 100 } : { requests: requests ?? 4000, block: 200, warmup: 500 };
}

export function describeProxyResult(r: ProxyBenchResult): string {
  return (
    `Validating proxy (mock --proxy) in front of the reference server, ${r.request}, ${r.requests} sequential requests per side:\n` +
    `  direct median ${r.direct.medianMs} ms (p99 ${r.direct.p99Ms}), through the proxy ${r.proxied.medianMs} ms (p99 ${r.proxied.p99Ms}); ` +
    `added ${r.addedMedianMs} ms (target < ${r.targetAddedMs} ms), ratio ${r.ratio.toFixed(2)}x direct` +
    `${r.violations || r.non2xx ? `; ${r.violations} answers with violations, ${r.non2xx} non-2xx` : ''}`
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.chdir(root);
  const { values } = parseArgs({ options: { short: { type: 'boolean', default: false }, requests: { type: 'string' } } });
  const result = await benchProxy(proxyOptions(values.short, values.requests === undefined ? undefined : Number(values.requests)));
  console.log(describeProxyResult(result));
  console.log(JSON.stringify(result));
  process.exit(result.violations || result.non2xx ? 1 : 0);
}
