// Tag "Images": list, create, get and delete. Each handler is glue between the contract and domain/.
import { Router } from 'express';
import { isChutesError, notFound } from '../domain/errors.ts';
import type { CreateForm } from '../domain/form.ts';
import * as images from '../domain/images.ts';
import { requireCaller } from '../http/auth.ts';
import type { ChutesRouteDeps } from './deps.ts';
import { reply } from './reply.ts';

const int = (value: unknown, fallback: number) => (value === undefined || value === '' ? fallback : Number(value));

export function imagesRoutes({ store, clock, chutesVersion }: ChutesRouteDeps): Router {
  const router = Router();
  const view = (image: images.ImagesState['images'][number]) => images.imageView(image, store.user(image.user_id)!, clock.now());

  router.get('/images/', function listImages(req, res) {
    const caller = requireCaller(res, store);
    const q = req.query as Record<string, string | boolean | number | undefined>; // validated against the contract
    const query = { include_public: q.include_public === true || q.include_public === 'true', name: q.name as string | undefined, tag: q.tag as string | undefined, page: int(q.page, 0), limit: int(q.limit, 25) };
    const { total, items } = images.listImages(store.state(), caller, query);
    reply(res, 'listImages', 200, { total, page: query.page, limit: query.limit, items: items.map(view), cord_refs: null });
  });

  router.post('/images/', function createImage(_req, res) {
    const caller = requireCaller(res, store);
    const result = images.createImage(store.state(), caller, res.locals.formValue as CreateForm, clock.now(), { chutesVersion });
    if (isChutesError(result)) throw result;
    store.addImage(result.image, result.action);
    const { dockerfile: _dockerfile, created_at, ...row } = result.image;
    reply(res, 'createImage', 202, { ...row, status: 'pending build', created_at: new Date(created_at).toISOString(), build_started_at: null, build_completed_at: null });
  });

  router.get('/images/:image_id_or_name', function getImage(req, res) {
    const image = images.findImage(store.state(), req.params.image_id_or_name, requireCaller(res, store));
    if (!image) throw notFound();
    reply(res, 'getImage', 200, view(image));
  });

  router.delete('/images/:image_id_or_name', function deleteImage(req, res) {
    const result = images.deleteImage(store.state(), requireCaller(res, store), req.params.image_id_or_name, clock.now());
    if (isChutesError(result)) throw result;
    store.removeImage(result.image.image_id, result.action);
    reply(res, 'deleteImage', 200, { image_id: result.image.image_id, deleted: true });
  });

  return router;
}
