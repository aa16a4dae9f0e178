// CORS for a frontend on another origin, answered as the mock answers it (mock/cors.ts): a preflight is
// a 204 that allows the requested headers, with credentials; every answer to a page lets it read the
// response headers its contract documents. A frontend developed against the mock then works unchanged
// against the reference server. Switched by the CORS setting (shared/config.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolveRef } from './spec.ts';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** The response headers a bundle documents on any answer of any operation, as written there. */
export function documentedResponseHeaders(spec: Json): string[] {
  const names = new Map<string, string>();
  for (const item of Object.values(isObject(spec.paths) ? spec.paths : {})) {
    for (const method of METHODS) {
      const operation = isObject(item) ? item[method] : undefined;
      const responses = isObject(operation) && isObject(operation.responses) ? operation.responses : {};
      for (const raw of Object.values(responses)) {
        const response = resolveRef(spec, raw);
        const headers = isObject(response) && isObject(response.headers) ? response.headers : {};
        for (const name of Object.keys(headers)) names.set(name.toLowerCase(), name);
      }
    }
  }
  return [...names.values()];
}

/** The methods each path of the bundles takes, for a preflight's Access-Control-Allow-Methods. */
export function methodsByPath(specs: readonly Json[]): (path: string) => string[] {
  const routes: { pattern: RegExp; methods: string[] }[] = [];
  for (const spec of specs) {
    for (const [template, item] of Object.entries(isObject(spec.paths) ? spec.paths : {})) {
      if (!isObject(item)) continue;
      const source = template
        .split(/\{[^}]+\}/)
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]+');
      routes.push({ pattern: new RegExp(`^${source}$`), methods: METHODS.filter((m) => isObject(item[m])).map((m) => m.toUpperCase()) });
    }
  }
  return (path) => [...new Set(routes.filter((r) => r.pattern.test(path)).flatMap((r) => r.methods))];
}

export interface CorsOptions {
  /** Response headers a page may read (Access-Control-Expose-Headers). */
  exposeHeaders: readonly string[];
  /** The methods a path takes; a path no contract documents gets no CORS (its answer is unreadable to a page). */
  methodsOf: (path: string) => string[];
}

/** A front-door step (front-door.ts): true when it has answered (a preflight), false to let the request go on. */
export type CorsStep = (req: IncomingMessage, res: ServerResponse, path: string) => boolean;

/** CORS for the contracts of these bundles: the headers any of them documents, the methods of their paths. */
export function corsForBundles(specs: readonly Json[]): CorsStep {
  const names = new Map(specs.flatMap(documentedResponseHeaders).map((name) => [name.toLowerCase(), name]));
  return cors({ exposeHeaders: [...names.values()], methodsOf: methodsByPath(specs) });
}

/**
 * Answers preflights before anything else (they carry no credentials, so authentication must not see
 * them) and marks every answer to a request with an Origin as readable by that origin, with credentials.
 */
export function cors({ exposeHeaders, methodsOf }: CorsOptions): CorsStep {
  // `*` is no wildcard on a request with credentials: the names are listed.
  const expose = exposeHeaders.join(', ');
  return function cors(req, res, path) {
    const origin = req.headers.origin;
    if (origin === undefined) return false;
    // Only the contracts' own paths: the control API must stay out of a foreign page's reach (a page can
    // name a loopback host; without a preflight answer it cannot send JSON there).
    const methods = methodsOf(path);
    if (methods.length === 0) return false;
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    res.setHeader('Vary', 'Origin');
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
      res.setHeader('Access-Control-Allow-Methods', methods.join(', '));
      const requested = req.headers['access-control-request-headers'];
      if (requested) res.setHeader('Access-Control-Allow-Headers', requested);
      res.setHeader('Access-Control-Max-Age', '600');
      res.setHeader('Vary', 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers');
      res.statusCode = 204;
      res.end();
      return true;
    }
    if (expose !== '') res.setHeader('Access-Control-Expose-Headers', expose);
    return false;
  };
}
