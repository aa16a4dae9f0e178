// Import (free images, once) and purchase (paid images, once, paid from the balance). Each function
// decides; the caller writes the returned acquisition to the store in the same synchronous step.
import type { ImportResult, PurchaseResult } from './api-types.ts';
import { moneyFromCents } from './decimal.ts';
import { badRequest, notFound, type DomainError } from './errors.ts';
import type { Account, Acquisition, CatalogImage } from './model.ts';

export interface AcquisitionState {
  image(id: string): CatalogImage | undefined;
  acquisition(accountId: string, imageId: string): Acquisition | undefined;
}

export interface AcquisitionDecision<Result> {
  acquisition: Acquisition;
  priceCents: number;
  result: Result;
}

export function importImage(state: AcquisitionState, account: Account, imageId: string, now: number): AcquisitionDecision<ImportResult> | DomainError {
  const image = state.image(imageId);
  if (!image) return notFound('Image not found');
  if (image.priceCents !== 0 || state.acquisition(account.id, imageId)) return badRequest('Image is not free or already imported');
  return { acquisition: { imageId, acquiredAt: now, via: 'import' }, priceCents: 0, result: {} };
}

export function purchaseImage(state: AcquisitionState, account: Account, imageId: string, now: number): AcquisitionDecision<PurchaseResult> | DomainError {
  const image = state.image(imageId);
  if (!image) return notFound('Image not found');
  if (image.priceCents === 0) return badRequest('Image is free: import it instead');
  if (state.acquisition(account.id, imageId) || account.balanceCents < image.priceCents) {
    return badRequest('Insufficient balance or image already owned');
  }
  return {
    acquisition: { imageId, acquiredAt: now, via: 'purchase' },
    priceCents: image.priceCents,
    result: { price_paid: moneyFromCents(image.priceCents), remaining_balance: moneyFromCents(account.balanceCents - image.priceCents) },
  };
}
