// Every replayable example of the Chutes contract is true of the reference server on its demo fixture:
// each case is built by the pairing convention of spec/README.md, sent over HTTP, and its answer
// compared as the example's x-match says. Event streams are read until their first heartbeat.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KEYS, startChutes, type ChutesTestServer } from '../../server/chutes/test/helpers.ts';
import { root } from '../helpers/sandbox.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- walking a parsed spec
const spec = JSON.parse(readFileSync(join(root, 'generated', 'chutes', 'openapi.json'), 'utf8')) as Json;
const deref = (node: Json): Json =>
  typeof node?.$ref === 'string' ? deref(node.$ref.slice(2).split('/').reduce((n: Json, k: string) => n[k.replace(/~1/g, '/').replace(/~0/g, '~')], spec)) : node;

const CALLERS: Record<string, string | undefined> = { owner: KEYS.alice, other: KEYS.bob, limited: KEYS.carol, none: undefined };

interface Case {
  name: string;
  method: string;
  url: string;
  form?: Json;
  caller: string;
  status: number;
  mediaType: string;
  example: Json;
}

function casesOf(): Case[] {
  const cases: Case[] = [];
  for (const [path, item] of Object.entries(spec.paths as Json)) {
    for (const [method, op] of Object.entries(item as Json)) {
      if (!['get', 'put', 'post', 'delete', 'patch'].includes(method)) continue; // path-level parameters, summary
      for (const [status, response] of Object.entries(op.responses as Json)) {
        for (const [mediaType, media] of Object.entries((deref(response).content ?? {}) as Json)) {
          for (const [key, ref] of Object.entries((media.examples ?? {}) as Json)) {
            const example = deref(ref);
            if (example['x-replayable'] === false) continue;
            const params = (op.parameters ?? []).map(deref);
            let url = path;
            const query = new URLSearchParams();
            for (const p of params) {
              const examples = p.examples ?? {};
              const chosen = examples[key] ?? (p.in === 'path' ? Object.values(examples)[0] : undefined);
              if (chosen === undefined) continue;
              if (p.in === 'path') url = url.replace(`{${p.name}}`, encodeURIComponent(String(chosen.value)));
              else query.set(p.name, String(chosen.value));
            }
            const bodyExamples = op.requestBody?.content?.['multipart/form-data']?.examples ?? {};
            const form = bodyExamples[key] ?? Object.values(bodyExamples)[0];
            cases.push({
              name: `${op.operationId} > ${key}`,
              method,
              url: `${url}${query.size ? `?${query}` : ''}`,
              form: form && deref(form).value,
              caller: example['x-caller'] ?? (op.security?.length ? 'owner' : 'none'),
              status: Number(status),
              mediaType,
              example,
            });
          }
        }
      }
    }
  }
  return cases;
}

function formOf(value: Json): FormData {
  const form = new FormData();
  for (const [name, v] of Object.entries(value)) {
    if (name === 'build_context') form.append(name, new Blob([Buffer.from(String(v), 'latin1')], { type: 'application/zip' }), 'build_context.zip');
    else form.append(name, String(v));
  }
  return form;
}

/** The parts of `example` that `fields` compares, minus the ignored pointers. */
function withoutIgnored(value: unknown, ignore: string[]): unknown {
  const copy = structuredClone(value) as Json;
  for (const pointer of ignore) {
    const keys = pointer.split('/').slice(1);
    const last = keys.pop()!;
    const parent = keys.reduce((n: Json | undefined, k) => n?.[k], copy);
    if (parent) delete parent[last];
  }
  return copy;
}

let s: ChutesTestServer;
beforeAll(async () => {
  s = await startChutes();
});
afterAll(() => s.close());
beforeEach(async () => {
  await s.raw('/__control/chutes/reset', { method: 'POST' });
});

const cases = casesOf();

describe('every replayable example of the Chutes contract', () => {
  it('covers every operation', () => {
    expect(new Set(cases.map((c) => c.name.split(' > ')[0])).size).toBe(5);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const key = CALLERS[c.caller];
    const response = await s.raw(c.url, { method: c.method.toUpperCase(), headers: key ? { Authorization: key } : {}, body: c.form ? formOf(c.form) : undefined });
    expect(response.status).toBe(c.status);
    expect(response.headers.get('content-type')?.split(';')[0]).toBe(c.mediaType);
    const match = c.example['x-match'] ?? 'exact';
    if (c.mediaType === 'text/event-stream') {
      const reader = response.body!.getReader();
      let text = '';
      while (!text.includes('.\n')) text += new TextDecoder().decode((await reader.read()).value);
      await reader.cancel();
      // what the stream sent before it caught up is the start of the example's events
      const sent = text.slice(0, text.indexOf('.\n'));
      expect(String(c.example.value).startsWith(sent)).toBe(true);
      return;
    }
    const body = c.mediaType === 'application/json' ? await response.json() : await response.text();
    if (match === 'exact') expect(body).toEqual(c.example.value);
    else if (match === 'fields') expect(body).toMatchObject(withoutIgnored(c.example.value, c.example['x-match-ignore'] ?? []) as Json);
  });
});
