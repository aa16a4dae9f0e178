// octk diff <old> <new> | octk diff <git-ref> <spec>: both sides bundled, compared by Redocly's diff
// with the diff-recommended rules; every breaking (major) change printed, exit 1 when there is one.
import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { UsageError, argsProblem, type CliIo, exitTwoOnUsageError } from './io.ts';
import { runRedocly } from './redocly.ts';

const exec = promisify(execFile);

export const DIFF_HELP = `octk diff: breaking changes between two versions of an OpenAPI spec (Redocly diff, diff-recommended rules).

Usage: octk diff <old-spec> <new-spec>
       octk diff <git-ref> <spec>         the spec as it was at a git ref against the spec now
       npm run spec:breaking -- <git-ref> [--spec <file>]   (in this repository: spec/images/openapi.yaml)

  <old-spec> <new-spec>     two root files (multi-file specs are bundled first)
  <git-ref> <spec>          a commit, branch or tag of the repository the spec is in, e.g. main, HEAD~3, v1.2.0;
                            the spec's whole folder is taken at that ref, so its relative $refs resolve
  --spec <file>             the spec of the git-ref form, when not given as the second argument
  --help                    this text;  --version  the version

Examples:
  octk diff old/openapi.yaml openapi.yaml
  octk diff main api/openapi.yaml
  octk diff v1.0.0 --spec openapi.yaml

Exit codes: 0 no breaking change; 1 breaking changes (each listed, then one summary line);
2 usage error: unknown flag, missing file, unknown git ref (one line on stderr).
`;

interface Verdict { ruleId: string; impact: string; message: string }
interface Change { path: string; impact: string; verdicts?: Verdict[] }

export async function runDiff(argv: string[], io: CliIo): Promise<number> {
  return exitTwoOnUsageError('diff', io, () => diff(argv, io));
}

const isFile = (file: string) => existsSync(file) && statSync(file).isFile();

async function diff(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { spec: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    throw new UsageError(argsProblem(err));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(DIFF_HELP);
    return 0;
  }
  // A later positional wins over --spec, as in `npm run spec:breaking -- main other.yaml`.
  const [first, second = values.spec, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`at most two arguments, got ${positionals.join(' ')} (see --help)`);
  if (first === undefined) throw new UsageError('name what to compare: octk diff <old-spec> <new-spec> or octk diff <git-ref> <spec> (see --help)');
  if (second === undefined) throw new UsageError(`name the spec to compare with ${first} (see --help)`);
  const revision = resolve(io.cwd, second);
  if (!isFile(revision)) throw new UsageError(`${second} does not exist`);

  const scratch = await mkdtemp(join(tmpdir(), 'octk-diff-'));
  try {
    let base: string;
    let against: string;
    if (isFile(resolve(io.cwd, first))) {
      base = resolve(io.cwd, first);
      against = first;
    } else {
      base = await specAtRef(first, revision, scratch);
      against = `${relative(await repoOf(revision), revision)} at ${first}`;
    }
    const quiet = { env: { NO_COLOR: '1' } };
    const bundled = async (spec: string, out: string) => {
      const run = await runRedocly(['bundle', spec, '--output', out], io, quiet);
      if (run.code !== 0) throw new UsageError(`${relative(io.cwd, spec) || spec} cannot be bundled: ${lastLine(run.stderr || run.stdout)}`);
      return out;
    };
    const config = join(scratch, 'redocly.diff.yaml');
    // Its own config: ./redocly.yaml's lint rules say nothing of diffs, and openapi-typescript's
    // older Redocly core would reject a diff ruleset there.
    await writeFile(config, 'extends:\n  - diff-recommended\n');
    const report = join(scratch, 'diff.json');
    const run = await runRedocly(
      ['diff', await bundled(base, join(scratch, 'base.yaml')), await bundled(revision, join(scratch, 'revision.yaml')), '--config', config, '--format', 'json', '--output', report, '--fail-on', 'none'],
      io,
      quiet,
    );
    if (run.code !== 0 || !existsSync(report)) throw new UsageError(`Redocly diff failed: ${lastLine(run.stderr || run.stdout)}`);
    const { changes, summary } = JSON.parse(await readFile(report, 'utf8')) as { changes: Change[]; summary: Record<string, number> };
    const breaking = changes.filter((c) => c.impact === 'major');
    for (const change of breaking) {
      for (const v of change.verdicts?.filter((x) => x.impact === 'major') ?? []) io.stdout.write(`BREAKING ${v.ruleId}: ${v.message}\n  at ${change.path}\n`);
    }
    io.stdout.write(`diff: ${relative(io.cwd, revision) || second} against ${against}: ${summary.major ?? 0} breaking, ${summary.minor ?? 0} minor, ${summary.patch ?? 0} patch changes\n`);
    return breaking.length > 0 ? 1 : 0;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1) ?? '';
}

async function repoOf(spec: string): Promise<string> {
  try {
    return (await exec('git', ['-C', dirname(spec), 'rev-parse', '--show-toplevel'])).stdout.trim();
  } catch {
    throw new UsageError(`${spec} is not in a git repository, so there is no git ref to compare with`);
  }
}

/** The spec's folder as it was at `ref`, extracted under `scratch`; returns the root file there. */
async function specAtRef(ref: string, spec: string, scratch: string): Promise<string> {
  const repo = await repoOf(spec);
  try {
    await exec('git', ['-C', repo, 'rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch {
    throw new UsageError(`${ref} is neither a file nor a git ref of ${repo}`);
  }
  const specInRepo = relative(repo, spec);
  const specDir = dirname(specInRepo);
  try {
    await exec('sh', ['-c', 'git -C "$0" archive "$1" -- "$2" | tar -x -C "$3"', repo, ref, specDir, scratch]);
  } catch {
    throw new UsageError(`${specDir} does not exist at ${ref}`);
  }
  const root = join(scratch, specInRepo);
  if (!isFile(root)) throw new UsageError(`${specInRepo} does not exist at ${ref}`);
  return root;
}
