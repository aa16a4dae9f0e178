// npm run lint: Redocly lint of every API in redocly.yaml (the arguments pass through). Every file of
// each API is first read through the toolkit's file limits (shared/spec-files.ts: a byte cap, a YAML
// alias cap), since Redocly's own YAML parser has none. With --format json Redocly prints one JSON
// document per API back to back; this prints one document, { totals, apis: { <name>: <report> } }.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundle, createConfig } from '@redocly/openapi-core';
import { parse } from 'yaml';
import { BoundedResolver, SpecFileError } from '../shared/spec-files.ts';

const redocly = join('node_modules', '.bin', 'redocly');
const args = process.argv.slice(2);
const formatAt = args.findIndex((a) => a === '--format' || a.startsWith('--format='));
const format = formatAt < 0 ? undefined : args[formatAt]!.includes('=') ? args[formatAt]!.split('=')[1] : args[formatAt + 1];
const namesApi = args.some((a) => !a.startsWith('-') && a !== format);

const apiRoots = (parse(readFileSync('redocly.yaml', 'utf8')) as { apis?: Record<string, { root?: string }> }).apis ?? {};
const config = await createConfig({});
for (const [api, { root }] of Object.entries(apiRoots)) {
  if (!root) continue;
  const resolver = new BoundedResolver(config.resolve);
  try {
    await bundle({ ref: root, config, externalRefResolver: resolver });
  } catch (err) {
    if (!(err instanceof SpecFileError)) throw err;
  }
  if (resolver.refused) {
    process.stderr.write(`lint: ${api}: ${resolver.refused.message}\n`);
    process.exit(2);
  }
}

if (format !== 'json' || namesApi) {
  const run = spawnSync(redocly, ['lint', ...args], { stdio: 'inherit' });
  process.exit(run.status ?? 1);
}

interface Report { totals: { errors: number; warnings: number; ignored: number } }
const apis = Object.keys(apiRoots);
const merged: { totals: Report['totals']; apis: Record<string, unknown> } = { totals: { errors: 0, warnings: 0, ignored: 0 }, apis: {} };
let status = 0;
for (const api of apis) {
  const run = spawnSync(redocly, ['lint', api, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 256 * 1024 * 1024 });
  let report: Report;
  try {
    report = JSON.parse(run.stdout) as Report;
  } catch {
    process.stderr.write(`lint: Redocly gave no JSON report for ${api}: ${(run.stderr || run.stdout).trim().split('\n').at(-1) ?? ''}\n`);
    process.exit(2);
  }
  merged.apis[api] = report;
  for (const k of ['errors', 'warnings', 'ignored'] as const) merged.totals[k] += report.totals[k];
  status = Math.max(status, run.status ?? 1);
}
process.stdout.write(`${JSON.stringify(merged, null, 2)}\n`);
process.exit(status);
