// Fuzzing every operation of the bundled contract with schema-derived requests, valid and invalid:
// never a 5xx, every answer with a documented status, media type and body schema (ajv 2020 + formats).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundlePathOf } from '../../server/shared/spec.ts';
import { startServer, type TestServer } from '../../server/images/test/helpers.ts';
import { invalidOf, validOf, type Violation } from '../../spec-conventions/schema-arbitrary.ts';
import { SpecOperations, type Operation, type Parameter } from './spec-operations.ts';

const RUNS_PER_OPERATION = 180;
const MINIMUM_REQUESTS = 2000;
const TOKENS = { owner: 'alice-demo-token', other: 'bob-demo-token', garbage: 'no-such-token' };

const spec = new SpecOperations(bundlePathOf('images'));
const resolve = spec.resolve.bind(spec);

interface FuzzRequest {
  mode: 'valid' | 'invalid';
  /** What the invalid request breaks. */
  broken?: string;
  path: Record<string, string>;
  query: [string, string][];
  body?: unknown;
  token?: string;
}

const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
// Dot segments would be folded away by the URL parser before they reach the server.
const encodeSegment = (value: string) => encodeURIComponent(value).replaceAll('.', '%2E');

/** A parameter's valid values: its documented examples that match its schema, and schema-derived ones. */
function validParameter(parameter: Parameter): fc.Arbitrary<string> {
  const validate = spec.validatorOf(parameter.schema);
  const examples = parameter.examples.filter((e) => validate(e));
  const derived = validOf(parameter.schema, resolve).map(text);
  return examples.length > 0 ? fc.oneof({ arbitrary: fc.constantFrom(...examples.map(text)), weight: 3 }, { arbitrary: derived, weight: 1 }) : derived;
}

/** A fixed pool of violations the schema really rejects (the generator's guesses, checked by ajv). */
function rejected(violations: fc.Arbitrary<Violation>, rejects: (value: unknown) => boolean): Violation[] {
  const seen = new Set<string>();
  return fc.sample(violations, { numRuns: 300, seed: 3 }).filter((v) => {
    const key = JSON.stringify(v.value);
    if (v.value === undefined || seen.has(key) || !rejects(v.value)) return false;
    seen.add(key);
    return true;
  });
}

function requestOf(operation: Operation): fc.Arbitrary<FuzzRequest> {
  const path = operation.parameters.filter((p) => p.in === 'path');
  const query = operation.parameters.filter((p) => p.in === 'query');
  const body = operation.body;
  const bodyValid = body ? spec.validatorOf(body.schema) : undefined;
  const token = operation.secured
    ? fc.oneof({ arbitrary: fc.constant(TOKENS.owner), weight: 6 }, { arbitrary: fc.constant(TOKENS.other), weight: 3 }, fc.constant(TOKENS.garbage), fc.constant(undefined))
    : fc.option(fc.constant(TOKENS.owner), { nil: undefined });
  const valid = fc.record({
    mode: fc.constant('valid' as const),
    path: fc.record(Object.fromEntries(path.map((p) => [p.name, validParameter(p)]))),
    query: fc
      .tuple(...query.map((p) => (p.required ? validParameter(p) : fc.option(validParameter(p), { nil: undefined })).map((v) => [p.name, v] as const)))
      .map((pairs) => pairs.filter((pair): pair is [string, string] => pair[1] !== undefined)),
    body: body ? (body.required ? validOf(body.schema, resolve) : fc.option(validOf(body.schema, resolve), { nil: undefined })) : fc.constant(undefined),
    token,
  });
  // An invalid request breaks exactly one thing and keeps the rest valid.
  const breakers: fc.Arbitrary<(r: FuzzRequest) => FuzzRequest>[] = [];
  for (const p of [...path, ...query]) {
    const accepts = spec.validatorOf(p.schema);
    const pool = rejected(invalidOf(p.schema, resolve, true), (v) => !accepts(v) && !(typeof v === 'number' && accepts(String(v))));
    if (pool.length === 0) continue;
    breakers.push(
      fc.constantFrom(...pool)
        .map((v) => (r: FuzzRequest) => ({
          ...r,
          broken: `${p.in} ${p.name} ${v.how}`,
          path: p.in === 'path' ? { ...r.path, [p.name]: text(v.value) } : r.path,
          query: p.in === 'query' ? [...r.query.filter(([k]) => k !== p.name), [p.name, text(v.value)]] : r.query,
        })),
    );
  }
  const bodyPool = body && bodyValid ? rejected(invalidOf(body.schema, resolve), (v) => !bodyValid(v)) : [];
  if (bodyPool.length > 0) {
    breakers.push(
      fc.constantFrom(...bodyPool)
        .map((v) => (r: FuzzRequest) => ({ ...r, broken: `body ${v.how}`, body: v.value })),
    );
  }
  // Unknown query keys are refused where an operation declares a query (elsewhere they are ignored).
  if (query.length > 0) breakers.push(fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !query.some((p) => p.name === k)).map((k) => (r: FuzzRequest) => ({ ...r, broken: `unknown query ${k}`, query: [...r.query, [k, '1']] })));
  if (breakers.length === 0) return valid; // nothing the schema refuses (an id that may be any string)
  const invalid = fc.tuple(valid, fc.oneof(...breakers)).map(([r, breakIt]) => ({ ...breakIt(r), mode: 'invalid' as const }));
  return fc.oneof({ arbitrary: valid, weight: 3 }, { arbitrary: invalid, weight: 2 });
}

function urlOf(operation: Operation, request: FuzzRequest): string {
  const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeSegment(request.path[name] ?? ''));
  const query = new URLSearchParams(request.query).toString();
  return query ? `${path}?${query}` : path;
}

let server: TestServer;
let sent = 0;
const statuses = new Map<string, Map<number, number>>();

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

describe('fuzz: schema-derived requests to every operation', () => {
  it.each(spec.operations.map((operation, i) => [operation.operationId, operation, i] as const))(
    '%s: valid and invalid inputs answer as documented, never 5xx',
    async (operationId, operation, i) => {
      const seen = new Map<number, number>();
      statuses.set(operationId, seen);
      await fc.assert(
        fc.asyncProperty(requestOf(operation), async (request) => {
          const headers: Record<string, string> = {};
          if (request.token) headers.authorization = `Bearer ${request.token}`;
          if (request.body !== undefined) headers['content-type'] = operation.body?.mediaType ?? 'application/json';
          const response = await server.raw(urlOf(operation, request), {
            method: operation.method,
            headers,
            body: request.body === undefined ? undefined : JSON.stringify(request.body),
          });
          const body = await response.text();
          sent += 1;
          seen.set(response.status, (seen.get(response.status) ?? 0) + 1);
          const where = `${operation.method} ${urlOf(operation, request)} ${request.broken ?? ''} -> ${response.status} ${body.slice(0, 300)}`;
          expect(response.status, where).toBeLessThan(500);
          expect(spec.check(operation, response.status, response.headers.get('content-type'), body), where).toEqual([]);
          if (request.mode === 'invalid') expect(response.status, where).toBeGreaterThanOrEqual(400);
        }),
        { numRuns: RUNS_PER_OPERATION, seed: 7000 + i, endOnFailure: true },
      );
      // A fuzz run that never got past validation would prove little.
      expect([...seen.keys()].some((s) => s < 300), `${operationId} statuses ${JSON.stringify([...seen])}`).toBe(true);
      expect([...seen.keys()].some((s) => s >= 400), `${operationId} statuses ${JSON.stringify([...seen])}`).toBe(true);
    },
  );

  it(`sent at least ${MINIMUM_REQUESTS} requests in all`, () => {
    console.log(`fuzz: ${sent} requests; statuses per operation: ${JSON.stringify(Object.fromEntries([...statuses].map(([k, v]) => [k, Object.fromEntries(v)])))}`);
    expect(sent).toBeGreaterThanOrEqual(MINIMUM_REQUESTS);
  });
});
