// octk diff (npm run spec:breaking here) answers bad input with one line and exit 2, never a stack
// trace; --help is help; two files or a git ref and a file compare.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const SPEC = 'spec/images/openapi.yaml';

it.each<[string, string[], number, RegExp]>([
  ['--help prints the usage with examples', ['--help'], 0, /^octk diff: [^]*Usage: octk diff <old-spec> <new-spec>[^]*Examples:/],
  ['an unknown flag', ['--bogus'], 2, /^diff: Unknown option '--bogus' \(see --help\)\n$/],
  ['a ref git does not know', ['no-such-ref-anywhere', SPEC], 2, /^diff: no-such-ref-anywhere is neither a file nor a git ref of \S+\n$/],
  ['nothing to compare', [], 2, /^diff: name what to compare: /],
  ['a ref without a spec', ['HEAD'], 2, /^diff: name the spec to compare with HEAD \(see --help\)\n$/],
  ['a spec file that does not exist', ['HEAD', 'nope.yaml'], 2, /^diff: nope.yaml does not exist\n$/],
  ['a --spec file that does not exist', ['HEAD', '--spec', 'nope.yaml'], 2, /^diff: nope.yaml does not exist\n$/],
  ['three arguments', ['a', 'b', 'c'], 2, /^diff: at most two arguments/],
  ['the same file twice', [SPEC, SPEC], 0, /^diff: spec\/images\/openapi.yaml against spec\/images\/openapi.yaml: 0 breaking, 0 minor, 0 patch changes\n$/],
  ['a spec against HEAD', ['HEAD', SPEC], 0, /^diff: spec\/images\/openapi.yaml against spec\/images\/openapi.yaml at HEAD: 0 breaking/],
])('%s', async (_what, args, code, output) => {
  const run = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'diff', ...args], { env: { ...process.env, NO_COLOR: '1' } }).then(
    ({ stdout, stderr }) => ({ code: 0, text: stdout + stderr.replace(/^.*Node.*support.*\n/gm, '') }),
    (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, text: err.stdout + err.stderr }),
  );
  expect(run.text).toMatch(output);
  expect(run.text).not.toMatch(/\n\s+at /); // no stack trace
  expect(run.code).toBe(code);
});
