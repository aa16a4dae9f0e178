// --stateful over the pets fixture: a bare list inside `{items, total}`, bare items, an api key.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, startMock, type Running } from './helpers.ts';

const key = { 'x-api-key': 'k' };
let mock: Running;
beforeEach(async () => {
  mock = await startMock({ stateful: true });
});
afterEach(async () => {
  await mock.close();
});

describe('stateful collections recognised from the paths', () => {
  it('finds /pets with /pets/{petId}, the id field and the list inside the envelope', async () => {
    expect(mock.app.state?.resources.map((r) => ({ collection: r.collection, item: r.item, idField: r.idField, listPath: r.listPath }))).toEqual([
      { collection: '/pets', item: '/pets/{petId}', idField: 'id', listPath: ['items'] },
    ]);
  });

  it('starts from the examples', async () => {
    const list = await call(mock.url, 'GET', '/pets', { headers: key });
    expect(list.body).toEqual({ items: [{ id: 'p1', name: 'Rex', kind: 'dog', age: 3 }, { id: 'p2', name: 'Tom', kind: 'cat' }], total: 2 });
  });

  it('create, read, list, update, delete, then 404 (the documented one)', async () => {
    const created = await call(mock.url, 'POST', '/pets', { headers: key, body: { name: 'Kit', kind: 'cat', age: 1 } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: 'p4', name: 'Kit', kind: 'cat', age: 1 });
    expect(mock.lines.at(-1)).toMatch(/^POST \/pets 201 state /);

    const read = await call(mock.url, 'GET', '/pets/p4', { headers: key });
    expect(read.body).toEqual({ id: 'p4', name: 'Kit', kind: 'cat', age: 1 });

    const list = await call(mock.url, 'GET', '/pets', { headers: key });
    expect(list.body).toMatchObject({ total: 3 });
    expect((list.body as { items: { id: string }[] }).items.map((p) => p.id)).toEqual(['p1', 'p2', 'p4']);

    const patched = await call(mock.url, 'PATCH', '/pets/p4', { headers: key, body: { name: 'Kitty' } });
    expect(patched.status).toBe(200);
    expect(patched.body).toEqual({ id: 'p4', name: 'Kitty', kind: 'cat', age: 1 });
    expect((await call(mock.url, 'GET', '/pets/p4', { headers: key })).body).toMatchObject({ name: 'Kitty' });

    const deleted = await call(mock.url, 'DELETE', '/pets/p4', { headers: key });
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');

    const gone = await call(mock.url, 'GET', '/pets/p4', { headers: key });
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ code: 'NOT_FOUND', detail: 'no pet p404' });
    expect((await call(mock.url, 'DELETE', '/pets/p4', { headers: key })).status).toBe(404);
    expect((await call(mock.url, 'PATCH', '/pets/p4', { headers: key, body: { name: 'x' } })).status).toBe(404);
    expect((await call(mock.url, 'GET', '/pets', { headers: key })).body).toMatchObject({ total: 2 });
  });

  it('still validates: an invalid create is the documented 400 and adds nothing', async () => {
    const bad = await call(mock.url, 'POST', '/pets', { headers: key, body: { name: '' } });
    expect(bad.status).toBe(400);
    expect((await call(mock.url, 'GET', '/pets', { headers: key })).body).toMatchObject({ total: 2 });
  });

  it('explicit Prefer answers bypass the state', async () => {
    await call(mock.url, 'DELETE', '/pets/p1', { headers: key });
    const forced = await call(mock.url, 'GET', '/pets/p1', { headers: { ...key, prefer: 'example=rex' } });
    expect(forced.status).toBe(200);
    expect((await call(mock.url, 'GET', '/pets/p1', { headers: key })).status).toBe(404);
  });

  it('/__mock/reset goes back to the examples', async () => {
    await call(mock.url, 'DELETE', '/pets/p1', { headers: key });
    expect((await call(mock.url, 'POST', '/__mock/reset')).status).toBe(204);
    expect((await call(mock.url, 'GET', '/pets/p1', { headers: key })).status).toBe(200);
  });

  it('is off by default: writes are forgotten', async () => {
    const stateless = await startMock();
    try {
      await call(stateless.url, 'DELETE', '/pets/p1', { headers: key });
      expect((await call(stateless.url, 'GET', '/pets/p1', { headers: key })).status).toBe(200);
    } finally {
      await stateless.close();
    }
  });
});
