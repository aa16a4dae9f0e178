import type {
  Caller,
  CheckName,
  ExampleExpectation,
  MediaTypeSpec,
  OperationSpec,
  RequestPlan,
  SpecModel,
  TestCase,
} from '../model.ts';
import { exampleTie, partValue, unpairedMessage, type RequestPart } from '../../spec-conventions/pairing.ts';
import { exampleCaller } from '../../spec-conventions/roles.ts';
import { isJsonMediaType } from './responses.ts';
import type { SchemaValues } from './request-values.ts';

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

/** The spec's first caller role on a secured operation, `none` otherwise (spec-conventions/roles.ts). */
export function defaultCaller(op: OperationSpec, spec: Pick<SpecModel, 'roles'>): Caller {
  return exampleCaller({}, spec.roles, op.secured);
}

/** The operation's request parts as spec-conventions/pairing.ts reads them. */
export function requestParts(op: OperationSpec): RequestPart[] {
  const parts: RequestPart[] = op.parameters.map((p) => ({ in: p.in, name: p.name, required: p.required, examples: p.examples, example: p.example }));
  const mt = op.requestBody && preferredMediaType(op.requestBody.content);
  if (op.requestBody && mt) {
    const named = new Map([...mt.examples.values()].filter((e) => !e.single).map((e) => [e.key, e.value] as const));
    const single = [...mt.examples.values()].find((e) => e.single);
    parts.push({ in: 'body', name: '', required: op.requestBody.required, examples: named, example: single ? { value: single.value } : undefined });
  }
  return parts;
}

/**
 * The request of case `key` (spec-conventions/pairing.ts): each part takes its example `key`; a path
 * parameter or a required part without one takes its first example, else a value drawn from its
 * schema (`values`, seeded); other parts are left out. With `key` undefined every part falls back.
 */
export function requestFor(op: OperationSpec, key: string | undefined, caller: Caller, values?: SchemaValues): RequestPlan {
  const plan: RequestPlan = {
    method: op.method,
    pathTemplate: op.path,
    pathParams: {},
    query: [],
    headers: {},
    caller,
  };
  const mt = op.requestBody && preferredMediaType(op.requestBody.content);
  for (const part of requestParts(op)) {
    const chosen = partValue(part, key);
    if (chosen === undefined) continue;
    let value: unknown;
    if ('value' in chosen) value = chosen.value;
    else {
      const schema = part.in === 'body' ? mt?.schema : op.parameters.find((p) => p.in === part.in && p.name === part.name)?.schema;
      value = values?.sample(schema, `${op.operationId}:${part.in}.${part.name}`, part.in !== 'body');
      if (value === undefined) {
        throw new UnbuildableRequest(part.in === 'body' ? `the required request body (${mt?.mediaType}) has no example and no schema to derive one from` : `${part.in} parameter ${part.name} has no example and no schema to derive one from`);
      }
    }
    if (part.in === 'path') plan.pathParams[part.name] = value;
    else if (part.in === 'query') plan.query.push([part.name, value]);
    else if (part.in === 'header') plan.headers[part.name] = String(value);
    else if (part.in === 'body' && mt) plan.body = { mediaType: mt.mediaType, value };
  }
  return plan;
}

export function preferredMediaType(content: MediaTypeSpec[]): MediaTypeSpec | undefined {
  return content.find((c) => isJsonMediaType(c.mediaType)) ?? content[0];
}

const UNTIED_ERROR =
  'documented, not replayable: no request in the spec is tied to this example (no request part names it), and the probes send the bad input, missing credentials and wrong methods that produce 4xx answers';

/**
 * Every response example of every operation, as a case (skipped ones included). An example a
 * request is tied to (by name, or by this project's convention) is replayed and compared; a 2xx
 * example nothing ties to a request is replayed with the fallback request and judged on status and
 * schema only (its values belong to some other request); an untied error example is listed as
 * documented, not replayable.
 */
export function exampleCases(spec: SpecModel, values?: SchemaValues): TestCase[] {
  const cases: TestCase[] = [];
  for (const op of spec.operations) {
    const parts = requestParts(op);
    const all = op.responses.flatMap((response) => response.content.flatMap((mt) => [...mt.examples.values()].map((ex) => ({ response, mt, ex }))));
    const seen = new Map<string, number>();
    for (const { ex } of all) seen.set(ex.key, (seen.get(ex.key) ?? 0) + 1);
    for (const { response, mt, ex } of all) {
      const ext = ex.extensions;
      const caller = exampleCaller(ext, spec.roles, op.secured);
      // Case names stay unique when several statuses or media types hold the same key.
      const label = (seen.get(ex.key) ?? 0) > 1 ? `example ${ex.key} (${response.status} ${mt.mediaType})` : `example ${ex.key}`;
      const status = Number(response.status);
      const tie = ex.single ? (spec.projectConvention && !spec.sameKey ? 'fallback' : 'untied') : exampleTie(parts, ex.key, spec.projectConvention);
      const expectation: ExampleExpectation = {
        status,
        mediaType: mt.mediaType,
        value: ex.value,
        match: tie === 'untied' ? 'schema' : ext['x-match'] === 'fields' || ext['x-match'] === 'schema' ? ext['x-match'] : 'exact',
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
      // A spec that declares same-key pairing gets no fallback: a part its example leaves unnamed is its error.
      const unpaired = spec.sameKey && !ex.single ? unpairedMessage(op.operationId, ex.key, parts) : '';
      if (unpaired) {
        cases.push({ ...base, request: emptyPlan(op, caller), specError: `the spec's pairing is incomplete: ${unpaired}` });
        continue;
      }
      let request: RequestPlan;
      try {
        request = requestFor(op, tie === 'untied' ? undefined : ex.key, caller, values);
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
      } else if (tie === 'untied' && (status < 200 || status >= 300)) {
        skip = UNTIED_ERROR;
      }
      cases.push({ ...base, request, skip });
    }
  }
  return cases;
}

export function emptyPlan(op: OperationSpec, caller: Caller): RequestPlan {
  return { method: op.method, pathTemplate: op.path, pathParams: {}, query: [], headers: {}, caller };
}
