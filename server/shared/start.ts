// Starts contracts on one port: reads the environment, listens, logs the start line once it listens,
// shuts down on SIGINT/SIGTERM. Every entry point (server/main.ts, server/<contract>/main.ts) is a call.
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import { pino, type Logger } from 'pino';
import { answerClientErrors } from './client-errors.ts';
import { ConfigError, readConfig, type ServerConfig } from './config.ts';
import type { ReferenceContract } from './contract.ts';
import { randomUUID } from 'node:crypto';
import { ownsPath } from './contract.ts';
import { corsForBundles } from './cors.ts';
import { bundledSpec, bundlePathOf } from './spec.ts';
import { pathOf, sendShapedError } from './errors.ts';
import { frontDoor, type BodyRate, type FrontStep } from './front-door.ts';

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

/** The composed contracts: a Node request listener, with Express's `listen` for the entry points and tests. */
export type ComposedApp = ((req: IncomingMessage, res: ServerResponse) => void) & {
  listen(port?: number, host?: string, callback?: () => void): Server;
};

const CONTROL_RESET = /^\/__control\/reset\/?$/i;

/**
 * The contracts on one listener: the front door's steps on Node's request and answer, then the one
 * contract that owns the path gets them as its Express app would (a root Express app around the
 * contracts' own cost a second app.handle and router walk per request: about a tenth of a read's CPU).
 * A path none owns is a 404 in the first contract's error shape, which also answers what fails outside
 * every contract. POST /__control/reset (with the control API on) resets every contract served.
 */
export function composeContracts(contracts: readonly ReferenceContract[], options: ComposedOptions): ComposedApp {
  const first = contracts[0];
  if (!first) throw new Error('composeContracts needs at least one contract');
  const mounted = contracts.map((c) => c.mount(options));
  const { log, guard } = frontDoor({ contracts, logger: options.logger, ids: options.ids ?? randomUUID, ...(options.bodyRate ? { bodyRate: options.bodyRate } : {}) });
  // CORS between the log and the guard, so that a page can read the guard's refusals too. Each
  // contract's bundle says which response headers a page may read; a contract without one adds none.
  const cors: FrontStep | undefined = options.cors ? corsForBundles(contracts.map((c) => bundlePathOf(c.name)).filter((path) => existsSync(path)).map((path) => bundledSpec(path))) : undefined;
  const notFound = (req: IncomingMessage, res: ServerResponse, path: string) => sendShapedError(res, first.errorShape, 404, `No operation at ${req.method} ${path.slice(0, 200)}`);
  // Only what fails outside every contract's own error handler reaches this.
  const lastResort = (err: unknown, res: ServerResponse) => {
    options.logger.error({ err }, 'INTERNAL ERROR outside every contract');
    if (res.headersSent) res.destroy();
    else sendShapedError(res, first.errorShape, 500, 'An unexpected error occurred');
  };

  const composed = function composedContracts(req: IncomingMessage, res: ServerResponse): void {
    try {
      // The path and its owner, read once for every step (the guard's `+` rewrite touches only the query).
      const path = pathOf(req.url ?? '/');
      const index = contracts.findIndex((c) => ownsPath(c.prefixes, path));
      const owner = contracts[index];
      if (log(req, res, path, owner) || cors?.(req, res, path, owner) || guard(req, res, path, owner)) return;
      if (options.controlApi && req.method === 'POST' && CONTROL_RESET.test(path)) {
        for (const m of mounted) m.reset();
        res.statusCode = 204;
        res.end();
        return;
      }
      if (index < 0) return notFound(req, res, path);
      // The contract's Express app takes Node's objects as any app given to http.createServer does.
      (mounted[index]!.app as RequestHandler)(req as Request, res as Response, (err?: unknown) => (err ? lastResort(err, res) : notFound(req, res, path)));
    } catch (err) {
      lastResort(err, res);
    }
  };
  return Object.assign(composed, {
    listen: (port = 0, host?: string, callback?: () => void): Server => {
      const server = createServer(composed);
      return host === undefined ? server.listen(port, callback) : server.listen(port, host, callback);
    },
  });
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
