// Tag "Public Images": the catalog, readable without a token.
import * as catalog from '../domain/catalog.ts';
import { reply, unwrap } from '../http/reply.ts';
import type { ImagesRoutes } from './deps.ts';

export function publicImagesRoutes(routes: ImagesRoutes): void {
  routes.addCached('listPublicImages', 'get', '/api/v1/images/public', ({ store }) =>
    function listPublicImages(req, res) {
      const query = req.query as unknown as catalog.CatalogQuery; // validated and defaulted against the contract
      reply(res, 'listPublicImages', 200, 'Public images retrieved successfully', catalog.findPublicImages(store, query));
    },
  );

  routes.addCached('getPublicImage', 'get', '/api/v1/images/public/:id', ({ store }) =>
    function getPublicImage(req, res) {
      const data = unwrap(catalog.getPublicImage(store, req.params.id));
      reply(res, 'getPublicImage', 200, 'Public image details retrieved successfully', data);
    },
  );

  routes.add('getImageIcon', 'get', '/api/v1/images/:id/icon', ({ store }) =>
    function getImageIcon(req, res) {
      const png = unwrap(catalog.getImageIcon(store, req.params.id));
      res.status(200).type('image/png').setHeader('Cache-Control', 'public, max-age=86400').send(png);
    },
  );
}
