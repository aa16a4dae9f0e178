// CORS for a browser app on another origin: every answer carries the headers, preflights answer 204.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** What the mock itself adds to answers, beside the headers the spec documents. */
const MOCK_HEADERS = ['X-Mock-Violations'];

/**
 * `exposed`: the response headers the spec documents. They are listed by name: a page that sends
 * credentials (cookies, `credentials: 'include'`) reads `*` as a header literally named `*`.
 */
export function setCorsHeaders(req: IncomingMessage, res: ServerResponse, exposed: readonly string[] = []): void {
  const origin = req.headers.origin;
  res.setHeader('Access-Control-Allow-Origin', origin ?? '*');
  if (origin) {
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    res.setHeader('Vary', 'Origin');
  }
  res.setHeader('Access-Control-Expose-Headers', [...exposed, ...MOCK_HEADERS].join(', '));
}

/** True when the request is a preflight (OPTIONS with Origin and Access-Control-Request-Method). */
export function isPreflight(req: IncomingMessage): boolean {
  return req.method === 'OPTIONS' && !!req.headers.origin && !!req.headers['access-control-request-method'];
}

export function answerPreflight(req: IncomingMessage, res: ServerResponse, allow: string[]): void {
  const methods = allow.length > 0 ? allow.join(', ') : 'GET, POST, PUT, PATCH, DELETE';
  res.setHeader('Access-Control-Allow-Methods', methods);
  res.setHeader('Access-Control-Allow-Headers', req.headers['access-control-request-headers'] ?? '*');
  res.setHeader('Access-Control-Max-Age', '600');
  res.setHeader('Content-Length', '0');
  res.writeHead(204);
  res.end();
}
