// One structured line per request for every contract, with an id the client sees as X-Request-Id.
// Query values of parameters that carry credentials are redacted before anything is logged.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';

/** Parameter names whose values are credentials: never written to a log. */
const SECRET_NAME = /token|key|secret|signature|password|passwd|pwd|auth|credential|session|jwt|sig$|code$/i;

/** The URL as it may be logged: every value of a credential-like query parameter replaced by [REDACTED]. */
export function redactedUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const parts = url.slice(q + 1).split('&').map((part) => {
    const eq = part.indexOf('=');
    const rawName = eq < 0 ? part : part.slice(0, eq);
    let name = rawName;
    try {
      name = decodeURIComponent(rawName.replaceAll('+', ' '));
    } catch {
      // a broken escape: judge the name as written
    }
    return eq >= 0 && SECRET_NAME.test(name) ? `${rawName}=[REDACTED]` : part;
  });
  return `${url.slice(0, q)}?${parts.join('&')}`;
}

/** Never answers: returns false, as a front-door step that lets the request go on (front-door.ts). */
export function requestLog(logger: Logger, ids: () => string): (req: IncomingMessage, res: ServerResponse) => false {
  return function requestLog(req, res) {
    const started = process.hrtime.bigint();
    const id = ids();
    res.setHeader('X-Request-Id', id);
    // Asked per request (the level may change); with nothing to log, no listener per request.
    if (!logger.isLevelEnabled('error')) return false;
    // As they came: before the front door reads HEAD as GET and the query's + as a space.
    const method = req.method;
    const url = req.url ?? '/';
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const line = { reqId: id, method, url: redactedUrl(url), status: res.statusCode, ms: Math.round(ms * 10) / 10 };
      if (res.statusCode >= 500) logger.error(line, 'request');
      else logger.info(line, 'request');
    });
    return false;
  };
}
