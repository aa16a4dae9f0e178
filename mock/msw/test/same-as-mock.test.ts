// The MSW handlers choose what the mock server chooses: on the three contracts and a foreign spec,
// every named case's request (built from the parts it pairs with, sent as the role it names) and
// every example asked for by Prefer gets the same status, media type and body from both.
import { readFileSync } from 'node:fs';
import { setupServer } from 'msw/node';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type Running } from '../../test/helpers.ts';
import type { OperationModel, RequestCase } from '../../model.ts';
import { createMockHandlers, mockModel, type Credential } from '../index.ts';

interface Contract {
  name: string;
  specPath: string;
  bundle: object;
}

const json = (file: string): object => JSON.parse(readFileSync(file, 'utf8')) as object;
const CONTRACTS: Contract[] = [
  { name: 'images', specPath: 'spec/images/openapi.yaml', bundle: json('generated/images/openapi.json') },
  { name: 'stackrox', specPath: 'spec/stackrox/openapi.yaml', bundle: json('generated/stackrox/openapi.json') },
  { name: 'chutes', specPath: 'spec/chutes/openapi.yaml', bundle: json('generated/chutes/openapi.json') },
  { name: 'petstore3 (foreign)', specPath: 'conformance/test/fixtures/foreign/petstore3/openapi.yaml', bundle: parse(readFileSync('conformance/test/fixtures/foreign/petstore3/openapi.yaml', 'utf8')) as object },
];
const BASE = 'http://msw.api.test';

interface Sent {
  label: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | FormData | URLSearchParams;
}

/** A token per role, sent where the operation takes credentials. */
const tokenOf = (role: string): string => `${role}-token`;

function credentialHeaders(op: OperationModel, role: string): Record<string, string> {
  if (role === 'none' || op.securityHeaders.length === 0) return {};
  const name = op.securityHeaders.includes('authorization') ? 'authorization' : op.securityHeaders[0]!;
  return { [name]: name === 'authorization' ? `Bearer ${tokenOf(role)}` : tokenOf(role) };
}

const text = (v: unknown): string => (typeof v === 'object' && v !== null ? (Array.isArray(v) ? v.map(String).join(',') : JSON.stringify(v)) : String(v));

/** The request a case pairs with: its own parts, the first examples of the rest the convention sends. */
function requestOf(op: OperationModel, c: RequestCase | undefined, caller: string): Sent | 'invalid' | 'form' {
  const part = (where: string, name: string) => c?.constraints.find((k) => k.part === where && k.name === name);
  const absent = (where: string, name: string) => c?.constraints.some((k) => k.part === `${where}-absent` && k.name === name) ?? false;
  let path = op.path;
  const query = new URLSearchParams();
  const headers: Record<string, string> = credentialHeaders(op, caller);
  for (const p of op.params) {
    const own = part(p.in, p.name);
    // A path parameter without examples gets `1`, valid for the integer and string ids specs use.
    const value = own ? own.value : p.in === 'path' || p.required ? ([...p.examples.values()][0] ?? (p.in === 'path' ? 1 : undefined)) : undefined;
    if (value === undefined || absent(p.in, p.name)) {
      if (p.required) return 'invalid';
      continue;
    }
    if (p.in === 'path') path = path.replace(`{${p.name}}`, encodeURIComponent(text(value)));
    else if (p.in === 'query') query.set(p.name, text(value));
    else if (p.in === 'header') headers[p.name.toLowerCase()] = text(value);
  }
  let body: string | FormData | URLSearchParams | undefined;
  const ownBody = part('body', '');
  const bodyValue = ownBody ? ownBody.value : op.bodyRequired && !c?.constraints.some((k) => k.part === 'body-absent') ? [...op.bodyExamples.values()][0] : undefined;
  // Request validation is the mock's (prism's), not the handlers': only valid requests are compared.
  if (bodyValue === undefined && op.bodyRequired && !c?.constraints.some((k) => k.part === 'body-absent')) return 'invalid';
  const mediaType = op.bodyMediaTypes[0] ?? '';
  if (bodyValue !== undefined && /json/.test(mediaType)) {
    body = JSON.stringify(bodyValue);
    headers['content-type'] = mediaType;
  } else if (bodyValue !== undefined && /^(multipart\/form-data|application\/x-www-form-urlencoded)/.test(mediaType) && typeof bodyValue === 'object' && bodyValue !== null) {
    // A form, each field as text: fetch writes the boundary or the encoding itself.
    const fields = Object.entries(bodyValue).filter(([, v]) => v !== undefined).map(([k, v]) => [k, text(v)] as [string, string]);
    if (mediaType.startsWith('multipart')) {
      const form = new FormData();
      for (const [k, v] of fields) form.append(k, v);
      body = form;
    } else {
      body = new URLSearchParams(fields);
    }
  } else if (bodyValue !== undefined) {
    return 'form';
  }
  const search = query.toString();
  return { label: `${op.id} ${c?.key ?? 'default'}`, method: op.method.toUpperCase(), path: search ? `${path}?${search}` : path, headers, body };
}

function rowsOf(contract: Contract): { rows: Sent[]; skipped: string[] } {
  const model = mockModel(contract.bundle);
  const rows: Sent[] = [];
  const skipped: string[] = [];
  for (const op of model.operations) {
    for (const c of op.cases) {
      const sent = requestOf(op, c, c.caller);
      if (typeof sent === 'object') rows.push(sent);
      else skipped.push(`${op.id} ${c.key} (${sent})`);
    }
    // Every example, by Prefer, on the default request.
    const plain = requestOf(op, undefined, op.defaultCaller);
    if (typeof plain !== 'object') {
      skipped.push(`${op.id} default (${plain})`);
      continue;
    }
    rows.push({ ...plain, label: `${op.id} default request` });
    for (const key of op.examplesByKey.keys()) rows.push({ ...plain, label: `${op.id} Prefer example=${key}`, headers: { ...plain.headers, prefer: `example=${key}` } });
    for (const status of op.statuses) rows.push({ ...plain, label: `${op.id} Prefer code=${status}`, headers: { ...plain.headers, prefer: `code=${status}` } });
  }
  return { rows, skipped };
}

async function answerOf(base: string, sent: Sent): Promise<{ status: number; type: string | null; body: unknown }> {
  const response = await fetch(`${base}${sent.path}`, { method: sent.method, headers: sent.headers, body: sent.body });
  const raw = await response.text();
  let body: unknown = raw;
  try {
    body = JSON.parse(raw);
  } catch {
    // Text answers (event streams, XML) compare as text.
  }
  return { status: response.status, type: response.headers.get('content-type'), body };
}

/** The rows no valid request can be built for: the Petstore's required bodies without examples. */
const SKIPPED: Record<string, number> = { 'petstore3 (foreign)': 2 };

/** Keys and value types, recursively: what two samples of one schema share. */
function shapeOf(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(shapeOf);
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shapeOf(x)]));
  return typeof v;
}

describe.each(CONTRACTS)('MSW handlers and the mock server on $name', (contract) => {
  let mock: Running;
  let msw: ReturnType<typeof setupServer>;
  const model = mockModel(contract.bundle);
  const credentials: Credential[] = model.roles.map((role) => ({ role, kind: 'token', value: tokenOf(role) }));
  const { rows, skipped } = rowsOf(contract);

  beforeAll(async () => {
    mock = await startMock({ specPath: contract.specPath, quiet: true, credentials });
    msw = setupServer(...createMockHandlers(contract.bundle, { baseUrl: BASE, credentials }));
    // Only the MSW base is intercepted; the mock server is reached for real.
    msw.listen({ onUnhandledRequest: 'bypass' });
  });
  afterAll(async () => {
    msw?.close();
    await mock?.close();
  });

  it('builds a request for nearly every case (a required body without examples is left out)', () => {
    expect(rows.length).toBeGreaterThan(10);
    expect(skipped).toHaveLength(SKIPPED[contract.name] ?? 0);
  });

  it.each(rows.map((r) => [r.label, r] as const))('%s', async (_, sent) => {
    const [fromMock, fromMsw] = [await answerOf(mock.url, sent), await answerOf(BASE, sent)];
    expect(fromMsw.status).toBe(fromMock.status);
    expect(fromMsw.type?.split(';')[0]).toBe(fromMock.type?.split(';')[0]);
    // Without an example both sample the schema; prism first rewrites it (int64 bounds and the like),
    // so only the shape is compared there.
    const op = model.operations.find((o) => sent.label.startsWith(`${o.id} `));
    if (!op?.examples.some((e) => e.status === fromMock.status)) {
      expect(shapeOf(fromMsw.body)).toEqual(shapeOf(fromMock.body));
      return;
    }
    // The mock's own error messages name its flags; the shape and status are what must agree.
    if (fromMock.status >= 400 && typeof fromMock.body === 'object' && fromMock.body !== null && !(fromMsw.status === fromMock.status && JSON.stringify(fromMsw.body) === JSON.stringify(fromMock.body))) {
      expect(Object.keys(fromMsw.body as object).sort()).toEqual(Object.keys(fromMock.body).sort());
    } else {
      expect(fromMsw.body).toEqual(fromMock.body);
    }
  });
});
