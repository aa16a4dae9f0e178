// prism's operations built without a full dereference (mock/prism-operations.ts): a recursive
// schema is validated at every depth through `__bundled__`, a readOnly required field behind a
// `$ref` is not asked of a request, and a typeless `nullable` does not switch validation off.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startMock, type Running } from './helpers.ts';

let mock: Running;
beforeAll(async () => {
  mock = await startMock({ specPath: 'mock/test/fixtures/recursive/openapi.yaml', quiet: true });
});
afterAll(() => mock.close());

const node = (name: unknown, children: unknown[] = []): Record<string, unknown> => ({ name, children });

describe('POST /trees (a tree of nodes holding nodes)', () => {
  it.each([
    { row: 'a valid tree, without its readOnly id, is created', body: { root: node('a', [node('b', [node('c')])]) }, status: 201 },
    { row: 'a node name that is not a string is refused at depth one', body: { root: node(1) }, status: 400 },
    { row: 'a node name that is not a string is refused at depth three', body: { root: node('a', [node('b', [node(7)])]) }, status: 400 },
    { row: 'a node without children is refused at depth two', body: { root: node('a', [{ name: 'b' }]) }, status: 400 },
    { row: 'the typeless nullable field takes any value', body: { root: node('a'), note: null }, status: 201 },
  ])('$row', async ({ body, status }) => {
    const reply = await call(mock.url, 'POST', '/trees', { body });
    expect(reply.status).toBe(status);
  });
});
