// One way to start any contract of the reference server for a test: the test's own factory builds the
// contract's app (on a store and clock the test holds) and it listens alone on an ephemeral loopback
// port, with malformed HTTP answered in the contract's error shape, as the composed server does.
import { createServer, type Server } from 'node:http';
import type { Request as ExpressRequest, Response as ExpressResponse } from 'express';
import { answerClientErrors } from '../../server/shared/client-errors.ts';
import type { MountedContract, ReferenceContract } from '../../server/shared/contract.ts';
import { sendShapedError } from '../../server/shared/errors.ts';
import { listen } from './listen.ts';

/** A ReferenceContract as a test builds it: its name, its error shape, and its app on the test's own state. */
export interface ContractUnderTest extends Pick<ReferenceContract, 'name' | 'errorShape'> {
  mount(): MountedContract;
}

export interface StartedContract {
  server: Server;
  baseUrl: string;
  /** Plain fetch against the server, for requests a typed client cannot send. */
  raw(path: string, init?: RequestInit): Promise<Response>;
  /** The contract's demo data and clock as at start-up (MountedContract.reset). */
  reset(): void;
  close(): Promise<void>;
}

export async function startContract(contract: ContractUnderTest): Promise<StartedContract> {
  const { app, reset } = contract.mount();
  // What the app passes on (it answers everything it owns) is answered as the composed server would.
  const handler = createServer((req, res) =>
    app(req as ExpressRequest, res as ExpressResponse, (err?: unknown) => sendShapedError(res as ExpressResponse, contract.errorShape, err ? 500 : 404, err ? 'An unexpected error occurred' : `No operation at ${req.method} ${req.url}`)),
  );
  const { server, baseUrl, raw, close } = await listen({ listen: (port, host, callback) => handler.listen(port, host, callback) }, (s) => answerClientErrors(s, contract.errorShape));
  return { server, baseUrl, raw, reset, close };
}
