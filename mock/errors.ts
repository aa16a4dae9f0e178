// The one place that builds error bodies the spec does not document for the case at hand (404 of an
// unknown path, 405, prism's own refusals, crashes). Nothing here knows an error shape: it is derived
// from the spec's documented error answers (see mock/README.md, "Errors in the spec's shape").
// No node: imports here: the MSW handlers (mock/msw/) build errors in the browser too.
import statuses from 'statuses';
import type { ErrorResponse, Json, SpecModel } from './model.ts';

type Obj = Record<string, unknown>;

const MESSAGE_KEY = /^(message|detail|details|description|msg|error_description|errorMessage|error_message)$/i;
const REASON_KEY = /^(error|title|reason|status_text|statusText)$/i;
const STATUS_KEY = /^(code|status|statusCode|status_code|httpStatus|http_status|errorCode|error_code)$/i;
const CODE_LIKE_KEY = /code|type|error|reason|kind/i;

// grpc-gateway's status <- gRPC code table (runtime.HTTPStatusFromCode), read backwards; the first
// code is the one we send for that status. 405 is grpc-gateway's own answer for a known path (Unimplemented).
const GRPC: Record<number, number[]> = {
  400: [3, 9, 11], 401: [16], 403: [7], 404: [5], 405: [12], 408: [4], 409: [6, 10], 412: [9], 413: [8], 429: [8],
  499: [1], 500: [13, 2, 15], 501: [12], 503: [14], 504: [4],
};

export interface ErrorAnswer {
  status: number;
  contentType: string;
  body: unknown;
}

/** What the spec says about its errors, worked out once per model. */
interface ErrorShape {
  /** The schema most 4xx answers share (key), with its examples by status. */
  common?: { key: string; schema: unknown; examples: { status: number; value: Json }[]; mediaType: string };
  /** The first documented example per status, preferring the common schema. */
  byStatus: Map<number, { value: Json; mediaType: string }>;
  /** Per top-level field: status -> value, where the examples map statuses to codes (gRPC, NOT_FOUND...). */
  codeMaps: Map<string, Map<number, Json>>;
  /** Fields whose codes follow grpc-gateway's table in every example. */
  grpcFields: Set<string>;
}

const shapes = new WeakMap<SpecModel, ErrorShape>();

/** An error body for `status` saying `message`, shaped like the spec's documented errors. */
export function buildError(model: SpecModel | undefined, status: number, message: string): ErrorAnswer {
  const shape = model ? shapeOf(model) : undefined;
  const exact = shape?.byStatus.get(status);
  if (shape && exact) return { status, contentType: exact.mediaType, body: fill(exact.value, status, status, message, shape) };
  const common = shape?.common;
  if (shape && common) {
    // The nearest documented status of the common shape: same class first, then the lowest.
    const near = [...common.examples].sort((a, b) => distance(a.status, status) - distance(b.status, status) || a.status - b.status)[0];
    if (near) return { status, contentType: common.mediaType, body: fill(near.value, near.status, status, message, shape) };
    if (model) {
      const built = bodyFromSchema(model, common.schema, status, message);
      if (built !== undefined) return { status, contentType: common.mediaType, body: built };
    }
  }
  const any = shape ? [...shape.byStatus].sort(([a], [b]) => distance(a, status) - distance(b, status) || a - b)[0] : undefined;
  if (any && shape) return { status, contentType: any[1].mediaType, body: fill(any[1].value, any[0], status, message, shape) };
  // The spec documents no error body at all: RFC 9457, the one standard shape.
  return { status, contentType: 'application/problem+json', body: { type: 'about:blank', title: reason(status), status, detail: message } };
}

function distance(a: number, b: number): number {
  return Math.floor(a / 100) === Math.floor(b / 100) ? 0 : 1;
}

function shapeOf(model: SpecModel): ErrorShape {
  let shape = shapes.get(model);
  if (!shape) {
    shape = analyse(model.errorResponses);
    shapes.set(model, shape);
  }
  return shape;
}

function analyse(responses: ErrorResponse[]): ErrorShape {
  const counts = new Map<string, number>();
  const client = responses.filter((r) => r.status < 500);
  for (const r of client.length > 0 ? client : responses) counts.set(r.schemaKey, (counts.get(r.schemaKey) ?? 0) + 1);
  let commonKey: string | undefined;
  for (const [key, n] of counts) if (commonKey === undefined || n > (counts.get(commonKey) ?? 0)) commonKey = key;
  const ofCommon = responses.filter((r) => r.schemaKey === commonKey);
  const common = commonKey === undefined || ofCommon.length === 0
    ? undefined
    : {
        key: commonKey,
        schema: ofCommon[0]?.schema,
        mediaType: ofCommon[0]?.mediaType ?? 'application/json',
        examples: ofCommon.flatMap((r) => r.examples.filter(isObj).map((value) => ({ status: r.status, value }))),
      };
  const byStatus = new Map<number, { value: Json; mediaType: string }>();
  for (const r of [...ofCommon, ...responses.filter((x) => x.schemaKey !== commonKey)]) {
    const value = r.examples.find(isObj);
    if (value !== undefined && !byStatus.has(r.status)) byStatus.set(r.status, { value, mediaType: r.mediaType });
  }
  // A field whose values follow the status (gRPC's 5 for 404, NOT_FOUND for 404) maps statuses to codes.
  const codeMaps = new Map<string, Map<number, Json>>();
  const grpcFields = new Set<string>();
  const examples = common?.examples ?? [];
  for (const field of new Set(examples.flatMap(({ value }) => Object.keys(value as Obj)))) {
    const map = new Map<number, Json>();
    let grpc = true;
    for (const { status, value } of examples) {
      const v = (value as Obj)[field];
      const integer = typeof v === 'number' && Number.isInteger(v) && v !== status;
      const word = typeof v === 'string' && /^[A-Za-z][A-Za-z0-9_]*$/.test(v) && CODE_LIKE_KEY.test(field);
      if (!integer || !(GRPC[status] ?? []).includes(v as number)) grpc = false;
      if ((integer || word) && !map.has(status)) map.set(status, v);
    }
    if (map.size > 0) codeMaps.set(field, map);
    if (grpc && map.size > 0) grpcFields.add(field);
  }
  return { common, byStatus, codeMaps, grpcFields };
}

/** A documented error body for `templateStatus`, rewritten to say `message` for `status`. */
function fill(template: Json, templateStatus: number, status: number, message: string, shape: ErrorShape): unknown {
  if (!isObj(template)) return template;
  const templateMessage = Object.entries(template).find(([k, v]) => MESSAGE_KEY.test(k) && typeof v === 'string')?.[1];
  // FastAPI's 422 carries its words in a list of items ({"detail": [{"msg": ...}]}): keep one item.
  const carriesMessage = templateMessage !== undefined;
  const out: Obj = {};
  for (const [key, v] of Object.entries(template)) {
    if (typeof v === 'number' && Number.isInteger(v)) out[key] = code(key, v, templateStatus, status, shape);
    else if (typeof v === 'string') out[key] = v === templateMessage || MESSAGE_KEY.test(key) ? message : text(key, v, templateStatus, status, shape);
    else if (Array.isArray(v)) out[key] = !carriesMessage && isObj(v[0]) ? [item(v[0], status, message)] : [];
    else if (isObj(v)) out[key] = fill(v, templateStatus, status, message, shape);
    else out[key] = v;
  }
  return out;
}

function code(key: string, v: number, templateStatus: number, status: number, shape: ErrorShape): Json {
  if (v === templateStatus) return status;
  const mapped = shape.codeMaps.get(key)?.get(status);
  if (mapped !== undefined) return mapped;
  if (shape.grpcFields.has(key)) return GRPC[status]?.[0] ?? 2;
  return v;
}

function text(key: string, v: string, templateStatus: number, status: number, shape: ErrorShape): string {
  if (v === reason(templateStatus)) return reason(status);
  if (v === String(templateStatus)) return String(status);
  if (templateStatus === status) return v;
  const mapped = shape.codeMaps.get(key)?.get(status);
  if (typeof mapped === 'string') return mapped;
  if (/^[A-Z][A-Z0-9_]*$/.test(v)) return snake(reason(status)).toUpperCase();
  if (/^[a-z][a-z0-9_]*$/.test(v) && CODE_LIKE_KEY.test(key)) return snake(reason(status));
  if (REASON_KEY.test(key)) return reason(status);
  return v;
}

/** One item of a list of problems: our message, where nothing else we cannot vouch for. */
function item(template: Obj, status: number, message: string): Obj {
  const out: Obj = {};
  for (const [key, v] of Object.entries(template)) {
    if (MESSAGE_KEY.test(key)) out[key] = message;
    else if (Array.isArray(v)) out[key] = [];
    else if (typeof v === 'string' && CODE_LIKE_KEY.test(key)) out[key] = snake(reason(status)).toLowerCase();
    else if (typeof v === 'number' && STATUS_KEY.test(key)) out[key] = status;
    else if (!isObj(v)) out[key] = null;
    // Nested objects (pydantic's ctx) describe the template's problem, not ours: left out.
  }
  return out;
}

/** A body from the error schema alone (the spec documents no error example). */
export function bodyFromSchema(model: SpecModel, rawSchema: unknown, status: number, message: string): unknown {
  const schema = model.deref(rawSchema);
  if (!isObj(schema) || !isObj(schema.properties)) return undefined;
  const out: Obj = {};
  const required = Array.isArray(schema.required) ? schema.required : [];
  for (const [key, rawProp] of Object.entries(schema.properties)) {
    const prop = model.deref(rawProp);
    const types = isObj(prop) ? [prop.type].flat() : [];
    if (types.includes('string') && MESSAGE_KEY.test(key)) out[key] = message;
    else if ((types.includes('integer') || types.includes('number')) && STATUS_KEY.test(key)) out[key] = status;
    else if (types.includes('string') && REASON_KEY.test(key)) out[key] = reason(status);
    else if (types.includes('string') && STATUS_KEY.test(key)) out[key] = snake(reason(status)).toUpperCase();
    else if (types.includes('array') && required.includes(key)) out[key] = [];
    else if (types.includes('array') && MESSAGE_KEY.test(key)) out[key] = [];
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function reason(status: number): string {
  return statuses.message[status] ?? 'Error';
}

function snake(s: string): string {
  return s.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '');
}
