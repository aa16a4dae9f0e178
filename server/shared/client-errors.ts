// Requests Node's HTTP parser refuses before Express sees them (headers over the size limit, a broken
// request line): answered in the given contract's error shape instead of Node's bare status line.
import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorShape } from './errors.ts';

const STATUS_OF: Record<string, [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request headers too large'],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, 'Request body too large'],
};

/** Attaches the handler to a listening (or about to listen) server. */
export function answerClientErrors(server: Server, shape: ErrorShape): Server {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const [status, message] = STATUS_OF[err.code ?? ''] ?? [400, 'Malformed HTTP request'];
    const body = JSON.stringify(shape(status, message));
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  return server;
}
