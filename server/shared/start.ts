// Starts contracts on one port: reads the environment, listens, logs the start line once it listens,
// shuts down on SIGINT/SIGTERM. Every entry point (server/main.ts, server/<contract>/main.ts) is a call.
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { pino, type Logger } from 'pino';
import { answerClientErrors } from './client-errors.ts';
import { ConfigError, readConfig, type ServerConfig } from './config.ts';
import type { ReferenceContract } from './contract.ts';
import { randomUUID } from 'node:crypto';
import { ownPathsOnly } from './contract.ts';
import { corsForBundles } from './cors.ts';
import { bundledSpec, bundlePathOf } from './spec.ts';
import { sendShapedError, type ErrorShape } from './errors.ts';
import { frontDoor, type BodyRate } from './front-door.ts';

export interface ComposedOptions {
  logger: Logger;
  controlApi: boolean;
  answerCache?: boolean;
  /** Request ids (X-Request-Id and the access log); random UUIDs by default. */
  ids?: () => string;
  /** The minimum rate a request body must arrive at (front-door.ts). */
  bodyRate?: BodyRate;
  /** Answer preflights and let pages on other origins read the answers (default off). */
  cors?: boolean;
}

/**
 * The contracts on one app: each answers its own paths and lets the others pass; a path none owns is a
 * 404 in the first contract's error shape, which also answers what fails outside every contract.
 * POST /__control/reset (with the control API on) resets every contract served.
 */
export function composeContracts(contracts: readonly ReferenceContract[], options: ComposedOptions): Express {
  const first = contracts[0];
  if (!first) throw new Error('composeContracts needs at least one contract');
  const mounted = contracts.map((c) => c.mount(options));
  const root = express();
  root.disable('x-powered-by');
  const [requestLog, ...guards] = frontDoor({ contracts, logger: options.logger, ids: options.ids ?? randomUUID, ...(options.bodyRate ? { bodyRate: options.bodyRate } : {}) });
  root.use(requestLog!);
  if (options.cors) {
    // Before the front door's refusals, so that a page can read those too. Each contract's bundle says
    // which response headers a page may read; a contract without one adds none.
    const bundles = contracts.map((c) => bundlePathOf(c.name)).filter((path) => existsSync(path));
    root.use(corsForBundles(bundles.map((path) => bundledSpec(path))));
  }
  root.use(...guards);
  if (options.controlApi) {
    root.post('/__control/reset', function resetEveryContract(_req, res) {
      for (const m of mounted) m.reset();
      res.status(204).end();
    });
  }
  mounted.forEach((m, i) => root.use(ownPathsOnly(contracts[i]!.prefixes, m.app)));
  root.use(function noContractOwnsThis(req, res) {
    sendShapedError(res, first.errorShape, 404, `No operation at ${req.method} ${req.path.slice(0, 200)}`);
  });
  root.use(lastResort(options.logger, first.errorShape));
  return root;
}

/** Only what fails outside every contract's own error handler reaches this. */
function lastResort(logger: Logger, shape: ErrorShape): ErrorRequestHandler {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- Express tells error handlers apart by their four parameters
  return (err, _req, res, _next) => {
    logger.error({ err }, 'INTERNAL ERROR outside every contract');
    if (res.headersSent) return res.destroy();
    return sendShapedError(res, shape, 500, 'An unexpected error occurred');
  };
}

/** Listens on PORT/HOST (default port: the first contract's), logs one start line, handles signals. */
export function startContracts(contracts: readonly ReferenceContract[], env: NodeJS.ProcessEnv = process.env): Server | undefined {
  let config: ServerConfig;
  try {
    config = readConfig(env, contracts[0]?.defaultPort ?? 3000);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`server: ${err.message}\n`);
    process.exitCode = 2;
    return undefined;
  }
  const logger = pino({ level: config.logLevel });
  const app = composeContracts(contracts, { logger, controlApi: config.controlApi, cors: config.cors });
  const server = app.listen(config.port, config.host);
  // Bounds on a request's arrival (the front door adds a minimum body rate): documented in server/README.md.
  server.headersTimeout = 10_000;
  server.requestTimeout = 60_000;
  answerClientErrors(server, contracts[0]!.errorShape);
  server.once('listening', () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    logger.info({ url, contracts: contracts.map((c) => c.name), controlApi: config.controlApi, cors: config.cors }, contracts.map((c) => c.describe(url)).join(' - '));
  });
  server.once('error', (err: NodeJS.ErrnoException) => {
    const reason = err.code === 'EADDRINUSE' ? `port ${config.port} on ${config.host} is in use (set PORT)` : err.code === 'EACCES' ? `no permission to listen on ${config.host}:${config.port}` : err.message;
    process.stderr.write(`server: cannot listen: ${reason}\n`);
    process.exit(2);
  });
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(1), 10_000).unref(); // connections that will not close do not keep us up
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  return server;
}
