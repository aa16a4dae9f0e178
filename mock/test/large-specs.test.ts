// The mock on public specs of the size where Prism gives up (test/fixtures/large-specs/): Stripe's
// recursive schemas, served operation by operation; GitHub's file as published, loaded without
// a byte of network. Start-up time is measured by `npm run bench -- --large-specs`, not here.
import fc from 'fast-check';
import net from 'node:net';
import type { IHttpOperation } from '@stoplight/types';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { validOf, type Json, type Resolve } from '../../spec-conventions/schema-arbitrary.ts';
import { loadSpec } from '../load-spec.ts';
import { call, startMock } from './helpers.ts';

const STRIPE = 'test/fixtures/large-specs/stripe/spec3.json';
const GITHUB = 'test/fixtures/large-specs/github/api.github.com.json';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Resolves `#/__bundled__/...` against the operation, as prism does. */
function resolverOf(op: IHttpOperation): Resolve {
  const bundled = (op as { __bundled__?: Obj }).__bundled__ ?? {};
  const resolve = (node: unknown): unknown => {
    let current = node;
    for (let hops = 0; hops < 20 && isObj(current) && typeof current.$ref === 'string'; hops++) {
      current = bundled[current.$ref.replace('#/__bundled__/', '')];
    }
    return current;
  };
  return resolve as Resolve;
}

/** The smallest value the schema takes: required properties only, the first choice, leaves drawn once with a fixed seed. */
function minimal(raw: unknown, resolve: Resolve, depth = 0): unknown {
  const schema = resolve<Obj>(raw);
  if (!isObj(schema)) return 'x';
  if ('example' in schema) return schema.example;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum.find((v) => v !== null && v !== '') ?? schema.enum[0];
  const choices = (schema.anyOf ?? schema.oneOf) as unknown[] | undefined;
  if (Array.isArray(choices) && choices.length > 0) return minimal(choices[0], resolve, depth + 1);
  if (Array.isArray(schema.allOf)) return Object.assign({}, ...schema.allOf.map((s) => minimal(s, resolve, depth + 1) as Obj));
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (type === 'object' || (type === undefined && isObj(schema.properties))) {
    const out: Obj = {};
    const properties = isObj(schema.properties) ? schema.properties : {};
    for (const name of Array.isArray(schema.required) ? schema.required.map(String) : []) {
      out[name] = depth > 8 ? {} : minimal(properties[name] ?? {}, resolve, depth + 1);
    }
    return out;
  }
  if (type === 'array') return Array.from({ length: Number(schema.minItems ?? 0) }, () => minimal(schema.items ?? {}, resolve, depth + 1));
  return fc.sample(validOf(schema as Json, resolve), { seed: 1, numRuns: 1 })[0];
}

/** `a[b][0]=c`: a form value in the deepObject style Stripe's bodies declare. */
function formEncode(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => formEncode(v, `${prefix}[${i}]`));
  if (isObj(value)) return Object.entries(value).flatMap(([k, v]) => formEncode(v, prefix ? `${prefix}[${k}]` : k));
  return [`${encodeURIComponent(prefix)}=${encodeURIComponent(String(value))}`];
}

const textOf = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** A request the operation should accept: examples where the spec gives them, else values drawn from the schemas. */
function requestFor(op: IHttpOperation): { path: string; headers: Record<string, string>; raw?: string } {
  const resolve = resolverOf(op);
  const valueOf = (p: { examples?: object[]; schema?: unknown }): unknown => {
    const ex = p.examples?.find((e): e is { value: unknown } => 'value' in e);
    return ex ? ex.value : minimal(p.schema ?? { type: 'string' }, resolve);
  };
  let path = op.path;
  for (const p of op.request?.path ?? []) path = path.replace(`{${p.name}}`, encodeURIComponent(textOf(valueOf(p)) || 'x'));
  const query = (op.request?.query ?? []).filter((q) => q.required).map((q) => `${encodeURIComponent(q.name)}=${encodeURIComponent(textOf(valueOf(q)))}`);
  const headers: Record<string, string> = { authorization: 'Bearer sk_test_mock', accept: '*/*' };
  for (const h of (op.request?.headers ?? []).filter((x) => x.required)) headers[h.name.toLowerCase()] = textOf(valueOf(h));
  let raw: string | undefined;
  const content = op.request?.body?.contents?.[0];
  if (content && op.method !== 'get' && (op.request?.body?.required || content.mediaType.includes('form'))) {
    const ex = content.examples?.find((e) => 'value' in e) as { value?: unknown } | undefined;
    const body = ex ? ex.value : minimal(content.schema ?? {}, resolve);
    headers['content-type'] = content.mediaType;
    raw = content.mediaType === 'application/x-www-form-urlencoded' ? formEncode(body).join('&') : JSON.stringify(body);
  }
  return { path: query.length > 0 ? `${path}?${query.join('&')}` : path, headers, raw };
}

// Started at collection time: the rows below are its operations, one request each.
const stripe = await startMock({ specPath: STRIPE, quiet: true });
afterAll(() => stripe.close());
const stripeRows = stripe.app.spec.operations.map((op) => ({ name: `${op.method.toUpperCase()} ${op.path}`, op }));

describe("Stripe's spec (417 operations, recursive schemas)", () => {
  const mock = stripe;

  it('has all 417 operations', () => {
    expect(stripeRows).toHaveLength(417);
  });

  // Stripe documents its errors as `default`. A refusal must come from validation, saying what was
  // wrong (prism reads an absent deepObject form field as `{}`, so a few drawn bodies are refused),
  // never a failure to answer.
  it.each(stripeRows)('$name answers its success, or a documented refusal that says what was wrong', async ({ op }) => {
    const codes = op.responses.map((r) => r.code);
    const success = codes.map(Number).filter((c) => c >= 200 && c < 300).sort()[0];
    const { path, headers, raw } = requestFor(op);
    const reply = await call(mock.url, op.method.toUpperCase(), path, { headers, raw });
    if (reply.status === success) return;
    const said = `${reply.status} ${reply.text.slice(0, 200)}`;
    expect(reply.status, said).toBeLessThan(500);
    expect(codes.includes(String(reply.status)) || codes.includes('default'), said).toBe(true);
    expect(reply.headers.get('x-mock-violations'), said).toBeTruthy();
  });

  it.each([
    { row: 'a recursive schema answers from its schema', method: 'GET', path: '/v1/customers/cus_1' },
    // Stripe documents its errors under `default` only: the mock's 422, in Stripe's error shape.
    { row: 'a form body that breaks the schema is refused in the spec\'s error shape', method: 'POST', path: '/v1/customers', raw: 'balance=notanumber', type: 'application/x-www-form-urlencoded', status: 422 },
  ])('$row', async ({ method, path, raw, type, status }) => {
    const reply = await call(mock.url, method, path, { headers: { authorization: 'Bearer sk_test_mock', ...(type ? { 'content-type': type } : {}) }, raw });
    expect(reply.status).toBe(status ?? 200);
    expect(reply.body).toMatchObject(status === undefined ? { object: 'customer' } : { error: {} });
  });
});

describe("GitHub's published file", () => {
  it('loads unmodified, all 1,223 operations, without opening a single connection', async () => {
    const connect = vi.spyOn(net.Socket.prototype, 'connect');
    try {
      const spec = await loadSpec(GITHUB);
      expect(spec.operations).toHaveLength(1223);
      expect(connect).not.toHaveBeenCalled();
    } finally {
      connect.mockRestore();
    }
  });
});
