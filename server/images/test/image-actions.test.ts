// Tag "Image Actions" and "User Images": import, purchase and rating rules, money, and what the
// account shows afterwards. Every case starts from a fresh server.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALICE, BOB, errorBody, startServer, stateOf, type TestServer } from './helpers.ts';

const FREE = '507f1f77bcf86cd799439021'; // ubuntu/22.04, 0.00, alice has it, bob does not
const PRO = '507f1f77bcf86cd799439022'; // 5.99, nobody has it
const HARDENED = '507f1f77bcf86cd799439024'; // 9.99, alice bought it
const ENTERPRISE = '507f1f77bcf86cd799439023'; // 24.99
const UNKNOWN = '507f1f77bcf86cd799439099';

let server: TestServer;
beforeEach(async () => {
  server = await startServer();
});
afterEach(() => server.close());

const as = (who: 'alice' | 'bob') => server[who];
const userImageIds = async (who: 'alice' | 'bob') => {
  const { data } = await as(who).GET('/api/v1/images/user', { params: { query: { limit: 100 } } });
  return data!.data!.images.map((i) => i.id);
};

describe('importImage', () => {
  it('adds a free image to the account, dated by the clock', async () => {
    server.clock.set('2025-01-15T15:00:00.000Z');
    const { data, response } = await server.bob.POST('/api/v1/images/import/{id}', { params: { path: { id: FREE } } });
    expect(response.status).toBe(200);
    expect(data).toEqual({ statusCode: 200, message: 'Free image imported successfully', data: {} });
    const { data: list } = await server.bob.GET('/api/v1/images/user');
    expect(list!.data!.images[0]).toMatchObject({ id: FREE, created_at: '2025-01-15T15:00:00.000Z', has_rated: false, user_rating: null });
    expect(list!.data!.pagination.total).toBe(4);
  });

  it.each([
    ['a paid image', 'bob', PRO, 400, 'Image is not free or already imported'],
    ['an image already imported', 'alice', FREE, 400, 'Image is not free or already imported'],
    ['an unknown image', 'bob', UNKNOWN, 404, 'Image not found'],
    ['a malformed id', 'bob', 'not-an-id', 404, 'Image not found'],
  ] as const)('refuses %s', async (_name, who, id, status, message) => {
    const before = stateOf(server.store, server.fixture);
    const { error, response } = await as(who).POST('/api/v1/images/import/{id}', { params: { path: { id } } });
    expect(response.status).toBe(status);
    expect(error).toEqual(errorBody(status, message));
    expect(stateOf(server.store, server.fixture)).toEqual(before);
  });

  it('an image imported once cannot be imported twice', async () => {
    expect((await server.bob.POST('/api/v1/images/import/{id}', { params: { path: { id: FREE } } })).response.status).toBe(200);
    expect((await server.bob.POST('/api/v1/images/import/{id}', { params: { path: { id: FREE } } })).response.status).toBe(400);
  });
});

describe('purchaseImage', () => {
  it('debits the exact price: 50.00 - 5.99 = 44.01', async () => {
    const { data } = await server.alice.POST('/api/v1/images/purchase/{id}', { params: { path: { id: PRO } } });
    expect(data).toEqual({ statusCode: 200, message: 'Image purchased successfully', data: { price_paid: 5.99, remaining_balance: 44.01 } });
    expect(server.store.account(ALICE.id)!.balanceCents).toBe(4401);
    expect(await userImageIds('alice')).toContain(PRO);
  });

  it('keeps money exact over a run of purchases where binary floats drift (10 - 0.1 - 0.2 != 9.7)', async () => {
    const prices = [0.1, 0.2, 0.7, 1.15, 3.3, 0.01];
    const fixture = structuredClone(server.fixture);
    const ids = prices.map((_, n) => `bbbbbbbbbbbbbbbbbbbbbb${String(n).padStart(2, '0')}`);
    fixture.images.push(...prices.map((price, n) => ({ ...fixture.images[1]!, id: ids[n]!, price })));
    fixture.users[0]!.balance = '10.00';
    await server.raw('/__control/images/fixture', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fixture) });
    const remaining: number[] = [];
    for (const id of ids) {
      const { data } = await server.alice.POST('/api/v1/images/purchase/{id}', { params: { path: { id } } });
      remaining.push(data!.data!.remaining_balance);
    }
    expect(remaining).toEqual([9.9, 9.7, 9, 7.85, 4.55, 4.54]);
    expect(server.store.account(ALICE.id)!.balanceCents).toBe(454);
  });

  it.each([
    ['a free image', 'alice', FREE, 400, 'Image is free: import it instead'],
    ['an image already owned', 'alice', HARDENED, 400, 'Insufficient balance or image already owned'],
    ['an image the balance does not cover (bob has 10.00, it costs 24.99)', 'bob', ENTERPRISE, 400, 'Insufficient balance or image already owned'],
    ['an unknown image', 'alice', UNKNOWN, 404, 'Image not found'],
  ] as const)('refuses %s and charges nothing', async (_name, who, id, status, message) => {
    const before = stateOf(server.store, server.fixture);
    const { error, response } = await as(who).POST('/api/v1/images/purchase/{id}', { params: { path: { id } } });
    expect(response.status).toBe(status);
    expect(error).toEqual(errorBody(status, message));
    expect(stateOf(server.store, server.fixture)).toEqual(before);
  });

  it('a balance that covers the price exactly may be spent to zero', async () => {
    const fixture = structuredClone(server.fixture);
    fixture.users[1]!.balance = '5.99';
    await server.raw('/__control/images/fixture', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fixture) });
    const { data } = await server.bob.POST('/api/v1/images/purchase/{id}', { params: { path: { id: PRO } } });
    expect(data!.data).toEqual({ price_paid: 5.99, remaining_balance: 0 });
  });

  it('100 concurrent purchases against a balance covering 10 make exactly 10, never below zero', async () => {
    // Bob gets 100 distinct 1.00 images and exactly 10.00.
    const fixture = structuredClone(server.fixture);
    const template = fixture.images[0]!;
    const ids = Array.from({ length: 100 }, (_, n) => `aaaaaaaaaaaaaaaaaaaa${String(n).padStart(4, '0')}`);
    fixture.images.push(...ids.map((id) => ({ ...template, id, price: 1 })));
    fixture.users[1]!.balance = '10.00';
    const loaded = await server.raw('/__control/images/fixture', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fixture) });
    expect(loaded.status).toBe(204);
    const results = await Promise.all(ids.map((id) => server.bob.POST('/api/v1/images/purchase/{id}', { params: { path: { id } } })));
    const ok = results.filter((r) => r.response.status === 200);
    expect(ok).toHaveLength(10);
    expect(results.filter((r) => r.response.status === 400)).toHaveLength(90);
    expect(ok.map((r) => r.data!.data!.remaining_balance).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(server.store.account(BOB.id)!.balanceCents).toBe(0);
    expect(server.store.acquisitions(BOB.id).filter((a) => a.via === 'purchase')).toHaveLength(10);
  });

  it('the same image bought concurrently 20 times is bought once', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => server.alice.POST('/api/v1/images/purchase/{id}', { params: { path: { id: PRO } } })));
    expect(results.filter((r) => r.response.status === 200)).toHaveLength(1);
    expect(server.store.account(ALICE.id)!.balanceCents).toBe(4401);
  });
});

describe('rateImage', () => {
  const rate = (who: 'alice' | 'bob', id: string, rating: number) => as(who).POST('/api/v1/images/rate/{id}', { params: { path: { id } }, body: { rating } });

  it.each([
    ['bob rates five, his first rating: the count grows (644/143 = 4.503 -> 4.5)', 'bob', 5, 5, 4.5, 143],
    ['alice replaces her 5 by a 3: the count stays (637/142 = 4.486 -> 4.5)', 'alice', 3, 3, 4.5, 142],
    ['alice replaces her 5 by a 0 (634/142 = 4.464 -> 4.5)', 'alice', 0, 0, 4.5, 142],
    ['a fraction is kept to one decimal, rounded half up (4.45 -> 4.5)', 'bob', 4.45, 4.5, 4.5, 143],
    ['4.44 rounds down to 4.4', 'bob', 4.44, 4.4, 4.5, 143],
    ['0.05 rounds up to 0.1', 'bob', 0.05, 0.1, 4.5, 143],
  ] as const)('%s', async (_name, who, rating, newRating, average, count) => {
    const { data } = await rate(who, FREE, rating);
    expect(data).toEqual({ statusCode: 200, message: 'Image rated successfully', data: { new_rating: newRating, average_rating: average, rating_count: count } });
  });

  it('moves the average where the numbers say: ten 0-ratings on a small image', async () => {
    // 65a1e9fc0e1d8c8925d514a6: bob rated it 4.5; alice rates it 0 and the average follows the exact mean.
    const id = '65a1e9fc0e1d8c8925d514a6';
    const image = server.fixture.images.find((i) => i.id === id)!;
    const { data } = await rate('alice', id, 0);
    const sum = image.base_rating_sum_tenths + 45;
    const count = image.base_rating_count + 2;
    expect(data!.data).toEqual({ new_rating: 0, average_rating: Math.floor((2 * sum + count) / (2 * count)) / 10, rating_count: count });
  });

  it('rating again replaces: two ratings by one user count once, and the list shows the last', async () => {
    await rate('bob', PRO, 1);
    const { data } = await rate('bob', PRO, 2);
    expect(data!.data!.rating_count).toBe(303);
    const { data: details } = await server.anonymous.GET('/api/v1/images/public/{id}', { params: { path: { id: PRO } } });
    expect(details!.data!.rating_count).toBe(303);
  });

  it('anyone may rate any image, owned or not', async () => {
    expect((await rate('bob', ENTERPRISE, 3)).response.status).toBe(200);
  });

  it.each([
    ['above 5', { rating: 7 }, /^Invalid rating value \(must be 0-5\): rating must be <= 5$/],
    ['below 0', { rating: -0.1 }, /^Invalid rating value \(must be 0-5\): rating must be >= 0$/],
    ['a string', { rating: 'five' }, /^Invalid rating value \(must be 0-5\): rating must be number$/],
    ['missing', {}, /^Invalid rating value \(must be 0-5\): .*rating/],
    ['with an extra field', { rating: 3, weight: 2 }, /^Invalid rating value \(must be 0-5\): .*additional properties/],
    ['null', { rating: null }, /^Invalid rating value \(must be 0-5\)/],
  ])('refuses a rating %s with 400 and changes nothing', async (_name, body, message) => {
    const before = stateOf(server.store, server.fixture);
    const { error, response } = await server.alice.POST('/api/v1/images/rate/{id}', { params: { path: { id: FREE } }, body: body as never });
    expect(response.status).toBe(400);
    expect(error).toEqual(errorBody(400, message));
    expect(stateOf(server.store, server.fixture)).toEqual(before);
  });

  it('answers 404 for an unknown image', async () => {
    const { error } = await rate('alice', UNKNOWN, 3);
    expect(error).toEqual(errorBody(404, 'Image not found'));
  });
});

describe('listUserImages', () => {
  it('lists alice\'s 12 images newest first, with her ratings and the acquisition date', async () => {
    const { data } = await server.alice.GET('/api/v1/images/user');
    const page = data!.data!;
    expect(page.pagination).toEqual({ total: 12, page: 1, limit: 20, totalPages: 1 });
    const expectedOrder = [...server.fixture.users[0]!.images].sort((a, b) => Date.parse(b.acquired_at) - Date.parse(a.acquired_at)).map((a) => a.image_id);
    expect(page.images.map((i) => i.id)).toEqual(expectedOrder);
    expect(page.images[0]).toEqual({
      id: FREE, alias: 'ubuntu/22.04', description: 'Ubuntu 22.04 LTS (Jammy Jellyfish)', image_name: 'ubuntu-22.04-amd64', architecture: 'amd64',
      os: 'ubuntu', release: '22.04', variant: 'default', size: 512000000, price: 0, user_rating: 5, has_rated: true, average_rating: 4.5,
      rating_count: 142, icon_url: `/api/v1/images/${FREE}/icon`, prespawn: true, created_at: '2025-01-14T09:00:00.000Z',
    });
    const ratings = Object.fromEntries(page.images.map((i) => [i.id, [i.user_rating, i.has_rated]]));
    expect(ratings['65a04bf5f0822224476f801d']).toEqual([3.5, true]);
    expect(ratings[HARDENED]).toEqual([null, false]);
  });

  it('sort_order=asc reverses, and pages split it', async () => {
    const { data } = await server.alice.GET('/api/v1/images/user', { params: { query: { sort_order: 'asc', limit: 5, page: 3 } } });
    expect(data!.data!.pagination).toEqual({ total: 12, page: 3, limit: 5, totalPages: 3 });
    expect(data!.data!.images.map((i) => i.id)).toEqual([HARDENED, FREE]);
  });

  it('shows a rating given after the fact', async () => {
    await server.alice.POST('/api/v1/images/rate/{id}', { params: { path: { id: HARDENED } }, body: { rating: 2.25 } });
    const { data } = await server.alice.GET('/api/v1/images/user');
    expect(data!.data!.images.find((i) => i.id === HARDENED)).toMatchObject({ user_rating: 2.3, has_rated: true });
  });

  it('bob sees only his own three images', async () => {
    expect((await userImageIds('bob')).sort()).toEqual(server.fixture.users[1]!.images.map((i) => i.image_id).sort());
  });

  it('answers 400 for a sort field it does not support', async () => {
    const { error, response } = await server.alice.GET('/api/v1/images/user', { params: { query: { sort_by: 'alias' as never } } });
    expect(response.status).toBe(400);
    expect(error).toEqual(errorBody(400, /^Invalid request: sort_by must be equal to one of the allowed values: created_at$/));
  });
});
