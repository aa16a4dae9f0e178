// Reads a multipart/form-data body with busboy, within limits, hashing the raw bytes on the way
// (a hotkey signature covers the body's sha256). It never answers 422 itself: fields and files go to
// res.locals.form for the operation's form check, which runs after authentication, as in FastAPI.
import { createHash } from 'node:crypto';
import busboy from 'busboy';
import type { Request, RequestHandler } from 'express';
import type { FormFile, ParsedForm } from '../domain/form.ts';
import { HttpProblem } from './errors.ts';

export interface MultipartLimits {
  /** Largest file part; more makes the form check answer 422. */
  buildContextBytes: number;
  /** Largest text field; more answers 400, as Starlette does. */
  fieldBytes: number;
}

export const DEFAULT_LIMITS: MultipartLimits = { buildContextBytes: 10 * 1024 * 1024, fieldBytes: 1024 * 1024 };

/** A body the multipart parser could not read, as Starlette words it. */
const MALFORMED = new HttpProblem(400, 'There was an error parsing the body');

const takesMultipart = (req: Request) =>
  Boolean((req as Request & { openapi?: { schema?: { requestBody?: { content?: Record<string, unknown> } } } }).openapi?.schema?.requestBody?.content?.['multipart/form-data']);

export function readMultipart(limits: MultipartLimits): RequestHandler {
  return (req, res, next) => {
    if (!takesMultipart(req)) return next();
    const hash = createHash('sha256');
    const form: ParsedForm = { fields: new Map(), files: [] };
    let settled = false;
    const finish = (error?: HttpProblem) => {
      if (settled) return;
      settled = true;
      res.locals.bodySha256 = hash.digest('hex');
      res.locals.form = form;
      if (error) req.unpipe();
      if (error) req.resume(); // drain what is left, so the answer is not cut off by a reset
      next(error);
    };
    req.on('data', (chunk: Buffer) => {
      if (!settled) hash.update(chunk);
    });
    if (!/^multipart\/form-data\b/i.test(req.headers['content-type'] ?? '')) {
      // FastAPI reads any other body as an empty form: every field is then missing
      req.on('end', () => finish());
      req.on('error', () => finish(MALFORMED));
      req.resume();
      return;
    }
    let parser: busboy.Busboy;
    try {
      // one byte over the limit: busboy calls a file that reaches its limit truncated, even exactly at it
      parser = busboy({ headers: req.headers, limits: { fileSize: limits.buildContextBytes + 1, fieldSize: limits.fieldBytes, files: 10, fields: 50, parts: 60 } });
    } catch {
      return finish(MALFORMED);
    }
    let pendingFiles = 0;
    let parserClosed = false;
    const maybeDone = () => {
      if (parserClosed && pendingFiles === 0) finish();
    };
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) return finish(new HttpProblem(400, `Part exceeded maximum size of ${Math.floor(limits.fieldBytes / 1024)}KB.`));
      form.fields.set(name, value);
    });
    parser.on('file', (name, stream, info) => {
      pendingFiles++;
      const file: FormFile = { field: name, filename: info.filename ?? '', bytes: Buffer.alloc(0), truncated: false };
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => {
        file.truncated = true;
      });
      stream.on('end', () => {
        file.bytes = Buffer.concat(chunks);
        form.files.push(file);
        pendingFiles--;
        maybeDone();
      });
    });
    parser.on('close', () => {
      parserClosed = true;
      maybeDone();
    });
    parser.on('error', () => finish(MALFORMED));
    req.pipe(parser);
  };
}
