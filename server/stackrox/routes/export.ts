// The export stream: one NDJSON line per image as the store yields it, written as it comes (chunked,
// with backpressure). A failure part way (a store read, the timeout) ends the stream with an error line.
import { once } from 'node:events';
import { Router, type Response } from 'express';
import type { Logger } from 'pino';
import { deadlineExceeded } from '../domain/errors.ts';
import { presentImage } from '../domain/image-build.ts';
import { exportSelection } from '../domain/images.ts';
import type { ExportLine } from '../domain/model.ts';
import { codeOf, errorLine, GrpcCode, NDJSON } from '../http/errors.ts';
import { unwrap } from '../http/reply.ts';
import type { RouteDeps } from './deps.ts';

async function write(res: Response, line: string): Promise<void> {
  if (!res.write(line)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
}

export function exportRoutes({ store, clock, logger }: RouteDeps & { logger: Logger }): Router {
  const router = Router();

  router.get('/v1/export/images', async function exportImages(req, res) {
    const timeout = typeof req.query.timeout === 'number' ? req.query.timeout : 0;
    // errors found before the first line (a malformed query) go to the error handler: status + error line
    const { ids, priorities } = unwrap(exportSelection(store, typeof req.query.query === 'string' ? req.query.query : undefined, clock.now()));
    const deadline = timeout > 0 ? clock.now() + timeout * 1000 : Number.POSITIVE_INFINITY;
    res.status(200).setHeader('Content-Type', NDJSON);
    res.flushHeaders();
    try {
      for await (const record of store.stream(ids)) {
        if (res.destroyed) return; // the client went away
        if (clock.now() > deadline) {
          const late = deadlineExceeded();
          await write(res, errorLine(codeOf(late), late.message));
          break;
        }
        const image = presentImage({ ...record.image, priority: String(priorities.get(record.image.id) ?? 0) }, {});
        await write(res, `${JSON.stringify({ result: { image } } satisfies ExportLine)}\n`);
      }
    } catch (error) {
      // a store read failed part way: a fault, not an expected failure
      logger.error({ err: error }, 'export failed part way');
      await write(res, errorLine(GrpcCode.Internal, 'an internal error occurred while reading images'));
    }
    res.end();
  });

  return router;
}
