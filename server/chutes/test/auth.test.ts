// The three ways in: an API key, a JWT, and an sr25519 hotkey signature (a key made here, in the test).
import { createHash, randomBytes } from 'node:crypto';
import { getPublicKey, secretFromSeed, sign } from '@scure/sr25519';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formData } from '../../../generated/chutes/client.ts';
import { DEMO_JWT_SECRET } from '../app.ts';
import { signJwt } from '../http/jwt.ts';
import { decodeSs58, encodeSs58 } from '../http/ss58.ts';
import { costRatio } from './cost.ts';
import { ALICE_ID, IDS, KEYS, startChutes, validCreate, type ChutesTestServer } from './helpers.ts';

const MISSING = { detail: 'Missing or invalid authorization header(s)' };
const UNKNOWN = { detail: 'Invalid token or user not found' };
const BAD_NONCE = { detail: 'Invalid nonce!' };

const makeKey = () => {
  const secret = secretFromSeed(randomBytes(32));
  const publicKey = getPublicKey(secret);
  return { secret, publicKey, address: encodeSs58(publicKey) };
};
const alicesKey = makeKey();
const strangersKey = makeKey();

let s: ChutesTestServer;
let nowS: number;
/** What the server logged at error level: a crash would show here as "INTERNAL ERROR" with its stack. */
const errorLog: string[] = [];
beforeAll(async () => {
  const { loadDemoFixture } = await import('../store/fixture.ts');
  const fixture = loadDemoFixture();
  fixture.users[0]!.hotkey = alicesKey.address;
  s = await startChutes({ fixture, logger: pino({ level: 'error' }, { write: (line: string) => errorLog.push(line) }) });
  nowS = Date.parse(fixture.clock) / 1000;
});
afterAll(() => s.close());

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const signed = (key: { secret: Uint8Array; address: string }, nonce: number, purpose = 'images', hotkey = key.address) => ({
  'X-Chutes-Hotkey': hotkey,
  'X-Chutes-Nonce': String(nonce),
  'X-Chutes-Signature': hex(sign(key.secret, new TextEncoder().encode(`${hotkey}:${nonce}:${purpose}`))),
});
const list = (headers: Record<string, string>) => s.raw('/images/', { headers });

describe('SS58 hotkeys', () => {
  it("decodes Substrate's well-known dev address of Alice to its public key", () => {
    expect(hex(decodeSs58('5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY')!)).toBe('d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d');
  });

  it('round-trips a key made here, and refuses a broken checksum', () => {
    expect(hex(decodeSs58(alicesKey.address)!)).toBe(hex(alicesKey.publicKey));
    const broken = alicesKey.address.slice(0, -1) + (alicesKey.address.endsWith('a') ? 'b' : 'a');
    expect(decodeSs58(broken)).toBeUndefined();
  });
});

describe('API keys and JWTs in Authorization', () => {
  const future = nowSeconds() + 3600;
  function nowSeconds() {
    return Date.parse('2026-11-20T10:00:00.000Z') / 1000;
  }
  it.each<[string, Record<string, string>, number, unknown]>([
    ['an API key alone', { Authorization: KEYS.alice }, 200, null],
    ['an API key after Bearer', { Authorization: `Bearer ${KEYS.alice}` }, 200, null],
    ['a well-formed API key that names no one', { Authorization: KEYS.alice.replace('AliceDemoKey', 'EveXDemoKeyX') }, 401, UNKNOWN],
    ['a malformed API key', { Authorization: 'cpk_123' }, 401, UNKNOWN],
    ['a JWT', { Authorization: `Bearer ${signJwt({ sub: ALICE_ID, exp: future }, DEMO_JWT_SECRET)}` }, 200, null],
    ['an expired JWT', { Authorization: `Bearer ${signJwt({ sub: ALICE_ID, exp: nowSeconds() - 1 }, DEMO_JWT_SECRET)}` }, 401, UNKNOWN],
    ['a JWT signed with another secret', { Authorization: `Bearer ${signJwt({ sub: ALICE_ID, exp: future }, 'not-the-secret')}` }, 401, UNKNOWN],
    ['a JWT naming no user', { Authorization: `Bearer ${signJwt({ sub: '00000000-0000-4000-8000-000000000000', exp: future }, DEMO_JWT_SECRET)}` }, 401, UNKNOWN],
    ['a token that is neither', { Authorization: 'Bearer alice-demo-token' }, 401, UNKNOWN],
    ['nothing', {}, 401, MISSING],
  ])('%s', async (_what, headers, status, body) => {
    const response = await list(headers);
    expect(response.status).toBe(status);
    if (body) expect(await response.json()).toEqual(body);
    else expect(((await response.json()) as { items: { user: { username: string } }[] }).items[0]?.user.username).toBe('alice');
  });
});

describe('hotkey signatures', () => {
  it.each<[string, () => Record<string, string>, number, unknown]>([
    ['a good signature with a fresh nonce', () => signed(alicesKey, nowS), 200, null],
    ['a nonce 599 s old', () => signed(alicesKey, nowS - 599), 200, null],
    ['a stale nonce (600 s old)', () => signed(alicesKey, nowS - 600), 401, BAD_NONCE],
    ['a nonce 600 s in the future', () => signed(alicesKey, nowS + 600), 401, BAD_NONCE],
    ['a nonce that is not a number', () => ({ ...signed(alicesKey, nowS), 'X-Chutes-Nonce': 'soon' }), 401, BAD_NONCE],
    ['no nonce', () => ({ 'X-Chutes-Hotkey': alicesKey.address, 'X-Chutes-Signature': signed(alicesKey, nowS)['X-Chutes-Signature'] }), 401, BAD_NONCE],
    ["a forged signature (another key signed for Alice's hotkey)", () => signed(strangersKey, nowS, 'images', alicesKey.address), 401, MISSING],
    ['a signature over another nonce', () => ({ ...signed(alicesKey, nowS), 'X-Chutes-Nonce': String(nowS - 1) }), 401, MISSING],
    ['a signature over another purpose', () => signed(alicesKey, nowS, 'chutes'), 401, MISSING],
    ['a signature that is not hex', () => ({ ...signed(alicesKey, nowS), 'X-Chutes-Signature': 'zz' }), 401, MISSING],
    ['a hotkey that is not an SS58 address', () => ({ ...signed(alicesKey, nowS), 'X-Chutes-Hotkey': 'not-an-address' }), 401, MISSING],
    ['a good signature by a hotkey no user has', () => signed(strangersKey, nowS), 401, UNKNOWN],
    ['a hotkey without a signature (falls back to Authorization)', () => ({ 'X-Chutes-Hotkey': alicesKey.address, 'X-Chutes-Nonce': String(nowS), Authorization: KEYS.alice }), 200, null],
  ])('%s', async (_what, headers, status, body) => {
    const response = await list(headers());
    expect(response.status).toBe(status);
    if (body) expect(await response.json()).toEqual(body);
    else await response.json();
  });

  it.each<[string, () => Record<string, string>, number]>([
    ["Alice's signature on the logs of her private image", () => signed(alicesKey, nowS), 200],
    ['a stale signature there (counted as no credentials)', () => signed(alicesKey, nowS - 600), 404],
  ])('optional auth (build logs): %s', async (_what, headers, status) => {
    const response = await s.raw('/images/f7cbd348-6b3e-5302-ac09-f49cd37e3f1d/logs', { headers: headers() });
    expect(response.status).toBe(status);
    await response.text();
  });

  it('judges the nonce by the injected clock', async () => {
    s.clock.advance(600_000);
    try {
      expect((await list(signed(alicesKey, nowS))).status).toBe(401);
      expect((await list(signed(alicesKey, nowS + 600))).status).toBe(200);
    } finally {
      s.clock.advance(-600_000);
    }
  });

  describe('on a request with a body, the signature covers its sha256', () => {
    const encode = async () => {
      const request = new Request('http://x/', { method: 'POST', body: formData(validCreate({ tag: `sig${Math.floor(Math.random() * 1e9)}` })) });
      return { body: Buffer.from(await request.arrayBuffer()), contentType: request.headers.get('content-type')! };
    };

    it.each<[string, (sha: string) => string, number]>([
      ['signed over the body hash', (sha) => sha, 202],
      ['signed over the purpose instead', () => 'images', 401],
      ['signed over the hash of another body', (sha) => createHash('sha256').update(sha).digest('hex'), 401],
    ])('create %s', async (_what, payload, status) => {
      const { body, contentType } = await encode();
      const sha = createHash('sha256').update(body).digest('hex');
      const response = await s.raw('/images/', { method: 'POST', body, headers: { 'Content-Type': contentType, ...signed(alicesKey, nowS, payload(sha)) } });
      expect(response.status).toBe(status);
      await response.text();
    });
  });
});

describe('malformed hotkey credentials are a 401 on every operation, never a 500', () => {
  const good = () => signed(alicesKey, nowS);
  const base58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
  /** A well-formed SS58 address whose 32 bytes are not a ristretto255 point. */
  const notAPoint = encodeSs58(new Uint8Array(32).fill(0xff));
  const MALFORMED: [string, () => Record<string, string>, unknown][] = [
    ['a signature that is not hex', () => ({ ...good(), 'X-Chutes-Signature': 'zz'.repeat(64) }), MISSING],
    ['a signature one byte short', () => ({ ...good(), 'X-Chutes-Signature': good()['X-Chutes-Signature'].slice(2) }), MISSING],
    ['a signature one byte long', () => ({ ...good(), 'X-Chutes-Signature': `${good()['X-Chutes-Signature']}00` }), MISSING],
    ['a signature with 0x', () => ({ ...good(), 'X-Chutes-Signature': `0x${good()['X-Chutes-Signature']}` }), MISSING],
    ["a signature without Schnorrkel's marker bit (all zeros)", () => ({ ...good(), 'X-Chutes-Signature': '00'.repeat(64) }), MISSING],
    ['a signature that is not a ristretto255 point (all ff)', () => ({ ...good(), 'X-Chutes-Signature': 'ff'.repeat(64) }), MISSING],
    ['a hotkey that is not SS58', () => ({ ...good(), 'X-Chutes-Hotkey': 'not-an-address' }), MISSING],
    ['a hotkey with a broken checksum', () => ({ ...good(), 'X-Chutes-Hotkey': alicesKey.address.slice(0, -1) + (alicesKey.address.endsWith('a') ? 'b' : 'a') }), MISSING],
    ['a hotkey whose key is not a ristretto255 point', () => ({ ...good(), 'X-Chutes-Hotkey': notAPoint }), MISSING],
    ['a hotkey of 12,000 base58 characters', () => ({ ...good(), 'X-Chutes-Hotkey': base58.repeat(210).slice(0, 12_000) }), MISSING],
    ['two signatures (joined by a comma)', () => ({ ...good(), 'X-Chutes-Signature': `${good()['X-Chutes-Signature']}, ${good()['X-Chutes-Signature']}` }), MISSING],
    ['no nonce', () => ({ 'X-Chutes-Hotkey': alicesKey.address, 'X-Chutes-Signature': good()['X-Chutes-Signature'] }), BAD_NONCE],
    ['a nonce that is not a number', () => ({ ...good(), 'X-Chutes-Nonce': '1e9' }), BAD_NONCE],
    ['a negative nonce', () => ({ ...good(), 'X-Chutes-Nonce': `-${nowS}` }), BAD_NONCE],
  ];
  const create = () => new Request('http://x/', { method: 'POST', body: formData(validCreate({ tag: 'malformed' })) });
  const OPERATIONS: [string, (headers: Record<string, string>) => Promise<Response>, 'refused' | 'anonymous'][] = [
    ['listImages', (headers) => s.raw('/images/', { headers }), 'refused'],
    ['createImage', async (headers) => {
      const request = create();
      return s.raw('/images/', { method: 'POST', body: await request.arrayBuffer(), headers: { 'Content-Type': request.headers.get('content-type')!, ...headers } });
    }, 'refused'],
    ['getImage', (headers) => s.raw(`/images/${IDS.tinyllama}`, { headers }), 'refused'],
    ['deleteImage', (headers) => s.raw(`/images/${IDS.tinyllama}`, { method: 'DELETE', headers }), 'refused'],
    // anonymous callers are welcome here: failed credentials count as none (spec/chutes/README.md decision 4)
    ['streamBuildLogs', (headers) => s.raw(`/images/${IDS.basePython}/logs`, { headers }), 'anonymous'],
  ];
  const rows = OPERATIONS.flatMap(([operation, send, kind]) => MALFORMED.map(([what, headers, body]) => [operation, what, send, kind, headers, body] as const));

  it.each(rows)('%s with %s', async (_operation, _what, send, kind, headers, body) => {
    const before = errorLog.length;
    const response = await send(headers());
    if (kind === 'refused') {
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual(body);
    } else {
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('Successfully built and pushed alice/base-python:3.12.7');
    }
    expect(errorLog.slice(before)).toEqual([]);
    expect(s.store.images().find((i) => i.image_id === IDS.tinyllama)).toBeDefined();
  });

  it('refuses an over-long hotkey as cheaply as a well-formed one (cost ratio, same run)', async () => {
    const long = { ...good(), 'X-Chutes-Hotkey': base58.repeat(210).slice(0, 12_000) };
    const short = { ...good(), 'X-Chutes-Hotkey': 'not-an-address' };
    const ratio = await costRatio(
      () => list(long).then((r) => r.text()),
      () => list(short).then((r) => r.text()),
    );
    expect(ratio).toBeLessThan(5); // without the bound, base58-decoding 12,000 characters cost about 50 times the request itself
  });
});
