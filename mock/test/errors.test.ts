// errors.ts derives the error shape from whatever a spec documents: examples first, the schema
// alone when there is no example, RFC 9457 when the spec says nothing about errors.
import { describe, expect, it } from 'vitest';
import { buildError } from '../errors.ts';
import { buildModel } from '../model.ts';

type Responses = Record<string, unknown>;
const json = (schema: unknown, examples?: Record<string, unknown>) => ({
  description: 'x',
  content: { 'application/json': { schema, ...(examples ? { examples: Object.fromEntries(Object.entries(examples).map(([k, value]) => [k, { value }])) } : {}) } },
});
const spec = (responses: Responses, schemas: Record<string, unknown> = {}) =>
  buildModel({ openapi: '3.1.0', info: { title: 't', version: '1' }, paths: { '/a': { get: { responses: { '200': { description: 'ok' }, ...responses } } } }, components: { schemas } });

const rpc = { $ref: '#/components/schemas/Rpc' };
const rpcSchema = { type: 'object', properties: { code: { type: 'integer' }, message: { type: 'string' }, details: { type: 'array' }, error: { type: 'string' } } };
const grpc = spec(
  {
    '400': json(rpc, { bad: { code: 3, message: 'bad: invalid arguments', details: [], error: 'bad: invalid arguments' } }),
    '404': json(rpc, { missing: { code: 5, message: 'x: not found', details: [], error: 'x: not found' } }),
    '401': json(rpc, { anon: { code: 16, message: 'credentials not found', details: [], error: 'credentials not found' } }),
  },
  { Rpc: rpcSchema },
);
const fastapi = spec(
  {
    '404': json({ $ref: '#/components/schemas/HTTPError' }, { gone: { detail: 'Not found' } }),
    '409': json({ $ref: '#/components/schemas/HTTPError' }, { dup: { detail: 'Exists' } }),
    '422': json({ $ref: '#/components/schemas/Validation' }, { bad: { detail: [{ type: 'int_parsing', loc: ['query', 'limit'], msg: 'not an int', input: 'ten', ctx: { x: 1 } }] } }),
  },
  { HTTPError: { type: 'object', properties: { detail: { type: 'string' } } }, Validation: { type: 'object' } },
);
const words = spec({ '404': json({ type: 'object' }, { nf: { code: 'NOT_FOUND', detail: 'no' } }), '503': json({ type: 'object' }, { down: { code: 'UNAVAILABLE', detail: 'later' } }) });
const schemaOnly = spec({ '404': json({ $ref: '#/components/schemas/E' }) }, { E: { type: 'object', required: ['errors'], properties: { status: { type: 'integer' }, title: { type: 'string' }, message: { type: 'string' }, errors: { type: 'array' } } } });
const silent = spec({});

describe('buildError', () => {
  it.each([
    { when: 'gRPC: a documented status keeps its code, error repeats message', model: grpc, status: 404, body: { code: 5, message: 'm', details: [], error: 'm' } },
    { when: 'gRPC: an undocumented status takes grpc-gateway’s code (405 Unimplemented)', model: grpc, status: 405, body: { code: 12, message: 'm', details: [], error: 'm' } },
    { when: 'gRPC: a 5xx with no example takes Internal', model: grpc, status: 500, body: { code: 13, message: 'm', details: [], error: 'm' } },
    { when: 'gRPC: a status outside the table takes Unknown', model: grpc, status: 418, body: { code: 2, message: 'm', details: [], error: 'm' } },
    { when: 'FastAPI: an undocumented status is the common {"detail"}, not the 422 list', model: fastapi, status: 405, body: { detail: 'm' } },
    { when: 'FastAPI: a 422 is a list of one problem in our words', model: fastapi, status: 422, body: { detail: [{ type: 'unprocessable_entity', loc: [], msg: 'm', input: null }] } },
    { when: 'word codes: a documented status keeps its word', model: words, status: 503, body: { code: 'UNAVAILABLE', detail: 'm' } },
    { when: 'word codes: another status gets its reason as a word', model: words, status: 405, body: { code: 'METHOD_NOT_ALLOWED', detail: 'm' } },
    { when: 'a schema without examples is filled by field names', model: schemaOnly, status: 409, body: { status: 409, title: 'Conflict', message: 'm', errors: [] } },
    { when: 'a spec without errors gets RFC 9457', model: silent, status: 404, body: { type: 'about:blank', title: 'Not Found', status: 404, detail: 'm' } },
  ])('$when', ({ model, status, body }) => {
    expect(buildError(model, status, 'm').body).toEqual(body);
  });

  it('says problem+json only for the RFC 9457 fallback', () => {
    expect(buildError(silent, 404, 'm').contentType).toBe('application/problem+json');
    expect(buildError(fastapi, 404, 'm').contentType).toBe('application/json');
  });
});
