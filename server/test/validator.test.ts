// express-openapi-validator made on a contract's first request that needs it (server/shared/validator.ts):
// nothing is read or compiled at start-up, it is made once, and its errors reach the error handler.
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, type Listening } from '../../test/helpers/listen.ts';
import { afterMetadata, lazyValidation } from '../shared/validator.ts';

const spec = {
  openapi: '3.1.0',
  info: { title: 'toy', version: '1' },
  paths: {
    '/things/{id}': {
      get: {
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'integer' } },
          { name: 'broken', in: 'query', schema: { type: 'string' } },
          { name: 'fail', in: 'query', schema: { type: 'string', enum: ['throw', 'next'] } },
        ],
        responses: { '200': { description: 'a thing', content: { 'application/json': { schema: { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } } } } } },
      },
    },
  },
};

describe('lazyValidation', () => {
  let made = 0;
  const seen: string[] = [];
  // A step of the contract's own, placed after the validator has found the operation.
  const own: RequestHandler = (req, _res, next) => {
    seen.push(req.url);
    if (req.query.fail === 'throw') throw new Error('thrown by a step');
    if (req.query.fail === 'next') return next(new Error('passed on by a step'));
    next();
  };
  const validation = lazyValidation(spec, { validateRequests: true }, (middlewares) => {
    made += 1; // called once, with the validator's middlewares as soon as it is made
    const at = afterMetadata(middlewares);
    return [...middlewares.slice(0, at), own, ...middlewares.slice(at)];
  });
  let server: Listening;
  beforeAll(async () => {
    const app = express()
      .use(validation)
      .get('/things/:id', (req, res) => {
        res.json(req.query.broken ? { id: 'not a number' } : { id: Number(req.params.id) });
      })
      .use(((err, _req, res, _next) => res.status((err as { status?: number }).status ?? 500).json({ message: (err as Error).message })) as ErrorRequestHandler);
    server = await listen(app);
  });
  afterAll(() => server.close());

  it('reads nothing until the first request', () => {
    expect(made).toBe(0);
  });

  it.each([
    ['a valid request', '/things/7', 200, { id: 7 }],
    ['a path parameter that breaks its schema', '/things/seven', 400, { message: 'request/params/id must be integer' }],
    ['an answer that breaks its schema', '/things/7?broken=1', 500, { message: '/response/id must be integer' }],
    ['a step that throws', '/things/7?fail=throw', 500, { message: 'thrown by a step' }],
    ['a step that passes an error on', '/things/7?fail=next', 500, { message: 'passed on by a step' }],
  ])('%s: the validator and the placed steps run in order', async (_name, path, status, body) => {
    const response = await server.raw(path);
    expect([response.status, await response.json()]).toEqual([status, body]);
  });

  it('made the validator once, on the first request', () => {
    expect(made).toBe(1);
    expect(seen).toEqual(['/things/7', '/things/seven', '/things/7?broken=1', '/things/7?fail=throw', '/things/7?fail=next']);
  });
});
