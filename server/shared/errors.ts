// What every contract's error answers have in common. Shared code never speaks a contract's error shape:
// it takes the contract's ErrorShape (its error schema as a function) and writes what that returns.
import { STATUS_CODES, type ServerResponse } from 'node:http';

/** A contract's error body for a status and a client-safe message. */
export type ErrorShape = (status: number, message: string) => unknown;

export const reasonOf = (status: number): string => STATUS_CODES[status] ?? 'Error';

/**
 * Writes `shape(status, message)` as raw JSON: error answers never pass through response validation.
 * Node's own answer object, so the front door can refuse before any Express app has seen the request.
 */
export function sendShapedError(res: ServerResponse, shape: ErrorShape, status: number, message: string, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(shape(status, message));
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

/** The path of a request target as Express reads it (req.path): origin-form up to `?`, absolute-form through URL. */
export function pathOf(url: string): string {
  if (url.startsWith('/')) {
    let end = url.indexOf('?');
    const hash = url.indexOf('#');
    if (hash >= 0 && (end < 0 || hash < end)) end = hash;
    return end < 0 ? url : url.slice(0, end);
  }
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
