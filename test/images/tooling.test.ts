// The gates around the spec catch what they are there to catch: lint fails on a broken example or an
// unpaired one, generate:check on a hand edit, spec:breaking on a removed field.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeSandbox, type Sandbox } from '../helpers/sandbox.ts';

let box: Sandbox;
beforeEach(async () => {
  box = await makeSandbox();
});
afterEach(async () => {
  await box.remove();
});

const lint = () => box.run('node_modules/.bin/redocly', ['lint', 'spec/images/openapi.yaml']);
const ex = (name: string) => `spec/images/components/examples/${name}.yaml`;

describe('npm run lint', () => {
  it('passes on the spec as it is, with no warning', async () => {
    const { code, out } = await lint();
    expect(out).toContain('Your API description is valid');
    expect(out).not.toMatch(/\d+ warnings?/);
    expect(code).toBe(0);
  });

  it.each<[string, string, (s: string) => string, string]>([
    ['a response example that breaks its schema', ex('PurchaseImagePaid'), (s) => s.replace('price_paid: 5.99', 'price_paid: "5.99"'), 'examples/example-validity'],
    ['a request example marked x-invalid that is valid', ex('RateOutOfRangeRequest'), (s) => s.replace('rating: 7', 'rating: 4'), 'is marked x-invalid but its value is valid'],
    ['a request example with no response of its name', ex('RateOutOfRangeRequest'), (s) => s, 'has no response example of the same name'],
    ['an unknown caller role', ex('ImportImageFree'), (s) => s.replace('x-caller: other', 'x-caller: admin'), 'x-caller must be one of'],
    ['a skipped case without a reason', ex('RateImageServerError'), (s) => s.replace(/x-skip-reason:.*\n?/, ''), 'needs x-skip-reason'],
    ['a response media type without an example', 'spec/images/paths/api_v1_images_public_{id}.yaml', (s) => s.replace(/          examples:\n            ubuntu:\n              \$ref: \.\.\/components\/examples\/GetPublicImageUbuntu\.yaml\n/, ''), 'rule/response-has-example'],
  ])('fails on %s', async (_what, file, change, expected) => {
    if (expected === 'has no response example of the same name') {
      // rename the response side of the pair, leaving the request example alone
      await box.edit('spec/images/paths/api_v1_images_rate_{id}.yaml', (s) => s.replace(/            out-of-range:\n              \$ref: \.\.\/components\/examples\/RateImageOutOfRange\.yaml/, '            rating-too-high:\n              $ref: ../components/examples/RateImageOutOfRange.yaml'));
    } else {
      await box.edit(file, change);
    }
    const { code, out } = await lint();
    expect(out).toContain(expected);
    expect(code).not.toBe(0);
  });
});

describe('npm run lint and hostile files', () => {
  it('refuses an example file of nested YAML aliases with one line and exit 2, before Redocly parses it', async () => {
    const bomb = await import('node:fs/promises').then((fs) => fs.readFile('test/fixtures/alias-bomb.yaml', 'utf8'));
    await box.edit(ex('PurchaseImagePaid'), () => bomb);
    const { code, out } = await box.run('node', ['--import', 'tsx', 'cli/main.ts', 'lint']);
    expect(out).toMatch(/^lint: images@v1: .*PurchaseImagePaid\.yaml.*alias/im);
    expect(code).toBe(2);
  });
});

describe('npm run lint on the stream and lookup extensions', () => {
  it('fails on an x-also-matches with no field in it', async () => {
    await box.edit('spec/chutes/paths/images_{image_id_or_name}.yaml', (s) => s.replace("x-also-matches: ['{name}:{tag}', '{user.username}/{name}:{tag}']", "x-also-matches: ['name-and-tag']"));
    const { code, out } = await box.run('node_modules/.bin/redocly', ['lint', 'chutes@v1']);
    expect(out).toContain('x-also-matches is for path parameters');
    expect(code).not.toBe(0);
  });

  it.each([
    ['an interval that is not a positive whole number', (s: string) => s.replace('interval-ms: 1000', 'interval-ms: 0'), 'x-stream-heartbeat must be'],
    ['a heartbeat that would be an event', (s: string) => s.replace('text: ".\\n"', 'text: "data: ping\\n"'), 'must be whole lines that are not an event'],
  ])('fails on an x-stream-heartbeat with %s', async (_what, change, expected) => {
    await box.edit('spec/chutes/paths/images_{image_id}_logs.yaml', change);
    const { code, out } = await box.run('node_modules/.bin/redocly', ['lint', 'chutes@v1']);
    expect(out).toContain(expected);
    expect(code).not.toBe(0);
  });
});

describe('npm run generate:check', () => {
  const check = () => box.run('node', ['--import', 'tsx', 'scripts/generate.ts', '--check']);

  it('passes when generated/ matches the spec', async () => {
    const { code, out } = await check();
    expect(out).toContain('generated/ matches the spec');
    expect(code).toBe(0);
  });

  it('fails on a hand edit of a generated file, naming it', async () => {
    await box.edit('generated/images/schema.d.ts', (s) => s.replace('price_paid', 'price_payed'));
    const { code, out } = await check();
    expect(out).toContain('generated/images/schema.d.ts differs');
    expect(code).toBe(1);
  });

  it('fails when the spec changed and generated/ was not regenerated', async () => {
    await box.edit(ex('PurchaseImagePaid'), (s) => s.replace('44.01', '44.02'));
    const { code, out } = await check();
    expect(out).toContain('generated/images/openapi.json differs');
    expect(code).toBe(1);
  });
});

describe('npm run spec:breaking', () => {
  const git = (...args: string[]) => box.run('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args]);
  const breaking = () => box.run('node', ['--import', 'tsx', 'cli/main.ts', 'diff', 'HEAD', 'spec/images/openapi.yaml']);

  beforeEach(async () => {
    await git('init', '-q');
    await git('add', 'spec');
    await git('commit', '-q', '-m', 'base');
  });

  it('passes when nothing changed', async () => {
    const { code, out } = await breaking();
    expect(out).toContain('0 breaking');
    expect(code).toBe(0);
  });

  it('passes on an added optional response field', async () => {
    await box.edit('spec/images/components/schemas/PurchaseResult.yaml', (s) => `${s}  currency:\n    type: string\n`);
    const { code } = await breaking();
    expect(code).toBe(0);
  });

  it.each<[string, string, (s: string) => string]>([
    ['a removed response field', 'spec/images/components/schemas/PurchaseResult.yaml', (s) => s.replace('required: [price_paid, remaining_balance]', 'required: [price_paid]').replace(/  remaining_balance:\n    \$ref: Money.yaml\n/, '')],
    ['a narrowed type', 'spec/images/components/schemas/Limit.yaml'.replace('schemas', 'parameters'), (s) => s.replace('maximum: 100', 'maximum: 50')],
    ['a new required parameter', 'spec/images/components/parameters/Search.yaml', (s) => s.replace('required: false', 'required: true')],
    ['a removed operation', 'spec/images/openapi.yaml', (s) => s.replace(/  \/api\/v1\/images\/rate\/\{id\}:\n    \$ref: paths\/api_v1_images_rate_\{id\}\.yaml\n/, '')],
  ])('fails on %s', async (_what, file, change) => {
    await box.edit(file, change);
    const { code, out } = await breaking();
    expect(out).toContain('BREAKING');
    expect(code).toBe(1);
  });
});
