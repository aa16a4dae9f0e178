// The one place error answers are built: every 4xx/5xx leaves through errorHandler, in the contract's
// shape {statusCode, error, message}. Nothing internal (stack, path, library name) reaches the client.
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { pathOf, reasonOf, sendShapedError, type ErrorShape } from '../../shared/errors.ts';
import { DomainError } from '../domain/errors.ts';
import { validationMessage, type Violation } from './validation-messages.ts';

/** An error raised by our own middleware with a status and a client-safe message. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** A request that breaks the contract in a way the schema validator does not see (e.g. a NUL byte). */
export class InvalidInput extends Error {
  constructor(readonly violations: Violation[]) {
    super('invalid input');
  }
}

/** The contract's ErrorBody: {statusCode, error, message}. */
export const errorShape: ErrorShape = (status, message) => ({ statusCode: status, error: reasonOf(status), message });

/** Sends the error body as raw JSON: error answers never pass through response validation. */
export function sendError(res: Response, status: number, message: string, headers: Record<string, string> = {}): void {
  sendShapedError(res, errorShape, status, message, headers);
}

const DOMAIN_STATUS = { bad_request: 400, forbidden: 403, not_found: 404, conflict: 409 } as const;

/** What the validator (express-openapi-validator) and body-parser errors look like. */
interface LibraryError {
  status?: unknown;
  statusCode?: unknown;
  type?: unknown;
  errors?: { path?: string; message?: string; errorCode?: string }[];
  headers?: Record<string, string>;
  message?: unknown;
}

const operationIdOf = (req: Request): string | undefined => (req as Request & { openapi?: { schema?: { operationId?: string } } }).openapi?.schema?.operationId;

export interface ErrorHandlerOptions {
  logger: Logger;
  /** The documented 500 message per operationId. */
  internalMessages: ReadonlyMap<string, string>;
}

// The fast path hands the error handler Node's own request, which has no req.path or req.originalUrl.
const pathOfRequest = (req: Request) => (req.path as string | undefined) ?? pathOf(req.url);
const noOperationAt = (req: Request) => `No operation at ${req.method} ${pathOfRequest(req).slice(0, 200)}`;

/** Last in the chain before the error handler: nothing answered, so the path is not the contract's. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new HttpProblem(404, noOperationAt(req)));
};

export function errorHandler({ logger, internalMessages }: ErrorHandlerOptions): ErrorRequestHandler {
  // Four parameters: that is how Express tells an error handler apart.
  return (err: unknown, req, res, _next) => {
    const operationId = operationIdOf(req);
    const internal = () => internalMessages.get(operationId ?? '') ?? 'An unexpected error occurred';
    if (res.headersSent) {
      logger.error({ err, operationId }, 'error after the answer started');
      res.destroy();
      return;
    }
    if (err instanceof DomainError) return sendError(res, DOMAIN_STATUS[err.kind], err.message);
    if (err instanceof HttpProblem) return sendError(res, err.status, err.message, err.headers);
    if (err instanceof InvalidInput) return sendError(res, 400, validationMessage(operationId, err.violations));
    const e = (typeof err === 'object' && err !== null ? err : {}) as LibraryError;
    const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : 500;
    switch (true) {
      case status === 400 && e.type === 'entity.parse.failed':
        return sendError(res, 400, validationMessage(operationId, [{ location: 'body', field: '', why: 'is not valid JSON' }]));
      case status === 400 && Array.isArray(e.errors):
        return sendError(res, 400, validationMessage(operationId, violationsOf(e.errors ?? [])));
      case status === 401:
        return sendError(res, 401, 'Authentication required', { 'WWW-Authenticate': 'Bearer' });
      case status === 404:
        return sendError(res, 404, noOperationAt(req));
      case status === 405:
        return sendError(res, 405, `Method ${req.method} is not allowed here`, { Allow: e.headers?.Allow ?? '' });
      case status === 413:
        return sendError(res, 413, 'Request body too large');
      case status === 415 && hasNoBody(req):
        // No body at all where one is required: the validator calls it a media type problem, the client made an input one.
        return sendError(res, 400, validationMessage(operationId, [{ location: 'body', field: '', why: 'is required' }]));
      case status === 415:
        return sendError(res, 415, 'Unsupported media type: send application/json');
      case status === 406:
        return sendError(res, 406, 'Not acceptable: this operation answers application/json');
      case status >= 400 && status < 500:
        return sendError(res, status, reasonOf(status));
      default:
        // A crash, or an answer that broke the contract (response validation): a bug worth shouting about.
        logger.error({ err, operationId, method: req.method, url: (req.originalUrl as string | undefined) ?? req.url }, 'INTERNAL ERROR: answered 500');
        return sendError(res, 500, internal());
    }
  };
}

const hasNoBody = (req: Request) => !req.headers['transfer-encoding'] && (req.headers['content-length'] ?? '0') === '0';

/** eov errors carry paths like /body/rating, /query/limit, /params/id; turn them into violations. */
function violationsOf(errors: NonNullable<LibraryError['errors']>): Violation[] {
  return errors.map((error) => {
    const segments = (error.path ?? '').split(/[/.]/).filter(Boolean);
    const [where = '', ...rest] = segments;
    const location = where === 'params' ? 'path' : where === 'query' ? 'query' : where === 'headers' ? 'header' : 'body';
    const why = (error.message ?? 'is invalid')
      .replace(/^Unknown query parameter .*/, 'is not a known query parameter')
      .replace(/^Empty value found .*/, 'must not be empty')
      // URLSearchParams writes a space as +, which OpenAPI counts as reserved: say what to send instead
      .replace(/^Parameter '.*' must be url encoded\..*/, 'must be percent-encoded: reserved characters such as : / = are not allowed as they are')
      // the contract's no-NUL pattern (spec/images/README.md decision 16), said in words
      .replace(/^must match pattern "\^\[\^\\u0000\]\*\$"$/, 'must not contain NUL characters');
    return { location, field: rest.join('.'), why };
  });
}
