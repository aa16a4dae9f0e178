// Who is calling. Three ways in, tried as the service tries them: a hotkey signature when both
// X-Chutes-Hotkey and X-Chutes-Signature are sent, else the Authorization header's last word, an
// API key (cpk_...) or a JWT. An operation whose security lists `{}` takes anonymous callers too.
import { verify } from '@scure/sr25519';
import type { Request, RequestHandler, Response } from 'express';
import type { Clock } from '../../shared/clock.ts';
import type { ChutesUser } from '../domain/model.ts';
import type { Store } from '../store/store.ts';
import { HttpProblem } from './errors.ts';
import { verifyJwt } from './jwt.ts';
import { decodeSs58 } from './ss58.ts';

const NONCE_WINDOW_S = 600;
const API_KEY = /^cpk_[0-9a-f]{32}\.[0-9a-f]{32}\.[A-Za-z0-9]{32}$/;

const MISSING = 'Missing or invalid authorization header(s)';
const UNKNOWN = 'Invalid token or user not found';
const BAD_NONCE = 'Invalid nonce!';

/** What the hotkey signs: the body's sha256 for a request with a body, the purpose otherwise. */
function signingMessage(hotkey: string, nonce: string, bodySha256: string | undefined): string {
  return `${hotkey}:${nonce}:${bodySha256 ?? 'images'}`;
}

export interface AuthOptions {
  store: Store;
  clock: Clock;
  jwtSecret: string;
}

const header = (req: Request, name: string) => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** 64 bytes in hex, no 0x. */
const SIGNATURE = /^[0-9a-f]{128}$/i;

/**
 * Whether the signature verifies. @scure/sr25519 throws, rather than answering false, for a signature
 * without Schnorrkel's marker bit or a key or signature that is not a canonical ristretto255 point:
 * malformed credentials, so a 401 like any signature that does not verify, never a 500.
 */
function verifies(message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): boolean {
  try {
    return verify(message, signature, publicKey);
  } catch {
    return false;
  }
}

/** False when verification cannot even start (the library throws for a key or signature that is no curve point). */
function wellFormed(signature: Uint8Array, publicKey: Uint8Array): boolean {
  try {
    verify(new Uint8Array(0), signature, publicKey);
    return true;
  } catch {
    return false;
  }
}

/** The caller, undefined when no credentials were sent, or the 401 to answer. */
function callerOf(req: Request, bodySha256: string | undefined, { store, clock, jwtSecret }: AuthOptions): ChutesUser | HttpProblem | undefined {
  const hotkey = header(req, 'x-chutes-hotkey');
  const signature = header(req, 'x-chutes-signature');
  if (hotkey && signature) {
    const nonce = header(req, 'x-chutes-nonce') ?? '';
    if (!/^\d{1,12}$/.test(nonce) || Math.abs(clock.now() / 1000 - Number(nonce)) >= NONCE_WINDOW_S) return new HttpProblem(401, BAD_NONCE);
    const publicKey = decodeSs58(hotkey);
    if (!publicKey || !SIGNATURE.test(signature)) return new HttpProblem(401, MISSING);
    if (bodySha256 === HEADERS_ONLY) {
      // a key or signature that is no curve point can never verify: MISSING, as the full check says
      if (!wellFormed(Buffer.from(signature, 'hex'), publicKey)) return new HttpProblem(401, MISSING);
      return store.userByHotkey(hotkey) ?? new HttpProblem(401, UNKNOWN);
    }
    const message = new TextEncoder().encode(signingMessage(hotkey, nonce, bodySha256));
    if (!verifies(message, Buffer.from(signature, 'hex'), publicKey)) return new HttpProblem(401, MISSING);
    return store.userByHotkey(hotkey) ?? new HttpProblem(401, UNKNOWN);
  }
  const authorization = header(req, 'authorization')?.trim();
  if (!authorization) return undefined;
  const token = authorization.split(/\s+/).at(-1) ?? '';
  if (token.startsWith('cpk_')) return (API_KEY.test(token) && store.userByApiKey(token)) || new HttpProblem(401, UNKNOWN);
  const userId = verifyJwt(token, jwtSecret, clock.now());
  return (userId !== undefined && store.user(userId)) || new HttpProblem(401, UNKNOWN);
}

/** Asks callerOf for everything the headers alone can tell (a hotkey's signature over the body aside). */
const HEADERS_ONLY = '\u0000headers-only';

type Security = Record<string, unknown>[] | undefined;
const securityOf = (req: Request): Security => (req as Request & { openapi?: { schema?: { security?: Security } } }).openapi?.schema?.security;

/**
 * Authenticates by the operation's declared security. Where anonymous access is allowed (`{}`), failed
 * credentials count as none, as the service's optional dependency (raise_not_found=False) does.
 */
export function authenticate(options: AuthOptions): RequestHandler {
  return (req, res, next) => {
    const security = securityOf(req);
    if (!security || security.length === 0) return next();
    const optional = security.some((requirement) => Object.keys(requirement).length === 0);
    const caller = callerOf(req, res.locals.bodySha256 as string | undefined, options);
    if (caller instanceof HttpProblem || caller === undefined) {
      if (optional) return next();
      return next(caller ?? new HttpProblem(401, MISSING));
    }
    res.locals.userId = caller.user_id;
    next();
  };
}

/**
 * Credentials before the body: on an operation that takes no anonymous caller, what the headers can
 * tell is checked before the multipart body is read (an API key, a JWT, a hotkey's nonce, format and
 * owner), so a refused request's body is never buffered. The signature over the body is checked after.
 */
export function authenticateHeaders(options: AuthOptions): RequestHandler {
  return (req, res, next) => {
    const security = securityOf(req);
    if (!security || security.length === 0 || security.some((requirement) => Object.keys(requirement).length === 0)) return next();
    const caller = callerOf(req, HEADERS_ONLY, options);
    if (caller instanceof HttpProblem || caller === undefined) return next(caller ?? new HttpProblem(401, MISSING));
    next();
  };
}

/** The authenticated caller, as the store has it now. */
export function callerIn(res: Response, store: Store): ChutesUser | undefined {
  const id: unknown = res.locals.userId;
  return typeof id === 'string' ? store.user(id) : undefined;
}

export function requireCaller(res: Response, store: Store): ChutesUser {
  const caller = callerIn(res, store);
  if (!caller) throw new Error('handler of a secured operation reached without an authenticated caller');
  return caller;
}
