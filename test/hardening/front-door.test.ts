// The front door of every reference server (server/shared/front-door.ts), attacked as an attacker would:
// raw sockets where a client library would refuse to send the request. Each row names its finding of
// issue 15 and fails when its guard is removed.
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRACTS } from '../../server/contracts.ts';
import { composeContracts } from '../../server/shared/start.ts';
import { listen, type Listening } from '../helpers/listen.ts';

const logLines: { method?: string; url?: string; status?: number }[] = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    for (const line of chunk.toString().split('\n')) if (line) logLines.push(JSON.parse(line) as (typeof logLines)[number]);
    done();
  },
});
let server: Listening;
let port: number;
beforeAll(async () => {
  const logger = pino({ level: 'info' }, sink);
  server = await listen(composeContracts(CONTRACTS, { logger, controlApi: true, bodyRate: { bytes: 64, windowMs: 200 } }));
  port = Number(new URL(server.baseUrl).port);
});
afterAll(() => server.close());

interface RawAnswer {
  status: number;
  head: string;
  body: string;
  /** Bytes of the request the client could write before the server answered. */
  sent: number;
}

/** Sends `head` (and optionally drips a body), reads until the server closes the connection. */
function rawRequest(head: string, drip?: { bytes: number; everyMs: number }): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    socket.on('connect', () => {
      socket.write(head);
      sent += Buffer.byteLength(head);
      if (drip) {
        let left = drip.bytes;
        timer = setInterval(() => {
          if (left-- <= 0 || socket.destroyed) return clearInterval(timer);
          socket.write('x');
          sent++;
        }, drip.everyMs);
      }
    });
    socket.on('data', (d) => (received += d.toString('latin1')));
    socket.on('error', () => {}); // a reset after the answer is the point of some rows
    socket.on('close', () => {
      clearInterval(timer);
      const [headPart = '', ...rest] = received.split('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(headPart)?.[1] ?? 0);
      if (!status) return reject(new Error(`no answer: ${JSON.stringify(received.slice(0, 200))}`));
      resolve({ status, head: headPart, body: rest.join('\r\n\r\n'), sent });
    });
  });
}

const ALICE_CHUTES = 'cpk_a11ce5d3c2b14e0f9a8b7c6d5e4f3a21.3f1b2c4d5e6f4a7b8c9d0e1f2a3b4c5d.AliceDemoKey00000000000000000000';
// one path per contract, with the credential its scheme takes, and its error shape's message field
const PER_CONTRACT = [
  { contract: 'images', get: '/api/v1/images/user', post: '/api/v1/images/rate/507f1f77bcf86cd799439022', auth: 'Bearer alice-demo-token', message: (b: any) => b.message }, // eslint-disable-line @typescript-eslint/no-explicit-any -- three shapes
  { contract: 'stackrox', get: '/v1/imagescount', post: '/v1/watchedimages', auth: 'Bearer admin-demo-token', message: (b: any) => b.message }, // eslint-disable-line @typescript-eslint/no-explicit-any -- three shapes
  { contract: 'chutes', get: '/images/', post: '/images/', auth: ALICE_CHUTES, message: (b: any) => b.detail }, // eslint-disable-line @typescript-eslint/no-explicit-any -- three shapes
];

describe.each(PER_CONTRACT)('$contract', ({ get, post, auth, message }) => {
  it('7: two Authorization headers are a 400 in the contract shape, not the first one winning', async () => {
    const answer = await rawRequest(`GET ${get} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${auth}\r\nAuthorization: Bearer x\r\nConnection: close\r\n\r\n`);
    expect(answer.status).toBe(400);
    expect(message(JSON.parse(answer.body))).toBe('Send one Authorization header, not several');
  });

  it('4: a declared Content-Length over the limit is a 413 before a byte of the body is sent', async () => {
    // no body follows the head: an answer proves the server did not wait for it
    const answer = await rawRequest(`POST ${post} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${auth}\r\nContent-Type: application/json\r\nContent-Length: 100000000\r\n\r\n`);
    expect(answer.status).toBe(413);
    expect(message(JSON.parse(answer.body))).toMatch(/^Request body too large: at most \d+ bytes$/);
    expect(answer.head).toMatch(/connection: close/i);
  });

  it('4: a body dripped slower than the minimum rate is cut off with a 408 long before it ends', async () => {
    const answer = await rawRequest(`POST ${post} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${auth}\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n`, { bytes: 5000, everyMs: 20 });
    expect(answer.status).toBe(408);
    expect(message(JSON.parse(answer.body))).toMatch(/^Request body too slow/);
    expect(answer.sent).toBeLessThan(1000);
  });

  it('12: HEAD answers as GET does, with its headers and no body', async () => {
    const headAnswer = await rawRequest(`HEAD ${get} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${auth}\r\nConnection: close\r\n\r\n`);
    const getAnswer = await rawRequest(`GET ${get} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${auth}\r\nConnection: close\r\n\r\n`);
    expect(headAnswer.status).toBe(getAnswer.status);
    expect(headAnswer.status).toBe(200);
    expect(headAnswer.body).toBe('');
    expect(headAnswer.head).toMatch(/content-type: application\/json/i);
  });

  it('9: the request gets one access-log line, with its method', async () => {
    const before = logLines.length;
    await (await server.raw(get, { headers: { Authorization: auth } })).arrayBuffer();
    const lines = logLines.slice(before).filter((l) => l.url === get);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ method: 'GET', status: 200 });
  });
});

describe('6: bracketed query keys are refused by name, and nothing is polluted', () => {
  it.each([
    ['/api/v1/images/public?limit[__proto__][x]=1', 'limit[__proto__][x]'],
    ['/api/v1/images/public?os[constructor][prototype][polluted]=yes', 'os[constructor][prototype][polluted]'],
    ['/api/v1/images/public?sort_by[toString]=1', 'sort_by[toString]'],
    ['/api/v1/images/public?os%5Bx%5D=1', 'os[x]'],
    ['/api/v1/images/public?page=1&os%5bx%5d=1', 'os[x]'],
    ['/v1/images?pagination[limit]=1', 'pagination[limit]'],
    ['/images/?limit[x]=1', 'limit[x]'],
  ])('%s', async (path, key) => {
    const res = await server.raw(path, { headers: { Authorization: path.startsWith('/images') ? ALICE_CHUTES : 'Bearer admin-demo-token' } });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain(JSON.stringify(`Query parameter ${JSON.stringify(key)}`).slice(1, -1));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('9: credentials in query strings never reach the log', () => {
  it.each(['access_token', 'api_key', 'token', 'X-Amz-Signature', 'password', 'client_secret'])('%s', async (name) => {
    const before = logLines.length;
    await (await server.raw(`/api/v1/images/public?${name}=S3CR3T-VALUE&os=ubuntu`)).arrayBuffer();
    const line = logLines.slice(before).find((l) => l.url?.startsWith('/api/v1/images/public'));
    expect(line?.url).toBe(`/api/v1/images/public?${name}=[REDACTED]&os=ubuntu`);
    expect(JSON.stringify(logLines)).not.toContain('S3CR3T-VALUE');
  });
});

describe('8: the control API answers only a local tool', () => {
  it.each<[string, Record<string, string>, number]>([
    ['a foreign Host (DNS rebinding)', { host: 'evil.example', 'content-type': 'application/json' }, 403],
    ['a rebinding Host with a loopback-looking prefix', { host: '127.0.0.1.evil.example', 'content-type': 'application/json' }, 403],
    ['a form post (no preflight needed from a web page)', { host: '127.0.0.1', 'content-type': 'application/x-www-form-urlencoded' }, 415],
    ['text/plain (no preflight either)', { host: '127.0.0.1', 'content-type': 'text/plain' }, 415],
    ['no content type at all', { host: '127.0.0.1' }, 415],
    ['JSON from a loopback host', { host: '127.0.0.1', 'content-type': 'application/json' }, 204],
    ['localhost with a port and the custom header', { host: 'localhost:3000', 'x-control-api': '1' }, 204],
  ])('%s: %i', async (_what, headers, status) => {
    const head = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    const answer = await rawRequest(`POST /__control/reset HTTP/1.1\r\n${head}Content-Length: 0\r\nConnection: close\r\n\r\n`);
    expect(answer.status).toBe(status);
  });
});
