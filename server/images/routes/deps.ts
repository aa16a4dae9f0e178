import type { Clock } from '../../shared/clock.ts';
import type { Store } from '../store/store.ts';

/** What every route file is built from. */
export interface RouteDeps {
  store: Store;
  clock: Clock;
}
