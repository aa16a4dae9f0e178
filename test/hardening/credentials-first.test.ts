// Issue 15 item 3: credentials before bodies. A request a contract refuses for its credentials gets its
// 401 from the headers alone: the test sends a head that declares a large body and never sends the body,
// so an answer at all proves the server did not wait for (read) the body; the connection then closes.
import { connect } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CONTRACTS } from '../../server/contracts.ts';
import { composeContracts } from '../../server/shared/start.ts';
import { listen, type Listening } from '../helpers/listen.ts';

let server: Listening;
beforeAll(async () => {
  server = await listen(composeContracts(CONTRACTS, { logger: pino({ level: 'silent' }), controlApi: false }));
});
afterAll(() => server.close());

function headOnly(head: string): Promise<{ status: number; head: string; closed: boolean }> {
  const port = Number(new URL(server.baseUrl).port);
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(head));
    let received = '';
    socket.on('data', (d) => (received += d.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 0);
      resolve({ status, head: received.split('\r\n\r\n')[0] ?? '', closed: true });
    });
  });
}

it.each<[string, string, string, number]>([
  ['images: an anonymous rating', 'POST /api/v1/images/rate/507f1f77bcf86cd799439022', '', 401],
  ['images: a rating with an unknown token', 'POST /api/v1/images/rate/507f1f77bcf86cd799439022', 'Authorization: Bearer nobody\r\n', 401],
  ['images: an anonymous alias update', 'PATCH /api/v1/containers/507f1f77bcf86cd799439011/snapshots/snap-20250115-145500/alias', '', 401],
  ['stackrox: an anonymous watch', 'POST /v1/watchedimages', '', 401],
  ['chutes: an anonymous multipart create (it was buffered whole before its 401)', 'POST /images/', '', 401],
  ['chutes: a create with an unknown API key', 'POST /images/', 'Authorization: cpk_00000000000000000000000000000000.00000000000000000000000000000000.NobodyKey0000000000000000000000\r\n', 401],
  ['chutes: a create signed by an unknown hotkey', 'POST /images/', 'X-Chutes-Hotkey: 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY\r\nX-Chutes-Signature: ' + 'ab'.repeat(64) + '\r\nX-Chutes-Nonce: NONCE\r\n', 401],
])('%s: %i without reading the declared body', async (_what, requestLine, auth, status) => {
  const type = requestLine.includes('/images/') ? 'multipart/form-data; boundary=x' : 'application/json';
  const head = `${requestLine} HTTP/1.1\r\nHost: 127.0.0.1\r\n${auth.replace('NONCE', String(Math.floor(Date.now() / 1000)))}Content-Type: ${type}\r\nContent-Length: 900000\r\n\r\n`;
  const answer = await headOnly(head);
  expect(answer.status).toBe(status);
  expect(answer.head).toMatch(/connection: close/i);
});
