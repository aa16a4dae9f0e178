// The mock's router: literal segments win over templated ones (OpenAPI's rule), falling back to a
// templated path when the literal one lacks the method; parameters decoded; 405 names what the path allows.
// The same rows for the find-my-way tree (the mock, the proxy) and for regex alone (the MSW handlers).
import { describe, expect, it } from 'vitest';
import type { OperationModel } from '../model.ts';
import { createRouter } from '../router.ts';
import { buildRouter } from '../routing.ts';

// Templates first, as a spec may order them: precedence must not depend on the order.
const ops = [
  ['get', '/pets/{petId}'],
  ['delete', '/pets/{petId}'],
  ['get', '/pets'],
  ['post', '/pets'],
  ['get', '/pets/mine'],
  ['post', '/images/{id}/icon'],
  ['get', '/images/{id}/icon'],
  ['get', '/images/public/{id}'],
  ['get', '/files/{name}.{ext}'],
  ['get', '/refs/{ref}'],
  ['get', '/tags/{name}:{tag}'],
  ['post', '/jobs/{id}:cancel'],
  ['get', '/jobs/{id}'],
].map(([method, path]) => ({ id: `${method} ${path}`, method, path }) as OperationModel);

describe.each([
  { name: 'with the tree', router: createRouter(ops) },
  { name: 'by regex alone', router: buildRouter(ops) },
])('match $name', ({ router }) => {
  it.each([
    { row: 'a literal path beats a template that also matches', method: 'GET', url: '/pets/mine', op: 'get /pets/mine', params: {} },
    { row: 'a template takes what the literal paths do not', method: 'GET', url: '/pets/p1', op: 'get /pets/{petId}', params: { petId: 'p1' } },
    { row: 'a literal first segment wins over a literal later one', method: 'GET', url: '/images/public/icon', op: 'get /images/public/{id}', params: { id: 'icon' } },
    { row: 'the later literal segment still serves other first segments', method: 'GET', url: '/images/i1/icon', op: 'get /images/{id}/icon', params: { id: 'i1' } },
    { row: 'the literal path lacking the method gives way to the template that has it', method: 'POST', url: '/images/public/icon', op: 'post /images/{id}/icon', params: { id: 'public' } },
    { row: 'a segment mixing parameters and a dot', method: 'GET', url: '/files/report.pdf', op: 'get /files/{name}.{ext}', params: { name: 'report', ext: 'pdf' } },
    { row: 'a parameter is percent-decoded, an encoded slash included', method: 'GET', url: '/refs/alice%2Ftiny%3A1.0', op: 'get /refs/{ref}', params: { ref: 'alice/tiny:1.0' } },
    { row: 'two parameters split by a colon', method: 'GET', url: '/tags/tinyllama:1.0.0', op: 'get /tags/{name}:{tag}', params: { name: 'tinyllama', tag: '1.0.0' } },
    { row: 'a custom method after a colon', method: 'POST', url: '/jobs/j1:cancel', op: 'post /jobs/{id}:cancel', params: { id: 'j1' } },
    { row: 'the same segment without the custom method', method: 'GET', url: '/jobs/j1', op: 'get /jobs/{id}', params: { id: 'j1' } },
    { row: 'a trailing slash', method: 'GET', url: '/pets/', op: 'get /pets', params: {} },
  ])('$row: $method $url', ({ method, url, op, params }) => {
    const found = router.match(method.toLowerCase(), url);
    expect(found).toEqual({ kind: 'found', op: expect.objectContaining({ id: op }), params });
  });

  it.each([
    { row: 'a path no template takes is not found', method: 'GET', url: '/nothing/here', result: { kind: 'not-found' } },
    { row: 'a method the path lacks names what it allows', method: 'PUT', url: '/pets/p1', result: { kind: 'method-not-allowed', allow: ['GET', 'DELETE'], template: '/pets/{petId}' } },
    { row: 'allowed methods gathered from every template the path matches', method: 'PUT', url: '/images/public/icon', result: { kind: 'method-not-allowed', allow: ['GET', 'POST'], template: '/images/public/{id}' } },
    { row: 'a fallback template (a colon between parameters) names its methods too', method: 'DELETE', url: '/tags/a:b', result: { kind: 'method-not-allowed', allow: ['GET'], template: '/tags/{name}:{tag}' } },
  ])('$row: $method $url', ({ method, url, result }) => {
    const found = router.match(method.toLowerCase(), url);
    if (found.kind === 'method-not-allowed') found.allow.sort();
    if ('allow' in result) result.allow?.sort();
    expect(found).toEqual(result);
  });

  it('methodsFor lists the methods of a path, for CORS preflight', () => {
    expect(router.methodsFor('/pets').sort()).toEqual(['GET', 'POST']);
  });
});
