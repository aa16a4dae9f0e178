// What a contract of the reference server gives the composed server and its own entry point. Each
// server/<contract>/contract.ts exports one; server/contracts.ts lists them. server/README.md
// "Adding a contract" says how a new one is built.
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { Clock } from './clock.ts';
import type { ErrorShape } from './errors.ts';

export interface ContractOptions {
  logger: Logger;
  /** Mounts the contract's control routes (POST /__control/<name>/reset and its own extras). */
  controlApi: boolean;
  /** Keep validated answers as bytes until the next write, where the contract has such a cache. */
  answerCache?: boolean;
}

export interface MountedContract {
  /** The contract's app; the composed server hands it only the paths under the contract's prefixes. */
  app: RequestHandler;
  /** Puts the demo data and the clock back as at start-up. */
  reset(): void;
}

export interface ReferenceContract {
  /** The folder name under spec/, generated/, server/ and test/. */
  name: string;
  /** One human line: the title and the demo credentials, for the start line. */
  describe(url: string): string;
  /** The contract's error body, for what fails outside its own app (malformed HTTP, the last resort). */
  errorShape: ErrorShape;
  /** Where it listens when started alone (server/<name>/main.ts). */
  defaultPort: number;
  /** The paths it owns (its API, its docs under /<name>/ or /docs, its /__control/<name>/ routes). */
  prefixes: readonly string[];
  /** A declared Content-Length above this is refused with 413 before a byte of the body is read. */
  maxBodyBytes: number;
  /** True when an operation takes a deepObject query parameter (keys such as filter[name]); else a bracketed key is a 400. */
  bracketedQueryKeys?: boolean;
  /** The contract on its demo data. */
  mount(options: ContractOptions): MountedContract;
}

/** True when `path` is under one of the prefixes ('/images' owns /images and /images/..., '/v1/' owns /v1/...). */
export function ownsPath(prefixes: readonly string[], path: string): boolean {
  for (const prefix of prefixes) {
    if (prefix.endsWith('/') ? path.startsWith(prefix) : path === prefix || path.startsWith(`${prefix}/`)) return true;
  }
  return false;
}

/** A contract's app behind its path prefixes: requests elsewhere pass on untouched (app.use(prefix, app) would strip the prefix its routes and validator expect). */
export function ownPathsOnly(prefixes: readonly string[], app: RequestHandler): RequestHandler {
  return function ownPathsOnly(req, res, next) {
    if (ownsPath(prefixes, req.path)) return app(req, res, next);
    next();
  };
}

/** A contract's app on its demo fixture: reset() loads the fixture into the store and puts the clock back. */
export function onFixture<F extends { clock: string }>(app: RequestHandler, store: { load(fixture: F): void }, clock: Clock, fixture: F): MountedContract {
  return {
    app,
    reset() {
      store.load(fixture);
      clock.reset(fixture.clock);
    },
  };
}
