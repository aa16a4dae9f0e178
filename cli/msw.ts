// octk msw <spec> -o <dir>: typed MSW handlers for a spec (mock/msw/generate.ts writes them). Installed,
// the written handlers.ts imports the handler builder from the package's `./msw` export; in this
// repository (run through tsx), from the source file, as `generate --msw` does by default.
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { UsageError, type CliIo } from './io.ts';
import { BIN, PACKAGE_NAME } from './version.ts';

export const MSW_HELP = `${BIN} msw: MSW request handlers answering from a spec's examples, typed from its schemas.

Usage: ${BIN} msw <spec> -o <dir> [--runtime <import specifier>]

  <spec>, --spec <file>    the spec's root file (required)
  -o, --out <dir>          writes <dir>/openapi.json, <dir>/schema.d.ts and <dir>/handlers.ts (required)
  --runtime <specifier>    where handlers.ts imports the builder from (default: ${PACKAGE_NAME}/msw)
  --help                   this text

Examples:
  ${BIN} msw openapi.yaml -o src/mocks
  then: import { handlers } from './mocks/handlers'; setupServer(...handlers({ baseUrl: 'http://api.test' }))
`;

/** True when this module runs from the built package (dist/), where the builder is the `./msw` export. */
const installed = () => fileURLToPath(import.meta.url).endsWith('.js');

export async function runMsw(argv: string[], io: CliIo): Promise<number> {
  let values;
  let positionals;
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      options: { spec: { type: 'string' }, out: { type: 'string', short: 'o' }, runtime: { type: 'string' }, help: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    }));
    if (positionals.length > 1) throw new UsageError(`one spec, got ${positionals.length}: ${positionals.join(' ')}`);
  } catch (err) {
    io.stderr.write(`${BIN} msw: ${(err as Error).message.split('\n')[0]} (see ${BIN} msw --help)\n`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(MSW_HELP);
    return 0;
  }
  const spec = values.spec ?? positionals[0];
  if (!spec || !values.out) {
    io.stderr.write(`${BIN} msw: ${!spec ? 'a spec' : '-o <dir>'} is required (see ${BIN} msw --help)\n`);
    return 2;
  }
  const runtime = values.runtime ?? (installed() ? `${PACKAGE_NAME}/msw` : undefined);
  const { runMswGenerateCli } = await import('../mock/msw/generate.ts');
  return runMswGenerateCli(['--spec', spec, '--out', values.out, ...(runtime ? ['--runtime', runtime] : [])], {
    out: (line) => io.stdout.write(`${line.replace(/^generate --msw:/, `${BIN} msw:`)}\n`),
    err: (line) => io.stderr.write(`${line.replace(/^generate --msw:/, `${BIN} msw:`)}\n`),
  });
}
