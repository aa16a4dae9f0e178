// npm run spec:breaking answers bad input with one line and exit 2, never a stack trace; --help is help.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const script = 'scripts/spec-breaking.ts';

it.each<[string, string[], number, RegExp]>([
  ['--help prints the usage', ['--help'], 0, /^usage: npm run spec:breaking -- <git-ref>/],
  ['an unknown flag', ['--bogus'], 2, /^spec:breaking: Unknown option '--bogus' \(see --help\)\n$/],
  ['a ref git does not know', ['no-such-ref-anywhere'], 2, /^spec:breaking: no-such-ref-anywhere is not a git ref of /],
  ['no ref at all', [], 2, /^spec:breaking: name the git ref to compare with/],
  ['a spec file that does not exist', ['HEAD', '--spec', 'nope.yaml'], 2, /^spec:breaking: nope.yaml does not exist\n$/],
])('%s', async (_what, args, code, output) => {
  const run = await promisify(execFile)(process.execPath, ['--import', 'tsx', script, ...args]).then(
    ({ stdout, stderr }) => ({ code: 0, text: stdout + stderr }),
    (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, text: err.stdout + err.stderr }),
  );
  expect(run.text).toMatch(output);
  expect(run.text).not.toMatch(/\n\s+at /); // no stack trace
  expect(run.code).toBe(code);
});
