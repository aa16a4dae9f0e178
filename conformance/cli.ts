import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { argsProblem, commaList, processIo, type CliIo } from '../cli/io.ts';
import { CHECK_NAMES, isCheckName } from './checks/index.ts';
import { DEFAULT_CONFIG_FILE, UsageError, emptyConfig, readConfig } from './config.ts';
import { assertCredentialsFit, credentialsFrom } from './credentials.ts';
import { DEFAULT_MAX_RESPONSE_BYTES, RunConfigError, assertReachable, effectiveBaseUrl } from './http.ts';
import { SpecLoadError, buildPlan, credentialsNotice } from './loader/index.ts';
import type { CheckName } from './model.ts';
import { attachConsoleReporter } from './reporters/console.ts';
import { ReportError, isFileReporter, planReports, prepareReports, writeReports } from './reporters/files.ts';
import { Runner, type ResetConfig } from './runner.ts';

export const HELP = `openapi-conformance: replay a spec's examples, probes and Arazzo workflows against a running implementation.

Usage: octk conformance <spec> --url <url> [options]
       npm run conformance -- --url <url> [options]      (in this repository: conformance.images.json)

  <spec>, --spec <file>     OpenAPI 3.x root file, multi-file allowed (default: config "spec")
  -u, --url <url>           the implementation (required): where the spec's paths live, as given;
  --base-url <url>          the same. e.g. --url http://127.0.0.1:3000
  --server-path             prefix the path of the spec's first server (/api/v3) to the base URL
                            (or give it in --base-url: http://host/api/v3)
  --config <file>           config file (default: ./${DEFAULT_CONFIG_FILE} when it names the same spec)
  --token [<role>=]<token>  credential of a caller role (the spec's x-caller-roles; without a role, the
                            first one); repeatable; overrides the config. A bearer token, OAuth2 access
                            token or API key; <user>:<password> also serves Basic
  --basic [<role>=]<user>:<password>
                            HTTP Basic credential of a caller role; repeatable
  --header [<role>:]<Name>=<value>
                            a header the role always sends (a signature the suite cannot compute); repeatable
  --seed <n>                seed of the values drawn from schemas where the spec has no example
                            (default: random, printed; the same seed replays the same requests)
  --operation <id>          only this operationId; repeatable
  --tag <tag>               only operations of this tag; repeatable
  --check <a,b>             only these checks; a comma list, repeatable, e.g. --check not_a_server_error,missing_auth.
  --exclude-check <a,b>     every check but these, e.g. --exclude-check max_response_time. Checks:
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
  --help, -h                this text;  --version  the version

Examples:
  octk conformance openapi.yaml --url http://127.0.0.1:3000 --token T1
  octk conformance api/openapi.yaml -u http://127.0.0.1:3000 --token owner=T1 --token other=T2 \\
    --reporter console --reporter junit --output reports/
  octk conformance openapi.yaml --url http://127.0.0.1:4010/api/v3 --exclude-check max_response_time --seed 7

Colour on a terminal; NO_COLOR=1 turns it off, FORCE_COLOR=1 forces it.
Without credentials the cases that need them are skipped (one notice says how many); missing_auth runs.

Config file (JSON): { "spec": "api/openapi.yaml", "workflows": ["api/workflows"], "serverPath": false,
  "tokens": { "<role>": "..." }, "credentials": { "<role>": "user:password" },
  "headers": { "<role>": { "X-Signature": "..." } },
  "reset": { "url": "/__control/reset", "method": "POST" } | { "command": "..." },
  "maxResponseTimeMs": 500, "requestTimeoutMs": 30000, "streamMaxMs": 2000, "maxResponseBytes": 10485760 }

Exit codes: 0 every check passed; 1 a check failed; 2 usage or configuration error, or a report that
cannot be written (one line on stderr). An answer that times out, a reset connection or bytes that are
not HTTP fail that case's checks (exit 1); the run goes on.
`;

export type { CliIo } from '../cli/io.ts';

/** Runs the CLI and returns its exit code (0 pass, 1 fail, 2 usage/configuration error). */
export async function runCli(argv: string[], io: CliIo = processIo()): Promise<number> {
  try {
    return await run(argv, io);
  } catch (err) {
    if (err instanceof UsageError || err instanceof SpecLoadError || err instanceof RunConfigError || err instanceof ReportError) {
      io.stderr.write(`conformance: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

async function run(argv: string[], io: CliIo): Promise<number> {
  let values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        'base-url': { type: 'string' },
        url: { type: 'string', short: 'u' },
        spec: { type: 'string' },
        config: { type: 'string' },
        token: { type: 'string', multiple: true },
        basic: { type: 'string', multiple: true },
        header: { type: 'string', multiple: true },
        'server-path': { type: 'boolean' },
        seed: { type: 'string' },
        'stream-max': { type: 'string' },
        operation: { type: 'string', multiple: true },
        tag: { type: 'string', multiple: true },
        check: { type: 'string', multiple: true },
        'exclude-check': { type: 'string', multiple: true },
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
    throw new UsageError(argsProblem(err));
  }
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError(`one spec only, got ${positionals.join(' ')} (see --help)`);
  if (positionals[0] !== undefined && values.spec !== undefined && path.resolve(io.cwd, positionals[0]) !== path.resolve(io.cwd, values.spec)) {
    throw new UsageError(`two specs: ${positionals[0]} and --spec ${values.spec} (see --help)`);
  }
  const specArg = positionals[0] ?? values.spec;
  let config = readConfig(values.config, io.cwd);
  if (values.url !== undefined && values['base-url'] !== undefined && values.url !== values['base-url']) {
    throw new UsageError('--url and --base-url name the same thing: give one (see --help)');
  }
  const baseUrlText = values.url ?? values['base-url'];
  if (!baseUrlText) throw new UsageError('--url is required: where the implementation listens, e.g. --url http://127.0.0.1:3000 (see --help)');
  let baseUrl: URL;
  try {
    baseUrl = new URL(baseUrlText);
  } catch {
    throw new UsageError(`--base-url ${baseUrlText} is not a URL`);
  }
  const specPath = specArg ? path.resolve(io.cwd, specArg) : config.spec;
  if (!specPath) throw new UsageError(`no spec: octk conformance <spec> --url <url>, or set "spec" in ${DEFAULT_CONFIG_FILE}`);
  // The default config belongs to its own spec: a run on another spec does not pick up its tokens or reset.
  // Next, a conformance.config.json beside the spec is that spec's own (how it resets, say), so a spec
  // that travels with one needs no flags but credentials, wherever the suite runs from.
  if (!values.config && config.spec !== specPath) {
    const beside = path.join(path.dirname(specPath), DEFAULT_CONFIG_FILE);
    config = fs.existsSync(beside) ? readConfig(beside, io.cwd) : emptyConfig();
    if (config.spec !== undefined && config.spec !== specPath) config = emptyConfig();
  }
  let seed: number | undefined;
  if (values.seed !== undefined) {
    seed = Number(values.seed);
    if (!Number.isSafeInteger(seed)) throw new UsageError(`--seed ${values.seed}: expected an integer`);
  }
  const checkNames = (list: string[] | undefined, flag: string): CheckName[] =>
    commaList(list).map((c) => {
      if (!isCheckName(c)) throw new UsageError(`${flag} ${c}: unknown check; known: ${CHECK_NAMES.join(', ')}`);
      return c;
    });
  const included = checkNames(values.check, '--check');
  const excluded = new Set(checkNames(values['exclude-check'], '--exclude-check'));
  const checks: CheckName[] = excluded.size > 0 ? (included.length ? included : [...CHECK_NAMES]).filter((c) => !excluded.has(c)) : included;
  if (excluded.size > 0 && checks.length === 0) throw new UsageError('--exclude-check leaves no check to run');
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
  if (maxResponseTimeMs !== undefined && !checks.includes('max_response_time') && checks.length > 0 && !excluded.has('max_response_time')) checks.push('max_response_time');
  let reset: ResetConfig | undefined = config.reset;
  if (values['reset-url']) reset = { url: values['reset-url'], method: 'POST' };
  if (values['reset-command']) reset = { command: values['reset-command'] };
  if (values['no-reset']) reset = undefined;

  const workflowPaths = values['no-workflows']
    ? []
    : values.workflows?.length
      ? values.workflows.map((w) => path.resolve(io.cwd, w))
      : config.workflows && (!specArg || specPath === config.spec)
        ? config.workflows // the config's workflows belong to the config's spec
        : [path.join(path.dirname(specPath), 'workflows')];

  const plan = await buildPlan(specPath, workflowPaths, { operations: values.operation, tags: values.tag, checks, seed });
  for (const id of values.operation ?? []) {
    if (!plan.spec.operations.some((o) => o.operationId === id)) throw new UsageError(`unknown operation ${id}`);
  }
  for (const tag of values.tag ?? []) {
    if (!plan.spec.operations.some((o) => o.tag === tag)) throw new UsageError(`unknown tag ${tag}`);
  }
  const credentials = credentialsFrom(config, { token: values.token, basic: values.basic, header: values.header }, plan.spec);
  assertCredentialsFit(plan.spec, credentials);
  const notice = credentialsNotice(plan, credentials);
  const reportPlan = planReports(reporters.filter(isFileReporter), values.output, { cwd: io.cwd, jsonToStdout: !reporters.includes('console') });
  prepareReports(reportPlan, io.cwd);
  const base = effectiveBaseUrl(baseUrl.toString(), plan.spec.serverBasePath, values['server-path'] ?? config.serverPath ?? false);
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
    notices: notice ? [notice] : [],
    seed: plan.seed,
    validator: plan.validator,
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

const isMain = process.argv[1] !== undefined && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  process.exitCode = await runCli(process.argv.slice(2));
}
