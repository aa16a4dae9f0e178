// Real HTTP on port 0 for mock tests; log lines collected instead of printed.
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMockApp, type MockApp, type MockOptions } from '../app.ts';
import { createMockServer, SERVER_TIMEOUTS, type ServerTimeouts } from '../server.ts';

export const PETS = 'mock/test/fixtures/pets/openapi.yaml';

export interface Running {
  url: string;
  app: MockApp;
  server: http.Server;
  lines: string[];
  errors: string[];
  close(): Promise<void>;
}

export async function startMock(options: MockOptions = {}, timeouts: ServerTimeouts = SERVER_TIMEOUTS): Promise<Running> {
  const lines: string[] = [];
  const errors: string[] = [];
  const app = await createMockApp({
    specPath: PETS,
    logger: { info: (l) => lines.push(l), error: (l) => errors.push(l) },
    ...options,
  });
  const server = createMockServer(app, timeouts);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    server,
    lines,
    errors,
    async close() {
      await app.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export interface Reply {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

export async function call(base: string, method: string, path: string, init: { headers?: Record<string, string>; body?: unknown; raw?: string } = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...init.headers };
  let body: string | undefined = init.raw;
  if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${base}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}
