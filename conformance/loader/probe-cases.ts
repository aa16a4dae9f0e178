import type { CheckName, HttpMethod, OperationSpec, RequestPlan, Schema, SpecModel, TestCase } from '../model.ts';
import { type SchemaValidator, schemaView } from '../schema.ts';
import {
  RESPONSE_CHECKS,
  UnbuildableRequest,
  caseName,
  defaultCaller,
  emptyPlan,
  preferredMediaType,
  requestFor,
} from './example-cases.ts';
import type { SchemaValues } from './request-values.ts';
import { isJsonMediaType } from './responses.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface ProbeOptions {
  /** At most this many negative (and, separately, positive) probes per operation. */
  maxPerOperation?: number;
  /** Values for request parts with no example (seeded); without it such an operation is not probed. */
  values?: SchemaValues;
}

interface Variant {
  description: string;
  apply: (plan: RequestPlan) => RequestPlan;
}

/** The request probes start from: the operation's first replayable 2xx example sent by its default caller. */
export function baselineRequest(op: OperationSpec, examples: TestCase[], spec: SpecModel, values?: SchemaValues): { plan: RequestPlan; from2xx: boolean } {
  const own = examples.find(
    (c) =>
      c.operation === op &&
      !c.skip &&
      c.example !== undefined &&
      c.example.status >= 200 &&
      c.example.status < 300 &&
      c.request.caller === defaultCaller(op, spec),
  );
  if (own) return { plan: own.request, from2xx: true };
  return { plan: requestFor(op, undefined, defaultCaller(op, spec), values), from2xx: false };
}

export function probeCases(spec: SpecModel, examples: TestCase[], validator: SchemaValidator, opts: ProbeOptions = {}): TestCase[] {
  const max = opts.maxPerOperation ?? 12;
  const cases: TestCase[] = [];
  for (const op of spec.operations) {
    let baseline: { plan: RequestPlan; from2xx: boolean };
    try {
      baseline = baselineRequest(op, examples, spec, opts.values);
    } catch (err) {
      if (!(err instanceof UnbuildableRequest)) throw err;
      const reason = `cannot build a baseline request: ${err.message}`;
      const checks: CheckName[] = ['negative_data_rejection', 'positive_data_acceptance'];
      if (op.secured) checks.push('missing_auth', 'cross_user_access');
      for (const check of checks) cases.push(probe(op, `probe ${check}`, emptyPlan(op, defaultCaller(op, spec)), check, reason));
      continue;
    }
    const { plan } = baseline;
    // No example is replayed for it: the request drawn from the schemas is sent as it is, so every
    // operation is exercised even when nothing in it can be mutated.
    if (!examples.some((c) => c.operation === op && !c.skip)) {
      cases.push(probe(op, 'probe positive schema-derived request', plan, 'positive_data_acceptance', undefined, 'the request derived from the schemas'));
    }

    for (const v of negativeVariants(op, plan, validator).slice(0, max)) {
      cases.push(probe(op, `probe negative ${v.description}`, v.apply(plan), 'negative_data_rejection', undefined, v.description));
    }
    for (const v of positiveVariants(op, plan, validator).slice(0, max)) {
      cases.push(probe(op, `probe positive ${v.description}`, v.apply(plan), 'positive_data_acceptance', undefined, v.description));
    }
    if (op.secured) {
      for (const spoil of ['none', 'malformed', 'unknown'] as const) {
        const label = { none: 'no credentials', malformed: 'malformed credentials', unknown: 'unknown token' }[spoil];
        cases.push(probe(op, `probe missing_auth ${label}`, { ...plan, spoilAuth: spoil }, 'missing_auth', undefined, label));
      }
      cases.push(...crossUserCases(spec, op, plan, baseline.from2xx, examples));
    }
  }
  cases.push(...unsupportedMethodCases(spec, examples, opts.values));
  return cases;
}

function probe(
  op: OperationSpec,
  label: string,
  request: RequestPlan,
  check: CheckName,
  skip?: string,
  mutation?: string,
): TestCase {
  return {
    kind: 'probe',
    name: caseName(op, label),
    tag: op.tag,
    operationId: op.operationId,
    operation: op,
    label,
    request,
    checks: [...RESPONSE_CHECKS, check],
    skip,
    mutation,
  };
}

// Statuses that refuse a caller rather than the data or the state: only these say "not yours".
const ACCESS_REFUSALS = new Set([401, 403, 404]);

/**
 * cross_user_access: the default role's 2xx request sent as another role, for every role the spec
 * itself shows refused (401, 403 or 404) on the same path parameters. Only there: a path parameter
 * may name something public (anyone may read it), and that refusal is how the contract says "this
 * resource is not for that role".
 */
function crossUserCases(spec: SpecModel, op: OperationSpec, plan: RequestPlan, from2xx: boolean, examples: TestCase[]): TestCase[] {
  if (plan.caller !== spec.defaultRole) return [];
  const own = examples.filter((c) => c.operation === op && !c.skip && c.example !== undefined);
  const samePath = (c: TestCase) => JSON.stringify(c.request.pathParams) === JSON.stringify(plan.pathParams);
  const roles = [...new Set(own.map((c) => c.request.caller))].filter((r) => r !== 'none' && r !== spec.defaultRole);
  const refused = roles.filter(
    (r) =>
      own.some((c) => c.request.caller === r && samePath(c) && ACCESS_REFUSALS.has(c.example!.status)) &&
      !own.some((c) => c.request.caller === r && samePath(c) && c.example!.status < 300),
  );
  if (refused.length === 0) {
    return [probe(op, 'probe cross_user_access', plan, 'cross_user_access', `no example refuses another role (401, 403 or 404) on the ${spec.defaultRole}'s ${op.parameters.some((p) => p.in === 'path') ? 'resource' : 'request'}, so it may be open to every role`)];
  }
  return refused.map((role) => {
    const what = `role ${role} sends the ${spec.defaultRole}'s request ${op.method.toUpperCase()} ${op.path}`;
    const skip = from2xx ? undefined : `no 2xx example of the ${spec.defaultRole} to replay as role ${role}`;
    return probe(op, `probe cross_user_access as ${role}`, { ...plan, caller: role }, 'cross_user_access', skip, what);
  });
}

const PROBE_METHODS: HttpMethod[] = ['patch', 'put', 'delete', 'post', 'get'];

function concretePath(template: string, params: Record<string, unknown>): string {
  return template.replace(/\{([^}]+)\}/g, (whole, name: string) => (params[name] === undefined ? whole : encodeURIComponent(String(params[name]))));
}

/** Whether a path template matches a concrete path (a template variable is one non-empty segment part). */
export function templateMatches(template: string, path: string): boolean {
  const pattern = template
    .split(/(\{[^}]+\})/)
    .map((piece) => (/^\{[^}]+\}$/.test(piece) ? '[^/]+' : piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${pattern}$`).test(path);
}

function unsupportedMethodCases(spec: SpecModel, examples: TestCase[], values?: SchemaValues): TestCase[] {
  const cases: TestCase[] = [];
  for (const [pathTemplate, methods] of spec.pathMethods) {
    const first = spec.operations.find((o) => o.path === pathTemplate);
    if (!first) continue;
    let plan: RequestPlan;
    let skip: string | undefined;
    try {
      plan = baselineRequest(first, examples, spec, values).plan;
    } catch (err) {
      if (!(err instanceof UnbuildableRequest)) throw err;
      plan = emptyPlan(first, defaultCaller(first, spec));
      skip = `cannot build the path: ${err.message}`;
    }
    // The URL may match other templates too (/pet/findByStatus against /pet/{petId}): a method any
    // of them documents is not undocumented at that URL.
    const url = concretePath(pathTemplate, plan.pathParams);
    const atUrl = new Set([...spec.pathMethods].filter(([t]) => t === pathTemplate || templateMatches(t, url)).flatMap(([, ms]) => ms));
    const method = PROBE_METHODS.find((m) => !atUrl.has(m));
    if (!method) continue;
    const secured = spec.operations.some((o) => o.path === pathTemplate && o.secured);
    const label = `probe unsupported_method ${method.toUpperCase()} ${pathTemplate}`;
    cases.push({
      kind: 'probe',
      name: caseName(first, label),
      tag: first.tag,
      operationId: first.operationId,
      operation: null,
      securityFrom: spec.operations.find((o) => o.path === pathTemplate && o.secured) ?? first,
      label,
      request: { ...plan, method, query: [], body: undefined, caller: secured ? spec.defaultRole : 'none' },
      checks: ['not_a_server_error', 'unsupported_method', 'max_response_time'],
      skip,
      allowedMethods: methods.map((m) => m.toUpperCase()),
      mutation: `${method.toUpperCase()} is not documented on ${pathTemplate} (documented: ${methods.map((m) => m.toUpperCase()).join(', ')})`,
    });
  }
  return cases;
}

// ---- schema-derived values -------------------------------------------------------------

function typesOf(schema: Schema | undefined): string[] {
  if (!isObj(schema)) return [];
  if (Array.isArray(schema.type)) return schema.type.map(String);
  if (typeof schema.type === 'string') return [schema.type];
  if ('const' in schema) return [jsonType(schema.const)];
  if (Array.isArray(schema.enum)) return [...new Set(schema.enum.map(jsonType))];
  return [];
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (Number.isInteger(v)) return 'integer';
  return typeof v;
}

/** Values that break `schema` on one constraint each, described for the case name. */
function invalidValues(schema: Schema | undefined, asQuery: boolean): { value: unknown; description: string }[] {
  if (!isObj(schema)) return [];
  const out: { value: unknown; description: string }[] = [];
  const types = typesOf(schema);
  const numeric = types.includes('integer') || types.includes('number');
  if (types.length > 0) {
    // In a path or query string every value is text: only numbers and booleans have a wrong type there.
    const candidates: [unknown, string][] = asQuery
      ? numeric || types.includes('boolean')
        ? [['not-a-number', 'string']]
        : []
      : [[12345, 'number'], ['not-a-number', 'string'], [true, 'boolean'], [{ unexpected: 'object' }, 'object'], [['array'], 'array']];
    const pick = candidates.find(([, t]) => !types.includes(t) && !(t === 'number' && types.includes('integer')));
    if (pick) out.push({ value: pick[0], description: `wrong type (${pick[1]} instead of ${types.join('|')})` });
  }
  if (typeof schema.minimum === 'number') out.push({ value: schema.minimum - 1, description: `below minimum ${schema.minimum}` });
  if (typeof schema.maximum === 'number') out.push({ value: schema.maximum + 1, description: `above maximum ${schema.maximum}` });
  if (typeof schema.exclusiveMinimum === 'number') out.push({ value: schema.exclusiveMinimum, description: `at exclusiveMinimum ${schema.exclusiveMinimum}` });
  if (typeof schema.exclusiveMaximum === 'number') out.push({ value: schema.exclusiveMaximum, description: `at exclusiveMaximum ${schema.exclusiveMaximum}` });
  if (typeof schema.maxLength === 'number') out.push({ value: 'x'.repeat(schema.maxLength + 1), description: `too long (${schema.maxLength + 1} > maxLength ${schema.maxLength})` });
  if (typeof schema.minLength === 'number' && schema.minLength > 0) out.push({ value: 'x'.repeat(schema.minLength - 1), description: `too short (${schema.minLength - 1} < minLength ${schema.minLength})` });
  if (Array.isArray(schema.enum)) out.push({ value: 'not-an-allowed-value', description: 'not in enum' });
  if (typeof schema.pattern === 'string') out.push({ value: '!~ not matching ~!', description: `not matching pattern ${schema.pattern}` });
  return out;
}

/** Values that meet `schema` at its edges: bounds, lengths, each enum value. */
function boundaryValues(schema: Schema | undefined): { value: unknown; description: string }[] {
  if (!isObj(schema)) return [];
  const out: { value: unknown; description: string }[] = [];
  if (typeof schema.minimum === 'number') out.push({ value: schema.minimum, description: `at minimum ${schema.minimum}` });
  if (typeof schema.maximum === 'number') out.push({ value: schema.maximum, description: `at maximum ${schema.maximum}` });
  const plainString = typesOf(schema).includes('string') && schema.pattern === undefined && schema.format === undefined && !Array.isArray(schema.enum);
  if (plainString && typeof schema.maxLength === 'number') out.push({ value: 'a'.repeat(schema.maxLength), description: `at maxLength ${schema.maxLength}` });
  if (plainString && typeof schema.minLength === 'number' && schema.minLength > 0) out.push({ value: 'a'.repeat(schema.minLength), description: `at minLength ${schema.minLength}` });
  if (Array.isArray(schema.enum)) for (const v of schema.enum.slice(0, 4)) out.push({ value: v, description: `enum value ${JSON.stringify(v)}` });
  return out;
}

/** The body's schema, and whether its fields travel as text (a form) rather than as JSON. */
function bodySchema(op: OperationSpec, plan: RequestPlan): { schema: Obj; form: boolean } | undefined {
  if (!op.requestBody || !plan.body) return undefined;
  const form = isFormMediaType(plan.body.mediaType);
  if (!form && !isJsonMediaType(plan.body.mediaType)) return undefined;
  const mt = op.requestBody.content.find((c) => c.mediaType === plan.body!.mediaType) ?? preferredMediaType(op.requestBody.content);
  // The request's view: a required readOnly property is not required of a client.
  const schema = mt?.schema === undefined ? undefined : schemaView(mt.schema, 'readOnly');
  return isObj(schema) ? { schema, form } : undefined;
}

function isFormMediaType(mediaType: string): boolean {
  return /^(multipart\/form-data|application\/x-www-form-urlencoded)\b/i.test(mediaType.trim());
}

/** A readOnly property is never sent in a request (OpenAPI 3.x): nothing to mutate there. */
function isReadOnly(schema: unknown): boolean {
  return isObj(schema) && schema.readOnly === true;
}

/** A file part is bytes: no type or length of text applies to it. */
function isFileSchema(schema: unknown): boolean {
  return isObj(schema) && (schema.format === 'binary' || schema.format === 'byte' || schema.contentMediaType !== undefined || schema.contentEncoding !== undefined);
}

/** A form's fields arrive as text; validate them the way a server coerces them. */
function coerceForm(schema: Obj, body: Obj): Obj {
  const props = isObj(schema.properties) ? schema.properties : {};
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, isObj(props[k]) && !isFileSchema(props[k]) ? coerceQueryValue(props[k] as Schema, v) : v]));
}

function withBody(plan: RequestPlan, value: unknown): RequestPlan {
  return { ...plan, body: { mediaType: plan.body!.mediaType, value } };
}

function withQuery(plan: RequestPlan, name: string, value: unknown | typeof REMOVE): RequestPlan {
  const query = plan.query.filter(([k]) => k !== name);
  if (value !== REMOVE) query.push([name, value]);
  return { ...plan, query };
}
const REMOVE = Symbol('remove');

function negativeVariants(op: OperationSpec, plan: RequestPlan, validator: SchemaValidator): Variant[] {
  const out: Variant[] = [];
  const found = bodySchema(op, plan);
  const body = plan.body?.value;
  if (found && isObj(body) && isObj(found.schema.properties)) {
    const { schema, form } = found;
    const invalid = (v: Obj) => validator.confirms(schema, form ? coerceForm(schema, v) : v, false);
    const required = Array.isArray(schema.required) ? schema.required.map(String) : [];
    for (const name of required) {
      const mutated = { ...body };
      delete mutated[name];
      if (invalid(mutated)) out.push({ description: `body.${name} missing (required)`, apply: (p) => withBody(p, mutated) });
    }
    for (const [name, propSchema] of Object.entries(schema.properties as Obj)) {
      if ((form && isFileSchema(propSchema)) || isReadOnly(propSchema)) continue;
      for (const bad of invalidValues(propSchema as Schema, form)) {
        const mutated = { ...body, [name]: bad.value };
        if (invalid(mutated)) out.push({ description: `body.${name} ${bad.description}`, apply: (p) => withBody(p, mutated) });
      }
    }
  }
  if (op.requestBody?.required && plan.body) {
    out.push({ description: 'no body (required)', apply: (p) => ({ ...p, body: undefined }) });
  }
  for (const param of op.parameters) {
    if (param.in !== 'query' && param.in !== 'path') continue;
    if (param.in === 'query' && param.required && plan.query.some(([k]) => k === param.name)) {
      out.push({ description: `query.${param.name} missing (required)`, apply: (p) => withQuery(p, param.name, REMOVE) });
    }
    for (const bad of invalidValues(param.schema, true)) {
      if (param.in === 'path' && bad.value === '') continue; // an empty segment changes the route, not the value
      if (!param.schema || !validator.confirms(param.schema, coerceQueryValue(param.schema, bad.value), false)) continue;
      out.push({
        description: `${param.in}.${param.name} ${bad.description}`,
        apply: (p) =>
          param.in === 'path'
            ? { ...p, pathParams: { ...p.pathParams, [param.name]: bad.value } }
            : withQuery(p, param.name, bad.value),
      });
    }
  }
  return out;
}

function positiveVariants(op: OperationSpec, plan: RequestPlan, validator: SchemaValidator): Variant[] {
  const out: Variant[] = [];
  const found = bodySchema(op, plan);
  const body = plan.body?.value;
  if (found && isObj(body) && isObj(found.schema.properties)) {
    const { schema, form } = found;
    const valid = (v: Obj) => validator.confirms(schema, form ? coerceForm(schema, v) : v, true);
    const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
    const minimal = Object.fromEntries(Object.entries(body).filter(([k]) => required.has(k)));
    if (Object.keys(minimal).length < Object.keys(body).length && valid(minimal)) {
      out.push({ description: 'body with required fields only', apply: (p) => withBody(p, minimal) });
    }
    for (const [name, propSchema] of Object.entries(schema.properties as Obj)) {
      if ((form && isFileSchema(propSchema)) || isReadOnly(propSchema)) continue;
      for (const good of boundaryValues(propSchema as Schema)) {
        if (JSON.stringify(body[name]) === JSON.stringify(good.value)) continue;
        const mutated = { ...body, [name]: good.value };
        if (valid(mutated)) out.push({ description: `body.${name} ${good.description}`, apply: (p) => withBody(p, mutated) });
      }
    }
  }
  for (const param of op.parameters) {
    if (param.in !== 'query' || !param.schema) continue;
    for (const good of boundaryValues(param.schema)) {
      if (!validator.confirms(param.schema, good.value, true)) continue;
      out.push({ description: `query.${param.name} ${good.description}`, apply: (p) => withQuery(p, param.name, good.value) });
    }
  }
  return out;
}

/** A query value arrives as text; validate it the way a server coerces it. */
function coerceQueryValue(schema: Schema, value: unknown): unknown {
  const types = typesOf(schema);
  if (typeof value !== 'string') return value;
  if ((types.includes('integer') || types.includes('number')) && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  if (types.includes('boolean') && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}
