// npm run spec:breaking -- <git-ref> [--spec spec/images/openapi.yaml]
// Compares the spec as it is now with the spec at a git ref (both bundled) using Redocly's diff with the
// diff-recommended rules, prints every breaking (major) change and fails when there is one.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
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

const USAGE = `usage: npm run spec:breaking -- <git-ref> [--spec spec/images/openapi.yaml]

Compares a spec with the same spec at a git ref (Redocly diff, diff-recommended rules) and fails on a
breaking change.
  <git-ref>      a commit, branch or tag, e.g. main or HEAD~3
  --spec <file>  the spec's root file (default spec/images/openapi.yaml; spec/stackrox/openapi.yaml, ...)
  --help         this text
Exit codes: 0 no breaking change; 1 breaking changes (each listed); 2 usage error (one line).`;

function usage(message: string): never {
  console.error(`spec:breaking: ${message}`);
  process.exit(2);
}

let parsed: ReturnType<typeof parseArgs<{ options: { spec: { type: 'string'; default: string }; help: { type: 'boolean' } }; allowPositionals: true }>>;
try {
  parsed = parseArgs({ options: { spec: { type: 'string', default: 'spec/images/openapi.yaml' }, help: { type: 'boolean' } }, allowPositionals: true });
} catch (err) {
  usage(`${(err as Error).message.split('.')[0]} (see --help)`);
}
const { values, positionals } = parsed;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const ref = positionals[0] ?? usage('name the git ref to compare with (see --help)');
const spec = resolve(values.spec);
if (!existsSync(spec)) usage(`${values.spec} does not exist`);
const repo = (await run('git', ['-C', dirname(spec), 'rev-parse', '--show-toplevel'])).stdout.trim();
try {
  await run('git', ['-C', repo, 'rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
} catch {
  usage(`${ref} is not a git ref of ${repo}`);
}
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
