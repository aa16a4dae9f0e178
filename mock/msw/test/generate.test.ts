// `generate --msw` on a foreign multi-file spec (Specmatic's order API): the module it writes answers
// from the spec's examples under msw/node, its overrides are typed (tsc over the written files
// refuses a wrong shape), and bad invocations get one line and exit 2 (1 for an unreadable spec).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { setupServer } from 'msw/node';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMswGenerateCli } from '../generate.ts';
import { exampleOf } from './examples.ts';

const SPEC = 'conformance/test/fixtures/foreign/specmatic-order/api_order_v3.yaml';
const BASE = 'http://order.api.test';

async function run(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runMswGenerateCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe('generate --msw: usage', () => {
  it.each<[string, string[], number, RegExp]>([
    ['without --spec', ['--msw', '--out', '.tmp/x'], 2, /^generate --msw: --spec is required$/],
    ['without --out', ['--msw', '--spec', SPEC], 2, /^generate --msw: --out is required$/],
    ['with an unknown flag', ['--msw', '--bogus'], 2, /^generate --msw: Unknown option '--bogus'/],
    ['with a spec that is not there', ['--msw', '--spec', 'no/such/spec.yaml', '--out', '.tmp/x'], 1, /^generate --msw: cannot read no\/such\/spec\.yaml/],
  ])('refuses a run %s in one line', async (_, argv, code, line) => {
    const result = await run(argv);
    expect(result.code).toBe(code);
    expect(result.err.join('\n').split('\n')[0]).toMatch(line);
    expect(result.err.join('\n')).not.toMatch(/\n\s+at /);
  });
});

describe('generate --msw: the module it writes', () => {
  let dir: string;
  let mod: { handlers(options?: { baseUrl?: string }): import('msw').HttpHandler[]; http(baseUrl?: string): { get: (...args: never[]) => import('msw').HttpHandler } };
  let spec: object;

  beforeAll(async () => {
    mkdirSync('.tmp', { recursive: true });
    dir = mkdtempSync(path.resolve('.tmp/msw-generate-'));
    const result = await run(['--msw', '--spec', SPEC, '--out', dir]);
    expect(result).toMatchObject({ code: 0, err: [] });
    expect(result.out[0]).toMatch(/^generate --msw: 11 operations of .*api_order_v3\.yaml -> /);
    spec = JSON.parse(readFileSync(path.join(dir, 'openapi.json'), 'utf8')) as object;
    mod = (await import(pathToFileURL(path.join(dir, 'handlers.ts')).href)) as typeof mod;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each<[string, string, string, string]>([
    ['the example its path parameter pairs with', '/products/10', 'get-product-id', 'GET_PRODUCT'],
    ['the error case its path parameter pairs with', '/products/344', 'get-product-id', 'INVALID_ID'],
    ['the default of a list (an example in another file of the spec)', '/orders', 'get-orders', '200_OK'],
  ])('answers %s', async (_, url, operationId, key) => {
    const server = setupServer(...mod.handlers({ baseUrl: BASE }));
    server.listen({ onUnhandledRequest: 'error' });
    try {
      const expected = exampleOf(spec, operationId, key);
      const response = await fetch(`${BASE}${url}`);
      expect([response.status, await response.json()]).toEqual([expected.status, expected.value]);
    } finally {
      server.close();
    }
  });

  it('types overrides by the spec: tsc over the written module refuses a wrong shape and takes a right one', () => {
    const probe = path.join(dir, 'probe.ts');
    writeFileSync(
      probe,
      `import { http } from './handlers.ts';
export const right = http('${BASE}').get('/products/{id}', ({ params, response }) => response(200).json({ id: Number(params.id), name: 'n', type: 'gadget', inventory: 1 }));
export const wrong = http('${BASE}').get('/products/{id}', ({ response }) => response(200).json({ id: 1, name: 'n', type: 'gadget', inventory: 'many' }));
`,
    );
    const config = ts.getParsedCommandLineOfConfigFile('tsconfig.json', undefined, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
    // The project's own ambient declarations (negotiator's types) come along; the rest is what the probe imports.
    const ambient = config!.fileNames.filter((f) => f.endsWith('.d.ts') && !f.includes('/generated/'));
    const program = ts.createProgram([probe, ...ambient], { ...config!.options, noEmit: true });
    const errors = ts.getPreEmitDiagnostics(program).map((d) => `${d.file ? path.basename(d.file.fileName) : ''}:${d.file?.getLineAndCharacterOfPosition(d.start ?? 0).line ?? -1} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
    expect(errors).toEqual([expect.stringMatching(/^probe\.ts:2 Type .string. is not assignable to type .number./)]);
    expect(errors[0]).toMatch(/^probe\.ts:2 Type 'string' is not assignable to type 'number'/);
  });
});
