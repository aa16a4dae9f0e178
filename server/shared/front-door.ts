// What every request passes before any contract sees it, on the composed server and on each contract's
// own entry point alike: the access log, and the refusals that need no contract knowledge beyond its
// prefixes, error shape and body limit. Each refusal is answered in the owning contract's shape.
// Plain Node request and answer objects: no Express app runs before the owning contract's own.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { ReferenceContract } from './contract.ts';
import { sendShapedError, type ErrorShape } from './errors.ts';
import { plusAsSpace } from './form-query.ts';
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

/**
 * A step of the front door: true when it has answered (the request goes no further), false to go on.
 * `path` and `owner` (the contract owning the path, if any) are read once by the listener for every step.
 */
export type FrontStep = (req: IncomingMessage, res: ServerResponse, path: string, owner: ReferenceContract | undefined) => boolean;

/** The front door's steps: the access log first, the guard after (CORS, when on, goes between them). */
export function frontDoor({ contracts, logger, ids, bodyRate = DEFAULT_BODY_RATE }: FrontDoorOptions): { log: FrontStep; guard: FrontStep } {
  const first = contracts[0];
  if (!first) throw new Error('frontDoor needs at least one contract');
  const refuse = (res: ServerResponse, shape: ErrorShape, status: number, message: string, close = false): true => {
    if (close) res.setHeader('Connection', 'close'); // the body was never read: the connection cannot carry another request
    sendShapedError(res, shape, status, message);
    return true;
  };

  const watchBodyRate = bodyRateWatch(bodyRate);

  // A path no contract owns is refused in the first contract's shape.
  const guard: FrontStep = function frontDoorGuard(req, res, path, owned) {
    const rawUrl = req.url ?? '/';
    const owner = owned ?? first;
    const isControl = path.startsWith(CONTROL_PREFIX);
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
      const bracketed = bracketedKey(rawUrl);
      if (bracketed !== undefined) return refuse(res, owner.errorShape, 400, `Query parameter ${JSON.stringify(bracketed)} is not a parameter of this operation (no operation takes structured query keys)`);
    }
    // HTTP: a resource that answers GET answers HEAD. Node drops the body of an answer to HEAD by itself.
    if (req.method === 'HEAD') req.method = 'GET';
    if (hasBody(req.headers)) {
      watchBodyRate(req, res, owner.errorShape);
      res.writeHead = writeHeadClosingUnread;
    }
    // The query's `+` is a space (form-query.ts), before any contract sees the request.
    req.url = plusAsSpace(rawUrl);
    return false;
  };
  return { log: requestLog(logger, ids), guard };
}

/**
 * A request refused before its body was read (a 401 on the headers alone, say) must not have the body
 * read afterwards: Node would read and discard it to keep the connection alive. Only requests with a
 * body get this in place of their writeHead, so reads pay nothing for it; one function for all (a
 * closure per request cost more than the check).
 */
const writeHeadClosingUnread = function writeHeadClosingUnread(this: ServerResponse, ...args: Parameters<ServerResponse['writeHead']>) {
  const status = typeof args[0] === 'number' ? args[0] : this.statusCode;
  if (!this.req.complete && status >= 400 && !this.headersSent) this.setHeader('Connection', 'close');
  // The own property shadows the prototype's writeHead (Express re-prototypes res, never defines it).
  return (Object.getPrototypeOf(this) as ServerResponse).writeHead.apply(this, args);
} as ServerResponse['writeHead'];

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

interface Watched {
  /** The connection's request whose body is arriving, until it has arrived or been answered. */
  req: IncomingMessage | undefined;
  res: ServerResponse | undefined;
  shape: ErrorShape | undefined;
  /** The socket's byte count at the start of the current window, and the tick that window began. */
  seen: number;
  since: number;
}

/**
 * Cuts off a body that arrives slower than the minimum rate. One timer for the server, not one per
 * request: per connection, the request whose body is arriving; each tick (a quarter window) judges
 * those whose window has passed by the socket's byte count (reading it consumes nothing). A request
 * is forgotten once it has arrived or been answered, a connection when it closes.
 */
function bodyRateWatch(rate: BodyRate): (req: IncomingMessage, res: ServerResponse, shape: ErrorShape) => void {
  const TICKS_PER_WINDOW = 4;
  const bySocket = new WeakMap<Socket, Watched>();
  const watched = new Set<Watched>();
  let tick = 0;
  let timer: NodeJS.Timeout | undefined;

  const judge = () => {
    tick++;
    for (const w of watched) {
      const { req, res, shape } = w;
      if (!req || !res || !shape) continue;
      if (req.complete || res.writableEnded) {
        w.req = w.res = w.shape = undefined;
        continue;
      }
      if (tick - w.since <= TICKS_PER_WINDOW) continue; // a whole window at least, at most a quarter more
      const now = req.socket.bytesRead;
      if (now - w.seen >= rate.bytes) {
        w.seen = now;
        w.since = tick;
        continue;
      }
      w.req = w.res = w.shape = undefined;
      cutOff(req, res, shape);
    }
    if (watched.size === 0) {
      clearInterval(timer);
      timer = undefined;
    }
  };

  const cutOff = (req: IncomingMessage, res: ServerResponse, shape: ErrorShape) => {
    const socket = req.socket;
    if (res.headersSent) {
      socket.destroy();
      return;
    }
    res.setHeader('Connection', 'close');
    sendShapedError(res, shape, 408, `Request body too slow: less than ${rate.bytes} bytes in ${rate.windowMs} ms`);
    res.once('finish', () => socket.destroy());
  };

  return function watchBodyRate(req, res, shape) {
    const socket = req.socket;
    let w = bySocket.get(socket);
    if (!w) {
      const entry: Watched = { req: undefined, res: undefined, shape: undefined, seen: 0, since: 0 };
      bySocket.set(socket, entry);
      watched.add(entry);
      socket.once('close', () => watched.delete(entry));
      w = entry;
    }
    w.req = req;
    w.res = res;
    w.shape = shape;
    w.seen = socket.bytesRead;
    w.since = tick;
    if (!timer) {
      timer = setInterval(judge, Math.max(1, Math.floor(rate.windowMs / TICKS_PER_WINDOW)));
      timer.unref();
    }
  };
}
