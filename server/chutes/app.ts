// createChutesApp builds the reference server of the Chutes Images contract (spec/chutes/). It only
// answers /images... and its control route; every other request passes through (next()), so the
// composed server can mount it beside the other contracts' apps.
import express, { Router, type Express } from 'express';
import { pino, type Logger } from 'pino';
import type { Clock } from '../shared/clock.ts';
import { docsRoutes } from '../shared/docs.ts';
import { bundledSpec, bundlePathOf, generatedDirOf } from '../shared/spec.ts';
import { checkCreateForm, MAX_DOCKERFILE_INSTRUCTIONS, type FormLimits, type ParsedForm } from './domain/form.ts';
import { strictQueryNumbers } from '../shared/strict-query.ts';
import { authenticate, authenticateHeaders } from './http/auth.ts';
import { controlRoutes } from './http/control.ts';
import { errorHandler, errorShape, notFoundHandler } from './http/errors.ts';
import { DEFAULT_LIMITS, readMultipart, type MultipartLimits } from './http/multipart.ts';
import { checkForms, encodeRawSlash, formPatternsOf, redirectToSlash, validation } from './http/validation.ts';
import type { RouteDeps } from './routes/deps.ts';
import { imagesRoutes } from './routes/images.ts';
import { logsRoutes } from './routes/logs.ts';
import type { Fixture } from './store/fixture.ts';
import type { Store } from './store/store.ts';

const chutesSpecPath = bundlePathOf('chutes');
export const DEMO_JWT_SECRET = 'chutes-demo-jwt-secret';

export interface ChutesAppOptions {
  store: Store;
  clock: Clock;
  /** Defaults to a silent logger. */
  logger?: Logger;
  /** Turns POST /__control/chutes/reset on: it restores this fixture. */
  control?: { fixture: Fixture };
  /** Verifies "Bearer <JWT>" tokens (HS256). */
  jwtSecret?: string;
  /** Body and form limits; the defaults are the contract's. */
  limits?: Partial<MultipartLimits & FormLimits>;
  /** Between two looks at a running build while streaming its logs; 1000 as in the service. */
  heartbeatMs?: number;
  chutesVersion?: string;
  /** The bundled contract; defaults to generated/chutes/openapi.json. */
  specPath?: string;
}

const isChutesPath = (path: string) => path === '/images' || path.startsWith('/images/');

export function createChutesApp(options: ChutesAppOptions): Express {
  const { store, clock, logger = pino({ level: 'silent' }), control, jwtSecret = DEMO_JWT_SECRET, heartbeatMs = 1000, chutesVersion = '0.3.61' } = options;
  const limits = { ...DEFAULT_LIMITS, dockerfileInstructions: MAX_DOCKERFILE_INSTRUCTIONS, ...options.limits };
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use('/chutes', docsRoutes(generatedDirOf('chutes'), errorShape));
  if (control) app.use(controlRoutes(store, clock, control.fixture));

  const spec = bundledSpec(options.specPath ?? chutesSpecPath);
  const formRules = { patterns: formPatternsOf(spec, 'CreateImageForm'), buildContextBytes: limits.buildContextBytes, dockerfileInstructions: limits.dockerfileInstructions };
  const api = Router();
  const deps: RouteDeps = { store, clock, chutesVersion, heartbeatMs };
  api.use(redirectToSlash, encodeRawSlash);
  api.use(
    validation(spec, [
      authenticateHeaders({ store, clock, jwtSecret }),
      strictQueryNumbers(spec),
      readMultipart(limits),
      authenticate({ store, clock, jwtSecret }),
      checkForms({
        createImage: (form) => {
          const checked = checkCreateForm(form as ParsedForm, formRules);
          return Array.isArray(checked) ? checked : { body: { ...checked, build_context: '' }, value: checked };
        },
      }),
    ]),
  );
  api.use(imagesRoutes(deps), logsRoutes(deps));
  api.use(notFoundHandler);
  api.use(errorHandler(logger));
  app.use((req, res, next) => (isChutesPath(req.path) ? api(req, res, next) : next()));
  return app;
}
