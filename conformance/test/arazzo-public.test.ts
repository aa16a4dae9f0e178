// A public Arazzo example, run unchanged against the project's stateful mock through the CLI.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockApp, type MockApp } from '../../mock/app.ts';
import type { RunReport } from '../runner.ts';
import { runCliCaptured } from './run-cli.ts';

/**
 * Redocly's Museum API example (fixtures/arazzo/museum/SOURCE.md): chosen over the OAI examples
 * because its spec carries examples for every answer the workflows read (pet-coupons, oauth and
 * bnpl document no response bodies, or name parameters their spec does not have), and because it
 * uses what Arazzo files in the wild use: a `<source>.<operationId>` target, `operationPath`
 * steps, a `workflowId` step calling a workflow of another Arazzo document, workflow-level
 * parameters (its own Basic credentials), regex and jsonpath criteria in the `$.name == 'x'` form.
 */
const MUSEUM = 'conformance/test/fixtures/arazzo/museum';
// The spec's server URL has a path; the mock serves the spec at the root, so it is mounted there,
// as a reverse proxy would put it.
const SERVER_PATH = '/_mock/docs/openapi/museum-api';

let mock: MockApp;
let server: http.Server;
let origin = '';
beforeAll(async () => {
  mock = await createMockApp({ specPath: `${MUSEUM}/openapi.yaml`, stateful: true, watch: false, logger: { info: () => {}, error: () => {} } });
  server = http.createServer((req, res) => {
    if (req.url?.startsWith(SERVER_PATH)) req.url = req.url.slice(SERVER_PATH.length) || '/';
    mock.handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await mock.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe("Redocly's Museum API Arazzo example on the stateful mock", () => {
  it('runs unchanged and passes, every step judged', async () => {
    const r = await runCliCaptured([
      '--spec', `${MUSEUM}/openapi.yaml`,
      '--base-url', `${origin}${SERVER_PATH}`,
      '--workflows', `${MUSEUM}/arazzo`,
      '--check', 'success_criteria',
      '--reset-url', '/__mock/reset',
      '--reporter', 'json',
    ]);
    const report = JSON.parse(r.stdout) as RunReport;
    const failures = report.results.filter((x) => x.status === 'failed').map((x) => `${x.name}: ${x.message}`);
    expect(failures).toEqual([]);
    expect(r.code).toBe(0);
    const criteria = report.results.filter((x) => x.check === 'success_criteria' && x.status === 'passed').map((x) => x.label);
    expect(criteria).toEqual([
      'workflow get-museum-hours step get-museum-hours',
      'workflow get-museum-hours step buy-ticket > workflow get-museum-tickets step buy-tickets',
      'workflow events-crud step create-event',
      'workflow events-crud step get-event-by-id',
      'workflow events-crud step update-event',
      'workflow events-crud step delete-event',
      'workflow get-museum-tickets step buy-tickets', // the other document's workflow, run on its own too
    ]);
    expect(report.warnings).toEqual([]);
    // the event the workflow created is the one it reads, renames and deletes: outputs flowed
    const urls = (step: string) => report.results.find((x) => x.label === `workflow events-crud step ${step}`)!.request!.url;
    const created = urls('get-event-by-id').split('/').pop();
    expect(created).not.toBe('dad4bce8-f5cb-4078-a211-995864315e39'); // the example's id: the mock made a new one
    expect([urls('update-event'), urls('delete-event')].map((u) => u.split('/').pop())).toEqual([created, created]);
    // the workflow's own Basic credentials are masked like the suite's
    expect(r.stdout).not.toContain('Basic Og==');
  });
});
