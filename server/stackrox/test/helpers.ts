// Starts a StackRox reference server on port 0 for a test, with a manual clock at the fixture's moment,
// and typed clients for each demo role.
import { createClient } from '../../../generated/stackrox/client.ts';
import { manualClock, type ManualClock } from '../../shared/clock.ts';
import { onFixture } from '../../shared/contract.ts';
import { startContract, type StartedContract } from '../../../test/helpers/start-contract.ts';
import { createStackroxApp } from '../app.ts';
import { errorShape } from '../http/errors.ts';
import { loadDemoFixture, type Fixture } from '../store/fixture.ts';
import { MemoryStore } from '../store/memory-store.ts';
import type { Store } from '../store/store.ts';

export const TOKENS = { admin: 'admin-demo-token', analyst: 'analyst-demo-token', noaccess: 'noaccess-demo-token' } as const;
export const BASIC = { username: 'admin', password: 'stackrox-demo-password' };

export interface TestServer extends StartedContract {
  clock: ManualClock;
  store: Store;
  fixture: Fixture;
  admin: ReturnType<typeof createClient>;
  analyst: ReturnType<typeof createClient>;
  noaccess: ReturnType<typeof createClient>;
  anonymous: ReturnType<typeof createClient>;
}

export async function startServer(options: { store?: Store; fixture?: Fixture } = {}): Promise<TestServer> {
  const fixture = options.fixture ?? loadDemoFixture();
  const clock = manualClock(fixture.clock);
  const store = options.store ?? new MemoryStore(fixture);
  const started = await startContract({
    name: 'stackrox',
    errorShape,
    mount: () => onFixture(createStackroxApp({ store, clock, control: { fixture } }), store, clock, fixture),
  });
  const { baseUrl } = started;
  return {
    ...started,
    clock,
    store,
    fixture,
    admin: createClient({ baseUrl, token: TOKENS.admin }),
    analyst: createClient({ baseUrl, token: TOKENS.analyst }),
    noaccess: createClient({ baseUrl, token: TOKENS.noaccess }),
    anonymous: createClient({ baseUrl }),
  };
}

/** The ExtendedRpcStatus every JSON error must be. */
export const rpcError = (code: number, message: string) => ({ code, message, details: [], error: message });

/** Ids of the fixture images by full name. */
export function idOf(fixture: Fixture, fullName: string): string {
  const record = fixture.images.find((r) => r.image.name.fullName === fullName);
  if (!record) throw new Error(`no fixture image ${fullName}`);
  return record.image.id;
}
