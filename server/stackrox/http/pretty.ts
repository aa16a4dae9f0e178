// `?pretty`, present with any value or none: JSON answers (errors too) indented by two spaces, as the
// service's gateway does. The NDJSON export is not JSON text of one value and stays one line per result.
import type { Request, RequestHandler, Response } from 'express';

/** Whether the URL names `pretty` (read from the raw URL: presence is what counts, not the value). */
export function wantsPretty(req: Request): boolean {
  const at = req.originalUrl.indexOf('?');
  return at >= 0 && new URLSearchParams(req.originalUrl.slice(at + 1)).has('pretty');
}

/** The JSON text of an answer, indented when the request asked for it. */
export const jsonTextFor = (req: Request, value: unknown): string => JSON.stringify(value, null, wantsPretty(req) ? 2 : undefined);

/** Registered before the validator, so that the validator checks the body this res.json is handed. */
export const prettyJson: RequestHandler = (req, res, next) => {
  if (wantsPretty(req)) {
    res.json = function prettyJsonAnswer(this: Response, body: unknown) {
      if (!this.get('Content-Type')) this.set('Content-Type', 'application/json');
      return this.send(JSON.stringify(body, null, 2));
    };
  }
  next();
};
