// Type tests: `npm run typecheck` compiles this file; nothing runs it. Each @ts-expect-error line must
// be an error, so a handler that replied with a shape the contract does not give its operation fails tsc.
import type { Response } from 'express';
import { reply } from '../../server/stackrox/http/reply.ts';

export function replyTypeTests(res: Response): void {
  reply(res, 'countImages', 200, { count: 3 });
  reply(res, 'listImages', 200, { images: [] });
  reply(res, 'deleteImages', 200, { numDeleted: 2, dryRun: true });
  reply(res, 'unwatchImage', 200, {});
  reply(res, 'watchImage', 200, { normalizedName: 'docker.io/library/nginx:1.25', errorType: 'NO_ERROR', errorMessage: '' });

  // @ts-expect-error count is a number, not a string
  reply(res, 'countImages', 200, { count: '3' });
  // @ts-expect-error a list answer has images, not items
  reply(res, 'listImages', 200, { items: [] });
  // @ts-expect-error a deletion answer needs dryRun
  reply(res, 'deleteImages', 200, { numDeleted: 2 });
  // @ts-expect-error one operation's answer is not another's: countImages answers a count
  reply(res, 'countImages', 200, { images: [] });
  // @ts-expect-error errorType is one of the contract's enum values
  reply(res, 'watchImage', 200, { normalizedName: '', errorType: 'BROKEN', errorMessage: '' });
  // @ts-expect-error the contract gives getImage no 201
  reply(res, 'getImage', 201, {});
  // @ts-expect-error the export streams NDJSON: it has no JSON answer to reply with
  reply(res, 'exportImages', 200, { result: {} });
  // @ts-expect-error there is no such operation
  reply(res, 'listDeployments', 200, {});
}
