// Schemas of valid specs that used to make checks fail themselves, through the whole suite: a
// recursive component, 3.0's nullable without type, and a pattern ajv cannot compile (its checks
// skipped saying why, and the run naming it once among the warnings).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSpec } from '../loader/load-spec.ts';
import type { CheckResult } from '../model.ts';
import type { RunReport } from '../runner.ts';
import { startSpecServer } from './fixtures/spec-server.ts';
import { runCliCaptured } from './run-cli.ts';

const ok = (schema: unknown, value: unknown) => ({ '200': { description: 'ok', content: { 'application/json': { schema, examples: { one: { value } } } } } });
const SPEC = {
  openapi: '3.0.3',
  info: { title: 'Shapes', version: '1' },
  paths: {
    '/tree': { get: { operationId: 'getTree', responses: ok({ $ref: '#/components/schemas/Node' }, { name: 'a', parent: null, children: [{ name: 'b', children: [{ name: 'c' }] }] }) } },
    '/maybe': { get: { operationId: 'getMaybe', responses: ok({ nullable: true, allOf: [{ $ref: '#/components/schemas/Code' }] }, null) } },
    '/codes': { get: { operationId: 'getCodes', responses: ok({ type: 'array', items: { $ref: '#/components/schemas/Code' } }, ['ab']) } },
    '/code': { get: { operationId: 'getCode', responses: ok({ $ref: '#/components/schemas/Code' }, 'ab') } },
  },
  components: {
    schemas: {
      Node: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, parent: { nullable: true, allOf: [{ $ref: '#/components/schemas/Node' }] }, children: { type: 'array', items: { $ref: '#/components/schemas/Node' } } } },
      // PCRE's inline flag: the spec is valid, its pattern is not ECMAScript
      Code: { type: 'string', pattern: '^(?i)[a-z]+$' },
    },
  },
};

describe('the suite on schema shapes of valid specs', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'schema-shapes-'));
  const root = path.join(dir, 'openapi.json');
  let server: Awaited<ReturnType<typeof startSpecServer>>;
  let report: RunReport;
  beforeAll(async () => {
    writeFileSync(root, JSON.stringify(SPEC));
    server = await startSpecServer(await loadSpec(root));
    const run = await runCliCaptured(['--spec', root, '--base-url', server.url, '--no-reset', '--seed', '1', '--reporter', 'json']);
    expect(run.stderr).toBe('');
    report = JSON.parse(run.stdout) as RunReport;
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const schemaResult = (operationId: string): CheckResult | undefined => report.results.find((r) => r.operationId === operationId && r.label === 'example one' && r.check === 'response_schema_conformance');

  it.each<[string, string, string, RegExp | undefined]>([
    ['a recursive component judges a nested answer', 'getTree', 'passed', undefined],
    ['a pattern ajv cannot compile skips the check, saying why', 'getCode', 'skipped', /^a schema that cannot be compiled: .*\(\?i\)/],
    ['... under an array too', 'getCodes', 'skipped', /^a schema that cannot be compiled/],
    ['... and under 3.0 nullable without type', 'getMaybe', 'skipped', /^a schema that cannot be compiled/],
  ])('%s', (_what, operationId, status, message) => {
    const result = schemaResult(operationId);
    expect(result?.status).toBe(status);
    if (message) expect(result?.message).toMatch(message);
  });

  it('no check fails itself, and the schema that does not compile is named once', () => {
    expect(report.results.filter((r) => /itself failed/.test(r.message ?? ''))).toEqual([]);
    expect(report.warnings.filter((w) => /cannot be compiled/.test(w))).toHaveLength(1);
  });
});
