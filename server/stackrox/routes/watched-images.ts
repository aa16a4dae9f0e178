// Tag "Watched Images": list, watch (200 with errorType on failure), unwatch.
import { Router } from 'express';
import * as watched from '../domain/watched-images.ts';
import type { RouteDeps } from './deps.ts';

export function watchedImagesRoutes({ store, clock }: RouteDeps): Router {
  const router = Router();

  router.get('/v1/watchedimages', function getWatchedImages(_req, res) {
    res.json(watched.getWatchedImages(store));
  });

  router.post('/v1/watchedimages', function watchImage(req, res) {
    res.json(watched.watchImage(store, (req.body as { name?: string }).name, clock.now()));
  });

  router.delete('/v1/watchedimages', function unwatchImage(req, res) {
    res.json(watched.unwatchImage(store, typeof req.query.name === 'string' ? req.query.name : undefined));
  });

  return router;
}
