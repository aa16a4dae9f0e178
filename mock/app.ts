// createMockApp: a node:http request handler serving any OpenAPI 3.x spec through prism-http.
// No listen here (main.ts does that). Plain node:http rather than Express: the mock's point is speed.
import { EventEmitter } from 'node:events';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IHttpOperation } from '@stoplight/types';
import { catalogHtml, catalogJson } from './catalog.ts';
import { answerPreflight, isPreflight, setCorsHeaders } from './cors.ts';
import { parseBody } from './body.ts';
import { bodyFromSchema, buildError } from './errors.ts';
import { createRandom } from './faults.ts';
import { loadSpec, type LoadedSpec } from './load-spec.ts';
import { acceptedTypes, acceptsAnything, isXml, toXml } from './negotiation.ts';
import { heartbeatKey, type Heartbeat, type OperationModel } from './model.ts';
import { askPrism, forgetCompiledSchemas } from './prism.ts';
import { watchFiles, type FileWatch } from './reload.ts';
import { createRouter, type Router } from './router.ts';
import { callerOf, parsePrefer, selectExample, unauthorizedExample, UNKNOWN_CALLER, type Credential, type Prefer, type Selection } from './selection.ts';
import { sendStream, streamKind } from './streams.ts';
import { createStateStore, type Outcome, type StateStore } from './state.ts';

export interface MockLogger {
  info(line: string): void;
  error(line: string): void;
}

export interface MockOptions {
  /** Any OpenAPI 3.x file, multi-file specs included. Default spec/images/openapi.yaml. */
  specPath?: string;
  stateful?: boolean;
  /** Schema-generated answers unless a request says `Prefer: dynamic=false` (Prism's --dynamic). Default false. */
  dynamic?: boolean;
  /** Added to every answer; `Prefer: delay=<ms>` overrides it per request. */
  delayMs?: number;
  /** Share of requests (0..1) answered with the operation's documented 5xx. */
  failRate?: number;
  /** Seeds --fail-rate draws and dynamic (schema-generated) bodies. */
  seed?: string | number;
  /** No request lines (errors still print). */
  quiet?: boolean;
  logger?: MockLogger;
  /** Reload when a file of the spec changes. Default false here, true from main.ts. */
  watch?: boolean;
  /** Default true. */
  cors?: boolean;
  /** Role -> token (`{ other: 'bob-token' }`): a request with that token gets the examples whose x-caller is that role. */
  tokens?: Record<string, string>;
  /** More ways to name a caller role: Basic `user:password`, a header value (see Credential). Checked after `tokens`. */
  credentials?: Credential[];
  /**
   * Credentials that no `tokens`/`credentials` entry names are refused with the documented 401
   * (on an operation whose security is optional they count as none). Default false: any
   * credentials are the spec's first role.
   */
  strictAuth?: boolean;
  /** Pause between the records of a streamed answer (NDJSON lines, server-sent events). Default 0. */
  streamIntervalMs?: number;
  /** Remember prism's answer per identical request (method, url, relevant headers, body). Default true. */
  cache?: boolean;
  /** Fetch `$ref`s to http(s) URLs while loading the spec (`--allow-remote-refs`). Default false: nothing is fetched, such a `$ref` fails the load naming it. */
  allowRemoteRefs?: boolean;
  /** A request body that brings fewer than `bytes` in any window of `windowMs` is cut off with a 408. Default MIN_BODY_RATE. */
  minBodyRate?: BodyRate;
}

/** The largest request body the mock reads (a declared larger one is refused before reading). */
export const BODY_LIMIT = 10 * 1024 * 1024;
/** 1 KiB in every 10 s while a body arrives: a body dripped a byte a second is cut off within 10 s, any real client is not. */
export const MIN_BODY_RATE: BodyRate = { bytes: 1024, windowMs: 10_000 };

/** As the reference server's front door counts it (server/shared/front-door.ts), with the same default. */
export interface BodyRate {
  bytes: number;
  windowMs: number;
}

export type ReloadResult = { ok: true; files: number; operations: number } | { ok: false; error: string };

export interface MockApp {
  /** The node:http request listener: `http.createServer(app.handle)`. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  reload(): Promise<ReloadResult>;
  close(): Promise<void>;
  /** `reload` events carry a ReloadResult. */
  events: EventEmitter;
  readonly spec: LoadedSpec;
  readonly state: StateStore | undefined;
}

interface Generation {
  spec: LoadedSpec;
  router: Router;
  /** prism's operation per `method path`: prism routes among one candidate, not all of them. */
  prismOps: Map<string, IHttpOperation[]>;
  cache: Map<string, Answer>;
  loadedAt: Date;
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  payload: string;
  label: string;
  /** prism answered a validated request with one of its examples: state may take over. */
  fromPrism: boolean;
  source?: 'prefer' | 'request' | 'default';
}

const CACHE_LIMIT = 2000;
const METHODS_WITH_BODY = new Set(['post', 'put', 'patch', 'delete']);

const consoleLogger: MockLogger = {
  info: (line) => process.stdout.write(`${line}\n`),
  error: (line) => process.stderr.write(`${line}\n`),
};

export async function createMockApp(options: MockOptions = {}): Promise<MockApp> {
  const specPath = options.specPath ?? 'spec/images/openapi.yaml';
  const logger = options.logger ?? consoleLogger;
  const quiet = options.quiet ?? false;
  const cors = options.cors ?? true;
  const useCache = options.cache ?? true;
  const delayMs = options.delayMs ?? 0;
  const dynamic = options.dynamic ?? false;
  const streamIntervalMs = options.streamIntervalMs ?? 0;
  const failRate = options.failRate ?? 0;
  const minBodyRate = options.minBodyRate ?? MIN_BODY_RATE;
  const seed = options.seed === undefined ? undefined : String(options.seed);
  const random = createRandom(options.seed);
  const credentials: Credential[] = [
    ...Object.entries(options.tokens ?? {}).map(([role, value]): Credential => ({ role, kind: 'token', value })),
    ...(options.credentials ?? []),
  ];
  const events = new EventEmitter();

  const loadOptions = { allowRemoteRefs: options.allowRemoteRefs ?? false };
  let current = generationOf(await loadSpec(specPath, loadOptions));
  const state = options.stateful ? createStateStore(current.spec.model) : undefined;
  let lastReloadError: string | undefined;
  let fileWatch: FileWatch | undefined;
  let closed = false;
  let reloading: Promise<ReloadResult> | undefined;
  let reloadAgain = false;

  const rewatch = (): void => {
    fileWatch?.close();
    if (options.watch && !closed) fileWatch = watchFiles(current.spec.files, () => void reload());
  };
  rewatch();

  async function reloadOnce(): Promise<ReloadResult> {
    try {
      const spec = await loadSpec(specPath, loadOptions);
      current = generationOf(spec);
      lastReloadError = undefined;
      forgetCompiledSchemas();
      state?.update(spec.model);
      rewatch();
      const result: ReloadResult = { ok: true, files: spec.files.length, operations: spec.operations.length };
      logger.info(`mock: reloaded ${path.relative(process.cwd(), spec.specPath) || spec.specPath} (${result.operations} operations, ${result.files} files)`);
      return result;
    } catch (err) {
      lastReloadError = (err as Error).message;
      logger.error(`mock: reload FAILED, still serving the last good spec:\n  ${lastReloadError.replace(/\n/g, '\n  ')}`);
      // The broken edit may have added or renamed files: keep watching the good generation's files.
      rewatch();
      return { ok: false, error: lastReloadError };
    }
  }

  function reload(): Promise<ReloadResult> {
    if (reloading) {
      reloadAgain = true;
      return reloading;
    }
    reloading = (async () => {
      let result = await reloadOnce();
      while (reloadAgain && !closed) {
        reloadAgain = false;
        result = await reloadOnce();
      }
      reloading = undefined;
      events.emit('reload', result);
      return result;
    })();
    return reloading;
  }

  function generationOf(spec: LoadedSpec): Generation {
    const prismOps = new Map<string, IHttpOperation[]>();
    for (const op of spec.operations) prismOps.set(`${op.method} ${op.path}`, [op]);
    return { spec, router: createRouter(spec.model.operations), prismOps, cache: new Map(), loadedAt: new Date() };
  }

  function errorAnswer(status: number, message: string, label = 'error', headers: Record<string, string> = {}): Answer {
    const e = buildError(current.spec.model, status, message);
    return { status: e.status, headers: { 'content-type': e.contentType, ...headers }, body: e.body, payload: JSON.stringify(e.body), label, fromPrism: false };
  }

  /** The documented answer of `op` for `status` (its first example), else one we build in the spec's shape. */
  function documentedAnswer(op: OperationModel, status: number, message: string): Answer {
    const ex = op.firstExampleByStatus.get(status);
    if (ex) return { status, headers: { 'content-type': ex.mediaType }, body: ex.value, payload: payloadOf(op, status, ex.value, ex.mediaType), label: ex.key, fromPrism: false };
    return operationError(op, undefined, status, message);
  }

  /**
   * An error of `op` that the mock builds (prism had no documented answer for it), in the media
   * type the operation documents for that status, the Accept header choosing among several: an
   * XML-only error is XML (its example, else a body from its schema), anything else the spec's
   * JSON error shape (errors.ts).
   */
  function operationError(op: OperationModel, accept: string | undefined, status: number, message: string, headers: Record<string, string> = {}): Answer {
    const documented = op.contentByStatus.get(status) ?? [];
    const wanted = acceptedTypes(acceptsAnything(accept) ? undefined : accept, documented.map((c) => c.mediaType));
    const content = documented.find((c) => c.mediaType === wanted[0]) ?? documented[0];
    if (!content || !isXml(content.mediaType) || documented.some((c) => c.mediaType === wanted[0] && !isXml(c.mediaType))) return errorAnswer(status, message, 'error', headers);
    const ex = op.examples.find((e) => e.status === status && e.mediaType === content.mediaType) ?? op.firstExampleByStatus.get(status);
    const body = ex?.value ?? bodyFromSchema(current.spec.model, content.schema, status, message) ?? { message };
    return { status, headers: { 'content-type': content.mediaType, ...headers }, body, payload: payloadOf(op, status, body, content.mediaType), label: ex?.key ?? 'error', fromPrism: false };
  }

  /** The bytes of a body: XML written from a JSON value by the media type's schema, else as serialize() writes it. */
  function payloadOf(op: OperationModel, status: number, body: unknown, contentType: string | undefined): string {
    if (!isXml(contentType) || typeof body !== 'object' || body === null) return serialize(body, contentType);
    const type = contentType?.split(';')[0]?.trim().toLowerCase();
    const content = op.contentByStatus.get(status)?.find((c) => c.mediaType.toLowerCase() === type);
    return toXml(body, content?.schema, current.spec.model.deref);
  }

  async function compute(gen: Generation, op: OperationModel, req: IncomingMessage, pathname: string, params: Record<string, string>, query: Record<string, string | string[]>, prefer: Prefer, rawBody: Buffer | undefined): Promise<Answer> {
    const parsed = parseBody(rawBody, req.headers['content-type']);
    let caller = callerOf(op, req.headers, credentials, options.strictAuth ? undefined : (gen.spec.model.roles[0] ?? 'owner'));
    if (caller === UNKNOWN_CALLER && !op.secured) caller = 'none';
    let selection: Selection;
    if (caller === UNKNOWN_CALLER && prefer.example === undefined && prefer.code === undefined) {
      const key = unauthorizedExample(op);
      if (key === undefined) return operationError(op, req.headers.accept, 401, 'The credentials are not known to this mock (--strict-auth)');
      selection = { kind: 'prism', code: 401, exampleKey: key, dynamic: false, source: 'prefer' };
    } else {
      selection = selectExample(op, { params, query, headers: req.headers, body: parsed.value, form: parsed.form, caller }, prefer, seed);
    }
    if (selection.kind === 'unknown-example') {
      const known = [...op.examplesByKey.keys()].join(', ') || 'none';
      return operationError(op, req.headers.accept, 404, `${op.id} has no example named '${selection.example}' (known: ${known})`);
    }
    if (selection.kind === 'undocumented-code') {
      const status = selection.code >= 400 ? selection.code : 404;
      return operationError(op, req.headers.accept, status, `${op.id} documents no ${selection.code} answer (documented: ${op.statuses.join(', ')})`);
    }
    // prism looks for a named example only among the media types the request accepts: a client that
    // states no preference accepts the one the chosen example is written in.
    const accept = req.headers.accept;
    const prismHeaders = { ...req.headers } as Record<string, string>;
    let exampleKey = selection.exampleKey;
    const chosen = exampleKey === undefined ? undefined : op.examplesByKey.get(exampleKey);
    const status = selection.code ?? chosen?.status ?? op.successStatus;
    const offered = status === undefined ? [] : (op.contentByStatus.get(status) ?? []);
    /** XML the client prefers that the spec writes no example in: the JSON example, written as XML. */
    let asXml: string | undefined;
    if (acceptsAnything(accept)) {
      if (chosen) prismHeaders.accept = chosen.mediaType;
    } else if (!selection.dynamic) {
      const best = offered.find((c) => c.mediaType === acceptedTypes(accept, offered.map((o) => o.mediaType))[0]);
      const source = chosen ?? (status === undefined ? undefined : op.firstExampleByStatus.get(status));
      const writtenInBest = op.examples.some((e) => e.status === status && e.mediaType === best?.mediaType && (chosen === undefined || e.key === chosen.key));
      if (best && isXml(best.mediaType) && !writtenInBest && source && !isXml(source.mediaType)) {
        asXml = best.mediaType;
        exampleKey = source.key;
        prismHeaders.accept = source.mediaType;
      }
    }
    // Forms go to prism as sent: it parses and validates them against the form schema itself.
    const body = parsed.form ? rawBody?.toString('utf8') : parsed.value;
    const answer = await askPrism(
      { method: op.method as never, url: { path: pathname, query }, headers: prismHeaders, body },
      gen.prismOps.get(`${op.method} ${op.path}`) ?? gen.spec.operations,
      { code: selection.code, exampleKey, dynamic: selection.dynamic, seed: selection.seed },
    );
    if (!answer.ok) {
      // prism refused (no documented answer for what happened): the spec's error shape, our words.
      if (answer.status === 401) return operationError(op, accept, 401, 'Authentication required', answer.headers ?? {});
      if (answer.status === 415) return operationError(op, accept, 415, 'The request body has a media type this operation does not take');
      if (answer.status === 422 || answer.status === 400) return operationError(op, accept, validationStatus(op, gen.spec.model), 'The request is not valid for this operation');
      // prism's 406 arrives as a 500 when a status was asked for (a matched case): the Accept decides.
      const unacceptable = answer.status === 406 || (offered.length > 0 && !acceptsAnything(accept) && acceptedTypes(accept, offered.map((c) => c.mediaType)).length === 0);
      if (answer.status === 404 && !unacceptable) return operationError(op, accept, 404, `${op.id} has no answer for what was asked`);
      if (unacceptable) {
        const types = offered.map((c) => c.mediaType).join(', ');
        return operationError(op, undefined, 406, `${op.id} answers ${status ?? ''} in ${types || 'no media type'}; the Accept header takes none of them`.replace('  ', ' '));
      }
      return errorAnswer(500, `The mock could not build an answer for ${op.id}`);
    }
    const out = answer.output;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(out.headers ?? {})) headers[name.toLowerCase()] = String(value);
    if (asXml && out.statusCode === status) headers['content-type'] = asXml;
    if (answer.violations.length > 0) headers['x-mock-violations'] = answer.violations.join('; ').replace(/[^\x20-\x7e]/g, '?').slice(0, 2000);
    const label = selection.dynamic
      ? 'dynamic'
      : selection.exampleKey !== undefined && out.statusCode === selection.code
        ? selection.exampleKey
        : (op.firstExampleByStatus.get(out.statusCode)?.key ?? 'schema');
    return {
      status: out.statusCode,
      headers,
      body: out.body,
      payload: payloadOf(op, out.statusCode, out.body, headers['content-type']),
      label,
      fromPrism: answer.violations.length === 0,
      source: selection.source,
    };
  }

  /**
   * The answer to a request with a body that its headers already refuse (no credentials on a
   * secured operation whose credentials all travel in headers; unknown ones under --strict-auth),
   * computed without the body: prism's security check answers before any body check.
   */
  async function refusedOnHeaders(gen: Generation, op: OperationModel, req: IncomingMessage, pathname: string, params: Record<string, string>, query: Record<string, string | string[]>, prefer: Prefer): Promise<Answer | undefined> {
    if (!op.secured || !op.credentialsInHeaders) return undefined;
    const caller = callerOf(op, req.headers, credentials, options.strictAuth ? undefined : (gen.spec.model.roles[0] ?? 'owner'));
    const anonymous = caller === 'none';
    const unknown = caller === UNKNOWN_CALLER && prefer.example === undefined && prefer.code === undefined;
    if (unknown) {
      const key = unauthorizedExample(op);
      const ex = key === undefined ? undefined : op.examplesByKey.get(key);
      if (!ex) return operationError(op, req.headers.accept, 401, 'The credentials are not known to this mock (--strict-auth)');
      return { status: 401, headers: { 'content-type': ex.mediaType }, body: ex.value, payload: payloadOf(op, 401, ex.value, ex.mediaType), label: ex.key, fromPrism: false };
    }
    if (!anonymous) return undefined;
    const answer = await compute(gen, op, req, pathname, params, query, prefer, undefined);
    return answer.status === 401 ? answer : undefined;
  }

  function stateful(op: OperationModel, params: Record<string, string>, rawBody: Buffer | undefined, contentType: string | undefined, answer: Answer): Answer {
    if (!state || !answer.fromPrism || answer.source === 'prefer') return answer;
    const outcome: Outcome | undefined = state.apply(
      { op, params, body: parseBody(rawBody, contentType).value, status: answer.status, responseBody: answer.body },
      (o, message) => toOutcome(documentedAnswer(o, 404, message)),
      (o, message) => toOutcome(documentedAnswer(o, 409, message)),
    );
    if (!outcome) return answer;
    const mediaType = answer.headers['content-type'] ?? 'application/json';
    const headers = outcome.status === answer.status ? answer.headers : { 'content-type': mediaType };
    return { status: outcome.status, headers, body: outcome.body, payload: payloadOf(op, outcome.status, outcome.body, mediaType), label: outcome.label, fromPrism: false };
  }

  async function respond(req: IncomingMessage, res: ServerResponse): Promise<{ status: number; label: string }> {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const pathname = q < 0 ? url : url.slice(0, q);
    const search = q < 0 ? '' : url.slice(q + 1);
    const method = (req.method ?? 'GET').toLowerCase();
    const gen = current;
    if (cors) setCorsHeaders(req, res, gen.spec.model.responseHeaders);

    if (pathname === '/__mock' || pathname === '/__mock.json') {
      const input = { specPath: gen.spec.specPath, files: gen.spec.files, model: gen.spec.model, resources: state?.resources, loadedAt: gen.loadedAt, lastReloadError };
      if (pathname === '/__mock.json') {
        const json = catalogJson(input) as Record<string, unknown>;
        if (state) json.state = state.snapshot();
        send(res, 200, { 'content-type': 'application/json' }, JSON.stringify(json, null, 2));
      } else {
        send(res, 200, { 'content-type': 'text/html; charset=utf-8' }, catalogHtml(input));
      }
      return { status: 200, label: 'catalog' };
    }
    if (pathname === '/__mock/reset' && method === 'post') {
      state?.reset();
      send(res, 204, {}, '');
      return { status: 204, label: 'reset' };
    }
    if (isPreflight(req)) {
      answerPreflight(req, res, gen.router.methodsFor(pathname));
      return { status: 204, label: 'preflight' };
    }

    if (!decodes(pathname)) return sendAnswer(res, errorAnswer(validationStatus(undefined, gen.spec.model), 'The path has a malformed percent-encoding'));
    let route = gen.router.match(method, pathname);
    if (route.kind === 'method-not-allowed' && method === 'head') route = gen.router.match('get', pathname);
    if (route.kind === 'method-not-allowed' && method === 'options') {
      send(res, 204, { allow: route.allow.join(', '), 'content-length': '0' }, '');
      return { status: 204, label: 'options' };
    }
    if (route.kind === 'not-found') {
      return sendAnswer(res, errorAnswer(404, `No operation at ${pathname}`));
    }
    if (route.kind === 'method-not-allowed') {
      const allow = route.allow.join(', ');
      return sendAnswer(res, errorAnswer(405, `${method.toUpperCase()} is not allowed on ${pathname} (allowed: ${allow})`, 'error', { allow }));
    }
    const { op, params } = route;

    const query = parseQuery(search);
    const prefer = parsePrefer(req.headers.prefer, query);
    if (dynamic && prefer.dynamic === undefined && prefer.example === undefined) prefer.dynamic = true;
    let rawBody: Buffer | undefined;
    if (METHODS_WITH_BODY.has(method) || req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined) {
      // Credentials before bodies: a request the operation refuses on its headers alone gets its
      // 401 without a byte of its body read, and the connection is closed rather than drained.
      const refused = await refusedOnHeaders(gen, op, req, pathname, params, query, prefer);
      if (refused) return sendAnswer(closing(req, res), refused);
      const declared = Number(req.headers['content-length']);
      if (declared > BODY_LIMIT) return sendAnswer(closing(req, res), errorAnswer(413, `The request body is larger than ${BODY_LIMIT} bytes`));
      if (/100-continue/i.test(String(req.headers.expect ?? ''))) res.writeContinue();
      const body = await readBody(req, minBodyRate);
      if (body === 'too-large') return sendAnswer(closing(req, res), errorAnswer(413, `The request body is larger than ${BODY_LIMIT} bytes`));
      if (body === 'too-slow') return sendAnswer(closing(req, res), errorAnswer(408, `The request body arrived slower than ${minBodyRate.bytes} bytes in ${minBodyRate.windowMs} ms`));
      rawBody = body.length === 0 ? undefined : body;
    }
    for (const name of Object.keys(query)) if (name.startsWith('__')) delete query[name];
    const delay = prefer.delay ?? delayMs;

    let answer: Answer | undefined;
    if (failRate > 0 && random() < failRate) {
      const status = op.statuses.find((s) => s >= 500) ?? 500;
      answer = documentedAnswer(op, status, 'The mock injected a failure (--fail-rate)');
      answer = { ...answer, label: `${answer.label} (fault)` };
    } else {
      const cacheable = useCache && (prefer.dynamic !== true || (prefer.seed ?? seed) !== undefined);
      let key: string | undefined;
      if (cacheable) {
        key = `${method} ${url}\n${req.headers.prefer ?? ''}`;
        for (const h of op.keyHeaders) key += `\n${req.headers[h] ?? ''}`;
        if (rawBody !== undefined) key += `\n${rawBody.toString('latin1')}`;
        answer = gen.cache.get(key);
      }
      if (!answer) {
        answer = await compute(gen, op, req, pathname, params, query, prefer, rawBody);
        if (key !== undefined) {
          if (gen.cache.size >= CACHE_LIMIT) gen.cache.delete(gen.cache.keys().next().value as string);
          gen.cache.set(key, answer);
        }
      }
      answer = stateful(op, params, rawBody, req.headers['content-type'], answer);
    }
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    return sendAnswer(res, answer, streamIntervalMs, op.heartbeats);
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const started = performance.now();
    respond(req, res).then(
      ({ status, label }) => {
        if (!quiet) logger.info(`${req.method} ${req.url} ${status} ${label} ${(performance.now() - started).toFixed(1)}ms`);
      },
      (err: unknown) => {
        // Nothing internal reaches the client: the stack goes to our log only.
        logger.error(`mock: ${req.method} ${req.url} failed: ${(err as Error)?.stack ?? String(err)}`);
        if (!res.headersSent) {
          const a = errorAnswer(500, 'The mock failed to answer this request');
          send(res, 500, a.headers, a.payload);
        } else {
          res.destroy();
        }
      },
    );
  }

  return {
    handle,
    reload,
    async close() {
      closed = true;
      fileWatch?.close();
      await reloading;
    },
    events,
    get spec() {
      return current.spec;
    },
    state,
  };
}

/** The status the spec answers a request that breaks it with: the operation's 400 or 422, else the one most operations document. */
function validationStatus(op: OperationModel | undefined, model: LoadedSpec['model']): number {
  if (op?.statuses.includes(400)) return 400;
  if (op?.statuses.includes(422)) return 422;
  const count = (status: number): number => model.operations.filter((o) => o.statuses.includes(status)).length;
  return count(422) > count(400) ? 422 : 400;
}

function toOutcome(a: Answer): Outcome {
  return { status: a.status, body: a.body, label: a.label };
}

function sendAnswer(res: ServerResponse, answer: Answer, streamIntervalMs = 0, heartbeats?: ReadonlyMap<string, Heartbeat>): { status: number; label: string } {
  const kind = answer.status === 204 || answer.status === 304 ? undefined : streamKind(answer.headers['content-type']);
  if (kind) {
    sendStream(res, answer.status, answer.headers, kind, answer.body, streamIntervalMs, heartbeats?.get(heartbeatKey(answer.status, answer.headers['content-type'])));
    return { status: answer.status, label: answer.label };
  }
  send(res, answer.status, answer.headers, answer.status === 204 || answer.status === 304 ? '' : answer.payload);
  return { status: answer.status, label: answer.label };
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, payload: string): void {
  if (payload === '') {
    const { 'content-type': _, ...rest } = headers;
    res.writeHead(status, status === 204 ? rest : { ...rest, 'content-length': '0' });
    res.end();
    return;
  }
  res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(payload)) });
  res.end(payload);
}

function serialize(body: unknown, contentType: string | undefined): string {
  if (body === undefined || body === null) return body === null ? 'null' : '';
  if (typeof body === 'string' && !(contentType && /json/.test(contentType))) return body;
  return JSON.stringify(body);
}

function decodes(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

function parseQuery(search: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (!search) return out;
  for (const [k, v] of new URLSearchParams(search)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/**
 * The request body, or why it was not read whole: over BODY_LIMIT (as it streams, whatever it
 * declared), or fewer than `rate.bytes` in a window of `rate.windowMs` (a body dripped a byte a
 * second would hold a connection for hours; requestTimeout alone would allow it a minute).
 */
function readBody(req: IncomingMessage, rate: BodyRate): Promise<Buffer | 'too-large' | 'too-slow'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let atWindowStart = 0;
    let timer: NodeJS.Timeout | undefined;
    const stop = (why: 'too-large' | 'too-slow'): void => {
      clearTimeout(timer);
      req.removeAllListeners('data');
      req.pause();
      resolve(why);
    };
    const check = (): void => {
      if (size - atWindowStart < rate.bytes) return stop('too-slow');
      atWindowStart = size;
      timer = setTimeout(check, rate.windowMs);
    };
    timer = setTimeout(check, rate.windowMs);
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_LIMIT) return stop('too-large');
      chunks.push(chunk);
    });
    req.on('end', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** How long a refused connection stays half-closed (answer sent, nothing more read) before it is dropped. */
const LINGER_MS = 2000;

/**
 * When the body has not arrived whole, the answer goes out with `Connection: close` and the rest of
 * the body stays unread. Node would end
 * the socket and destroy it at once, and destroying a socket with unread bytes makes the kernel
 * reset the connection, which can discard the answer before the client reads it (seen with the
 * 413 of a chunked body). So: the answer, then FIN, nothing more read from the client, and the
 * socket dropped when the client closes or after LINGER_MS.
 */
function closing(req: IncomingMessage, res: ServerResponse): ServerResponse {
  // A body that has already arrived whole leaves nothing unread: the connection stays open.
  if (req.complete) return res;
  res.setHeader('connection', 'close');
  const socket = req.socket;
  socket.pause();
  // Node's http server resumes a request it dumps (readStart skips a socket marked _paused).
  (socket as { _paused?: boolean })._paused = true;
  socket.destroySoon = function lingeringClose(this: typeof socket) {
    this.end();
    const timer = setTimeout(() => this.destroy(), LINGER_MS);
    timer.unref();
    this.once('close', () => clearTimeout(timer));
  };
  return res;
}
