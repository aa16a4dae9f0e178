// MSW request handlers for any OpenAPI 3.x spec, answering from its named examples with the mock's
// selection (mock/README.md, "Which example answers"). Browser-safe: the spec comes in as the bundled
// JSON object (generated/<contract>/openapi.json), never as a file path, and nothing here or below
// imports node: modules, so the same handlers serve msw/node's setupServer and msw/browser's worker.
import { delay, http, HttpResponse, type HttpHandler } from 'msw';
import { buildModel, type SpecModel } from '../model.ts';
import { buildRouter, type RouteResult } from '../routing.ts';
import { parsePrefer, type Credential } from '../selection.ts';
import { streamKind, streamRecords } from '../streams.ts';
import { answerRequest, errorAnswer, type MswAnswer } from './answer.ts';

export type { Credential } from '../selection.ts';
/** openapi-msw's `http`, typed by openapi-typescript's `paths`: overrides whose answers the spec's types check. */
export { createOpenApiHttp as createTypedHttp } from 'openapi-msw';
export type { MswAnswer } from './answer.ts';

export interface MockHandlersOptions {
  /**
   * Where the API is, as the client calls it: `http://127.0.0.1:3000`, `https://api.example.com/api/v3`
   * (the spec's paths follow it), or a path such as `/api/v3` for any origin. Default: any origin,
   * the spec's paths from the root.
   */
  baseUrl?: string;
  /** Credentials that name caller roles, as the mock's --token, --basic and --header (`x-caller` cases). */
  credentials?: readonly Credential[];
  /** As the mock's --strict-auth: credentials that `credentials` does not name get the documented 401. */
  strictAuth?: boolean;
}

/** The bundled spec's operations as MSW handlers (one handler routing them all, as the mock routes). */
export function createMockHandlers(spec: object, options: MockHandlersOptions = {}): HttpHandler[] {
  const model = buildModel(spec as Record<string, unknown>);
  const router = buildRouter(model.operations);
  const base = parseBase(options.baseUrl);
  const answerOptions = { credentials: options.credentials ?? [], strictAuth: options.strictAuth === true };

  const routeOf = (request: Request): { route: RouteResult; pathname: string } | undefined => {
    const url = new URL(request.url);
    if (base.origin !== undefined && url.origin !== base.origin) return undefined;
    if (!url.pathname.startsWith(base.path)) return undefined;
    const pathname = url.pathname.slice(base.path.length) || '/';
    if (!pathname.startsWith('/')) return undefined;
    const method = request.method.toLowerCase();
    let route = router.match(method, pathname);
    if (route.kind === 'method-not-allowed' && method === 'head') route = router.match('get', pathname);
    return route.kind === 'not-found' ? undefined : { route, pathname };
  };

  const handler = http.all(
    ({ request }) => routeOf(request) !== undefined,
    async ({ request }) => {
      const found = routeOf(request);
      if (!found) return undefined;
      const { route, pathname } = found;
      if (route.kind === 'not-found') return undefined;
      if (route.kind === 'method-not-allowed') {
        const allow = route.allow.join(', ');
        if (request.method === 'OPTIONS') return new HttpResponse(null, { status: 204, headers: { allow } });
        return toResponse(errorAnswer(model, 405, `${request.method} is not allowed on ${pathname} (allowed: ${allow})`), { allow }, false);
      }
      const url = new URL(request.url);
      const query: Record<string, string | string[]> = {};
      for (const [k, v] of url.searchParams) {
        const prev = query[k];
        query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
      }
      const headers: Record<string, string> = {};
      request.headers.forEach((value, name) => (headers[name] = value));
      const prefer = parsePrefer(headers.prefer, query);
      for (const name of Object.keys(query)) if (name.startsWith('__')) delete query[name];
      const { value, form } = await readBody(request);
      const answer = answerRequest(model, spec, route.op, { params: route.params, query, headers, body: value, form }, prefer, answerOptions);
      if (prefer.delay !== undefined) await delay(prefer.delay);
      return toResponse(answer, {}, request.method === 'HEAD');
    },
  );
  return [handler];
}

/** The spec's model as the handlers read it (operations, example keys by status), for tools and tests. */
export function mockModel(spec: object): SpecModel {
  return buildModel(spec as Record<string, unknown>);
}

function parseBase(baseUrl: string | undefined): { origin?: string; path: string } {
  if (baseUrl === undefined || baseUrl === '') return { path: '' };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(baseUrl)) {
    const url = new URL(baseUrl);
    return { origin: url.origin, path: url.pathname.replace(/\/+$/, '') };
  }
  return { path: `/${baseUrl.replace(/^\/+|\/+$/g, '')}`.replace(/^\/$/, '') };
}

/** The body as selection reads it: JSON parsed; a form (urlencoded or multipart) as field -> text, a file as one character per byte. */
async function readBody(request: Request): Promise<{ value: unknown; form: boolean }> {
  if (request.body === null) return { value: undefined, form: false };
  const type = (request.headers.get('content-type') ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data') || type.startsWith('application/x-www-form-urlencoded')) {
    try {
      const fields: Record<string, string> = {};
      for (const [name, entry] of await request.formData()) {
        if (name in fields) continue;
        fields[name] = typeof entry === 'string' ? entry : latin1(new Uint8Array(await entry.arrayBuffer()));
      }
      return { value: fields, form: true };
    } catch {
      return { value: undefined, form: false };
    }
  }
  const text = await request.text();
  if (text === '') return { value: undefined, form: false };
  if (!type || /json/.test(type)) {
    try {
      return { value: JSON.parse(text), form: false };
    } catch {
      // Not JSON: compared as text, and so it matches no JSON example.
    }
  }
  return { value: text, form: false };
}

function latin1(bytes: Uint8Array): string {
  let out = '';
  // In slices: String.fromCharCode takes its arguments on the stack.
  for (let i = 0; i < bytes.length; i += 8192) out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return out;
}

/** The answer as a Response: a stream media type one record per chunk (as the mock sends it), else the body written whole. */
function toResponse(answer: MswAnswer, extra: Record<string, string>, head: boolean): Response {
  const headers: Record<string, string> = { ...extra };
  if (answer.contentType !== undefined && answer.body !== undefined) headers['content-type'] = answer.contentType;
  if (head || answer.body === undefined || answer.status === 204 || answer.status === 304) return new HttpResponse(null, { status: answer.status, headers });
  const kind = streamKind(answer.contentType);
  if (kind) {
    const records = streamRecords(kind, answer.body);
    const encoder = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = records.shift();
        if (next === undefined) controller.close();
        else controller.enqueue(encoder.encode(next));
      },
    });
    return new HttpResponse(stream, { status: answer.status, headers });
  }
  const text = typeof answer.body === 'string' && !/json/.test(answer.contentType ?? '') ? answer.body : JSON.stringify(answer.body);
  return new HttpResponse(text, { status: answer.status, headers });
}
