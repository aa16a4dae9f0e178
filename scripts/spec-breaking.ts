// npm run spec:breaking -- <git-ref> [--spec spec/images/openapi.yaml]
// Compares the spec as it is now with the spec at a git ref (both bundled) using Redocly's diff with the
// diff-recommended rules, prints every breaking (major) change and fails when there is one.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';

const run = promisify(execFile);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const redocly = join(root, 'node_modules', '.bin', 'redocly');
const quiet = { env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 };

interface Verdict { ruleId: string; impact: string; message: string }
interface Change { path: string; impact: string; verdicts?: Verdict[] }

function usage(message: string): never {
  console.error(`spec:breaking: ${message}\nusage: npm run spec:breaking -- <git-ref> [--spec spec/images/openapi.yaml]`);
  process.exit(2);
}

const { values, positionals } = parseArgs({ options: { spec: { type: 'string', default: 'spec/images/openapi.yaml' } }, allowPositionals: true });
const ref = positionals[0] ?? usage('name the git ref to compare with');
const spec = resolve(values.spec);
const repo = (await run('git', ['-C', dirname(spec), 'rev-parse', '--show-toplevel'])).stdout.trim();
const specInRepo = relative(repo, spec);
const specDir = dirname(specInRepo);

const scratch = await mkdtemp(join(tmpdir(), 'spec-breaking-'));
try {
  // the whole spec folder at the ref, so that its relative $refs resolve
  try {
    await run('sh', ['-c', `git -C "$0" archive "$1" -- "$2" | tar -x -C "$3"`, repo, ref, specDir, scratch]);
  } catch {
    usage(`${specDir} does not exist at ${ref}`);
  }
  const base = join(scratch, 'base.yaml');
  const revision = join(scratch, 'revision.yaml');
  await run(redocly, ['bundle', join(scratch, specInRepo), '--output', base], quiet);
  await run(redocly, ['bundle', spec, '--output', revision], quiet);
  const report = join(scratch, 'diff.json');
  await run(redocly, ['diff', base, revision, '--config', join(root, 'scripts', 'redocly.diff.yaml'), '--format', 'json', '--output', report, '--fail-on', 'none'], quiet);
  const { changes, summary } = JSON.parse(await readFile(report, 'utf8')) as { changes: Change[]; summary: Record<string, number> };
  const breaking = changes.filter((c) => c.impact === 'major');
  for (const change of breaking) {
    for (const v of change.verdicts?.filter((x) => x.impact === 'major') ?? []) console.log(`BREAKING ${v.ruleId}: ${v.message}\n  at ${change.path}`);
  }
  console.log(`spec:breaking: ${specInRepo} against ${ref}: ${summary.major ?? 0} breaking, ${summary.minor ?? 0} minor, ${summary.patch ?? 0} patch changes`);
  process.exitCode = breaking.length > 0 ? 1 : 0;
} finally {
  await rm(scratch, { recursive: true, force: true });
}
