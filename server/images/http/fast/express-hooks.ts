// Everything the fast path does to Express and express-openapi-validator from outside, in one place.
// Only withFastPath calls these, so an app built with `fastPath: false` is Express and the validator as
// they come. Each is on one app (app.request and app.response are the app's own prototypes, created by
// express() for it): other apps in the process, and the composed server's root, are untouched.
import type { Express, Request, Response } from 'express';

// Per-request values of the fast path, kept in res.locals: adding a property to req or res after
// Express has re-prototyped them cost about a microsecond each (a fiftieth of a list request).
const VALIDATED_QUERY = '\u0000fast-path:query';
const ANSWER = '\u0000fast-path:answer';
type Locals = Record<string, unknown>;

/**
 * Through Express's own extension points, once per app: req.query gives the query the fast path
 * validated when there is one, and res.json hands the body to the fast path's answer when one waits
 * for it. A request the fast path did not take sets neither and sees Express's own getter and json.
 */
export function hookApp(app: Express): void {
  let proto: object | null = app.request;
  let expressQuery: (() => unknown) | undefined;
  while (proto && !expressQuery) {
    expressQuery = Object.getOwnPropertyDescriptor(proto, 'query')?.get;
    proto = Object.getPrototypeOf(proto) as object | null;
  }
  if (!expressQuery) throw new Error('express no longer defines req.query as a getter');
  const parsedQuery = expressQuery;
  Object.defineProperty(app.request, 'query', {
    configurable: true,
    enumerable: true,
    get(this: Request) {
      const validated = (this.res?.locals as Locals | undefined)?.[VALIDATED_QUERY];
      return validated !== undefined ? validated : parsedQuery.call(this);
    },
  });
  const expressJson = app.response.json;
  app.response.json = function json(this: Response, body: unknown) {
    const locals = this.locals as Locals | undefined;
    const answer = locals?.[ANSWER] as ((body: unknown) => Response) | undefined;
    if (!locals || answer === undefined) return expressJson.call(this, body);
    locals[ANSWER] = undefined; // once: an error answer after it is Express's own
    return answer(body);
  };
}

/** From here on, req.query is `query` and res.json(body) calls `answer(body)` (once). */
export function takeOver(res: Response, query: Record<string, unknown>, answer: (body: unknown) => Response): void {
  const locals = res.locals as Locals;
  locals[VALIDATED_QUERY] = query;
  locals[ANSWER] = answer;
}

/** res.json is Express's own again: an error answer is the error handler's, unvalidated here. */
export function letGo(res: Response): void {
  (res.locals as Locals)[ANSWER] = undefined;
}

/**
 * What express-openapi-validator leaves on a request it matched (`req.openapi`), imitated for the
 * readers downstream: the error handler reads the operationId (its documented 500 and 400 messages).
 * Set only on the way to them, not on every request (see Locals).
 */
export function markOperation(req: Request, operation: Record<string, unknown>, pathParams: Record<string, string>): void {
  (req as Request & { openapi?: unknown }).openapi = { schema: operation, pathParams };
}
