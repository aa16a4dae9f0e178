// Tag "Public Images": the catalog, readable without a token.
import * as catalog from '../domain/catalog.ts';
import { reply, unwrap } from '../http/reply.ts';
import type { ImagesRoutes } from './deps.ts';

export function publicImagesRoutes(routes: ImagesRoutes): void {
  routes.addCached('listPublicImages', 'get', '/api/v1/images/public', ({ store }) =>
    function listPublicImages({ query }) {
      // validated and defaulted against the contract
      return reply('listPublicImages', 200, 'Public images retrieved successfully', catalog.findPublicImages(store, query as unknown as catalog.CatalogQuery));
    },
  );

  routes.addCached('getPublicImage', 'get', '/api/v1/images/public/:id', ({ store }) =>
    function getPublicImage({ params }) {
      const data = unwrap(catalog.getPublicImage(store, params.id));
      return reply('getPublicImage', 200, 'Public image details retrieved successfully', data);
    },
  );

  routes.add('getImageIcon', 'get', '/api/v1/images/:id/icon', ({ store }) =>
    function getImageIcon({ params }) {
      const png = unwrap(catalog.getImageIcon(store, params.id));
      return { status: 200, bytes: png, type: 'image/png', headers: { 'Cache-Control': 'public, max-age=86400' } };
    },
  );
}
