// Races the reference server must win: requests fired together, all in flight at once.
import { afterEach, describe, expect, it } from 'vitest';
import { loadDemoFixture, type Fixture } from '../../server/images/store/fixture.ts';
import { ALICE_CONTAINER, startServer, type TestServer } from '../../server/images/test/helpers.ts';
import { generatedImage } from '../../bench/catalog.ts';
import { ALICE } from './helpers.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const JSON_TYPE = { 'content-type': 'application/json' };

/** The demo fixture plus `count` paid images at 1.99 and `raters` extra users. */
function raceFixture(count: number, raters = 0): Fixture {
  const fixture = loadDemoFixture();
  const paid = Array.from({ length: count }, (_, i) => ({ ...generatedImage(i), price: 1.99 }));
  const users = Array.from({ length: raters }, (_, i) => ({
    id: (0xabc000 + i).toString(16).padStart(24, '0'),
    name: `rater-${i}`,
    token: `rater-${i}-token`,
    balance: '0.00',
    images: [],
    ratings: {},
  }));
  const alice = fixture.users[0];
  if (alice) alice.balance = '19.90'; // exactly ten of the 1.99 images
  return { ...fixture, images: [...fixture.images, ...paid], users: [...fixture.users, ...users] };
}

describe('concurrency', () => {
  it('100 concurrent purchases against a balance that covers 10: exactly 10 succeed', async () => {
    const fixture = raceFixture(100);
    server = await startServer({ fixture });
    const ids = fixture.images.slice(-100).map((i) => i.id);
    const answers = await Promise.all(ids.map((id) => server!.raw(`/api/v1/images/purchase/${id}`, { method: 'POST', headers: { authorization: ALICE } })));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 400)).toHaveLength(90);
    const owned = await server.raw('/api/v1/images/user?limit=100', { headers: { authorization: ALICE } });
    const mine = ((await owned.json()) as { data: { images: { id: string }[] } }).data.images.filter((i) => ids.includes(i.id));
    expect(mine).toHaveLength(10);
    expect(server.store.account(fixture.users[0]!.id)?.balanceCents).toBe(0);
  });

  it('50 concurrent snapshots of one container: all created, names unique, none lost', async () => {
    server = await startServer();
    const before = ((await (await server.raw(`/api/v1/containers/${ALICE_CONTAINER}/snapshots`, { headers: { authorization: ALICE } })).json()) as { data: { snapshots: { name: string }[] } }).data.snapshots;
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        server!.raw(`/api/v1/containers/${ALICE_CONTAINER}/snapshots`, { method: 'POST', headers: { authorization: ALICE, ...JSON_TYPE }, body: JSON.stringify({ alias: `race-${i}` }) }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(201));
    const names = await Promise.all(answers.map(async (a) => ((await a.json()) as { data: { snapshot: { name: string } } }).data.snapshot.name));
    expect(new Set(names).size).toBe(50);
    const after = ((await (await server.raw(`/api/v1/containers/${ALICE_CONTAINER}/snapshots`, { headers: { authorization: ALICE } })).json()) as { data: { snapshots: { name: string }[] } }).data.snapshots;
    expect(after).toHaveLength(before.length + 50);
    expect(after.map((s) => s.name)).toEqual(expect.arrayContaining(names));
  });

  it('60 raters rating one image twice each, all at once: the count grows by the distinct raters', async () => {
    const fixture = raceFixture(0, 60);
    server = await startServer({ fixture });
    const image = '507f1f77bcf86cd799439021';
    const countOf = async () => ((await (await server!.raw(`/api/v1/images/public/${image}`)).json()) as { data: { rating_count: number } }).data.rating_count;
    const before = await countOf();
    const raters = fixture.users.slice(-60);
    const answers = await Promise.all(
      [...raters, ...raters].map((user, i) =>
        server!.raw(`/api/v1/images/rate/${image}`, { method: 'POST', headers: { authorization: `Bearer ${user.token}`, ...JSON_TYPE }, body: JSON.stringify({ rating: (i % 5) + 1 }) }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(120).fill(200));
    expect(await countOf()).toBe(before + 60);
  });
});
