// The contracts the hardening tests run over, one row each: how to start it (the contract's own test
// helper, so one startContract underneath), its demo credentials, what its error bodies look like, and
// a read of its state through the API. The operations come from generated/<contract>/openapi.json.
import { bundlePathOf } from '../../server/shared/spec.ts';
import { startServer as startImages, stateOf } from '../../server/images/test/helpers.ts';
import { startServer as startStackrox } from '../../server/stackrox/test/helpers.ts';
import { KEYS, startChutes } from '../../server/chutes/test/helpers.ts';
import type { StartedContract } from '../helpers/start-contract.ts';
import { SpecOperations } from './spec-operations.ts';

export interface HardenedServer extends StartedContract {
  /** Everything a client could see change (and, where the test can reach it, the store). */
  state(): Promise<unknown>;
}

export interface HardenedContract {
  name: 'images' | 'stackrox' | 'chutes';
  spec: SpecOperations;
  start(): Promise<HardenedServer>;
  /** Authorization headers: the demo owner, another known user, and one nobody has. */
  credentials: { owner: Record<string, string>; other: Record<string, string>; garbage: Record<string, string> };
  /** The challenge a 401 carries, where the contract sends one. */
  challenge?: RegExp;
  /** The keys of a JSON error body (a stream's error line is checked by streamError). */
  errorKeys: string[];
  /** A request that answers 200 on the demo data, to show the server is still up. */
  health: { path: string; headers: Record<string, string> };
}

const json = async (response: Response) => {
  if (response.status !== 200) throw new Error(`state read answered ${response.status}`);
  return response.json();
};

const IMAGES_OWNER = { authorization: 'Bearer alice-demo-token' };
const IMAGES_OTHER = { authorization: 'Bearer bob-demo-token' };
const STACKROX_ADMIN = { authorization: 'Bearer admin-demo-token' };

export const CONTRACTS: HardenedContract[] = [
  {
    name: 'images',
    spec: new SpecOperations(bundlePathOf('images')),
    async start() {
      const server = await startImages();
      const read = (path: string, headers: Record<string, string> = {}) => server.raw(path, { headers }).then(json);
      return {
        ...server,
        state: async () => ({
          store: stateOf(server.store, server.fixture),
          catalog: await read('/api/v1/images/public?sort_by=alias&sort_order=asc&limit=100'),
          alice: await read('/api/v1/images/user?limit=100', IMAGES_OWNER),
          bob: await read('/api/v1/images/user?limit=100', IMAGES_OTHER),
          aliceSnapshots: await read('/api/v1/containers/507f1f77bcf86cd799439011/snapshots', IMAGES_OWNER),
          bobSnapshots: await read('/api/v1/containers/507f1f77bcf86cd799439012/snapshots', IMAGES_OTHER),
        }),
      };
    },
    credentials: { owner: IMAGES_OWNER, other: IMAGES_OTHER, garbage: { authorization: 'Bearer no-such-token' } },
    challenge: /^Bearer$/,
    errorKeys: ['error', 'message', 'statusCode'],
    health: { path: '/api/v1/images/public?limit=1', headers: {} },
  },
  {
    name: 'stackrox',
    spec: new SpecOperations(bundlePathOf('stackrox')),
    async start() {
      const server = await startStackrox();
      const read = (path: string) => server.raw(path, { headers: STACKROX_ADMIN }).then(json);
      return {
        ...server,
        state: async () => ({
          images: await read('/v1/images?pagination.limit=1000'),
          count: await read('/v1/imagescount'),
          watched: await read('/v1/watchedimages'),
        }),
      };
    },
    credentials: { owner: STACKROX_ADMIN, other: { authorization: 'Bearer noaccess-demo-token' }, garbage: { authorization: 'Bearer no-such-token' } },
    challenge: /Bearer realm="stackrox"/,
    errorKeys: ['code', 'details', 'error', 'message'],
    health: { path: '/v1/imagescount', headers: STACKROX_ADMIN },
  },
  {
    name: 'chutes',
    spec: new SpecOperations(bundlePathOf('chutes')),
    async start() {
      const server = await startChutes();
      const read = (key: string) => server.raw('/images/?limit=100&include_public=true', { headers: { authorization: key } }).then(json);
      return { ...server, state: async () => ({ alice: await read(KEYS.alice), bob: await read(KEYS.bob), carol: await read(KEYS.carol) }) };
    },
    credentials: {
      owner: { authorization: KEYS.alice },
      other: { authorization: KEYS.bob },
      garbage: { authorization: `cpk_${'0'.repeat(32)}.${'0'.repeat(32)}.${'A'.repeat(32)}` },
    },
    errorKeys: ['detail'],
    health: { path: '/images/?limit=1', headers: { authorization: KEYS.alice } },
  },
];

const INTERNALS = /\bat [\w.<>]+ \(|node_modules|\.ts:\d|\.js:\d|express|openapi-validator|ajv|body-parser|SyntaxError|TypeError|stack/i;

/** Problems with an error answer: not a 4xx, not in the contract's error shape, or giving something internal away. */
export function errorProblems(contract: HardenedContract, status: number, contentType: string | null, text: string): string[] {
  const problems: string[] = [];
  if (status < 400 || status >= 500) problems.push(`status ${status} is not a 4xx`);
  if (INTERNALS.test(text)) problems.push(`the body gives something internal away: ${text.slice(0, 200)}`);
  let body: unknown;
  try {
    body = JSON.parse(text.trim());
  } catch {
    return [...problems, `the body is not one JSON value: ${text.slice(0, 200)}`];
  }
  const record = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  // A stream's error is its one error line, {"error": {code, message, details}} (StackRox's NDJSON export).
  const streamed = /ndjson/.test(contentType ?? '') && typeof record.error === 'object' && record.error !== null;
  const keys = Object.keys(streamed ? (record.error as object) : record).sort();
  const expected = streamed ? contract.errorKeys.filter((k) => k !== 'error') : contract.errorKeys;
  if (JSON.stringify(keys) !== JSON.stringify(expected)) problems.push(`error keys ${keys.join(',')} are not ${expected.join(',')}`);
  return problems;
}
