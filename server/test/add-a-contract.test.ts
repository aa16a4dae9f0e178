// server/README.md "Adding a contract", followed for a toy fourth contract: its error shape, an app with
// request and response validation from its bundle, a ReferenceContract, and the composed server with it.
import { fileURLToPath } from 'node:url';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listen, type Listening } from '../../test/helpers/listen.ts';
import { CONTRACTS } from '../contracts.ts';
import type { ReferenceContract } from '../shared/contract.ts';
import { sendShapedError, type ErrorShape } from '../shared/errors.ts';
import { bundledSpec } from '../shared/spec.ts';
import { composeContracts } from '../shared/start.ts';

type ApiSpec = Parameters<typeof OpenApiValidator.middleware>[0]['apiSpec'];
const toySpec = bundledSpec(fileURLToPath(new URL('fixtures/toy/openapi.json', import.meta.url)));

// step 2: the error shape, and the one error handler
const errorShape: ErrorShape = (_status, message) => ({ problem: message });
const errorHandler: ErrorRequestHandler = (err: { status?: number; message?: string }, _req, res, _next) => {
  const status = typeof err.status === 'number' && err.status < 500 ? err.status : 500;
  sendShapedError(res, errorShape, status, status === 500 ? 'internal error' : (err.message ?? 'bad request'));
};

// steps 3 and the store: the app, validation from the bundle, a map as the store
function createToyApp(counters: Map<string, number>) {
  const app = express();
  app.use(express.json(), ...(OpenApiValidator.middleware({ apiSpec: structuredClone(toySpec) as unknown as ApiSpec, validateRequests: true, validateResponses: true, validateApiSpec: false }) as unknown as RequestHandler[]));
  app.get('/toy/counters/:name', function getCounter(req, res) {
    const value = counters.get(String(req.params.name));
    if (value === undefined) return sendShapedError(res, errorShape, 404, 'no such counter');
    res.json({ name: req.params.name, value });
  });
  app.post('/toy/counters/:name', function incrementCounter(req, res) {
    const name = String(req.params.name);
    const value = (counters.get(name) ?? 0) + (req.body as { by: number }).by;
    counters.set(name, value);
    res.json({ name, value });
  });
  app.use(errorHandler);
  return app;
}

// step 4: the contract
const toyContract: ReferenceContract = {
  name: 'toy',
  defaultPort: 3099,
  errorShape,
  prefixes: ['/toy/'],
  maxBodyBytes: 1024,
  describe: (url) => `Toy counters on ${url}/toy`,
  mount() {
    const counters = new Map([['apples', 3]]);
    return {
      app: createToyApp(counters),
      reset: () => {
        counters.clear();
        counters.set('apples', 3);
      },
    };
  },
};

// step 5: the composed server with it
let server: Listening;
beforeAll(async () => {
  server = await listen(composeContracts([...CONTRACTS, toyContract], { logger: pino({ level: 'silent' }), controlApi: true }));
});
afterAll(() => server.close());

it.each<[string, string, RequestInit, number, unknown]>([
  ['the toy contract answers its operation', '/toy/counters/apples', {}, 200, { name: 'apples', value: 3 }],
  ['and its own 404, in its shape', '/toy/counters/pears', {}, 404, { problem: 'no such counter' }],
  ['the validator refuses a name the spec does not allow, in the toy shape', '/toy/counters/APPLES', {}, 400, { problem: expect.stringContaining('pattern') }],
  ['a body the spec refuses', '/toy/counters/apples', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"by":11}' }, 400, { problem: expect.stringContaining('<= 10') }],
  ['the other contracts still answer', '/v1/imagescount', { headers: { Authorization: 'Bearer admin-demo-token' } }, 200, { count: 11 }],
])('%s', async (_what, path, init, status, body) => {
  const res = await server.raw(path, init);
  expect(res.status).toBe(status);
  expect(await res.json()).toEqual(body);
});

it('POST /__control/reset resets the toy contract with the others', async () => {
  const add = await server.raw('/toy/counters/apples', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"by":2}' });
  expect(await add.json()).toEqual({ name: 'apples', value: 5 });
  expect((await server.raw('/__control/reset', { method: 'POST', headers: { 'content-type': 'application/json' } })).status).toBe(204);
  expect(await (await server.raw('/toy/counters/apples')).json()).toEqual({ name: 'apples', value: 3 });
});
