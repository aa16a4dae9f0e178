// octk lint [spec ...]: Redocly lint (the config of ./redocly.yaml when there is one, else Redocly's
// recommended rules), after every file of each spec is read through the toolkit's file limits
// (shared/spec-files.ts: a byte cap, a YAML alias cap), since Redocly's own YAML parser has none.
// With --format json and no spec named, one document for every API of redocly.yaml
// ({ totals, apis: { <name>: <report> } }) where Redocly alone prints one per API back to back.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { bundle, createConfig } from '@redocly/openapi-core';
import { parse } from 'yaml';
import { BoundedResolver, SpecFileError } from '../shared/spec-files.ts';
import { UsageError, argsProblem, commaList, type CliIo, exitTwoOnUsageError } from './io.ts';
import { runRedocly } from './redocly.ts';

export const LINT_HELP = `octk lint: Redocly lint of OpenAPI specs, every file first read through size and YAML alias limits.

Usage: octk lint [<spec> | <api> ...] [options]
       npm run lint -- [options]          (in this repository: every API of redocly.yaml)

  <spec>                    a spec's root file, or an API name of redocly.yaml (e.g. images@v1);
                            none: every API listed under "apis" in redocly.yaml
  --config <file>           Redocly config (default: ./redocly.yaml when it exists, else the
                            recommended rules), e.g. --config api/redocly.yaml
  --format <name>           stylish | codeframe | json | checkstyle | github-actions | markdown | summary
                            (default codeframe), e.g. --format json
  --skip-rule <a,b>         rules to skip; a comma list, repeatable, e.g. --skip-rule operation-4xx-response
  --max-problems <n>        show at most n problems (default 100)
  --help                    this text;  --version  the version

Examples:
  octk lint openapi.yaml
  octk lint api/openapi.yaml --format json --skip-rule info-license,operation-4xx-response
  octk lint                 (with a redocly.yaml listing apis)

Exit codes: 0 no errors; 1 lint errors; 2 usage error, a file that is missing or over a limit (one line).
`;

export async function runLint(argv: string[], io: CliIo): Promise<number> {
  return exitTwoOnUsageError('lint', io, () => lint(argv, io));
}

async function lint(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: 'string' },
        format: { type: 'string' },
        'skip-rule': { type: 'string', multiple: true },
        'max-problems': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new UsageError(argsProblem(err));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(LINT_HELP);
    return 0;
  }
  if (values['max-problems'] !== undefined && !/^\d+$/.test(values['max-problems'])) throw new UsageError(`--max-problems ${values['max-problems']} is not a whole number`);
  const configFile = values.config ?? (existsSync(resolve(io.cwd, 'redocly.yaml')) ? 'redocly.yaml' : undefined);
  if (configFile !== undefined && !existsSync(resolve(io.cwd, configFile))) throw new UsageError(`--config ${configFile} does not exist`);
  const apiRoots = configFile ? ((parse(readFileSync(resolve(io.cwd, configFile), 'utf8')) as { apis?: Record<string, { root?: string }> } | null)?.apis ?? {}) : {};

  // What to read through the limits first: each named file or API, else every API of the config.
  const roots: [string, string][] = [];
  for (const name of positionals) {
    const root = apiRoots[name]?.root ?? name;
    if (!existsSync(resolve(io.cwd, root))) throw new UsageError(apiRoots[name] ? `${name}: ${root} does not exist` : `${name} does not exist${configFile ? ` and is no API of ${configFile}` : ''}`);
    roots.push([name, root]);
  }
  if (positionals.length === 0) {
    for (const [api, { root }] of Object.entries(apiRoots)) if (root) roots.push([api, root]);
    if (roots.length === 0) throw new UsageError('name a spec (octk lint openapi.yaml) or list apis in redocly.yaml (see --help)');
  }
  const limits = await createConfig({});
  for (const [name, root] of roots) {
    const resolver = new BoundedResolver(limits.resolve);
    try {
      await bundle({ ref: resolve(io.cwd, root), config: limits, externalRefResolver: resolver });
    } catch (err) {
      if (!(err instanceof SpecFileError)) throw err; // anything else is Redocly's to report, below
    }
    if (resolver.refused) throw new UsageError(`${name}: ${resolver.refused.message}`);
  }

  const options = [
    ...(values.config ? ['--config', values.config] : []),
    ...(values['max-problems'] ? ['--max-problems', values['max-problems']] : []),
    ...commaList(values['skip-rule']).flatMap((r) => ['--skip-rule', r]),
  ];
  if (values.format !== 'json' || positionals.length > 0) {
    const run = await runRedocly(['lint', ...positionals, ...options, ...(values.format ? ['--format', values.format] : [])], io, { pass: true });
    return run.code === 0 ? 0 : 1;
  }

  interface Report { totals: { errors: number; warnings: number; ignored: number } }
  const merged: { totals: Report['totals']; apis: Record<string, unknown> } = { totals: { errors: 0, warnings: 0, ignored: 0 }, apis: {} };
  let status = 0;
  for (const [api] of roots) {
    const run = await runRedocly(['lint', api, ...options, '--format', 'json'], io, { env: { NO_COLOR: '1' } });
    let report: Report;
    try {
      report = JSON.parse(run.stdout) as Report;
    } catch {
      throw new UsageError(`Redocly gave no JSON report for ${api}: ${(run.stderr || run.stdout).trim().split('\n').at(-1) ?? ''}`);
    }
    merged.apis[api] = report;
    for (const k of ['errors', 'warnings', 'ignored'] as const) merged.totals[k] += report.totals[k];
    status = Math.max(status, run.code === 0 ? 0 : 1);
  }
  io.stdout.write(`${JSON.stringify(merged, null, 2)}\n`);
  return status;
}
