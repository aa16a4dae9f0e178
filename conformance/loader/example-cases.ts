import type {
  Caller,
  CheckName,
  ExampleExpectation,
  MediaTypeSpec,
  OperationSpec,
  RequestPlan,
  Schema,
  SpecModel,
  TestCase,
} from '../model.ts';
import { isJsonMediaType } from './responses.ts';

export const RESPONSE_CHECKS: CheckName[] = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_schema_conformance',
  'response_headers_conformance',
  'max_response_time',
];

/** A request that cannot be built from the spec's examples; the case is listed as skipped. */
export class UnbuildableRequest extends Error {}

export function caseName(op: { tag: string; operationId: string }, label: string): string {
  return `${op.tag} > ${op.operationId} > ${label}`;
}

/**
 * A workflow step's caller: a journey is one user's, so the default role sends every step whose
 * operation takes credentials, optional ones included (`security: [{}, {key: []}]`).
 */
export function workflowCaller(op: OperationSpec, spec: Pick<SpecModel, 'defaultRole'>): Caller {
  return op.security.some((r) => r.schemes.length > 0) ? spec.defaultRole : 'none';
}

/** The spec's first caller role (`x-caller-roles`) on a secured operation, `none` otherwise. */
export function defaultCaller(op: OperationSpec, spec: Pick<SpecModel, 'defaultRole'>): Caller {
  return op.secured ? spec.defaultRole : 'none';
}

/**
 * The request of case `key` under spec/README.md's pairing convention: path parameters take
 * example `key` or their first example; query and header parameters take example `key`, or their
 * first one when required; the body takes example `key`, or its first one when required.
 * With `key` undefined every part takes its fallback.
 */
export function requestFor(op: OperationSpec, key: string | undefined, caller: Caller): RequestPlan {
  const plan: RequestPlan = {
    method: op.method,
    pathTemplate: op.path,
    pathParams: {},
    query: [],
    headers: {},
    caller,
  };
  for (const p of op.parameters) {
    const own = key !== undefined && p.examples.has(key);
    let value: unknown;
    if (own) value = p.examples.get(key!);
    else if (p.in === 'path' || p.required) {
      value = p.examples.size > 0 ? [...p.examples.values()][0] : schemaFallback(p.schema);
      if (value === undefined) {
        throw new UnbuildableRequest(`${p.in} parameter ${p.name} has no example to send`);
      }
    } else continue;
    if (p.in === 'path') plan.pathParams[p.name] = value;
    else if (p.in === 'query') plan.query.push([p.name, value]);
    else if (p.in === 'header') plan.headers[p.name] = String(value);
  }
  if (op.requestBody) {
    const mt = preferredMediaType(op.requestBody.content);
    if (mt) {
      const own = key !== undefined ? mt.examples.get(key) : undefined;
      const chosen = own ?? (op.requestBody.required ? [...mt.examples.values()][0] : undefined);
      if (chosen) plan.body = { mediaType: mt.mediaType, value: chosen.value };
      else if (op.requestBody.required) {
        throw new UnbuildableRequest(`the required request body (${mt.mediaType}) has no example to send`);
      }
    }
  }
  return plan;
}

export function preferredMediaType(content: MediaTypeSpec[]): MediaTypeSpec | undefined {
  return content.find((c) => isJsonMediaType(c.mediaType)) ?? content[0];
}

function schemaFallback(schema: Schema | undefined): unknown {
  if (!schema || typeof schema === 'boolean') return undefined;
  if ('const' in schema) return schema.const;
  if ('default' in schema) return schema.default;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if ('example' in schema) return schema.example;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  return undefined;
}

/** Every named response example of every operation, as a case (skipped ones included). */
export function exampleCases(spec: SpecModel): TestCase[] {
  const cases: TestCase[] = [];
  for (const op of spec.operations) {
    for (const response of op.responses) {
      for (const mt of response.content) {
        for (const ex of mt.examples.values()) {
          const ext = ex.extensions;
          const caller = typeof ext['x-caller'] === 'string' ? ext['x-caller'] : defaultCaller(op, spec);
          const label = `example ${ex.key}`;
          const status = Number(response.status);
          const expectation: ExampleExpectation = {
            status,
            mediaType: mt.mediaType,
            value: ex.value,
            match: ext['x-match'] === 'fields' || ext['x-match'] === 'schema' ? ext['x-match'] : 'exact',
            ignore: Array.isArray(ext['x-match-ignore']) ? ext['x-match-ignore'].map(String) : [],
          };
          const base: Omit<TestCase, 'request'> = {
            kind: 'example',
            name: caseName(op, label),
            tag: op.tag,
            operationId: op.operationId,
            operation: op,
            label,
            checks: [...RESPONSE_CHECKS, 'example_match'],
            example: expectation,
          };
          let request: RequestPlan;
          try {
            request = requestFor(op, ex.key, caller);
          } catch (err) {
            if (!(err instanceof UnbuildableRequest)) throw err;
            cases.push({ ...base, request: emptyPlan(op, caller), skip: `cannot build the request: ${err.message}` });
            continue;
          }
          let skip: string | undefined;
          if (ext['x-replayable'] === false) {
            skip = `not replayable: ${typeof ext['x-skip-reason'] === 'string' ? ext['x-skip-reason'] : 'no reason given'}`;
          } else if (!Number.isInteger(status)) {
            skip = `the example sits under response ${response.status}, which names no exact status`;
          }
          cases.push({ ...base, request, skip });
        }
      }
    }
  }
  return cases;
}

export function emptyPlan(op: OperationSpec, caller: Caller): RequestPlan {
  return { method: op.method, pathTemplate: op.path, pathParams: {}, query: [], headers: {}, caller };
}
