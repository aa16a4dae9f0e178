// The rendered contract at /docs and the raw bundle at /openapi.json and /openapi.yaml, straight from generated/.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Router, type RequestHandler, type Response } from 'express';
import { sendShapedError, type ErrorShape } from './errors.ts';

const FILES = {
  '/docs': { file: 'docs.html', type: 'text/html; charset=utf-8' },
  '/openapi.json': { file: 'openapi.json', type: 'application/json; charset=utf-8' },
  '/openapi.yaml': { file: 'openapi.yaml', type: 'application/yaml; charset=utf-8' },
} as const;

/** Serves a contract's generated docs and bundle from `dir`; a file not built yet is a 404 in the contract's `shape`. */
export function docsRoutes(dir: string, shape: ErrorShape): RequestHandler {
  const router = Router();
  for (const [route, { file, type }] of Object.entries(FILES)) {
    router.get(route, function serveGenerated(_req, res: Response, next) {
      const path = join(dir, file);
      // Looked up per request: `npm run generate` may build it while the server runs.
      if (!existsSync(path)) return sendShapedError(res, shape, 404, `${route} is not built yet: run npm run generate`);
      res.type(type).sendFile(path, (err) => err && next(err));
    });
  }
  // Every API request passes here first: a look at the path's start spares it the router's route list.
  return function docsOnly(req, res, next) {
    const path = req.path.toLowerCase();
    if (path.startsWith('/docs') || path.startsWith('/openapi.')) return router(req, res, next);
    next();
  };
}
