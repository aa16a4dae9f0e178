// The bad input catalogue, over every contract: each request is a 4xx in the contract's error shape
// with nothing internal in it (or, where a row says so, an answer the contract gives such input on
// purpose), the server answers normally afterwards, no prototype is polluted, and the state seen
// through the API has not changed. The exact status and message per operation are each contract's
// own tests (server/<contract>/test/).
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRACTS, errorProblems, type HardenedContract, type HardenedServer } from './contracts.ts';

interface Case {
  method?: string;
  /** Sent byte for byte (no URL normalisation), so broken escapes reach the server as written. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** Where a contract takes the kinds of input the catalogue breaks. */
interface Targets {
  /** An operation with a JSON body, and the headers it needs. */
  json?: { method: string; path: string };
  /** An operation with a form body (multipart). */
  form?: { method: string; path: string };
  /** A GET with a query, one of its string parameters and one of its integer ones. */
  query: { path: string; text: string; integer: string };
  /** A GET by id. */
  byId: (id: string) => string;
  /** A GET that needs credentials. */
  secured: string;
}

const TARGETS: Record<HardenedContract['name'], Targets> = {
  images: {
    json: { method: 'POST', path: '/api/v1/images/rate/507f1f77bcf86cd799439021' },
    query: { path: '/api/v1/images/public', text: 'search', integer: 'limit' },
    byId: (id) => `/api/v1/images/public/${id}`,
    secured: '/api/v1/images/user',
  },
  stackrox: {
    json: { method: 'POST', path: '/v1/watchedimages' },
    query: { path: '/v1/images', text: 'query', integer: 'pagination.limit' },
    byId: (id) => `/v1/images/${id}`,
    secured: '/v1/images',
  },
  chutes: {
    form: { method: 'POST', path: '/images/' },
    query: { path: '/images/', text: 'name', integer: 'limit' },
    byId: (id) => `/images/${id}`,
    secured: '/images/',
  },
};

/** Input each contract answers on purpose rather than refusing, and why (the row still must not 5xx, leak or change anything). */
const ANSWERED: Record<HardenedContract['name'], Record<string, string>> = {
  images: {},
  stackrox: {
    'an empty JSON body': 'grpc-gateway reads an empty body as the empty message; watchImage answers its documented 200 with an errorType naming the failure',
  },
  chutes: {
    '__proto__ key in the query': 'FastAPI ignores query parameters an operation does not declare',
    'constructor key in the query': 'FastAPI ignores query parameters an operation does not declare',
    'NUL in a query string': 'a str query parameter takes any text in FastAPI; the name filter matches nothing',
    'invalid UTF-8 in a query string': 'Starlette decodes a query with replacement characters; the name filter matches nothing',
  },
};

function catalogue(contract: HardenedContract): [string, Case][] {
  const t = TARGETS[contract.name];
  const owner = contract.credentials.owner;
  const json = { ...owner, 'content-type': 'application/json' };
  const q = t.query;
  const rows: [string, Case][] = [
    ['__proto__ key in the query', { path: `${q.path}?__proto__[admin]=1`, headers: owner }],
    ['constructor key in the query', { path: `${q.path}?constructor[prototype][admin]=1`, headers: owner }],
    ['NUL in a query string', { path: `${q.path}?${q.text}=ubu%00ntu`, headers: owner }],
    ['NUL in a path id', { path: t.byId('507f1f77bcf86cd79943902%00'), headers: owner }],
    ['invalid UTF-8 in a query string', { path: `${q.path}?${q.text}=%FF%FEubuntu`, headers: owner }],
    ['invalid UTF-8 in a path', { path: t.byId('%FF%FE'), headers: owner }],
    ['a broken escape in a path', { path: t.byId('%E0%A4%A'), headers: owner }],
    ['an over-long id', { path: t.byId('a'.repeat(8000)), headers: owner }],
    ['an array where a scalar belongs', { path: `${q.path}?${q.integer}[]=5`, headers: owner }],
    ['an object where a scalar belongs', { path: `${q.path}?${q.text}[x]=ubuntu`, headers: owner }],
    ['duplicate integer query keys', { path: `${q.path}?${q.integer}=5&${q.integer}=10`, headers: owner }],
    ['an integer out of all range', { path: `${q.path}?${q.integer}=99999999999999999999999`, headers: owner }],
    ['an empty integer', { path: `${q.path}?${q.integer}=`, headers: owner }],
    ['a huge Authorization header (12 KB)', { path: t.secured, headers: { authorization: `Bearer ${'a'.repeat(12_000)}` } }],
    ['a huge header (64 KB)', { path: q.path, headers: { ...owner, 'x-padding': 'a'.repeat(64 * 1024) } }],
    ['an unknown path under the API', { path: `${q.path.replace(/\/$/, '')}/no/such/thing/here`, headers: owner }],
    ['a path outside the API', { path: '/etc/passwd', headers: owner }],
  ];
  if (t.json) {
    const { method, path } = t.json;
    rows.push(
      ['malformed JSON', { method, path, headers: json, body: '{"rating": 4,' }],
      ['a 10 MB body', { method, path, headers: json, body: JSON.stringify({ pad: 'x'.repeat(10 * 2 ** 20) }) }],
      ['JSON nested 10,000 deep (arrays)', { method, path, headers: json, body: `{"a": ${'['.repeat(10_000)}4${']'.repeat(10_000)}}` }],
      ['JSON nested 10,000 deep (objects)', { method, path, headers: json, body: `{"a": ${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}` }],
      ['__proto__ standing in for the body', { method, path, headers: json, body: '{"__proto__": {"admin": true}}' }],
      ['constructor.prototype standing in for the body', { method, path, headers: json, body: '{"constructor": {"prototype": {"admin": true}}}' }],
      ['a JSON scalar for the body', { method, path, headers: json, body: '5' }],
      ['an empty JSON body', { method, path, headers: json, body: '' }],
      ['invalid UTF-8 in a body string', { method, path, headers: json, body: Buffer.concat([Buffer.from('{"a": "bad'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]) }],
      ['a wrong content type (text/plain)', { method, path, headers: { ...owner, 'content-type': 'text/plain' }, body: '{"a": 4}' }],
      ['a wrong content type (form)', { method, path, headers: { ...owner, 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=4' }],
      ['an unsupported charset', { method, path, headers: { ...owner, 'content-type': 'application/json; charset=klingon' }, body: '{"a": 4}' }],
    );
  }
  if (t.form) {
    const { method, path } = t.form;
    rows.push(
      ['a form with no closing boundary', { method, path, headers: { ...owner, 'content-type': 'multipart/form-data; boundary=x' }, body: '--x\r\ncontent-disposition: form-data; name="name"\r\n\r\nabc' }],
      ['a form with no boundary', { method, path, headers: { ...owner, 'content-type': 'multipart/form-data' }, body: '--x--\r\n' }],
      ['a JSON body where a form belongs', { method, path, headers: { ...owner, 'content-type': 'application/json' }, body: '{"name": "x"}' }],
      ['a form field named __proto__', { method, path, headers: { ...owner, 'content-type': 'multipart/form-data; boundary=x' }, body: '--x\r\ncontent-disposition: form-data; name="__proto__"\r\n\r\nabc\r\n--x--\r\n' }],
    );
  }
  if (contract.name === 'images') rows.push(...imagesOnly(owner));
  return rows;
}

/** The images contract's own paths: snapshots, purchases, and the requests of its per-operation test. */
function imagesOnly(owner: Record<string, string>): [string, Case][] {
  const rate = '/api/v1/images/rate/507f1f77bcf86cd799439021';
  const snapshots = '/api/v1/containers/507f1f77bcf86cd799439011/snapshots';
  const alias = `${snapshots}/snap-20250115-103000/alias`;
  const json = { ...owner, 'content-type': 'application/json' };
  return [
    ['NUL in a body string', { method: 'PATCH', path: alias, headers: json, body: '{"alias": "a\\u0000b"}' }],
    ['__proto__ key beside the rating', { method: 'POST', path: rate, headers: json, body: '{"rating": 4, "__proto__": {"admin": true}}' }],
    ['a rating of 1e309 (Infinity once parsed)', { method: 'POST', path: rate, headers: json, body: '{"rating": 1e309}' }],
    ['a long alias under the size limit', { method: 'PATCH', path: alias, headers: json, body: JSON.stringify({ alias: 'a'.repeat(900_000) }) }],
    ['invalid UTF-8 in a snapshot name', { method: 'DELETE', path: `${snapshots}/snap-%C3%28`, headers: owner }],
    ['an over-long container id', { path: `/api/v1/containers/${'a'.repeat(8000)}/snapshots`, headers: owner }],
    ['an over-long purchase id', { method: 'POST', path: `/api/v1/images/purchase/${'9'.repeat(8000)}`, headers: owner }],
    ['a path in the wrong case', { path: '/api/v1/images/PUBLIC' }],
    ['a path that climbs out', { path: '/api/v1/images/public/..%2F..%2F..%2Fetc%2Fpasswd' }],
    ['an unknown query parameter on the icon', { path: '/api/v1/images/507f1f77bcf86cd799439021/icon?size=64' }],
  ];
}

/** node:http rather than fetch: fetch would re-encode the path and refuse some of these headers. */
function send(base: string, c: Case): Promise<{ status: number; contentType: string | null; text: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, method: c.method ?? 'GET', path: c.path, headers: { ...c.headers, ...(c.body !== undefined ? { 'content-length': Buffer.byteLength(c.body) } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'] ?? null, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(c.body);
  });
}

describe.each(CONTRACTS.map((c) => [c.name, c] as const))('bad input catalogue: %s', (_name, contract) => {
  let server: HardenedServer;
  let before: unknown;
  beforeAll(async () => {
    server = await contract.start();
    before = await server.state();
  });
  afterAll(() => server.close());

  it.each(catalogue(contract))('%s: refused in the contract shape, nothing internal, server up, state unchanged', async (name, c) => {
    try {
      const { status, contentType, text } = await send(server.baseUrl, c);
      const answered = ANSWERED[contract.name][name];
      if (answered !== undefined && status < 400) expect(status, `${name}: ${text.slice(0, 200)}`).toBeLessThan(300);
      else expect(errorProblems(contract, status, contentType, text), name).toEqual([]);
      expect(({} as Record<string, unknown>).admin).toBeUndefined();
      expect((await server.raw(contract.health.path, { headers: contract.health.headers })).status).toBe(200);
      expect(await server.state()).toEqual(before);
    } finally {
      server.reset(); // one failing case must not fail the next
    }
  });
});
