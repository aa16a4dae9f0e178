// Request and response validation from the bundled contract, with our own steps slotted in after the
// validator has found the operation: read the multipart body (hashing it), authenticate, check the
// form the way FastAPI does; then the validator checks parameters and body against the contract.
import type { Request, RequestHandler } from 'express';
import type { ValidationItem } from '../domain/form.ts';
import { InvalidRequest } from './errors.ts';
import { afterMetadata, lazyValidation } from '../../shared/validator.ts';


/**
 * The `pattern` of each property of a form schema in the bundle, so the form check applies the
 * contract's own rules (a copy would drift). A schema that is not there is a bug: it throws at start-up.
 */
export function formPatternsOf(spec: Record<string, unknown>, schema: string): Record<string, string> {
  const components = spec.components as { schemas?: Record<string, { properties?: Record<string, { pattern?: unknown }> }> } | undefined;
  const properties = components?.schemas?.[schema]?.properties;
  if (!properties) throw new Error(`the bundle has no schema ${schema} with properties`);
  return Object.fromEntries(Object.entries(properties).flatMap(([field, rule]) => (typeof rule.pattern === 'string' ? [[field, rule.pattern]] : [])));
}

/** Per operationId: turns res.locals.form into the typed body, or the 422 items. */
export type FormCheck = (form: NonNullable<unknown>) => { body: Record<string, unknown>; value: unknown } | ValidationItem[];

const operationIdOf = (req: Request) => (req as Request & { openapi?: { schema?: { operationId?: string } } }).openapi?.schema?.operationId;

export function checkForms(checks: Record<string, FormCheck>): RequestHandler {
  return (req, res, next) => {
    const check = checks[operationIdOf(req) ?? ''];
    if (!check || res.locals.form === undefined) return next();
    const result = check(res.locals.form as NonNullable<unknown>);
    if (Array.isArray(result)) return next(new InvalidRequest(result));
    req.body = result.body; // what the contract's schema sees
    res.locals.formValue = result.value;
    next();
  };
}

export function validation(spec: Record<string, unknown>, between: RequestHandler[]): RequestHandler {
  return lazyValidation(
    spec,
    {
      validateRequests: { allowUnknownQueryParameters: true }, // FastAPI ignores query parameters it does not declare
      validateSecurity: false, // http/auth.ts does it, with the service's messages and its hotkey signatures
      fileUploader: false, // http/multipart.ts reads the body: the signature needs its raw bytes
      useRequestUrl: true, // so a raw "/" in a name reference can be re-encoded before matching
    },
    (middlewares) => {
      const at = afterMetadata(middlewares);
      return [...middlewares.slice(0, at), ...between, ...middlewares.slice(at)];
    },
  );
}

/**
 * FastAPI's `{image_id_or_name:path}` takes `user/name:tag` with a raw slash; OpenAPI path parameters
 * cannot, so raw ones are re-encoded (%2F) before routing (names may hold '/' too). Only a path whose
 * last segment holds ':' is joined, which never touches /images/{image_id}/logs.
 */
export const encodeRawSlash: RequestHandler = (req, _res, next) => {
  const [path = '', query] = req.url.split(/\?(.*)/s, 2);
  const m = /^\/images\/([^/]+(?:\/[^/]+)*\/[^/]*:[^/]*)$/.exec(path);
  if (m) req.url = `/images/${m[1]!.replaceAll('/', '%2F')}${query !== undefined ? `?${query}` : ''}`;
  next();
};

/** `/images` is not a path of the contract; FastAPI redirects it to `/images/` (307 keeps the method and body). */
export const redirectToSlash: RequestHandler = (req, res, next) => {
  const [path = '', query] = req.url.split(/\?(.*)/s, 2);
  if (path !== '/images') return next();
  res.redirect(307, `/images/${query !== undefined ? `?${query}` : ''}`);
};
