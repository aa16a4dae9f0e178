// Same-key pairing (`x-example-pairing: same-key`), read one way: the module the mock and the suite
// import, the lint plugin's copy of it, and the lint rule on small specs, a failing row per part kind.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pairingGaps as pluginPairingGaps } from '../scripts/redocly-examples-plugin.js';
import { declaresSameKey, pairingGaps, type RequestPart } from './pairing.ts';

type Obj = Record<string, unknown>;

/**
 * An operation of four parts, each naming example `ok` unless the row leaves it out (a path parameter
 * left out keeps an example of another key, as it must have one); a required cookie names nothing.
 */
function operation(unnamed: string[], overrides: { queryRequired?: boolean; headerRequired?: boolean; bodyRequired?: boolean } = {}): Obj {
  const ex = (part: string, value: unknown) => (!unnamed.includes(part) ? { ok: { value } } : part === 'path' ? { first: { value } } : {});
  return {
    operationId: 'putItem',
    parameters: [
      { name: 'id', in: 'path', required: true, schema: { type: 'string' }, examples: ex('path', 'a1') },
      { name: 'q', in: 'query', required: overrides.queryRequired ?? true, schema: { type: 'string' }, examples: ex('query', 'x') },
      { name: 'X-Key', in: 'header', required: overrides.headerRequired ?? true, schema: { type: 'string' }, examples: ex('header', 'k') },
      { name: 'session', in: 'cookie', required: true, schema: { type: 'string' } },
    ],
    requestBody: { required: overrides.bodyRequired ?? true, content: { 'application/json': { schema: { type: 'object' }, examples: ex('body', { n: 1 }) } } },
    responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' }, examples: { ok: { value: {} } } } } } },
  };
}

/** The operation as the module reads it. */
function partsOf(op: Obj): RequestPart[] {
  const params = op.parameters as Obj[];
  const body = op.requestBody as { required?: boolean; content: Record<string, { examples: Obj }> } | undefined;
  const asMap = (examples: unknown) => new Map(Object.entries((examples ?? {}) as Record<string, { value: unknown }>).map(([k, v]) => [k, v.value]));
  return [
    ...params.map((p) => ({ in: p.in as RequestPart['in'], name: p.name as string, required: p.required === true, examples: asMap(p.examples) })),
    ...(body ? [{ in: 'body' as const, name: '', required: body.required === true, examples: asMap(body.content['application/json']!.examples) }] : []),
  ];
}

/** An operation whose only parts are optional: a query parameter and a body. */
const optionalOnly = (named: boolean): Obj => ({
  operationId: 'listItems',
  parameters: [{ name: 'page', in: 'query', schema: { type: 'integer' }, examples: named ? { ok: { value: 1 } } : { other: { value: 2 } } }],
  requestBody: { content: { 'application/json': { schema: { type: 'object' }, examples: { other: { value: {} } } } } },
  responses: {},
});

const ROWS: [string, Obj, string[]][] = [
  ['every needed part names the key: none missing', operation([]), []],
  ['a path parameter without the key', operation(['path']), ['its path parameter "id"']],
  ['a required query parameter without the key', operation(['query']), ['its query parameter "q"']],
  ['a required header without the key', operation(['header']), ['its header parameter "X-Key"']],
  ['a required body without the key', operation(['body']), ['its request body']],
  ['an optional query, header and body need not name it', operation(['query', 'header', 'body'], { queryRequired: false, headerRequired: false, bodyRequired: false }), []],
  ['all of them at once, in order', operation(['path', 'query', 'header', 'body']), ['its path parameter "id"', 'its query parameter "q"', 'its header parameter "X-Key"', 'its request body']],
  ['only optional parts, none naming the key: one must (Specmatic: "no associated request example")', optionalOnly(false), ['any of its request parts']],
  ['only optional parts, one naming the key', optionalOnly(true), []],
  ['no request parts at all: nothing to name', { operationId: 'count', parameters: [{ name: 's', in: 'cookie', required: true }], responses: {} }, []],
];

describe('where a response example is not paired under same-key pairing', () => {
  it.each(ROWS)('%s (the module)', (_what, op, gaps) => {
    expect(pairingGaps(partsOf(op), 'ok')).toEqual(gaps);
  });
  it.each(ROWS)('%s (the lint plugin agrees)', (_what, op) => {
    expect(pluginPairingGaps(op, 'ok')).toEqual(pairingGaps(partsOf(op), 'ok'));
  });

  it.each<[string, Obj, boolean]>([
    ['declared', { 'x-example-pairing': 'same-key' }, true],
    ['not declared', {}, false],
    ['another value is no declaration', { 'x-example-pairing': 'by-name' }, false],
  ])('a root that has it %s', (_what, root, expected) => {
    expect(declaresSameKey(root)).toBe(expected);
  });
});

// The lint rule, through Redocly's CLI as `npm run lint` runs it, on a spec written per row.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pairing-lint-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const PLUGIN = path.resolve('scripts/redocly-examples-plugin.js');
fs.writeFileSync(path.join(tmp, 'redocly.yaml'), `plugins:\n  - ${PLUGIN}\nrules:\n  examples/example-pairing: error\n`);

function lint(name: string, root: Obj, files: Record<string, Obj> = {}): { code: number | null; out: string } {
  const dir = path.join(tmp, name.replace(/\W+/g, '-'));
  fs.mkdirSync(dir, { recursive: true });
  for (const [file, doc] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), JSON.stringify(doc));
  fs.writeFileSync(path.join(dir, 'openapi.json'), JSON.stringify(root));
  const run = spawnSync('node_modules/.bin/redocly', ['lint', '--config', path.join(tmp, 'redocly.yaml'), path.join(dir, 'openapi.json')], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: run.status, out: run.stdout + run.stderr };
}

const spec = (op: Obj, declared: string | null = 'same-key'): Obj => ({
  openapi: '3.1.0',
  info: { title: 'Pairs', version: '1' },
  ...(declared === null ? {} : { 'x-example-pairing': declared }),
  paths: { '/items/{id}': { put: op } },
});
const SAID = (part: string) => `putItem: response example "ok" (200 application/json) has no example "ok" on ${part}; x-example-pairing: same-key pairs by key only`;

describe('examples/example-pairing under x-example-pairing: same-key', () => {
  it.each<[string, Obj, string]>([
    ['a path parameter', operation(['path']), 'its path parameter "id"'],
    ['a required query parameter', operation(['query']), 'its query parameter "q"'],
    ['a required header', operation(['header']), 'its header parameter "X-Key"'],
    ['a required request body', operation(['body']), 'its request body'],
    ['no part at all, where every part is optional', { ...operation(['path', 'query', 'header', 'body'], { queryRequired: false, headerRequired: false, bodyRequired: false }), parameters: (operation([]).parameters as Obj[]).slice(1, 3).map((p) => ({ ...p, required: false, examples: {} })) }, 'any of its request parts'],
  ])('fails when %s does not name the response example, naming operation, key and part', (what, op, part) => {
    const { code, out } = lint(`missing ${what}`, spec(op));
    expect(out).toContain(SAID(part));
    expect(code).not.toBe(0);
  });

  it('passes when every needed part names it (the cookie, which no peer pairs, need not)', () => {
    const { code, out } = lint('complete', spec(operation([])));
    expect(out).not.toContain('pairs by key only');
    expect(code).toBe(0);
  });

  it('keeps the fallback for a spec that does not declare it: a missing part is no error there', () => {
    const { code, out } = lint('undeclared', spec(operation(['path', 'body']), null));
    expect(out).not.toContain('pairs by key only');
    expect(code).toBe(0);
  });

  it('refuses a declaration it does not know', () => {
    const { code, out } = lint('unknown value', spec(operation([]), 'loose'));
    expect(out).toContain('x-example-pairing must be "same-key"');
    expect(code).not.toBe(0);
  });

  it.each<[string, boolean, boolean]>([
    ['a shared parameter ($ref) may carry keys of other operations', true, true],
    ['an inline parameter may not: its key has no response here', false, false],
  ])('%s', (what, shared, passes) => {
    const op = operation([]);
    const id = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, examples: { ok: { value: 'a1' }, 'elsewhere': { value: 'b2' } } };
    (op.parameters as unknown[])[0] = shared ? { $ref: 'id.json' } : id;
    const { code, out } = lint(what, spec(op), { 'id.json': id });
    expect(out.includes('the path parameter "id" example "elsewhere" has no response example of the same name')).toBe(!passes);
    expect(code === 0).toBe(passes);
  });
});
