// Reads any bundled OpenAPI 3.1 document into the operations the hardening tests drive, and compiles
// every documented response schema once with ajv (draft 2020-12 + formats).
import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

export type Json = Record<string, unknown>;
export type Schema = Json | boolean;

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: Schema;
  examples: unknown[];
}

export interface Operation {
  operationId: string;
  method: string;
  /** The path template, `/api/v1/images/public/{id}`. */
  path: string;
  parameters: Parameter[];
  body?: { required: boolean; mediaType: string; schema: Schema; examples: unknown[] };
  secured: boolean;
  /** Documented status codes ('200', '4XX', 'default'). */
  statuses: string[];
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const escape = (segment: string) => segment.replaceAll('~', '~0').replaceAll('/', '~1');
// ajv-formats is CommonJS; under NodeNext its default export arrives one level down.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => void;

export class SpecOperations {
  readonly document: Json;
  readonly operations: Operation[];
  private readonly ajv: Ajv2020;
  private readonly validators = new Map<string, ValidateFunction | null>();

  constructor(path: string) {
    this.document = JSON.parse(readFileSync(path, 'utf8')) as Json;
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
    addFormats(this.ajv);
    this.ajv.addSchema(this.document, 'spec');
    this.operations = this.readOperations();
  }

  /** Follows local `#/...` references until a non-reference node. */
  resolve<T = unknown>(node: unknown): T {
    let current = node;
    for (let hops = 0; isObject(current) && typeof current.$ref === 'string' && hops < 20; hops++) current = this.at(current.$ref);
    return current as T;
  }

  private at(ref: string): unknown {
    return ref
      .replace(/^#\/?/, '')
      .split('/')
      .filter(Boolean)
      .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
      .reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), this.document);
  }

  private readOperations(): Operation[] {
    const operations: Operation[] = [];
    for (const [path, rawItem] of Object.entries(isObject(this.document.paths) ? this.document.paths : {})) {
      const item = this.resolve<Json>(rawItem);
      const shared = Array.isArray(item.parameters) ? item.parameters : [];
      for (const [method, raw] of Object.entries(item)) {
        if (!['get', 'put', 'post', 'delete', 'patch', 'head', 'options'].includes(method) || !isObject(raw)) continue;
        const byKey = new Map<string, Parameter>();
        for (const p of [...shared, ...(Array.isArray(raw.parameters) ? raw.parameters : [])]) {
          const parameter = this.resolve<Json>(p);
          byKey.set(`${String(parameter.in)}:${String(parameter.name)}`, {
            name: String(parameter.name),
            in: parameter.in as Parameter['in'],
            required: parameter.required === true,
            schema: (parameter.schema as Schema | undefined) ?? {},
            examples: Object.values(isObject(parameter.examples) ? parameter.examples : {}).map((e) => this.resolve<Json>(e).value),
          });
        }
        const requestBody = raw.requestBody === undefined ? undefined : this.resolve<Json>(raw.requestBody);
        const [mediaType, media] = Object.entries(isObject(requestBody?.content) ? requestBody.content : {})[0] ?? [];
        const security = Array.isArray(raw.security) ? raw.security : Array.isArray(this.document.security) ? this.document.security : [];
        operations.push({
          operationId: String(raw.operationId ?? `${method} ${path}`),
          method: method.toUpperCase(),
          path,
          parameters: [...byKey.values()],
          body:
            mediaType && isObject(media)
              ? {
                  required: requestBody?.required === true,
                  mediaType,
                  schema: (media.schema as Schema | undefined) ?? {},
                  examples: Object.values(isObject(media.examples) ? media.examples : {}).map((e) => this.resolve<Json>(e).value),
                }
              : undefined,
          // An empty requirement ({}) among the alternatives lets an anonymous caller in.
          secured: security.length > 0 && security.every((requirement) => isObject(requirement) && Object.keys(requirement).length > 0),
          statuses: Object.keys(isObject(raw.responses) ? raw.responses : {}),
        });
      }
    }
    return operations;
  }

  /** The documented response for a status: exact code, then 4XX-style range, then default. */
  responseFor(operation: Operation, status: number): { key: string; response: Json } | undefined {
    const item = this.resolve<Json>((this.document.paths as Json)[operation.path]);
    const responses = this.resolve<Json>(this.resolve<Json>(item[operation.method.toLowerCase()]).responses);
    for (const key of [String(status), `${String(status)[0]}XX`, 'default']) {
      if (responses[key] !== undefined) return { key, response: this.resolve<Json>(responses[key]) };
    }
    return undefined;
  }

  /**
   * Checks an answer against the operation's documentation: a documented status, a documented media
   * type, and a JSON body that matches its schema. Returns the problems found (none when it conforms).
   */
  check(operation: Operation, status: number, contentType: string | null, body: string): string[] {
    const found = this.responseFor(operation, status);
    if (!found) return [`status ${status} is not documented for ${operation.operationId}`];
    const content = isObject(found.response.content) ? found.response.content : {};
    if (Object.keys(content).length === 0) return body.length === 0 ? [] : [`status ${status} documents no body, got ${body.length} bytes`];
    const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (!(mediaType in content)) return [`content type ${contentType} is not documented for ${operation.operationId} ${status}`];
    if (!/json/.test(mediaType)) return [];
    // NDJSON: each line is one value of the schema.
    const texts = /ndjson/.test(mediaType) ? body.split('\n').filter((line) => line.trim() !== '') : [body];
    const validate = this.responseValidator(operation, found.key, mediaType);
    for (const text of texts) {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return [`body is not JSON: ${text.slice(0, 120)}`];
      }
      if (validate && !validate(value)) return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
    }
    return [];
  }

  private responseValidator(operation: Operation, key: string, mediaType: string): ValidateFunction | null {
    const id = `${operation.operationId} ${key} ${mediaType}`;
    if (!this.validators.has(id)) {
      // Point ajv at the schema inside the document, following a response-level $ref by hand.
      const responses = `#/paths/${escape(operation.path)}/${operation.method.toLowerCase()}/responses`;
      const raw = (this.at(responses) as Json)[key];
      const base = isObject(raw) && typeof raw.$ref === 'string' ? raw.$ref : `${responses}/${escape(key)}`;
      const pointer = `${base}/content/${escape(mediaType)}/schema`;
      this.validators.set(id, this.at(pointer) === undefined ? null : (this.ajv.getSchema(`spec${pointer}`) ?? null));
    }
    return this.validators.get(id) ?? null;
  }

  /** A validator for any schema node of the document (for request bodies). */
  validatorOf(schema: Schema): ValidateFunction {
    return this.ajv.compile(isObject(schema) ? this.withRefsRebased(schema) : schema);
  }

  private withRefsRebased(schema: Json): Json {
    // References in a standalone schema point at `spec#/...`, the document ajv already knows.
    return JSON.parse(JSON.stringify(schema).replaceAll('"$ref":"#/', '"$ref":"spec#/')) as Json;
  }
}
