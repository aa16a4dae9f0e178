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
import { operationHandlers } from './http/fast/operation-handlers.ts';
import { imageActionsRoutes } from './routes/image-actions.ts';
import { publicImagesRoutes } from './routes/public-images.ts';
import { snapshotsRoutes } from './routes/snapshots.ts';
import { userImagesRoutes } from './routes/user-images.ts';
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
   * Keep validated catalog answers as bytes until the store changes (default true). The operations
   * listed in app.ts depend on the URL, the caller and the store only, never on the clock.
   */
  answerCache?: boolean;
}

export function createApp({ store, clock, logger = pino({ level: 'silent' }), control, specPath, docsDir, answerCache = true }: AppOptions): Express {
  const spec = bundledSpec(specPath ?? bundlePathOf('images'));
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('case sensitive routing', true); // /api/v1/images/PUBLIC is not a path of the contract
  app.use(docsRoutes(docsDir ?? generatedDirOf('images'), errorShape));
  if (control) app.use(controlRoutes(store, clock, control.fixture));
  const authenticate = bearerAuth(store);
  const cache = answerCache ? { operations: new Set(['listPublicImages', 'getPublicImage', 'listUserImages']), version: () => store.version() } : undefined;
  const deps = { store, clock };
  const routers = [publicImagesRoutes(deps), userImagesRoutes(deps), imageActionsRoutes(deps), snapshotsRoutes(deps)];
  const parseBody = jsonBodyParser();
  const chain = validation(spec, authenticate, parseBody);
  app.use(withFastPath(app, { spec, authenticate, chain, parseBody, ...(cache ? { cache } : {}), handlers: operationHandlers(routers) }));
  app.use(...routers);
  app.use(notFoundHandler);
  app.use(errorHandler({ logger, internalMessages: internalErrorMessages(spec) }));
  return app;
}
