// Success answers typed from the contract per operation and status: a wrong shape fails tsc.
import type { Response } from 'express';
import type { operations } from '../../../generated/chutes/schema.d.ts';

type Responses<Op extends keyof operations> = operations[Op]['responses'];
type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : never;

export function reply<Op extends keyof operations, S extends keyof Responses<Op> & number>(res: Response, _operation: Op, status: S, body: JsonOf<Responses<Op>[S]>): void {
  res.status(status).json(body);
}
