// Where a request seen by the proxy breaks its operation's contract: parameters (path, query, header,
// cookie) against their schemas, the body's media type and, for JSON, its schema, and whether any
// security requirement is met. The inverse of how the conformance suite writes requests
// (conformance/http.ts): repeated query keys for arrays, JSON text for objects.
import { baseMediaType, isJsonMediaType, mediaTypeMatches } from '../../conformance/loader/responses.ts';
import type { OperationSpec, ParameterSpec, RequestViolation, Schema } from '../../conformance/model.ts';
import { type SchemaValidator, schemaView } from '../../conformance/schema.ts';
import { show } from '../../conformance/checks/check.ts';

export interface SeenRequest {
  pathParams: Record<string, string>;
  query: URLSearchParams;
  /** Lower-case names, as node:http gives them. */
  headers: Record<string, string | string[] | undefined>;
  /** The body's first bytes (up to the proxy's bound); undefined when none was sent. */
  body?: { bytes: Buffer; cut: boolean };
}

/** Why the credentials of a request cannot be right, whatever the server thinks of them. */
export type CredentialProblem = 'no credentials' | 'malformed credentials';

export interface RequestVerdict {
  violations: RequestViolation[];
  credentials?: CredentialProblem;
}

// OpenAPI: these header parameters are ignored (described by content negotiation and security).
const IGNORED_HEADERS = new Set(['accept', 'content-type', 'authorization']);

export function checkRequest(op: OperationSpec, req: SeenRequest, validator: SchemaValidator): RequestVerdict {
  const violations: RequestViolation[] = [];
  const cookies = parseCookies(req.headers.cookie);
  for (const p of op.parameters) {
    if (p.in === 'header' && IGNORED_HEADERS.has(p.name.toLowerCase())) continue;
    const raw = rawValues(p, req, cookies);
    const where = `${p.in}.${p.name}`;
    if (raw.length === 0) {
      if (p.required) violations.push({ where, expected: `the required ${p.in} parameter ${p.name}`, got: 'nothing' });
      continue;
    }
    if (!p.schema) continue;
    const value = parameterValue(p.schema, raw, p);
    const found = validator.violations(schemaView(p.schema, 'readOnly'), value);
    const first = found[0];
    if (first) violations.push({ where: `${where}${first.pointer === '/' ? '' : first.pointer}`, expected: `${p.name} valid against its schema (${first.message})`, got: show(first.got) });
  }
  violations.push(...bodyViolations(op, req, validator));
  const credentials = credentialProblem(op, req, cookies);
  if (credentials) violations.push({ where: 'security', expected: `credentials for ${requirementNames(op)}`, got: credentials });
  return { violations, credentials };
}

function rawValues(p: ParameterSpec, req: SeenRequest, cookies: Map<string, string>): string[] {
  if (p.in === 'path') return req.pathParams[p.name] === undefined ? [] : [req.pathParams[p.name]!];
  if (p.in === 'query') {
    const all = req.query.getAll(p.name);
    if (all.length > 0) return all;
    // deepObject: name[key]=value, gathered as one JSON object
    const deep = [...req.query.entries()].filter(([k]) => k.startsWith(`${p.name}[`) && k.endsWith(']'));
    return deep.length > 0 ? [JSON.stringify(Object.fromEntries(deep.map(([k, v]) => [k.slice(p.name.length + 1, -1), v])))] : [];
  }
  if (p.in === 'cookie') return cookies.has(p.name) ? [cookies.get(p.name)!] : [];
  const h = req.headers[p.name.toLowerCase()];
  return h === undefined ? [] : Array.isArray(h) ? h : [h];
}

const typesOf = (schema: Schema): string[] => {
  if (typeof schema !== 'object') return [];
  if (Array.isArray(schema.type)) return schema.type.filter((t): t is string => typeof t === 'string');
  return typeof schema.type === 'string' ? [schema.type] : [];
};

/** A parameter's text as the value its schema describes: numbers, booleans, arrays, objects (JSON). */
function parameterValue(schema: Schema, raw: string[], p: ParameterSpec): unknown {
  const types = typesOf(schema);
  if (types.includes('array')) {
    const items = typeof schema === 'object' && typeof schema.items === 'object' && schema.items !== null ? (schema.items as Schema) : true;
    // explode (the default of form style): repeated keys; a single comma list otherwise
    const parts = raw.length === 1 && p.in !== 'query' ? raw[0]!.split(',') : raw.length === 1 && raw[0]!.includes(',') && !types.includes('string') ? raw[0]!.split(',') : raw;
    return parts.map((v) => scalar(items, v));
  }
  return scalar(schema, raw[0]!);
}

function scalar(schema: Schema, text: string): unknown {
  const types = typesOf(schema);
  if ((types.includes('integer') || types.includes('number')) && text.trim() !== '' && !Number.isNaN(Number(text))) return Number(text);
  if (types.includes('boolean') && (text === 'true' || text === 'false')) return text === 'true';
  if (types.includes('null') && text === 'null') return null;
  if ((types.includes('object') || types.includes('array')) && !types.includes('string')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

function bodyViolations(op: OperationSpec, req: SeenRequest, validator: SchemaValidator): RequestViolation[] {
  const spec = op.requestBody;
  const sent = req.body !== undefined && req.body.bytes.length > 0;
  if (!spec) return [];
  if (!sent) return spec.required ? [{ where: 'body', expected: 'the required request body', got: 'no body' }] : [];
  const contentType = String(req.headers['content-type'] ?? '');
  const mt = spec.content.find((c) => baseMediaType(c.mediaType) === baseMediaType(contentType)) ?? spec.content.find((c) => mediaTypeMatches(c.mediaType, contentType));
  if (!mt) {
    return [{ where: 'header.content-type', expected: `Content-Type ${spec.content.map((c) => c.mediaType).join(' or ')}`, got: contentType || 'no Content-Type' }];
  }
  // Only JSON is read here; forms and files are passed on unjudged (the server parses them).
  if (!isJsonMediaType(contentType) || !mt.schema || req.body!.cut) return [];
  let value: unknown;
  try {
    value = JSON.parse(req.body!.bytes.toString('utf8'));
  } catch (err) {
    return [{ where: 'body', expected: 'a JSON body', got: `unparsable JSON (${err instanceof Error ? err.message : err})` }];
  }
  const found = validator.violations(schemaView(mt.schema, 'readOnly'), value);
  const first = found[0];
  return first ? [{ where: `body${first.pointer === '/' ? '' : first.pointer}`, expected: `a body valid against the schema (${first.message})`, got: show(first.got) }] : [];
}

type SchemeObj = Record<string, unknown>;

/** Undefined when some requirement is met by what the request carries (not whether the server knows it). */
function credentialProblem(op: OperationSpec, req: SeenRequest, cookies: Map<string, string>): CredentialProblem | undefined {
  if (!op.secured) return undefined;
  const auth = String(req.headers.authorization ?? '');
  const present = (scheme: SchemeObj): boolean => {
    if (scheme.type === 'apiKey') {
      const name = String(scheme.name ?? '');
      if (scheme.in === 'query') return req.query.has(name);
      if (scheme.in === 'cookie') return cookies.has(name);
      return req.headers[name.toLowerCase()] !== undefined;
    }
    const word = scheme.type === 'http' ? String(scheme.scheme ?? 'bearer') : 'bearer';
    return new RegExp(`^${word.replace(/[^\w-]/g, '')}\\s+\\S`, 'i').test(auth);
  };
  if (op.security.some((r) => r.schemes.length > 0 && r.schemes.every((s) => present(s.scheme)))) return undefined;
  return auth !== '' ? 'malformed credentials' : 'no credentials';
}

function requirementNames(op: OperationSpec): string {
  return op.security.map((r) => r.schemes.map((s) => s.name).join(' + ')).join(' or ');
}

function parseCookies(header: string | string[] | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of Array.isArray(header) ? header : header ? [header] : []) {
    for (const part of line.split(';')) {
      const at = part.indexOf('=');
      if (at > 0) out.set(part.slice(0, at).trim(), decodeURIComponentSafe(part.slice(at + 1).trim()));
    }
  }
  return out;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
