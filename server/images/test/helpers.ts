// Starts a reference server on port 0 for a test, with a manual clock at the fixture's moment.
import { expect } from 'vitest';
import { createClient } from '../../../generated/images/client.ts';
import { createApp, type AppOptions } from '../app.ts';
import { errorShape } from '../http/errors.ts';
import { onFixture } from '../../shared/contract.ts';
import { startContract, type StartedContract } from '../../../test/helpers/start-contract.ts';
import { manualClock, type ManualClock } from '../../shared/clock.ts';
import { loadDemoFixture, type Fixture } from '../store/fixture.ts';
import { MemoryStore } from '../store/memory-store.ts';
import type { Store } from '../store/store.ts';

export const ALICE = { id: '507f1f77bcf86cd799439001', token: 'alice-demo-token' };
export const BOB = { id: '507f1f77bcf86cd799439002', token: 'bob-demo-token' };
export const ALICE_CONTAINER = '507f1f77bcf86cd799439011';
export const BOB_CONTAINER = '507f1f77bcf86cd799439012';
/** alice's second container, at its limit of 2 live snapshots. */
export const SMALL_CONTAINER = '507f1f77bcf86cd799439013';

export interface TestServer extends StartedContract {
  clock: ManualClock;
  store: Store;
  fixture: Fixture;
  alice: ReturnType<typeof createClient>;
  bob: ReturnType<typeof createClient>;
  anonymous: ReturnType<typeof createClient>;
}

export async function startServer(options: { fixture?: Fixture; store?: Store } & Partial<Pick<AppOptions, 'logger' | 'docsDir' | 'fastPath'>> = {}): Promise<TestServer> {
  const fixture = options.fixture ?? loadDemoFixture();
  const clock = manualClock(fixture.clock);
  const store = options.store ?? new MemoryStore(fixture);
  const started = await startContract({
    name: 'images',
    errorShape,
    mount: () => onFixture(createApp({ store, clock, control: { fixture }, logger: options.logger, docsDir: options.docsDir, fastPath: options.fastPath }), store, clock, fixture),
  });
  const { baseUrl } = started;
  return {
    ...started,
    clock,
    store,
    fixture,
    alice: createClient({ baseUrl, token: ALICE.token }),
    bob: createClient({ baseUrl, token: BOB.token }),
    anonymous: createClient({ baseUrl }),
  };
}

/** Everything a request could change, to prove a rejected one changed nothing. */
export function stateOf(store: Store, fixture: Fixture) {
  return structuredClone({
    accounts: fixture.users.map((u) => ({
      account: store.account(u.id),
      acquisitions: store.acquisitions(u.id),
      ratings: fixture.images.map((i) => store.userRating(u.id, i.id)),
    })),
    totals: fixture.images.map((i) => store.ratingTotals(i.id)),
    snapshots: fixture.containers.map((c) => store.snapshots(c.id)),
  });
}

/** The error body every failure must have. */
export const errorBody = (statusCode: number, message: string | RegExp) => ({
  statusCode,
  error: expectReason(statusCode),
  message: typeof message === 'string' ? message : expectMatching(message),
});

const expectReason = (status: number) =>
  ({ 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict', 413: 'Payload Too Large', 415: 'Unsupported Media Type', 500: 'Internal Server Error' })[status] ?? 'unknown';
const expectMatching = (re: RegExp) => expect.stringMatching(re);
