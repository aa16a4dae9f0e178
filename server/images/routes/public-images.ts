// Tag "Public Images": the catalog, readable without a token.
import { Router } from 'express';
import * as catalog from '../domain/catalog.ts';
import { reply, unwrap } from '../http/reply.ts';
import type { RouteDeps } from './deps.ts';

export function publicImagesRoutes({ store }: RouteDeps): Router {
  const router = Router({ caseSensitive: true });

  router.get('/api/v1/images/public', function listPublicImages(req, res) {
    const query = req.query as unknown as catalog.CatalogQuery; // validated and defaulted against the contract
    reply(res, 'listPublicImages', 200, 'Public images retrieved successfully', catalog.findPublicImages(store, query));
  });

  router.get('/api/v1/images/public/:id', function getPublicImage(req, res) {
    const data = unwrap(catalog.getPublicImage(store, req.params.id));
    reply(res, 'getPublicImage', 200, 'Public image details retrieved successfully', data);
  });

  router.get('/api/v1/images/:id/icon', function getImageIcon(req, res) {
    const png = unwrap(catalog.getImageIcon(store, req.params.id));
    res.status(200).type('image/png').setHeader('Cache-Control', 'public, max-age=86400').send(png);
  });

  return router;
}
