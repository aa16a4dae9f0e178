// The three specs read as Specmatic and Microcks read them: a response example is a test only with the
// request parts that carry an example of the same name, and nothing else (no first example, no
// default, no value drawn from the schema); where an operation has request parts, Specmatic refuses a
// response example that none of them names (checked with Specmatic 2.55.1 on this machine). Run against the reference server, Specmatic once sent a
// literal `{id}` for a path parameter that named no example of the case's key. This reader knows
// nothing of spec-conventions/: it is the peer's reading, written down, and the suite must send
// exactly what it builds.
import { describe, expect, it } from 'vitest';
import { exampleCases } from '../../conformance/loader/example-cases.ts';
import { loadSpec } from '../../conformance/loader/load-spec.ts';
import { bundledSpec, bundlePathOf } from '../../server/shared/spec.ts';

// any: a JSON document walked by hand, every step checked by the expectations below
type Obj = Record<string, any>;
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

function resolve(doc: Obj, node: Obj): Obj {
  for (let hops = 0; typeof node?.$ref === 'string' && hops < 20; hops++) {
    node = (node.$ref as string).slice(2).split('/').reduce((at: Obj, key) => at[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
  }
  return node;
}

interface PeerRequest {
  operationId: string;
  key: string;
  /** What the peer could not find, one line each; empty when it can send the request. */
  missing: string[];
  url: string;
  query: Record<string, unknown>;
  headers: Record<string, unknown>;
  body?: unknown;
}

/** Every response example of the bundle, with the request a strict same-name reader builds for it. */
function readAsPeer(doc: Obj): PeerRequest[] {
  const out: PeerRequest[] = [];
  for (const [template, rawItem] of Object.entries(doc.paths as Obj)) {
    const item = resolve(doc, rawItem);
    for (const method of METHODS.filter((m) => item[m])) {
      const op = resolve(doc, item[method]);
      const params = new Map<string, Obj>();
      for (const raw of [...(item.parameters ?? []), ...(op.parameters ?? [])]) {
        const p = resolve(doc, raw);
        params.set(`${p.in}:${p.name}`, p);
      }
      const body = op.requestBody ? resolve(doc, op.requestBody) : undefined;
      for (const [status, rawResponse] of Object.entries(op.responses as Obj)) {
        for (const [mediaType, media] of Object.entries((resolve(doc, rawResponse).content ?? {}) as Obj)) {
          for (const key of Object.keys(media.examples ?? {})) {
            const request: PeerRequest = { operationId: op.operationId, key, missing: [], url: template, query: {}, headers: {} };
            const named = (p: Obj) => (p.examples && key in p.examples ? { value: resolve(doc, p.examples[key]).value } : undefined);
            for (const p of params.values()) {
              const ex = named(p);
              if (p.in === 'path') {
                if (ex) request.url = request.url.replace(`{${p.name}}`, encodeURIComponent(String(ex.value)));
                else request.missing.push(`${status} ${mediaType} "${key}": path parameter ${p.name}`);
              } else if (p.in === 'query' || p.in === 'header') {
                if (ex) (p.in === 'query' ? request.query : request.headers)[p.name] = ex.value;
                else if (p.required) request.missing.push(`${status} ${mediaType} "${key}": required ${p.in} parameter ${p.name}`);
              }
            }
            const bodyExample = Object.values((body?.content ?? {}) as Obj).find((m: Obj) => m.examples && key in m.examples);
            if (bodyExample) request.body = resolve(doc, bodyExample.examples[key]).value;
            else if (body?.required) request.missing.push(`${status} ${mediaType} "${key}": required request body`);
            // Specmatic: "Response example named K has no associated request example named K"
            const hasParts = [...params.values()].some((p) => p.in !== 'cookie') || body !== undefined;
            const namesOne = [...params.values()].some((p) => p.in !== 'cookie' && named(p)) || bodyExample !== undefined;
            if (hasParts && !namesOne) request.missing.push(`${status} ${mediaType} "${key}": no request part names it`);
            if (/\{[^}]*\}/.test(request.url)) request.missing.push(`${status} ${mediaType} "${key}": the URL ${request.url} still holds a template`);
            out.push(request);
          }
        }
      }
    }
  }
  return out;
}

const CONTRACTS = ['images', 'stackrox', 'chutes'] as const;

describe('the specs read as Specmatic and Microcks read them (same example name, no fallback)', () => {
  it.each(CONTRACTS)('%s: every response example finds each part its request needs under its own name', (contract) => {
    const requests = readAsPeer(bundledSpec(bundlePathOf(contract)));
    expect(requests.length).toBeGreaterThan(30);
    expect(requests.flatMap((r) => r.missing.map((m) => `${r.operationId} ${m}`))).toEqual([]);
  });

  it.each(CONTRACTS)('%s: the conformance suite sends exactly the request the peer builds', async (contract) => {
    const peer = new Map(readAsPeer(bundledSpec(bundlePathOf(contract))).map((r) => [`${r.operationId} ${r.key}`, r]));
    const spec = await loadSpec(`spec/${contract}/openapi.yaml`);
    expect(spec.sameKey).toBe(true);
    const cases = exampleCases(spec).filter((c) => c.kind === 'example');
    expect(cases.length).toBe(peer.size);
    for (const c of cases) {
      const key = c.label.replace(/^example (\S+).*$/, '$1');
      const expected = peer.get(`${c.operationId} ${key}`);
      const plan = c.request;
      const url = plan.pathTemplate.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(String(plan.pathParams[name])));
      expect({ case: c.name, url, query: Object.fromEntries(plan.query), headers: plan.headers, body: plan.body?.value, specError: c.specError })
        .toEqual({ case: c.name, url: expected?.url, query: expected?.query, headers: expected?.headers, body: expected?.body, specError: undefined });
    }
  });
});
