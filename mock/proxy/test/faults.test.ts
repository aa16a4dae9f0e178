// The suite's faulty variants of its notes server, with the suite run through the proxy: each fault
// the suite finds in an answer, the proxy finds in the same answer, under the same check name and
// with the same message; and the answer carries the verdict in x-contract-violations.
import { afterEach, describe, expect, it } from 'vitest';
import type { RunReport } from '../../../conformance/runner.ts';
import { type Fault, type NotesServer, startNotesServer } from '../../../conformance/test/fixtures/notes-server.ts';
import { NOTES_CONFIG, runCliCaptured } from '../../../conformance/test/run-cli.ts';
import { type RunningProxy, startProxy } from './helpers.ts';

const NOTES_SPEC = 'conformance/test/fixtures/notes-api/openapi.yaml';
/** Checks that judge what the proxy can see; the others need the suite's intent (example_match, cross_user_access, ...). */
const PROXY_CHECKS = new Set(['status_code_conformance', 'content_type_conformance', 'response_schema_conformance', 'response_headers_conformance', 'negative_data_rejection', 'missing_auth', 'unsupported_method']);

let server: NotesServer | undefined;
let proxy: RunningProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  await server?.close();
  proxy = undefined;
  server = undefined;
});

async function through(fault: Fault): Promise<{ suite: RunReport; traffic: RunReport }> {
  server = await startNotesServer(fault);
  proxy = await startProxy(NOTES_SPEC, server.url, { quiet: true });
  const run = await runCliCaptured(['--base-url', proxy.url, '--config', NOTES_CONFIG, '--reset-url', `${server.url}/__control/reset`, '--seed', '3', '--reporter', 'json']);
  expect(run.stderr).toBe('');
  return { suite: JSON.parse(run.stdout) as RunReport, traffic: proxy.proxy.report() };
}

const failures = (report: RunReport, check: string) => report.results.filter((r) => r.status === 'failed' && r.check === check);

describe('the proxy on the faulty variants of the notes server', () => {
  // A request check's message names what was wrong with the request: the suite says what it broke
  // ("body.priority above maximum 5"), the proxy what it found ("body/priority: 6").
  it.each<[Fault, string, 'same message' | 'own message']>([
    ['wrong-status', 'status_code_conformance', 'same message'],
    ['wrong-content-type', 'content_type_conformance', 'same message'],
    ['missing-field', 'response_schema_conformance', 'same message'],
    ['wrong-type', 'response_schema_conformance', 'same message'],
    ['wrong-error-shape', 'response_schema_conformance', 'same message'],
    ['missing-header', 'response_headers_conformance', 'same message'],
    ['no-allow', 'unsupported_method', 'same message'],
    ['accepts-invalid', 'negative_data_rejection', 'own message'],
    ['auth-not-enforced', 'missing_auth', 'own message'],
  ])('%s: reported as %s (%s)', async (fault, check, message) => {
    const { suite, traffic } = await through(fault);
    const suiteMessages = new Set(failures(suite, check).map((r) => r.message));
    expect(suiteMessages.size).toBeGreaterThan(0);
    const proxyMessages = failures(traffic, check).map((r) => r.message);
    expect(proxyMessages.length).toBeGreaterThan(0);
    if (message === 'same message') expect(proxyMessages.some((m) => suiteMessages.has(m))).toBe(true);
    // Every answer check the suite failed, the proxy failed too.
    const suiteChecks = new Set(suite.results.filter((r) => r.status === 'failed' && PROXY_CHECKS.has(r.check)).map((r) => r.check));
    const proxyChecks = new Set(traffic.results.filter((r) => r.status === 'failed').map((r) => r.check));
    expect([...suiteChecks].filter((c) => !proxyChecks.has(c))).toEqual([]);
  });

  it.each<[Fault, string, string]>([
    ['wrong-status', 'POST', 'status_code_conformance'],
    ['wrong-content-type', 'GET', 'content_type_conformance'],
    ['missing-header', 'GET', 'response_headers_conformance'],
  ])('%s: the answer carries x-contract-violations naming %s and the log one line', async (fault, method, check) => {
    server = await startNotesServer(fault);
    proxy = await startProxy(NOTES_SPEC, server.url);
    const body = method === 'POST' ? JSON.stringify({ title: 'Milk', priority: 1 }) : undefined;
    const res = await fetch(`${proxy.url}/v2/notes`, { method, headers: { authorization: 'Bearer ann-token', 'content-type': 'application/json' }, body });
    await res.arrayBuffer();
    expect(res.headers.get('x-contract-violations')).toBe(`1; ${check}`);
    expect(proxy.errors).toHaveLength(1);
    expect(proxy.errors[0]).toMatch(new RegExp(`^proxy: ${method} /v2/notes \\d+ 1 violation: ${check} \\(expected .*\\) \\d+\\.\\dms$`));
    expect(proxy.errors[0]).not.toContain('ann-token');
  });

  it('a correct answer carries no x-contract-violations and logs one "ok" line', async () => {
    server = await startNotesServer();
    proxy = await startProxy(NOTES_SPEC, server.url);
    const res = await fetch(`${proxy.url}/v2/notes`, { headers: { authorization: 'Bearer ann-token' } });
    await res.arrayBuffer();
    expect(res.status).toBe(200);
    expect(res.headers.get('x-contract-violations')).toBeNull();
    expect(proxy.errors).toEqual([]);
    expect(proxy.lines).toEqual([expect.stringMatching(/^proxy: GET \/v2\/notes 200 ok \d+\.\dms$/)]);
  });
});
