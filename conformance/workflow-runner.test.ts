// Arazzo documents as people write them, run through the CLI against the notes fixture server.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from './runner.ts';
import { type NotesServer, startNotesServer } from './test/fixtures/notes-server.ts';
import { NOTES_CONFIG, runCliCaptured } from './test/run-cli.ts';

const NOTES_SPEC = path.resolve('conformance/test/fixtures/notes-api/openapi.yaml');
let server: NotesServer;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'conformance-arazzo-'));
beforeAll(async () => {
  server = await startNotesServer();
});
afterAll(async () => {
  await server.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const doc = (workflows: string, extra = '') =>
  `arazzo: 1.0.1
info: { title: t, version: '1' }
sourceDescriptions:
  - { name: notes, url: ${NOTES_SPEC}, type: openapi }
${extra}workflows:
${workflows}`;

let runs = 0;
/** Writes the documents to a folder of their own and runs the suite's workflows on them. */
async function run(files: Record<string, string>, extra: string[] = []) {
  const dir = path.join(tmp, `run-${++runs}`);
  fs.mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  const r = await runCliCaptured(['--config', NOTES_CONFIG, '--base-url', server.url, '--workflows', dir, '--check', 'success_criteria', '--reporter', 'json', ...extra]);
  if (r.code === 2) return { code: r.code, stderr: r.stderr, outcome: [] as string[], report: undefined };
  const report = JSON.parse(r.stdout) as RunReport;
  const outcome = report.results.filter((x) => x.check === 'success_criteria').map((x) => `${x.label}: ${x.status}`);
  return { code: r.code, stderr: r.stderr, outcome, report };
}

const getN1 = (target: string) => `  - workflowId: w
    steps:
      - stepId: s
        ${target}
        parameters: [{ name: noteId, in: path, value: n1 }]
        successCriteria: [{ condition: $statusCode == 200 }]
`;

describe('step targets', () => {
  it.each([
    ['a plain operationId', 'operationId: getNote'],
    ['$sourceDescriptions.<name>.<operationId>', 'operationId: $sourceDescriptions.notes.getNote'],
    ['<name>.<operationId>, as linters accept it', 'operationId: notes.getNote'],
    ['operationPath with {$sourceDescriptions.<name>.url}', "operationPath: '{$sourceDescriptions.notes.url}#/paths/~1notes~1{noteId}/get'"],
    ['operationPath with $sourceDescriptions.<name> and a percent-encoded pointer', "operationPath: '$sourceDescriptions.notes#/paths/~1notes~1%7BnoteId%7D/get'"],
  ])('%s', async (_, target) => {
    const r = await run({ 'a.arazzo.yaml': doc(getN1(target)) });
    expect(r.outcome).toEqual(['workflow w step s: passed']);
    expect(r.code).toBe(0);
  });

  const makeNote = `  - workflowId: makeNote
    inputs: { type: object, properties: { title: { type: string, default: Default title } } }
    steps:
      - stepId: create
        operationId: createNote
        requestBody: { contentType: application/json, payload: { title: $inputs.title, priority: 1 } }
        successCriteria: [{ condition: $statusCode == 201 }]
        outputs: { id: $response.body#/id }
    outputs: { noteId: $steps.create.outputs.id }
`;
  const main = (callee: string) => `  - workflowId: main
    steps:
      - stepId: make
        workflowId: ${callee}
        parameters: [{ name: title, value: From main }]
        outputs: { id: $outputs.noteId }
      - stepId: read
        operationId: getNote
        parameters: [{ name: noteId, in: path, value: $steps.make.outputs.id }]
        successCriteria: [{ condition: "$response.body#/title == 'From main'" }]
`;

  it('a workflowId step runs the other workflow with its parameters as inputs; its outputs reach the caller', async () => {
    const r = await run({ 'a.arazzo.yaml': doc(main('makeNote') + makeNote) });
    expect(r.outcome).toEqual(['workflow main step make > workflow makeNote step create: passed', 'workflow main step read: passed', 'workflow makeNote step create: passed']);
    expect(r.code).toBe(0);
  });

  it('a workflowId step calls a workflow of another Arazzo document ($sourceDescriptions.<name>.<workflowId>)', async () => {
    const r = await run({
      'a.arazzo.yaml': doc(main('$sourceDescriptions.other.makeNote'), '').replace('sourceDescriptions:\n', 'sourceDescriptions:\n  - { name: other, url: ./b.arazzo.yaml, type: arazzo }\n'),
      'b.arazzo.yaml': doc(makeNote),
    });
    expect(r.outcome).toEqual(['workflow main step make > workflow makeNote step create: passed', 'workflow main step read: passed', 'workflow makeNote step create: passed']);
  });

  const useIt = `  - workflowId: useIt
    dependsOn: [makeNote]
    steps:
      - stepId: read
        operationId: getNote
        parameters: [{ name: noteId, in: path, value: $workflows.makeNote.outputs.noteId }]
        successCriteria: [{ condition: "$response.body#/title == 'Default title'" }]
`;
  it('dependsOn runs the workflows it names first, with no reset between, and their outputs are $workflows.<id>.outputs', async () => {
    const r = await run({ 'a.arazzo.yaml': doc(useIt + makeNote) });
    expect(r.outcome).toEqual(['workflow useIt > workflow makeNote step create: passed', 'workflow useIt step read: passed', 'workflow makeNote step create: passed']);
    expect(r.code).toBe(0);
  });

  it('each workflow without dependsOn starts from the fixture: what another workflow created is gone', async () => {
    const count = `  - workflowId: count
    steps:
      - stepId: list
        operationId: listNotes
        successCriteria: [{ condition: $response.header.X-Total-Count == 2 }]
`;
    const r = await run({ 'a.arazzo.yaml': doc(makeNote + count) });
    expect(r.outcome).toEqual(['workflow makeNote step create: passed', 'workflow count step list: passed']);
    expect(r.report!.resets).toBe(2); // before count, and at the end
  });

  it('a workflow whose dependency fails is skipped, naming it', async () => {
    const r = await run({ 'a.arazzo.yaml': doc(useIt + makeNote.replace('$statusCode == 201', '$statusCode == 299')) });
    expect(r.outcome.slice(0, 2)).toEqual(['workflow useIt > workflow makeNote step create: failed', 'workflow useIt step read: skipped']);
    expect(r.report!.results.find((x) => x.label === 'workflow useIt step read' && x.check === 'success_criteria')!.message).toBe('workflow makeNote, which it depends on, failed');
    expect(r.code).toBe(1);
  });
});

const three = (first: string, firstNote = 'n1') => `  - workflowId: w
    steps:
      - stepId: first
        operationId: getNote
        parameters: [{ name: noteId, in: path, value: ${firstNote} }]
        successCriteria: [{ condition: $statusCode == 200 }]
${first}
      - stepId: second
        operationId: getNote
        parameters: [{ name: noteId, in: path, value: n404 }]
        successCriteria: [{ condition: $statusCode == 200 }]
      - stepId: third
        operationId: listNotes
        successCriteria: [{ condition: $statusCode == 200 }]
`;

describe('onSuccess and onFailure actions', () => {
  it.each<[string, string, string, string[], number]>([
    ['no action: the next step, and a failure ends the workflow', '', 'n1', ['first: passed', 'second: failed', 'third: skipped'], 1],
    ['onSuccess goto a step', '        onSuccess: [{ name: ahead, type: goto, stepId: third }]', 'n1', ['first: passed', 'third: passed'], 0],
    ['onSuccess end', '        onSuccess: [{ name: stop, type: end }]', 'n1', ['first: passed'], 0],
    [
      'the first action whose criteria hold',
      `        onSuccess:
          - { name: ifFive, type: goto, stepId: second, criteria: [{ condition: $response.body#/priority == 5 }] }
          - { name: ifTwo, type: goto, stepId: third, criteria: [{ condition: $response.body#/priority == 2 }] }`,
      'n1',
      ['first: passed', 'third: passed'],
      0,
    ],
    ['onFailure goto: the failure is handled', '        onFailure: [{ name: toList, type: goto, stepId: third }]', 'n404', ['first: passed', 'third: passed'], 0],
    ['onFailure end: the workflow fails there', '        onFailure: [{ name: stop, type: end }]', 'n404', ['first: failed', 'second: skipped', 'third: skipped'], 1],
    ['onFailure retry until the limit, then failed', '        onFailure: [{ name: again, type: retry, retryAfter: 0, retryLimit: 2 }]', 'n404', ['first: skipped', 'first (run 2): skipped', 'first (run 3): failed', 'second: skipped', 'third: skipped'], 1],
    [
      'a spent retry gives way to the next failure action',
      `        onFailure:
          - { name: again, type: retry, retryAfter: 0 }
          - { name: toList, type: goto, stepId: third }`,
      'n404',
      ['first: skipped', 'first (run 2): passed', 'third: passed'],
      0,
    ],
    ['onFailure retry after running another step', '        onFailure: [{ name: makeIt, type: retry, retryAfter: 0, stepId: make }]\n        onSuccess: [{ name: stop, type: end }]\n      - stepId: make\n        operationId: createNote\n        requestBody: { payload: { title: Made, priority: 2 } }\n        successCriteria: [{ condition: $statusCode == 201 }]', 'n10', ['first: skipped', 'make: passed', 'first (run 2): passed'], 0],
    ['onSuccess goto another workflow, which ends this one', '        onSuccess: [{ name: elsewhere, type: goto, workflowId: other }]', 'n1', ['first: passed', 'first > workflow other step list: passed', 'list: passed'], 0],
  ])('%s', async (_, actions, firstNote, outcome, code) => {
    const other = `  - workflowId: other
    steps:
      - stepId: list
        operationId: listNotes
        successCriteria: [{ condition: $statusCode == 200 }]
`;
    const r = await run({ 'a.arazzo.yaml': doc(three(actions, firstNote) + (actions.includes('workflowId: other') ? other : '')) });
    expect(r.outcome.map((o) => o.replace(/^workflow w step /, '').replace(/^workflow other step /, '').replace('workflow w step first > ', 'first > '))).toEqual(outcome);
    expect(r.code).toBe(code);
  });

  it('the workflow-level successActions and failureActions apply to every step that does not override them by name', async () => {
    const r = await run({ 'a.arazzo.yaml': doc(three('', 'n404').replace('    steps:', '    failureActions: [{ name: toList, type: goto, stepId: third }]\n    steps:')) });
    expect(r.outcome).toEqual(['workflow w step first: passed', 'workflow w step third: passed']);
  });

  it('a workflow-level retry is counted per step', async () => {
    const actions = `    failureActions:
      - { name: again, type: retry, retryAfter: 0, retryLimit: 1 }
      - { name: next, type: goto, stepId: second, criteria: [{ condition: "$request.path.noteId == 'n404'" }] }
    steps:`;
    const r = await run({ 'a.arazzo.yaml': doc(three('', 'n404').replace('    steps:', actions).replace('value: n404 }]\n        successCriteria: [{ condition: $statusCode == 200 }]\n      - stepId: third', 'value: n405 }]\n        successCriteria: [{ condition: $statusCode == 200 }]\n      - stepId: third')) });
    // first: retried once, then sent on by `next`; second: retried once as well (first did not spend it), then fails
    expect(r.outcome).toEqual(['workflow w step first: skipped', 'workflow w step first (run 2): passed', 'workflow w step second: skipped', 'workflow w step second (run 2): failed', 'workflow w step third: skipped']);
  });

  it('components: parameters (value overridden), successActions and failureActions by reference', async () => {
    const components = `components:
  parameters:
    note: { name: noteId, in: path, value: n1 }
  failureActions:
    toList: { name: toList, type: goto, stepId: list }
  successActions:
    stop: { name: stop, type: end }
`;
    const r = await run({
      'a.arazzo.yaml':
        doc(`  - workflowId: w
    steps:
      - stepId: first
        operationId: getNote
        parameters: [{ reference: $components.parameters.note, value: n2 }]
        successCriteria: [{ condition: "$response.body#/id == 'n1'" }]
        onFailure: [{ reference: $components.failureActions.toList }]
      - stepId: never
        operationId: getNote
        parameters: [{ reference: $components.parameters.note, value: n404 }]
        successCriteria: [{ condition: $statusCode == 200 }]
      - stepId: list
        operationId: listNotes
        successCriteria: [{ condition: $statusCode == 200 }]
        onSuccess: [{ reference: $components.successActions.stop }]
`) + components,
    });
    expect(r.outcome).toEqual(['workflow w step first: passed', 'workflow w step list: passed']);
    expect(r.report!.results.find((x) => x.label === 'workflow w step first' && x.check === 'success_criteria')!.message).toMatch(/expected \$response\.body#\/id == 'n1', got \$response\.body#\/id = "n2"; handled by onFailure action toList \(goto list\)/);
  });
});

const oneStep = (criteria: string, step = 'operationId: getNote\n        parameters: [{ name: noteId, in: path, value: n1 }]') => `  - workflowId: w
    steps:
      - stepId: s
        ${step}
        successCriteria:
${criteria}
`;

describe('criteria of each type, on a real answer', () => {
  it.each<[string, string, 'passed' | 'failed']>([
    ['simple', "          - condition: $statusCode == 200 && $response.body#/title == 'groceries'", 'passed'],
    ['simple, failing', '          - condition: $statusCode == 200 && $response.body#/priority > 2', 'failed'],
    ['regex on $statusCode', "          - { context: $statusCode, condition: '^200$', type: regex }", 'passed'],
    ['regex, failing', "          - { context: $response.body#/title, condition: '^Shopping', type: regex }", 'failed'],
    ['jsonpath as the Arazzo spec writes it', "          - { context: $response.body, condition: '$[?@.priority > 1]', type: jsonpath }", 'passed'],
    ['jsonpath as users write it', "          - { context: $response.body, condition: \"$.title == 'Groceries'\", type: jsonpath }", 'passed'],
    ['jsonpath with a criterion expression type object', "          - { context: $response.body, condition: \"$.tag == 'home'\", type: { type: jsonpath, version: draft-goessner-dispatch-jsonpath-00 } }", 'passed'],
    ['jsonpath, failing', "          - { context: $response.body, condition: \"$.title == 'Other'\", type: jsonpath }", 'failed'],
  ])('%s', async (_, criteria, status) => {
    const r = await run({ 'a.arazzo.yaml': doc(oneStep(criteria)) });
    expect(r.outcome).toEqual([`workflow w step s: ${status}`]);
    expect(r.code).toBe(status === 'passed' ? 0 : 1);
  });

  it('an xpath criterion is not evaluated, and the report warns about it', async () => {
    const r = await run({ 'a.arazzo.yaml': doc(oneStep("          - { context: $response.body, condition: '/note/title', type: xpath }")) });
    expect(r.outcome).toEqual(['workflow w step s: passed']);
    const warning = 'workflow w step s: xpath criteria are not supported; "/note/title" is not evaluated';
    expect(r.report!.warnings).toEqual([warning]);
    const out = path.join(tmp, 'xpath-report.html');
    const shown = await runCliCaptured(['--config', NOTES_CONFIG, '--base-url', server.url, '--workflows', path.join(tmp, `run-${runs}`), '--check', 'success_criteria', '--reporter', 'console', '--reporter', 'html', '--output', out]);
    expect(shown.stdout).toContain(`WARN ${warning}\n`);
    expect(fs.readFileSync(out, 'utf8')).toContain('<li>workflow w step s: xpath criteria are not supported; &quot;/note/title&quot; is not evaluated</li>');
  });
});

describe('parameters and request bodies', () => {
  it('path, query, header and cookie parameters, workflow-level ones overridden per step', async () => {
    const r = await run({
      'a.arazzo.yaml': doc(`  - workflowId: w
    parameters:
      - { name: X-Trace, in: header, value: from-workflow }
      - { name: session, in: cookie, value: abc }
    steps:
      - stepId: list
        operationId: listNotes
        parameters: [{ name: limit, in: query, value: 1 }]
        successCriteria:
          - condition: "$request.query.limit == 1 && $request.header.x-trace == 'from-workflow' && $request.header.cookie == 'session=abc'"
          - context: $url
            condition: /notes[?]limit=1$
            type: regex
          - condition: $response.header.X-Total-Count == 1
      - stepId: get
        operationId: getNote
        parameters:
          - { name: noteId, in: path, value: n2 }
          - { name: X-Trace, in: header, value: from-step }
        successCriteria:
          - condition: "$request.path.noteId == 'n2' && $request.header.x-trace == 'from-step' && $response.body#/id == 'n2'"
`),
    });
    expect(r.outcome).toEqual(['workflow w step list: passed', 'workflow w step get: passed']);
  });

  it('a JSON payload written as text with {$...} and replacements at JSON pointers', async () => {
    const r = await run({
      'a.arazzo.yaml': doc(`  - workflowId: w
    inputs: { type: object, properties: { title: { type: string, default: Templated } } }
    steps:
      - stepId: create
        operationId: createNote
        requestBody:
          contentType: application/json
          payload: |
            { "title": "{$inputs.title}", "priority": 1 }
          replacements:
            - { target: /priority, value: 4 }
            - { target: /tag, value: work }
        successCriteria:
          - condition: "$statusCode == 201 && $response.body#/title == 'Templated' && $response.body#/priority == 4 && $response.body#/tag == 'work'"
`),
    });
    expect(r.outcome).toEqual(['workflow w step create: passed']);
  });

  it('credentials a step sends itself replace the role\'s, and are masked in the report', async () => {
    const spec = path.join(tmp, 'keyed.yaml');
    fs.writeFileSync(
      spec,
      `openapi: 3.1.0
info: { title: keyed, version: '1' }
servers: [{ url: http://localhost/v2 }]
security: [{ key: [] }]
paths:
  /health:
    get:
      operationId: getHealth
      responses: { '200': { description: ok, content: { application/json: { schema: { type: object } } } } }
components: { securitySchemes: { key: { type: apiKey, in: header, name: X-Key } } }
`,
    );
    const r = await run(
      {
        'a.arazzo.yaml': doc(
          `  - workflowId: w
    parameters: [{ name: X-Key, in: header, value: the-secret-key }]
    steps:
      - stepId: s
        operationId: getHealth
        successCriteria: [{ condition: "$request.header.x-key == 'the-secret-key'" }]
`,
        ).replace(NOTES_SPEC, spec),
      },
      ['--spec', spec, '--no-reset'],
    );
    expect(r.outcome).toEqual(['workflow w step s: passed']); // no --token needed: the workflow brings its key
    expect(JSON.stringify(r.report)).not.toContain('the-secret-key');
  });
});

describe('a workflow that cannot load fails its own case; the rest runs', () => {
  const good = `  - workflowId: good
    steps:
      - stepId: s
        operationId: listNotes
        successCriteria: [{ condition: $statusCode == 200 }]
`;
  const bad = (step: string) => `  - workflowId: bad
    steps:
      - stepId: s
        ${step}
`;
  it.each<[string, Record<string, string>, string, RegExp]>([
    ['an unknown operationId', { 'a.arazzo.yaml': doc(bad('operationId: nope') + good) }, 'workflow bad', /workflow bad in .*a\.arazzo\.yaml: operationId nope is not in the spec/],
    ['an unknown source description', { 'a.arazzo.yaml': doc(bad('operationId: $sourceDescriptions.other.listNotes') + good) }, 'workflow bad', /no source description named other \(known: notes\)/],
    ['an operationPath to nothing', { 'a.arazzo.yaml': doc(bad("operationPath: '{$sourceDescriptions.notes.url}#/paths/~1nope/get'") + good) }, 'workflow bad', /operationPath .* points at no operation of the spec/],
    ['an unknown workflowId', { 'a.arazzo.yaml': doc(bad('workflowId: nope') + good) }, 'workflow bad', /workflowId nope is not a workflow of/],
    ['a goto to no step', { 'a.arazzo.yaml': doc(bad('operationId: listNotes\n        onSuccess: [{ name: g, type: goto, stepId: nowhere }]') + good) }, 'workflow bad', /action g goes to step nowhere, which is not in the workflow/],
    ['a parameter in no location', { 'a.arazzo.yaml': doc(bad('operationId: listNotes\n        parameters: [{ name: limit, in: body, value: 1 }]') + good) }, 'workflow bad', /parameter limit is in body, not path, query, header or cookie/],
    ['a condition that cannot be read', { 'a.arazzo.yaml': doc(bad('operationId: listNotes\n        successCriteria: [{ condition: "$statusCode == 200 &&" }]') + good) }, 'workflow bad', /step s: condition \$statusCode == 200 && cannot be read: condition ends too soon/],
    ['an unknown runtime expression', { 'a.arazzo.yaml': doc(bad('operationId: listNotes\n        successCriteria: [{ condition: $status == 200 }]') + good) }, 'workflow bad', /cannot be read: unsupported runtime expression \$status$/],
    ['a file that is not YAML', { 'a.arazzo.yaml': 'arazzo: [1.0\n  : :', 'b.arazzo.yaml': doc(good) }, 'workflow a.arazzo.yaml', /workflow file .*a\.arazzo\.yaml does not load/],
    ['a file that is not Arazzo', { 'a.arazzo.yaml': 'openapi: 3.1.0\n', 'b.arazzo.yaml': doc(good) }, 'workflow a.arazzo.yaml', /is not an Arazzo document/],
  ])('%s', async (_, files, label, message) => {
    const r = await run(files);
    expect(r.code).toBe(1);
    expect(r.outcome).toEqual([`${label}: failed`, 'workflow good step s: passed']);
    expect(r.report!.results.find((x) => x.label === label && x.check === 'success_criteria')!.message).toMatch(message);
  });

  it('a failing workflow is isolated the same way under --operation', async () => {
    const r = await run({ 'a.arazzo.yaml': doc(bad('operationId: nope') + good) }, ['--operation', 'listNotes']);
    expect(r.outcome).toEqual(['workflow good step s: passed']);
    expect(r.code).toBe(0);
  });
});
