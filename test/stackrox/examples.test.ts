// Every replayable example of the StackRox contract is true of the reference server: each case is sent
// as the pairing convention of spec/README.md builds it, by its caller, after a reset, and the answer
// must match (exact, or the fields the example lists).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, TOKENS, type TestServer } from '../../server/stackrox/test/helpers.ts';
import { root } from '../helpers/sandbox.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- walking a parsed spec
const spec = JSON.parse(readFileSync(join(root, 'generated', 'stackrox', 'openapi.json'), 'utf8')) as Json;
const deref = (node: Json): Json => (typeof node?.$ref === 'string' ? deref(node.$ref.slice(2).split('/').reduce((n: Json, k: string) => n[k.replace(/~1/g, '/')], spec)) : node);

interface Case {
  name: string;
  method: string;
  url: string;
  body?: unknown;
  caller: string;
  status: number;
  mediaType: string;
  example: Json;
}

function cases(): Case[] {
  const found: Case[] = [];
  for (const [path, item] of Object.entries(spec.paths as Json)) {
    for (const [method, op] of Object.entries(item as Json)) {
      if (!['get', 'put', 'post', 'delete', 'patch'].includes(method)) continue; // path-level parameters, summary
      const params = (op.parameters ?? []).map(deref);
      for (const [status, response] of Object.entries(op.responses as Json)) {
        for (const [mediaType, media] of Object.entries(deref(response as Json).content ?? {})) {
          for (const [key, ex] of Object.entries((media as Json).examples ?? {})) {
            const example = deref(ex as Json);
            if (example['x-replayable'] === false) continue;
            let url = path;
            const query = new URLSearchParams();
            for (const p of params) {
              const chosen = p.examples?.[key] ?? (p.in === 'path' ? Object.values(p.examples as Json)[0] : undefined);
              if (!chosen) continue;
              const value = String(deref(chosen as Json).value);
              if (p.in === 'path') url = url.replace(`{${p.name}}`, encodeURIComponent(value));
              else query.set(p.name, value);
            }
            const bodies = op.requestBody?.content?.['application/json']?.examples;
            const body = bodies ? deref(bodies[key] ?? Object.values(bodies)[0]).value : undefined;
            const qs = query.toString().replace(/\+/g, '%20');
            found.push({ name: `${op.operationId} > ${key}`, method: method.toUpperCase(), url: `${url}${qs ? `?${qs}` : ''}`, body, caller: example['x-caller'] ?? 'admin', status: Number(status), mediaType, example });
          }
        }
      }
    }
  }
  return found;
}

/** `fields` matching: every field the example lists has the same value (arrays item by item). */
function fieldsOf(expected: unknown, actual: unknown, ignore: string[], at = ''): void {
  if (ignore.includes(at)) return;
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), at).toBe(true);
    expected.forEach((item, i) => fieldsOf(item, (actual as unknown[])[i], ignore, `${at}/${i}`));
  } else if (expected && typeof expected === 'object') {
    for (const [k, v] of Object.entries(expected)) fieldsOf(v, (actual as Json)?.[k], ignore, `${at}/${k}`);
  } else expect(actual, at).toEqual(expected);
}

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const all = cases();

describe('the examples of spec/stackrox', () => {
  it('are many, and cover every operation', () => {
    expect(all.length).toBeGreaterThan(40);
    expect(new Set(all.map((c) => c.name.split(' > ')[0])).size).toBe(10);
  });

  it.each(all.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    await server.reset();
    const headers: Record<string, string> = {};
    const token = TOKENS[c.caller as keyof typeof TOKENS];
    if (token) headers.Authorization = `Bearer ${token}`;
    if (c.body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await server.raw(c.url, { method: c.method, headers, body: c.body === undefined ? undefined : JSON.stringify(c.body) });
    const text = await res.text();
    expect(res.status, text).toBe(c.status);
    expect(res.headers.get('content-type')).toContain(c.mediaType);
    const lines = c.mediaType === 'application/x-ndjson' ? text.trimEnd().split('\n').map((l) => JSON.parse(l)) : [JSON.parse(text)];
    // an NDJSON example shows its stream's only line
    expect(lines).toHaveLength(1);
    if (c.example['x-match'] === 'fields') fieldsOf(c.example.value, lines[0], c.example['x-match-ignore'] ?? []);
    else expect(lines[0]).toEqual(c.example.value);
  });
});
