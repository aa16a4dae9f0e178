// An expected failure of a rule, returned (never thrown) by the domain. http/errors.ts maps `kind` to a
// status, the one place that does; `message` is the client's `detail`, as FastAPI's HTTPException has it.
export type DomainErrorKind = 'not_yours' | 'insufficient_balance' | 'not_found' | 'conflict' | 'rate_limited';

export class DomainError {
  constructor(
    readonly kind: DomainErrorKind,
    readonly message: string,
  ) {}
}

export const isDomainError = (value: unknown): value is DomainError => value instanceof DomainError;

export const NOT_FOUND = 'Image not found, or does not belong to you';
export const notFound = () => new DomainError('not_found', NOT_FOUND);
