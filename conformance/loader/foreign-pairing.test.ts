// Every false failure found on the public specs of test/fixtures/foreign/ is a row here: read as a
// sentence, each says what the suite now does instead.
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../checks/index.ts';
import type { CheckName, ReceivedResponse, TestCase } from '../model.ts';
import { SchemaValidator, schemaView } from '../schema.ts';
import { exampleCases } from './example-cases.ts';
import { loadSpec, specModelFromDocument } from './load-spec.ts';
import { probeCases } from './probe-cases.ts';
import { SchemaValues } from './request-values.ts';

const FOREIGN = 'conformance/test/fixtures/foreign';
const validator = new SchemaValidator();
const values = new SchemaValues(1, validator);
const specs = {
  museum: await loadSpec(`${FOREIGN}/museum/openapi.yaml`),
  specmatic: await loadSpec(`${FOREIGN}/specmatic-order/api_order_v3.yaml`),
  tictactoe: await loadSpec(`${FOREIGN}/tictactoe/openapi.yaml`),
  petstore3: await loadSpec(`${FOREIGN}/petstore3/openapi.yaml`),
};
const casesOf = (name: keyof typeof specs) => {
  const examples = exampleCases(specs[name], values);
  return [...examples, ...probeCases(specs[name], examples, validator, { values })];
};
const get = (name: keyof typeof specs, caseName: string): TestCase => {
  const found = casesOf(name).find((c) => c.name === caseName);
  if (!found) throw new Error(`no case ${caseName}`);
  return found;
};

describe('pairing on specs that do not follow this project\'s convention', () => {
  it.each<[string, keyof typeof specs, string, Partial<TestCase> & { match?: string }]>([
    ['an example named on the request body (same name) is replayed with that body and compared exactly', 'museum', 'Events > createSpecialEvent > example default_example', { skip: undefined, match: 'exact' }],
    ['an example named on a path parameter (Specmatic) is replayed with that value', 'specmatic', 'default > get-orders-id > example INVALID_ID', { skip: undefined, match: 'exact', request: { pathParams: { id: 433 } } as unknown as TestCase['request'] }],
    ['a 2xx example no request part names is judged on status and schema only, never on its values', 'museum', 'Events > listSpecialEvents > example default_example', { skip: undefined, match: 'schema' }],
    ['a lone `example` on a parameter pairs with nothing by name (its key "default" is no name)', 'museum', 'Events > getSpecialEvent > example default_example', { skip: undefined, match: 'schema' }],
    ['an error example no request produces is documented, not replayable', 'tictactoe', 'Gameplay > put-square > example notEmpty', { match: 'schema' }],
  ])('%s', (_rule, spec, name, expected) => {
    const c = get(spec, name);
    const { match, ...rest } = expected;
    expect(c).toMatchObject(rest);
    if (match) expect(c.example?.match).toBe(match);
    if (name.endsWith('notEmpty')) expect(c.skip).toMatch(/^documented, not replayable: /);
  });

  it('the spec follows this project\'s convention only when it says so', () => {
    expect(Object.values(specs).map((s) => s.projectConvention)).toEqual([false, false, false, false]);
  });

  it('case names are unique when several statuses hold the same example key', () => {
    const doc = {
      openapi: '3.1.0',
      paths: {
        '/x': {
          get: {
            operationId: 'getX',
            responses: {
              '200': { description: 'ok', content: { 'application/json': { examples: { same: { value: 1 } } } } },
              '404': { description: 'no', content: { 'application/json': { examples: { same: { value: 2 } } } } },
            },
          },
        },
      },
    };
    const names = exampleCases(specModelFromDocument(doc, 'x.yaml', [])).map((c) => c.name);
    expect(names).toEqual(['default > getX > example same (200 application/json)', 'default > getX > example same (404 application/json)']);
  });
});

describe('schema-derived requests', () => {
  it.each<[string, keyof typeof specs, string]>([
    ['a path parameter with no example gets a value from its schema', 'petstore3', 'pet > getPetById > probe positive schema-derived request'],
    ['a required body with no example gets one from its schema', 'petstore3', 'pet > addPet > probe positive schema-derived request'],
    ['an operation with examples on nothing it takes is still sent', 'museum', 'Tickets > getTicketCode > probe positive schema-derived request'],
  ])('%s', (_rule, spec, name) => {
    const c = get(spec, name);
    expect(c.skip).toBeUndefined();
    for (const p of c.operation!.parameters.filter((p) => p.in === 'path')) expect(validator.isValid(p.schema!, c.request.pathParams[p.name])).toBe(true);
    if (c.operation!.requestBody?.required) expect(validator.isValid(schemaView(c.operation!.requestBody.content[0]!.schema!, 'readOnly'), c.request.body?.value)).toBe(true);
  });

  it('the same seed draws the same requests, another seed others', () => {
    const draw = (seed: number) => {
      const v = new SchemaValues(seed, validator);
      return JSON.stringify(exampleCases(specs.petstore3, v).length + JSON.stringify(probeCases(specs.petstore3, exampleCases(specs.petstore3, v), validator, { values: v }).map((c) => c.request)));
    };
    expect(draw(5)).toBe(draw(5));
    expect(draw(5)).not.toBe(draw(6));
  });

  const marked = {
    type: 'object',
    required: ['id', 'name', 'password'],
    properties: { id: { type: 'integer', readOnly: true }, name: { type: 'string', minLength: 1 }, password: { type: 'string', writeOnly: true } },
  };
  it.each<[string, 'readOnly' | 'writeOnly', unknown, boolean]>([
    ['a request need not carry a required readOnly property', 'readOnly', { name: 'a', password: 'p' }, true],
    ['a request still needs its other required properties', 'readOnly', { name: 'a' }, false],
    ['an answer need not carry a required writeOnly property', 'writeOnly', { id: 1, name: 'a' }, true],
    ['an answer still needs its readOnly properties', 'writeOnly', { name: 'a' }, false],
  ])('%s', (_rule, omit, value, valid) => {
    expect(validator.isValid(schemaView(marked, omit), value)).toBe(valid);
  });

  it('a drawn body never carries a readOnly property, and probes never mutate one', () => {
    const doc = {
      openapi: '3.1.0',
      paths: { '/users': { post: { operationId: 'createUser', requestBody: { required: true, content: { 'application/json': { schema: marked } } }, responses: { '201': { description: 'created' } } } } },
    };
    const spec = specModelFromDocument(doc, 'x.yaml', []);
    const examples = exampleCases(spec, values);
    const cases = probeCases(spec, examples, validator, { values });
    const sent = cases.find((c) => c.label === 'probe positive schema-derived request')!;
    expect(sent.request.body?.value).not.toHaveProperty('id');
    expect(sent.request.body?.value).toHaveProperty('name');
    expect(cases.filter((c) => /body\.id /.test(c.label))).toEqual([]);
  });
});

describe('the wrong-method probe', () => {
  it('picks a method that no template matching the same URL documents', () => {
    const ok = { '200': { description: 'ok' } };
    const doc = {
      openapi: '3.1.0',
      paths: {
        '/pets/{id}': { get: { operationId: 'getPet', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', enum: ['mine'] } }], responses: ok }, patch: { operationId: 'patchPet', responses: ok } },
        '/pets/mine': { get: { operationId: 'getMine', responses: ok } },
      },
    };
    const spec = specModelFromDocument(doc, 'x.yaml', []);
    const probe = probeCases(spec, exampleCases(spec, values), validator, { values }).find((c) => c.label.startsWith('probe unsupported_method') && c.request.pathTemplate === '/pets/mine');
    // PATCH /pets/mine is documented by /pets/{id}: the probe must not send it.
    expect(probe?.request.method).toBe('put');
  });
});

describe('checks do not contradict each other', () => {
  const answer = (status: number, contentType = 'application/problem+json', text = '{"title":"no"}'): ReceivedResponse => ({ status, headers: { 'content-type': contentType }, contentType, text, json: JSON.parse(text), durationMs: 1 });
  const petstoreProbe = () => get('petstore3', 'pet > getPetById > probe missing_auth unknown token');
  const run = (check: CheckName, c: TestCase, response: ReceivedResponse) => CHECKS[check].run({ testCase: c, response, validator, options: {} });

  // tictactoe's get-board documents only 200; petstore3's getPetById also a content-less default.
  const boardProbe = () => get('tictactoe', 'Gameplay > get-board > probe missing_auth unknown token');
  it.each<[string, () => TestCase, CheckName, number, string]>([
    ['missing_auth accepts a 401 where the spec documents neither 401 nor 403', petstoreProbe, 'missing_auth', 401, 'passed'],
    ['missing_auth accepts a 403 where the spec documents neither', petstoreProbe, 'missing_auth', 403, 'passed'],
    ['status_code_conformance does not fail the 401 missing_auth asked for', boardProbe, 'status_code_conformance', 401, 'skipped'],
    ['content_type_conformance does not judge that 401 against a content-less default', petstoreProbe, 'content_type_conformance', 401, 'skipped'],
    ['response_schema_conformance does not judge it against default either', petstoreProbe, 'response_schema_conformance', 401, 'skipped'],
    ['status_code_conformance still fails an undocumented status nobody asked for', boardProbe, 'status_code_conformance', 418, 'failed'],
  ])('%s', (_rule, testCase, check, status, outcome) => {
    expect(run(check, testCase(), answer(status)).status).toBe(outcome);
  });

  it('missing_auth says the spec documents neither when it fails', () => {
    expect(run('missing_auth', petstoreProbe(), answer(200, 'application/json', '{}')).message).toBe('expected 401 or 403 (the spec documents neither) for a request with unknown token, got 200');
  });
});
