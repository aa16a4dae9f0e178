// The one place that builds error bodies the spec does not document for the case at hand (404 of an
// unknown path, 405, prism's own refusals, crashes): in the shape of an error the spec does document.
import { STATUS_CODES } from 'node:http';
import type { SpecModel } from './model.ts';

const MESSAGE_KEY = /^(message|detail|details|description|msg|error_description|errorMessage|error_message)$/i;
const REASON_KEY = /^(error|title|reason|status_text|statusText)$/i;

export interface ErrorAnswer {
  status: number;
  contentType: string;
  body: unknown;
}

/** An error body for `status` saying `message`, shaped like the spec's documented errors. */
export function buildError(model: SpecModel | undefined, status: number, message: string): ErrorAnswer {
  const template = pickTemplate(model, status);
  if (!template) {
    return { status, contentType: 'application/json', body: { statusCode: status, error: reason(status), message } };
  }
  return { status, contentType: 'application/json', body: fill(template.value, template.status, status, message, 0) };
}

function pickTemplate(model: SpecModel | undefined, status: number): { status: number; value: unknown } | undefined {
  if (!model || model.errorTemplates.size === 0) return undefined;
  const exact = model.errorTemplates.get(status);
  if (exact !== undefined) return { status, value: exact };
  const order = [...model.errorTemplates.keys()].sort(
    (a, b) => Number(Math.floor(a / 100) !== Math.floor(status / 100)) - Number(Math.floor(b / 100) !== Math.floor(status / 100)) || a - b,
  );
  const first = order[0];
  return first === undefined ? undefined : { status: first, value: model.errorTemplates.get(first) };
}

function fill(value: unknown, templateStatus: number, status: number, message: string, depth: number): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || depth > 2) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v === 'number' && Number.isInteger(v) && v === templateStatus) out[key] = status;
    else if (typeof v === 'string') out[key] = fillString(key, v, templateStatus, status, message);
    else if (Array.isArray(v)) out[key] = [];
    else out[key] = fill(v, templateStatus, status, message, depth + 1);
  }
  return out;
}

function fillString(key: string, v: string, templateStatus: number, status: number, message: string): string {
  if (MESSAGE_KEY.test(key)) return message;
  if (v === reason(templateStatus)) return reason(status);
  if (v === String(templateStatus)) return String(status);
  if (/^[A-Z][A-Z0-9_]*$/.test(v)) return snake(reason(status)).toUpperCase();
  if (/^[a-z][a-z0-9_]*$/.test(v) && /code|type|error|reason/i.test(key)) return snake(reason(status));
  if (REASON_KEY.test(key)) return reason(status);
  return v;
}

function reason(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

function snake(s: string): string {
  return s.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '');
}
