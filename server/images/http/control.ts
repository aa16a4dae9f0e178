// The control API, outside the contract: tests and the conformance suite put the state back to a
// known fixture between cases. Registered before the validator, so the contract never sees it.
import express, { Router } from 'express';
import type { Clock } from '../../shared/clock.ts';
import { parseFixture, type Fixture } from '../store/fixture.ts';
import type { Store } from '../store/store.ts';
import { HttpProblem } from './errors.ts';

export const CONTROL_PREFIX = '/__control/images';

export function controlRoutes(store: Store, clock: Clock, initial: Fixture): Router {
  let current = initial;
  const router = Router();
  const load = (fixture: Fixture) => {
    store.load(fixture);
    clock.reset(fixture.clock);
    current = fixture;
  };

  /** Restores the last loaded fixture (the demo data unless another was loaded) and its clock. */
  router.post(`${CONTROL_PREFIX}/reset`, function resetState(_req, res) {
    load(current);
    res.status(204).end();
  });

  /** Loads a fixture of the demo.json format; 400 says which part is wrong. */
  router.post(`${CONTROL_PREFIX}/fixture`, express.json({ limit: '100mb' }), function loadFixture(req, res) {
    let fixture: Fixture;
    try {
      fixture = parseFixture(req.body);
    } catch (error) {
      throw new HttpProblem(400, `Invalid fixture: ${(error as Error).message}`);
    }
    load(fixture);
    res.status(204).end();
  });

  return router;
}
