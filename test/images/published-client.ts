// The service's published TypeScript client as it talks on the wire (../shared/seeds/facts-001-002.md):
// the origin as base URL, `Content-Type: application/json` and a bearer token on every request, bodiless
// ones included, query strings built by URLSearchParams (a space is `+`), PUT for restore and alias update,
// and a thrown error carrying the status, the body's `message` (else `error`) and the body. Written here
// from the facts, not copied: the tests drive the reference server and the mock through it, and the
// browser test runs the same calls in a page.

export class PublishedClientError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
  }
}

type Query = Record<string, string | number | undefined>;

export interface PublishedClient {
  request<T = unknown>(method: string, path: string, options?: { query?: Query; body?: unknown }): Promise<{ status: number; headers: Headers; data: T }>;
  /** Raw bytes (the icon). */
  bytes(path: string): Promise<{ status: number; contentType: string | null; bytes: Uint8Array }>;
}

export function publishedClient(baseUrl: string, token?: string, fetchImpl: typeof fetch = fetch): PublishedClient {
  const headers = (): Record<string, string> => ({ 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) });
  const urlOf = (path: string, query?: Query) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) params.append(k, String(v));
    const search = params.toString();
    return `${baseUrl}${path}${search ? `?${search}` : ''}`;
  };
  return {
    async request(method, path, options = {}) {
      // POST and PUT without a body still go out with Content-Length: 0, as the client sends them.
      const body = options.body !== undefined ? JSON.stringify(options.body) : method === 'POST' || method === 'PUT' || method === 'PATCH' ? '' : undefined;
      const res = await fetchImpl(urlOf(path, options.query), { method, headers: headers(), ...(body !== undefined ? { body } : {}) });
      const text = await res.text();
      const parsed: unknown = text === '' ? undefined : JSON.parse(text);
      if (!res.ok) {
        const b = (parsed ?? {}) as { message?: string; error?: string };
        throw new PublishedClientError(res.status, b.message ?? b.error ?? res.statusText, parsed);
      }
      return { status: res.status, headers: res.headers, data: (parsed as { data: never }).data };
    },
    async bytes(path) {
      const res = await fetchImpl(urlOf(path), { headers: headers() });
      if (!res.ok) throw new PublishedClientError(res.status, res.statusText, await res.text());
      return { status: res.status, contentType: res.headers.get('content-type'), bytes: new Uint8Array(await res.arrayBuffer()) };
    },
  };
}
