// Tag "Public Images": the catalog as a client sees it, checked against an oracle computed from the
// fixture (not against the examples), so a server replaying the examples fails here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorBody, startServer, type TestServer } from './helpers.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

/** The fixture's images with the average and count a client should see. */
function oracle() {
  return server.fixture.images.map((image) => {
    const userRatings = server.fixture.users.flatMap((u) => (u.ratings[image.id] === undefined ? [] : [Math.round(u.ratings[image.id]! * 10)]));
    const sum = image.base_rating_sum_tenths + userRatings.reduce((a, b) => a + b, 0);
    const count = image.base_rating_count + userRatings.length;
    const average = count === 0 ? 0 : Math.floor((2 * sum + count) / (2 * count)) / 10;
    const text = [image.alias, image.image_name, image.description, ...image.tags].join(' ').toLowerCase();
    return { ...image, average, count, text };
  });
}

type Query = Record<string, string | number>;
async function listAll(query: Query) {
  const { data, error, response } = await server.anonymous.GET('/api/v1/images/public', { params: { query: { limit: 100, ...query } as never } });
  expect(error, JSON.stringify(error)).toBeUndefined();
  expect(response.status).toBe(200);
  return data!.data!;
}

describe('listPublicImages', () => {
  const filters: [string, Query, (i: ReturnType<typeof oracle>[number]) => boolean][] = [
    ['os picks one operating system', { os: 'ubuntu' }, (i) => i.os === 'ubuntu'],
    ['os ignores case', { os: 'DeBiAn' }, (i) => i.os === 'debian'],
    ['architecture picks one architecture', { architecture: 'arm64' }, (i) => i.architecture === 'arm64'],
    ['min_price=0 includes free images', { min_price: 0 }, () => true],
    ['max_price=0 keeps only free images', { max_price: 0 }, (i) => i.price === 0],
    ['min_price above 0 keeps only paid images', { min_price: 0.01 }, (i) => i.price > 0],
    ['a price range is inclusive at both ends', { min_price: 5.99, max_price: 9.99 }, (i) => i.price >= 5.99 && i.price <= 9.99],
    ['min_price above max_price matches nothing', { min_price: 10, max_price: 5 }, () => false],
    ['min_rating compares the rounded average', { min_rating: 4.5 }, (i) => i.average >= 4.5],
    ['max_rating compares the rounded average', { max_rating: 2.6 }, (i) => i.average <= 2.6],
    ['search matches the description', { search: 'jammy' }, (i) => i.text.includes('jammy')],
    ['search ignores case', { search: 'JAMMY' }, (i) => i.text.includes('jammy')],
    ['search matches tags', { search: 'lts' }, (i) => i.tags.includes('lts') || i.text.includes('lts')],
    ['every word of a search must match', { search: 'ubuntu arm64' }, (i) => i.text.includes('ubuntu') && i.text.includes('arm64')],
    ['a search nothing mentions matches nothing', { search: 'windows' }, () => false],
    ['filters combine (the documented request)', { os: 'ubuntu', architecture: 'amd64', min_price: 0, max_price: 10 }, (i) => i.os === 'ubuntu' && i.architecture === 'amd64' && i.price <= 10],
  ];

  it.each(filters)('%s', async (_name, query, keep) => {
    const expected = oracle().filter(keep).map((i) => i.id).sort();
    const page = await listAll(query);
    expect(page.images.map((i) => i.id).sort()).toEqual(expected);
    expect(page.pagination).toEqual({ total: expected.length, page: 1, limit: 100, totalPages: Math.ceil(expected.length / 100) });
  });

  it('the documented request finds six ubuntu amd64 images, Ubuntu 22.04 first', async () => {
    const page = await listAll({ os: 'ubuntu', architecture: 'amd64', min_price: 0, max_price: 10, sort_by: 'added_date', sort_order: 'desc' });
    expect(page.pagination.total).toBe(6);
    expect(page.images[0]).toMatchObject({ id: '507f1f77bcf86cd799439021', average_rating: 4.5, rating_count: 142 });
  });

  const keyOf = {
    alias: (i: { alias: string }) => i.alias,
    added_date: (i: { added_date: string }) => Date.parse(i.added_date),
    price: (i: { price: number }) => i.price,
    rating: (i: { average_rating: number }) => i.average_rating,
  } as const;
  const orders = (['alias', 'added_date', 'price', 'rating'] as const).flatMap((sortBy) => (['asc', 'desc'] as const).map((order) => [sortBy, order] as const));

  it.each(orders)('sort_by=%s sort_order=%s orders every image, ties by id ascending', async (sortBy, order) => {
    const page = await listAll({ sort_by: sortBy, sort_order: order });
    expect(page.images).toHaveLength(server.fixture.images.length);
    const key = keyOf[sortBy] as (i: unknown) => string | number;
    for (let n = 1; n < page.images.length; n++) {
      const [a, b] = [page.images[n - 1]!, page.images[n]!];
      const [ka, kb] = [key(a), key(b)];
      if (ka === kb) expect(a.id < b.id, `tie at ${n} broken by id`).toBe(true);
      else expect(order === 'asc' ? ka < kb : ka > kb, `order at ${n}: ${ka} then ${kb}`).toBe(true);
    }
  });

  it('the sorts with ties really have ties (so the tie rule is exercised)', async () => {
    const page = await listAll({ sort_by: 'price', sort_order: 'desc' });
    const prices = page.images.map((i) => i.price);
    expect(new Set(prices).size).toBeLessThan(prices.length);
  });

  it('defaults to 20 per page, newest first', async () => {
    const { data } = await server.anonymous.GET('/api/v1/images/public');
    const newest = [...oracle()].sort((a, b) => Date.parse(b.added_date) - Date.parse(a.added_date) || (a.id < b.id ? -1 : 1));
    expect(data!.data!.images.map((i) => i.id)).toEqual(newest.slice(0, 20).map((i) => i.id));
    expect(data!.data!.pagination).toEqual({ total: 87, page: 1, limit: 20, totalPages: 5 });
  });

  it('pages cover every image exactly once; a page past the last is empty', async () => {
    const seen: string[] = [];
    for (let page = 1; page <= 9; page++) {
      const { data } = await server.anonymous.GET('/api/v1/images/public', { params: { query: { page, limit: 10, sort_by: 'rating' } } });
      expect(data!.data!.pagination).toEqual({ total: 87, page, limit: 10, totalPages: 9 });
      seen.push(...data!.data!.images.map((i) => i.id));
    }
    expect(seen).toHaveLength(87);
    expect(new Set(seen).size).toBe(87);
    const { data } = await server.anonymous.GET('/api/v1/images/public', { params: { query: { page: 10, limit: 10 } } });
    expect(data!.data!).toEqual({ images: [], pagination: { total: 87, page: 10, limit: 10, totalPages: 9 } });
  });

  it('filtered pages split the filtered order exactly (15 debian images, 4 a page)', async () => {
    const all = (await listAll({ os: 'debian', sort_by: 'alias', sort_order: 'asc' })).images.map((i) => i.id);
    expect(all).toHaveLength(15);
    const pages: string[][] = [];
    for (let page = 1; page <= 5; page++) {
      const { data } = await server.anonymous.GET('/api/v1/images/public', { params: { query: { os: 'debian', sort_by: 'alias', sort_order: 'asc', limit: 4, page } } });
      expect(data!.data!.pagination).toEqual({ total: 15, page, limit: 4, totalPages: 4 });
      pages.push(data!.data!.images.map((i) => i.id));
    }
    expect(pages.map((p) => p.length)).toEqual([4, 4, 4, 3, 0]);
    expect(pages.flat()).toEqual(all);
  });

  it('an image summary carries the ImageFields plus added_date, and no serial or tags', async () => {
    const page = await listAll({ search: 'jammy', sort_by: 'price', sort_order: 'asc' });
    expect(page.images[0]).toEqual({
      id: '507f1f77bcf86cd799439021', alias: 'ubuntu/22.04', description: 'Ubuntu 22.04 LTS (Jammy Jellyfish)', image_name: 'ubuntu-22.04-amd64',
      architecture: 'amd64', os: 'ubuntu', release: '22.04', variant: 'default', size: 512000000, price: 0, added_date: '2025-01-10T08:00:00.000Z',
      average_rating: 4.5, rating_count: 142, icon_url: '/api/v1/images/507f1f77bcf86cd799439021/icon', prespawn: true,
    });
    expect(page.images[1]).toMatchObject({ id: '507f1f77bcf86cd799439022', price: 5.99, average_rating: 2.6, rating_count: 302 });
  });

  it.each([
    ['limit above 100', { limit: 500 }, /limit must be <= 100/],
    ['page 0', { page: 0 }, /page must be >= 1/],
    ['min_rating above 5', { min_rating: 7 }, /^Invalid request: min_rating must be <= 5$/],
    ['a negative price', { max_price: -1 }, /max_price must be >= 0/],
    ['an unknown sort field', { sort_by: 'size' }, /sort_by must be equal to one of the allowed values/],
    ['a word where a number belongs', { min_price: 'cheap' }, /min_price must be number/],
  ])('answers 400 for %s', async (_name, query, message) => {
    const { error, response } = await server.anonymous.GET('/api/v1/images/public', { params: { query: query as never } });
    expect(response.status).toBe(400);
    expect(error).toEqual(errorBody(400, message));
  });
});

describe('getPublicImage', () => {
  it.each(['507f1f77bcf86cd799439021', '507f1f77bcf86cd799439026', '65a22a8687e2d8ccb35e97cf'])('returns %s with its full metadata', async (id) => {
    const expected = oracle().find((i) => i.id === id)!;
    const { data } = await server.anonymous.GET('/api/v1/images/public/{id}', { params: { path: { id } } });
    expect(data!.data).toEqual({
      id, alias: expected.alias, description: expected.description, image_name: expected.image_name, architecture: expected.architecture,
      os: expected.os, release: expected.release, variant: expected.variant, serial: expected.serial, size: expected.size, price: expected.price,
      added_date: expected.added_date, average_rating: expected.average, rating_count: expected.count,
      icon_url: expected.has_icon ? `/api/v1/images/${id}/icon` : null, prespawn: expected.prespawn,
    });
  });

  it.each([
    ['an id no image has', '507f1f77bcf86cd799439099'],
    ['a malformed id', 'not-an-id'],
    ['an id with a NUL byte', 'abc\u0000'],
  ])('answers 404 for %s', async (_name, id) => {
    const { error, response } = await server.anonymous.GET('/api/v1/images/public/{id}', { params: { path: { id } } });
    expect(response.status).toBe(404);
    expect(error).toEqual(errorBody(404, 'Public image not found'));
  });

  it('ignores a token, even an unknown one (the catalog is public)', async () => {
    const response = await server.raw('/api/v1/images/public/507f1f77bcf86cd799439021', { headers: { Authorization: 'Bearer nobody' } });
    expect(response.status).toBe(200);
  });
});

describe('getImageIcon', () => {
  it.each(['507f1f77bcf86cd799439021', '507f1f77bcf86cd799439024'])('serves a real PNG for %s', async (id) => {
    const response = await server.raw(`/api/v1/images/${id}/icon`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(bytes.subarray(12, 16).toString('ascii')).toBe('IHDR');
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([64, 64]);
    expect(bytes.subarray(-8, -4).toString('ascii')).toBe('IEND');
  });

  it('draws different icons for different operating systems', async () => {
    const [ubuntu, debian] = await Promise.all(
      ['507f1f77bcf86cd799439021', '507f1f77bcf86cd799439024'].map(async (id) => Buffer.from(await (await server.raw(`/api/v1/images/${id}/icon`)).arrayBuffer())),
    );
    expect(ubuntu!.equals(debian!)).toBe(false);
  });

  it.each([
    ['an image without an icon', '507f1f77bcf86cd799439026'],
    ['an unknown image', '507f1f77bcf86cd799439099'],
  ])('answers 404 "Image icon not found" for %s', async (_name, id) => {
    const { error, response } = await server.anonymous.GET('/api/v1/images/{id}/icon', { params: { path: { id } } });
    expect(response.status).toBe(404);
    expect(error).toEqual(errorBody(404, 'Image icon not found'));
  });
});
