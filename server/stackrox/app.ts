// createStackroxApp builds the reference server of the StackRox Image Service contract: no listening,
// no globals, so tests run many side by side and the lead can mount it beside other contracts.
import express, { type Express, type RequestHandler } from 'express';
import { pino, type Logger } from 'pino';
import type { Clock } from '../shared/clock.ts';
import { docsRoutes } from '../shared/docs.ts';
import { bundledSpec, bundlePathOf, generatedDirOf } from '../shared/spec.ts';
import { controlRoutes } from './http/control.ts';
import { errorHandler, errorShape, notFoundHandler } from './http/errors.ts';
import { prettyJson } from './http/pretty.ts';
import { validation } from './http/validation.ts';
import { exportRoutes } from './routes/export.ts';
import { imagesRoutes } from './routes/images.ts';
import { watchedImagesRoutes } from './routes/watched-images.ts';
import { demoCredentials, type Credentials, type Fixture } from './store/fixture.ts';
import type { Store } from './store/store.ts';

export const STACKROX_SPEC_PATH = bundlePathOf('stackrox');

export interface StackroxAppOptions {
  store: Store;
  clock: Clock;
  /** Defaults to a silent logger. */
  logger?: Logger;
  /** API tokens and the admin password; defaults to the demo ones. */
  credentials?: Credentials;
  /** Turns the control API on: POST /__control/stackrox/reset restores this fixture. */
  control?: { fixture: Fixture };
}

const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store, no-cache'); // every /v1 answer, errors included
  next();
};

export function createStackroxApp({ store, clock, logger = pino({ level: 'silent' }), credentials = demoCredentials(), control }: StackroxAppOptions): Express {
  const spec = bundledSpec(STACKROX_SPEC_PATH);
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use('/stackrox', docsRoutes(generatedDirOf('stackrox'), errorShape));
  app.use(noStore);
  if (control) app.use(controlRoutes(store, clock, control.fixture));
  app.use(prettyJson);
  app.use(validation(spec, credentials));
  const deps = { store, clock };
  app.use(imagesRoutes(deps), exportRoutes({ ...deps, logger }), watchedImagesRoutes(deps));
  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
