import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CHECK_NAMES, isCheckName } from './checks/index.ts';
import { DEFAULT_CONFIG_FILE, UsageError, readConfig } from './config.ts';
import { DEFAULT_MAX_RESPONSE_BYTES, RunConfigError, assertReachable, effectiveBaseUrl, type Credentials } from './http.ts';
import { SpecLoadError, UnknownRoleError, assertRolesKnown, buildPlan } from './loader/index.ts';
import type { CheckName } from './model.ts';
import { attachConsoleReporter, type Writable } from './reporters/console.ts';
import { ReportError, isFileReporter, planReports, prepareReports, writeReports } from './reporters/files.ts';
import { Runner, type ResetConfig } from './runner.ts';

export const HELP = `openapi-conformance: replay a spec's examples, probes and Arazzo workflows against a running implementation.

Usage: npm run conformance -- --base-url <url> [options]
       npx openapi-conformance --base-url <url> [options]

  --base-url <url>          the implementation (required). A bare origin keeps the path of the
                            spec's first server; a URL with a path replaces it.
  --spec <file>             OpenAPI 3.x root file, multi-file allowed (default: config "spec")
  --config <file>           config file (default: ./${DEFAULT_CONFIG_FILE} when present)
  --token <role>=<token>    credential of a caller role (the spec's x-caller-roles); repeatable; overrides
                            the config. A bearer token or API key; <user>:<password> also serves Basic
  --header <role>:<Name>=<value>
                            a header the role always sends (a signature the suite cannot compute); repeatable
  --operation <id>          only this operationId; repeatable
  --tag <tag>               only operations of this tag; repeatable
  --check <name>            only this check; repeatable. One of:
                            ${CHECK_NAMES.join(',\n                            ')}
  --reporter <name>         console | json | junit | html; repeatable (default: console)
  --output <path>           where file reporters write. A folder (created if missing) when it ends with /,
                            exists as a folder, or several file reporters are asked for: report.json,
                            junit.xml, report.html in it. Else the one file reporter's file.
                            (default: json to stdout, junit to conformance-junit.xml, html to conformance-report.html)
  --workflows <path>        Arazzo file or folder of *.arazzo.yaml; repeatable
                            (default: config "workflows", else the workflows/ folder beside the spec)
  --no-workflows            run no workflows
  --max-response-time <ms>  enable max_response_time with this threshold
  --request-timeout <ms>    give up on one request after this long, headers and body, streams included
                            (default 30000): that case fails, the run goes on
  --max-response-bytes <n>  read at most n bytes of one answer (default ${DEFAULT_MAX_RESPONSE_BYTES}, 10 MiB; suffixes KiB,
                            MiB, GiB); the checks that need a longer body fail saying it was cut
  --stream-max <ms>         read a streamed answer (NDJSON, event stream) of an example or probe for at most
                            this long, then judge what arrived (default 2000; workflow steps read to the end)
  --reset-url <path>        reset the implementation to its fixture: POST this URL (relative to the base URL)
  --reset-command <cmd>     ... or run this shell command
  --no-reset                never reset, even if the config says how
  --verbose                 print every check result, not only failures
  --help                    this text

Config file (JSON): { "spec": "api/openapi.yaml", "workflows": ["api/workflows"],
  "tokens": { "<role>": "..." }, "credentials": { "<role>": "user:password" },
  "headers": { "<role>": { "X-Signature": "..." } },
  "reset": { "url": "/__control/reset", "method": "POST" } | { "command": "..." },
  "maxResponseTimeMs": 500, "requestTimeoutMs": 30000, "streamMaxMs": 2000, "maxResponseBytes": 10485760 }

Exit codes: 0 every check passed; 1 a check failed; 2 usage or configuration error, or a report that
cannot be written (one line on stderr). An answer that times out, a reset connection or bytes that are
not HTTP fail that case's checks (exit 1); the run goes on.
`;

export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  cwd: string;
}

/** Runs the CLI and returns its exit code (0 pass, 1 fail, 2 usage/configuration error). */
export async function runCli(argv: string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() }): Promise<number> {
  try {
    return await run(argv, io);
  } catch (err) {
    if (err instanceof UsageError || err instanceof SpecLoadError || err instanceof UnknownRoleError || err instanceof RunConfigError || err instanceof ReportError) {
      io.stderr.write(`conformance: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

async function run(argv: string[], io: CliIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        'base-url': { type: 'string' },
        spec: { type: 'string' },
        config: { type: 'string' },
        token: { type: 'string', multiple: true },
        header: { type: 'string', multiple: true },
        'stream-max': { type: 'string' },
        operation: { type: 'string', multiple: true },
        tag: { type: 'string', multiple: true },
        check: { type: 'string', multiple: true },
        reporter: { type: 'string', multiple: true },
        output: { type: 'string' },
        workflows: { type: 'string', multiple: true },
        'no-workflows': { type: 'boolean' },
        'max-response-time': { type: 'string' },
        'request-timeout': { type: 'string' },
        'max-response-bytes': { type: 'string' },
        'reset-url': { type: 'string' },
        'reset-command': { type: 'string' },
        'no-reset': { type: 'boolean' },
        verbose: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new UsageError(`${err instanceof Error ? err.message : err} (see --help)`);
  }
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const config = readConfig(values.config, io.cwd);
  const baseUrlText = values['base-url'];
  if (!baseUrlText) throw new UsageError('--base-url is required (see --help)');
  let baseUrl: URL;
  try {
    baseUrl = new URL(baseUrlText);
  } catch {
    throw new UsageError(`--base-url ${baseUrlText} is not a URL`);
  }
  const specPath = values.spec ? path.resolve(io.cwd, values.spec) : config.spec;
  if (!specPath) throw new UsageError(`no spec: pass --spec <file> or set "spec" in ${DEFAULT_CONFIG_FILE}`);

  const credentials: Credentials = {};
  const role = (r: string) => (credentials[r] ??= {});
  for (const [r, t] of Object.entries(config.tokens)) role(r).token = t;
  for (const [r, b] of Object.entries(config.basic)) role(r).basic = b;
  for (const [r, h] of Object.entries(config.headers)) role(r).headers = { ...h };
  for (const t of values.token ?? []) {
    const eq = t.indexOf('=');
    if (eq <= 0) throw new UsageError(`--token ${t}: expected <role>=<token>`);
    role(t.slice(0, eq)).token = t.slice(eq + 1);
  }
  for (const h of values.header ?? []) {
    const m = h.match(/^([^:=]+):([^=]+)=(.*)$/s);
    if (!m) throw new UsageError(`--header ${h}: expected <role>:<Name>=<value>`);
    (role(m[1]!).headers ??= {})[m[2]!.trim()] = m[3]!;
  }
  const checks: CheckName[] = [];
  for (const c of values.check ?? []) {
    if (!isCheckName(c)) throw new UsageError(`unknown check ${c}; known: ${CHECK_NAMES.join(', ')}`);
    checks.push(c);
  }
  const reporters = values.reporter?.length ? values.reporter : ['console'];
  for (const r of reporters) if (r !== 'console' && !isFileReporter(r)) throw new UsageError(`unknown reporter ${r}; known: console, json, junit, html`);
  const numberOption = (name: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} ${v}: expected a positive number of milliseconds`);
    return n;
  };
  const maxResponseTimeMs = numberOption('max-response-time', values['max-response-time']) ?? config.maxResponseTimeMs;
  const requestTimeoutMs = numberOption('request-timeout', values['request-timeout']) ?? config.requestTimeoutMs ?? 30_000;
  const streamMaxMs = numberOption('stream-max', values['stream-max']) ?? config.streamMaxMs ?? 2000;
  const maxResponseBytes = byteOption('max-response-bytes', values['max-response-bytes']) ?? config.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  if (maxResponseTimeMs !== undefined && !checks.includes('max_response_time') && checks.length > 0) checks.push('max_response_time');
  let reset: ResetConfig | undefined = config.reset;
  if (values['reset-url']) reset = { url: values['reset-url'], method: 'POST' };
  if (values['reset-command']) reset = { command: values['reset-command'] };
  if (values['no-reset']) reset = undefined;

  const workflowPaths = values['no-workflows']
    ? []
    : values.workflows?.length
      ? values.workflows.map((w) => path.resolve(io.cwd, w))
      : config.workflows && (!values.spec || specPath === config.spec)
        ? config.workflows // the config's workflows belong to the config's spec
        : [path.join(path.dirname(specPath), 'workflows')];

  const plan = await buildPlan(specPath, workflowPaths, { operations: values.operation, tags: values.tag, checks });
  for (const id of values.operation ?? []) {
    if (!plan.spec.operations.some((o) => o.operationId === id)) throw new UsageError(`unknown operation ${id}`);
  }
  for (const tag of values.tag ?? []) {
    if (!plan.spec.operations.some((o) => o.tag === tag)) throw new UsageError(`unknown tag ${tag}`);
  }
  assertRolesKnown(plan, credentials);
  const reportPlan = planReports(reporters.filter(isFileReporter), values.output, { cwd: io.cwd, jsonToStdout: !reporters.includes('console') });
  prepareReports(reportPlan, io.cwd);
  const base = effectiveBaseUrl(baseUrl.toString(), plan.spec.serverBasePath);
  await assertReachable(base, requestTimeoutMs);

  const runner = new Runner({
    spec: plan.spec,
    baseUrl: base,
    credentials,
    cases: plan.cases,
    workflows: plan.workflows,
    reset,
    maxResponseTimeMs,
    requestTimeoutMs,
    streamMaxMs,
    maxResponseBytes,
  });
  // Listeners run in order: the files are written before the console prints its verdict, and a
  // ReportError thrown here leaves run() before any verdict is printed (exit 2).
  runner.on('end', (report) => {
    const lines = writeReports(reportPlan, report, io);
    if (reporters.includes('console')) for (const line of lines) io.stdout.write(`${line}\n`);
  });
  if (reporters.includes('console')) attachConsoleReporter(runner, io.stdout, { verbose: values.verbose });
  const report = await runner.run();
  return report.summary.failed > 0 ? 1 : 0;
}

const BYTE_UNITS: Record<string, number> = { '': 1, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 };

/** A positive whole number of bytes, optionally with KiB, MiB or GiB. */
function byteOption(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d+)\s*(kib|mib|gib)?$/i.exec(v.trim());
  const n = m ? Number(m[1]) * BYTE_UNITS[(m[2] ?? '').toLowerCase()]! : NaN;
  if (!Number.isSafeInteger(n) || n <= 0) throw new UsageError(`--${name} ${v}: expected a positive number of bytes (suffixes KiB, MiB, GiB allowed)`);
  return n;
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  process.exitCode = await runCli(process.argv.slice(2));
}
