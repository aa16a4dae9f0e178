// The mock against a small spec of its own (mock/test/fixtures/pets): nothing here knows the contract.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startMock, type Running } from './helpers.ts';

const key = { 'x-api-key': 'k' };
const rex = { id: 'p1', name: 'Rex', kind: 'dog', age: 3 };
const allPets = { items: [rex, { id: 'p2', name: 'Tom', kind: 'cat' }], total: 2 };
const problem = (code: string) => ({ code, detail: expect.any(String) });

let mock: Running;
beforeAll(async () => {
  mock = await startMock();
});
afterAll(async () => {
  await mock.close();
});

describe('example selection by request (pairing by name)', () => {
  it.each([
    { when: 'a list without parameters gets the default example', method: 'GET', path: '/pets', status: 200, body: allPets, example: 'all' },
    { when: 'a query value of a named example gets that example', method: 'GET', path: '/pets?kind=cat', status: 200, body: { items: [{ id: 'p2', name: 'Tom', kind: 'cat' }], total: 1 }, example: 'only-cats' },
    { when: 'an unnamed query value gets the default example', method: 'GET', path: '/pets?kind=fish', status: 200, body: allPets, example: 'all' },
    { when: 'a path value of a named example gets that example', method: 'GET', path: '/pets/p1', status: 200, body: rex, example: 'rex' },
    { when: 'a path value paired with a 404 example gets the 404', method: 'GET', path: '/pets/p404', status: 404, body: { code: 'NOT_FOUND', detail: 'no pet p404' }, example: 'missing' },
    { when: 'a body of a named example gets that example and its status', method: 'POST', path: '/pets', send: { name: 'Rex', kind: 'dog' }, status: 409, body: { code: 'CONFLICT', detail: 'a pet named Rex exists' }, example: 'duplicate' },
    { when: 'the same body with keys in another order still matches', method: 'POST', path: '/pets', send: { kind: 'dog', name: 'Rex' }, status: 409, body: { code: 'CONFLICT', detail: 'a pet named Rex exists' }, example: 'duplicate' },
    { when: 'any other valid body gets the lowest 2xx example', method: 'POST', path: '/pets', send: { name: 'Kit', kind: 'cat' }, status: 201, body: { id: 'p3', name: 'Nemo', kind: 'fish' }, example: 'created' },
    { when: 'a body example on any pet gets its example', method: 'PATCH', path: '/pets/p2', send: { name: 'Rexy' }, status: 200, body: { id: 'p1', name: 'Rexy', kind: 'dog', age: 3 }, example: 'renamed' },
    { when: 'a 404 path value beats a matching body on a tie', method: 'PATCH', path: '/pets/p404', send: { name: 'Rexy' }, status: 404, body: { code: 'NOT_FOUND', detail: 'no such pet' }, example: 'missing' },
  ])('$when', async ({ method, path, send, status, body, example }) => {
    const reply = await call(mock.url, method, path, { headers: key, body: send });
    expect(reply.status).toBe(status);
    expect(reply.body).toEqual(body);
    expect(mock.lines.at(-1)).toMatch(new RegExp(`^${method} ${path.replace(/[?]/g, '\\?')} ${status} ${example} [0-9.]+ms$`));
  });
});

describe('Prefer', () => {
  it.each([
    { when: 'code= picks that status and its first example', prefer: 'code=503', status: 503, body: { code: 'UNAVAILABLE', detail: 'try again later' } },
    { when: 'example= picks the named example and its status', prefer: 'example=only-cats', status: 200, body: { items: [{ id: 'p2', name: 'Tom', kind: 'cat' }], total: 1 } },
    { when: 'example= reaches an error example too', prefer: 'example=down', status: 503, body: { code: 'UNAVAILABLE', detail: 'try again later' } },
    { when: 'example= with code= agrees', prefer: 'code=200, example=all', status: 200, body: allPets },
    { when: 'an unknown example is a 404 in the spec error shape naming the known ones', prefer: 'example=nope', status: 404, body: { code: 'NOT_FOUND', detail: expect.stringContaining('only-cats') } },
    { when: 'an undocumented error code answers that code in the spec error shape', prefer: 'code=418', status: 418, body: { code: "I_M_A_TEAPOT", detail: expect.stringContaining('documents no 418') } },
  ])('$when', async ({ prefer, status, body }) => {
    const reply = await call(mock.url, 'GET', '/pets', { headers: { ...key, prefer } });
    expect(reply.status).toBe(status);
    expect(reply.body).toEqual(body);
  });

  it('prism query forms (__example) work for clients that cannot set headers', async () => {
    const reply = await call(mock.url, 'GET', '/pets?__example=only-cats', { headers: key });
    expect(reply.body).toMatchObject({ total: 1 });
  });

  it('dynamic=true generates a body from the schema, the same for the same seed', async () => {
    const a = await call(mock.url, 'GET', '/pets/p1', { headers: { ...key, prefer: 'dynamic=true, seed=42' } });
    const b = await call(mock.url, 'GET', '/pets/p1', { headers: { ...key, prefer: 'dynamic=true, seed=42' } });
    const c = await call(mock.url, 'GET', '/pets/p1', { headers: { ...key, prefer: 'dynamic=true, seed=43' } });
    expect(a.status).toBe(200);
    expect(a.body).not.toEqual(rex);
    expect(Object.keys(a.body as object).sort()).toEqual(['age', 'id', 'kind', 'name'].filter((k) => k in (a.body as object)).sort());
    expect(a.body).toMatchObject({ id: expect.stringMatching(/^p[0-9]+$/), kind: expect.stringMatching(/^(cat|dog|fish)$/) });
    expect(b.body).toEqual(a.body);
    expect(c.body).not.toEqual(a.body);
  });

  describe('--dynamic (-d): schema-generated answers by default', () => {
    let dynamic: Running;
    beforeAll(async () => {
      dynamic = await startMock({ dynamic: true, seed: 42 });
    });
    afterAll(async () => {
      await dynamic.close();
    });

    it.each([
      { when: 'a request without Prefer gets a generated body', prefer: undefined, generated: true },
      { when: 'Prefer: dynamic=false gets the example again', prefer: 'dynamic=false', generated: false },
      { when: 'Prefer: example= gets that example', prefer: 'example=rex', generated: false },
    ])('$when', async ({ prefer, generated }) => {
      const reply = await call(dynamic.url, 'GET', '/pets/p1', { headers: { ...key, ...(prefer ? { prefer } : {}) } });
      expect(reply.status).toBe(200);
      if (generated) {
        expect(reply.body).not.toEqual(rex);
        expect(reply.body).toMatchObject({ id: expect.stringMatching(/^p[0-9]+$/), kind: expect.stringMatching(/^(cat|dog|fish)$/) });
        expect(dynamic.lines.at(-1)).toMatch(/^GET \/pets\/p1 200 dynamic /);
      } else {
        expect(reply.body).toEqual(rex);
      }
    });
  });

  it('delay= holds the answer at least that long', async () => {
    const started = performance.now();
    const reply = await call(mock.url, 'GET', '/pets', { headers: { ...key, prefer: 'delay=300' } });
    expect(reply.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(295);
  });
});

describe('invalid requests get the spec’s own answers, never prism’s', () => {
  it.each([
    { when: 'no api key is the documented 401', method: 'GET', path: '/pets', headers: {}, status: 401, body: { code: 'UNAUTHORIZED', detail: 'missing api key' } },
    { when: 'a body breaking the schema is the documented 400', method: 'POST', path: '/pets', headers: key, send: { name: 3 }, status: 400, body: { code: 'BAD_REQUEST', detail: 'request is not valid' } },
    { when: 'malformed JSON is the documented 400', method: 'POST', path: '/pets', headers: { ...key, 'content-type': 'application/json' }, raw: '{"name": ', status: 400, body: { code: 'BAD_REQUEST', detail: 'request is not valid' } },
    { when: 'a bad query value is the documented 400', method: 'GET', path: '/pets?kind=bird', headers: key, status: 400, body: { code: 'BAD_REQUEST', detail: 'request is not valid' } },
    { when: 'a bad path value without a documented 400 is a 400 in the spec shape', method: 'GET', path: '/pets/xx', headers: key, status: 400, body: problem('BAD_REQUEST') },
    { when: 'a malformed percent-encoding in the path is a 400 in the spec shape', method: 'GET', path: '/pets/%zz', headers: key, status: 400, body: problem('BAD_REQUEST') },
    { when: 'an unknown path is 404 in the spec shape', method: 'GET', path: '/nothing/here', headers: key, status: 404, body: { code: 'NOT_FOUND', detail: 'No operation at /nothing/here' } },
    { when: 'a wrong method is 405 in the spec shape', method: 'PUT', path: '/pets', headers: key, status: 405, body: problem('METHOD_NOT_ALLOWED') },
  ])('$when', async ({ method, path, headers, send, raw, status, body }) => {
    const reply = await call(mock.url, method, path, { headers, body: send, raw });
    expect(reply.status).toBe(status);
    expect(reply.body).toEqual(body);
    expect(reply.headers.get('content-type')).toBe('application/json');
    expect(reply.text).not.toMatch(/prism|stoplight|problem|\bat .*\.js|node_modules/i);
  });

  it('405 says which methods are allowed', async () => {
    const reply = await call(mock.url, 'DELETE', '/pets', { headers: key });
    expect(reply.headers.get('allow')).toBe('GET, POST');
  });

  it('says what was wrong in a header and in the log, not in the documented body', async () => {
    const reply = await call(mock.url, 'POST', '/pets', { headers: key, body: { kind: 'cat' } });
    expect(reply.headers.get('x-mock-violations')).toMatch(/name/);
  });
});

describe('CORS', () => {
  it('answers a preflight with 204 and the methods of the path', async () => {
    const reply = await call(mock.url, 'OPTIONS', '/pets/p1', {
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'x-api-key, content-type' },
    });
    expect(reply.status).toBe(204);
    expect(reply.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(reply.headers.get('access-control-allow-methods')).toBe('GET, PATCH, DELETE');
    expect(reply.headers.get('access-control-allow-headers')).toBe('x-api-key, content-type');
  });

  it('puts the CORS headers on ordinary answers and errors', async () => {
    for (const path of ['/pets', '/nothing']) {
      const reply = await call(mock.url, 'GET', path, { headers: { ...key, origin: 'http://localhost:5173' } });
      expect(reply.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    }
  });
});

describe('catalog', () => {
  it('/__mock.json lists every operation with its examples', async () => {
    const reply = await call(mock.url, 'GET', '/__mock.json');
    const catalog = reply.body as { operations: { operationId: string; examples: { key: string; status: number }[] }[] };
    expect(catalog.operations.map((o) => o.operationId)).toEqual(['listPets', 'createPet', 'getPet', 'updatePet', 'deletePet', 'ping']);
    expect(catalog.operations[0]?.examples).toContainEqual(expect.objectContaining({ key: 'down', status: 503, 'x-replayable': false }));
  });

  it('/__mock is a page naming operations and example keys', async () => {
    const reply = await call(mock.url, 'GET', '/__mock');
    expect(reply.headers.get('content-type')).toMatch(/text\/html/);
    expect(reply.text).toContain('/pets/{petId}');
    expect(reply.text).toContain('example=only-cats');
  });
});

describe('options of createMockApp', () => {
  it('--delay holds every answer', async () => {
    const slow = await startMock({ delayMs: 250 });
    try {
      const started = performance.now();
      await call(slow.url, 'GET', '/ping');
      expect(performance.now() - started).toBeGreaterThanOrEqual(245);
    } finally {
      await slow.close();
    }
  });

  it('--fail-rate answers the documented 5xx with its example, the same requests for the same seed', async () => {
    const runs: number[][] = [];
    for (let i = 0; i < 2; i++) {
      const flaky = await startMock({ failRate: 0.5, seed: 7 });
      try {
        const statuses: number[] = [];
        for (let n = 0; n < 20; n++) {
          const reply = await call(flaky.url, 'GET', '/pets', { headers: key });
          statuses.push(reply.status);
          if (reply.status === 503) expect(reply.body).toEqual({ code: 'UNAVAILABLE', detail: 'try again later' });
        }
        runs.push(statuses);
      } finally {
        await flaky.close();
      }
    }
    expect(new Set(runs[0])).toEqual(new Set([200, 503]));
    expect(runs[1]).toEqual(runs[0]);
  });

  it('--fail-rate on an operation without a documented 5xx is a 500 in the spec shape', async () => {
    const flaky = await startMock({ failRate: 1 });
    try {
      const reply = await call(flaky.url, 'GET', '/pets/p1', { headers: key });
      expect(reply.status).toBe(500);
      expect(reply.body).toEqual(problem('INTERNAL_SERVER_ERROR'));
    } finally {
      await flaky.close();
    }
  });

  it('logs one line per request (method path status example ms), none when quiet', async () => {
    const loud = await startMock();
    const quiet = await startMock({ quiet: true });
    try {
      await call(loud.url, 'GET', '/pets/p404', { headers: key });
      await call(quiet.url, 'GET', '/pets/p404', { headers: key });
      expect(loud.lines).toEqual([expect.stringMatching(/^GET \/pets\/p404 404 missing [0-9.]+ms$/)]);
      expect(quiet.lines).toEqual([]);
    } finally {
      await loud.close();
      await quiet.close();
    }
  });

  it('gives the same answers with the answer cache off', async () => {
    const uncached = await startMock({ cache: false });
    try {
      for (const path of ['/pets', '/pets?kind=cat', '/pets/p404']) {
        const [a, b] = [await call(uncached.url, 'GET', path, { headers: key }), await call(mock.url, 'GET', path, { headers: key })];
        expect(a.body).toEqual(b.body);
      }
    } finally {
      await uncached.close();
    }
  });
});
