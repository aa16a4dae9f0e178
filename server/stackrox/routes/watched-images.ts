// Tag "Watched Images": list, watch (200 with errorType on failure), unwatch.
import { Router } from 'express';
import type { WatchImageRequest } from '../domain/model.ts';
import * as watched from '../domain/watched-images.ts';
import { reply } from '../http/reply.ts';
import type { RouteDeps } from './deps.ts';

export function watchedImagesRoutes({ store, clock }: RouteDeps): Router {
  const router = Router();

  router.get('/v1/watchedimages', function getWatchedImages(_req, res) {
    reply(res, 'getWatchedImages', 200, watched.getWatchedImages(store));
  });

  router.post('/v1/watchedimages', function watchImage(req, res) {
    const decision = watched.watchImage(store, (req.body as WatchImageRequest).name, clock.now());
    if (decision.store) store.upsert(decision.store);
    if (decision.watch) store.watch(decision.watch);
    reply(res, 'watchImage', 200, decision.result);
  });

  router.delete('/v1/watchedimages', function unwatchImage(req, res) {
    store.unwatch(watched.unwatchedName(typeof req.query.name === 'string' ? req.query.name : undefined));
    reply(res, 'unwatchImage', 200, {});
  });

  return router;
}
