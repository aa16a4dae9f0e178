import type { OperationSpec, ReceivedResponse, RequestPlan, SentRequest } from './model.ts';
import { isJsonMediaType } from './loader/responses.ts';

/** A configuration problem found while running (unreachable server, reset that fails): exit code 2. */
export class RunConfigError extends Error {}

export interface HttpTarget {
  /** Base URL with the spec's server path applied. */
  base: string;
  tokens: Record<string, string>;
  requestTimeoutMs: number;
}

/**
 * --base-url given as a bare origin keeps the path of the spec's first server (`/v2`); a base URL
 * with a path of its own replaces the server URL entirely.
 */
export function effectiveBaseUrl(baseUrl: string, serverBasePath: string): string {
  const url = new URL(baseUrl);
  const own = url.pathname.replace(/\/$/, '');
  return `${url.origin}${own || serverBasePath}`;
}

export const UNKNOWN_TOKEN = 'conformance-unknown-token-0000';

export function buildRequest(plan: RequestPlan, op: OperationSpec | null, target: HttpTarget): SentRequest {
  let path = plan.pathTemplate.replace(/\{([^}]+)\}/g, (_, name: string) =>
    encodeURIComponent(String(plan.pathParams[name] ?? `{${name}}`)),
  );
  const query = new URLSearchParams();
  for (const [name, value] of plan.query) {
    if (Array.isArray(value)) for (const v of value) query.append(name, String(v));
    else query.append(name, typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value));
  }
  const headers: Record<string, string> = { accept: '*/*', ...lower(plan.headers) };
  applyAuth(plan, op, target, headers, query);
  const qs = query.toString();
  if (qs) path += `?${qs}`;
  let body: string | undefined;
  if (plan.body) {
    headers['content-type'] = plan.body.mediaType;
    body = isJsonMediaType(plan.body.mediaType) || typeof plan.body.value !== 'string'
      ? JSON.stringify(plan.body.value)
      : plan.body.value;
  }
  return { method: plan.method.toUpperCase(), url: `${target.base}${path}`, headers, body };
}

function lower(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}

function applyAuth(
  plan: RequestPlan,
  op: OperationSpec | null,
  target: HttpTarget,
  headers: Record<string, string>,
  query: URLSearchParams,
): void {
  if (plan.caller === 'none' || plan.spoilAuth === 'none') return;
  const token = target.tokens[plan.caller];
  if (token === undefined) return; // the CLI refuses unknown roles before any request
  const scheme = op?.security.find((r) => r.schemes.length > 0)?.schemes[0]?.scheme ?? { type: 'http', scheme: 'bearer' };
  const value =
    plan.spoilAuth === 'unknown' ? UNKNOWN_TOKEN : plan.spoilAuth === 'malformed' ? `${token} is-not-a-token` : token;
  if (scheme.type === 'apiKey') {
    const name = String(scheme.name);
    if (scheme.in === 'query') query.set(name, value);
    else if (scheme.in === 'cookie') headers.cookie = `${name}=${encodeURIComponent(value)}`;
    else headers[name.toLowerCase()] = value;
    return;
  }
  const kind = String(scheme.scheme ?? 'bearer').toLowerCase() === 'basic' ? 'Basic' : 'Bearer';
  // malformed: the real token without its scheme word, which a lenient parser might still take
  headers.authorization = plan.spoilAuth === 'malformed' ? token : `${kind} ${value}`;
}

export async function send(req: SentRequest, timeoutMs: number): Promise<ReceivedResponse> {
  const started = performance.now();
  let res: Response;
  try {
    res = await fetch(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw new RunConfigError(`cannot reach ${req.method} ${req.url}: ${causeOf(err)}`);
  }
  const buf = Buffer.from(await res.arrayBuffer());
  const durationMs = performance.now() - started;
  const headers: Record<string, string> = {};
  res.headers.forEach((v, k) => {
    headers[k.toLowerCase()] = v;
  });
  const contentType = headers['content-type'] ?? '';
  const text = buf.toString('utf8');
  const out: ReceivedResponse = { status: res.status, headers, contentType, text, durationMs };
  if (isJsonMediaType(contentType) && text.length > 0) {
    try {
      out.json = JSON.parse(text);
    } catch (err) {
      out.jsonError = err instanceof Error ? err.message : String(err);
    }
  }
  return out;
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
    await res.arrayBuffer();
  } catch (err) {
    throw new RunConfigError(`base URL ${baseUrl} is unreachable: ${causeOf(err)}`);
  }
}
