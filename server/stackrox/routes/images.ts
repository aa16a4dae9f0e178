// Tag "Images": count, list, get, delete, cache invalidation and scan. Query values arrive validated
// and coerced against the contract.
import { Router, type Request } from 'express';
import * as images from '../domain/images.ts';
import type { Pagination } from '../domain/image-search.ts';
import type { ScanImageRequest } from '../domain/model.ts';
import { reply, unwrap } from '../http/reply.ts';
import type { RouteDeps } from './deps.ts';

type Query = Record<string, unknown>;
const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
const int = (v: unknown) => (typeof v === 'number' ? v : undefined);
const bool = (v: unknown) => v === true;

/** The pagination.* parameters under a prefix ('' or 'query.'). */
function paginationOf(query: Query, prefix: string): Pagination {
  return {
    limit: int(query[`${prefix}pagination.limit`]),
    offset: int(query[`${prefix}pagination.offset`]),
    sortField: text(query[`${prefix}pagination.sortOption.field`]),
    reversed: bool(query[`${prefix}pagination.sortOption.reversed`]),
  };
}

const queryOf = (req: Request) => req.query as Query;

export function imagesRoutes({ store, clock }: RouteDeps): Router {
  const router = Router();

  router.get('/v1/imagescount', function countImages(req, res) {
    reply(res, 'countImages', 200, unwrap(images.countImages(store, text(queryOf(req).query), clock.now())));
  });

  router.get('/v1/images', function listImages(req, res) {
    const query = queryOf(req);
    reply(res, 'listImages', 200, unwrap(images.listImages(store, text(query.query), paginationOf(query, ''), clock.now())));
  });

  router.delete('/v1/images', function deleteImages(req, res) {
    const query = queryOf(req);
    const scoped = Object.keys(query).some((k) => k.startsWith('query.'));
    const scope = scoped ? { query: text(query['query.query']), ...paginationOf(query, 'query.') } : undefined;
    const decision = unwrap(images.deleteImages(store, { scope, confirm: bool(query.confirm) }, clock.now()));
    store.remove(decision.remove);
    reply(res, 'deleteImages', 200, decision.result);
  });

  // registered before /v1/images/:id, which would take "cache" for an id
  router.get('/v1/images/cache/invalidate', function invalidateScanAndRegistryCaches(_req, res) {
    store.invalidateCaches();
    reply(res, 'invalidateScanAndRegistryCaches', 200, {});
  });

  router.post('/v1/images/scan', function scanImage(req, res) {
    const decision = unwrap(images.scanImage(store, req.body as ScanImageRequest, clock.now()));
    if (decision.store) store.upsert(decision.store);
    reply(res, 'scanImage', 200, decision.result);
  });

  router.get('/v1/images/:id', function getImage(req, res) {
    const query = queryOf(req);
    const options = { includeSnoozed: bool(query.includeSnoozed), stripDescription: bool(query.stripDescription) };
    reply(res, 'getImage', 200, unwrap(images.getImage(store, req.params.id, options)));
  });

  return router;
}
