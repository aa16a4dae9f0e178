// Routes registered by operationId: the router routes them, the fast path finds them by name, a handler
// is called with the request's parts and its answer sent, and a cached operation cannot read the clock.
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, type Listening } from '../../../../test/helpers/listen.ts';
import { expressPathOf, OperationRoutes } from './operation-handlers.ts';

interface Deps {
  clock: { now(): number };
  greeting: string;
}
const deps: Deps = { clock: { now: () => 42 }, greeting: 'hello' };

describe('OperationRoutes', () => {
  const routes = new OperationRoutes<'getThing' | 'createThing' | 'readClock' | 'getIcon', Deps>(deps);
  routes.addCached('getThing', 'get', '/things/:id', ({ greeting }) => ({ params, query }) => ({ status: 200, json: { greeting, id: params.id, query } }));
  routes.add('createThing', 'post', '/things', ({ clock }) => () => ({ status: 201, json: { at: clock.now() } }));
  routes.addCached('readClock', 'get', '/clock', (cachedDeps) => () => {
    // What tsc refuses (the deps of a cached operation have no clock), done around it:
    const clock = (cachedDeps as unknown as Deps).clock;
    return { status: 200, json: { at: clock.now() } };
  });
  routes.add('getIcon', 'get', '/things/:id/icon', () => ({ params }) => ({ status: 200, bytes: Buffer.from(params.id), type: 'image/png', headers: { 'Cache-Control': 'max-age=1' } }));
  let server: Listening;
  beforeAll(async () => {
    server = await listen(
      express()
        .use(routes.router)
        .use(((err, _req, res, _next) => res.status(500).json({ error: String((err as Error).message) })) as express.ErrorRequestHandler),
    );
  });
  afterAll(() => server.close());

  it.each([
    ['a cached operation, by its operationId', 'getThing', { operationId: 'getThing', method: 'GET', path: '/things/:id' }],
    ['an operation that reads the clock', 'createThing', { operationId: 'createThing', method: 'POST', path: '/things' }],
    ['a name never registered', 'deleteThing', undefined],
  ])('%s: found with its method and path', (_name, operationId, expected) => {
    const handler = routes.handlers.get(operationId);
    expect(handler === undefined ? undefined : { operationId: handler.operationId, method: handler.method, path: handler.path }).toEqual(expected);
  });

  it('only the operations added with addCached may be cached', () => {
    expect([...routes.cachedOperations].sort()).toEqual(['getThing', 'readClock']);
  });

  it.each([
    ['GET', '/things/7?colour=red', 200, { greeting: 'hello', id: '7', query: { colour: 'red' } }],
    ['POST', '/things', 201, { at: 42 }],
  ])('the router routes %s %s to its handler, which is called with the parts of the request', async (method, path, status, body) => {
    const response = await server.raw(path, { method });
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual(body);
  });

  it('a bytes answer is sent with its media type and headers', async () => {
    const response = await server.raw('/things/abc/icon');
    expect([response.status, response.headers.get('content-type'), response.headers.get('cache-control'), Buffer.from(await response.arrayBuffer()).toString()]).toEqual([200, 'image/png', 'max-age=1', 'abc']);
  });

  it('a cached operation that reads the clock anyway fails, naming itself', async () => {
    const response = await server.raw('/clock');
    expect(response.status).toBe(500);
    expect(((await response.json()) as { error: string }).error).toMatch(/^readClock is cached \(addCached\), so it must not read the clock/);
  });

  it('a cached operation that takes the clock when it is built fails at start-up', () => {
    const other = new OperationRoutes<'x', Deps>(deps);
    expect(() =>
      other.addCached('x', 'get', '/x', (cachedDeps) => {
        const { clock } = cachedDeps as unknown as Deps;
        return () => ({ status: 200, json: { at: clock.now() } });
      }),
    ).toThrow(/^x is cached \(addCached\), so it must not read the clock/);
  });

  it('an operationId registered twice is refused', () => {
    const other = new OperationRoutes<'x', Deps>(deps);
    other.add('x', 'get', '/x', () => () => ({ status: 204, json: undefined }));
    expect(() => other.add('x', 'get', '/y', () => () => ({ status: 204, json: undefined }))).toThrow('operation x is registered twice');
  });

  it.each([
    ['/api/v1/images/public/{id}', '/api/v1/images/public/:id'],
    ['/api/v1/containers/{id}/snapshots/{name}/alias', '/api/v1/containers/:id/snapshots/:name/alias'],
    ['/api/v1/images/user', '/api/v1/images/user'],
  ])('the contract path %s is the route %s', (spec, route) => {
    expect(expressPathOf(spec)).toBe(route);
  });
});
