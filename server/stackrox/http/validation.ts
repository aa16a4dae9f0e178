// Request and response validation from the bundled contract, with authentication and authorization
// placed right after the validator has found the operation (its own security check is off: the
// validator's reports only the first scheme's failure, and the service answers 403 after 401 itself).
import express, { type RequestHandler } from 'express';
import { duplicateKey } from '../../shared/json-text-checks.ts';
import { strictQueryNumbers } from '../../shared/strict-query.ts';
import type { Credentials } from '../store/fixture.ts';
import { authorize } from './auth.ts';
import { afterMetadata, lazyValidation } from '../../shared/validator.ts';


export function validation(spec: Record<string, unknown>, credentials: Credentials): RequestHandler {
  const auth = authorize(credentials, Array.isArray(spec.security) ? spec.security : []);
  return lazyValidation(
    spec,
    { validateRequests: true, validateSecurity: false },
    (middlewares) => {
      const at = afterMetadata(middlewares);
      return [bodyIsJson, ...middlewares.slice(0, at), auth, strictQueryNumbers(spec), express.json({ limit: '1mb', verify: refuseDuplicateKeys }), ...middlewares.slice(at)];
    },
  );
}

/**
 * grpc-gateway reads a request body as JSON whatever its Content-Type says (`curl -d` sends
 * application/x-www-form-urlencoded), so the body is declared JSON before the validator and the parser
 * see it: not JSON is then a 400 InvalidArgument, never a 415 (spec/stackrox/README.md decision 16).
 */
const bodyIsJson: RequestHandler = (req, _res, next) => {
  const length = req.headers['content-length'];
  if (req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')) req.headers['content-type'] = 'application/json';
  next();
};

/** JSON.parse keeps the last of two equal keys ({"name":"a","name":"b"}): refused as the validator refuses a bad field. */
function refuseDuplicateKeys(_req: unknown, _res: unknown, buffer: Buffer): void {
  const twice = duplicateKey(buffer.toString('utf8'));
  if (twice !== undefined) throw Object.assign(new Error('duplicate key'), { status: 400, errors: [{ path: `/body/${twice.slice(0, 100)}`, message: 'appears twice in one object' }] });
}
