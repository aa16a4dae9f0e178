// The one place error answers are built, in FastAPI's shapes: {"detail": "..."} for HTTP errors and
// 422 {"detail": [{type, loc, msg, input}]} for validation. Every expected failure reaches it as a value
// (a DomainError from domain/, an HttpProblem or InvalidRequest from our middleware, a library's error)
// and is mapped to its status here and nowhere else. Nothing internal reaches the client.
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { ErrorShape } from '../../shared/errors.ts';
import { DomainError, type DomainErrorKind } from '../domain/errors.ts';
import type { ValidationItem } from '../domain/form.ts';

/** A refusal by our own middleware (credentials, an unreadable body), answered as `{"detail": detail}`. */
export class HttpProblem {
  constructor(
    readonly status: 400 | 401,
    readonly detail: string,
  ) {}
}

/** Request parts that break the contract, found by our own checks: 422 with pydantic's items. */
export class InvalidRequest {
  constructor(readonly items: ValidationItem[]) {}
}

const DOMAIN_STATUS: Record<DomainErrorKind, number> = { not_yours: 401, insufficient_balance: 402, not_found: 404, conflict: 409, rate_limited: 429 };

interface LibraryError {
  status?: unknown;
  errors?: { path?: string; message?: string; errorCode?: string }[];
  headers?: Record<string, string>;
}

/** FastAPI's HTTPException body. */
export const errorShape: ErrorShape = (_status, message) => ({ detail: message });

function sendDetail(res: Response, status: number, detail: unknown, headers: Record<string, string> = {}) {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.status(status).setHeader('Content-Type', 'application/json');
  res.send(JSON.stringify({ detail }));
}

export const notFoundHandler: RequestHandler = (_req, res) => sendDetail(res, 404, 'Not Found');

const inputAt = (req: Request, where: string, name: string): unknown => {
  if (where === 'query') {
    // as sent, before the validator coerced it (pydantic reports the input it was given)
    const raw = new URL(req.originalUrl, 'http://x').searchParams.getAll(name);
    return raw.length === 0 ? null : raw.length === 1 ? raw[0] : raw;
  }
  const source = where === 'query' ? req.query : where === 'params' || where === 'path' ? req.params : where === 'headers' ? req.headers : req.body;
  const value = (source as Record<string, unknown> | undefined)?.[name];
  return value === undefined ? null : value;
};

/** express-openapi-validator's errors as pydantic would word them. */
function validationItems(req: Request, errors: NonNullable<LibraryError['errors']>): ValidationItem[] {
  return errors.map(({ path = '', message = '', errorCode = '' }) => {
    const [where = 'body', ...rest] = path.split('/').filter(Boolean);
    const required = /required property '([^']+)'/.exec(message)?.[1];
    const name = required ?? rest.join('.');
    const loc = [where === 'params' ? 'path' : where, ...(name ? [name] : [])];
    const input = inputAt(req, where, name);
    const rule = errorCode.split('.')[0];
    const limit = /([<>]=?)\s*(-?[\d.]+)/.exec(message);
    switch (true) {
      case rule === 'required':
        return { type: 'missing', loc, msg: 'Field required', input: null };
      case rule === 'type' && message.includes('integer'):
        return { type: 'int_parsing', loc, msg: 'Input should be a valid integer, unable to parse string as an integer', input };
      case rule === 'type' && message.includes('boolean'):
        return { type: 'bool_parsing', loc, msg: 'Input should be a valid boolean, unable to interpret input', input };
      case rule === 'minimum' && limit !== null:
        return { type: 'greater_than_equal', loc, msg: `Input should be greater than or equal to ${limit[2]}`, input, ctx: { ge: Number(limit[2]) } };
      case rule === 'maximum' && limit !== null:
        return { type: 'less_than_equal', loc, msg: `Input should be less than or equal to ${limit[2]}`, input, ctx: { le: Number(limit[2]) } };
      case rule === 'pattern': {
        const pattern = /pattern "(.*)"$/.exec(message)?.[1] ?? '';
        return { type: 'string_pattern_mismatch', loc, msg: `String should match pattern '${pattern}'`, input, ctx: { pattern } };
      }
      default:
        return { type: 'value_error', loc, msg: `Value error, ${message}`, input };
    }
  });
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- Express tells error handlers apart by their four parameters
  return (err: unknown, req, res, _next) => {
    if (res.headersSent) {
      logger.error({ err }, 'error after the answer started');
      res.destroy();
      return;
    }
    if (err instanceof DomainError) return sendDetail(res, DOMAIN_STATUS[err.kind], err.message);
    if (err instanceof HttpProblem) return sendDetail(res, err.status, err.detail);
    if (err instanceof InvalidRequest) return sendDetail(res, 422, err.items);
    const e = (typeof err === 'object' && err !== null ? err : {}) as LibraryError;
    const status = typeof e.status === 'number' ? e.status : 500;
    if (status === 400 && Array.isArray(e.errors)) return sendDetail(res, 422, validationItems(req, e.errors));
    if (status === 404) return sendDetail(res, 404, 'Not Found');
    if (status === 405) return sendDetail(res, 405, 'Method Not Allowed', { Allow: e.headers?.Allow ?? '' });
    if (status >= 400 && status < 500) return sendDetail(res, status, 'Bad Request');
    logger.error({ err, method: req.method, url: req.originalUrl }, 'INTERNAL ERROR: answered 500');
    return sendDetail(res, 500, 'Internal Server Error');
  };
}
