// npm run mock -- [--spec file] [--port n] [--host h] [--stateful] [--delay ms] [--fail-rate r] [--seed s] [--quiet] [--no-watch]
// npm run mock -- --proxy <upstream-url> [...]: the validating proxy instead (mock/proxy/cli.ts)
import { parseArgs } from 'node:util';
import { readSpecText } from '../shared/spec-files.ts';
import { createMockApp, type MockApp } from './app.ts';
import { SpecLoadError } from './load-spec.ts';
import { createMockServer } from './server.ts';
import type { Credential } from './selection.ts';

const usage = `usage: npm run mock -- [--spec spec/images/openapi.yaml] [--port 4010] [--host 127.0.0.1]
  [--stateful] [--delay <ms>] [--fail-rate <0..1>] [--seed <s>] [--stream-interval <ms>]
  [--token role=token ...] [--basic role=user:password ...] [--header role:Name=Value ...] [--credentials file.json] [--strict-auth]
  [--quiet] [--no-watch] [--no-cors] [--no-cache]
       npm run mock -- --proxy <upstream-url> [--spec ...] [--reporter ...] [--fail-on-violation] (--proxy --help)`;

function fail(message: string): never {
  process.stderr.write(`mock: ${message}\n${usage}\n`);
  process.exit(2);
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

// The proxy has options of its own (reporters, --fail-on-violation) and none of the mock's answering ones.
if (process.argv.slice(2).some((a) => a === '--proxy' || a.startsWith('--proxy='))) {
  const { runProxyCli } = await import('./proxy/cli.ts');
  process.exit(await runProxyCli(process.argv.slice(2)));
}

let args;
try {
  args = parseArgs({
    options: {
      spec: { type: 'string', default: 'spec/images/openapi.yaml' },
      port: { type: 'string', default: '4010' },
      host: { type: 'string', default: '127.0.0.1' },
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
      help: { type: 'boolean', default: false },
    },
    strict: true,
  }).values;
} catch (err) {
  fail((err as Error).message);
}
if (args.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}
const port = numberOption(args.port, 'port', (n) => Number.isInteger(n) && n >= 0 && n < 65536) ?? 4010;
const delayMs = numberOption(args.delay, 'delay', (n) => n >= 0);
const failRate = numberOption(args['fail-rate'], 'fail-rate', (n) => n >= 0 && n <= 1);
const streamIntervalMs = numberOption(args['stream-interval'], 'stream-interval', (n) => n >= 0);
const credentials = credentialsOf(args.token ?? [], args.basic ?? [], args.header ?? [], args.credentials);

let app: MockApp;
try {
  app = await createMockApp({
    specPath: args.spec,
    stateful: args.stateful,
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
  });
} catch (err) {
  // Not a usage error: the spec's own problem, without the usage text (one line for one problem).
  if (err instanceof SpecLoadError) {
    process.stderr.write(`mock: cannot start: ${err.message.includes('\n') ? `\n  ${err.message.replace(/\n/g, '\n  ')}` : err.message}\n`);
    process.exit(2);
  }
  throw err;
}

const server = createMockServer(app);
server.on('error', (err) => fail(`cannot listen on ${args.host}:${port}: ${err.message}`));
server.listen(port, args.host, () => {
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  const flags = [
    args.stateful && 'stateful',
    delayMs && `delay ${delayMs}ms`,
    failRate && `fail-rate ${failRate}`,
    args.seed !== undefined && `seed ${args.seed}`,
    !args['no-watch'] && 'watching',
  ].filter(Boolean);
  process.stdout.write(
    `mock: ${app.spec.model.title} (${app.spec.operations.length} operations from ${args.spec}) on http://${args.host}:${actual}` +
      `${flags.length ? ` [${flags.join(', ')}]` : ''}; catalog at http://${args.host}:${actual}/__mock\n`,
  );
});

let stopping = false;
function stop(signal: string): void {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`mock: ${signal}, stopping\n`);
  void app.close();
  server.close(() => process.exit(0));
  server.closeAllConnections();
}
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
