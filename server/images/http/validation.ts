// Request and response validation from the bundled contract. The body is parsed after the validator
// has found the operation, so that even a malformed body is answered with the operation's 400 message.
import { isUtf8 } from 'node:buffer';
import express, { type RequestHandler } from 'express';
import type { Request } from 'express';
import { formEncodedQuery } from '../../shared/form-query.ts';
import { HttpProblem, InvalidInput } from './errors.ts';
import { duplicateKey, hasLoneSurrogate } from '../../shared/json-text-checks.ts';
import { strictQueryNumbers } from '../../shared/strict-query.ts';
import { afterMetadata, lazyValidation } from '../../shared/validator.ts';
import type { Violation } from './validation-messages.ts';

export const BODY_LIMIT = '1mb';


/** The JSON body parser: express.json with our limit, refusing bytes that are not UTF-8. */
export function jsonBodyParser(): RequestHandler {
  return express.json({
    limit: BODY_LIMIT,
    // Without this the parser turns broken bytes into U+FFFD and the request goes through.
    verify: (_req, _res, buffer) => {
      if (!isUtf8(buffer)) throw new InvalidInput([{ location: 'body', field: '', why: 'is not valid UTF-8' }]);
      const twice = duplicateKey(buffer.toString('utf8'));
      if (twice !== undefined) throw new InvalidInput([{ location: 'body', field: twice.slice(0, 100), why: 'appears twice in one object' }]);
    },
  });
}

/** The full chain: express-openapi-validator with `parseJson` (jsonBodyParser) once the operation is known. */
export function validation(spec: Record<string, unknown>, authenticate: (req: Request) => true, parseJson: RequestHandler = jsonBodyParser()): RequestHandler {
  return lazyValidation(
    spec,
    { validateRequests: true, validateSecurity: { handlers: { bearerAuth: (req) => authenticate(req) } } },
    (middlewares) => {
      const at = afterMetadata(middlewares);
      return [formEncodedQuery, ...middlewares.slice(0, at), credentialsFirst(spec, authenticate), strictQueryNumbers(spec), parseJson, ...middlewares.slice(at), rejectUndecodableQuery, rejectNulBytes];
    },
  );
}

type SecurityRequirements = Record<string, string[]>[];
type OpenApiRequest = Request & { openapi?: { schema?: { security?: SecurityRequirements } } };

/**
 * Credentials before the body: a secured operation's caller is authenticated on the headers alone,
 * before a byte of the body is read (the validator's own security check runs after the parser). A
 * refused request's body is never read: the connection closes after the 401.
 */
function credentialsFirst(spec: Record<string, unknown>, authenticate: (req: Request) => true): RequestHandler {
  const rootSecurity = (Array.isArray(spec.security) ? spec.security : []) as SecurityRequirements;
  return function credentialsFirst(req, res, next) {
    const security = (req as OpenApiRequest).openapi?.schema?.security ?? rootSecurity;
    const secured = security.length > 0 && !security.some((requirement) => Object.keys(requirement).length === 0);
    if (!secured) return next();
    try {
      authenticate(req);
    } catch {
      if (!req.complete) res.setHeader('Connection', 'close');
      return next(new HttpProblem(401, 'Authentication required', { 'WWW-Authenticate': 'Bearer' }));
    }
    next();
  };
}

/** A query escape that is not UTF-8 (`%FF`): the query parser would keep it as literal text. */
const rejectUndecodableQuery: RequestHandler = (req, _res, next) => {
  const at = req.originalUrl.indexOf('?');
  if (at < 0 || !req.originalUrl.includes('%', at)) return next();
  for (const part of req.originalUrl.slice(at + 1).split('&')) {
    try {
      decodeURIComponent(part.replaceAll('+', ' '));
    } catch {
      const key = part.split('=')[0] ?? '';
      let field = key;
      try {
        field = decodeURIComponent(key);
      } catch {
        field = key.slice(0, 40);
      }
      return next(new InvalidInput([{ location: 'query', field, why: 'is not valid UTF-8' }]));
    }
  }
  next();
};

/** The first string holding a NUL byte or half a surrogate pair in a query or body (walked 64 levels deep), as a violation. */
export function nulViolation(value: unknown, location: Violation['location'], path: string[] = [], depth = 0): Violation | undefined {
  if (depth > 64) return undefined;
  if (typeof value === 'string') {
    if (value.includes('\u0000')) return { location, field: path.join('.'), why: 'must not contain NUL characters' };
    return hasLoneSurrogate(value) ? { location, field: path.join('.'), why: 'must not contain half a surrogate pair (not text)' } : undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const found = nulViolation(item, location, [...path, key], depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** NUL bytes in a query or body string: no text field of the contract can hold one. */
const rejectNulBytes: RequestHandler = (req, _res, next) => {
  const found = nulViolation(req.query, 'query') ?? nulViolation(req.body, 'body');
  next(found ? new InvalidInput([found]) : undefined);
};
