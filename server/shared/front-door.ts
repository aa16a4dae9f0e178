// What every request passes before any contract sees it, on the composed server and on each contract's
// own entry point alike: the access log, and the refusals that need no contract knowledge beyond its
// prefixes, error shape and body limit. Each refusal is answered in the owning contract's shape.
import type { RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { ownsPath, type ReferenceContract } from './contract.ts';
import { sendShapedError, type ErrorShape } from './errors.ts';
import { requestLog } from './request-log.ts';

export const CONTROL_PREFIX = '/__control/';
/** The control API loads whole fixtures (the images contract's POST /__control/images/fixture). */
export const CONTROL_MAX_BODY_BYTES = 100 * 1024 * 1024;

export interface BodyRate {
  /** At least this many bytes must arrive... */
  bytes: number;
  /** ...in every window of this many milliseconds while a body is being received, or the request is cut off (408). */
  windowMs: number;
}

/** 1 KiB every 10 s: a body dripped a byte a second is cut off within 10 s; any real client sends far more. */
export const DEFAULT_BODY_RATE: BodyRate = { bytes: 1024, windowMs: 10_000 };

export interface FrontDoorOptions {
  contracts: readonly ReferenceContract[];
  logger: Logger;
  ids: () => string;
  bodyRate?: BodyRate;
}

const LOOPBACK_HOST = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d{1,5})?$/i;

/** The middleware chain of the front door, in order. */
export function frontDoor({ contracts, logger, ids, bodyRate = DEFAULT_BODY_RATE }: FrontDoorOptions): RequestHandler[] {
  const first = contracts[0];
  if (!first) throw new Error('frontDoor needs at least one contract');
  const ownerOf = (path: string) => contracts.find((c) => ownsPath(c.prefixes, path)) ?? first;
  const refuse = (res: Response, shape: ErrorShape, status: number, message: string, close = false) => {
    if (close) res.setHeader('Connection', 'close'); // the body was never read: the connection cannot carry another request
    sendShapedError(res, shape, status, message);
  };

  const guard: RequestHandler = function frontDoorGuard(req, res, next) {
    const owner = ownerOf(req.path);
    const isControl = req.path.startsWith(CONTROL_PREFIX);
    // Node keeps only the first Authorization header; a second one must not be silently ignored.
    if (authorizationCount(req.rawHeaders) > 1) return refuse(res, owner.errorShape, 400, 'Send one Authorization header, not several', true);
    const declared = req.headers['content-length'];
    const limit = isControl ? CONTROL_MAX_BODY_BYTES : owner.maxBodyBytes;
    if (declared !== undefined && Number(declared) > limit) return refuse(res, owner.errorShape, 413, `Request body too large: at most ${limit} bytes`, true);
    if (isControl) {
      // Only a local tool may reset: a web page the developer visits can neither name a loopback Host
      // (DNS rebinding sends its own name) nor send JSON or a custom header without a preflight.
      if (!LOOPBACK_HOST.test(req.headers.host ?? '')) return refuse(res, owner.errorShape, 403, 'The control API answers loopback hosts only', true);
      const type = req.headers['content-type'] ?? '';
      if (!/^application\/json\b/i.test(type) && req.headers['x-control-api'] === undefined) {
        return refuse(res, owner.errorShape, 415, 'The control API takes Content-Type: application/json (or an X-Control-API header)', true);
      }
    }
    if (!owner.bracketedQueryKeys) {
      const bracketed = bracketedKey(req.originalUrl);
      if (bracketed !== undefined) return refuse(res, owner.errorShape, 400, `Query parameter ${JSON.stringify(bracketed)} is not a parameter of this operation (no operation takes structured query keys)`);
    }
    // HTTP: a resource that answers GET answers HEAD. Node drops the body of an answer to HEAD by itself.
    if (req.method === 'HEAD') req.method = 'GET';
    if (hasBody(req.headers)) {
      watchBodyRate(req, res, bodyRate, owner.errorShape);
      closeIfRefusedUnread(req, res);
    }
    next();
  };
  return [requestLog(logger, ids), guard];
}

/**
 * A request refused before its body was read (a 401 on the headers alone, say) must not have the body
 * read afterwards: Node would read and discard it to keep the connection alive. Only requests with a
 * body get this wrapper, so reads pay nothing for it.
 */
function closeIfRefusedUnread(req: Parameters<RequestHandler>[0], res: Response): void {
  const writeHead = res.writeHead;
  res.writeHead = function writeHeadClosingUnread(this: Response, ...args: Parameters<Response['writeHead']>) {
    const status = typeof args[0] === 'number' ? args[0] : res.statusCode;
    if (!req.complete && status >= 400 && !res.headersSent) res.setHeader('Connection', 'close');
    return writeHead.apply(this, args);
  } as Response['writeHead'];
}

/** How many Authorization headers came (rawHeaders is name, value, name, value...; cheaper than headersDistinct). */
function authorizationCount(raw: string[]): number {
  let count = 0;
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.length === 13 && raw[i]!.toLowerCase() === 'authorization') count++;
  return count;
}

const MAYBE_BRACKET = /[[\]]|%5[bd]/i;

/** The first query key holding a bracket, decoded, or undefined. */
function bracketedKey(url: string): string | undefined {
  const q = url.indexOf('?');
  // A bracket is written as itself or as %5B / %5D: a query with neither has no bracketed key, and most
  // queries are such, so they are not split and decoded key by key.
  if (q < 0 || !MAYBE_BRACKET.test(url.slice(q + 1))) return undefined;
  for (const part of url.slice(q + 1).split('&')) {
    const raw = part.split('=', 1)[0] ?? '';
    let name = raw;
    try {
      name = decodeURIComponent(raw.replaceAll('+', ' '));
    } catch {
      // a broken escape is the contract's to refuse
    }
    if (name.includes('[') || name.includes(']')) return name.slice(0, 100);
  }
  return undefined;
}

const hasBody = (headers: Record<string, unknown>) => (headers['content-length'] !== undefined && headers['content-length'] !== '0') || headers['transfer-encoding'] !== undefined;

/**
 * Cuts off a body that arrives slower than the minimum rate: the socket's byte count is read once per
 * window (reading it consumes nothing), until the request has arrived whole or the answer is sent.
 */
function watchBodyRate(req: Parameters<RequestHandler>[0], res: Response, rate: BodyRate, shape: ErrorShape): void {
  const socket = req.socket;
  let seen = socket.bytesRead;
  const timer = setInterval(() => {
    if (req.complete || res.writableEnded) return clearInterval(timer);
    const now = socket.bytesRead;
    if (now - seen >= rate.bytes) {
      seen = now;
      return;
    }
    clearInterval(timer);
    if (!res.headersSent) {
      res.setHeader('Connection', 'close');
      sendShapedError(res, shape, 408, `Request body too slow: less than ${rate.bytes} bytes in ${rate.windowMs} ms`);
      res.once('finish', () => socket.destroy());
    } else socket.destroy();
  }, rate.windowMs);
  timer.unref();
  const stop = () => clearInterval(timer);
  req.once('end', stop);
  res.once('close', stop);
}
