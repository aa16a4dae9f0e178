// Bearer tokens name accounts. The validator calls authenticate() for every operation the contract
// secures; the account id (never a copy of the account, which would go stale) is kept for the handler.
import type { Request, Response } from 'express';
import type { Account } from '../domain/model.ts';
import { HttpProblem } from './errors.ts';

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

export interface AccountSource {
  accountByToken(token: string): Account | undefined;
  account(id: string): Account | undefined;
}

/** The security handler for `bearerAuth`: true, or a 401 for a missing, malformed or unknown token. */
export function bearerAuth(accounts: AccountSource) {
  return (req: Request): true => {
    const token = BEARER.exec(req.headers.authorization ?? '')?.[1];
    const account = token === undefined ? undefined : accounts.accountByToken(token);
    if (!account) throw new HttpProblem(401, 'Authentication required');
    (req.res as Response).locals.accountId = account.id;
    return true;
  };
}

/** The caller's account as it is now. Only reachable behind bearerAuth: a missing one is a bug. */
export function callerOf(res: Response, accounts: AccountSource): Account {
  const id: unknown = res.locals.accountId;
  const account = typeof id === 'string' ? accounts.account(id) : undefined;
  if (!account) throw new Error('handler of a secured operation reached without an authenticated account');
  return account;
}
