// The control API, outside the contract: POST /__control/chutes/reset restores the fixture and its
// clock, so tests and the conformance suite start every case from the same state.
import { Router } from 'express';
import type { Clock } from '../../shared/clock.ts';
import type { ChutesFixture } from '../store/fixture.ts';
import type { ChutesStore } from '../store/store.ts';

export const CONTROL_RESET = '/__control/chutes/reset';

export function controlRoutes(store: ChutesStore, clock: Clock, fixture: ChutesFixture): Router {
  const router = Router();
  router.post(CONTROL_RESET, function resetChutes(_req, res) {
    store.load(fixture);
    clock.reset(fixture.clock);
    res.status(204).end();
  });
  return router;
}
