// The conformance suite, unchanged, run through the validating proxy: against the reference servers
// of the three contracts and against the mock serving a foreign spec. The suite must pass as it does
// without the proxy (the traffic is not changed), the proxy must find no fault in any answer, and its
// coverage matrix, filled from the traffic alone, must equal the suite's own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../../conformance/runner.ts';
import { runCliCaptured } from '../../../conformance/test/run-cli.ts';
import { hits } from '../../../conformance/coverage.ts';
import { startMock, type Running } from '../../test/helpers.ts';
import { type RunningProxy, serve, startProxy } from './helpers.ts';

let upstream: { url: string; close(): Promise<void> };
beforeAll(async () => {
  const { createReferenceServer } = await import('../../../server/contracts.ts');
  const { pino } = await import('pino');
  upstream = await serve(createReferenceServer({ logger: pino({ level: 'silent' }), controlApi: true }));
});
afterAll(async () => {
  await upstream?.close();
});

const pathOf = (url: string) => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};

async function throughProxy(proxy: RunningProxy, argv: string[]): Promise<{ suite: RunReport; traffic: RunReport }> {
  const run = await runCliCaptured([...argv, '--base-url', proxy.url, '--seed', '7', '--reporter', 'json']);
  expect(run.stderr).toBe('');
  return { suite: JSON.parse(run.stdout) as RunReport, traffic: proxy.proxy.report() };
}

function expectSameTraffic({ suite, traffic }: { suite: RunReport; traffic: RunReport }): void {
  // The suite passes through the proxy: nothing it judges was changed on the way.
  expect(suite.results.filter((r) => r.status === 'failed').map((r) => `${r.name}: ${r.message}`)).toEqual([]);
  // No answer broke the contract. The only requests that did are those the suite broke on purpose,
  // which the server refused (4xx, 405 for a method), and its reachability check of the base URL,
  // which the spec does not document: the proxy flags no request the server accepted.
  const answerFaults = traffic.results.filter((r) => r.status === 'failed' && r.check !== 'request_conformance');
  expect(answerFaults.map((r) => `${r.name}: ${r.message}`)).toEqual([]);
  const refused = (status: number | undefined) => status !== undefined && status >= 400 && status < 500;
  const deliberate = new Set(suite.results.filter((r) => r.request && refused(r.responseStatus)).map((r) => `${r.request!.method} ${pathOf(r.request!.url)}`));
  const base = pathOf(suite.baseUrl.endsWith('/') ? suite.baseUrl : `${suite.baseUrl}/`);
  const flagged = traffic.results.filter((r) => r.check === 'request_conformance' && r.status === 'failed').map((r) => `${r.request!.method} ${pathOf(r.request!.url)}`);
  expect(flagged.filter((f) => !deliberate.has(f) && f !== `GET ${base}` && f !== `GET ${base.replace(/\/$/, '')}`)).toEqual([]);
  expect(flagged.length).toBeGreaterThan(0);
  // The coverage matrix from traffic alone equals the suite's own, cell by cell.
  const matrix = (report: RunReport) =>
    Object.fromEntries(report.coverage.flatMap((row) => [...row.cells.map((c) => [`${row.operationId} ${c.status}`, hits(c)]), [`${row.operationId} undocumented`, [...row.undocumented].sort().join(',')]]));
  expect(matrix(traffic)).toEqual(matrix(suite));
  expect(traffic.requests).toBeGreaterThan(0);
}

describe.each([
  ['images', 'conformance.images.json', '/__control/reset'],
  ['stackrox', 'conformance.stackrox.json', '/__control/stackrox/reset'],
  ['chutes', 'conformance.chutes.json', '/__control/chutes/reset'],
])('the suite through the proxy against the %s reference server', (_name, config, reset) => {
  // A whole suite run per contract (the Chutes workflow watches a build to its end): a hang guard, not a speed limit.
  it('passes as without the proxy, no answer at fault, the same coverage matrix', { timeout: 180_000 }, async () => {
    const { readConfig } = await import('../../../conformance/config.ts');
    const proxy = await startProxy(readConfig(config, process.cwd()).spec!, upstream.url, { quiet: true });
    try {
      // Resets go straight to the upstream: the control API is not part of the contract.
      const result = await throughProxy(proxy, ['--config', config, '--reset-url', `${upstream.url}${reset}`]);
      expectSameTraffic(result);
      expect(proxy.lines).toEqual([]); // quiet: only violations are logged
    } finally {
      await proxy.close();
    }
  });
});

describe('the suite through the proxy against the mock serving a foreign spec (petstore3)', () => {
  const SPEC = 'conformance/test/fixtures/foreign/petstore3/openapi.yaml';
  let mock: Running;
  beforeAll(async () => {
    mock = await startMock({ specPath: SPEC, credentials: [{ role: 'owner', kind: 'token', value: 'foreign-demo-token' }], strictAuth: true, watch: false, quiet: true });
  });
  afterAll(async () => {
    await mock?.close();
  });

  it('passes as without the proxy, no answer at fault, the same coverage matrix', { timeout: 180_000 }, async () => {
    const proxy = await startProxy(SPEC, mock.url, { quiet: true });
    try {
      expectSameTraffic(await throughProxy(proxy, ['--spec', SPEC, '--token', 'foreign-demo-token']));
    } finally {
      await proxy.close();
    }
  });
});
