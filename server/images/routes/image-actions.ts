// Tag "Image Actions": import, purchase, rate. Each handler decides and writes with no await in
// between, so two concurrent purchases can never both spend the same balance.
import type { Request } from 'express';
import * as acquisitions from '../domain/acquisitions.ts';
import type { RatingRequest } from '../domain/api-types.ts';
import * as ratings from '../domain/ratings.ts';
import { callerOf } from '../http/auth.ts';
import { reply, unwrap } from '../http/reply.ts';
import type { ImagesRoutes } from './deps.ts';

export function imageActionsRoutes(routes: ImagesRoutes): void {
  routes.add('importImage', 'post', '/api/v1/images/import/:id', ({ store, clock }) =>
    function importImage(req, res) {
      const caller = callerOf(res, store);
      const decision = unwrap(acquisitions.importImage(store, caller, req.params.id, clock.now()));
      store.recordAcquisition(caller.id, decision.acquisition, decision.priceCents);
      reply(res, 'importImage', 200, 'Free image imported successfully', decision.result);
    },
  );

  routes.add('purchaseImage', 'post', '/api/v1/images/purchase/:id', ({ store, clock }) =>
    function purchaseImage(req, res) {
      const caller = callerOf(res, store);
      const decision = unwrap(acquisitions.purchaseImage(store, caller, req.params.id, clock.now()));
      store.recordAcquisition(caller.id, decision.acquisition, decision.priceCents);
      reply(res, 'purchaseImage', 200, 'Image purchased successfully', decision.result);
    },
  );

  routes.add('rateImage', 'post', '/api/v1/images/rate/:id', ({ store }) =>
    function rateImage(req: Request<{ id: string }, unknown, RatingRequest>, res) {
      const caller = callerOf(res, store);
      const decision = unwrap(ratings.rateImage(store, caller.id, req.params.id, req.body.rating));
      store.recordRating(caller.id, req.params.id, decision.tenths);
      reply(res, 'rateImage', 200, 'Image rated successfully', decision.result);
    },
  );
}
