// Success answers, typed from the contract per operation and status: a wrong shape fails tsc.
import type { operations } from '../../../generated/images/schema.d.ts';
import { isDomainError, type DomainError } from '../domain/errors.ts';
import type { JsonAnswer } from './fast/operation-handlers.ts';

type Responses<Op extends keyof operations> = operations[Op]['responses'];
type DataOf<R> = R extends { content: { 'application/json': { data?: infer D } } } ? NonNullable<D> : never;
type SuccessStatus<Op extends keyof operations> = Extract<keyof Responses<Op>, 200 | 201>;

export function reply<Op extends keyof operations, S extends SuccessStatus<Op>>(_operation: Op, status: S, message: string, data: DataOf<Responses<Op>[S]>): JsonAnswer {
  return { status, json: { statusCode: status, message, data } };
}

/** A domain result, or the DomainError thrown for the error handler to answer. */
export function unwrap<T>(result: T | DomainError): T {
  if (isDomainError(result)) throw result;
  return result;
}
