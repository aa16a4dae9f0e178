import { afterEach, describe, expect, it } from 'vitest';
import type { RunReport } from '../runner.ts';
import { type Fault, type NotesServer, startNotesServer } from './fixtures/notes-server.ts';
import { NOTES_CONFIG, runCliCaptured } from './run-cli.ts';

let server: NotesServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function runAgainst(fault: Fault | undefined, extra: string[] = []): Promise<{ code: number; report: RunReport }> {
  server ??= await startNotesServer(fault);
  const run = await runCliCaptured(['--base-url', server.url, '--config', NOTES_CONFIG, '--reporter', 'json', ...extra]);
  expect(run.stderr).toBe('');
  return { code: run.code, report: JSON.parse(run.stdout) as RunReport };
}

const failedChecks = (report: RunReport) => [...new Set(report.results.filter((r) => r.status === 'failed').map((r) => r.check))];

describe('the suite against the notes fixture server', () => {
  it('passes a correct implementation, twice in a row without a restart (reset between cases)', async () => {
    const first = await runAgainst(undefined);
    expect(failedChecks(first.report)).toEqual([]);
    expect(first.code).toBe(0);
    expect(first.report.summary.passed).toBeGreaterThan(300);
    const second = await runAgainst(undefined);
    expect(second.code).toBe(0);
    expect(second.report.summary.passed).toBe(first.report.summary.passed);
  });

  it('lists a non-replayable example as skipped with its reason', async () => {
    const { report } = await runAgainst(undefined);
    const skipped = report.results.find((r) => r.label === 'example store-down');
    expect(skipped).toMatchObject({
      status: 'skipped',
      name: 'Notes > createNote > example store-down > example_match',
      message: 'not replayable: the store cannot be made to fail from outside',
    });
  });

  it.each<[Fault, string, RegExp]>([
    ['wrong-status', 'status_code_conformance', /^expected one of the documented statuses 201, 400, 401, 500, got 200$/],
    ['missing-field', 'response_schema_conformance', /^expected a body valid against the schema \(a required property\), got nothing at \/title$/],
    ['wrong-type', 'response_schema_conformance', /^expected a body valid against the schema \(must be integer\), got "2" at \/priority$/],
    ['wrong-content-type', 'content_type_conformance', /^expected Content-Type application\/json for 200, got text\/plain$/],
    ['server-error', 'not_a_server_error', /^expected a status below 500, got 500/],
    ['auth-not-enforced', 'missing_auth', /^expected 401 for a request with no credentials, got 200$/],
    ['cross-user', 'cross_user_access', /^expected a non-2xx when role other sends the owner's request GET \/notes\/\{noteId\}, got 200$/],
    ['wrong-error-shape', 'response_schema_conformance', /^expected a body valid against the schema \(a required property\), got nothing .*at \/code$/],
    ['no-allow', 'unsupported_method', /^expected an Allow header listing GET, POST, got no Allow header$/],
    ['accepts-invalid', 'negative_data_rejection', /^expected a 4xx rejecting the invalid input \(body\.priority above maximum 5\), got 201$/],
    ['rejects-valid', 'positive_data_acceptance', /^expected the valid input \(body\.title at maxLength 40\) to be accepted, got 400$/],
    ['missing-header', 'response_headers_conformance', /^expected required header X-Total-Count, got no such header$/],
  ])('fails on fault %s with %s', async (fault, check, message) => {
    const { code, report } = await runAgainst(fault);
    expect(code).toBe(1);
    expect(failedChecks(report)).toContain(check);
    const messages = report.results.filter((r) => r.status === 'failed' && r.check === check).map((r) => r.message);
    expect(messages.some((m) => message.test(m ?? ''))).toBe(true);
  });

  it('fails max_response_time only when a threshold is given', async () => {
    const without = await runAgainst('slow', ['--operation', 'getHealth']);
    expect(without.code).toBe(0);
    const withLimit = await runAgainst('slow', ['--operation', 'getHealth', '--max-response-time', '40']);
    expect(withLimit.code).toBe(1);
    expect(failedChecks(withLimit.report)).toEqual(['max_response_time']);
  });

  it('names failing cases Tag > operationId > case > check', async () => {
    const { report } = await runAgainst('wrong-status');
    const names = report.results.filter((r) => r.status === 'failed').map((r) => r.name);
    expect(names).toContain('Notes > createNote > example created > status_code_conformance');
    expect(names).toContain('Notes > createNote > workflow noteLifecycle step create > success_criteria');
  });
});
