// Every contract's reference implementation on one Express app: each answers its own paths (the first
// contract /api/v1/..., StackRox /v1/..., Chutes /images/...) and lets the others pass, the first
// contract last because its 404 and 405 close the chain. Docs of the other contracts sit under their name.
import { join } from 'node:path';
import express, { type ErrorRequestHandler, type Express } from 'express';
import type { Logger } from 'pino';
import { createApp } from './app.ts';
import { createChutesApp } from './chutes/app.ts';
import { loadDemoFixture as loadChutesFixture } from './chutes/store/fixture.ts';
import { MemoryChutesStore } from './chutes/store/memory-store.ts';
import { fixtureClock } from './clock.ts';
import { docsRoutes } from './http/docs.ts';
import { HttpProblem, sendError } from './http/errors.ts';
import { generatedDir } from './http/spec.ts';
import { createStackroxApp } from './stackrox/app.ts';
import { mountStackrox } from './stackrox/mount.ts';
import { loadDemoFixture as loadStackroxFixture } from './stackrox/store/fixture.ts';
import { MemoryStore as StackroxStore } from './stackrox/store/memory-store.ts';
import { loadDemoFixture } from './store/fixture.ts';
import { MemoryStore } from './store/memory-store.ts';

export interface ReferenceServerOptions {
  logger: Logger;
  /** The control API of every contract (/__control/reset, /__control/stackrox/reset, /__control/chutes/reset). */
  controlApi: boolean;
}

/** The three reference implementations on their demo data, composed on one app. */
export function createReferenceServer({ logger, controlApi }: ReferenceServerOptions): Express {
  const images = loadDemoFixture();
  const stackrox = loadStackroxFixture();
  const chutes = loadChutesFixture();
  const root = express();
  root.disable('x-powered-by');
  for (const name of ['stackrox', 'chutes']) root.use(`/${name}`, docsRoutes(join(generatedDir, name)));
  root.use(mountStackrox(createStackroxApp({ store: new StackroxStore(stackrox), clock: fixtureClock(stackrox.clock), logger, control: controlApi ? { fixture: stackrox } : undefined })));
  root.use(createChutesApp({ store: new MemoryChutesStore(chutes), clock: fixtureClock(chutes.clock), logger, control: controlApi ? { fixture: chutes } : undefined }));
  root.use(createApp({ store: new MemoryStore(images), clock: fixtureClock(images.clock), logger, control: controlApi ? { fixture: images } : undefined }));
  root.use(lastResort(logger));
  return root;
}

/** Only the docs routes above can fail outside a contract's own error handler. */
function lastResort(logger: Logger): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    if (err instanceof HttpProblem) return sendError(res, err.status, err.message);
    logger.error({ err }, 'INTERNAL ERROR outside every contract');
    return sendError(res, 500, 'An unexpected error occurred');
  };
}
