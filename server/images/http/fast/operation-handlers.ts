// The routes of a contract, each registered under its operationId: Express routes a request to it by
// method and path (the full chain), the fast path calls it by operationId. The name is given, not read
// from the handler function, so renaming a function cannot take an operation off the fast path unnoticed.
// A handler is a function of the request's validated parts to an answer, with no Express object in
// sight: the full chain calls it from an Express route, the fast path on Node's own request (Express's
// re-prototyping of a request and its answer cost about a third of a list request: fast-path.ts).
import { Router, type Request, type RequestHandler, type Response } from 'express';
// @types/express's own module (its dependency): the route parameters a path literal names.
import type { RouteParameters } from 'express-serve-static-core';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** What a handler is given: the request's parts as validation leaves them (decoded, typed, defaulted). */
export interface OperationCall<Params = Record<string, string>, Body = unknown> {
  params: Params;
  query: Record<string, unknown>;
  body: Body;
  /** The account the bearer token names, on a secured operation; undefined on a public one. */
  accountId: string | undefined;
}

/** A JSON answer (validated against the operation's schema for its status before it is sent). */
export interface JsonAnswer {
  status: number;
  json: unknown;
}

/** An answer that is not JSON (an icon): bytes with their media type. */
export interface BytesAnswer {
  status: number;
  bytes: Buffer;
  type: string;
  headers: Record<string, string>;
}

export type Answer = JsonAnswer | BytesAnswer;

/** A handler: the answer, or a thrown error (a DomainError, for the error handler to answer). */
export type Handle<Params = Record<string, string>, Body = unknown> = (call: OperationCall<Params, Body>) => Answer;

export interface OperationHandler {
  operationId: string;
  /** `GET`, as req.method has it. */
  method: string;
  /** The route's express path (`/api/v1/images/public/:id`). */
  path: string;
  handle: Handle;
}

/** The deps a cached operation is built from: everything but the clock. */
export type WithoutClock<Deps> = Omit<Deps, 'clock'>;

/** Where the security handler leaves the caller's account id for the route (res.locals, as Express has it). */
export const ACCOUNT_ID = 'accountId';

/** Sends a handler's answer through Express (res.json, which the full chain's response validator checks). */
function sendAnswer(res: Response, answer: Answer): void {
  if ('json' in answer) res.status(answer.status).json(answer.json);
  else res.status(answer.status).type(answer.type).set(answer.headers).send(answer.bytes);
}

/** The Express route of a handler: the call made from what the full chain leaves on req and res. */
const expressRoute = (handle: Handle): RequestHandler =>
  function route(req: Request, res: Response) {
    sendAnswer(res, handle({ params: req.params as Record<string, string>, query: req.query as Record<string, unknown>, body: req.body as unknown, accountId: res.locals[ACCOUNT_ID] as string | undefined }));
  };

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
  add<Path extends string, Body = unknown>(operationId: Id, method: Method, path: Path, build: (deps: Deps) => Handle<RouteParameters<Path>, Body>): void {
    this.register(operationId, method, path, build(this.deps) as unknown as Handle);
  }

  /** An operation whose answer depends on the URL, the caller and the store only: built without the clock, so its answer may be kept. */
  addCached<Path extends string>(operationId: Id, method: Method, path: Path, build: (deps: WithoutClock<Deps>) => Handle<RouteParameters<Path>>): void {
    this.register(operationId, method, path, build(withoutClock(this.deps, operationId)) as unknown as Handle);
    this.cached.add(operationId);
  }

  get handlers(): ReadonlyMap<string, OperationHandler> {
    return this.byId;
  }

  /** The operations registered with addCached. */
  get cachedOperations(): ReadonlySet<string> {
    return this.cached;
  }

  private register(operationId: Id, method: Method, path: string, handle: Handle): void {
    if (this.byId.has(operationId)) throw new Error(`operation ${operationId} is registered twice`);
    this.byId.set(operationId, { operationId, method: method.toUpperCase(), path, handle });
    this.router[method](path, expressRoute(handle));
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
