// What the MSW handlers answer: the mock's own selection (selection.ts) over the mock's own model
// (model.ts), with the example served as written instead of through prism. No node: imports and no
// prism here: this file runs in a service worker's page as well as in Node.
import { sample } from '@stoplight/json-schema-sampler';
import type { JSONSchema7 } from 'json-schema';
import { buildError } from '../errors.ts';
import type { OperationModel, ResponseExample, SpecModel } from '../model.ts';
import { acceptedTypes, acceptsAnything, isXml, toXml } from '../negotiation.ts';
import { callerOf, selectExample, unauthorizedExample, UNKNOWN_CALLER, type Credential, type Prefer, type RequestFacts } from '../selection.ts';

export interface MswAnswer {
  status: number;
  /** Absent for an answer without a body. */
  contentType?: string;
  /** The value to write: JSON, or text (XML, event streams, plain text). */
  body: unknown;
  /** Which example answered (its key), `schema` for a sample of the schema, `error` for a built error. */
  label: string;
}

export interface AnswerOptions {
  credentials: readonly Credential[];
  /** As the mock's --strict-auth: credentials no entry of `credentials` names are refused with the documented 401. */
  strictAuth: boolean;
}

/**
 * The answer to a request for `op`, chosen as the mock chooses it: Prefer (code, example), else the
 * named case the request matches, else the default. `dynamic` is not offered here (it needs prism's
 * faker): a `Prefer: dynamic=true` is read as no preference.
 */
export function answerRequest(model: SpecModel, spec: object, op: OperationModel, facts: Omit<RequestFacts, 'caller'>, prefer: Prefer, options: AnswerOptions): MswAnswer {
  const accept = headerText(facts.headers.accept);
  let caller = callerOf(op, facts.headers, [...options.credentials], options.strictAuth ? undefined : (model.roles[0] ?? 'owner'));
  if (caller === UNKNOWN_CALLER && !op.secured) caller = 'none';
  const asked = { ...prefer, dynamic: false };
  if (caller === UNKNOWN_CALLER && asked.example === undefined && asked.code === undefined) {
    const key = unauthorizedExample(op);
    const ex = key === undefined ? undefined : op.examplesByKey.get(key);
    return ex ? exampleAnswer(model, op, ex) : errorAnswer(model, 401, 'The credentials are not known to this mock (strictAuth)');
  }
  const selection = selectExample(op, { ...facts, caller }, asked);
  if (selection.kind === 'unknown-example') {
    const known = [...op.examplesByKey.keys()].join(', ') || 'none';
    return errorAnswer(model, 404, `${op.id} has no example named '${selection.example}' (known: ${known})`);
  }
  if (selection.kind === 'undocumented-code') {
    const status = selection.code >= 400 ? selection.code : 404;
    return errorAnswer(model, status, `${op.id} documents no ${selection.code} answer (documented: ${op.statuses.join(', ')})`);
  }
  // prism's security check: a secured operation asked without credentials answers its 401, unless
  // Prefer asked for something or a named case (the spec's own no-credentials example) matched.
  if (op.secured && caller === 'none' && selection.source === 'default') {
    const ex = op.firstExampleByStatus.get(401);
    return ex ? exampleAnswer(model, op, ex) : errorAnswer(model, 401, 'Authentication required');
  }
  const named = selection.exampleKey === undefined ? undefined : op.examplesByKey.get(selection.exampleKey);
  const status = selection.code ?? named?.status ?? op.successStatus ?? op.statuses[0];
  if (status === undefined) return { status: 204, body: undefined, label: 'none' };
  const offered = (op.contentByStatus.get(status) ?? []).map((c) => c.mediaType);
  if (offered.length === 0) return named ? exampleAnswer(model, op, named) : { status, body: undefined, label: 'none' };
  // Among the media types the status documents, the Accept header chooses; none or `*/*` takes the
  // chosen example's own (as the mock tells prism).
  const wanted = acceptsAnything(accept) ? (named ? [named.mediaType] : offered) : acceptedTypes(accept, offered);
  const best = wanted[0];
  if (best === undefined) return errorAnswer(model, 406, `${op.id} answers ${status} in ${offered.join(', ')}; the Accept header takes none of them`);
  const written = op.examples.filter((e) => e.status === status && (named === undefined || e.key === named.key));
  const ex = written.find((e) => e.mediaType === best) ?? (isXml(best) ? written.find((e) => !isXml(e.mediaType)) : undefined);
  if (ex) return exampleAnswer(model, op, ex, best);
  // No example for that status: a sample of its schema, as prism's static answer is.
  const content = op.contentByStatus.get(status)?.find((c) => c.mediaType === best);
  const schema = model.deref(content?.schema);
  if (typeof schema !== 'object' || schema === null) return { status, contentType: best, body: undefined, label: 'none' };
  const value = sample(schema as JSONSchema7, { ticks: 2500, skipWriteOnly: true }, spec);
  const asXml = isXml(best) && typeof value === 'object' && value !== null;
  return { status, contentType: best, body: asXml ? toXml(value, content?.schema, model.deref) : value, label: 'schema' };
}

/** An example as the answer, in `mediaType` when the client asked for XML the spec writes only in JSON. */
function exampleAnswer(model: SpecModel, op: OperationModel, ex: ResponseExample, mediaType = ex.mediaType): MswAnswer {
  const content = op.contentByStatus.get(ex.status)?.find((c) => c.mediaType === mediaType);
  const body = isXml(mediaType) && !isXml(ex.mediaType) && typeof ex.value === 'object' && ex.value !== null ? toXml(ex.value, content?.schema, model.deref) : ex.value;
  return { status: ex.status, contentType: mediaType, body, label: ex.key };
}

/** An error the spec documents no example for: the spec's error shape (errors.ts), our words. */
export function errorAnswer(model: SpecModel, status: number, message: string): MswAnswer {
  const e = buildError(model, status, message);
  return { status: e.status, contentType: e.contentType, body: e.body, label: 'error' };
}

function headerText(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(', ') : v;
}
