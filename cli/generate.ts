// octk generate <spec> -o <dir>: schema.d.ts and client.ts for a frontend or any TypeScript project.
// The spec is bundled (multi-file specs too) with every file read through the toolkit's limits.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { bundle, createConfig } from '@redocly/openapi-core';
import { BoundedResolver, SpecFileError } from '../shared/spec-files.ts';
import { clientSource, typesSource, type Origin } from './client-source.ts';
import { UsageError, argsProblem, type CliIo, exitTwoOnUsageError } from './io.ts';

export const GENERATE_HELP = `octk generate: TypeScript types and a typed client (openapi-fetch) from an OpenAPI 3.x spec.

Usage: octk generate <spec> -o <dir> [options]

  <spec>                    the spec's root file, multi-file specs included
  -o, --output <dir>        where schema.d.ts and client.ts go (created if missing), e.g. -o src/api
  --envelope                successful answers are {statusCode, message, data}: unwrap() returns data
                            (default: unwrap() returns the body)
  --binary-as-blob          type format: binary as Blob (multipart uploads with files)
  --help                    this text;  --version  the version

Examples:
  octk generate openapi.yaml -o src/api
  octk generate api/openapi.yaml --output src/generated --binary-as-blob

The client needs openapi-fetch beside it (npm install openapi-fetch) and compiles under tsc's
defaults and strict mode:
  import { createClient, unwrap } from './api/client.js';
  const api = createClient({ baseUrl: 'http://127.0.0.1:4010', token: '...' });
  const answer = await unwrap(api.GET('/things/{id}', { params: { path: { id: '1' } } }));

Exit codes: 0 written; 2 usage error, a missing or unreadable spec (one line on stderr).
`;

export async function runGenerate(argv: string[], io: CliIo): Promise<number> {
  return exitTwoOnUsageError('generate', io, () => generate(argv, io));
}

async function generate(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        output: { type: 'string', short: 'o' },
        envelope: { type: 'boolean', default: false },
        'binary-as-blob': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new UsageError(argsProblem(err));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(GENERATE_HELP);
    return 0;
  }
  const [spec, ...extra] = positionals;
  if (spec === undefined) throw new UsageError('name the spec: octk generate <spec> -o <dir> (see --help)');
  if (extra.length > 0) throw new UsageError(`one spec only, got ${positionals.join(' ')} (see --help)`);
  if (values.output === undefined) throw new UsageError('name the output folder: -o <dir> (see --help)');
  const specPath = resolve(io.cwd, spec);
  if (!existsSync(specPath)) throw new UsageError(`${spec} does not exist`);

  const config = await createConfig({});
  const resolver = new BoundedResolver(config.resolve);
  let document: Record<string, unknown>;
  try {
    const result = await bundle({ ref: specPath, config, externalRefResolver: resolver, dereference: false });
    const refused = resolver.refused;
    if (refused) throw new UsageError(refused.message);
    const problem = result.problems.find((p) => p.severity === 'error');
    if (problem) throw new UsageError(`${spec}: ${problem.message}`);
    document = result.bundle.parsed as Record<string, unknown>;
  } catch (err) {
    if (err instanceof SpecFileError) throw new UsageError(err.message);
    if (err instanceof UsageError) throw err;
    throw new UsageError(`${spec} cannot be read: ${(err as Error).message.split('\n')[0]}`);
  }
  if (typeof document !== 'object' || document === null || !('openapi' in document)) throw new UsageError(`${spec} is not an OpenAPI 3.x document`);

  const origin: Origin = { command: 'octk generate', spec: relative(io.cwd, specPath) || spec };
  const shape = { envelope: values.envelope, binaryAsBlob: values['binary-as-blob'] };
  const out = resolve(io.cwd, values.output);
  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'schema.d.ts'), await typesSource(origin, document, shape));
  await writeFile(join(out, 'client.ts'), clientSource(origin, document, shape));
  const shown = relative(io.cwd, out) || '.';
  io.stdout.write(`generate: ${join(shown, 'schema.d.ts')} and ${join(shown, 'client.ts')} from ${origin.spec}; the client imports openapi-fetch\n`);
  return 0;
}
