// What every contract's error answers have in common. Shared code never speaks a contract's error shape:
// it takes the contract's ErrorShape (its error schema as a function) and writes what that returns.
import { STATUS_CODES } from 'node:http';
import type { Response } from 'express';

/** A contract's error body for a status and a client-safe message. */
export type ErrorShape = (status: number, message: string) => unknown;

export const reasonOf = (status: number): string => STATUS_CODES[status] ?? 'Error';

/** Writes `shape(status, message)` as raw JSON: error answers never pass through response validation. */
export function sendShapedError(res: Response, shape: ErrorShape, status: number, message: string, headers: Record<string, string> = {}): void {
  res.status(status);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.send(JSON.stringify(shape(status, message)));
}
