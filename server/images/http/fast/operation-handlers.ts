// The routes of a contract, each registered under its operationId: Express routes a request to it by
// method and path (the full chain), the fast path calls it by operationId (about a twentieth of a list
// request saved against walking every router's route list again). The name is given, not read from
// the handler function, so renaming a function cannot take an operation off the fast path unnoticed.
import { Router, type RequestHandler } from 'express';
// @types/express's own module (its dependency): the route parameters a path literal names.
import type { RouteParameters } from 'express-serve-static-core';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface OperationHandler {
  operationId: string;
  /** `GET`, as req.method has it. */
  method: string;
  /** The route's express path (`/api/v1/images/public/:id`). */
  path: string;
  handle: RequestHandler;
}

/** The deps a cached operation is built from: everything but the clock. */
export type WithoutClock<Deps> = Omit<Deps, 'clock'>;

/**
 * One router for every operation of a contract, and its handlers by operationId.
 * `add` builds a handler from the full deps; `addCached` from the deps without the clock (tsc refuses
 * `deps.clock` there, and reading it at run time throws), so a cached operation's answer is a function
 * of the URL, the caller and the store alone: that is what lets the answer cache keep it.
 */
export class OperationRoutes<Id extends string, Deps extends { clock: unknown }> {
  readonly router = Router({ caseSensitive: true });
  private readonly byId = new Map<string, OperationHandler>();
  private readonly cached = new Set<string>();

  constructor(private readonly deps: Deps) {}

  /** An operation that may read the clock; its answer is never kept. */
  add<Path extends string, Body = unknown>(operationId: Id, method: Method, path: Path, build: (deps: Deps) => RequestHandler<RouteParameters<Path>, unknown, Body>): void {
    this.register(operationId, method, path, build(this.deps) as unknown as RequestHandler);
  }

  /** An operation whose answer depends on the URL, the caller and the store only: built without the clock, so its answer may be kept. */
  addCached<Path extends string>(operationId: Id, method: Method, path: Path, build: (deps: WithoutClock<Deps>) => RequestHandler<RouteParameters<Path>>): void {
    this.register(operationId, method, path, build(withoutClock(this.deps, operationId)) as unknown as RequestHandler);
    this.cached.add(operationId);
  }

  get handlers(): ReadonlyMap<string, OperationHandler> {
    return this.byId;
  }

  /** The operations registered with addCached. */
  get cachedOperations(): ReadonlySet<string> {
    return this.cached;
  }

  private register(operationId: Id, method: Method, path: string, handle: RequestHandler): void {
    if (this.byId.has(operationId)) throw new Error(`operation ${operationId} is registered twice`);
    this.byId.set(operationId, { operationId, method: method.toUpperCase(), path, handle });
    this.router[method](path, handle);
  }
}

/** The deps with the clock taken out: a read of it (a cast around tsc) throws, naming the operation. */
function withoutClock<Deps extends { clock: unknown }>(deps: Deps, operationId: string): WithoutClock<Deps> {
  const { clock: _clock, ...rest } = deps;
  return Object.defineProperty(rest, 'clock', {
    enumerable: false,
    get() {
      throw new Error(`${operationId} is cached (addCached), so it must not read the clock: register it with add instead`);
    },
  }) as WithoutClock<Deps>;
}

/** The contract's path written as an express route (`{id}` -> `:id`). */
export const expressPathOf = (specPath: string) => specPath.replace(/\{([^}]+)\}/g, ':$1');
