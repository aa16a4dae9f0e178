// The handlers the fast path may call directly: one per route, named after the operationId.
import { Router } from 'express';
import { describe, expect, it } from 'vitest';
import { expressPathOf, operationHandlers } from './operation-handlers.ts';

describe('operationHandlers', () => {
  const first = Router();
  first.get('/things/:id', function getThing(_req, res) {
    res.end();
  });
  first.post('/things', (_req, _res, next) => next(), function createThing(_req, res) {
    res.end();
  });
  const second = Router();
  second.get('/things/:id/again', function getThing(_req, res) {
    res.end();
  });
  second.delete('/others/:id', function deleteOther(_req, res) {
    res.end();
  });
  const found = operationHandlers([first, second]);

  it.each([
    ['a single named handler is found with its method and path', 'getThing', { method: 'GET', path: '/things/:id' }],
    ['a route behind other middleware is not taken', 'createThing', undefined],
    ['routes of later routers are found', 'deleteOther', { method: 'DELETE', path: '/others/:id' }],
  ])('%s', (_name, operationId, expected) => {
    const handler = found.get(operationId);
    expect(handler === undefined ? undefined : { method: handler.method, path: handler.path }).toEqual(expected);
  });

  it.each([
    ['/api/v1/images/public/{id}', '/api/v1/images/public/:id'],
    ['/api/v1/containers/{id}/snapshots/{name}/alias', '/api/v1/containers/:id/snapshots/:name/alias'],
    ['/api/v1/images/user', '/api/v1/images/user'],
  ])('the contract path %s is the route %s', (spec, route) => {
    expect(expressPathOf(spec)).toBe(route);
  });
});
