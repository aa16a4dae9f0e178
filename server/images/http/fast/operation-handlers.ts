// The route handlers by operationId, read from the routers: the fast path calls a validated request's
// handler itself instead of sending it down every router's route list again (about a twentieth of a
// list request). Only a route whose method and path are exactly the contract's is taken; any other
// request still goes down the routers.
import type { RequestHandler, Router } from 'express';

export interface OperationHandler {
  method: string;
  /** The route's express path (`/api/v1/images/public/:id`). */
  path: string;
  handle: RequestHandler;
}

/** Each route with one handler named after its operationId (as the routes name them). */
export function operationHandlers(routers: readonly Router[]): Map<string, OperationHandler> {
  const found = new Map<string, OperationHandler>();
  for (const router of routers) {
    for (const layer of router.stack) {
      const route = layer.route;
      const only = route?.stack.length === 1 ? route.stack[0] : undefined;
      if (!route || !only || typeof route.path !== 'string') continue;
      const name = only.handle.name;
      if (!name || found.has(name)) continue;
      found.set(name, { method: only.method.toUpperCase(), path: route.path, handle: only.handle as RequestHandler });
    }
  }
  return found;
}

/** The contract's path written as an express route (`{id}` -> `:id`). */
export const expressPathOf = (specPath: string) => specPath.replace(/\{([^}]+)\}/g, ':$1');
