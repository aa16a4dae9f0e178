// The control API, outside the contract: POST /__control/chutes/reset restores the fixture and its
// clock, so tests and the conformance suite start every case from the same state.
import { Router } from 'express';
import type { Clock } from '../../shared/clock.ts';
import type { Fixture } from '../store/fixture.ts';
import type { Store } from '../store/store.ts';

const CONTROL_RESET = '/__control/chutes/reset';

export function controlRoutes(store: Store, clock: Clock, fixture: Fixture): Router {
  const router = Router();
  router.post(CONTROL_RESET, function resetChutes(_req, res) {
    store.load(fixture);
    clock.reset(fixture.clock);
    res.status(204).end();
  });
  return router;
}
