import type { MediaTypeSpec, OperationSpec, ReceivedResponse, RequestPlan, SentRequest } from './model.ts';
import { baseMediaType, isJsonMediaType } from './loader/responses.ts';
import { parseStream, streamKind } from './streams.ts';

/** A configuration problem found while running (unreachable server, reset that fails): exit code 2. */
export class RunConfigError extends Error {}

/** What a role sends: a token (bearer, API key), Basic `user:password`, and/or fixed headers. */
export interface RoleCredentials {
  token?: string;
  basic?: string;
  headers?: Record<string, string>;
}

export type Credentials = Record<string, RoleCredentials>;

export function hasCredentials(c: RoleCredentials | undefined): boolean {
  return c !== undefined && (c.token !== undefined || c.basic !== undefined || Object.keys(c.headers ?? {}).length > 0);
}

export interface HttpTarget {
  /** Base URL with the spec's server path applied. */
  base: string;
  credentials: Credentials;
  requestTimeoutMs: number;
}

/**
 * Where the spec's paths live: --base-url as given. The path of the spec's first server (`/api/v3`)
 * is added only when asked for (--server-path) and the base URL does not already end with it.
 */
export function effectiveBaseUrl(baseUrl: string, serverBasePath: string, useServerPath = false): string {
  const url = new URL(baseUrl);
  const own = url.pathname.replace(/\/$/, '');
  if (!useServerPath || serverBasePath === '' || own.endsWith(serverBasePath)) return `${url.origin}${own}`;
  return `${url.origin}${own}${serverBasePath}`;
}

export const UNKNOWN_TOKEN = 'conformance-unknown-token-0000';

export async function buildRequest(plan: RequestPlan, op: OperationSpec | null, target: HttpTarget): Promise<SentRequest> {
  let path = plan.pathTemplate.replace(/\{([^}]+)\}/g, (_, name: string) =>
    encodeURIComponent(String(plan.pathParams[name] ?? `{${name}}`)),
  );
  const query = new URLSearchParams();
  for (const [name, value] of plan.query) {
    if (Array.isArray(value)) for (const v of value) query.append(name, String(v));
    else query.append(name, typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value));
  }
  const headers: Record<string, string> = { accept: '*/*', ...lower(plan.headers) };
  const secretHeaders = applyAuth(plan, op, target, headers, query);
  const qs = query.toString();
  if (qs) path += `?${qs}`;
  const sent: SentRequest = { method: plan.method.toUpperCase(), url: `${target.base}${path}`, headers, secretHeaders };
  if (plan.body) {
    const mt = op?.requestBody?.content.find((c) => baseMediaType(c.mediaType) === baseMediaType(plan.body!.mediaType));
    const encoded = await encodeBody(plan.body.mediaType, plan.body.value, mt);
    headers['content-type'] = encoded.contentType;
    sent.body = encoded.text;
    if (encoded.bytes) sent.bytes = encoded.bytes;
  }
  return sent;
}

function lower(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}

// ---- request bodies -----------------------------------------------------------------------

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);

/** A file part given by a workflow (`$file(...)`) rather than by an example. */
export interface FileValue {
  file: Uint8Array;
  name: string;
}
export const isFileValue = (v: unknown): v is FileValue => isObj(v) && v.file instanceof Uint8Array && typeof v.name === 'string';

/**
 * Encodes a body for its media type. JSON types: JSON. Form types: the example object's fields, a
 * field sent as a file part when it is a `$file(...)` or its schema says binary (`format: binary`
 * or `byte`, `contentMediaType`, `contentEncoding`, or an `encoding` contentType that is not text):
 * the example's string is the file's bytes, base64-decoded under `contentEncoding: base64` or
 * `format: byte`, else one byte per character when every character is below U+0100, else UTF-8.
 * Anything else: a string as it is, another value as JSON.
 */
export async function encodeBody(mediaType: string, value: unknown, mt: MediaTypeSpec | undefined): Promise<{ contentType: string; text: string; bytes?: Uint8Array }> {
  const base = baseMediaType(mediaType);
  if (base === 'multipart/form-data' && isObj(value)) {
    const form = new FormData();
    const shown: string[] = [];
    for (const [name, fieldValue] of Object.entries(value)) {
      for (const v of Array.isArray(fieldValue) ? fieldValue : [fieldValue]) {
        const file = filePart(name, v, mt);
        if (file) {
          form.append(name, new Blob([Buffer.from(file.bytes)], { type: file.contentType }), file.name);
          shown.push(`${name}: <file ${file.name}, ${file.contentType}, ${file.bytes.length} bytes>`);
        } else {
          form.append(name, fieldText(v));
          shown.push(`${name}: ${fieldText(v)}`);
        }
      }
    }
    const encoded = new Response(form);
    const contentType = encoded.headers.get('content-type') ?? 'multipart/form-data';
    return { contentType, text: shown.join('\n'), bytes: new Uint8Array(await encoded.arrayBuffer()) };
  }
  if (base === 'application/x-www-form-urlencoded' && isObj(value)) {
    const form = new URLSearchParams();
    for (const [name, fieldValue] of Object.entries(value)) {
      for (const v of Array.isArray(fieldValue) ? fieldValue : [fieldValue]) form.append(name, fieldText(v));
    }
    return { contentType: mediaType, text: form.toString() };
  }
  if (isJsonMediaType(mediaType) || (typeof value !== 'string' && !(value instanceof Uint8Array) && !isFileValue(value))) {
    return { contentType: mediaType, text: JSON.stringify(value) };
  }
  const bytes = value instanceof Uint8Array ? value : isFileValue(value) ? value.file : undefined;
  if (bytes) return { contentType: mediaType, text: `<${bytes.length} bytes>`, bytes };
  return { contentType: mediaType, text: value as string };
}

function fieldText(v: unknown): string {
  if (typeof v === 'string') return v;
  return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
}

function filePart(name: string, v: unknown, mt: MediaTypeSpec | undefined): { bytes: Uint8Array; name: string; contentType: string } | undefined {
  const props = isObj(mt?.schema) && isObj(mt.schema.properties) ? mt.schema.properties : {};
  const schema = isObj(props[name]) ? props[name] : {};
  const declared = mt?.encoding[name]?.contentType;
  const contentType = (declared?.split(',')[0]?.trim() || (typeof schema.contentMediaType === 'string' ? schema.contentMediaType : '')) || 'application/octet-stream';
  if (isFileValue(v)) return { bytes: v.file, name: v.name, contentType };
  if (v instanceof Uint8Array) return { bytes: v, name, contentType };
  const textual = declared !== undefined && (declared.startsWith('text/') || isJsonMediaType(declared));
  const binary =
    schema.format === 'binary' || schema.format === 'byte' || schema.contentMediaType !== undefined || schema.contentEncoding !== undefined || (declared !== undefined && !textual);
  if (!binary || typeof v !== 'string') return undefined;
  const base64 = schema.contentEncoding === 'base64' || schema.format === 'byte';
  const bytes = base64 ? Buffer.from(v, 'base64') : /^[\u0000-\u00ff]*$/.test(v) ? Buffer.from(v, 'latin1') : Buffer.from(v, 'utf8');
  return { bytes: new Uint8Array(bytes), name, contentType };
}

// ---- credentials --------------------------------------------------------------------------

/**
 * Adds the caller's credentials for the first security requirement the role can meet (bearer and
 * API keys take its token, Basic its `user:password`), plus the role's fixed headers. Returns the
 * names of the headers that carry credentials. `spoilAuth` spoils them on purpose (missing_auth).
 */
function applyAuth(plan: RequestPlan, op: OperationSpec | null, target: HttpTarget, headers: Record<string, string>, query: URLSearchParams): string[] {
  if (plan.caller === 'none' || plan.spoilAuth === 'none') return [];
  const own = target.credentials[plan.caller];
  // Without credentials only missing_auth sends (spoilt ones): an unknown value in the scheme's place.
  if (!hasCredentials(own) && !plan.spoilAuth) return [];
  const creds = hasCredentials(own) ? own : { token: UNKNOWN_TOKEN, basic: `${UNKNOWN_TOKEN}:${UNKNOWN_TOKEN}` };
  const secret: string[] = [];
  const spoil = (v: string) => (plan.spoilAuth === 'unknown' ? UNKNOWN_TOKEN : plan.spoilAuth === 'malformed' ? `${v} is-not-a-token` : v);
  for (const [name, value] of Object.entries(creds!.headers ?? {})) {
    headers[name.toLowerCase()] = spoil(value);
    secret.push(name.toLowerCase());
  }
  const requirements = op?.security.filter((r) => r.schemes.length > 0) ?? [];
  const candidates = requirements.length > 0 ? requirements : op === null ? [{ schemes: [{ name: 'bearer', scheme: { type: 'http', scheme: 'bearer' } as Obj }] }] : [];
  // A `user:password` credential goes to a Basic requirement first, whatever the spec's order.
  const basicFirst = hasCredentials(own) && (creds!.basic !== undefined || creds!.token?.includes(':') === true);
  const isBasic = (r: (typeof candidates)[number]) => r.schemes.some((s) => String(s.scheme.scheme ?? '').toLowerCase() === 'basic');
  const ordered = basicFirst ? [...candidates.filter(isBasic), ...candidates.filter((r) => !isBasic(r))] : candidates;
  const usable = ordered.find((r) => r.schemes.every((s) => secretFor(s.scheme, creds!) !== undefined));
  for (const { scheme } of usable?.schemes ?? []) {
    const raw = secretFor(scheme, creds!)!;
    if (scheme.type === 'apiKey') {
      const name = String(scheme.name);
      if (scheme.in === 'query') query.set(name, spoil(raw));
      else if (scheme.in === 'cookie') {
        headers.cookie = `${name}=${encodeURIComponent(spoil(raw))}`;
        secret.push('cookie');
      } else {
        headers[name.toLowerCase()] = spoil(raw);
        secret.push(name.toLowerCase());
      }
      continue;
    }
    const basic = String(scheme.scheme ?? '').toLowerCase() === 'basic';
    const value = basic ? Buffer.from(plan.spoilAuth === 'unknown' ? `${UNKNOWN_TOKEN}:${UNKNOWN_TOKEN}` : raw).toString('base64') : plan.spoilAuth === 'unknown' ? UNKNOWN_TOKEN : raw;
    // malformed: the real credential without its scheme word, which a lenient parser might still take
    headers.authorization = plan.spoilAuth === 'malformed' ? value : `${basic ? 'Basic' : 'Bearer'} ${value}`;
    secret.push('authorization');
  }
  return [...new Set(secret)];
}

function secretFor(scheme: Obj, creds: RoleCredentials): string | undefined {
  if (scheme.type === 'http' && String(scheme.scheme ?? '').toLowerCase() === 'basic') {
    return creds.basic ?? (creds.token?.includes(':') ? creds.token : undefined);
  }
  if (scheme.type === 'http' || scheme.type === 'apiKey' || scheme.type === 'oauth2' || scheme.type === 'openIdConnect') return creds.token;
  return undefined;
}

// ---- sending and reading --------------------------------------------------------------------

/** The default cap on the bytes read of one answer (`--max-response-bytes`). */
export const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

export interface SendOptions {
  /** Give up on the whole exchange (headers and body, streams included) after this long: an ExchangeError. */
  timeoutMs: number;
  /**
   * Stop reading a streamed body (NDJSON, event stream) this long after its headers and judge what
   * arrived (not an error). Undefined: read the stream to its end, within `timeoutMs`.
   */
  streamMaxMs?: number;
  /** Read at most this many bytes of a body; the answer is then marked cut (`bodyCutAt`). */
  maxBytes?: number;
  /** Lines (or event data) that end a stream (`x-stream-end`): reading stops there. */
  endMarkers?: string[];
}

/**
 * The implementation gave no complete HTTP answer: no headers or no whole body within the request
 * timeout, a reset or closed connection, bytes that are not HTTP. The message says what happened
 * (the `got` of a failure); the case fails and the run goes on.
 */
export class ExchangeError extends Error {
  constructor(
    message: string,
    /** The status, when the headers arrived before it went wrong. */
    readonly status: number | undefined,
    readonly durationMs: number,
  ) {
    super(message);
  }
}

export async function send(req: SentRequest, opts: SendOptions): Promise<ReceivedResponse> {
  const started = performance.now();
  const controller = new AbortController();
  // One deadline for the whole exchange: undici's own timeouts are per idle gap, which a server
  // dripping a byte at a time never trips.
  const timer = setTimeout(() => controller.abort(new DOMException('timeout', 'TimeoutError')), opts.timeoutMs);
  const elapsed = () => performance.now() - started;
  let res: Response;
  try {
    res = await fetch(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.bytes ? Buffer.from(req.bytes) : req.body,
      redirect: 'manual',
      signal: controller.signal,
    });
  } catch (err) {
    clearTimeout(timer);
    throw new ExchangeError(exchangeFailure(err, opts.timeoutMs), undefined, elapsed());
  }
  const headers: Record<string, string> = {};
  res.headers.forEach((v, k) => {
    headers[k.toLowerCase()] = v;
  });
  const contentType = headers['content-type'] ?? '';
  const kind = streamKind(contentType);
  const markers = kind ? (opts.endMarkers ?? []) : [];
  const progress = { bytes: 0 };
  let read: BodyRead;
  try {
    read = res.body
      ? await readBody(res.body, {
          boundMs: kind ? opts.streamMaxMs : undefined,
          maxBytes: opts.maxBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
          ended: markers.length === 0 ? undefined : { markers, test: (text) => parseStream(kind!, text, markers).ended },
          progress,
        })
      : { buf: Buffer.alloc(0) };
  } catch (err) {
    throw new ExchangeError(exchangeFailure(err, opts.timeoutMs, progress.bytes), res.status, elapsed());
  } finally {
    clearTimeout(timer);
  }
  const text = read.buf.toString('utf8');
  const out: ReceivedResponse = { status: res.status, headers, contentType, text, durationMs: elapsed() };
  if (read.cut === 'bytes') out.bodyCutAt = read.buf.length;
  if (kind) {
    const parsed = parseStream(kind, text, markers);
    out.stream = { kind, items: parsed.items, truncated: read.cut !== undefined && !parsed.ended, ended: parsed.ended };
  } else if (isJsonMediaType(contentType) && text.length > 0 && read.cut === undefined) {
    try {
      out.json = JSON.parse(text);
    } catch (err) {
      out.jsonError = err instanceof Error ? err.message : String(err);
    }
  }
  return out;
}

interface BodyRead {
  buf: Buffer;
  /** Why reading stopped before the server ended the body: the stream bound, an end marker, the byte cap. */
  cut?: 'bound' | 'marker' | 'bytes';
}

/** Reads a body up to the stream bound, an end marker or the byte cap, whichever comes first. Exported for its tests. */
export async function readBody(
  body: ReadableStream<Uint8Array>,
  opts: { boundMs?: number; maxBytes: number; ended?: { markers: string[]; test: (text: string) => boolean }; progress: { bytes: number } },
): Promise<BodyRead> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  const deadline = opts.boundMs === undefined ? undefined : performance.now() + opts.boundMs;
  const decoder = new TextDecoder();
  const longest = Math.max(0, ...(opts.ended?.markers ?? []).map((m) => m.length));
  let text = '';
  let cut: BodyRead['cut'];
  for (;;) {
    let timer: NodeJS.Timeout | undefined;
    const bound =
      deadline === undefined
        ? undefined
        : new Promise<'bound'>((resolve) => {
            timer = setTimeout(() => resolve('bound'), Math.max(0, deadline - performance.now()));
          });
    const next = await (bound ? Promise.race([reader.read(), bound]) : reader.read()).finally(() => clearTimeout(timer));
    if (next === 'bound') {
      cut = 'bound';
      break;
    }
    if (next.done) break;
    const room = opts.maxBytes - opts.progress.bytes;
    if (next.value.length > room) {
      chunks.push(next.value.subarray(0, room));
      opts.progress.bytes += room;
      cut = 'bytes';
      break;
    }
    chunks.push(next.value);
    opts.progress.bytes += next.value.length;
    if (opts.ended) {
      // Parse again only when a marker may have arrived in this chunk: reparsing the whole text on
      // every chunk is quadratic in a stream sent a byte at a time.
      const from = Math.max(0, text.length - longest);
      text += decoder.decode(next.value, { stream: true });
      if (opts.ended.markers.some((m) => text.includes(m, from)) && opts.ended.test(text)) {
        cut = 'marker'; // stop reading; the marker says the rest does not matter
        break;
      }
    }
  }
  if (cut) await reader.cancel().catch(() => undefined);
  return { buf: Buffer.concat(chunks), cut };
}

/** What went wrong with an exchange, as the `got` of a failure: "no headers within ...", "the connection reset ...". */
export function exchangeFailure(err: unknown, timeoutMs: number, bodyBytes?: number): string {
  const e = err as { cause?: { code?: string; message?: string }; name?: string; message?: string };
  const where = bodyBytes === undefined ? 'before the headers' : `after the headers and ${bodyBytes} bytes of the body`;
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
    return bodyBytes === undefined
      ? `no status line and headers within the request timeout (${timeoutMs} ms)`
      : `a body still unfinished at the request timeout (${timeoutMs} ms), ${bodyBytes} bytes read`;
  }
  const code = e?.cause?.code ?? '';
  // Node 20/22's parser names an HPE_ code; Node 24's undici says the response "does not match the HTTP/1.1 protocol"
  if (code.startsWith('HPE_') || /does not match the HTTP\/1\.1 protocol/i.test(e?.cause?.message ?? '')) {
    return `an answer that is not HTTP (${code || 'parse error'}: ${e.cause?.message ?? ''}) ${where}`;
  }
  if (code === 'ECONNRESET') return `the connection reset by the server (ECONNRESET) ${where}`;
  if (code === 'UND_ERR_SOCKET') return `the connection closed by the server ${where}`;
  if (code === 'ECONNREFUSED') return 'the connection refused (ECONNREFUSED)';
  return `${causeOf(err)} ${where}`;
}

export function causeOf(err: unknown): string {
  const e = err as { cause?: { code?: string; message?: string }; name?: string; message?: string };
  if (e?.name === 'TimeoutError') return 'no answer before the request timeout';
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(err);
}

/** Any HTTP answer means reachable; a connection error is a usage error (exit 2). */
export async function assertReachable(baseUrl: string, timeoutMs: number): Promise<void> {
  try {
    const res = await fetch(baseUrl, { method: 'GET', redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel(); // the headers prove it; a body may be endless or huge
  } catch (err) {
    throw new RunConfigError(`base URL ${baseUrl} is unreachable: ${causeOf(err)}`);
  }
}
