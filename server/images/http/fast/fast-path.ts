// The same request and response validation as the full chain, compiled once at start-up, for the
// requests that need nothing else: a JSON operation whose path, query, token and (required JSON) body
// all pass. Anything else (an invalid value, an unknown key, a missing token, an optional body or one
// of another media type, chunked framing) takes the full chain, so every error answer stays exactly
// what express-openapi-validator and our error handler give.
// Why: that chain rebuilds each route's path regexp and re-walks the parameter schemas per request,
// which cost about two thirds of a list request.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import { withFlatClosedObjects } from './flatten-schemas.ts';
import { jsonText } from './json-text.ts';
import { addSettledItems, rememberedFormat, withSettledItems } from './remembered-verdicts.ts';
import { expressPathOf, type Answer, type Handle, type JsonAnswer, type OperationHandler } from './operation-handlers.ts';
import { numericTextProblem } from '../../../shared/strict-query.ts';
import { nulViolation } from '../validation.ts';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
// ajv-formats is CommonJS; under NodeNext its default export arrives one level down.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => void;

interface FastOperation {
  method: string;
  /** The contract's path, `/api/v1/images/public/{id}`. */
  path: string;
  pattern: RegExp;
  pathNames: string[];
  /** The operation object, as req.openapi.schema (the error handler reads its operationId). */
  schema: Json;
  secured: boolean;
  /** Declared query parameters and how a text value becomes the schema's type. */
  query: Map<string, 'number' | 'integer' | 'boolean' | 'string'>;
  validateParams: ValidateFunction;
  validateQuery: ValidateFunction;
  /** The JSON request body's schema, when the operation takes one (its only media type). */
  validateBody?: ValidateFunction;
  responses: Map<number, ValidateFunction>;
}

/** A response body that breaks its schema: the error handler answers 500 and logs it. */
export class InvalidResponse extends Error {
  readonly status = 500;
  constructor(
    readonly operationId: string,
    readonly errors: unknown,
  ) {
    super(`response of ${operationId} breaks its schema`);
  }
}


interface Compiled {
  operations: FastOperation[];
  /** The operations the fast path cannot take, by operationId, and why. */
  unfit: Map<string, string>;
}

/**
 * A validator compiled on its first call: compiling every operation's validators took 170 ms of
 * npm start, before the first answer, for operations a run may never see.
 */
function onFirstUse(ajv: Ajv2020, schema: Json): ValidateFunction {
  let compiled: ValidateFunction | undefined;
  const validate = ((data: unknown) => {
    compiled ??= ajv.compile(schema);
    const valid = compiled(data) as boolean;
    validate.errors = compiled.errors;
    return valid;
  }) as ValidateFunction;
  return validate;
}

function compile(document: Json): Compiled {
  const spec = withSettledItems(withFlatClosedObjects(document));
  const ajv = new Ajv2020({ strict: false, allErrors: false, useDefaults: true, validateSchema: false });
  addFormats(ajv);
  // A timestamp repeated on every page is checked once; the full check still (30 February fails).
  for (const name of ['date-time', 'date', 'time'] as const) ajv.addFormat(name, rememberedFormat(fullFormats[name]));
  addSettledItems(ajv, 'spec');
  ajv.addSchema(spec, 'spec');
  const resolve = (node: unknown): Json => {
    let current = node;
    for (let hops = 0; isObject(current) && typeof current.$ref === 'string' && hops < 20; hops++) {
      current = current.$ref
        .replace(/^#\//, '')
        .split('/')
        .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
        .reduce<unknown>((n, key) => (isObject(n) ? n[key] : undefined), spec);
    }
    return isObject(current) ? current : {};
  };
  // References inside a standalone schema point into the document ajv already holds.
  const rebased = (schema: unknown) => JSON.parse(JSON.stringify(schema ?? {}).replaceAll('"$ref":"#/', '"$ref":"spec#/')) as Json;
  const operations: FastOperation[] = [];
  const unfit = new Map<string, string>();
  for (const [path, rawItem] of Object.entries(isObject(spec.paths) ? spec.paths : {})) {
    const item = resolve(rawItem);
    for (const method of ['get', 'delete', 'post', 'put', 'patch']) {
      const operation = item[method];
      if (!isObject(operation)) continue;
      const operationId = String(operation.operationId);
      let validateBody: ValidateFunction | undefined;
      if (operation.requestBody !== undefined) {
        const body = resolve(operation.requestBody);
        const content = isObject(body.content) ? body.content : {};
        const media = content['application/json'];
        // A body that may be absent, or another media type (a form, a file): full chain.
        if (body.required !== true) {
          unfit.set(operationId, 'its request body is optional');
          continue;
        }
        if (!isObject(media) || Object.keys(content).length !== 1) {
          unfit.set(operationId, 'its request body is not JSON alone');
          continue;
        }
        validateBody = onFirstUse(ajv, rebased(media.schema));
      }
      const parameters = [...(Array.isArray(item.parameters) ? item.parameters : []), ...(Array.isArray(operation.parameters) ? operation.parameters : [])].map(resolve);
      if (parameters.some((p) => p.in !== 'path' && p.in !== 'query')) {
        unfit.set(operationId, 'it takes header or cookie parameters');
        continue;
      }
      const responses = new Map<number, ValidateFunction>();
      let jsonOnly = true;
      for (const [status, raw] of Object.entries(isObject(operation.responses) ? operation.responses : {})) {
        if (!/^2\d\d$/.test(status)) continue;
        const content = resolve(raw).content;
        const media = isObject(content) ? content['application/json'] : undefined;
        if (!isObject(media) || Object.keys(content as Json).length !== 1) jsonOnly = false;
        else responses.set(Number(status), onFirstUse(ajv, rebased(media.schema)));
      }
      if (!jsonOnly || responses.size === 0) {
        unfit.set(operationId, 'a 2xx answer is not JSON alone'); // an icon, a download
        continue;
      }
      const pathNames: string[] = [];
      const pattern = new RegExp(
        `^${path
          .split(/(\{[^}]+\})/)
          .map((part) => {
            const name = /^\{([^}]+)\}$/.exec(part)?.[1];
            if (name === undefined) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
            pathNames.push(name);
            return '([^/]+)';
          })
          .join('')}$`,
      );
      const schemaOf = (where: string) => ({
        type: 'object',
        properties: Object.fromEntries(parameters.filter((p) => p.in === where).map((p) => [String(p.name), rebased(p.schema)])),
        required: parameters.filter((p) => p.in === where && p.required === true).map((p) => String(p.name)),
        additionalProperties: false,
      });
      const query = new Map<string, 'number' | 'integer' | 'boolean' | 'string'>();
      for (const p of parameters.filter((p) => p.in === 'query')) {
        const type = resolve(p.schema).type;
        if (type !== 'number' && type !== 'integer' && type !== 'boolean' && type !== 'string') query.set(String(p.name), 'string');
        else query.set(String(p.name), type);
      }
      const security = Array.isArray(operation.security) ? operation.security : Array.isArray(spec.security) ? spec.security : [];
      operations.push({
        method: method.toUpperCase(),
        path,
        pattern,
        pathNames,
        schema: operation,
        secured: security.some((s) => isObject(s) && Object.keys(s).length > 0),
        query,
        validateParams: onFirstUse(ajv, schemaOf('path')),
        validateQuery: onFirstUse(ajv, schemaOf('query')),
        ...(validateBody ? { validateBody } : {}),
        responses,
      });
    }
  }
  return { operations, unfit };
}

/**
 * What the chain refuses unencoded in a query value (OpenAPI's reserved characters, unless a parameter
 * allows them) or reads its own way: such a query takes the chain, which decides. `+` is not among
 * them: it is a space (shared/form-query.ts), here as there.
 */
const RESERVED = /[:/?#[\]@!$&'()*,;=]/;

/** The query as the validator would leave it (typed, defaults applied), or undefined to take the full chain. */
function queryOf(operation: FastOperation, rawQuery: string): Json | undefined {
  const query: Json = {};
  if (rawQuery === '') return operation.validateQuery(query) ? query : undefined;
  for (const pair of rawQuery.split('&')) {
    const at = pair.indexOf('=');
    if (at <= 0) return undefined;
    const key = pair.slice(0, at);
    const raw = pair.slice(at + 1);
    if (key.includes('%') || key.includes('+') || RESERVED.test(raw)) return undefined;
    let text = raw.replaceAll('+', ' ');
    try {
      if (raw.includes('%')) text = decodeURIComponent(text);
    } catch {
      return undefined;
    }
    const type = operation.query.get(key);
    if (type === undefined || key in query || text === '' || text.includes('\u0000')) return undefined;
    if (type === 'string') query[key] = text;
    else if (type === 'boolean') {
      if (text !== 'true' && text !== 'false') return undefined;
      query[key] = text === 'true';
    } else {
      if (numericTextProblem(type, text) !== undefined) return undefined; // the chain refuses it by name
      query[key] = Number(text);
    }
  }
  return operation.validateQuery(query) ? query : undefined;
}

/** What res.json would send for this text (the app sets no json replacer, spaces or escape), on Node's own answer. */
function sendJson(res: ServerResponse, status: number, text: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

export interface AnswerCache {
  /**
   * operationIds whose answer is a function of the URL, the caller and the state alone: the ones
   * registered with OperationRoutes.addCached, whose handlers are built without the clock.
   */
  operations: ReadonlySet<string>;
  /** Changes whenever the state does: a cached answer is only reused under the version it was made in. */
  version(): number;
  /** Most answers kept at once (default 2000). */
  max?: number;
}

export interface FastPathOptions {
  spec: Json;
  /** The account a request's credentials name, as the chain's security handler reads them (auth.ts); none sends the request to the chain. */
  accountOf: (req: IncomingMessage) => string | undefined;
  /** The full chain (the contract's Express app): every request the fast path does not take. */
  chain: (req: IncomingMessage, res: ServerResponse, next: NextFunction) => void;
  /** The chain's own JSON body parser (same limit and checks), so a body it refuses is refused alike. */
  parseBody: RequestHandler;
  /** The chain's error handler: a request the fast path took and that fails (a domain error, an unreadable body, a broken answer) is answered by it. */
  onError: ErrorRequestHandler;
  cache?: AnswerCache;
  /** The route handlers by operationId (OperationRoutes.handlers): every operation the fast path takes needs one. */
  handlers: ReadonlyMap<string, OperationHandler>;
  /** Operations left to the full chain on purpose, and why: every other operation must be one the fast path can take. */
  chainOnly: ReadonlyMap<string, string>;
}

/** How each operation of the contract is answered: by its handler on the fast path, or by the full chain and why. */
export type Coverage = Map<string, { route: 'fast' } | { route: 'chain'; why: string }>;

/**
 * Which operations the fast path takes, and what is wrong with the registrations: an operation it
 * can take without a handler under its operationId, a handler at another method or path than the
 * contract's, a handler or a chain-only entry for no operation of the contract, an operation it
 * cannot take that is not listed as chain-only. withFastPath refuses to start on any problem.
 */
export function fastPathCoverage(spec: Json, handlers: ReadonlyMap<string, OperationHandler>, chainOnly: ReadonlyMap<string, string>): { coverage: Coverage; problems: string[] } {
  const { operations, unfit } = compile(spec);
  return coverageOf(operations, unfit, handlers, chainOnly);
}

function coverageOf(operations: FastOperation[], unfit: ReadonlyMap<string, string>, handlers: ReadonlyMap<string, OperationHandler>, chainOnly: ReadonlyMap<string, string>) {
  const coverage: Coverage = new Map();
  const problems: string[] = [];
  const known = new Set([...operations.map((o) => String(o.schema.operationId)), ...unfit.keys()]);
  for (const operation of operations) {
    const id = String(operation.schema.operationId);
    const handler = handlers.get(id);
    const route = `${operation.method} ${expressPathOf(operation.path)}`;
    if (handler && `${handler.method} ${handler.path}` !== route) problems.push(`${id} is routed at ${handler.method} ${handler.path}, the contract has it at ${route}`);
    const why = chainOnly.get(id);
    if (why !== undefined) coverage.set(id, { route: 'chain', why });
    else if (handler) coverage.set(id, { route: 'fast' });
    else problems.push(`${id} has no handler registered under its operationId (or list it as chain-only)`);
  }
  for (const [id, why] of unfit) {
    if (chainOnly.has(id)) coverage.set(id, { route: 'chain', why: chainOnly.get(id) ?? why });
    else problems.push(`${id} cannot take the fast path (${why}): list it as chain-only`);
  }
  for (const id of handlers.keys()) if (!known.has(id)) problems.push(`a handler is registered under ${id}, which is no operation of the contract`);
  for (const id of chainOnly.keys()) if (!known.has(id)) problems.push(`${id} is listed as chain-only but is no operation of the contract`);
  return { coverage, problems };
}

/** What a JSON body may be labelled with on the fast path; any other label takes the chain. */
const JSON_TYPES = new Set(['application/json', 'application/json; charset=utf-8']);

/** A request and its answer on the fast path: Node's own objects, never re-prototyped by Express. */
export type FastPath = (req: IncomingMessage, res: ServerResponse, next: NextFunction) => void;

/**
 * The contract's request listener: the fast path when it applies, else the full chain (`chain`, the
 * contract's Express app). The fast path works on Node's own request and answer: Express re-prototypes
 * both in app.handle, after which every property Node's own http code reads on them is a slow lookup
 * (bare Node answered a page in 35 us of CPU, the same through app.handle in 100 us, with Express's
 * router in 155 us). `accountOf` reads credentials as the chain's security handler does; none sends the
 * request to the chain. With `cache`, an answer that passed response validation is kept and sent again
 * for the same URL and caller until the state changes: the same state and input give the same bytes,
 * already checked. Throws at start-up when an operation is neither on the fast path with its handler
 * nor listed as chain-only.
 */
export function withFastPath({ spec, accountOf, chain, parseBody, onError, cache, handlers, chainOnly }: FastPathOptions): FastPath {
  const compiled = compile(spec);
  const { coverage, problems } = coverageOf(compiled.operations, compiled.unfit, handlers, chainOnly);
  if (problems.length > 0) throw new Error(`fast path: ${problems.join('; ')}`);
  const handlerOf = new Map<FastOperation, Handle>();
  for (const operation of compiled.operations) {
    const id = String(operation.schema.operationId);
    const handler = handlers.get(id);
    if (coverage.get(id)?.route === 'fast' && handler) handlerOf.set(operation, handler.handle);
  }
  const operations = compiled.operations.filter((o) => handlerOf.has(o));
  const answers = new Map<string, { status: number; text: string }>();
  let answersVersion = cache?.version();
  return function fastPath(req, res, next) {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    let operation: FastOperation | undefined;
    let match: RegExpExecArray | null = null;
    for (const candidate of operations) {
      if (candidate.method !== req.method) continue;
      match = candidate.pattern.exec(path);
      if (match) {
        operation = candidate;
        break;
      }
    }
    const headers = req.headers;
    // A conditional request's freshness is res.send's to decide (If-None-Match: * makes even an untagged answer a 304).
    if (!operation || !match || headers['transfer-encoding'] !== undefined || headers['if-none-match'] !== undefined || headers['if-modified-since'] !== undefined) return chain(req, res, next);
    const length = headers['content-length'];
    if (operation.validateBody ? length === undefined || !JSON_TYPES.has(headers['content-type']?.toLowerCase() ?? '') : length !== undefined) return chain(req, res, next);
    let accountId: string | undefined;
    if (operation.secured) {
      accountId = accountOf(req);
      if (accountId === undefined) return chain(req, res, next);
    }
    let key: string | undefined;
    if (cache?.operations.has(String(operation.schema.operationId))) {
      const version = cache.version();
      if (version !== answersVersion) {
        answers.clear();
        answersVersion = version;
      }
      // Only answers to URLs that passed validation are kept, so a known URL needs no second check.
      key = `${url}\u0000${accountId ?? ''}`;
      const known = answers.get(key);
      if (known) return sendJson(res, known.status, known.text);
    }
    // Loops rather than callbacks here and below where nothing is captured: under tsx every closure made
    // per request is also named per request (its keepNames), a cost the request pays each time.
    const params: Record<string, string> = {};
    const names = operation.pathNames;
    for (let i = 0; i < names.length; i++) {
      let value: string;
      try {
        value = decodeURIComponent(match[i + 1] ?? '');
      } catch {
        return chain(req, res, next);
      }
      if (value.includes('\u0000')) return chain(req, res, next);
      params[names[i]!] = value;
    }
    if (!operation.validateParams(params)) return chain(req, res, next);
    const query = queryOf(operation, q < 0 ? '' : url.slice(q + 1));
    if (!query) return chain(req, res, next);
    const taken = operation;
    const fail = (error: unknown) => {
      markOperation(req, taken.schema, params); // the error handler names the operation's documented messages
      onError(error, req as Request, res as Response, next);
    };
    const answer = (body: unknown) => {
      let result: Answer;
      try {
        result = (handlerOf.get(taken) as Handle)({ params, query, body, accountId }); // operations holds only those with one
      } catch (error) {
        return fail(error);
      }
      const validate = 'json' in result ? taken.responses.get(result.status) : undefined;
      if (!validate || !validate((result as JsonAnswer).json)) {
        return fail(new InvalidResponse(String(taken.schema.operationId), validate?.errors ?? `status ${result.status} is not a documented JSON answer`));
      }
      const text = jsonText((result as JsonAnswer).json);
      if (key !== undefined && cache) {
        if (answers.size >= (cache.max ?? 2000)) answers.clear();
        answers.set(key, { status: result.status, text });
      }
      sendJson(res, result.status, text);
    };
    const validateBody = taken.validateBody;
    if (!validateBody) return answer(undefined);
    // The chain's parser: an unreadable body (malformed, too large, not UTF-8) is its answer, as there.
    // A body it reads but that breaks the schema goes to the chain, whose parser sees it read already.
    parseBody(req as Request, res as Response, (error?: unknown) => {
      if (error !== undefined && error !== null) return fail(error);
      const body = (req as IncomingMessage & { body?: unknown }).body;
      if (!validateBody(body) || nulViolation(body, 'body')) return chain(req, res, next); // the chain refuses a NUL
      answer(body);
    });
  };
}

/**
 * What express-openapi-validator leaves on a request it matched (`req.openapi`), imitated for the
 * error handler, which reads the operationId (its documented 500 and 400 messages). Set only on the
 * way to it, not on every request.
 */
function markOperation(req: IncomingMessage, operation: Record<string, unknown>, pathParams: Record<string, string>): void {
  (req as IncomingMessage & { openapi?: unknown }).openapi = { schema: operation, pathParams };
}
