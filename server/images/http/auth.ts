// Bearer tokens name accounts. The validator calls authenticate() for every operation the contract
// secures; the account id (never a copy of the account, which would go stale) is kept for the handler.
import type { IncomingMessage } from 'node:http';
import type { Request, Response } from 'express';
import type { Account } from '../domain/model.ts';
import { HttpProblem } from './errors.ts';
import { ACCOUNT_ID, type OperationCall } from './fast/operation-handlers.ts';

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

export interface AccountSource {
  accountByToken(token: string): Account | undefined;
  account(id: string): Account | undefined;
}

/** The account id a request's bearer token names, or undefined for a missing, malformed or unknown token. */
export function bearerAccount(accounts: AccountSource) {
  return (req: IncomingMessage): string | undefined => {
    const token = BEARER.exec(req.headers.authorization ?? '')?.[1];
    return token === undefined ? undefined : accounts.accountByToken(token)?.id;
  };
}

/** The security handler for `bearerAuth` in the full chain: true with the account id left for the route, or a 401. */
export function bearerAuth(accountOf: (req: IncomingMessage) => string | undefined) {
  return (req: Request): true => {
    const id = accountOf(req);
    if (id === undefined) throw new HttpProblem(401, 'Authentication required');
    (req.res as Response).locals[ACCOUNT_ID] = id;
    return true;
  };
}

/** The caller's account as it is now. Only reachable behind bearerAuth: a missing one is a bug. */
export function callerOf({ accountId: id }: Pick<OperationCall, 'accountId'>, accounts: AccountSource): Account {
  const account = typeof id === 'string' ? accounts.account(id) : undefined;
  if (!account) throw new Error('handler of a secured operation reached without an authenticated account');
  return account;
}
