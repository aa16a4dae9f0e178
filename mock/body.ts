// The request body as selection and state read it: JSON parsed, forms (multipart and urlencoded) as
// an object of field -> text. prism gets the raw text and validates it itself.

export interface ParsedBody {
  value: unknown;
  /** A form: field values are text, compared as text with the spec's examples. */
  form: boolean;
}

export function parseBody(raw: Buffer | undefined, contentType: string | undefined): ParsedBody {
  if (raw === undefined) return { value: undefined, form: false };
  const type = (contentType ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) {
    const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
    const fields = boundary ? parseMultipart(raw, boundary[1] ?? boundary[2] ?? '') : undefined;
    return fields ? { value: fields, form: true } : { value: raw.toString('utf8'), form: false };
  }
  if (type.startsWith('application/x-www-form-urlencoded')) {
    const fields: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(raw.toString('utf8'))) fields[k] ??= v;
    return { value: fields, form: true };
  }
  const text = raw.toString('utf8');
  if (!type || /json/.test(type)) {
    try {
      return { value: JSON.parse(text), form: false };
    } catch {
      // Not JSON: prism sees the text, fails it against the schema and answers the spec's 400.
    }
  }
  return { value: text, form: false };
}

/**
 * field -> value of a multipart/form-data body (first value of a repeated field). A file part's
 * bytes become a string of one character per byte (latin1), as the pairing convention writes files
 * in examples; a text part is UTF-8. Undefined when the body is not multipart at all.
 */
export function parseMultipart(raw: Buffer, boundary: string): Record<string, string> | undefined {
  if (!boundary) return undefined;
  const delimiter = Buffer.from(`--${boundary}`);
  const fields: Record<string, string> = {};
  let at = raw.indexOf(delimiter);
  if (at < 0) return undefined;
  for (;;) {
    let start = at + delimiter.length;
    if (raw.subarray(start, start + 2).toString() === '--') break;
    if (raw.subarray(start, start + 2).toString() === '\r\n') start += 2;
    const next = raw.indexOf(delimiter, start);
    if (next < 0) return undefined;
    // The part ends with CRLF before the next delimiter.
    const part = raw.subarray(start, next >= 2 && raw[next - 2] === 13 && raw[next - 1] === 10 ? next - 2 : next);
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) return undefined;
    const head = part.subarray(0, split).toString('utf8');
    const body = part.subarray(split + 4);
    const disposition = /content-disposition:[^\r\n]*/i.exec(head)?.[0] ?? '';
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    const isFile = /\bfilename\*?=/i.test(disposition);
    if (name !== undefined && !(name in fields)) fields[name] = body.toString(isFile ? 'latin1' : 'utf8');
    at = next;
  }
  return fields;
}

/** A form matches an example when it has the same fields with the same values written as text. */
export function formMatches(form: unknown, example: unknown): boolean {
  if (typeof form !== 'object' || form === null || typeof example !== 'object' || example === null || Array.isArray(example)) return false;
  const f = form as Record<string, unknown>;
  const e = example as Record<string, unknown>;
  const keys = Object.keys(e).filter((k) => e[k] !== undefined);
  if (keys.length !== Object.keys(f).length) return false;
  // Browsers send the line breaks of text fields as CRLF (the HTML form encoding): compare as LF.
  return keys.every((k) => typeof f[k] === 'string' && lf(f[k]) === lf(asText(e[k])));
}

function lf(s: string): string {
  return s.replace(/\r\n/g, '\n');
}

function asText(v: unknown): string {
  return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
}
