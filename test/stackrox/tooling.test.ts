// The gates hold for the StackRox contract too: lint passes as it is and fails on a broken copy;
// generate:check notices a stale generated/stackrox/.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeSandbox, type Sandbox } from '../helpers/sandbox.ts';

let box: Sandbox;
beforeEach(async () => {
  box = await makeSandbox();
});
afterEach(async () => {
  await box.remove();
});

const lint = () => box.run('node_modules/.bin/redocly', ['lint', 'spec/stackrox/openapi.yaml']);
const ex = (name: string) => `spec/stackrox/components/examples/${name}.yaml`;

describe('redocly lint spec/stackrox/openapi.yaml', () => {
  it('passes with no warning', async () => {
    const { code, out } = await lint();
    expect(out).toContain('Your API description is valid');
    expect(out).not.toMatch(/\d+ warnings?/);
    expect(code).toBe(0);
  });

  it.each<[string, string, (s: string) => string, string]>([
    ['an int64 sent as a number', ex('ListImagesSecondPage'), (s) => s.replace('priority: "4"', 'priority: 4'), 'examples/example-validity'],
    ['an error body without its error copy', ex('GetImageNotFound'), (s) => s.replace(/\n  error: .*/, ''), 'examples/example-validity'],
    ['a caller role the contract does not name', ex('NoImageReadAccess'), (s) => s.replace('x-caller: noaccess', 'x-caller: other'), 'x-caller must be one of none, admin, analyst, noaccess'],
    ['a request example without its response', 'spec/stackrox/paths/v1_images.yaml', (s) => s.replace('            second-page:\n              $ref: ../components/examples/ListImagesSecondPage.yaml\n', ''), 'has no response example of the same name'],
    ['a rejected-request example that is valid', ex('WatchImageInvalidBodyRequest'), (s) => s.replace('name: 42', 'name: x'), 'is marked x-invalid but its value is valid'],
  ])('fails on %s', async (_what, file, change, expected) => {
    await box.edit(file, change);
    const { code, out } = await lint();
    expect(out).toContain(expected);
    expect(code).not.toBe(0);
  });
});

describe('generate:check', () => {
  it('names generated/stackrox/ when the spec changed without regenerating', async () => {
    await box.edit(ex('CountImagesAll'), (s) => s.replace('count: 11', 'count: 12'));
    const { code, out } = await box.run('node', ['--import', 'tsx', 'scripts/generate.ts', '--check']);
    expect(out).toContain('generated/stackrox/openapi.json differs');
    expect(code).toBe(1);
  });
});
