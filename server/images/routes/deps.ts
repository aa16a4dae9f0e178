import type { operations } from '../../../generated/images/schema.d.ts';
import type { Clock } from '../../shared/clock.ts';
import type { OperationRoutes } from '../http/fast/operation-handlers.ts';
import type { Store } from '../store/store.ts';

/** What every route is built from. */
export interface RouteDeps {
  store: Store;
  clock: Clock;
}

/** Where each route file registers its operations, by operationId (a name the contract lacks fails tsc). */
export type ImagesRoutes = OperationRoutes<keyof operations, RouteDeps>;
