// The lint rules of redocly.yaml (recommended-strict plus scripts/redocly-examples-plugin.js) on
// specs of the size where the plugin used to give up: it copied every $ref expansion to depth 64 and
// ran out of memory on Stripe, and aborted on 3.0's `nullable` without `type`. Run through the
// Redocly CLI as `npm run lint` runs it, with the project's rules and any spec as the root.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';

const LARGE = 'test/fixtures/large-specs';
const dir = mkdtempSync(path.join(os.tmpdir(), 'lint-large-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The project's redocly.yaml without its apis, the plugin by absolute path: the rules for any root. */
function projectRules(): string {
  const config = parse(readFileSync('redocly.yaml', 'utf8')) as Record<string, unknown>;
  delete config.apis;
  config.plugins = [path.resolve('scripts/redocly-examples-plugin.js')];
  const file = path.join(dir, 'redocly.yaml');
  writeFileSync(file, stringify(config));
  return file;
}
const CONFIG = projectRules();

interface Problem {
  ruleId: string;
  message: string;
}
interface LintReport {
  totals: { errors: number; warnings: number };
  problems: Problem[];
}

async function lint(root: string): Promise<{ code: number | null; report: LintReport; stderr: string }> {
  const child = spawn(path.resolve('node_modules/.bin/redocly'), ['lint', root, '--config', CONFIG, '--format', 'json', '--max-problems', '100000'], {
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stderr, report: JSON.parse(stdout) as LintReport };
}

const fromPlugin = (report: LintReport) => report.problems.filter((p) => p.ruleId.startsWith('examples/'));

describe('the lint rules on the large public specs', () => {
  it.each<[string, string, number]>([
    // [spec, root, the least number of the plugin's problems]: GitHub's and Twilio's examples are
    // checked against their schemas (and break some); Stripe names no examples, its recursion is walked.
    ['Stripe', `${LARGE}/stripe/spec3.json`, 0],
    ['GitHub', `${LARGE}/github/api.github.com.json`, 1],
    ['Twilio API v2010', `${LARGE}/twilio-api-v2010/twilio_api_v2010.json`, 1],
  ])('%s: finishes with a report, and no rule fails on the spec\'s own shape', async (_name, root, least) => {
    const { code, report, stderr } = await lint(root);
    expect([0, 1], stderr.slice(-500)).toContain(code);
    expect(report.totals.errors).toBeGreaterThan(0); // recommended-strict always finds something in these
    expect(fromPlugin(report).length).toBeGreaterThanOrEqual(least);
    expect(report.problems.filter((p) => /cannot be compiled|cannot be used without|Maximum call stack/.test(p.message))).toEqual([]);
  }, 900_000);
});

describe('the plugin walks references, it does not expand them', () => {
  // A 3.0 spec: a recursive schema, `nullable` without `type`, an exclusive bound as a boolean, and
  // an example value that holds a `$ref` key (data: GitHub's SCIM examples do this).
  const node = { type: 'object', required: ['name'], properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/components/schemas/Node' } }, parent: { nullable: true, allOf: [{ $ref: '#/components/schemas/Node' }] }, weight: { type: 'number', minimum: 0, exclusiveMinimum: true } } };
  const spec = (value: unknown) => ({
    openapi: '3.0.3',
    info: { title: 'Tree', version: '1', license: { name: 'MIT', url: 'https://opensource.org/licenses/MIT' }, description: 'A recursive schema.' },
    servers: [{ url: 'https://tree.example.com' }],
    security: [],
    tags: [{ name: 'tree', description: 'The tree.' }],
    paths: {
      '/tree': {
        get: {
          operationId: 'getTree',
          summary: 'The tree',
          description: 'Returns the whole tree, however deep.',
          tags: ['tree'],
          responses: {
            '200': { description: 'The tree', content: { 'application/json': { schema: { $ref: '#/components/schemas/Node' }, examples: { whole: { value } } } } },
            '400': { description: 'Bad', content: { 'application/json': { schema: { type: 'object' }, examples: { bad: { value: {} } } } } },
          },
        },
      },
    },
    components: { schemas: { Node: node } },
  });
  const cases: [string, unknown, string[]][] = [
    ['a deep valid tree with a null parent and a $ref key in its data passes', { name: 'a', parent: null, children: [{ name: 'b', children: [{ name: 'c', $ref: 'https://example.com/not-a-reference' }] }] }, []],
    ['a bad node three levels down is found', { name: 'a', children: [{ name: 'b', children: [{ children: [] }] }] }, ['getTree: response 200 application/json example "whole" does not match its schema: /children/0/children/0 must have required property \'name\'']],
    ['a weight at the exclusive bound is refused', { name: 'a', weight: 0 }, ['getTree: response 200 application/json example "whole" does not match its schema: /weight must be > 0']],
  ];
  it.each(cases)('%s', async (_what, value, messages) => {
    const root = path.join(dir, `tree-${messages.length}-${JSON.stringify(value).length}.json`);
    writeFileSync(root, JSON.stringify(spec(value)));
    const { report } = await lint(root);
    expect(fromPlugin(report).map((p) => p.message)).toEqual(messages);
  });
});
