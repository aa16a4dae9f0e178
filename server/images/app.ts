// createApp builds the reference server: no listening, no globals, so tests run many side by side.
import express, { type RequestHandler } from 'express';
import { pino, type Logger } from 'pino';
import type { Clock } from '../shared/clock.ts';
import { bearerAccount, bearerAuth } from './http/auth.ts';
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
   * Validators compiled at start-up, handlers called by operationId on Node's own request and answer,
   * and the answer cache (http/fast/README.md); default true. With false the app is the full chain
   * alone: the Express app with express-openapi-validator, nothing in front of it.
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

/**
 * The contract's request handler: the fast path in front of the Express app (the full chain), or with
 * `fastPath: false` the Express app alone. Either takes Node's request and answer, as http.createServer
 * gives them, or an Express app's, as one mounted in another app.
 */
export function createApp({ store, clock, logger = pino({ level: 'silent' }), control, specPath, docsDir, fastPath = true, answerCache = true }: AppOptions): RequestHandler {
  const spec = bundledSpec(specPath ?? bundlePathOf('images'));
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('case sensitive routing', true); // /api/v1/images/PUBLIC is not a path of the contract
  app.use(docsRoutes(docsDir ?? generatedDirOf('images'), errorShape));
  if (control) app.use(controlRoutes(store, clock, control.fixture));
  const accountOf = bearerAccount(store);
  const routes = imagesRoutes({ store, clock });
  const parseBody = jsonBodyParser();
  const onError = errorHandler({ logger, internalMessages: internalErrorMessages(spec) });
  app.use(validation(spec, bearerAuth(accountOf), parseBody));
  app.use(routes.router);
  app.use(notFoundHandler);
  app.use(onError);
  if (!fastPath) return app;
  const cache = answerCache ? { operations: routes.cachedOperations, version: () => store.version() } : undefined;
  return withFastPath({ spec, accountOf, chain: app, parseBody, onError, ...(cache ? { cache } : {}), handlers: routes.handlers, chainOnly: CHAIN_ONLY }) as RequestHandler;
}
