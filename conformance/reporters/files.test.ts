// Where --output puts the file reports, over the argument forms users write (issue 14, item 3), and
// what a report that cannot be written does: exit 2 with one line, never after a verdict.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NotesServer, startNotesServer } from '../test/fixtures/notes-server.ts';
import { NOTES_CONFIG, runCliCaptured } from '../test/run-cli.ts';

let server: NotesServer;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'conformance-output-'));
beforeAll(async () => {
  server = await startNotesServer();
});
afterAll(async () => {
  await server.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

interface Setup {
  dirs?: string[];
  files?: string[];
}

/** A fresh working directory with what the row needs already there. */
function workdir(name: string, setup: Setup): string {
  const cwd = path.join(tmp, name.replace(/\W+/g, '-'));
  fs.mkdirSync(cwd, { recursive: true });
  for (const d of setup.dirs ?? []) fs.mkdirSync(path.join(cwd, d), { recursive: true });
  for (const f of setup.files ?? []) fs.writeFileSync(path.join(cwd, f), 'already here');
  return cwd;
}

/** Every file under `dir`, relative, sorted. */
function filesUnder(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

const quick = () => ['--base-url', server.url, '--config', path.resolve(NOTES_CONFIG), '--tag', 'System'];

describe('--output', () => {
  it.each<[string, string[], Setup, string[]]>([
    ["the README's form: console and junit into reports/, a folder not there yet", ['--reporter', 'console', '--reporter', 'junit', '--output', 'reports/'], {}, ['reports/junit.xml']],
    ['one file reporter into a folder that exists, named without a slash', ['--reporter', 'junit', '--output', 'reports'], { dirs: ['reports'] }, ['reports/junit.xml']],
    ['html into d/ gets its name and extension', ['--reporter', 'html', '--output', 'd/'], {}, ['d/report.html']],
    ['several file reporters make a folder of a name without a slash', ['--reporter', 'json', '--reporter', 'junit', '--reporter', 'html', '--output', 'reports'], {}, ['reports/junit.xml', 'reports/report.html', 'reports/report.json']],
    ['one file reporter and a file name writes that file', ['--reporter', 'junit', '--output', 'results.xml'], {}, ['results.xml']],
    ['one file reporter and a file in folders not there yet', ['--reporter', 'html', '--output', 'out/ci/page.html'], {}, ['out/ci/page.html']],
    ['a file reporter named twice is one reporter', ['--reporter', 'junit', '--reporter', 'junit', '--output', 'results.xml'], {}, ['results.xml']],
    ['without --output, the default names in the working directory', ['--reporter', 'console', '--reporter', 'junit', '--reporter', 'html'], {}, ['conformance-junit.xml', 'conformance-report.html']],
    ['json alone without --output goes to stdout and writes nothing', ['--reporter', 'json'], {}, []],
  ])('%s', async (name, argv, setup, expected) => {
    const cwd = workdir(name, setup);
    const run = await runCliCaptured([...quick(), ...argv], cwd);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(filesUnder(cwd)).toEqual([...(setup.files ?? []), ...expected].sort());
    for (const file of expected) expect(fs.readFileSync(path.join(cwd, file), 'utf8')).toMatch(/^(<\?xml|<!doctype html>|\{)/);
    if (argv.includes('console')) {
      // the files are written, and said so, before the verdict
      const verdict = run.stdout.indexOf('PASSED:');
      expect(verdict).toBeGreaterThan(0);
      for (const file of expected) expect(run.stdout.indexOf(`report: ${file}\n`)).toBeGreaterThan(0);
      for (const file of expected) expect(run.stdout.indexOf(`report: ${file}\n`)).toBeLessThan(verdict);
    }
    if (expected.length === 0) expect(JSON.parse(run.stdout)).toMatchObject({ summary: { failed: 0 } });
  });

  it.each<[string, string[], Setup, RegExp, 'before the run' | 'after the run']>([
    ['several reports and an --output that is a file', ['--reporter', 'json', '--reporter', 'junit', '--output', 'taken'], { files: ['taken'] }, /^conformance: cannot create the report folder taken: a file of that name exists \(EEXIST\)\n$/, 'before the run'],
    ['a folder under a file', ['--reporter', 'junit', '--output', 'taken/reports/'], { files: ['taken'] }, /^conformance: cannot create the report folder taken\/reports: a part of the path is a file \(ENOTDIR\)\n$/, 'before the run'],
    ['a report whose file is a folder, found when writing', ['--reporter', 'console', '--reporter', 'junit', '--output', 'reports/'], { dirs: ['reports/junit.xml'] }, /^conformance: cannot write the junit report to reports\/junit\.xml: it is a folder \(EISDIR\)\n$/, 'after the run'],
  ])('%s: exit 2, one line, no verdict', async (name, argv, setup, reason, when) => {
    const cwd = workdir(name, setup);
    const before = server.requests();
    const run = await runCliCaptured([...quick(), ...argv], cwd);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(reason);
    expect(run.stdout).not.toMatch(/PASSED|FAILED/);
    // a folder that cannot be made is found before any request is sent (not even the reachability probe)
    if (when === 'before the run') expect(server.requests() - before).toBe(0);
    else expect(server.requests() - before).toBeGreaterThan(1);
  });
});
