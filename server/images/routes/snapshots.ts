// Tag "Snapshots": a container's snapshots, for its owner only.
import type { CreateSnapshotRequest, UpdateSnapshotAliasRequest } from '../domain/api-types.ts';
import * as snapshots from '../domain/snapshots.ts';
import { callerOf } from '../http/auth.ts';
import { reply, unwrap } from '../http/reply.ts';
import type { Store } from '../store/store.ts';
import type { ImagesRoutes } from './deps.ts';

const BASE = '/api/v1/containers/:id/snapshots';

/** Applies a decided change in the same synchronous step as the decision. */
const save = <R>(store: Store, change: snapshots.SnapshotChange<R>) => (store.saveSnapshot(change.containerId, change.snapshot), change.result);

export function snapshotsRoutes(routes: ImagesRoutes): void {
  routes.add('listSnapshots', 'get', BASE, ({ store, clock }) =>
    function listSnapshots(call) {
      const data = unwrap(snapshots.listSnapshots(store, callerOf(call, store), call.params.id, clock.now()));
      return reply('listSnapshots', 200, 'Snapshots retrieved successfully', data);
    },
  );

  routes.add<typeof BASE, CreateSnapshotRequest | undefined>('createSnapshot', 'post', BASE, ({ store, clock }) =>
    function createSnapshot(call) {
      const input = call.body ?? {}; // the body is optional
      const change = unwrap(snapshots.createSnapshot(store, callerOf(call, store), call.params.id, input, clock.now()));
      return reply('createSnapshot', 201, 'Snapshot created successfully', save(store, change));
    },
  );

  // PATCH is the documents' verb, PUT the published client's: one operation each (its own operationId),
  // doing the same thing (spec/images/README.md decision 18).
  for (const [operationId, method] of [['restoreSnapshot', 'patch'], ['restoreSnapshotPut', 'put']] as const) {
    routes.add(operationId, method, `${BASE}/:name`, ({ store, clock }) =>
      function restoreSnapshot(call) {
        const now = clock.now();
        const change = unwrap(snapshots.restoreSnapshot(store, callerOf(call, store), call.params.id, call.params.name, now));
        store.recordRestore(change.containerId, change.snapshot.name, now);
        return reply(operationId, 200, snapshots.RESTORED, save(store, change));
      },
    );
  }

  for (const [operationId, method] of [['updateSnapshotAlias', 'patch'], ['updateSnapshotAliasPut', 'put']] as const) {
    routes.add<`${typeof BASE}/:name/alias`, UpdateSnapshotAliasRequest>(operationId, method, `${BASE}/:name/alias`, ({ store, clock }) =>
      function updateSnapshotAlias(call) {
        const { id, name } = call.params;
        const change = unwrap(snapshots.updateSnapshotAlias(store, callerOf(call, store), id, name, call.body.alias, clock.now()));
        return reply(operationId, 200, 'Snapshot alias updated successfully', save(store, change));
      },
    );
  }

  routes.add('deleteSnapshot', 'delete', `${BASE}/:name`, ({ store, clock }) =>
    function deleteSnapshot(call) {
      const change = unwrap(snapshots.deleteSnapshot(store, callerOf(call, store), call.params.id, call.params.name, clock.now()));
      store.deleteSnapshot(change.containerId, change.snapshot.name);
      return reply('deleteSnapshot', 200, 'Snapshot deleted successfully', change.result);
    },
  );
}
