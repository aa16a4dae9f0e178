// Hostile and broken requests, per operation: the status and the message each one gets. That each is
// refused in the contract's shape with nothing internal in it, the server stays up and nothing changes
// is the catalogue's claim (test/hardening/bad-input.test.ts); refused credentials are
// test/hardening/auth.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE_CONTAINER, startServer, type TestServer } from './helpers.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const ALICE = { Authorization: 'Bearer alice-demo-token' };
const JSON_TYPE = { 'Content-Type': 'application/json' };
const RATE = '/api/v1/images/rate/507f1f77bcf86cd799439021';
const SNAPSHOTS = `/api/v1/containers/${ALICE_CONTAINER}/snapshots`;
const ALIAS = `${SNAPSHOTS}/snap-20250115-103000/alias`;
const nested = (depth: number, inner: string) => '['.repeat(depth) + inner + ']'.repeat(depth);

interface Row {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  status: number;
  message: RegExp;
}

const rows: [string, Row][] = [
  ['malformed JSON', { method: 'POST', path: RATE, headers: { ...ALICE, ...JSON_TYPE }, body: '{"rating": 5', status: 400, message: /^Invalid rating value \(must be 0-5\): body is not valid JSON$/ }],
  ['a JSON body that is not an object or array', { method: 'POST', path: RATE, headers: { ...ALICE, ...JSON_TYPE }, body: '5', status: 400, message: /^Invalid rating value \(must be 0-5\): body is not valid JSON$/ }],
  ['a body sent as text/plain', { method: 'POST', path: RATE, headers: { ...ALICE, 'Content-Type': 'text/plain' }, body: '{"rating": 5}', status: 415, message: /^Unsupported media type/ }],
  ['no body where one is required', { method: 'POST', path: RATE, headers: ALICE, status: 400, message: /^Invalid rating value \(must be 0-5\): body is required$/ }],
  ['no alias body', { method: 'PATCH', path: ALIAS, headers: ALICE, status: 400, message: /^Invalid alias value: body is required$/ }],
  ['an empty JSON body where one is required', { method: 'POST', path: RATE, headers: { ...ALICE, ...JSON_TYPE }, body: '', status: 400, message: /^Invalid rating value \(must be 0-5\): / }],
  ['a body in an unsupported charset', { method: 'POST', path: RATE, headers: { ...ALICE, 'Content-Type': 'application/json; charset=klingon' }, body: '{"rating": 5}', status: 415, message: /^Unsupported media type/ }],
  ['a body over 1 MB', { method: 'PATCH', path: ALIAS, headers: { ...ALICE, ...JSON_TYPE }, body: JSON.stringify({ alias: 'a'.repeat(1_100_000) }), status: 413, message: /^Request body too large$/ }],
  ['a long alias under the size limit', { method: 'PATCH', path: ALIAS, headers: { ...ALICE, ...JSON_TYPE }, body: JSON.stringify({ alias: 'a'.repeat(900_000) }), status: 400, message: /^Invalid alias value: alias must NOT have more than 100 characters$/ }],
  ['a rating nested 100 000 arrays deep', { method: 'POST', path: RATE, headers: { ...ALICE, ...JSON_TYPE }, body: `{"rating": ${nested(100_000, '5')}}`, status: 400, message: /^Invalid rating value \(must be 0-5\): rating must be number$/ }],
  ['an alias nested in 50 000 objects', { method: 'PATCH', path: ALIAS, headers: { ...ALICE, ...JSON_TYPE }, body: `{"alias": ${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}`, status: 400, message: /^Invalid alias value: alias/ }],
  ['a rating of 1e309 (Infinity once parsed)', { method: 'POST', path: RATE, headers: { ...ALICE, ...JSON_TYPE }, body: '{"rating": 1e309}', status: 400, message: /^Invalid rating value \(must be 0-5\)/ }],
  ['__proto__ in the body', { method: 'POST', path: RATE, headers: { ...ALICE, ...JSON_TYPE }, body: '{"rating": 5, "__proto__": {"polluted": true}}', status: 400, message: /^Invalid rating value \(must be 0-5\): .*additional properties/ }],
  ['__proto__ standing in for the body', { method: 'POST', path: RATE, headers: { ...ALICE, ...JSON_TYPE }, body: '{"__proto__": {"rating": 5}}', status: 400, message: /^Invalid rating value \(must be 0-5\)/ }],
  ['constructor.prototype in the body', { method: 'POST', path: SNAPSHOTS, headers: { ...ALICE, ...JSON_TYPE }, body: '{"constructor": {"prototype": {"polluted": true}}}', status: 400, message: /^Invalid request payload: .*additional properties/ }],
  ['__proto__ in the query', { path: '/api/v1/images/public?__proto__[polluted]=1', status: 400, message: /^Invalid request: __proto__(\[polluted\])? is not a known query parameter$/ }],
  ['an unknown query parameter on the image details', { path: '/api/v1/images/public/507f1f77bcf86cd799439021?limt=5', status: 400, message: /^Invalid request: limt is not a known query parameter$/ }],
  ['an unknown query parameter on the icon', { path: '/api/v1/images/507f1f77bcf86cd799439021/icon?size=64', status: 400, message: /^Invalid request: size is not a known query parameter$/ }],
  ['a colon in a query value', { path: '/api/v1/images/public?search=jammy:lts', status: 400, message: /^Invalid request: search must be percent-encoded: reserved characters such as : \/ = are not allowed as they are$/ }],
  ['constructor in the query', { path: '/api/v1/images/public?constructor=x', status: 400, message: /^Invalid request: constructor is not a known query parameter$/ }],
  ['a duplicated integer query key', { path: '/api/v1/images/public?limit=1&limit=2', status: 400, message: /^Invalid request: limit must be integer$/ }],
  ['a duplicated string query key', { path: '/api/v1/images/public?os=ubuntu&os=debian', status: 400, message: /^Invalid request: os must be string$/ }],
  ['a duplicated enum query key', { path: '/api/v1/images/user?sort_order=asc&sort_order=desc', headers: ALICE, status: 400, message: /^Invalid request: sort_order/ }],
  ['array syntax where a scalar belongs', { path: '/api/v1/images/public?min_price[]=1', status: 400, message: /^Invalid request: min_price(\[\] is not a known query parameter| must be number)$/ }],
  ['an array where the rating belongs', { method: 'POST', path: RATE, headers: { ...ALICE, ...JSON_TYPE }, body: '{"rating": [5]}', status: 400, message: /^Invalid rating value \(must be 0-5\): rating must be number$/ }],
  ['a NUL byte in the search', { path: '/api/v1/images/public?search=ub%00untu', status: 400, message: /^Invalid request: search must not contain NUL characters$/ }],
  ['a NUL byte in a container id', { path: `/api/v1/containers/507f1f77bcf86cd79943901%00/snapshots`, headers: ALICE, status: 400, message: /^Invalid container ID format: id must match pattern/ }],
  ['a key twice in the rating body (JSON.parse keeps the last)', { method: 'POST', path: RATE, headers: { ...ALICE, ...JSON_TYPE }, body: '{"rating": 5, "rating": 1}', status: 400, message: /^Invalid rating value \(must be 0-5\): body\.rating appears twice in one object$|^Invalid rating value \(must be 0-5\): rating appears twice in one object$/ }],
  ['half a surrogate pair in the alias', { method: 'PATCH', path: ALIAS, headers: { ...ALICE, ...JSON_TYPE }, body: '{"alias": "a\\ud800b"}', status: 400, message: /^Invalid alias value: alias must not contain half a surrogate pair \(not text\)$/ }],
  ['a page in hexadecimal (Number() reads 0x10 as 16)', { path: '/api/v1/images/public?page=0x10', status: 400, message: /^Invalid request: page must be an integer written in decimal digits \(a safe integer\)$/ }],
  ['a page in exponent notation (Number() reads 1e3 as 1000)', { path: '/api/v1/images/public?page=1e3', status: 400, message: /^Invalid request: page must be an integer written in decimal digits/ }],
  ['a page past the safe integers (read as its neighbour)', { path: '/api/v1/images/public?page=9007199254740993', status: 400, message: /^Invalid request: page must be an integer written in decimal digits/ }],
  ['a limit with a sign and spaces', { path: '/api/v1/images/public?limit=%20%2B5', status: 400, message: /^Invalid request: limit must be an integer written in decimal digits/ }],
  ['a price in hexadecimal', { path: '/api/v1/images/public?min_price=0x1', status: 400, message: /^Invalid request: min_price must be a number written in decimal digits$/ }],
  ['a price of Infinity', { path: '/api/v1/images/public?max_price=Infinity', status: 400, message: /^Invalid request: max_price must be a number/ }],
  ['a NUL byte in the alias', { method: 'PATCH', path: ALIAS, headers: { ...ALICE, ...JSON_TYPE }, body: '{"alias": "a\\u0000b"}', status: 400, message: /^Invalid alias value: alias must not contain NUL characters$/ }],
  ['an empty query value', { path: '/api/v1/images/public?limit=', status: 400, message: /^Invalid request: limit must not be empty$/ }],
  ['a path in the wrong case', { path: '/api/v1/images/PUBLIC', status: 404, message: /^No operation at GET \/api\/v1\/images\/PUBLIC$/ }],
  ['an unknown path', { path: '/api/v1/nothing/here', status: 404, message: /^No operation at GET \/api\/v1\/nothing\/here$/ }],
  ['a path outside the API', { path: '/etc/passwd', status: 404, message: /^No operation at GET/ }],
  ['a path that climbs out', { path: '/api/v1/images/public/..%2F..%2F..%2Fetc%2Fpasswd', status: 404, message: /^Public image not found$/ }],
];

describe('bad input', () => {
  it.each(rows)('%s', async (_name, row) => {
    const response = await server.raw(row.path, { method: row.method ?? 'GET', headers: row.headers, body: row.body });
    const text = await response.text();
    expect(response.status, text.slice(0, 300)).toBe(row.status);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect((JSON.parse(text) as { message?: unknown }).message).toMatch(row.message);
  });
});

describe('wrong method on a known path', () => {
  it.each([
    ['DELETE', '/api/v1/images/public', 'GET'],
    ['POST', '/api/v1/images/public/507f1f77bcf86cd799439021', 'GET'],
    ['GET', '/api/v1/images/rate/507f1f77bcf86cd799439021', 'POST'],
    ['PUT', SNAPSHOTS, 'GET, POST'],
    ['GET', `${SNAPSHOTS}/snap-20250115-103000`, 'PATCH, PUT, DELETE'],
    ['POST', `${SNAPSHOTS}/snap-20250115-103000/alias`, 'PATCH, PUT'],
  ])('%s %s is a 405 with Allow: %s', async (method, path, allow) => {
    const response = await server.raw(path, { method, headers: ALICE });
    expect(response.status).toBe(405);
    const allowed = response.headers.get('allow')!.split(/,\s*/).sort();
    expect(allowed).toEqual(allow.split(', ').sort());
    expect(await response.json()).toEqual({ statusCode: 405, error: 'Method Not Allowed', message: `Method ${method} is not allowed here` });
  });
});
