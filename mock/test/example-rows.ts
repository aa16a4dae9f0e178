// Every named example of a spec as a request row, built with spec/README.md's pairing convention:
// any contract's table of "this request gets this example" for the mock to pass.
import type { OperationModel, ResponseExample, SpecModel } from '../model.ts';

export interface Row {
  name: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  /** JSON body, or a form (field -> text) when the operation takes multipart/form-data. */
  body: unknown;
  form?: Record<string, string>;
  status: number;
  mediaType: string;
  expected: unknown;
}

/** `callers` maps each x-caller role to the headers that carry its credentials. */
export function exampleRows(model: SpecModel, callers: Record<string, Record<string, string>>): Row[] {
  return model.operations.flatMap((op) => {
    const seen = new Map<string, string>();
    return [...op.examplesByKey.values()].map((ex) => {
      const row = rowOf(op, ex, callers);
      // Two cases the convention builds the same request for differ only by what the server
      // remembers: the later one is asked for by name.
      const request = JSON.stringify([row.path, row.headers, row.body, row.form]);
      const first = seen.get(request);
      if (first === undefined) seen.set(request, ex.key);
      else if (!row.headers.prefer) {
        row.headers.prefer = `example=${ex.key}`;
        row.name += ` by Prefer (same request as ${first})`;
      }
      return row;
    });
  });
}

function rowOf(op: OperationModel, ex: ResponseExample, callers: Record<string, Record<string, string>>): Row {
  const k = ex.key;
  const headers: Record<string, string> = {};
  let path = op.path;
  const query = new URLSearchParams();
  for (const p of op.params) {
    const value = p.examples.has(k) ? p.examples.get(k) : p.in === 'path' || p.required ? [...p.examples.values()][0] : undefined;
    if (value === undefined) continue;
    if (p.in === 'path') path = path.replace(`{${p.name}}`, encodeURIComponent(String(value)));
    else if (p.in === 'query') query.set(p.name, Array.isArray(value) ? value.join(',') : String(value));
    else if (p.in === 'header') headers[p.name] = String(value);
  }
  const body = op.bodyExamples.has(k) ? op.bodyExamples.get(k) : op.bodyRequired ? [...op.bodyExamples.values()][0] : undefined;
  const caller = typeof ex.ext['x-caller'] === 'string' ? ex.ext['x-caller'] : op.defaultCaller;
  if (caller !== 'none') Object.assign(headers, callers[caller] ?? {});
  if (ex.ext['x-replayable'] === false) headers.prefer = `example=${k}`;
  const search = query.toString();
  const row: Row = {
    name: `${op.id} > ${k} (${ex.status})`,
    method: op.method.toUpperCase(),
    path: search ? `${path}?${search}` : path,
    headers,
    body,
    status: ex.status,
    mediaType: ex.mediaType,
    expected: ex.value,
  };
  if (body !== undefined && op.bodyMediaTypes[0]?.startsWith('multipart/')) {
    row.form = Object.fromEntries(Object.entries(body as Record<string, unknown>).map(([name, v]) => [name, typeof v === 'string' ? v : JSON.stringify(v)]));
    row.body = undefined;
  }
  return row;
}

/** A form as multipart/form-data; a value holding control characters (file bytes) goes as a file part. */
export function formData(form: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(form)) {
    // eslint-disable-next-line no-control-regex
    if (/[\x00-\x08\x0e-\x1f\x7f-\xff]/.test(value)) data.append(name, new Blob([Buffer.from(value, 'latin1')]), `${name}.bin`);
    else data.append(name, value);
  }
  return data;
}

/** What the example promises on the wire: JSON compared as JSON, a stream or a text compared as text. */
export function expectedText(row: Row): string | undefined {
  if (/ndjson/.test(row.mediaType)) return typeof row.expected === 'string' ? row.expected : `${JSON.stringify(row.expected)}\n`;
  if (typeof row.expected === 'string' && !/json/.test(row.mediaType)) return row.expected;
  return undefined;
}

/** Sends a row to the mock; the body is read as text and, when JSON, parsed. */
export async function replay(base: string, row: Row): Promise<{ status: number; headers: Headers; text: string; body: unknown }> {
  const headers = { ...row.headers };
  let body: string | FormData | undefined;
  if (row.form) body = formData(row.form);
  else if (row.body !== undefined) {
    body = JSON.stringify(row.body);
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(`${base}${row.path}`, { method: row.method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  if (/json/.test(res.headers.get('content-type') ?? '') && !/ndjson/.test(res.headers.get('content-type') ?? '')) parsed = JSON.parse(text);
  return { status: res.status, headers: res.headers, text, body: parsed };
}
