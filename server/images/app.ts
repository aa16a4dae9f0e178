// createApp builds the reference server: no listening, no globals, so tests run many side by side.
import express, { type Express } from 'express';
import { pino, type Logger } from 'pino';
import type { Clock } from '../shared/clock.ts';
import { bearerAuth } from './http/auth.ts';
import { controlRoutes } from './http/control.ts';
import { docsRoutes } from '../shared/docs.ts';
import { errorHandler, errorShape, notFoundHandler } from './http/errors.ts';
import { bundledSpec, bundlePathOf, generatedDirOf, internalErrorMessages } from '../shared/spec.ts';
import { jsonBodyParser, validation } from './http/validation.ts';
import { withFastPath } from './http/fast/fast-path.ts';
import { OperationRoutes } from './http/fast/operation-handlers.ts';
import { imageActionsRoutes } from './routes/image-actions.ts';
import { publicImagesRoutes } from './routes/public-images.ts';
import { snapshotsRoutes } from './routes/snapshots.ts';
import { userImagesRoutes } from './routes/user-images.ts';
import type { ImagesRoutes, RouteDeps } from './routes/deps.ts';
import type { Fixture } from './store/fixture.ts';
import type { Store } from './store/store.ts';

export interface AppOptions {
  store: Store;
  clock: Clock;
  /** Defaults to a silent logger. */
  logger?: Logger;
  /** Turns the control API on: reset restores this fixture. */
  control?: { fixture: Fixture };
  /** The bundled contract; defaults to generated/images/openapi.json. */
  specPath?: string;
  /** Where docs.html, openapi.json and openapi.yaml are served from; defaults to generated/images/. */
  docsDir?: string;
  /**
   * Validators compiled at start-up, handlers called by operationId, and the answer cache
   * (http/fast/README.md); default true. With false the app is the full chain alone: Express and
   * express-openapi-validator as they come, nothing of them patched.
   */
  fastPath?: boolean;
  /**
   * With the fast path: keep validated answers of the operations registered with addCached (built
   * without the clock) as bytes until the store changes (default true).
   */
  answerCache?: boolean;
}

/** The operations the fast path leaves to the full chain on purpose, and why (a test reads this). */
export const CHAIN_ONLY: ReadonlyMap<string, string> = new Map([
  ['getImageIcon', 'answers image/png, not JSON'],
  ['createSnapshot', 'its body is optional, and an absent one is the chain\'s to read'],
]);

/** Every operation of the contract, registered by operationId. */
export function imagesRoutes(deps: RouteDeps): ImagesRoutes {
  const routes: ImagesRoutes = new OperationRoutes(deps);
  publicImagesRoutes(routes);
  userImagesRoutes(routes);
  imageActionsRoutes(routes);
  snapshotsRoutes(routes);
  return routes;
}

export function createApp({ store, clock, logger = pino({ level: 'silent' }), control, specPath, docsDir, fastPath = true, answerCache = true }: AppOptions): Express {
  const spec = bundledSpec(specPath ?? bundlePathOf('images'));
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('case sensitive routing', true); // /api/v1/images/PUBLIC is not a path of the contract
  app.use(docsRoutes(docsDir ?? generatedDirOf('images'), errorShape));
  if (control) app.use(controlRoutes(store, clock, control.fixture));
  const authenticate = bearerAuth(store);
  const routes = imagesRoutes({ store, clock });
  const parseBody = jsonBodyParser();
  const chain = validation(spec, authenticate, parseBody);
  if (fastPath) {
    const cache = answerCache ? { operations: routes.cachedOperations, version: () => store.version() } : undefined;
    app.use(withFastPath(app, { spec, authenticate, chain, parseBody, ...(cache ? { cache } : {}), handlers: routes.handlers, chainOnly: CHAIN_ONLY }));
  } else {
    app.use(...chain);
  }
  app.use(routes.router);
  app.use(notFoundHandler);
  app.use(errorHandler({ logger, internalMessages: internalErrorMessages(spec) }));
  return app;
}
