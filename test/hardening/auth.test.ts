// Auth, from the contract: every secured operation refuses a missing, malformed or unknown token with
// 401 and WWW-Authenticate; every container and snapshot operation by another user is never a 2xx and
// changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundlePathOf } from '../../server/shared/spec.ts';
import { ALICE_CONTAINER, startServer, stateOf, type TestServer } from '../../server/images/test/helpers.ts';
import { BOB, expectContractError, stateThroughApi } from './helpers.ts';
import { SpecOperations, type Operation } from './spec-operations.ts';

const spec = new SpecOperations(bundlePathOf('images'));
const secured = spec.operations.filter((o) => o.secured);

/** A request for the operation built from its first documented examples, on alice's resources. */
function requestOf(operation: Operation): { path: string; body?: string } {
  const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const parameter = operation.parameters.find((p) => p.in === 'path' && p.name === name);
    return encodeURIComponent(String(parameter?.examples[0] ?? 'x'));
  });
  const example = operation.body?.examples[0];
  return { path, body: operation.body ? JSON.stringify(example ?? {}) : undefined };
}

const credentials: [string, Record<string, string>][] = [
  ['no token', {}],
  ['an empty bearer', { authorization: 'Bearer ' }],
  ['a malformed header', { authorization: 'Bearer two words' }],
  ['another scheme', { authorization: 'Basic YWxpY2U6c2VjcmV0' }],
  ['an unknown token', { authorization: 'Bearer nobody-has-this-token' }],
];

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

describe('auth', () => {
  it('the contract has secured operations to test', () => {
    expect(secured.length).toBeGreaterThanOrEqual(9);
  });

  it.each(secured.flatMap((o) => credentials.map(([how, headers]) => [o.operationId, how, o, headers] as const)))('%s with %s: 401 with WWW-Authenticate', async (_id, how, operation, headers) => {
    const { path, body } = requestOf(operation);
    const response = await server.raw(path, { method: operation.method, headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) }, body });
    const text = await response.text();
    expectContractError(response.status, text, `${operation.operationId} ${how}`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  const containerOperations = secured.filter((o) => o.path.startsWith('/api/v1/containers/'));
  it.each(containerOperations.map((o) => [o.operationId, o] as const))("%s by bob on alice's container: never 2xx, nothing changed", async (_id, operation) => {
    const before = await stateThroughApi(server);
    const storeBefore = stateOf(server.store, server.fixture);
    const { path, body } = requestOf(operation);
    expect(path).toContain(ALICE_CONTAINER);
    const response = await server.raw(path, { method: operation.method, headers: { authorization: BOB, ...(body ? { 'content-type': 'application/json' } : {}) }, body });
    const text = await response.text();
    expectContractError(response.status, text, operation.operationId);
    expect(await stateThroughApi(server)).toEqual(before);
    expect(stateOf(server.store, server.fixture)).toEqual(storeBefore);
  });
});
