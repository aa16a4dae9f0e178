// How the StackRox app joins other contracts on one port: requests under /v1/ and its control path go
// to it untouched (app.use('/v1', app) would strip the prefix its routes and the validator expect).
import type { Express, RequestHandler } from 'express';

export const STACKROX_PREFIXES = ['/v1/', '/__control/stackrox/'] as const;

export function mountStackrox(stackrox: Express): RequestHandler {
  return (req, res, next) => (STACKROX_PREFIXES.some((p) => req.path.startsWith(p)) ? stackrox(req, res, next) : next());
}
