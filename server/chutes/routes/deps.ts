import type { Clock } from '../../shared/clock.ts';
import type { ChutesStore } from '../store/store.ts';

/** What every route file is built from. */
export interface ChutesRouteDeps {
  store: ChutesStore;
  clock: Clock;
  chutesVersion: string;
  /** Time between two looks at the build while streaming its logs (a heartbeat when nothing is new). */
  heartbeatMs: number;
}
