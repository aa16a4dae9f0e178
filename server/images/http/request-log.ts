// One structured line per request, with an id the client sees as X-Request-Id.
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

export function requestLog(logger: Logger, ids: () => string): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const id = ids();
    res.setHeader('X-Request-Id', id);
    // Asked per request (the level may change); with nothing to log, no listener per request.
    if (!logger.isLevelEnabled('error')) return next();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const line = { reqId: id, method: req.method, url: req.originalUrl, status: res.statusCode, ms: Math.round(ms * 10) / 10 };
      if (res.statusCode >= 500) logger.error(line, 'request');
      else logger.info(line, 'request');
    });
    next();
  };
}
