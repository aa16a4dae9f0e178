// Success answers, typed from the contract per operation and status: a wrong shape fails tsc.
import type { Response } from 'express';
import type { operations } from '../../../generated/chutes/schema.d.ts';
import { isDomainError, type DomainError } from '../domain/errors.ts';

type Responses<Op extends keyof operations> = operations[Op]['responses'];
type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : never;
type SuccessStatus<Op extends keyof operations> = Extract<keyof Responses<Op>, 200 | 202>;

export function reply<Op extends keyof operations, S extends SuccessStatus<Op>>(res: Response, _operation: Op, status: S, body: JsonOf<Responses<Op>[S]>): void {
  res.status(status).json(body);
}

/** A domain result, or its DomainError thrown for errors.ts, the one place that maps it to a status. */
export function unwrap<T>(result: T | DomainError): T {
  if (isDomainError(result)) throw result;
  return result;
}
