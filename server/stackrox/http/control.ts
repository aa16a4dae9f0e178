// The control API, outside the contract: tests and the conformance suite put the demo data back between
// cases. Registered before the validator, so the contract never sees it.
import { Router } from 'express';
import type { Clock } from '../../shared/clock.ts';
import type { Fixture } from '../store/fixture.ts';
import type { Store } from '../store/store.ts';

export const RESET_PATH = '/__control/stackrox/reset';

export function controlRoutes(store: Store, clock: Clock, fixture: Fixture): Router {
  const router = Router();
  /** Restores the fixture and the clock's starting moment. */
  router.post(RESET_PATH, function resetState(_req, res) {
    store.load(fixture);
    clock.reset(fixture.clock);
    res.status(204).end();
  });
  return router;
}
