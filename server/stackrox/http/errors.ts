// The one place error answers are built, in the service's ExtendedRpcStatus shape {code, message,
// details, error}; an operation whose answers are NDJSON (the export) gets its stream's error line
// {"error": {code, message, details}} instead. Every 4xx/5xx leaves through errorHandler, and the one
// map from the domain's errors to gRPC codes and HTTP statuses is here.
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { ErrorShape } from '../../shared/errors.ts';
import { DomainError, type DomainErrorKind } from '../domain/errors.ts';
import type { ExportLine } from '../domain/model.ts';
import { jsonTextFor } from './pretty.ts';

export const NDJSON = 'application/x-ndjson';
export const WWW_AUTHENTICATE = 'Bearer realm="stackrox", Basic realm="stackrox"';

/** The gRPC status codes this service answers. */
export const GrpcCode = {
  Unknown: 2,
  InvalidArgument: 3,
  DeadlineExceeded: 4,
  NotFound: 5,
  AlreadyExists: 6,
  PermissionDenied: 7,
  ResourceExhausted: 8,
  Unimplemented: 12,
  Internal: 13,
  Unauthenticated: 16,
} as const;
export type GrpcCode = (typeof GrpcCode)[keyof typeof GrpcCode];

/** grpc-gateway's mapping of the codes this service answers to HTTP statuses. */
export function httpStatusOf(code: GrpcCode): number {
  switch (code) {
    case GrpcCode.InvalidArgument:
      return 400;
    case GrpcCode.Unauthenticated:
      return 401;
    case GrpcCode.PermissionDenied:
      return 403;
    case GrpcCode.NotFound:
      return 404;
    case GrpcCode.Unimplemented:
      return 405; // grpc-gateway answers 405 for a known path with another method
    case GrpcCode.AlreadyExists:
      return 409;
    case GrpcCode.ResourceExhausted:
      return 429;
    case GrpcCode.DeadlineExceeded:
      return 504;
    default:
      return 500;
  }
}

/** The gRPC code of each kind of domain error, as errox's kinds map to codes in the service. */
const CODE_OF: Record<DomainErrorKind, GrpcCode> = {
  invalid_arguments: GrpcCode.InvalidArgument,
  not_found: GrpcCode.NotFound,
  internal: GrpcCode.Internal,
  deadline_exceeded: GrpcCode.DeadlineExceeded,
};
export const codeOf = (error: DomainError): GrpcCode => CODE_OF[error.kind];

/** An error of our own middleware: a gRPC code, a client-safe message, and headers to send. */
export class HttpRpcError extends Error {
  constructor(
    readonly code: GrpcCode,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly status = httpStatusOf(code),
  ) {
    super(message);
  }
}

type OpenApiRequest = Request & { openapi?: { schema?: { operationId?: string; responses?: Record<string, { content?: Record<string, unknown> }> } } };

/** The media type the contract gives this operation's answer with that status, when it is NDJSON. */
function streamsErrors(req: Request, status: number): boolean {
  const responses = (req as OpenApiRequest).openapi?.schema?.responses ?? {};
  const response = responses[String(status)] ?? responses.default;
  return Object.keys(response?.content ?? {}).includes(NDJSON);
}

/** The NDJSON error line of a stream. */
export const errorLine = (code: GrpcCode, message: string) => `${JSON.stringify({ error: { code, message, details: [] } } satisfies ExportLine)}\n`;

/** The gRPC code an HTTP status maps to, for errors raised outside the app (malformed HTTP). */
const codeOfStatus = (status: number): GrpcCode =>
  status === 401 ? GrpcCode.Unauthenticated : status === 403 ? GrpcCode.PermissionDenied : status === 404 ? GrpcCode.NotFound : status >= 500 ? GrpcCode.Internal : GrpcCode.InvalidArgument;

/** The service's ExtendedRpcStatus body. */
export const errorShape: ErrorShape = (status, message) => ({ code: codeOfStatus(status), message, details: [], error: message });

export function sendRpcError(req: Request, res: Response, error: { code: GrpcCode; message: string; status?: number; headers?: Record<string, string> }): void {
  const status = error.status ?? httpStatusOf(error.code);
  res.status(status);
  for (const [name, value] of Object.entries(error.headers ?? {})) res.setHeader(name, value);
  if (streamsErrors(req, status)) {
    res.setHeader('Content-Type', NDJSON);
    res.send(errorLine(error.code, error.message));
    return;
  }
  res.setHeader('Content-Type', 'application/json');
  res.send(jsonTextFor(req, { code: error.code, message: error.message, details: [], error: error.message }));
}

/** What express-openapi-validator and body-parser errors look like. */
interface LibraryError {
  status?: unknown;
  type?: unknown;
  errors?: { path?: string; message?: string }[];
  headers?: Record<string, string>;
}

/** "/query/pagination.limit" -> query parameter "pagination.limit"; "/body/name" -> request body field "name". */
function describe(error: { path?: string; message?: string }): string {
  const [where = '', ...rest] = (error.path ?? '').split('/').filter(Boolean);
  const field = rest.join('.');
  const why = (error.message ?? 'is invalid')
    .replace(/^Unknown query parameter '.*'$/, 'is not a parameter of this operation')
    .replace(/^must have required property '.*'$/, 'is required');
  if (where === 'query') return `query parameter ${JSON.stringify(field)} ${why}`;
  if (where === 'params') return `path parameter ${JSON.stringify(field)} ${why}`;
  if (where === 'body') return field ? `request body field ${JSON.stringify(field)} ${why}` : `request body ${why}`;
  return `request ${why}`;
}

export const notFoundHandler: RequestHandler = (_req, _res, next) => next(new HttpRpcError(GrpcCode.NotFound, 'Not Found'));

export function errorHandler(logger: Logger): ErrorRequestHandler {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- Express tells error handlers apart by their four parameters
  return (err: unknown, req, res, _next) => {
    if (res.headersSent) {
      logger.error({ err }, 'error after the answer started');
      res.destroy();
      return;
    }
    if (err instanceof DomainError) return sendRpcError(req, res, { code: codeOf(err), message: err.message });
    if (err instanceof HttpRpcError) return sendRpcError(req, res, err);
    const e = (typeof err === 'object' && err !== null ? err : {}) as LibraryError;
    const status = typeof e.status === 'number' ? e.status : 500;
    const invalid = (what: string, s = 400) => sendRpcError(req, res, { code: GrpcCode.InvalidArgument, message: `${what}: invalid arguments`, status: s });
    switch (true) {
      case status === 400 && e.type === 'entity.parse.failed':
        return invalid('request body is not valid JSON');
      case status === 400 && Array.isArray(e.errors):
        return invalid((e.errors ?? []).slice(0, 3).map(describe).join('; '));
      case status === 404:
        return sendRpcError(req, res, { code: GrpcCode.NotFound, message: 'Not Found' });
      case status === 405:
        return sendRpcError(req, res, { code: GrpcCode.Unimplemented, message: 'Method Not Allowed', status: 405, headers: { Allow: e.headers?.Allow ?? '' } });
      case status === 413:
        return invalid('request body is too large', 413);
      case status === 415:
        // grpc-gateway reads any body as JSON, so a missing or non-JSON body is InvalidArgument, not 415
        return invalid(req.headers['content-type'] ? 'request body must be application/json' : 'request body is required');
      case status === 406:
        return sendRpcError(req, res, { code: GrpcCode.InvalidArgument, message: 'Not Acceptable: this operation answers application/json', status: 406 });
      case status >= 400 && status < 500:
        return sendRpcError(req, res, { code: GrpcCode.InvalidArgument, message: 'invalid request', status });
      default:
        // a crash, or an answer that broke the contract (response validation): a bug worth shouting about
        logger.error({ err, method: req.method, url: req.originalUrl }, 'INTERNAL ERROR: answered 500');
        return sendRpcError(req, res, { code: GrpcCode.Internal, message: 'an internal error occurred' });
    }
  };
}
