// A page found through the indexes (os/architecture lists, the price run found by bisection) must be
// exactly the page a plain filter over the whole ordered catalog gives.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scaleFixture } from '../../../bench/catalog.ts';
import { MemoryStore } from '../store/memory-store.ts';
import { findPublicImages, type CatalogQuery } from './catalog.ts';
import { meanTenths, moneyFromCents, ratingFromTenths } from './decimal.ts';

const store = new MemoryStore(scaleFixture(400));

/** The oracle: every filter applied to every image of the full order, then the page cut out. */
function plainPage(query: CatalogQuery) {
  const words = query.search?.toLowerCase().split(/\s+/).filter(Boolean) ?? [];
  const all = store.catalogInOrder(query.sort_by, query.sort_order).filter((image) => {
    const price = moneyFromCents(image.priceCents);
    const totals = store.ratingTotals(image.id);
    const rating = ratingFromTenths(meanTenths(totals.sumTenths, totals.count));
    return (
      (query.os === undefined || image.os.toLowerCase() === query.os.toLowerCase()) &&
      (query.architecture === undefined || image.architecture.toLowerCase() === query.architecture.toLowerCase()) &&
      (query.min_price === undefined || price >= query.min_price) &&
      (query.max_price === undefined || price <= query.max_price) &&
      (query.min_rating === undefined || rating >= query.min_rating) &&
      (query.max_rating === undefined || rating <= query.max_rating) &&
      words.every((w) => image.searchText.includes(w))
    );
  });
  const start = (query.page - 1) * query.limit;
  return { ids: all.slice(start, start + query.limit).map((i) => i.id), total: all.length };
}

const prices = [...new Set(store.catalogInOrder('price', 'asc').map((i) => moneyFromCents(i.priceCents)))];
// Bounds on, between and beyond the catalog's own prices, where an off-by-one would show.
const priceBound = fc.option(fc.oneof(fc.constantFrom(...prices), fc.double({ min: 0, max: 60, noNaN: true }), fc.constant(0)), { nil: undefined });

const queries = fc.record({
  page: fc.integer({ min: 1, max: 8 }),
  limit: fc.integer({ min: 1, max: 100 }),
  sort_by: fc.constantFrom('price', 'price', 'alias', 'rating', 'added_date'),
  sort_order: fc.constantFrom('asc', 'desc'),
  min_price: priceBound,
  max_price: priceBound,
  min_rating: fc.option(fc.constantFrom(0, 1.5, 3, 4.2, 5), { nil: undefined }),
  os: fc.option(fc.constantFrom('ubuntu', 'Debian', 'alpine', 'none'), { nil: undefined }),
  architecture: fc.option(fc.constantFrom('amd64', 'ARM64'), { nil: undefined }),
  search: fc.option(fc.constantFrom('lts', 'minimal cloud', 'jammy'), { nil: undefined }),
}) as fc.Arbitrary<CatalogQuery>;

describe('findPublicImages', () => {
  it('gives the page and total a plain filter over the whole catalog gives', () => {
    fc.assert(
      fc.property(queries, (query) => {
        const page = findPublicImages(store, query);
        expect({ ids: page.images.map((i) => i.id), total: page.pagination.total }).toEqual(plainPage(query));
      }),
      { numRuns: 600, seed: 7 },
    );
  });

  it.each([
    ['a price-sorted page bounded on both sides', { sort_by: 'price', sort_order: 'asc', min_price: 2, max_price: 10 }],
    ['the same, descending', { sort_by: 'price', sort_order: 'desc', min_price: 2, max_price: 10 }],
    ['bounds that cross', { sort_by: 'price', sort_order: 'asc', min_price: 10, max_price: 2 }],
    ['a page past the run', { sort_by: 'price', sort_order: 'desc', max_price: 3, page: 50 }],
  ] as const)('%s', (_name, part) => {
    const query = { page: 1, limit: 20, ...part } as CatalogQuery;
    const page = findPublicImages(store, query);
    expect({ ids: page.images.map((i) => i.id), total: page.pagination.total }).toEqual(plainPage(query));
  });
});
