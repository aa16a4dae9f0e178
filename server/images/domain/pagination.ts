import type { Pagination } from './api-types.ts';

export interface PageRequest {
  page: number;
  limit: number;
}

/** The pagination block for `total` items: a page past the last is valid and simply empty. */
export function paginationOf(total: number, { page, limit }: PageRequest): Pagination {
  return { total, page, limit, totalPages: Math.ceil(total / limit) };
}

/** The index range of a page within a list. */
export const pageBounds = ({ page, limit }: PageRequest) => ({ start: (page - 1) * limit, end: page * limit });
