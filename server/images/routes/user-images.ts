// Tag "User Images": what the caller has imported or purchased.
import * as userImages from '../domain/user-images.ts';
import { callerOf } from '../http/auth.ts';
import { reply } from '../http/reply.ts';
import type { ImagesRoutes } from './deps.ts';

export function userImagesRoutes(routes: ImagesRoutes): void {
  routes.addCached('listUserImages', 'get', '/api/v1/images/user', ({ store }) =>
    function listUserImages(call) {
      const query = call.query as unknown as userImages.UserImagesQuery; // validated and defaulted against the contract
      const data = userImages.listUserImages(store, callerOf(call, store).id, query);
      return reply('listUserImages', 200, 'User images retrieved successfully', data);
    },
  );
}
