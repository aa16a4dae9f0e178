import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../runner.ts';
import { type NotesServer, startNotesServer } from './fixtures/notes-server.ts';
import { NOTES_CONFIG, runCliCaptured } from './run-cli.ts';

let server: NotesServer;
let closedPortUrl = '';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'conformance-cli-'));
beforeAll(async () => {
  server = await startNotesServer();
  const closed = await startNotesServer();
  closedPortUrl = closed.url;
  await closed.close();
});
afterAll(async () => {
  await server.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const NO_TOKENS = 'conformance/test/fixtures/no-tokens.config.json';
const BASIC_ONLY = 'conformance/test/fixtures/foreign/museum/openapi.yaml';

describe('exit code 2 with a one-line reason', () => {
  it.each<[string, () => string[], RegExp]>([
    ['an unreachable base URL', () => ['--base-url', closedPortUrl, '--config', NOTES_CONFIG], /^conformance: base URL http:\/\/127\.0\.0\.1:\d+\/v2 is unreachable: ECONNREFUSED\n$/],
    ['a spec that does not parse', () => ['--base-url', server.url, '--spec', 'conformance/test/fixtures/broken/openapi.yaml', '--no-workflows'], /^conformance: spec .*broken\/openapi\.yaml does not load: .*\n$/],
    ['a spec with a dangling $ref', () => ['--base-url', server.url, '--spec', 'conformance/test/fixtures/broken/dangling-ref.yaml'], /^conformance: spec .* does not load: .*missing-file\.yaml.*\n$/],
    ['a missing spec file', () => ['--base-url', server.url, '--spec', 'nowhere/openapi.yaml'], /^conformance: spec nowhere\/openapi\.yaml does not load: .*\n$/],
    ['a bare token for a spec whose only scheme is HTTP Basic', () => ['--base-url', server.url, '--spec', BASIC_ONLY, '--token', 'T'], /^conformance: the token of role owner cannot serve getMuseumHours: its scheme MuseumPlaceholderAuth is HTTP Basic; give --basic owner=<user>:<password> \(or --token owner=<user>:<password>\)\n$/],
    ['a --token for a role the spec does not name', () => ['--base-url', server.url, '--config', NOTES_CONFIG, '--token', 'ownr=ann-token'], /^conformance: --token: unknown role ownr; the spec's roles are owner, other \(without a role, the credential is owner's\)\n$/],
    ['a --header for a role the spec does not name', () => ['--base-url', server.url, '--config', NOTES_CONFIG, '--header', 'admin:X-Sig=1'], /^conformance: --header: unknown role admin; /],
    ['a --basic without a password', () => ['--base-url', server.url, '--config', NOTES_CONFIG, '--basic', 'owner=ann'], /^conformance: --basic owner=ann: expected \[<role>=\]<user>:<password>\n$/],
    ['a --seed that is not an integer', () => ['--base-url', server.url, '--config', NOTES_CONFIG, '--seed', 'abc'], /^conformance: --seed abc: expected an integer\n$/],
    ['an unknown check', () => ['--base-url', server.url, '--config', NOTES_CONFIG, '--check', 'nonsense'], /^conformance: --check nonsense: unknown check; known: not_a_server_error, /],
    ['an unknown check in a comma list', () => ['--url', server.url, '--config', NOTES_CONFIG, '--check', 'missing_auth,nonsense'], /^conformance: --check nonsense: unknown check; /],
    ['an unknown excluded check', () => ['--url', server.url, '--config', NOTES_CONFIG, '--exclude-check', 'nonsense'], /^conformance: --exclude-check nonsense: unknown check; /],
    ['excluding every check asked for', () => ['--url', server.url, '--config', NOTES_CONFIG, '--check', 'missing_auth', '--exclude-check', 'missing_auth'], /^conformance: --exclude-check leaves no check to run\n$/],
    ['two different specs, positional and --spec', () => ['a.yaml', '--spec', 'b.yaml', '--url', server.url], /^conformance: two specs: a\.yaml and --spec b\.yaml/],
    ['--url and --base-url that differ', () => ['--url', server.url, '--base-url', closedPortUrl, '--config', NOTES_CONFIG], /^conformance: --url and --base-url name the same thing/],
    ['a missing positional spec file', () => ['nowhere/openapi.yaml', '-u', server.url], /^conformance: spec nowhere\/openapi\.yaml does not load: .*\n$/],
    ['an unknown operation', () => ['--base-url', server.url, '--config', NOTES_CONFIG, '--operation', 'nonsense'], /^conformance: unknown operation nonsense\n$/],
    ['a missing --url', () => ['--config', NOTES_CONFIG], /^conformance: --url is required: .*\(see --help\)\n$/],
    ['an unknown option', () => ['--base-url', server.url, '--frobnicate'], /^conformance: Unknown option '--frobnicate' \(see --help\)\n$/],
    ['a malformed --header', () => ['--base-url', server.url, '--config', NOTES_CONFIG, '--header', 'owner:X-Sig'], /^conformance: --header owner:X-Sig: expected \[<role>:\]<Name>=<value>\n$/],
    ['a missing config file', () => ['--base-url', server.url, '--config', 'nowhere.json'], /^conformance: config file nowhere\.json not found\n$/],
    ['a --max-response-bytes that is not a size', () => ['--base-url', server.url, '--config', NOTES_CONFIG, '--max-response-bytes', '10MB'], /^conformance: --max-response-bytes 10MB: expected a positive number of bytes \(suffixes KiB, MiB, GiB allowed\)\n$/],
    ['a reset that fails', () => ['--base-url', server.url, '--config', NOTES_CONFIG, '--reset-url', '/no-such-reset'], /^conformance: reset POST http:\/\/127\.0\.0\.1:\d+\/no-such-reset answered 404\n$/],
  ])('for %s', async (_what, argv, reason) => {
    const run = await runCliCaptured(argv());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(reason);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('without credentials: the run goes on, with one notice', () => {
  it.each<[string, () => string[], RegExp]>([
    ['no token at all', () => ['--base-url', server.url, '--config', NO_TOKENS, '--server-path', '--reset-url', '/__control/reset'], /^Notice: 4 operations need credentials: give --token <role>=<token>, --basic <role>=<user:password> or --header <role>:<Name>=<value> for roles owner, other; their cases are skipped \(missing_auth still runs\)$/m],
    ['a role only a workflow names', () => ['--base-url', server.url, '--config', NO_TOKENS, '--server-path', '--reset-url', '/__control/reset', '--token', 'owner=ann-token'], /^Notice: 1 operation needs credentials: give --token <role>=<token>, --basic <role>=<user:password> or --header <role>:<Name>=<value> for role other; their cases are skipped/m],
  ])('%s', async (_what, argv, notice) => {
    const run = await runCliCaptured([...argv(), '--reporter', 'console', '--reporter', 'json', '--output', path.join(tmp, 'notice.json')]);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[1]).toMatch(notice); // first thing after the title line
    const report = JSON.parse(fs.readFileSync(path.join(tmp, 'notice.json'), 'utf8')) as RunReport;
    expect(`Notice: ${report.notices[0]}`).toMatch(notice);
    const missingAuth = report.results.filter((r) => r.check === 'missing_auth');
    expect(missingAuth.length).toBeGreaterThan(0);
    expect(missingAuth.every((r) => r.status === 'passed')).toBe(true);
  });

  it('a token with base64 padding is not read as a role', async () => {
    const run = await runCliCaptured(['--base-url', server.url, '--config', NO_TOKENS, '--server-path', '--operation', 'getHealth', '--token', 'YWJj==']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('a bare --token is the first role\'s', async () => {
    const run = await runCliCaptured(['--base-url', server.url, '--config', NO_TOKENS, '--server-path', '--reset-url', '/__control/reset', '--token', 'ann-token', '--token', 'other=bob-token', '--no-workflows']);
    expect(run.stdout).not.toContain('Notice:');
    expect(run.code).toBe(0);
  });
});

describe('the base URL is where the spec\'s paths live', () => {
  it.each<[string, string[], string]>([
    ['as given, without the spec\'s server path', [], '/notes'],
    ['with --server-path, the first server\'s path is prefixed', ['--server-path'], '/v2/notes'],
    ['a base URL that already ends with the server path is not prefixed twice', ['--server-path', '--base-url-path', '/v2'], '/v2/notes'],
    ['a base URL with the server path in it, without --server-path', ['--base-url-path', '/v2'], '/v2/notes'],
  ])('%s', async (_what, flags, firstPath) => {
    const extra = flags.includes('--base-url-path') ? flags[flags.indexOf('--base-url-path') + 1]! : '';
    const rest = flags.filter((f, i) => f !== '--base-url-path' && flags[i - 1] !== '--base-url-path');
    const run = await runCliCaptured(['--base-url', `${server.url}${extra}`, '--config', NO_TOKENS, '--operation', 'listNotes', '--no-workflows', '--seed', '7', ...rest]);
    expect(run.stdout).toMatch(new RegExp(`^First request: GET http://127\\.0\\.0\\.1:\\d+${firstPath}$`, 'm'));
  });
});

describe('options', () => {
  it('--help documents every option and the exit codes', async () => {
    const run = await runCliCaptured(['--help']);
    expect(run.code).toBe(0);
    for (const option of ['--url', '-u', '--base-url', '--spec', '--exclude-check', '--version', 'Examples:', 'NO_COLOR', 'FORCE_COLOR', '--config', '--token', '--operation', '--tag', '--check', '--reporter', '--output', '--workflows', '--max-response-time', '--request-timeout', '--max-response-bytes', '--reset-url', '--reset-command']) {
      expect(run.stdout).toContain(option);
    }
    expect(run.stdout).toMatch(/Exit codes: 0 .* 1 .* 2 /);
  });

  it('--operation and --check narrow the run to those cases and checks', async () => {
    const run = await runCliCaptured(['--base-url', server.url, '--config', NOTES_CONFIG, '--operation', 'getNote', '--check', 'missing_auth', '--reporter', 'json']);
    const report = JSON.parse(run.stdout) as RunReport;
    expect(run.code).toBe(0);
    expect(new Set(report.results.map((r) => `${r.operationId} ${r.check}`))).toEqual(new Set(['getNote missing_auth']));
    expect(report.results.map((r) => r.label)).toEqual([
      'probe missing_auth no credentials',
      'probe missing_auth malformed credentials',
      'probe missing_auth unknown token',
    ]);
  });

  it('--tag keeps one tag, and workflows that touch it', async () => {
    const run = await runCliCaptured(['--base-url', server.url, '--config', NOTES_CONFIG, '--tag', 'System', '--reporter', 'json']);
    const report = JSON.parse(run.stdout) as RunReport;
    expect(new Set(report.results.map((r) => r.operationId))).toEqual(new Set(['getHealth']));
  });

  it('--reset-command runs a shell command between state-changing cases', async () => {
    const marker = path.join(tmp, 'resets.log');
    const run = await runCliCaptured([
      '--base-url', server.url, '--config', NOTES_CONFIG, '--operation', 'createNote', '--reporter', 'json',
      '--reset-command', `curl -s -X POST ${server.url}/__control/reset && echo reset >> ${marker}`,
    ]);
    const report = JSON.parse(run.stdout) as RunReport;
    expect(run.code).toBe(0);
    expect(fs.readFileSync(marker, 'utf8').trim().split('\n').length).toBe(report.resets);
    expect(report.resets).toBeGreaterThan(1);
  });

  it('writes junit, json and html into the --output folder, with tokens masked', async () => {
    const out = path.join(tmp, 'reports');
    const run = await runCliCaptured(['--base-url', server.url, '--config', NOTES_CONFIG, '--reporter', 'console', '--reporter', 'json', '--reporter', 'junit', '--reporter', 'html', '--output', out]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/PASSED: \d+ passed, 0 failed, \d+ skipped; \d+ cases, \d+ requests/);
    const xml = fs.readFileSync(path.join(out, 'junit.xml'), 'utf8');
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="conformance Notes API \(conformance test fixture\)" tests="\d+" failures="0"/);
    expect(xml).toContain('<testcase name="Notes &gt; getNote &gt; example mine &gt; response_schema_conformance" classname="Notes.getNote"');
    expect(xml).toContain('<skipped message="not replayable: the store cannot be made to fail from outside"/>');
    const json = fs.readFileSync(path.join(out, 'report.json'), 'utf8');
    expect(json).not.toContain('ann-token');
    expect(json).toContain('Bearer ann***');
    expect(fs.readFileSync(path.join(out, 'report.html'), 'utf8')).toContain('<table id="coverage">');
  });

  it('junit carries each failure with its message and request', async () => {
    const faulty = await startNotesServer('wrong-status');
    try {
      const file = path.join(tmp, 'junit.xml');
      const run = await runCliCaptured(['--base-url', faulty.url, '--config', NOTES_CONFIG, '--reporter', 'junit', '--output', file]);
      expect(run.code).toBe(1);
      const xml = fs.readFileSync(file, 'utf8');
      expect(xml).toMatch(/<testsuite name="Notes" tests="\d+" failures="[1-9]\d*"/);
      expect(xml).toContain(
        '<failure message="expected one of the documented statuses 201, 400, 401, 500, got 200" type="status_code_conformance">POST http://127.0.0.1:',
      );
    } finally {
      await faulty.close();
    }
  });

  it.each<[string, string[]]>([
    ['--check with a comma list', ['--check', 'missing_auth,not_a_server_error']],
    ['--exclude-check of everything else', ['--exclude-check', 'status_code_conformance,response_schema_conformance,content_type_conformance,response_headers_conformance,positive_data_acceptance,negative_data_rejection,unsupported_method,cross_user_access,max_response_time,success_criteria,example_match']],
  ])('%s keeps exactly those checks', async (_what, flags) => {
    const run = await runCliCaptured(['--url', server.url, '--config', NOTES_CONFIG, '--operation', 'getNote', '--no-workflows', '--reporter', 'json', ...flags]);
    const report = JSON.parse(run.stdout) as RunReport;
    expect(run.code).toBe(0);
    expect(new Set(report.results.map((r) => r.check))).toEqual(new Set(['missing_auth', 'not_a_server_error']));
  });

  it('takes the spec as its first argument and the base URL as --url, as octk conformance does', async () => {
    const config = JSON.parse(fs.readFileSync(NOTES_CONFIG, 'utf8')) as { spec: string; tokens: Record<string, string> };
    const spec = path.resolve(path.dirname(NOTES_CONFIG), config.spec);
    const tokens = Object.entries(config.tokens).flatMap(([role, token]) => ['--token', `${role}=${token}`]);
    const run = await runCliCaptured([path.relative(tmp, spec), '-u', server.url, '--server-path', ...tokens, '--operation', 'getHealth'], tmp);
    expect(run.stdout).toMatch(/PASSED: /);
    expect(run.code).toBe(0);
  });
});
