// The rendered contract at /docs and the raw bundle at /openapi.json and /openapi.yaml, straight from generated/.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Router, type RequestHandler, type Response } from 'express';
import { HttpProblem } from './errors.ts';
import { generatedDir } from './spec.ts';

const FILES = {
  '/docs': { file: 'docs.html', type: 'text/html; charset=utf-8' },
  '/openapi.json': { file: 'openapi.json', type: 'application/json; charset=utf-8' },
  '/openapi.yaml': { file: 'openapi.yaml', type: 'application/yaml; charset=utf-8' },
} as const;

export function docsRoutes(dir: string = generatedDir): RequestHandler {
  const router = Router();
  for (const [route, { file, type }] of Object.entries(FILES)) {
    router.get(route, function serveGenerated(_req, res: Response, next) {
      const path = join(dir, file);
      // Looked up per request: `npm run generate` may build it while the server runs.
      if (!existsSync(path)) return next(new HttpProblem(404, `${route} is not built yet: run npm run generate`));
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
