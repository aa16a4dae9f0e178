// What a contract of the reference server gives the composed server and its own entry point. Each
// server/<contract>/contract.ts exports one; server/contracts.ts lists them. server/README.md
// "Adding a contract" says how a new one is built.
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { ErrorShape } from './errors.ts';

export interface ContractOptions {
  logger: Logger;
  /** Mounts the contract's control routes (POST /__control/<name>/reset and its own extras). */
  controlApi: boolean;
  /** Keep validated answers as bytes until the next write, where the contract has such a cache. */
  answerCache?: boolean;
}

export interface MountedContract {
  /** Answers the contract's own paths (its docs included) and passes every other request on with next(). */
  handler: RequestHandler;
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
  /** The contract on its demo data. */
  mount(options: ContractOptions): MountedContract;
}

/** A contract's app behind its path prefixes: requests elsewhere pass on untouched (app.use(prefix, app) would strip the prefix its routes and validator expect). */
export function ownPathsOnly(prefixes: readonly string[], app: RequestHandler): RequestHandler {
  return function ownPathsOnly(req, res, next) {
    const path = req.path;
    for (const prefix of prefixes) if (path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`) || (prefix.endsWith('/') && path === prefix.slice(0, -1))) return app(req, res, next);
    next();
  };
}
