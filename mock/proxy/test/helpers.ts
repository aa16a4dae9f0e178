// The validating proxy on an ephemeral loopback port in front of an upstream, its log lines collected.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadSpec } from '../../../conformance/loader/load-spec.ts';
import { createProxy, type ProxyOptions, type ValidatingProxy } from '../proxy.ts';

export interface RunningProxy {
  url: string;
  proxy: ValidatingProxy;
  lines: string[];
  errors: string[];
  close(): Promise<void>;
}

export async function startProxy(specPath: string, upstream: string, options: Partial<ProxyOptions> = {}): Promise<RunningProxy> {
  const lines: string[] = [];
  const errors: string[] = [];
  const proxy = createProxy({ spec: await loadSpec(specPath), upstream, logger: { info: (l) => lines.push(l), error: (l) => errors.push(l) }, ...options });
  const server = http.createServer((req, res) => proxy.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    proxy,
    lines,
    errors,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        proxy.close();
      }),
  };
}

/** Any node:http handler on an ephemeral loopback port. */
export async function serve(handler: http.RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
