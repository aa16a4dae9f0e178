// Expected failures of the service, as values the domain returns (never throws), named after StackRox's
// errox kinds, with its messages ("<what>: <kind>", e.g. "id must be specified: invalid arguments").
// The HTTP layer maps each kind to a gRPC code and an HTTP status in one place: http/errors.ts.

/**
 * invalid_arguments, not_found: errox's InvalidArgs and NotFound. internal: a plain Go error, which
 * the service answers as codes.Internal. deadline_exceeded: the request's own deadline ran out.
 */
export type DomainErrorKind = 'invalid_arguments' | 'not_found' | 'internal' | 'deadline_exceeded';

export class DomainError {
  constructor(
    readonly kind: DomainErrorKind,
    readonly message: string,
  ) {}
}

export const isDomainError = (value: unknown): value is DomainError => value instanceof DomainError;

export const invalidArgs = (what: string) => new DomainError('invalid_arguments', `${what}: invalid arguments`);
export const notFound = (what: string) => new DomainError('not_found', `${what}: not found`);
export const plainError = (message: string) => new DomainError('internal', message);
export const deadlineExceeded = () => new DomainError('deadline_exceeded', 'context deadline exceeded');
