// Hostile clients at the socket level (issue 15): a refused request's body is never read, a declared
// oversized body is refused before it is sent, and a slow client is cut off. Raw sockets
// (node:net) to 127.0.0.1, because a client library would not send these requests.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BODY_LIMIT, type MockOptions } from '../app.ts';
import { SERVER_TIMEOUTS, type ServerTimeouts } from '../server.ts';
import { startMock, type Running } from './helpers.ts';

let mock: Running | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

interface Exchange {
  /** Everything the server sent before it closed the connection. */
  response: string;
  /** Bytes the server read from the connection, headers included. */
  serverRead: number;
}

/** Sends `head` and then `body` (all of it, or `drip` bytes at a time every `dripMs`), reads until the server closes. */
async function exchange(m: Running, head: string, body: Buffer = Buffer.alloc(0), drip?: { bytes: number; everyMs: number }): Promise<Exchange> {
  const serverSocket = new Promise<net.Socket>((resolve) => m.server.once('connection', resolve));
  const { port } = new URL(m.url);
  const client = net.connect(Number(port), '127.0.0.1');
  client.on('error', () => {}); // a reset after the answer is one of the ways a server refuses a body
  let response = '';
  client.on('data', (c: Buffer) => (response += c.toString('latin1')));
  let timer: NodeJS.Timeout | undefined;
  client.write(head);
  if (drip) {
    let at = 0;
    timer = setInterval(() => {
      if (at >= body.length || client.destroyed) return clearInterval(timer);
      client.write(body.subarray(at, (at += drip.bytes)));
    }, drip.everyMs);
  } else if (body.length > 0) {
    client.write(body);
  }
  const server = await serverSocket;
  await new Promise<void>((resolve) => client.once('close', () => resolve()));
  clearInterval(timer);
  if (!server.destroyed) await new Promise((resolve) => server.once('close', resolve));
  return { response, serverRead: server.bytesRead };
}

const MiB = 1024 * 1024;
const EIGHT_MIB = Buffer.alloc(8 * MiB, '0');
const post = (headers: string, length: number) => `POST /pets HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n${headers}\r\n`;

describe('credentials before bodies', () => {
  it.each<{ sends: string; options: MockOptions; headers: string; status: number; reads: 'little' | 'all' }>([
    { sends: 'no credentials', options: {}, headers: '', status: 401, reads: 'little' },
    { sends: 'a key no --token names, under --strict-auth', options: { strictAuth: true, tokens: { owner: 'good-key' } }, headers: 'X-Api-Key: bad-key\r\n', status: 401, reads: 'little' },
    { sends: 'a key (the control: its body is read)', options: {}, headers: 'X-Api-Key: k\r\n', status: 400, reads: 'all' },
  ])('a POST of 8 MiB with $sends is answered $status, the server reading $reads of it', async ({ options, headers, status, reads }) => {
    mock = await startMock({ quiet: true, ...options });
    const { response, serverRead } = await exchange(mock, post(`${headers}Connection: close\r\n`, EIGHT_MIB.length), EIGHT_MIB);
    expect(response).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    if (reads === 'little') expect(serverRead).toBeLessThan(1 * MiB);
    else expect(serverRead).toBeGreaterThan(EIGHT_MIB.length);
  });
});

describe('Expect: 100-continue', () => {
  it.each([
    { sends: 'no credentials', headers: '', answer: /^HTTP\/1\.1 401 / },
    { sends: 'a key', headers: 'X-Api-Key: k\r\n', answer: /^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 201 / },
  ])('with $sends, "continue" is said only when the body is wanted', async ({ headers, answer }) => {
    mock = await startMock({ quiet: true });
    const body = Buffer.from('{"name":"Nemo","kind":"fish"}');
    const { response } = await exchange(mock, post(`${headers}Expect: 100-continue\r\nConnection: close\r\n`, body.length), body);
    expect(response).toMatch(answer);
  });
});

describe('bodies over the limit', () => {
  it('a declared Content-Length over the limit is a 413 before any of the body is sent', async () => {
    mock = await startMock({ quiet: true });
    const head = post('X-Api-Key: k\r\n', 100_000_000);
    const { response, serverRead } = await exchange(mock, head);
    expect(response).toMatch(/^HTTP\/1\.1 413 [^]*\r\nconnection: close\r\n/i);
    expect(serverRead).toBe(head.length);
  });

  it('a chunked body is cut off with a 413 as it passes the limit, not read to its end', async () => {
    mock = await startMock({ quiet: true });
    const chunk = Buffer.alloc(MiB, '0');
    const chunked = Buffer.concat(Array.from({ length: 16 }, () => Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')])));
    const head = `POST /pets HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nX-Api-Key: k\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const { response, serverRead } = await exchange(mock, head, chunked);
    expect(response).toMatch(/^HTTP\/1\.1 413 /);
    expect(serverRead).toBeGreaterThan(BODY_LIMIT);
    expect(serverRead).toBeLessThan(chunked.length - 2 * MiB);
  });
});

describe('slow clients', () => {
  // The production values (mock/README.md) scaled down so a row takes a second, on the same code.
  const timeouts: ServerTimeouts = { headersTimeoutMs: 400, requestTimeoutMs: 3000, checkIntervalMs: 50 };
  const minBodyRate = { bytes: 100, windowMs: 300 };

  it.each([
    {
      client: 'headers dripped a byte every 50 ms',
      head: '',
      body: Buffer.from(post('X-Api-Key: k\r\n', 2)),
      drip: { bytes: 1, everyMs: 50 },
      // Node's own 408, without a body: the request never reached the mock.
      answer: /^HTTP\/1\.1 408 Request Timeout\r\nConnection: close\r\n\r\n$/,
    },
    {
      client: 'a body dripped a byte every 50 ms (6 bytes a window, under the minimum of 100)',
      head: post('X-Api-Key: k\r\n', 1000),
      body: Buffer.alloc(1000, ' '),
      drip: { bytes: 1, everyMs: 50 },
      // The mock's 408 in the spec's error shape, before requestTimeout.
      answer: /^HTTP\/1\.1 408 [^]*connection: close[^]*\r\n\r\n\{"code":"REQUEST_TIMEOUT"/i,
    },
    {
      client: 'a body above the minimum rate that takes longer than requestTimeout',
      head: post('X-Api-Key: k\r\n', 100_000),
      body: Buffer.alloc(100_000, ' '),
      drip: { bytes: 50, everyMs: 50 },
      answer: /^HTTP\/1\.1 408 Request Timeout\r\nConnection: close\r\n\r\n$/,
    },
  ])('$client is cut off', async ({ head, body, drip, answer }) => {
    mock = await startMock({ quiet: true, minBodyRate }, timeouts);
    const { response, serverRead } = await exchange(mock, head, body, drip);
    expect(response).toMatch(answer);
    expect(serverRead).toBeLessThan(head.length + body.length);
  });

  it('the server the mock listens on has the documented timeouts', () => {
    expect(SERVER_TIMEOUTS).toEqual({ headersTimeoutMs: 10_000, requestTimeoutMs: 60_000, checkIntervalMs: 1_000 });
  });
});
