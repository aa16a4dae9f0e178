// Success answers, typed from the contract per operation and status: a wrong shape fails tsc.
import type { Response } from 'express';
import type { operations } from '../../../generated/stackrox/schema.d.ts';
import { isDomainError, type DomainError } from '../domain/errors.ts';

type Responses<Op extends keyof operations> = operations[Op]['responses'];
type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : never;
type SuccessStatus<Op extends keyof operations> = Extract<keyof Responses<Op>, 200 | 201 | 204>;

/** Sends one JSON answer (the NDJSON export writes its own lines: its 200 has no JSON body type). */
export function reply<Op extends keyof operations, S extends SuccessStatus<Op>>(res: Response, _operation: Op, status: S, body: JsonOf<Responses<Op>[S]>): void {
  res.status(status).json(body);
}

/** A domain result, or the DomainError thrown for the error handler to answer. */
export function unwrap<T>(result: T | DomainError): T {
  if (isDomainError(result)) throw result;
  return result;
}
