// octk mock <spec> [options] (npm run mock -- ... here): argv, listen, one start line once it listens,
// SIGINT/SIGTERM. Every bad flag, file or port is one line on stderr and exit 2.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { UsageError, argsProblem, portOf, processIo, type CliIo, exitTwoOnUsageError } from '../cli/io.ts';
import { readSpecText } from '../shared/spec-files.ts';
import { createMockApp, type MockApp } from './app.ts';
import { SpecLoadError } from './load-spec.ts';
import { createMockServer } from './server.ts';
import type { Credential } from './selection.ts';

export const MOCK_HELP = `octk mock: a mock server answering from an OpenAPI 3.x spec's examples (multi-file specs too).

Usage: octk mock <spec> [options]
       npm run mock -- [options]          (in this repository: --spec spec/images/openapi.yaml)

  <spec>, --spec <file>       the spec's root file (required)
  -p, --port <n>              port to listen on (default: $PORT, else 4010; 0 picks a free one)
                              e.g. -p 4010
  -h, --host <host>           address to listen on (default: $HOST, else 127.0.0.1); e.g. -h 0.0.0.0
  -d, --dynamic               answer with bodies generated from the schemas instead of the examples
                              (per request: Prefer: dynamic=true / dynamic=false)
  --stateful                  remember writes: a POST'ed item is returned by the next GET
  --delay <ms>                delay every answer, e.g. --delay 200 (per request: Prefer: delay=500)
  --fail-rate <0..1>          share of requests answered with the operation's documented 5xx, e.g. 0.05
  --seed <s>                  seed of --fail-rate draws and dynamic bodies, e.g. --seed 1
  --stream-interval <ms>      pause between the records of a streamed answer (NDJSON, events), e.g. 100
  --token <role>=<token>      a bearer token or API key that is this caller role; repeatable,
                              e.g. --token owner=alice-demo-token --token other=bob-demo-token
  --basic <role>=<user>:<pw>  HTTP Basic credentials of a role; repeatable, e.g. --basic admin=admin:secret
  --header <role>:<Name>=<v>  a header value that names a role, e.g. --header admin:X-Api-Key=k1
  --credentials <file.json>   roles from a file: {"admin": {"token": "t", "basic": "u:p", "headers": {"X-Key": "v"}}}
  --strict-auth               refuse credentials no role names with the documented 401
  --quiet                     no request lines (errors still print)
  --no-watch                  do not reload when a file of the spec changes
  --no-cors                   no CORS headers
  --no-cache                  compute every answer (no answer cache)
  --allow-remote-refs         fetch $refs to http(s) URLs (default: none fetched; start-up fails naming the ref)
  --proxy <upstream-url>      a validating proxy instead of a mock: forwards to the upstream and reports
                              every request and answer that breaks the spec (--proxy --help; also: octk proxy)
  --help                      this text;  --version  the version

Examples:
  octk mock openapi.yaml
  PORT=8080 octk mock api/openapi.yaml --stateful --delay 200
  octk mock openapi.yaml -p 4010 -d --seed 1 --token owner=T1 --token other=T2

Prefer headers as in Prism: Prefer: code=404, Prefer: example=<name>, Prefer: dynamic=true.
The catalog of operations and examples is at /__mock. Exit codes: 0 stopped by SIGINT/SIGTERM;
2 usage error, a spec that cannot be read, or a port that cannot be listened on (one line on stderr).
`;

function fail(message: string): never {
  throw new UsageError(message);
}

function numberOption(value: string | undefined, name: string, check: (n: number) => boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || !check(n)) fail(`--${name} ${value} is not valid`);
  return n;
}

function credentialsOf(tokens: string[], basics: string[], headers: string[], file: string | undefined): Credential[] {
  const out: Credential[] = [];
  const split = (flag: string, pair: string, sep: string): [string, string] => {
    const at = pair.indexOf(sep);
    if (at < 1) fail(`--${flag} ${pair} is not role${sep}...`);
    return [pair.slice(0, at), pair.slice(at + 1)];
  };
  for (const pair of tokens) {
    const [role, value] = split('token', pair, '=');
    out.push({ role, kind: 'token', value });
  }
  for (const pair of basics) {
    const [role, value] = split('basic', pair, '=');
    if (!value.includes(':')) fail(`--basic ${pair} is not role=user:password`);
    out.push({ role, kind: 'basic', value });
  }
  for (const pair of headers) {
    const [role, rest] = split('header', pair, ':');
    const [name, value] = split('header', rest, '=');
    out.push({ role, kind: 'header', name, value });
  }
  if (file !== undefined) out.push(...credentialsFile(file));
  return out;
}

/** `{ "admin": { "token": "t" | ["t1", "t2"], "basic": "user:password", "headers": { "X-Key": "v" } } }` */
function credentialsFile(file: string): Credential[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readSpecText(file));
  } catch (err) {
    fail(`--credentials ${file}: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) fail(`--credentials ${file} is not an object of roles`);
  const out: Credential[] = [];
  const list = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(String);
  for (const [role, entry] of Object.entries(parsed as Record<string, Record<string, unknown>>)) {
    if (typeof entry !== 'object' || entry === null) fail(`--credentials ${file}: ${role} is not an object`);
    for (const value of list(entry.token)) out.push({ role, kind: 'token', value });
    for (const value of list(entry.basic)) out.push({ role, kind: 'basic', value });
    const headers = entry.headers;
    if (typeof headers === 'object' && headers !== null) for (const [name, value] of Object.entries(headers)) out.push({ role, kind: 'header', name, value: String(value) });
  }
  return out;
}

/** Runs the mock until SIGINT/SIGTERM (resolves 0) or a usage, spec or listen error (resolves 2, one line). */
export async function runMock(argv: string[], io: CliIo = processIo()): Promise<number> {
  // --proxy <upstream>: the validating proxy instead (mock/proxy/cli.ts), with options of its own
  // (reporters, --fail-on-violation) and none of the mock's answering ones.
  if (argv.some((a) => a === '--proxy' || a.startsWith('--proxy='))) {
    const { runProxyCli } = await import('./proxy/cli.ts');
    return runProxyCli(argv, io);
  }
  return exitTwoOnUsageError('mock', io, () => serve(argv, io));
}

async function serve(argv: string[], io: CliIo): Promise<number> {
  const env = io.env ?? process.env;
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        spec: { type: 'string' },
        port: { type: 'string', short: 'p' },
        host: { type: 'string', short: 'h' },
        dynamic: { type: 'boolean', short: 'd', default: false },
        stateful: { type: 'boolean', default: false },
        delay: { type: 'string' },
        'fail-rate': { type: 'string' },
        seed: { type: 'string' },
        token: { type: 'string', multiple: true },
        basic: { type: 'string', multiple: true },
        header: { type: 'string', multiple: true },
        credentials: { type: 'string' },
        'strict-auth': { type: 'boolean', default: false },
        'stream-interval': { type: 'string' },
        quiet: { type: 'boolean', default: false },
        'no-watch': { type: 'boolean', default: false },
        'no-cors': { type: 'boolean', default: false },
        'no-cache': { type: 'boolean', default: false },
        'allow-remote-refs': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    });
  } catch (err) {
    fail(argsProblem(err));
  }
  const args = parsed.values;
  if (args.help) {
    io.stdout.write(MOCK_HELP);
    return 0;
  }
  if (parsed.positionals.length > 1) fail(`one spec only, got ${parsed.positionals.join(' ')} (see --help)`);
  const port = args.port !== undefined ? portOf(args.port, '--port') : env.PORT ? portOf(env.PORT, 'PORT') : 4010;
  const host = args.host ?? (env.HOST || '127.0.0.1');
  const delayMs = numberOption(args.delay, 'delay', (n) => n >= 0);
  const failRate = numberOption(args['fail-rate'], 'fail-rate', (n) => n >= 0 && n <= 1);
  const streamIntervalMs = numberOption(args['stream-interval'], 'stream-interval', (n) => n >= 0);
  const credentials = credentialsOf(args.token ?? [], args.basic ?? [], args.header ?? [], args.credentials);
  // The positional spec wins over --spec, so `npm run mock -- other.yaml` overrides the script's --spec.
  const specPath = parsed.positionals[0] ?? args.spec;
  if (specPath === undefined) fail('name the spec: octk mock <spec> (see --help)');

  let app: MockApp;
  try {
    app = await createMockApp({
      specPath,
      stateful: args.stateful,
      dynamic: args.dynamic,
      delayMs,
      failRate,
      seed: args.seed,
      credentials,
      strictAuth: args['strict-auth'],
      streamIntervalMs,
      quiet: args.quiet,
      watch: !args['no-watch'],
      cors: !args['no-cors'],
      cache: !args['no-cache'],
      allowRemoteRefs: args['allow-remote-refs'],
    });
  } catch (err) {
    // Not a usage error: the spec's own problem (one line for one problem, an indented list for several).
    if (err instanceof SpecLoadError) {
      io.stderr.write(`mock: cannot start: ${err.message.includes('\n') ? `\n  ${err.message.replace(/\n/g, '\n  ')}` : err.message}\n`);
      return 2;
    }
    throw err;
  }

  const server = createMockServer(app);
  const listening = await new Promise<boolean>((resolve) => {
    server.once('error', (err) => {
      io.stderr.write(`mock: cannot listen on ${host}:${port}: ${err.message}\n`);
      resolve(false);
    });
    server.listen(port, host, () => resolve(true));
  });
  if (!listening) {
    await app.close();
    return 2;
  }
  // Said only now that it listens (a busy port says nothing of serving).
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  const flags = [
    args.stateful && 'stateful',
    args.dynamic && 'dynamic',
    delayMs && `delay ${delayMs}ms`,
    failRate && `fail-rate ${failRate}`,
    args.seed !== undefined && `seed ${args.seed}`,
    !args['no-watch'] && 'watching',
  ].filter(Boolean);
  io.stdout.write(
    `mock: ${app.spec.model.title} (${app.spec.operations.length} operations from ${specPath}) on http://${host}:${actual}` +
      `${flags.length ? ` [${flags.join(', ')}]` : ''}; catalog at http://${host}:${actual}/__mock\n`,
  );

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      io.stdout.write(`mock: ${signal}, stopping\n`);
      void app.close();
      server.close(() => resolve(0));
      server.closeAllConnections();
    };
    // on, not once: a Ctrl-C reaches npx and the mock under it, and npx forwards it again; a second
    // signal with no listener left would kill the mock mid-stop.
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });
}

const isMain = process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) process.exit(await runMock(process.argv.slice(2)));
