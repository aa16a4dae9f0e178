// `mock --proxy <upstream-url>` and the package's `proxy` subcommand: the validating proxy until
// SIGINT / SIGTERM (or the caller's signal), then the report in the suite's formats.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { SpecLoadError, loadSpec } from '../../conformance/loader/load-spec.ts';
import { summaryTable } from '../../conformance/reporters/console.ts';
import { ReportError, isFileReporter, planReports, prepareReports, writeReports } from '../../conformance/reporters/files.ts';
import { DEFAULT_MAX_BODY_BYTES, createProxy } from './proxy.ts';

export const PROXY_HELP = `Validating proxy: forwards every request to the upstream unchanged and judges request and answer
against the spec with the conformance suite's checks; reports at stop.

Usage: npm run mock -- --proxy <upstream-url> [options]
       proxy <upstream-url> [options]

  --proxy, --upstream <url>  where requests go (http or https); the request's path is appended
  --spec <file>              OpenAPI 3.x root file (default spec/images/openapi.yaml)
  --port <n>                 listen port (default 4010; 0 picks a free one)
  --host <h>                 listen address (default 127.0.0.1)
  --max-body-bytes <n>       bytes of one body held and judged (default ${DEFAULT_MAX_BODY_BYTES}; KiB, MiB allowed);
                             a longer body passes unjudged past that point, and the log says so
  --reporter <name>          console | json | junit | html, repeatable (default console), written at stop
  --output <path>            where file reporters write (as the conformance CLI's --output)
  --fail-on-violation        exit 1 at stop when any check failed
  --quiet                    log only the requests with violations
  --help                     this text

Each answer with violations carries x-contract-violations: <count>; <check names>, and each request
gets one log line. Exit codes: 0 stopped cleanly (or no violation with --fail-on-violation), 1 violations
with --fail-on-violation, 2 usage error, a spec that does not load, or a report that cannot be written.
`;

export interface ProxyCliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  cwd: string;
  /** Stops the proxy as SIGINT would (tests); SIGINT and SIGTERM always do. */
  signal?: AbortSignal;
  /** Called with the proxy's URL once it listens. */
  onListening?: (url: string) => void;
}

class UsageError extends Error {}

const BYTE_UNITS: Record<string, number> = { '': 1, kib: 1024, mib: 1024 ** 2 };

export async function runProxyCli(argv: string[], io: ProxyCliIo = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() }): Promise<number> {
  try {
    return await run(argv, io);
  } catch (err) {
    if (err instanceof UsageError || err instanceof SpecLoadError || err instanceof ReportError) {
      io.stderr.write(`proxy: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

async function run(argv: string[], io: ProxyCliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        proxy: { type: 'string' },
        upstream: { type: 'string' },
        spec: { type: 'string', default: 'spec/images/openapi.yaml' },
        port: { type: 'string', default: '4010' },
        host: { type: 'string', default: '127.0.0.1' },
        'max-body-bytes': { type: 'string' },
        reporter: { type: 'string', multiple: true },
        output: { type: 'string' },
        'fail-on-violation': { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    throw new UsageError(`${err instanceof Error ? err.message : err} (see --help)`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(PROXY_HELP);
    return 0;
  }
  const upstreamText = values.proxy ?? values.upstream ?? positionals[0];
  if (!upstreamText) throw new UsageError('the upstream URL is required: --proxy <url> (see --help)');
  if (positionals.length > (values.proxy ?? values.upstream ? 0 : 1)) throw new UsageError(`unexpected argument ${positionals.at(-1)} (see --help)`);
  let upstream: URL;
  try {
    upstream = new URL(upstreamText);
  } catch {
    throw new UsageError(`the upstream ${upstreamText} is not a URL`);
  }
  if (upstream.protocol !== 'http:' && upstream.protocol !== 'https:') throw new UsageError(`the upstream ${upstreamText} is not an http or https URL`);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port ${values.port} is not a port`);
  let maxBodyBytes: number | undefined;
  if (values['max-body-bytes'] !== undefined) {
    const m = /^(\d+)\s*(kib|mib)?$/i.exec(values['max-body-bytes'].trim());
    maxBodyBytes = m ? Number(m[1]) * BYTE_UNITS[(m[2] ?? '').toLowerCase()]! : NaN;
    if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes <= 0) throw new UsageError(`--max-body-bytes ${values['max-body-bytes']}: expected a positive number of bytes (KiB, MiB allowed)`);
  }
  const reporters = values.reporter?.length ? values.reporter : ['console'];
  for (const r of reporters) if (r !== 'console' && !isFileReporter(r)) throw new UsageError(`unknown reporter ${r}; known: console, json, junit, html`);
  const reportPlan = planReports(reporters.filter(isFileReporter), values.output, { cwd: io.cwd, jsonToStdout: !reporters.includes('console') });
  prepareReports(reportPlan, io.cwd);

  const spec = await loadSpec(values.spec);
  const logLine = (out: ProxyCliIo['stdout']) => (line: string) => out.write(`${line}\n`);
  const proxy = createProxy({ spec, upstream: upstream.toString(), maxBodyBytes, quiet: values.quiet, logger: { info: logLine(io.stdout), error: logLine(io.stderr) } });
  const server = http.createServer((req, res) => proxy.handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(new UsageError(`cannot listen on ${values.host}:${port}: ${err.message}`)));
    server.listen(port, values.host, () => resolve());
  });
  const url = `http://${values.host}:${(server.address() as AddressInfo).port}`;
  io.stdout.write(`proxy: ${spec.title} (${spec.operations.length} operations from ${values.spec}) on ${url} -> ${upstream.toString().replace(/\/$/, '')}\n`);
  io.onListening?.(url);

  const listeners: [NodeJS.Signals, () => void][] = [];
  const stopped = await new Promise<string>((resolve) => {
    for (const name of ['SIGINT', 'SIGTERM'] as const) {
      const listener = () => resolve(name);
      listeners.push([name, listener]);
      process.once(name, listener);
    }
    io.signal?.addEventListener('abort', () => resolve('stop'), { once: true });
    if (io.signal?.aborted) resolve('stop');
  });
  for (const [name, listener] of listeners) process.removeListener(name, listener);
  // In-flight exchanges (an open event stream) are cut and judged on what passed.
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  proxy.close();
  const report = proxy.report();
  const lines = writeReports(reportPlan, report, io);
  if (reporters.includes('console')) {
    const plain = (t: string) => t;
    io.stdout.write(`proxy: ${stopped}, stopping\n`);
    io.stdout.write(summaryTable(report, { red: plain, green: plain, dim: plain }));
    for (const line of lines) io.stdout.write(`${line}\n`);
  }
  const { violations } = proxy.stats();
  return values['fail-on-violation'] && violations > 0 ? 1 : 0;
}
