import type { Clock } from '../../shared/clock.ts';
import type { Store } from '../store/store.ts';

/** What every route file is built from. */
export interface RouteDeps {
  store: Store;
  clock: Clock;
  chutesVersion: string;
  /** Time between two looks at the build while streaming its logs (a heartbeat when nothing is new). */
  heartbeatMs: number;
}
