// The suite, unchanged, against the reference servers of the second and third contracts (StackRox:
// grpc-gateway errors, roles, Basic, an NDJSON export; Chutes: FastAPI errors, multipart create with a
// zip, event-stream and text logs, API keys), each with its top-level config, plus one faulty variant
// per new kind of answer, caught by the right check.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../conformance/runner.ts';
import { runCliCaptured } from '../../conformance/test/run-cli.ts';

const closers: (() => Promise<void>)[] = [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'conformance-contracts-'));
afterAll(async () => {
  for (const close of closers) await close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Rewrites what the app writes (body text) for the requests `applies` picks: a faulty implementation. */
type Fault = { applies: (req: http.IncomingMessage, res: http.ServerResponse) => boolean; rewrite: (text: string) => string };

async function serve(app: Express, fault?: Fault): Promise<string> {
  const server = http.createServer((req, res) => {
    if (fault) {
      const write = res.write.bind(res) as (chunk: unknown, ...rest: unknown[]) => boolean;
      const end = res.end.bind(res) as (chunk?: unknown, ...rest: unknown[]) => http.ServerResponse;
      const change = (chunk: unknown) =>
        (typeof chunk === 'string' || Buffer.isBuffer(chunk)) && fault.applies(req, res) ? fault.rewrite(chunk.toString()) : chunk;
      res.write = ((chunk: unknown, ...rest: unknown[]) => write(change(chunk), ...rest)) as typeof res.write;
      res.end = ((chunk?: unknown, ...rest: unknown[]) => {
        if (!res.headersSent && chunk !== undefined && typeof chunk !== 'function') res.removeHeader('content-length');
        return end(typeof chunk === 'function' ? chunk : change(chunk), ...rest);
      }) as typeof res.end;
    }
    app(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function stackroxApp(): Promise<Express> {
  const { createStackroxApp } = await import('../../server/stackrox/app.ts');
  const { fixtureClock } = await import('../../server/shared/clock.ts');
  const { loadDemoFixture } = await import('../../server/stackrox/store/fixture.ts');
  const { MemoryStore } = await import('../../server/stackrox/store/memory-store.ts');
  const fixture = loadDemoFixture();
  return createStackroxApp({ store: new MemoryStore(fixture), clock: fixtureClock(fixture.clock), control: { fixture } });
}

async function chutesApp(): Promise<Express> {
  const { createChutesApp } = await import('../../server/chutes/app.ts');
  const { fixtureClock } = await import('../../server/shared/clock.ts');
  const { loadDemoFixture } = await import('../../server/chutes/store/fixture.ts');
  const { MemoryStore } = await import('../../server/chutes/store/memory-store.ts');
  const fixture = loadDemoFixture();
  // the demo clock runs in real time, so a running build ends and its event stream with it
  return createChutesApp({ store: new MemoryStore(fixture), clock: fixtureClock(fixture.clock), control: { fixture }, heartbeatMs: 100 });
}

async function run(argv: string[]): Promise<{ code: number; report: RunReport; seconds: number }> {
  const started = performance.now();
  const result = await runCliCaptured([...argv, '--reporter', 'json']);
  expect(result.stderr).toBe('');
  return { code: result.code, report: JSON.parse(result.stdout) as RunReport, seconds: (performance.now() - started) / 1000 };
}

const failures = (report: RunReport) => report.results.filter((r) => r.status === 'failed').map((r) => `${r.name}: ${r.message}`);
const summary = (what: string, r: { report: RunReport; seconds: number }) =>
  `${what}: ${r.report.summary.cases} cases, ${r.report.requests} requests, ${r.report.resets} resets, ` +
  `${r.report.summary.passed} checks passed, ${r.report.summary.failed} failed, ${r.report.summary.skipped} skipped, in ${r.seconds.toFixed(2)} s`;

describe('against the StackRox reference server (conformance.stackrox.json)', () => {
  it('passes examples, probes and workflows, and again without a restart', async () => {
    const url = await serve(await stackroxApp());
    for (const round of [1, 2]) {
      const r = await run(['--config', 'conformance.stackrox.json', '--base-url', url]);
      console.log(summary(`StackRox, run ${round}`, r));
      expect(failures(r.report)).toEqual([]);
      expect(r.code).toBe(0);
      const passedChecks = new Set(r.report.results.filter((x) => x.status === 'passed').map((x) => x.check));
      // roles other than the default are probed, and the NDJSON export is replayed
      expect(passedChecks).toContain('cross_user_access');
      expect(r.report.results.some((x) => x.operationId === 'exportImages' && x.check === 'example_match' && x.status === 'passed')).toBe(true);
      expect(r.report.results.filter((x) => x.check === 'success_criteria' && x.status === 'passed').length).toBeGreaterThanOrEqual(10);
    }
  });

  it('passes with Basic credentials for the default role (--token admin=user:password)', async () => {
    const url = await serve(await stackroxApp());
    const r = await run(['--config', 'conformance.stackrox.json', '--base-url', url, '--no-workflows', '--tag', 'Images', '--token', 'admin=admin:stackrox-demo-password']);
    expect(failures(r.report)).toEqual([]);
    const sent = r.report.results.find((x) => x.request?.headers.authorization?.startsWith('Basic '));
    expect(sent?.request?.headers.authorization).toBe('Basic YWR***'); // masked in the report
  });

  it('fails response_schema_conformance on an export line that breaks the line schema, naming the line', async () => {
    const url = await serve(await stackroxApp(), {
      applies: (req, res) => req.url!.startsWith('/v1/export/images') && res.statusCode === 200,
      // every image line gains a property the line schema does not allow
      rewrite: (text) => text.replace(/^\{"result":/gm, '{"unexpected":true,"result":'),
    });
    const r = await run(['--config', 'conformance.stackrox.json', '--base-url', url, '--operation', 'exportImages', '--no-workflows']);
    expect(r.code).toBe(1);
    const failed = r.report.results.filter((x) => x.status === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    expect(new Set(failed.map((x) => x.check))).toEqual(new Set(['response_schema_conformance', 'example_match']));
    const schema = failed.find((x) => x.check === 'response_schema_conformance')!;
    expect(schema.message).toMatch(/^expected every line valid against the schema .* at \/0/);
  });
});

describe('against the Chutes reference server (conformance.chutes.json)', () => {
  it('passes examples (multipart create with a zip, event stream, text logs), probes and the workflow', async () => {
    const url = await serve(await chutesApp());
    const r = await run(['--config', 'conformance.chutes.json', '--base-url', url]);
    console.log(summary('Chutes', r));
    expect(failures(r.report)).toEqual([]);
    expect(r.code).toBe(0);
    const passed = (label: string, check: string) => r.report.results.some((x) => x.label === label && x.check === check && x.status === 'passed');
    expect(passed('example create', 'example_match')).toBe(true); // the zip went as a file part
    expect(passed('example not-a-zip', 'example_match')).toBe(true);
    expect(passed('example finished', 'example_match')).toBe(true); // text/plain, exact
    expect(passed('example streaming', 'response_schema_conformance')).toBe(true);
    expect(passed('workflow imageLifecycle step getByName', 'success_criteria')).toBe(true); // the stream was read to its end
  });

  it('checks each event of the log stream against the schema of one event, and fails a broken one', async () => {
    const spec = 'spec/chutes/openapi.yaml'; // its event stream names the schema of one event (x-item-schema)
    const good = await run(['--spec', spec, '--config', 'conformance.chutes.json', '--base-url', await serve(await chutesApp()), '--operation', 'streamBuildLogs', '--no-workflows']);
    expect(failures(good.report)).toEqual([]);
    const url = await serve(await chutesApp(), {
      applies: (_req, res) => String(res.getHeader('content-type')).startsWith('text/event-stream'),
      rewrite: (text) => text.replace('"log_type":"stdout"', '"log_type":42'),
    });
    const r = await run(['--spec', spec, '--config', 'conformance.chutes.json', '--base-url', url, '--operation', 'streamBuildLogs', '--no-workflows']);
    expect(r.code).toBe(1);
    const failed = r.report.results.filter((x) => x.status === 'failed');
    expect([...new Set(failed.map((x) => x.check))]).toEqual(['response_schema_conformance']);
    expect(failed[0]!.message).toMatch(/^expected every event valid against the schema \(must be string\), got 42 .*at \/\d+\/log\/log_type$/);
  });

  it('fails response_schema_conformance on an error body in another shape than FastAPI\'s {"detail"}', async () => {
    const url = await serve(await chutesApp(), {
      applies: (_req, res) => res.statusCode === 404 && String(res.getHeader('content-type')).startsWith('application/json'),
      rewrite: (text) => JSON.stringify({ statusCode: 404, error: 'Not Found', message: (JSON.parse(text) as { detail: string }).detail }),
    });
    const r = await run(['--config', 'conformance.chutes.json', '--base-url', url, '--operation', 'getImage', '--no-workflows']);
    expect(r.code).toBe(1);
    const failed = r.report.results.filter((x) => x.status === 'failed' && x.check === 'response_schema_conformance');
    expect(failed.map((x) => x.label)).toEqual(expect.arrayContaining(['example private-of-other', 'example unknown']));
    expect(failed[0]!.message).toBe('expected a body valid against the schema (a required property), got nothing at /detail');
  });
});
