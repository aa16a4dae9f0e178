// Every reader of spec and workflow files refuses an alias bomb and an oversized file with one line
// naming the file, before the parser it hands the file to could expand or read it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSpec as loadSuiteSpec } from '../conformance/loader/load-spec.ts';
import { loadWorkflows } from '../conformance/loader/workflows.ts';
import { loadSpec as loadMockSpec } from '../mock/load-spec.ts';
import { checkSpecText, MAX_SPEC_FILE_BYTES, readYamlFile } from './spec-files.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spec-limits-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const BOMB = fs.readFileSync('test/fixtures/alias-bomb.yaml', 'utf8');
const SPEC = 'openapi: 3.1.0\ninfo: { title: t, version: "1" }\npaths:\n  /x:\n    get:\n      responses:\n        "200":\n          description: ok\n          content:\n            application/json:\n              examples:\n                big: { $ref: ./example.yaml }\n';
const WORKFLOW = 'arazzo: 1.0.0\nworkflows: []\n';

/** A folder holding a spec whose example file is `example` and a workflow file `workflow`. */
function specFolder(name: string, files: { example?: string; workflow?: string; root?: string }): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'openapi.yaml'), files.root ?? SPEC);
  fs.writeFileSync(path.join(dir, 'example.yaml'), files.example ?? 'value: { a: 1 }\n');
  fs.writeFileSync(path.join(dir, 'flow.arazzo.yaml'), files.workflow ?? WORKFLOW);
  return dir;
}

/**
 * A file over the byte cap without writing its bytes (sparse). 4 GiB: a reader that reads before
 * it checks fails with fs's own words (over 2 GiB), so only a check of the size beforehand passes.
 */
function oversize(file: string): void {
  fs.truncateSync(file, 4 * 1024 ** 3);
}

const readers = [
  { reader: 'the mock, a referenced file', run: (dir: string) => loadMockSpec(path.join(dir, 'openapi.yaml')), bad: 'example.yaml' },
  { reader: 'the mock, the root file', run: (dir: string) => loadMockSpec(path.join(dir, 'openapi.yaml')), bad: 'openapi.yaml' },
  { reader: 'the conformance suite, a referenced file', run: (dir: string) => loadSuiteSpec(path.join(dir, 'openapi.yaml')), bad: 'example.yaml' },
  { reader: 'the conformance suite, the root file', run: (dir: string) => loadSuiteSpec(path.join(dir, 'openapi.yaml')), bad: 'openapi.yaml' },
  {
    reader: 'the Arazzo workflow loader',
    // A workflow file that does not load fails its own cases (loadError); the run goes on.
    run: async (dir: string) => {
      const plans = loadWorkflows([path.join(dir, 'flow.arazzo.yaml')], await loadSuiteSpec(path.join(dir, 'openapi.yaml')));
      const reason = plans.find((p) => p.loadError)?.loadError;
      if (reason) throw new Error(reason);
    },
    bad: 'flow.arazzo.yaml',
  },
] as const;

describe.each([
  { attack: 'a YAML alias bomb', write: (file: string) => fs.writeFileSync(file, file.endsWith('openapi.yaml') ? `${SPEC}${BOMB.replace('value:', 'x-laughs:')}` : BOMB), says: /YAML aliases expand past the limit of 1000/ },
  { attack: 'a file over the byte cap', write: oversize, says: new RegExp(`bytes, more than the limit of ${MAX_SPEC_FILE_BYTES} bytes`) },
])('$attack', ({ attack, write, says }) => {
  it.each(readers)('is refused by $reader with one line naming the file', async ({ reader, run, bad }) => {
    const dir = specFolder(`${attack}-${reader}`.replace(/[^a-z]+/gi, '-'), {});
    write(path.join(dir, bad));
    const error = await run(dir).then(
      () => undefined,
      (err: unknown) => err as Error,
    );
    expect(error?.message).toMatch(says);
    expect(error?.message).toContain(bad);
    expect(error?.message).not.toContain('\n');
  });
});

describe('what the limits let through', () => {
  it.each([
    { what: 'a few merge keys', text: 'base: &base { type: string }\na: { <<: *base }\nb: { <<: *base }\n' },
    { what: 'Markdown emphasis in a description', text: 'description: "a *word* and **more**"\n' },
    { what: 'JSON', text: '{"openapi": "3.1.0"}' },
  ])('$what', ({ text }) => {
    expect(() => checkSpecText(text, 'x.yaml')).not.toThrow();
  });

  it('a YAML file read whole keeps its aliases', () => {
    const file = path.join(tmp, 'aliases.yaml');
    fs.writeFileSync(file, 'a: &a [1, 2]\nb: *a\n');
    expect(readYamlFile(file)).toEqual({ a: [1, 2], b: [1, 2] });
  });
});
