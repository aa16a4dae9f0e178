// The public catalog: how an image is shown, and which images a query finds in which order.
import type { operations } from '../../../generated/images/schema.d.ts';
import type { ImageDetails, ImageSummary, PublicImagePage } from './api-types.ts';
import { meanTenths, moneyFromCents, ratingFromTenths } from './decimal.ts';
import { notFound, type DomainError } from './errors.ts';
import type { CatalogImage, PublicSortKey, RatingTotals, SortOrder } from './model.ts';
import { pageBounds, paginationOf } from './pagination.ts';

export interface CatalogState {
  image(id: string): CatalogImage | undefined;
  ratingTotals(imageId: string): RatingTotals;
  catalogInOrder(sortBy: PublicSortKey, order: SortOrder): readonly CatalogImage[];
  /** The same order narrowed to one os and/or architecture (lower case), from an index when the store keeps one. */
  catalogNarrowedTo?(sortBy: PublicSortKey, order: SortOrder, os: string | undefined, architecture: string | undefined): readonly CatalogImage[];
  icon(imageId: string): Buffer | undefined;
}

type ListQuery = NonNullable<operations['listPublicImages']['parameters']['query']>;
/** The list query once the validator has applied the defaults. */
export type CatalogQuery = ListQuery & Required<Pick<ListQuery, 'page' | 'limit' | 'sort_by' | 'sort_order'>>;

export const iconUrlOf = (id: string, hasIcon: boolean) => (hasIcon ? `/api/v1/images/${id}/icon` : null);

// Each representation is written out as one literal (no spreads): one object per image, all of one
// shape, which is what the response validator and JSON.stringify then walk fastest.
const summaries = new WeakMap<CatalogImage, { sumTenths: number; count: number; summary: ImageSummary }>();

/**
 * The same frozen summary again while the image and its rating totals are unchanged: it is a pure
 * function of them, and a frozen flat object lets the answer's serialiser reuse its text (json-text.ts).
 */
export function imageSummaryOf(image: CatalogImage, totals: RatingTotals): ImageSummary {
  const known = summaries.get(image);
  if (known && known.sumTenths === totals.sumTenths && known.count === totals.count) return known.summary;
  const summary = Object.freeze(freshSummaryOf(image, totals));
  summaries.set(image, { sumTenths: totals.sumTenths, count: totals.count, summary });
  return summary;
}

const freshSummaryOf = (image: CatalogImage, totals: RatingTotals): ImageSummary => ({
  id: image.id,
  alias: image.alias,
  description: image.description,
  image_name: image.imageName,
  architecture: image.architecture,
  os: image.os,
  release: image.release,
  variant: image.variant,
  size: image.size,
  price: moneyFromCents(image.priceCents),
  average_rating: ratingFromTenths(meanTenths(totals.sumTenths, totals.count)),
  rating_count: totals.count,
  icon_url: image.iconUrl,
  prespawn: image.prespawn,
  added_date: image.addedDate,
});

export const imageDetailsOf = (image: CatalogImage, totals: RatingTotals): ImageDetails => ({
  id: image.id,
  alias: image.alias,
  description: image.description,
  image_name: image.imageName,
  architecture: image.architecture,
  os: image.os,
  release: image.release,
  variant: image.variant,
  size: image.size,
  price: moneyFromCents(image.priceCents),
  average_rating: ratingFromTenths(meanTenths(totals.sumTenths, totals.count)),
  rating_count: totals.count,
  icon_url: image.iconUrl,
  prespawn: image.prespawn,
  added_date: image.addedDate,
  serial: image.serial,
});

/** A predicate for the query's filters; comparisons use the values the client sees (price, rounded average). */
function filterOf(state: CatalogState, query: CatalogQuery, narrowed: boolean, priceRanged: boolean): ((image: CatalogImage) => boolean) | undefined {
  const tests: ((image: CatalogImage) => boolean)[] = [];
  const os = query.os?.toLowerCase();
  const architecture = query.architecture?.toLowerCase();
  if (os !== undefined && !narrowed) tests.push((i) => i.os.toLowerCase() === os);
  if (architecture !== undefined && !narrowed) tests.push((i) => i.architecture.toLowerCase() === architecture);
  const { min_price: minPrice, max_price: maxPrice, min_rating: minRating, max_rating: maxRating } = query;
  if (minPrice !== undefined && !priceRanged) tests.push((i) => moneyFromCents(i.priceCents) >= minPrice);
  if (maxPrice !== undefined && !priceRanged) tests.push((i) => moneyFromCents(i.priceCents) <= maxPrice);
  const rating = (i: CatalogImage) => {
    const totals = state.ratingTotals(i.id);
    return ratingFromTenths(meanTenths(totals.sumTenths, totals.count));
  };
  if (minRating !== undefined) tests.push((i) => rating(i) >= minRating);
  if (maxRating !== undefined) tests.push((i) => rating(i) <= maxRating);
  // Every word of the search must occur somewhere in the image's text.
  const words = query.search?.toLowerCase().split(/\s+/).filter(Boolean) ?? [];
  if (words.length > 0) tests.push((i) => words.every((w) => i.searchText.includes(w)));
  if (tests.length === 0) return undefined;
  return (image) => tests.every((test) => test(image));
}

/** The first index in [from, to) where `past` holds, for a `past` that once true stays true along the list. */
function firstWhere(list: readonly CatalogImage[], from: number, to: number, past: (image: CatalogImage) => boolean): number {
  let low = from;
  let high = to;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (past(list[middle] as CatalogImage)) high = middle;
    else low = middle + 1;
  }
  return low;
}

/**
 * In a list ordered by price, the images within the price bounds are one run: its [start, end),
 * found by bisection, so that a price-bounded page walks only that run instead of the whole list.
 */
function priceRun(list: readonly CatalogImage[], order: SortOrder, minPrice: number | undefined, maxPrice: number | undefined) {
  const price = (image: CatalogImage) => moneyFromCents(image.priceCents);
  const below = (image: CatalogImage) => minPrice !== undefined && price(image) < minPrice;
  const above = (image: CatalogImage) => maxPrice !== undefined && price(image) > maxPrice;
  // Ascending: the cheap images that miss min_price come first, those over max_price last; descending, the reverse.
  const [before, after] = order === 'asc' ? [below, above] : [above, below];
  const start = firstWhere(list, 0, list.length, (image) => !before(image));
  return { start, end: firstWhere(list, start, list.length, after) };
}

/** One page of the catalog: walks the precomputed order, keeps the page's matches and counts the rest. */
export function findPublicImages(state: CatalogState, query: CatalogQuery): PublicImagePage {
  // The exact-match filters come from an index, so a page walks only the images they leave.
  const narrowed = (query.os !== undefined || query.architecture !== undefined) && state.catalogNarrowedTo !== undefined;
  const ordered = narrowed
    ? (state.catalogNarrowedTo?.(query.sort_by, query.sort_order, query.os?.toLowerCase(), query.architecture?.toLowerCase()) ?? [])
    : state.catalogInOrder(query.sort_by, query.sort_order);
  const { start, end } = pageBounds(query);
  const priceRanged = query.sort_by === 'price' && (query.min_price !== undefined || query.max_price !== undefined);
  const run = priceRanged ? priceRun(ordered, query.sort_order, query.min_price, query.max_price) : { start: 0, end: ordered.length };
  const matches = filterOf(state, query, narrowed, priceRanged);
  let page: readonly CatalogImage[];
  let total: number;
  if (!matches) {
    page = ordered.slice(run.start + start, Math.min(run.start + end, run.end));
    total = run.end - run.start;
  } else {
    const kept: CatalogImage[] = [];
    total = 0;
    for (let at = run.start; at < run.end; at++) {
      const image = ordered[at] as CatalogImage;
      if (!matches(image)) continue;
      if (total >= start && total < end) kept.push(image);
      total += 1;
    }
    page = kept;
  }
  return {
    images: page.map((image) => imageSummaryOf(image, state.ratingTotals(image.id))),
    pagination: paginationOf(total, query),
  };
}

export function getPublicImage(state: CatalogState, id: string): ImageDetails | DomainError {
  const image = state.image(id);
  if (!image) return notFound('Public image not found');
  return imageDetailsOf(image, state.ratingTotals(id));
}

export function getImageIcon(state: CatalogState, id: string): Buffer | DomainError {
  return state.icon(id) ?? notFound('Image icon not found');
}
