// Puts an app on an ephemeral loopback port for a test, and takes it down again, connections included.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Listening {
  server: Server;
  baseUrl: string;
  /** Plain fetch against the server, for requests a typed client cannot send. */
  raw(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

interface Listenable {
  listen(port: number, host: string, callback: () => void): Server;
}

export async function listen(app: Listenable, prepare: (server: Server) => Server = (s) => s): Promise<Listening> {
  const server = await new Promise<Server>((resolve) => {
    const s = prepare(app.listen(0, '127.0.0.1', () => resolve(s)));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    server,
    baseUrl,
    raw: (path, init) => fetch(`${baseUrl}${path}`, init),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
