// express-openapi-validator, made when a contract first needs it. The validator reads and compiles its
// document as soon as it is made, in a chain of promises that runs before the server can answer
// anything: with three contracts composed, npm start spent 430-490 ms between listen() and 'listening'
// on it. A contract whose first requests all take its fast path never waits for it.
import * as OpenApiValidator from 'express-openapi-validator';
import type { RequestHandler } from 'express';

export type ValidatorOptions = Parameters<typeof OpenApiValidator.middleware>[0];

/**
 * One middleware running `place(validator's middlewares)` in order, the validator made on the first
 * request that reaches it, from `spec` and the contract's `options` over the defaults every contract
 * here shares. `place` puts the contract's own steps among the validator's (after its
 * metadataMiddleware, say); an error or a thrown one goes to `next` as Express would send it.
 */
export function lazyValidation(spec: Record<string, unknown>, options: Omit<ValidatorOptions, 'apiSpec'>, place: (middlewares: RequestHandler[]) => RequestHandler[]): RequestHandler {
  let chain: RequestHandler[] | undefined;
  return function validation(req, res, next) {
    chain ??= place(
      OpenApiValidator.middleware({
        validateApiSpec: false, // the bundle is linted (npm run lint) and drift-checked; checking it again at start-up cost 40-60 ms
        validateResponses: true,
        validateFormats: true,
        ...options,
        apiSpec: structuredClone(spec) as unknown as ValidatorOptions['apiSpec'], // the validator annotates the document it is given
      }) as unknown as RequestHandler[],
    );
    const steps = chain;
    let i = 0;
    const step = (err?: unknown) => {
      if (err !== undefined && err !== null && err !== 'route') return next(err);
      const middleware = steps[i++];
      if (!middleware) return next();
      try {
        const result = middleware(req, res, step) as unknown;
        if (result instanceof Promise) result.catch(next);
      } catch (error) {
        next(error);
      }
    };
    step();
  };
}

/** Where the validator's middlewares end their reading of the request (the operation is known): its metadataMiddleware and those before it. */
export function afterMetadata(middlewares: RequestHandler[]): number {
  const at = middlewares.findIndex((m) => m.name === 'metadataMiddleware') + 1;
  if (at === 0) throw new Error('express-openapi-validator changed: no metadataMiddleware to slot in after');
  return at;
}
