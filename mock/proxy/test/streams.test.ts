// Streamed answers pass through the proxy as they arrive: the upstream sends an item, waits until the
// client has read it through the proxy, then sends the next (no timing involved); the items are then
// judged against the schema of one item, as the suite judges them. Bodies past the proxy's bound pass
// unjudged past it, and the report says so.
import { afterEach, describe, expect, it } from 'vitest';
import { loadSpec } from '../../../conformance/loader/load-spec.ts';
import type { OperationSpec } from '../../../conformance/model.ts';
import { type RunningProxy, serve, startProxy } from './helpers.ts';

const STACKROX = 'spec/stackrox/openapi.yaml';
const CHUTES = 'spec/chutes/openapi.yaml';

let proxy: RunningProxy | undefined;
let upstream: { url: string; close(): Promise<void> } | undefined;
afterEach(async () => {
  await proxy?.close();
  await upstream?.close();
  proxy = upstream = undefined;
});

/** Resolves when the test says the upstream may send its next item. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

async function exampleOf(specPath: string, path: string, mediaType: string): Promise<{ op: OperationSpec; value: unknown }> {
  const spec = await loadSpec(specPath);
  const op = spec.operations.find((o) => o.path === path && o.method === 'get')!;
  const value = op.responses.find((r) => r.status === '200')!.content.find((c) => c.mediaType === mediaType)!.examples.values().next().value!.value;
  return { op, value };
}

interface StreamCase {
  name: string;
  spec: string;
  path: string;
  mediaType: string;
  /** The request path and headers through the proxy. */
  request: (op: OperationSpec) => { path: string; headers: Record<string, string> };
  /** Two valid items (as sent on the wire) and an invalid one, from the spec's own example. */
  items: (value: unknown) => { good: [string, string]; bad: string; ending: string };
  /** The headers the answer documents. */
  headers: Record<string, string>;
  /** Where the invalid second item is reported. */
  pointer: RegExp;
}

const CASES: StreamCase[] = [
  {
    name: 'NDJSON (StackRox image export)',
    spec: STACKROX,
    path: '/v1/export/images',
    mediaType: 'application/x-ndjson',
    headers: { 'cache-control': 'no-store, no-cache' },
    request: () => ({ path: '/v1/export/images', headers: { authorization: 'Bearer admin-demo-token' } }),
    items: (value) => {
      const line = `${JSON.stringify(value)}\n`;
      return { good: [line, line], bad: `${JSON.stringify({ result: { image: 'not an image' } })}\n`, ending: '' };
    },
    pointer: /at \/1\/result\/image$/,
  },
  {
    name: 'server-sent events (Chutes build log)',
    spec: CHUTES,
    path: '/images/{image_id}/logs',
    mediaType: 'text/event-stream',
    headers: {},
    request: (op) => ({ path: `/images/${String(op.parameters.find((p) => p.name === 'image_id')!.examples.values().next().value ?? '69909454-4d85-5614-9036-7d67c4f30d5f')}/logs`, headers: {} }),
    items: (value) => {
      const events = String(value).split('\n\n').filter((e) => e.startsWith('data:'));
      return { good: [`${events[0]}\n\n`, `${events[1]}\n\n`], bad: 'data: {"log":42}\n\n', ending: 'DONE\n\n' };
    },
    pointer: /at \/1/,
  },
];

/** Reads until `wanted` (the whole text expected so far) has arrived. */
async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, received: { text: string }, wanted: string): Promise<void> {
  const decoder = new TextDecoder();
  while (received.text.length < wanted.length) {
    const next = await reader.read();
    if (next.done) throw new Error(`the stream ended after ${received.text.length} of ${wanted.length} characters`);
    received.text += decoder.decode(next.value, { stream: true });
  }
}

describe.each(CASES)('$name through the proxy', (c) => {
  it.each([
    ['valid items', false],
    ['an invalid second item', true],
  ])('arrives item by item, %s judged per item', async (_what, broken) => {
    const { op, value } = await exampleOf(c.spec, c.path, c.mediaType);
    const { good, bad, ending } = c.items(value);
    const second = broken ? bad : good[1];
    const gates = [gate(), gate()];
    upstream = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': c.mediaType, ...c.headers });
      res.write(good[0]);
      void gates[0]!.opened.then(() => {
        res.write(second);
        return gates[1]!.opened;
      }).then(() => res.end(ending));
    });
    proxy = await startProxy(c.spec, upstream.url);
    const { path, headers } = c.request(op);
    const res = await fetch(`${proxy.url}${path}`, { headers });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(c.mediaType);
    const reader = res.body!.getReader();
    const received = { text: '' };
    // Each item is read through the proxy while the upstream still holds back the next one.
    await readUntil(reader, received, good[0]);
    expect(received.text).toBe(good[0]);
    gates[0]!.open();
    await readUntil(reader, received, `${good[0]}${second}`);
    expect(received.text).toBe(`${good[0]}${second}`);
    gates[1]!.open();
    for (let next = await reader.read(); !next.done; next = await reader.read()) received.text += new TextDecoder().decode(next.value);
    expect(received.text).toBe(`${good[0]}${second}${ending}`);

    const schemaResults = proxy.proxy.report().results.filter((r) => r.check === 'response_schema_conformance');
    expect(schemaResults).toHaveLength(1);
    if (broken) {
      expect(schemaResults[0]).toMatchObject({ status: 'failed' });
      expect(schemaResults[0]!.message).toMatch(c.pointer);
      expect(proxy.errors).toEqual([expect.stringMatching(/1 violation: response_schema_conformance/)]);
    } else {
      expect(schemaResults[0]).toMatchObject({ status: 'passed' });
      expect(proxy.errors).toEqual([]);
    }
  });
});

describe('the body bound (--max-body-bytes)', () => {
  it('passes a JSON body longer than the bound unchanged and says it was not validated', async () => {
    const { value } = await exampleOf('spec/images/openapi.yaml', '/api/v1/images/public', 'application/json');
    const body = JSON.stringify(value);
    upstream = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
    proxy = await startProxy('spec/images/openapi.yaml', upstream.url, { maxBodyBytes: 100 });
    const res = await fetch(`${proxy.url}/api/v1/images/public`);
    expect(await res.text()).toBe(body);
    const schema = proxy.proxy.report().results.find((r) => r.check === 'response_schema_conformance')!;
    expect(schema).toMatchObject({ status: 'skipped', message: 'a body over 100 bytes (--max-body-bytes): not validated' });
    expect(proxy.lines).toEqual([expect.stringContaining('200 ok [a body over 100 bytes (--max-body-bytes): not validated]')]);
  });

  it('judges a stream on the items within the bound and passes the rest', async () => {
    const { value } = await exampleOf(STACKROX, '/v1/export/images', 'application/x-ndjson');
    const line = `${JSON.stringify(value)}\n`;
    const bad = `${JSON.stringify({ result: { image: 'not an image' } })}\n`;
    upstream = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store, no-cache' }).end(`${line}${bad}`));
    // The bound cuts the second line: the first is judged, the broken second passes unjudged.
    proxy = await startProxy(STACKROX, upstream.url, { maxBodyBytes: line.length + 5 });
    const res = await fetch(`${proxy.url}/v1/export/images`, { headers: { authorization: 'Bearer admin-demo-token' } });
    expect(await res.text()).toBe(`${line}${bad}`);
    expect(proxy.proxy.report().results.find((r) => r.check === 'response_schema_conformance')).toMatchObject({ status: 'passed' });
    expect(proxy.lines).toEqual([expect.stringContaining(`200 ok [stream judged on its first ${line.length + 5} bytes]`)]);
  });
});
