// One rating per user per image, stored in tenths (rounded half up); a new rating replaces the old.
import type { RatingResult } from './api-types.ts';
import { meanTenths, ratingFromTenths, tenthsFromNumber } from './decimal.ts';
import { notFound, type DomainError } from './errors.ts';
import type { CatalogImage, RatingTotals } from './model.ts';

export interface RatingState {
  image(id: string): CatalogImage | undefined;
  ratingTotals(imageId: string): RatingTotals;
  userRating(accountId: string, imageId: string): number | undefined;
}

export interface RatingDecision {
  tenths: number;
  result: RatingResult;
}

/** `rating` is already known to be a number in 0..5 (the request schema says so). */
export function rateImage(state: RatingState, accountId: string, imageId: string, rating: number): RatingDecision | DomainError {
  if (!state.image(imageId)) return notFound('Image not found');
  const tenths = tenthsFromNumber(rating);
  const previous = state.userRating(accountId, imageId);
  const totals = state.ratingTotals(imageId);
  const count = totals.count + (previous === undefined ? 1 : 0);
  const sumTenths = totals.sumTenths + tenths - (previous ?? 0);
  return {
    tenths,
    result: { new_rating: ratingFromTenths(tenths), average_rating: ratingFromTenths(meanTenths(sumTenths, count)), rating_count: count },
  };
}
