// Tag "Image Actions": import, purchase, rate. Each handler decides and writes with no await in
// between, so two concurrent purchases can never both spend the same balance.
import * as acquisitions from '../domain/acquisitions.ts';
import type { RatingRequest } from '../domain/api-types.ts';
import * as ratings from '../domain/ratings.ts';
import { callerOf } from '../http/auth.ts';
import { reply, unwrap } from '../http/reply.ts';
import type { ImagesRoutes } from './deps.ts';

export function imageActionsRoutes(routes: ImagesRoutes): void {
  routes.add('importImage', 'post', '/api/v1/images/import/:id', ({ store, clock }) =>
    function importImage(call) {
      const caller = callerOf(call, store);
      const decision = unwrap(acquisitions.importImage(store, caller, call.params.id, clock.now()));
      store.recordAcquisition(caller.id, decision.acquisition, decision.priceCents);
      return reply('importImage', 200, 'Free image imported successfully', decision.result);
    },
  );

  routes.add('purchaseImage', 'post', '/api/v1/images/purchase/:id', ({ store, clock }) =>
    function purchaseImage(call) {
      const caller = callerOf(call, store);
      const decision = unwrap(acquisitions.purchaseImage(store, caller, call.params.id, clock.now()));
      store.recordAcquisition(caller.id, decision.acquisition, decision.priceCents);
      return reply('purchaseImage', 200, 'Image purchased successfully', decision.result);
    },
  );

  routes.add<'/api/v1/images/rate/:id', RatingRequest>('rateImage', 'post', '/api/v1/images/rate/:id', ({ store }) =>
    function rateImage(call) {
      const caller = callerOf(call, store);
      const decision = unwrap(ratings.rateImage(store, caller.id, call.params.id, call.body.rating));
      store.recordRating(caller.id, call.params.id, decision.tenths);
      return reply('rateImage', 200, 'Image rated successfully', decision.result);
    },
  );
}
