// Fuzzing every operation of each contract's bundle with schema-derived requests, valid and invalid:
// never a 5xx, every answer with a documented status, media type and body schema (ajv 2020 + formats).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRACTS, type HardenedContract, type HardenedServer } from './contracts.ts';
import { invalidOf, validOf, type Violation } from '../../spec-conventions/schema-arbitrary.ts';
import type { Operation, Parameter, SpecOperations } from './spec-operations.ts';

/** Requests per operation and the least in all, per contract: bounded so npm test stays within minutes. */
const RUNS: Record<HardenedContract['name'], { perOperation: number; minimum: number }> = {
  images: { perOperation: 180, minimum: 2000 },
  stackrox: { perOperation: 60, minimum: 600 },
  chutes: { perOperation: 60, minimum: 300 },
};

/**
 * Unknown query keys: refused where an operation declares a query (images, StackRox's gateway),
 * ignored as FastAPI does (Chutes), so only the first make an invalid request.
 */
const REFUSES_UNKNOWN_QUERY: Record<HardenedContract['name'], boolean> = { images: true, stackrox: true, chutes: false };

/**
 * Known departures: statuses an operation answers that its responses do not document. Each is a row of
 * the report to the spec's owner; the fuzz still checks every other answer of the operation.
 */
const UNDOCUMENTED: Record<HardenedContract['name'], Record<string, number[]>> = {
  images: {},
  // A query the gateway refuses (an unknown parameter, an unencoded reserved character in ?pretty) is a
  // 400 on every operation, as on the real service; these three declare no 400 in spec/stackrox.
  stackrox: { invalidateScanAndRegistryCaches: [400], getWatchedImages: [400], unwatchImage: [400] },
  chutes: {},
};

/** A 5xx an operation documents as the service's own answer to valid input (not a crash), and why. */
const DOCUMENTED_5XX: Record<HardenedContract['name'], Record<string, string>> = {
  images: {},
  // The example body names a registry no integration covers: StackRox answers 500 (code 13), documented.
  stackrox: { scanImage: 'no image integration for the registry' },
  chutes: {},
};

interface FuzzRequest {
  mode: 'valid' | 'invalid';
  /** What the invalid request breaks. */
  broken?: string;
  path: Record<string, string>;
  query: [string, string][];
  body?: unknown;
  credentials?: Record<string, string>;
}

const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
// Dot segments would be folded away by the URL parser before they reach the server.
const encodeSegment = (value: string) => encodeURIComponent(value).replaceAll('.', '%2E');

/** A parameter's valid values: its documented examples that match its schema, and schema-derived ones. */
function validParameter(spec: SpecOperations, parameter: Parameter): fc.Arbitrary<string> {
  const resolve = spec.resolve.bind(spec);
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

function requestOf(contract: HardenedContract, operation: Operation): fc.Arbitrary<FuzzRequest> {
  const spec = contract.spec;
  const resolve = spec.resolve.bind(spec);
  const { owner, other, garbage } = contract.credentials;
  const path = operation.parameters.filter((p) => p.in === 'path');
  const query = operation.parameters.filter((p) => p.in === 'query');
  const body = operation.body;
  const bodyValid = body ? spec.validatorOf(body.schema) : undefined;
  // Documented examples that match the schema first (an image name a scan can resolve), then derived ones.
  const bodyExamples = body && bodyValid ? body.examples.filter((e) => bodyValid(e)) : [];
  const derivedBody = body ? validOf(body.schema, resolve) : fc.constant(undefined);
  const validBody = bodyExamples.length > 0 ? fc.oneof({ arbitrary: fc.constantFrom(...bodyExamples), weight: 1 }, { arbitrary: derivedBody, weight: 1 }) : derivedBody;
  const credentials = operation.secured
    ? fc.oneof({ arbitrary: fc.constant(owner), weight: 6 }, { arbitrary: fc.constant(other), weight: 3 }, fc.constant(garbage), fc.constant(undefined))
    : fc.option(fc.constant(owner), { nil: undefined });
  const valid = fc.record({
    mode: fc.constant('valid' as const),
    path: fc.record(Object.fromEntries(path.map((p) => [p.name, validParameter(spec, p)]))),
    query: fc
      .tuple(...query.map((p) => (p.required ? validParameter(spec, p) : fc.option(validParameter(spec, p), { nil: undefined })).map((v) => [p.name, v] as const)))
      .map((pairs) => pairs.filter((pair): pair is [string, string] => pair[1] !== undefined)),
    body: body ? (body.required ? validBody : fc.option(validBody, { nil: undefined })) : fc.constant(undefined),
    credentials,
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
  if (query.length > 0 && REFUSES_UNKNOWN_QUERY[contract.name]) breakers.push(fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !query.some((p) => p.name === k)).map((k) => (r: FuzzRequest) => ({ ...r, broken: `unknown query ${k}`, query: [...r.query, [k, '1']] })));
  if (breakers.length === 0) return valid; // nothing the schema refuses (an id that may be any string)
  const invalid = fc.tuple(valid, fc.oneof(...breakers)).map(([r, breakIt]) => ({ ...breakIt(r), mode: 'invalid' as const }));
  return fc.oneof({ arbitrary: valid, weight: 3 }, { arbitrary: invalid, weight: 2 });
}

function urlOf(operation: Operation, request: FuzzRequest): string {
  const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeSegment(request.path[name] ?? ''));
  const query = new URLSearchParams(request.query).toString();
  return query ? `${path}?${query}` : path;
}

/** The request as fetch sends it: JSON, or a form of the body's fields for a multipart operation. */
function bodyOf(operation: Operation, body: unknown): { body?: BodyInit; contentType?: string } {
  if (body === undefined) return {};
  if (!operation.body?.mediaType.startsWith('multipart/')) return { body: JSON.stringify(body), contentType: operation.body?.mediaType ?? 'application/json' };
  const form = new FormData(); // fetch writes the content type with its boundary
  if (typeof body === 'object' && body !== null) for (const [key, value] of Object.entries(body)) form.append(key, typeof value === 'string' ? value : JSON.stringify(value) ?? '');
  return { body: form };
}

describe.each(CONTRACTS.map((c) => [c.name, c] as const))('fuzz: schema-derived requests to every operation of %s', (name, contract) => {
  const spec = contract.spec;
  const runs = RUNS[name];
  let server: HardenedServer;
  let sent = 0;
  const statuses = new Map<string, Map<number, number>>();

  beforeAll(async () => {
    server = await contract.start();
  });
  afterAll(async () => {
    await server.close();
  });

  it.each(spec.operations.map((operation, i) => [operation.operationId, operation, i] as const))(
    '%s: valid and invalid inputs answer as documented, never 5xx',
    async (operationId, operation, i) => {
      const seen = new Map<number, number>();
      statuses.set(operationId, seen);
      await fc.assert(
        fc.asyncProperty(requestOf(contract, operation), async (request) => {
          const { body, contentType } = bodyOf(operation, request.body);
          const headers: Record<string, string> = { ...request.credentials, ...(contentType ? { 'content-type': contentType } : {}) };
          const response = await server.raw(urlOf(operation, request), { method: operation.method, headers, body });
          const type = response.headers.get('content-type');
          // An event stream may stay open (a build still running): its head is the answer.
          const text = type?.startsWith('text/event-stream') ? (await response.body?.cancel(), '') : await response.text();
          sent += 1;
          seen.set(response.status, (seen.get(response.status) ?? 0) + 1);
          const where = `${operation.method} ${urlOf(operation, request)} ${request.broken ?? ''} -> ${response.status} ${text.slice(0, 300)}`;
          if (DOCUMENTED_5XX[name][operationId] === undefined || response.status !== 500) expect(response.status, where).toBeLessThan(500);
          const tolerated = UNDOCUMENTED[name][operationId]?.includes(response.status) ? `status ${response.status} is not documented for ${operationId}` : undefined;
          expect(spec.check(operation, response.status, type, text).filter((p) => p !== tolerated), where).toEqual([]);
          if (request.mode === 'invalid') expect(response.status, where).toBeGreaterThanOrEqual(400);
        }),
        { numRuns: runs.perOperation, seed: 7000 + i, endOnFailure: true },
      );
      // A fuzz run that never got past validation would prove little; a form's valid build context is
      // a zip archive the schema cannot describe, so a generated form is never accepted.
      if (!operation.body?.mediaType.startsWith('multipart/')) expect([...seen.keys()].some((s) => s < 300), `${operationId} statuses ${JSON.stringify([...seen])}`).toBe(true);
      expect([...seen.keys()].some((s) => s >= 400), `${operationId} statuses ${JSON.stringify([...seen])}`).toBe(true);
    },
  );

  it(`sent at least ${runs.minimum} requests in all`, () => {
    console.log(`fuzz ${name}: ${sent} requests; statuses per operation: ${JSON.stringify(Object.fromEntries([...statuses].map(([k, v]) => [k, Object.fromEntries(v)])))}`);
    expect(sent).toBeGreaterThanOrEqual(runs.minimum);
  });
});
