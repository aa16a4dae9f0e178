// An event stream's x-stream-heartbeat: the mock writes its text on its beat while the stream is
// open, so a client written for the real server's idle heartbeats meets them here too.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSpec } from '../load-spec.ts';
import { heartbeatOf, type Heartbeat } from '../model.ts';
import { sendStream, type StreamKind } from '../streams.ts';
import { call, startMock } from './helpers.ts';

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

/** The whole body a client receives from one sendStream call. */
async function received(kind: StreamKind, body: unknown, intervalMs: number, heartbeat?: Heartbeat): Promise<string> {
  server = createServer((_req, res) => sendStream(res, 200, { 'content-type': kind === 'events' ? 'text/event-stream' : 'application/x-ndjson' }, kind, body, intervalMs, heartbeat));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/' }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve(text));
    })
      .on('error', reject)
      .end();
  });
}

const EVENTS = 'data: {"n":1}\n\ndata: {"n":2}\n\ndata: {"n":3}\n\n';
const BEAT = { text: '.\n', intervalMs: 15 };

describe('x-stream-heartbeat', () => {
  it('is read from the Chutes log stream as the spec declares it', async () => {
    const { model } = await loadSpec('spec/chutes/openapi.yaml');
    const logs = model.operations.find((op) => op.id === 'streamBuildLogs');
    expect(logs?.heartbeats.get('200 text/event-stream')).toEqual({ text: '.\n', intervalMs: 1000 });
    expect(logs?.heartbeats.get('200 text/plain')).toBeUndefined();
  });

  it.each([
    ['no value', undefined],
    ['a zero interval', { text: '.\n', 'interval-ms': 0 }],
    ['an empty text', { text: '', 'interval-ms': 1000 }],
  ])('a heartbeat with %s is none', (_name, value) => {
    expect(heartbeatOf({ 'x-stream-heartbeat': value })).toBeUndefined();
  });

  it('between events spaced wider than the beat, heartbeats arrive, and the events are intact', async () => {
    const text = await received('events', EVENTS, 60, BEAT);
    expect(text).toContain('.\n');
    expect(text.replaceAll('.\n', '')).toBe(EVENTS);
  });

  it('events sent at once get no heartbeat, and none is written after the end', async () => {
    expect(await received('events', EVENTS, 0, BEAT)).toBe(EVENTS);
  });

  it('a line stream never gets one (a heartbeat would be a line that is not an item)', async () => {
    expect(await received('lines', '{"n":1}\n{"n":2}\n', 60, BEAT)).toBe('{"n":1}\n{"n":2}\n');
  });

  it('the mock sends the spec\'s heartbeat on its beat between spaced events', async () => {
    // A contract of its own with a fast beat, so the test need not wait for a real second.
    const dir = mkdtempSync(join(tmpdir(), 'mock-heartbeat-'));
    const specPath = join(dir, 'openapi.yaml');
    writeFileSync(
      specPath,
      `openapi: 3.1.0
info: { title: Ticks, version: '1' }
paths:
  /ticks:
    get:
      operationId: ticks
      responses:
        '200':
          description: Ticks.
          content:
            text/event-stream:
              schema: { type: string }
              x-stream-heartbeat: { text: ": ping\\n", interval-ms: 15 }
              examples:
                three:
                  value: "data: 1\\n\\ndata: 2\\n\\ndata: 3\\n\\n"
`,
    );
    const mock = await startMock({ specPath, streamIntervalMs: 60 });
    try {
      const reply = await call(mock.url, 'GET', '/ticks');
      expect(reply.status).toBe(200);
      expect(reply.text).toContain(': ping\n');
      expect(reply.text.replaceAll(': ping\n', '')).toBe('data: 1\n\ndata: 2\n\ndata: 3\n\n');
    } finally {
      await mock.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
