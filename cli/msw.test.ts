// octk msw: the bin's row for the MSW handlers generator (mock/msw/generate.ts does the writing).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from './io.ts';
import { runMain } from './main.ts';

const dir = mkdtempSync(join(tmpdir(), 'octk-msw-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function io(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) }, cwd: process.cwd() };
}

describe('octk msw', () => {
  it('writes the bundle, the types and a handlers module from a positional spec and -o', async () => {
    const run = io();
    expect(await runMain(['msw', 'spec/images/openapi.yaml', '-o', join(dir, 'images')], run)).toBe(0);
    for (const file of ['openapi.json', 'schema.d.ts', 'handlers.ts']) expect(existsSync(join(dir, 'images', file))).toBe(true);
    expect(readFileSync(join(dir, 'images', 'handlers.ts'), 'utf8')).toContain('createMockHandlers(spec, options)');
    expect(run.out.join('')).toContain('14 operations');
  });

  it('takes --runtime as the builder handlers.ts imports', async () => {
    expect(await runMain(['msw', 'spec/chutes/openapi.yaml', '-o', join(dir, 'chutes'), '--runtime', 'openapi-contract-toolkit/msw'], io())).toBe(0);
    expect(readFileSync(join(dir, 'chutes', 'handlers.ts'), 'utf8')).toContain("from 'openapi-contract-toolkit/msw'");
  });

  it.each<[string, string[], number, RegExp]>([
    ['no spec', ['msw', '-o', 'x'], 2, /a spec is required/],
    ['no -o', ['msw', 'spec/images/openapi.yaml'], 2, /-o <dir> is required/],
    ['an unknown flag', ['msw', 'spec/images/openapi.yaml', '-o', 'x', '--nope'], 2, /Unknown option '--nope'/],
    ['a missing file', ['msw', 'no/such.yaml', '-o', join(dir, 'none')], 1, /^octk msw: .*no\/such\.yaml/],
  ])('%s: one line on stderr, exit %i', async (_what, argv, code, message) => {
    const run = io();
    expect(await runMain(argv, run)).toBe(code);
    expect(run.err.join('')).toMatch(message);
    expect(run.err.join('').trim().split('\n')).toHaveLength(1);
  });
});
