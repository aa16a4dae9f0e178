// Tag "Images": list, create, get and delete. Each handler is glue between the contract and domain/.
import { Router } from 'express';
import type { CreateForm } from '../domain/form.ts';
import * as images from '../domain/images.ts';
import type { StoredImage } from '../domain/model.ts';
import { requireCaller } from '../http/auth.ts';
import { reply, unwrap } from '../http/reply.ts';
import type { RouteDeps } from './deps.ts';

const int = (value: unknown, fallback: number) => (value === undefined || value === '' ? fallback : Number(value));

export function imagesRoutes({ store, clock, chutesVersion }: RouteDeps): Router {
  const router = Router();
  const view = (image: StoredImage) => images.imageView(image, store.user(image.user_id)!, clock.now());

  router.get('/images/', function listImages(req, res) {
    const caller = requireCaller(res, store);
    const q = req.query as Record<string, string | boolean | number | undefined>; // validated against the contract
    const query = { include_public: q.include_public === true || q.include_public === 'true', name: q.name as string | undefined, tag: q.tag as string | undefined, page: int(q.page, 0), limit: int(q.limit, 25) };
    const { total, items } = images.listImages(store, caller, query);
    reply(res, 'listImages', 200, { total, page: query.page, limit: query.limit, items: items.map(view), cord_refs: null });
  });

  router.post('/images/', function createImage(_req, res) {
    const caller = requireCaller(res, store);
    const created = unwrap(images.createImage(store, caller, res.locals.formValue as CreateForm, clock.now(), { chutesVersion }));
    store.addImage(created.image, created.action);
    reply(res, 'createImage', 202, images.createdView(created.image));
  });

  router.get('/images/:image_id_or_name', function getImage(req, res) {
    const image = unwrap(images.getImage(store, req.params.image_id_or_name, requireCaller(res, store)));
    reply(res, 'getImage', 200, view(image));
  });

  router.delete('/images/:image_id_or_name', function deleteImage(req, res) {
    const deleted = unwrap(images.deleteImage(store, requireCaller(res, store), req.params.image_id_or_name, clock.now()));
    store.removeImage(deleted.image.image_id, deleted.action);
    reply(res, 'deleteImage', 200, { image_id: deleted.image.image_id, deleted: true });
  });

  return router;
}
