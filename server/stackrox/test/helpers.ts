// Starts a StackRox reference server on port 0 for a test, with a manual clock at the fixture's moment,
// and typed clients for each demo role.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient } from '../../../generated/stackrox/client.ts';
import { manualClock, type ManualClock } from '../../clock.ts';
import { createStackroxApp } from '../app.ts';
import { loadDemoFixture, type Fixture } from '../store/fixture.ts';
import { MemoryStore } from '../store/memory-store.ts';
import type { Store } from '../store/store.ts';

export const TOKENS = { admin: 'admin-demo-token', analyst: 'analyst-demo-token', noaccess: 'noaccess-demo-token' } as const;
export const BASIC = { username: 'admin', password: 'stackrox-demo-password' };

export interface TestServer {
  baseUrl: string;
  clock: ManualClock;
  store: Store;
  fixture: Fixture;
  admin: ReturnType<typeof createClient>;
  analyst: ReturnType<typeof createClient>;
  noaccess: ReturnType<typeof createClient>;
  anonymous: ReturnType<typeof createClient>;
  /** Plain fetch, for requests the typed client cannot send. */
  raw(path: string, init?: RequestInit): Promise<Response>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function startServer(options: { store?: Store; fixture?: Fixture } = {}): Promise<TestServer> {
  const fixture = options.fixture ?? loadDemoFixture();
  const clock = manualClock(fixture.clock);
  const store = options.store ?? new MemoryStore(fixture);
  const app = createStackroxApp({ store, clock, control: { fixture } });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    clock,
    store,
    fixture,
    admin: createClient({ baseUrl, token: TOKENS.admin }),
    analyst: createClient({ baseUrl, token: TOKENS.analyst }),
    noaccess: createClient({ baseUrl, token: TOKENS.noaccess }),
    anonymous: createClient({ baseUrl }),
    raw: (path, init) => fetch(`${baseUrl}${path}`, init),
    reset: async () => {
      const res = await fetch(`${baseUrl}/__control/stackrox/reset`, { method: 'POST' });
      if (res.status !== 204) throw new Error(`reset answered ${res.status}`);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
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
