// A user's page is rebuilt from the state as it is now: every input of an entry shows at once.
import { describe, expect, it } from 'vitest';
import type { Acquisition, CatalogImage, RatingTotals } from './model.ts';
import { listUserImages, type UserImagesState } from './user-images.ts';

const image: CatalogImage = {
  id: 'img1', alias: 'ubuntu/22.04', description: 'Ubuntu', imageName: 'ubuntu-22.04-amd64', architecture: 'amd64', os: 'ubuntu',
  release: '22.04', variant: 'default', serial: '20250110', size: 10, priceCents: 599, addedAt: 0, addedDate: '1970-01-01T00:00:00.000Z',
  hasIcon: false, iconUrl: null, prespawn: false, searchText: 'ubuntu',
};
const acquisition: Acquisition = { imageId: 'img1', acquiredAt: 1000, via: 'import' };

function stateWith(current: { image: CatalogImage; totals: RatingTotals; tenths: number | undefined }): UserImagesState {
  return {
    image: () => current.image,
    ratingTotals: () => current.totals,
    acquisitions: () => [acquisition],
    userRating: () => current.tenths,
  };
}

describe('listUserImages', () => {
  const query = { page: 1, limit: 20, sort_by: 'created_at', sort_order: 'desc' } as const;
  it.each([
    ['the user rating alone changes (another rating moved the totals back)', { tenths: 30 }, { user_rating: 3, has_rated: true }],
    ['the rating totals change', { totals: { sumTenths: 90, count: 2 } }, { average_rating: 4.5, rating_count: 2 }],
    ['the image record is replaced (a reload)', { image: { ...image, size: 11 } }, { size: 11 }],
  ] as const)('%s: the entry shows it', (_name, change, expected) => {
    const current = { image, totals: { sumTenths: 40, count: 1 }, tenths: undefined as number | undefined };
    const state = stateWith(current);
    expect(listUserImages(state, 'alice', query).images[0]).toMatchObject({ user_rating: null, rating_count: 1, size: 10 });
    Object.assign(current, change);
    expect(listUserImages(state, 'alice', query).images[0]).toMatchObject(expected);
  });
});
