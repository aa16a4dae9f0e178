// An expected failure of a rule, answered as FastAPI's HTTPException would: {"detail": "..."} with a status.

export type ChutesStatus = 401 | 402 | 404 | 409 | 422 | 429;

export class ChutesError {
  constructor(
    readonly status: ChutesStatus,
    readonly detail: string,
  ) {}
}

export const isChutesError = (value: unknown): value is ChutesError => value instanceof ChutesError;

export const NOT_FOUND = 'Image not found, or does not belong to you';
export const notFound = () => new ChutesError(404, NOT_FOUND);
