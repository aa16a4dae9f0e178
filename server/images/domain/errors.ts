/** An expected failure of a business rule: the HTTP layer maps `kind` to a status, `message` goes to the client. */
export type DomainErrorKind = 'bad_request' | 'forbidden' | 'not_found' | 'conflict';

export class DomainError {
  constructor(
    readonly kind: DomainErrorKind,
    readonly message: string,
  ) {}
}

export const isDomainError = (value: unknown): value is DomainError => value instanceof DomainError;

export const badRequest = (message: string) => new DomainError('bad_request', message);
export const forbidden = (message: string) => new DomainError('forbidden', message);
export const notFound = (message: string) => new DomainError('not_found', message);
export const conflict = (message: string) => new DomainError('conflict', message);
