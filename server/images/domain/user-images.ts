// The images in a user's account, with the user's own rating of each.
import type { operations } from '../../../generated/images/schema.d.ts';
import type { UserImage, UserImagePage } from './api-types.ts';
import { meanTenths, moneyFromCents, ratingFromTenths } from './decimal.ts';
import type { Acquisition, CatalogImage, RatingTotals } from './model.ts';
import { pageBounds, paginationOf } from './pagination.ts';

export interface UserImagesState {
  image(id: string): CatalogImage | undefined;
  ratingTotals(imageId: string): RatingTotals;
  acquisitions(accountId: string): readonly Acquisition[];
  userRating(accountId: string, imageId: string): number | undefined;
}

type ListQuery = NonNullable<operations['listUserImages']['parameters']['query']>;
/** The list query once the validator has applied the defaults. */
export type UserImagesQuery = ListQuery & Required<Pick<ListQuery, 'page' | 'limit' | 'sort_by' | 'sort_order'>>;

export function listUserImages(state: UserImagesState, accountId: string, query: UserImagesQuery): UserImagePage {
  const direction = query.sort_order === 'asc' ? 1 : -1;
  const owned = [...state.acquisitions(accountId)].sort(
    (a, b) => direction * (a.acquiredAt - b.acquiredAt) || (a.imageId < b.imageId ? -1 : a.imageId > b.imageId ? 1 : 0),
  );
  const { start, end } = pageBounds(query);
  const images: UserImage[] = [];
  for (const acquisition of owned.slice(start, end)) {
    const image = state.image(acquisition.imageId);
    if (!image) continue; // the store never holds an acquisition of an unknown image; a page is never wrong for it
    const tenths = state.userRating(accountId, image.id);
    images.push(userImageOf(acquisition, image, state.ratingTotals(image.id), tenths));
  }
  return { images, pagination: paginationOf(owned.length, query) };
}

const userImages = new WeakMap<Acquisition, { image: CatalogImage; sumTenths: number; count: number; tenths: number | undefined; view: UserImage }>();

/** Frozen and handed out again while its inputs are unchanged, as the catalog's summaries are (see catalog.ts). */
function userImageOf(acquisition: Acquisition, image: CatalogImage, totals: RatingTotals, tenths: number | undefined): UserImage {
  const known = userImages.get(acquisition);
  if (known && known.image === image && known.sumTenths === totals.sumTenths && known.count === totals.count && known.tenths === tenths) return known.view;
  // Written out as one literal, like the catalog's representations.
  const view = Object.freeze({
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
    user_rating: tenths === undefined ? null : ratingFromTenths(tenths),
    has_rated: tenths !== undefined,
    created_at: new Date(acquisition.acquiredAt).toISOString(),
  });
  userImages.set(acquisition, { image, sumTenths: totals.sumTenths, count: totals.count, tenths, view });
  return view;
}
