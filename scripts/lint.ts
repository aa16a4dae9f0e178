// npm run lint: Redocly lint of every API in redocly.yaml (the arguments pass through). With
// --format json Redocly prints one JSON document per API back to back; this prints one document,
// { totals, apis: { <name>: <Redocly's report> } }, that a JSON reader can take.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';

const redocly = join('node_modules', '.bin', 'redocly');
const args = process.argv.slice(2);
const formatAt = args.findIndex((a) => a === '--format' || a.startsWith('--format='));
const format = formatAt < 0 ? undefined : args[formatAt]!.includes('=') ? args[formatAt]!.split('=')[1] : args[formatAt + 1];
const namesApi = args.some((a) => !a.startsWith('-') && a !== format);

if (format !== 'json' || namesApi) {
  const run = spawnSync(redocly, ['lint', ...args], { stdio: 'inherit' });
  process.exit(run.status ?? 1);
}

interface Report { totals: { errors: number; warnings: number; ignored: number } }
const apis = Object.keys((parse(readFileSync('redocly.yaml', 'utf8')) as { apis?: Record<string, unknown> }).apis ?? {});
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
