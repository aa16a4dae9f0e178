// Our own reading of the bundled spec: what prism does not keep (x- extensions, which status holds
// which named example, request examples by key) in the shape selection, errors and state need.
// Roles, callers and which request an example answers are spec-conventions/'s, as in the suite.
import deepEqual from 'fast-deep-equal';
import { declaresSameKey, followsProjectConvention, unpairedMessage, type RequestPart } from '../spec-conventions/pairing.ts';
import { callerRoles, exampleCaller, isSecured } from '../spec-conventions/roles.ts';
export type Json = unknown;
type Obj = Record<string, unknown>;

export interface ResponseExample {
  key: string;
  status: number;
  mediaType: string;
  value: Json;
  summary?: string;
  /** x- extensions of the example object (x-caller, x-replayable, ...). */
  ext: Obj;
  /** A lone `example:` (named `default` here): no name to pair by. */
  single?: boolean;
}

export interface ParamModel {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  examples: Map<string, Json>;
  /** `x-also-matches`: templates over an item's fields (`{name}:{tag}`) that name the item as well as its id. */
  alsoMatches: string[];
}

/** One request-side named example: the parts a request must carry to be this case. */
export interface RequestCase {
  key: string;
  status: number;
  /** `body-absent`: the case sends no body (an optional body the example pairs with nothing). */
  constraints: { part: 'path' | 'query' | 'header' | 'body' | 'body-absent' | 'query-absent' | 'header-absent'; name: string; value: Json }[];
  /** Who sends it (x-caller, else `owner` on a secured operation and `none` otherwise). */
  caller: string;
  /** How many parts are the case's own (named by its key, or a caller other than the default). */
  own: number;
}

export interface OperationModel {
  id: string;
  method: string;
  path: string;
  summary?: string;
  tags: string[];
  secured: boolean;
  params: ParamModel[];
  bodyExamples: Map<string, Json>;
  bodyRequired: boolean;
  /** Lower-case request headers that carry credentials (Authorization, api key headers). */
  securityHeaders: string[];
  /** Every credential the operation takes travels in a header (none in the query or a cookie): a request without those headers is anonymous. */
  credentialsInHeaders: boolean;
  /** Documented statuses, ascending (`default` and ranges left out). */
  statuses: number[];
  examples: ResponseExample[];
  examplesByKey: Map<string, ResponseExample>;
  firstExampleByStatus: Map<number, ResponseExample>;
  /** The lowest 2xx's first example: the answer when nothing else is asked for. */
  defaultSuccess?: ResponseExample;
  successStatus?: number;
  cases: RequestCase[];
  /** Lower-case request headers that can change prism's answer (params, security, negotiation). */
  keyHeaders: string[];
  /** Who sends a request that names no x-caller: the spec's first caller role when secured, else `none`. */
  defaultCaller: string;
  /** Media types of the request body, JSON first (`multipart/form-data` bodies are matched by field). */
  bodyMediaTypes: string[];
  /** Event-stream heartbeats (`x-stream-heartbeat`) by `<status> <media type>`: what to write while idle, how often. */
  heartbeats: Map<string, Heartbeat>;
  /** The media types each documented status answers with, in spec order, with their schemas (for content negotiation and XML). */
  contentByStatus: Map<number, ResponseContent[]>;
}

export interface ResponseContent {
  mediaType: string;
  /** The schema as written (a `$ref` kept: its name is an XML element's default name). */
  schema: unknown;
  hasExamples: boolean;
}

/** What a stream's server writes while it has no event to send, and how often (spec/README.md). */
export interface Heartbeat {
  text: string;
  intervalMs: number;
}

/** How `heartbeats` is keyed: a status and a media type without its parameters (`200 text/event-stream`). */
export const heartbeatKey = (status: number, contentType: string | undefined): string => `${status} ${(contentType ?? '').split(';')[0]?.trim().toLowerCase()}`;

/** The `x-stream-heartbeat` of a media type, when it is well formed (the lint rule says when it is not). */
export function heartbeatOf(media: Record<string, unknown>): Heartbeat | undefined {
  const beat = media['x-stream-heartbeat'];
  if (typeof beat !== 'object' || beat === null) return undefined;
  const { text, 'interval-ms': intervalMs } = beat as Record<string, unknown>;
  return typeof text === 'string' && text !== '' && typeof intervalMs === 'number' && intervalMs > 0 ? { text, intervalMs } : undefined;
}

/** One documented 4xx/5xx JSON answer: the material errors.ts derives the spec's error shape from. */
export interface ErrorResponse {
  status: number;
  mediaType: string;
  /** The schema's `$ref` when it has one, else its JSON: responses sharing a schema share a key. */
  schemaKey: string;
  /** The schema, references resolved one level at a time by `deref`. */
  schema: unknown;
  examples: Json[];
}

export interface SpecModel {
  title: string;
  version: string;
  operations: OperationModel[];
  /** Every documented JSON error answer, in spec order: errors.ts derives the error shape from them. */
  errorResponses: ErrorResponse[];
  /** The root's `x-caller-roles` (spec/README.md), else owner and other: the first is the default caller. */
  roles: string[];
  /** Every response header the spec documents on some answer, as written there (for CORS). */
  responseHeaders: string[];
  /** Resolves `$ref`s of the bundled document (for schemas read later). */
  deref(node: unknown): unknown;
  /**
   * Under `x-example-pairing: same-key`, every response example whose request parts do not all name
   * it, one line each: the spec's error (loadSpec refuses such a spec rather than fill the gap).
   */
  pairingErrors: string[];
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function pointer(doc: Obj, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = doc;
  for (const raw of ref.slice(2).split('/')) {
    const part = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObj(node) && !Array.isArray(node)) return undefined;
    node = (node as Obj)[part];
  }
  return node;
}

export function buildModel(doc: Obj): SpecModel {
  const deref = (node: unknown): unknown => {
    let current = node;
    for (let hops = 0; hops < 20 && isObj(current) && typeof current.$ref === 'string'; hops++) {
      current = pointer(doc, current.$ref);
    }
    return current;
  };
  const info = isObj(doc.info) ? doc.info : {};
  const paths = isObj(doc.paths) ? doc.paths : {};
  const components = isObj(doc.components) ? doc.components : {};
  const schemes = isObj(components.securitySchemes) ? components.securitySchemes : {};
  const operations: OperationModel[] = [];
  const errorResponses: ErrorResponse[] = [];
  const responseHeaders = new Map<string, string>();
  const roles = callerRoles(doc);
  const projectConvention = followsProjectConvention(doc, deref);
  const sameKey = declaresSameKey(doc);
  const pairingErrors: string[] = [];

  for (const [pathTemplate, rawItem] of Object.entries(paths)) {
    const item = deref(rawItem);
    if (!isObj(item)) continue;
    const pathParams = Array.isArray(item.parameters) ? item.parameters : [];
    // Spec order, so the catalog and Allow read like the spec.
    for (const method of Object.keys(item).filter((k): k is (typeof METHODS)[number] => (METHODS as readonly string[]).includes(k))) {
      const op = deref(item[method]);
      if (!isObj(op)) continue;
      const params = mergeParams(pathParams, Array.isArray(op.parameters) ? op.parameters : [], deref);
      const security = (Array.isArray(op.security) ? op.security : Array.isArray(doc.security) ? doc.security : []) as unknown[];
      const secured = isSecured(security);
      const keyHeaders = new Set(['content-type', 'accept']);
      const securityHeaders = new Set<string>();
      let credentialsInHeaders = true;
      for (const p of params) if (p.in === 'header') keyHeaders.add(p.name.toLowerCase());
      for (const p of params) if (p.in === 'cookie') keyHeaders.add('cookie');
      for (const req of security) {
        if (!isObj(req)) continue;
        for (const name of Object.keys(req)) {
          const scheme = deref(schemes[name]);
          if (!isObj(scheme)) continue;
          if ((scheme.type === 'apiKey' && scheme.in !== 'header') || scheme.type === 'mutualTLS') credentialsInHeaders = false;
          if (scheme.type === 'apiKey' && scheme.in === 'header' && typeof scheme.name === 'string') securityHeaders.add(scheme.name.toLowerCase());
          else if (scheme.type === 'apiKey' && scheme.in === 'cookie') keyHeaders.add('cookie');
          else if (scheme.type !== 'apiKey') securityHeaders.add('authorization');
        }
      }

      for (const h of securityHeaders) keyHeaders.add(h);
      const bodyExamples = new Map<string, Json>();
      const body = deref(op.requestBody);
      const bodyRequired = isObj(body) && body.required === true;
      const bodyMediaTypes: string[] = [];
      // A lone `example` is a fallback to send, never a name to pair with (spec-conventions/pairing.ts).
      const namedBodyKeys = new Set<string>();
      if (isObj(body) && isObj(body.content)) {
        const media = Object.entries(body.content).sort(([a], [b]) => Number(!/json/.test(a)) - Number(!/json/.test(b)));
        bodyMediaTypes.push(...media.map(([type]) => type));
        for (const [, rawMedia] of media) {
          const m = deref(rawMedia);
          if (!isObj(m)) continue;
          readExamples(m, deref).forEach((ex, key) => {
            bodyExamples.set(key, ex.value);
            if (!ex.single) namedBodyKeys.add(key);
          });
          if (bodyExamples.size > 0) break;
        }
      }

      const examples: ResponseExample[] = [];
      const statuses: number[] = [];
      const heartbeats = new Map<string, Heartbeat>();
      const contentByStatus = new Map<number, ResponseContent[]>();
      const responses = isObj(op.responses) ? op.responses : {};
      const codes = Object.keys(responses).filter((c) => /^[1-5][0-9][0-9]$/.test(c)).sort();
      for (const code of codes) {
        const status = Number(code);
        statuses.push(status);
        const response = deref(responses[code]);
        if (isObj(response) && isObj(response.headers)) for (const name of Object.keys(response.headers)) responseHeaders.set(name.toLowerCase(), name);
        if (!isObj(response) || !isObj(response.content)) continue;
        const contents: ResponseContent[] = [];
        contentByStatus.set(status, contents);
        for (const [mediaType, rawMedia] of Object.entries(response.content)) {
          const m = deref(rawMedia);
          if (!isObj(m)) continue;
          contents.push({ mediaType, schema: m.schema, hasExamples: isObj(m.examples) ? Object.keys(m.examples).length > 0 : 'example' in m });
          const heartbeat = heartbeatOf(m);
          if (heartbeat) heartbeats.set(heartbeatKey(status, mediaType), heartbeat);
          const found = readExamples(m, deref);
          found.forEach((ex, key) => examples.push({ key, status, mediaType, value: ex.value, summary: ex.summary, ext: ex.ext, single: ex.single }));
          if (status >= 400 && /json/i.test(mediaType) && !/ndjson|json-seq|jsonl/i.test(mediaType)) {
            const rawSchema = isObj(m.schema) && typeof m.schema.$ref === 'string' ? m.schema.$ref : undefined;
            const schema = deref(m.schema);
            errorResponses.push({ status, mediaType, schemaKey: rawSchema ?? JSON.stringify(schema ?? null), schema, examples: [...found.values()].map((ex) => ex.value) });
          }
        }
      }
      const examplesByKey = new Map<string, ResponseExample>();
      const firstExampleByStatus = new Map<number, ResponseExample>();
      for (const ex of examples) {
        if (!examplesByKey.has(ex.key)) examplesByKey.set(ex.key, ex);
        if (!firstExampleByStatus.has(ex.status)) firstExampleByStatus.set(ex.status, ex);
      }
      const successStatus = statuses.find((s) => s >= 200 && s < 300);
      const defaultSuccess = successStatus === undefined ? undefined : firstExampleByStatus.get(successStatus);

      // Every replayable response example is a case, pinned to a request the way spec/README.md's
      // convention builds it: the parts its key names (its own parts), the caller, and for a case
      // with no own part the fallbacks (first path examples, first body example or no body).
      const cases: RequestCase[] = [];
      const defaultCaller = exampleCaller({}, roles, secured);
      /** The request the convention builds for a response example (undefined: pure fallbacks). */
      const conventionRequest = (ex: ResponseExample | undefined): unknown[] => {
        const k = ex?.key;
        const parts: unknown[] = [];
        for (const p of params) {
          const own = k !== undefined && p.examples.has(k);
          parts.push(own ? p.examples.get(k) : p.in === 'path' || p.required ? [...p.examples.values()][0] : undefined);
        }
        parts.push(k !== undefined && bodyExamples.has(k) ? bodyExamples.get(k) : bodyRequired ? [...bodyExamples.values()][0] : undefined);
        parts.push(exampleCaller(ex?.ext ?? {}, roles, secured));
        return parts;
      };
      const opId = typeof op.operationId === 'string' ? op.operationId : `${method.toUpperCase()} ${pathTemplate}`;
      if (sameKey) {
        const parts: RequestPart[] = params.map((p) => ({ in: p.in, name: p.name, required: p.required, examples: p.examples }));
        parts.push({ in: 'body', name: '', required: bodyRequired, examples: new Map([...namedBodyKeys].map((k) => [k, bodyExamples.get(k)])) });
        for (const ex of examples) {
          if (ex.single) continue;
          const message = unpairedMessage(opId, ex.key, parts);
          if (message) pairingErrors.push(message);
        }
      }
      for (const response of examplesByKey.values()) {
        if (response.ext['x-replayable'] === false) continue;
        const key = response.key;
        const constraints: RequestCase['constraints'] = [];
        // Under same-key pairing every case names every needed part (and, for Specmatic, at least one
        // part). A part holding what the default answer's request sends there is that request's, as a
        // fallback part was: not what the case is about (an error example on the success's own id), so
        // no constraint of its own; the parts that tell the case apart are.
        const sharedWithDefault: RequestCase['constraints'] = [];
        const isDefaults = (examplesOf: Map<string, Json>): boolean =>
          sameKey && defaultSuccess !== undefined && examplesOf.has(defaultSuccess.key) && deepEqual(examplesOf.get(key), examplesOf.get(defaultSuccess.key));
        for (const p of params) {
          if (p.in === 'cookie' || !p.examples.has(key)) continue;
          (isDefaults(p.examples) ? sharedWithDefault : constraints).push({ part: p.in, name: p.name, value: p.examples.get(key) });
        }
        if (namedBodyKeys.has(key)) {
          const named = new Map([...namedBodyKeys].map((k) => [k, bodyExamples.get(k)]));
          (isDefaults(named) ? sharedWithDefault : constraints).push({ part: 'body', name: '', value: bodyExamples.get(key) });
        }
        const caller = exampleCaller(response.ext, roles, secured);
        const own = constraints.length + (caller === defaultCaller ? 0 : 1);
        // An example no request part names is untied in a spec that does not follow this project's
        // convention: nothing says which request gets it, so only Prefer reaches it.
        if (own === 0 && !projectConvention) continue;
        if (own === 0) {
          // Only when that request differs from the one the default answer pairs with (else any
          // spec's plain 404 example would take over requests for its first path example).
          // Under same-key pairing the case already names its needed parts: it is its own request.
          if (response === defaultSuccess || sameRequest(conventionRequest(sameKey ? response : undefined), conventionRequest(defaultSuccess))) continue;
          // Pinned as the fallbacks pinned it: its path and required body (under same-key, its own values).
          if (sameKey) constraints.push(...sharedWithDefault.filter((k) => k.part === 'path' || (k.part === 'body' && bodyRequired)));
          for (const p of sameKey ? [] : params) {
            const first = p.in === 'path' ? [...p.examples.values()][0] : undefined;
            if (first !== undefined) constraints.push({ part: 'path', name: p.name, value: first });
          }
          if (bodyRequired && bodyExamples.size > 0) {
            if (!sameKey) constraints.push({ part: 'body', name: '', value: [...bodyExamples.values()][0] });
          } else if (bodyExamples.size > 0) constraints.push({ part: 'body-absent', name: '', value: undefined });
          // The convention sends no optional query or header parameter for it: a request that sends
          // one another case names is that case's, not this one's (DeleteImages without a query).
          for (const p of params) {
            // (a part it names with the default answer's value may be sent or not: the request is the same)
            if (sharedWithDefault.some((k) => k.part === p.in && k.name === p.name)) continue;
            if ((p.in === 'query' || p.in === 'header') && !p.required && p.examples.size > 0) constraints.push({ part: p.in === 'query' ? 'query-absent' : 'header-absent', name: p.name, value: undefined });
          }
          // Nothing tells its request from any other: only Prefer reaches it.
          if (constraints.length === 0) continue;
        }
        cases.push({ key, status: response.status, constraints, caller, own });
      }

      operations.push({
        id: typeof op.operationId === 'string' ? op.operationId : `${method.toUpperCase()} ${pathTemplate}`,
        method,
        path: pathTemplate,
        summary: typeof op.summary === 'string' ? op.summary : undefined,
        tags: Array.isArray(op.tags) ? op.tags.filter((t): t is string => typeof t === 'string') : [],
        secured,
        params,
        bodyExamples,
        bodyRequired,
        securityHeaders: [...securityHeaders],
        credentialsInHeaders,
        statuses,
        examples,
        examplesByKey,
        firstExampleByStatus,
        defaultSuccess,
        successStatus,
        cases,
        keyHeaders: [...keyHeaders],
        defaultCaller,
        bodyMediaTypes,
        heartbeats,
        contentByStatus,
      });
    }
  }
  return {
    title: typeof info.title === 'string' ? info.title : 'API',
    version: typeof info.version === 'string' ? info.version : '',
    operations,
    errorResponses,
    roles,
    responseHeaders: [...responseHeaders.values()],
    deref,
    pairingErrors,
  };
}

function sameRequest(a: unknown[], b: unknown[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function readExamples(media: Obj, deref: (n: unknown) => unknown): Map<string, { value: Json; summary?: string; ext: Obj; single?: boolean }> {
  const out = new Map<string, { value: Json; summary?: string; ext: Obj; single?: boolean }>();
  if (isObj(media.examples)) {
    for (const [key, raw] of Object.entries(media.examples)) {
      const ex = deref(raw);
      if (!isObj(ex) || !('value' in ex)) continue;
      const ext: Obj = {};
      for (const [k, v] of Object.entries(ex)) if (k.startsWith('x-')) ext[k] = v;
      // An example that is itself a $ref keeps x- extensions on the referencing object too.
      if (isObj(raw)) for (const [k, v] of Object.entries(raw)) if (k.startsWith('x-')) ext[k] = v;
      out.set(key, { value: ex.value, summary: typeof ex.summary === 'string' ? ex.summary : undefined, ext });
    }
  } else if ('example' in media) {
    out.set('default', { value: media.example, ext: {}, single: true });
  }
  return out;
}

function mergeParams(pathLevel: unknown[], opLevel: unknown[], deref: (n: unknown) => unknown): ParamModel[] {
  const byKey = new Map<string, ParamModel>();
  for (const raw of [...pathLevel, ...opLevel]) {
    const p = deref(raw);
    if (!isObj(p) || typeof p.name !== 'string' || typeof p.in !== 'string') continue;
    const examples = new Map<string, Json>();
    if (isObj(p.examples)) {
      for (const [key, rawEx] of Object.entries(p.examples)) {
        const ex = deref(rawEx);
        if (isObj(ex) && 'value' in ex) examples.set(key, ex.value);
      }
    }
    const where = p.in as ParamModel['in'];
    byKey.set(`${where}:${where === 'header' ? p.name.toLowerCase() : p.name}`, {
      name: p.name,
      in: where,
      required: p.required === true,
      examples,
      alsoMatches: Array.isArray(p['x-also-matches']) ? p['x-also-matches'].filter((t): t is string => typeof t === 'string') : [],
    });
  }
  return [...byKey.values()];
}
