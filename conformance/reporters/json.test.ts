// The JSON report is written piece by piece (a result at a time) so a large spec's report is never
// one string: the pieces must still be exactly JSON.stringify(masked report, null, 2).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../runner.ts';
import { type NotesServer, startNotesServer } from '../test/fixtures/notes-server.ts';
import { NOTES_CONFIG, runCliCaptured } from '../test/run-cli.ts';
import { jsonReport, maskReport } from './json.ts';

const base = {
  spec: { title: 'T', version: '1', file: 'a.yaml' },
  baseUrl: 'http://127.0.0.1:1',
  notices: ['line one\nline two'],
  startedAt: '2026-12-03T00:00:00.000Z',
  durationMs: 1,
  requests: 2,
  resets: 0,
  summary: { passed: 1, failed: 1, skipped: 0, byCheck: {}, cases: 2 },
  coverage: [],
  warnings: [],
};
const result = (over: object) => ({ check: 'status_code_conformance', status: 'passed', name: 'case', message: 'a "quoted"\nmessage', ...over });

describe('the JSON report, piece by piece', () => {
  it.each<[string, object]>([
    ['no results, undefined members left out', { ...base, results: [], firstRequest: undefined, seed: undefined }],
    ['one result without a request', { ...base, results: [result({})] }],
    [
      'results with requests: credentials masked in each, bytes dropped',
      {
        ...base,
        seed: 7,
        results: [
          result({ request: { method: 'GET', url: '/a', headers: { Authorization: 'Bearer secret-token', 'X-Key': 'k-123' }, secretHeaders: ['x-key'], bytes: 12 } }),
          result({ status: 'failed', request: { method: 'POST', url: '/b', headers: { Cookie: 'a=1; b=2' }, body: { nested: [1, { deep: 'x\ny' }] } } }),
          result({ extra: undefined }),
        ],
      },
    ],
  ])('%s', (_what, report) => {
    const text = jsonReport(report as RunReport);
    expect(text).toBe(`${JSON.stringify(maskReport(report as RunReport), null, 2)}\n`);
    expect(text).not.toContain('secret-token');
  });

  it('masks every cookie of a Cookie header, not only the last', () => {
    const report = { ...base, results: [result({ request: { method: 'GET', url: '/a', headers: { Cookie: 'session=s3cr3t-value; theme=dark' } } })] };
    const text = jsonReport(report as unknown as RunReport);
    expect(text).toContain('session=s3c***; theme=dar***');
    expect(text).not.toContain('s3cr3t');
  });
});

describe('written to a file by a run', () => {
  let server: NotesServer;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'conformance-json-'));
  beforeAll(async () => {
    server = await startNotesServer();
  });
  afterAll(async () => {
    await server.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('is the pretty-printed JSON of the report, with no token in it', async () => {
    const file = path.join(tmp, 'report.json');
    const run = await runCliCaptured(['--config', NOTES_CONFIG, '--base-url', server.url, '--reporter', 'json', '--output', file]);
    expect(run.code).toBe(0);
    const text = fs.readFileSync(file, 'utf8');
    const report = JSON.parse(text) as RunReport;
    expect(report.results.length).toBeGreaterThan(10);
    expect(text).toBe(`${JSON.stringify(report, null, 2)}\n`);
    expect(text).not.toContain('ann-token');
  });
});
