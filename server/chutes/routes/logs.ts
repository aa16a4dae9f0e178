// streamBuildLogs: the whole log as text/plain once the build is over; while it runs, a stream of
// `data: {"log": {...}, "offset": "<ms>-<seq>"}` events, "." heartbeats when nothing is new, and
// "DONE" when the build ends. ?offset= resumes after the last event a client saw.
import { setTimeout as sleep } from 'node:timers/promises';
import { Router } from 'express';
import { buildFinished, parseOffset, visibleLines } from '../domain/build.ts';
import * as images from '../domain/images.ts';
import { callerIn } from '../http/auth.ts';
import { unwrap } from '../http/reply.ts';
import type { RouteDeps } from './deps.ts';

export function logsRoutes({ store, clock, heartbeatMs }: RouteDeps): Router {
  const router = Router();

  router.get('/images/:image_id/logs', async function streamBuildLogs(req, res) {
    const image = unwrap(images.getImageById(store, req.params.image_id, callerIn(res, store)));
    const plan = image.build;
    if (buildFinished(plan, clock.now())) {
      res.status(200).type('text/plain; charset=utf-8').setHeader('Content-Disposition', `inline; filename="${image.image_id}.log"`);
      res.send(plan.lines.map((line) => `${line.log}\n`).join(''));
      return;
    }
    res.status(200).setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache');
    res.flushHeaders();
    let closed = false;
    res.on('close', () => {
      closed = true;
    });
    let after = typeof req.query.offset === 'string' ? parseOffset(req.query.offset) : undefined;
    while (!closed) {
      const now = clock.now();
      const fresh = visibleLines(plan, now, after);
      for (const line of fresh) res.write(`data: ${JSON.stringify({ log: { log_type: line.log_type, log: line.log }, offset: line.offset })}\n\n`);
      after = fresh.length > 0 ? parseOffset(fresh.at(-1)!.offset) : after;
      if (buildFinished(plan, now)) {
        res.end('DONE\n');
        return;
      }
      if (fresh.length === 0) res.write('.\n');
      await sleep(heartbeatMs);
    }
  });

  return router;
}
