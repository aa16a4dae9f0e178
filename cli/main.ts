#!/usr/bin/env node
// octk <command> [options]: the package's one bin. Each command is one row of COMMANDS and loads its
// module only when called, so `octk lint` never loads the mock and no command loads what it does not use.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BIN, packageVersion } from './version.ts';
import { processIo, type CliIo } from './io.ts';

export interface Command {
  name: string;
  /** One line for `octk --help`. */
  summary: string;
  /** Runs the command; resolves to its exit code (0 ok, 1 a finding, 2 usage error). */
  run(argv: string[], io: CliIo): Promise<number>;
}

export const COMMANDS: Command[] = [
  { name: 'mock', summary: 'serve a spec\'s examples as a mock server', run: async (argv, io) => (await import('../mock/main.ts')).runMock(argv, io) },
  { name: 'conformance', summary: 'replay a spec\'s examples, probes and workflows against an implementation', run: async (argv, io) => (await import('../conformance/cli.ts')).runCli(argv, io) },
  { name: 'lint', summary: 'Redocly lint of a spec, read through the toolkit\'s file limits', run: async (argv, io) => (await import('./lint.ts')).runLint(argv, io) },
  { name: 'generate', summary: 'TypeScript types and a typed client module from a spec', run: async (argv, io) => (await import('./generate.ts')).runGenerate(argv, io) },
  { name: 'diff', summary: 'breaking changes between two versions of a spec (or a spec and a git ref)', run: async (argv, io) => (await import('./diff.ts')).runDiff(argv, io) },
  { name: 'proxy', summary: 'a validating proxy: forwards to a server, reports what breaks the spec, coverage from traffic', run: async (argv, io) => (await import('../mock/proxy/cli.ts')).runProxyCli(argv, io) },
  { name: 'msw', summary: 'typed MSW request handlers (msw/node, the browser) answering from a spec\'s examples', run: async (argv, io) => (await import('./msw.ts')).runMsw(argv, io) },
];

export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `${BIN} ${packageVersion()}: OpenAPI contract tools: a mock, a conformance suite, lint, a typed client, breaking changes.

Usage: ${BIN} <command> [options]      ${BIN} <command> --help for its options and examples

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Examples:
  ${BIN} mock openapi.yaml -p 4010
  ${BIN} conformance openapi.yaml --url http://127.0.0.1:3000 --token T
  ${BIN} lint openapi.yaml
  ${BIN} generate openapi.yaml -o src/api
  ${BIN} msw openapi.yaml -o src/mocks
  ${BIN} diff main openapi.yaml

Options: --help, -h   this text      --version, -v   the version
Exit codes: 0 success; 1 the command found a problem (a failed check, lint errors, a breaking change);
2 usage error (one line on stderr).
`;
}

/** Runs `octk <argv>` and resolves to the exit code. */
export async function runMain(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    io.stdout.write(mainHelp());
    return first === undefined ? 2 : 0;
  }
  if (first === '--version' || first === '-v') {
    io.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === first);
  if (!command) {
    io.stderr.write(`${BIN}: unknown command ${first}; known: ${COMMANDS.map((c) => c.name).join(', ')} (see ${BIN} --help)\n`);
    return 2;
  }
  if (rest.includes('--version')) {
    io.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  return command.run(rest, io);
}

// Run as the bin (npm links node_modules/.bin/octk to dist/cli/main.js: compare real paths) or as
// `node --import tsx cli/main.ts`; imported (tests), it only exports.
const isMain = process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) process.exit(await runMain(process.argv.slice(2)));
