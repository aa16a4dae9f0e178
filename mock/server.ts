// The mock's node:http server: the request handler with the timeouts that keep a slow client from
// holding a connection (values documented in mock/README.md). main.ts and the tests both use it.
import http from 'node:http';
import type { MockApp } from './app.ts';

export interface ServerTimeouts {
  /** The request line and headers must have arrived within this (Node answers 408 and closes). */
  headersTimeoutMs: number;
  /** The whole request, body included, must have arrived within this. */
  requestTimeoutMs: number;
  /** How often Node checks the two above (its default, 30 s, would let a stalled client stay that much longer). */
  checkIntervalMs: number;
}

export const SERVER_TIMEOUTS: ServerTimeouts = { headersTimeoutMs: 10_000, requestTimeoutMs: 60_000, checkIntervalMs: 1_000 };
/** Longer than the 60 s idle timeouts of common proxies and load balancers, so they close first. */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export function createMockServer(app: Pick<MockApp, 'handle'>, timeouts: ServerTimeouts = SERVER_TIMEOUTS): http.Server {
  const server = http.createServer(
    { headersTimeout: timeouts.headersTimeoutMs, requestTimeout: timeouts.requestTimeoutMs, connectionsCheckingInterval: timeouts.checkIntervalMs },
    app.handle,
  );
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  // `Expect: 100-continue`: the handler says "continue" only when it wants the body (credentials
  // and size checked first), where Node would say it to every request before the handler ran.
  server.on('checkContinue', app.handle);
  return server;
}
