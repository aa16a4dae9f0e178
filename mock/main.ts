// npm run mock -- [--spec file] [--port n] [--host h] [--stateful] [--delay ms] [--fail-rate r] [--seed s] [--quiet] [--no-watch]
import http from 'node:http';
import { parseArgs } from 'node:util';
import { createMockApp, type MockApp } from './app.ts';
import { SpecLoadError } from './load-spec.ts';

const usage = `usage: npm run mock -- [--spec spec/openapi.yaml] [--port 4010] [--host 127.0.0.1]
  [--stateful] [--delay <ms>] [--fail-rate <0..1>] [--seed <s>] [--token role=token ...] [--quiet] [--no-watch] [--no-cors] [--no-cache]`;

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

function tokensOf(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq < 1) fail(`--token ${pair} is not role=token`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

let args;
try {
  args = parseArgs({
    options: {
      spec: { type: 'string', default: 'spec/openapi.yaml' },
      port: { type: 'string', default: '4010' },
      host: { type: 'string', default: '127.0.0.1' },
      stateful: { type: 'boolean', default: false },
      delay: { type: 'string' },
      'fail-rate': { type: 'string' },
      seed: { type: 'string' },
      token: { type: 'string', multiple: true },
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

let app: MockApp;
try {
  app = await createMockApp({
    specPath: args.spec,
    stateful: args.stateful,
    delayMs,
    failRate,
    seed: args.seed,
    tokens: tokensOf(args.token ?? []),
    quiet: args.quiet,
    watch: !args['no-watch'],
    cors: !args['no-cors'],
    cache: !args['no-cache'],
  });
} catch (err) {
  if (err instanceof SpecLoadError) fail(`cannot start:\n  ${err.message.replace(/\n/g, '\n  ')}`);
  throw err;
}

const server = http.createServer(app.handle);
server.keepAliveTimeout = 65_000;
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
