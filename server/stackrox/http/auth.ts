// Authentication (an API token as Bearer, or the admin password as Basic) and authorization (the
// role's access to the operation's resource). Runs once the validator has found the operation, so an
// unknown path is a 404 and not a 401, and before input validation, so a caller without access learns
// nothing about the input rules.
import { timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { allows, OPERATION_PERMISSIONS, type Role } from '../domain/permissions.ts';
import type { Credentials } from '../store/fixture.ts';
import { GrpcCode, HttpRpcError, WWW_AUTHENTICATE } from './errors.ts';

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;
const BASIC = /^Basic +([A-Za-z0-9+/]+=*) *$/i;

const sameText = (a: string, b: string) => {
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && timingSafeEqual(x, y);
};

/** The caller's role, undefined for no credentials, null for credentials that are not valid. */
export function roleOf(header: string | undefined, credentials: Credentials): Role | undefined | null {
  if (!header) return undefined;
  const token = BEARER.exec(header)?.[1];
  if (token !== undefined) return Object.hasOwn(credentials.tokens, token) ? credentials.tokens[token]! : null;
  const basic = BASIC.exec(header)?.[1];
  if (basic === undefined) return null;
  const decoded = Buffer.from(basic, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  const { username, password, role } = credentials.basic;
  return sameText(decoded.slice(0, colon), username) && sameText(decoded.slice(colon + 1), password) ? role : null;
}

type OpenApiRequest = Request & { openapi?: { schema?: { operationId?: string; security?: unknown[] } } };

export function authorize(credentials: Credentials, rootSecurity: unknown[]): RequestHandler {
  return (req, res, next) => {
    const operation = (req as OpenApiRequest).openapi?.schema;
    if (!operation) return next(); // not an operation of the contract: the validator answers 404/405
    const security = operation.security ?? rootSecurity;
    if (security.length === 0) return next();
    const role = roleOf(req.headers.authorization, credentials);
    if (!role) {
      const message = role === undefined ? 'credentials not found' : 'credentials not found: the token or password is not valid';
      return next(new HttpRpcError(GrpcCode.Unauthenticated, message, { 'WWW-Authenticate': WWW_AUTHENTICATE }));
    }
    const needed = OPERATION_PERMISSIONS[operation.operationId ?? ''];
    if (!needed) return next(new Error(`operation ${operation.operationId} has no permission rule`));
    if (!allows(role, needed)) return next(new HttpRpcError(GrpcCode.PermissionDenied, `not authorized: ${JSON.stringify(needed.access)} for ${JSON.stringify(needed.resource)}`));
    res.locals.role = role.name;
    next();
  };
}
