// The suite against an implementation that misbehaves below HTTP (issue 15, item 11): each hostile
// endpoint fails its own case with the reason, the run goes on to the end, every reporter writes a
// complete report, and an oversized answer is read only up to the byte cap. Timeouts are small flags
// so the run is quick; nothing here measures time.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckName, CheckResult } from '../model.ts';
import type { RunReport } from '../runner.ts';
import { type HostileServer, startHostileServer } from './fixtures/hostile-server.ts';
import { type CliRun, runCliCaptured } from './run-cli.ts';

const SPEC = path.resolve('conformance/test/fixtures/hostile-api/openapi.yaml');
const CAP = 1024 * 1024;
const EXAMPLE_CHECKS: CheckName[] = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_schema_conformance',
  'response_headers_conformance',
  'example_match',
];
const hostileArgs = (server: HostileServer, ...extra: string[]) => [
  '--base-url', server.url, '--spec', SPEC, '--no-reset', '--max-response-bytes', '1MiB', ...extra,
];

let server: HostileServer;
let run: CliRun;
let report: RunReport;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'conformance-hostile-'));
const out = path.join(tmp, 'reports');

beforeAll(async () => {
  server = await startHostileServer();
  run = await runCliCaptured(
    hostileArgs(server, '--request-timeout', '200', '--reporter', 'console', '--reporter', 'json', '--reporter', 'junit', '--reporter', 'html', '--output', `${out}/`),
    tmp,
  );
  report = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8')) as RunReport;
});
afterAll(async () => {
  await server.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const resultsOf = (operationId: string, label = 'example ok') => report.results.filter((r) => r.operationId === operationId && r.label === label);
const byCheck = (results: CheckResult[]) => Object.fromEntries(results.map((r) => [r.check, r.status]));

describe('a hostile implementation fails its cases, and the run goes on', () => {
  it('ends with exit 1, no error line, and a complete report from every reporter', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    // every case ran: 8 examples, 8 method probes, 3 workflow steps
    expect(report.summary.cases).toBe(19);
    expect(new Set(report.results.map((r) => r.operationId)).size).toBe(8);
    const xml = fs.readFileSync(path.join(out, 'junit.xml'), 'utf8');
    expect(xml.match(/<testcase /g)).toHaveLength(report.results.length);
    expect(xml).toContain(`<testsuites name="conformance Hostile API (conformance test fixture)" tests="${report.results.length}" failures="${report.summary.failed}"`);
    const html = fs.readFileSync(path.join(out, 'report.html'), 'utf8');
    expect(html).toContain('<span class="verdict failed" id="verdict">FAILED</span>');
    expect(html.match(/<tr class="result /g)).toHaveLength(report.results.length);
    expect(run.stdout).toMatch(/\nFAILED: \d+ passed, [1-9]\d* failed, \d+ skipped; 19 cases, 18 requests/);
  });

  // Each row: the operation, what the implementation does, and why its example's checks fail.
  it.each<[string, string, RegExp]>([
    ['hangsBeforeHeaders', 'accepts the connection and never answers', /^expected a complete HTTP answer, got no status line and headers within the request timeout \(200 ms\)$/],
    ['hangsMidBody', 'stops in the middle of its body', /^expected a complete HTTP answer, got a body still unfinished at the request timeout \(200 ms\), 12 bytes read$/],
    ['dripsForever', 'never ends a chunked body, a byte at a time', /^expected a complete HTTP answer, got a body still unfinished at the request timeout \(200 ms\), \d+ bytes read$/],
    ['resetsTheSocket', 'resets the connection', /^expected a complete HTTP answer, got the connection reset by the server \(ECONNRESET\) before the headers$/],
    ['closesMidBody', 'closes the connection 90 bytes short of its Content-Length', /^expected a complete HTTP answer, got the connection closed by the server after the headers and 10 bytes of the body$/],
    ['sendsGarbage', 'answers with another protocol', /^expected a complete HTTP answer, got an answer that is not HTTP \((HPE_INVALID_CONSTANT|parse error): .*\) before the headers$/],
  ])('%s (%s): every check of its example fails, saying what happened', (operationId, _what, reason) => {
    const results = resultsOf(operationId);
    expect(results.map((r) => r.check)).toEqual(EXAMPLE_CHECKS);
    for (const r of results) {
      expect(r.status).toBe('failed');
      expect(r.message).toMatch(reason);
    }
    // its method probe, sent after it, is answered properly and passes
    const probe = report.results.filter((r) => r.operationId === operationId && r.check === 'unsupported_method');
    expect(probe.map((r) => r.status)).toEqual(['passed']);
  });

  it('an answer over the byte cap: the checks that need the body fail saying where it was cut, the others judge the headers', () => {
    const results = resultsOf('sendsTooMuch');
    expect(byCheck(results)).toEqual({
      not_a_server_error: 'passed',
      status_code_conformance: 'passed',
      content_type_conformance: 'passed',
      response_schema_conformance: 'failed',
      response_headers_conformance: 'passed',
      example_match: 'failed',
    });
    for (const r of results.filter((x) => x.status === 'failed')) {
      expect(r.message).toBe(`expected the whole body, got a body cut at ${CAP} bytes (the --max-response-bytes cap)`);
    }
  });

  it('the healthy operation after them passes every check', () => {
    expect(new Set(resultsOf('healthy').map((r) => r.status))).toEqual(new Set(['passed']));
  });

  it('a workflow step with no answer fails, and the steps after it are skipped', () => {
    const steps = report.results.filter((r) => r.kind === 'workflow');
    const status = (label: string) => steps.filter((r) => r.label === label).map((r) => r.status);
    expect(new Set(status('workflow brokenJourney step before'))).toEqual(new Set(['passed']));
    expect(new Set(status('workflow brokenJourney step reset'))).toEqual(new Set(['failed']));
    expect(steps.find((r) => r.label === 'workflow brokenJourney step reset' && r.check === 'success_criteria')?.message).toMatch(/ECONNRESET/);
    expect(steps.filter((r) => r.label === 'workflow brokenJourney step after')).toMatchObject([
      { status: 'skipped', message: 'an earlier step (reset) failed' },
    ]);
  });

  it('the console says a case with no answer once, naming its checks', () => {
    expect(run.stdout).toContain(
      `FAIL [4/19] Hostile > resetsTheSocket > example ok > ${EXAMPLE_CHECKS.join(', ')}\n     expected a complete HTTP answer, got the connection reset by the server (ECONNRESET) before the headers\n`,
    );
  });
});

describe('an answer far over the byte cap', () => {
  it('is read only up to the cap: bytes taken from the server and memory grow with the cap, not with the body', async () => {
    const body = 256 * 1024 * 1024;
    const big = await startHostileServer(body);
    try {
      // The default request timeout: only the cap may stop the reading here.
      const argv = hostileArgs(big, '--operation', 'sendsTooMuch', '--no-workflows', '--reporter', 'json');
      await runCliCaptured(argv); // warm-up: the spec load, ajv and undici pay their memory once
      const before = process.memoryUsage.rss();
      let peak = before;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage.rss());
      }, 1);
      let result: CliRun;
      try {
        result = await runCliCaptured(argv);
      } finally {
        clearInterval(sampler);
      }
      peak = Math.max(peak, process.memoryUsage.rss());
      expect(result.code).toBe(1);
      const cut = (JSON.parse(result.stdout) as RunReport).results.find((r) => r.check === 'response_schema_conformance');
      expect(cut?.message).toContain(`cut at ${CAP} bytes`);
      // What the server could hand over before the suite hung up: the cap plus the sockets' buffers.
      expect(big.oversizedBytesWritten()).toBeLessThan(body / 16);
      // Reading the whole body would hold it at least twice (bytes and text): over 500 MiB.
      expect(peak - before).toBeLessThan(32 * CAP);
    } finally {
      await big.close();
    }
  });
});
