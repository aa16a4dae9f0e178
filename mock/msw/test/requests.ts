// Requests built from a spec's named cases (the parts each pairs with, sent as the role it names)
// and from its default request with every Prefer example and code: the rows the MSW tests compare.
import type { OperationModel, RequestCase } from '../../model.ts';
import { mockModel, type Credential } from '../index.ts';

export interface Sent {
  label: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | FormData | URLSearchParams;
}

/** A token per role, sent where the operation takes credentials. */
export const tokenOf = (role: string): string => `${role}-token`;

function credentialHeaders(op: OperationModel, role: string): Record<string, string> {
  if (role === 'none' || op.securityHeaders.length === 0) return {};
  const name = op.securityHeaders.includes('authorization') ? 'authorization' : op.securityHeaders[0]!;
  return { [name]: name === 'authorization' ? `Bearer ${tokenOf(role)}` : tokenOf(role) };
}

const text = (v: unknown): string => (typeof v === 'object' && v !== null ? (Array.isArray(v) ? v.map(String).join(',') : JSON.stringify(v)) : String(v));

/** The request a case pairs with: its own parts, the first examples of the rest the convention sends. */
export function requestOf(op: OperationModel, c: RequestCase | undefined, caller: string): Sent | 'invalid' | 'form' {
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

export function rowsOf(spec: object): { rows: Sent[]; skipped: string[] } {
  const model = mockModel(spec);
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

/** The credentials that make `tokenOf(role)` name each role of the spec. */
export function credentialsOf(spec: object): Credential[] {
  return mockModel(spec).roles.map((role) => ({ role, kind: 'token', value: tokenOf(role) }));
}

export async function answerOf(base: string, sent: Sent): Promise<{ status: number; type: string | null; body: unknown }> {
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

