// Auth, from each contract: every secured operation refuses a missing, malformed, unknown or lookalike
// credential with 401 (and the contract's challenge), and another user's credential on the owner's
// resources is never a 2xx; none of it changes anything. Per-operation behaviour (401 before input
// validation, the scheme word's case, public operations) is each contract's own test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRACTS, errorProblems, type HardenedContract, type HardenedServer } from './contracts.ts';
import type { Operation } from './spec-operations.ts';

/** A request for the operation built from its first documented examples: the owner's resources. */
function requestOf(operation: Operation): { path: string; body?: string; headers: Record<string, string> } {
  const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const parameter = operation.parameters.find((p) => p.in === 'path' && p.name === name);
    return encodeURIComponent(String(parameter?.examples[0] ?? 'x'));
  });
  const query = operation.parameters.filter((p) => p.in === 'query' && p.required).map((p) => `${encodeURIComponent(p.name)}=${encodeURIComponent(String(p.examples[0] ?? 'x'))}`);
  const url = query.length > 0 ? `${path}?${query.join('&')}` : path;
  if (!operation.body) return { path: url, headers: {} };
  if (operation.body.mediaType.startsWith('multipart/')) return { path: url, headers: { 'content-type': 'multipart/form-data; boundary=x' }, body: '--x--\r\n' };
  return { path: url, headers: { 'content-type': operation.body.mediaType }, body: JSON.stringify(operation.body.examples[0] ?? {}) };
}

/** The credential forms every secured operation refuses. */
function refused(contract: HardenedContract): [string, Record<string, string>][] {
  const owner = contract.credentials.owner.authorization ?? '';
  const bare = owner.replace(/^Bearer /, '');
  return [
    ['no credentials', {}],
    ['an empty bearer', { authorization: 'Bearer ' }],
    ['a malformed header', { authorization: 'Bearer two words' }],
    ['an unknown Basic user', { authorization: 'Basic bWFsbG9yeTpzZWNyZXQ=' }],
    ['an unknown credential', contract.credentials.garbage],
    ['a lookalike of the owner\'s', { authorization: `${owner}2` }],
    ['the owner\'s followed by junk', { authorization: `${owner} extra` }],
    ...(bare !== owner ? ([['the owner\'s without its scheme', { authorization: bare }]] as [string, Record<string, string>][]) : []),
  ];
}

/** Operations another user may never succeed at on the owner's resources (the examples name the owner's). */
const FOREIGN: Record<HardenedContract['name'], (o: Operation) => boolean> = {
  images: (o) => o.path.startsWith('/api/v1/containers/'), // the caller's own images list is another user's own too
  stackrox: () => true, // the noaccess role may do nothing
  chutes: (o) => o.path.includes('{image_id_or_name}') || o.path.includes('{image_id}'), // the examples name alice's private image
};

describe.each(CONTRACTS.map((c) => [c.name, c] as const))('auth: %s', (_name, contract) => {
  const secured = contract.spec.operations.filter((o) => o.secured);
  let server: HardenedServer;
  let before: unknown;
  beforeAll(async () => {
    server = await contract.start();
    before = await server.state();
  });
  afterAll(() => server.close());

  it('the contract has secured operations to test', () => {
    expect(secured.length).toBeGreaterThanOrEqual(3);
  });

  it.each(secured.flatMap((o) => refused(contract).map(([how, headers]) => [o.operationId, how, o, headers] as const)))('%s with %s: 401', async (_id, how, operation, credentials) => {
    const { path, body, headers } = requestOf(operation);
    const response = await server.raw(path, { method: operation.method, headers: { ...headers, ...credentials }, body });
    const text = await response.text();
    expect(errorProblems(contract, response.status, response.headers.get('content-type'), text), `${operation.operationId} ${how}`).toEqual([]);
    expect(response.status, text.slice(0, 200)).toBe(401);
    if (contract.challenge) expect(response.headers.get('www-authenticate')).toMatch(contract.challenge);
  });

  it.each(secured.filter(FOREIGN[contract.name]).map((o) => [o.operationId, o] as const))("%s by another user on the owner's resources: never 2xx", async (_id, operation) => {
    const { path, body, headers } = requestOf(operation);
    const response = await server.raw(path, { method: operation.method, headers: { ...headers, ...contract.credentials.other }, body });
    const text = await response.text();
    expect(errorProblems(contract, response.status, response.headers.get('content-type'), text), operation.operationId).toEqual([]);
  });

  it('nothing changed', async () => {
    expect(await server.state()).toEqual(before);
  });
});
