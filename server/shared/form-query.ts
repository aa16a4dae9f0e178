// Query strings as the web writes them: in a query, `+` is a space (form encoding: URLSearchParams,
// browsers' forms, Java's URLEncoder, Go's and Python's query parsers all read it so). The validator
// reads the raw query and refuses an unencoded `+` as a reserved character, so the `+` of the query
// is rewritten to the `%20` it stands for before any contract sees the request; a `+` that is data is
// `%2B` and stays so.
import type { RequestHandler } from 'express';

/** The URL with each `+` of its query written as `%20`; the path is left alone (there `+` is a plus). */
export function plusAsSpace(url: string): string {
  const q = url.indexOf('?');
  return q < 0 || !url.includes('+', q) ? url : url.slice(0, q) + url.slice(q).replaceAll('+', '%20');
}

export const formEncodedQuery: RequestHandler = function formEncodedQuery(req, _res, next) {
  const url = plusAsSpace(req.url);
  if (url !== req.url) {
    req.url = url;
    req.originalUrl = plusAsSpace(req.originalUrl);
  }
  next();
};
