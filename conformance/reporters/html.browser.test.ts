// The HTML report, opened in headless Chromium: self-contained, matrix and filters work.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../runner.ts';
import { startNotesServer } from '../test/fixtures/notes-server.ts';
import { NOTES_CONFIG, runCliCaptured } from '../test/run-cli.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'conformance-html-'));
let browser: Browser;
let report: RunReport;
let htmlFile: string;

beforeAll(async () => {
  const server = await startNotesServer('wrong-status');
  try {
    const out = path.join(tmp, 'out');
    const run = await runCliCaptured(['--base-url', server.url, '--config', NOTES_CONFIG, '--reporter', 'json', '--reporter', 'html', '--output', out]);
    expect(run.code).toBe(1);
    report = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8')) as RunReport;
    htmlFile = path.join(out, 'report.html');
  } finally {
    await server.close();
  }
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});

afterAll(async () => {
  await browser?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function openReport() {
  const page = await browser.newPage();
  const outside: string[] = [];
  page.on('request', (req) => {
    if (!req.url().startsWith('file:')) outside.push(req.url());
  });
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(pathToFileURL(htmlFile).toString());
  return { page, outside, errors };
}

describe('the HTML report in Chromium', () => {
  it('loads nothing from outside and runs its script without errors', async () => {
    const { page, outside, errors } = await openReport();
    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
    expect(await page.title()).toBe('Conformance: Notes API (conformance test fixture) — failed');
    expect(await page.locator('#verdict').textContent()).toBe('FAILED');
    await page.close();
  });

  it('shows the coverage matrix: a row per operation and documented status, with example/probe/workflow columns', async () => {
    const { page } = await openReport();
    const documented = report.coverage.reduce((n, row) => n + row.cells.length, 0);
    expect(await page.locator('#coverage tbody tr').count()).toBe(documented);
    expect(await page.locator('#coverage thead th').allTextContents()).toEqual(['operation', 'documented status', 'example', 'probe', 'workflow']);
    // createNote 500 is documented but only as a non-replayable example: uncovered, and says why
    const row500 = page.locator('#coverage tr[data-operation="createNote"][data-status="500"]');
    expect(await row500.getAttribute('class')).toBe('uncovered');
    expect(await row500.locator('.skip').textContent()).toBe('(1 skipped)');
    // each cell counts what reached that status, as the JSON report has it
    for (const [operationId, status] of [['listNotes', '200'], ['getNote', '404'], ['createNote', '201']] as const) {
      const cell = report.coverage.find((r) => r.operationId === operationId)!.cells.find((c) => c.status === status)!;
      const show = (n: number) => (n > 0 ? String(n) : '–');
      const texts = await page.locator(`#coverage tr[data-operation="${operationId}"][data-status="${status}"] td`).allTextContents();
      expect(texts).toEqual([status, show(cell.example), show(cell.probe), show(cell.workflow)]);
    }
    // the failed create step cut the workflow short: deleteNote 204 was never reached
    expect(await page.locator('#coverage tr[data-operation="deleteNote"][data-status="204"]').getAttribute('class')).toBe('uncovered');
    await page.close();
  });

  it('opens on the failures, and the filters and search narrow the results', async () => {
    const { page } = await openReport();
    const visible = () => page.locator('#results tr.result:not(.hidden)');
    expect(await visible().count()).toBe(report.summary.failed);
    expect(await visible().first().locator('.name').textContent()).toMatch(/ > status_code_conformance$|> example_match$|> success_criteria$/);
    await page.getByRole('button', { name: /^all/ }).click();
    expect(await visible().count()).toBe(report.results.length);
    await page.getByRole('button', { name: /^skipped/ }).click();
    expect(await visible().count()).toBe(report.summary.skipped);
    await page.getByRole('button', { name: /^all/ }).click();
    await page.getByLabel('filter by name').fill('example store-down');
    expect(await visible().count()).toBe(1);
    expect(await visible().first().textContent()).toContain('not replayable: the store cannot be made to fail from outside');
    await page.close();
  });

  it('shows each check with its counts', async () => {
    const { page } = await openReport();
    const row = page.locator('#checks tr.bad', { hasText: 'status_code_conformance' });
    const t = report.summary.byCheck.status_code_conformance!;
    expect(await row.locator('td').allTextContents()).toEqual(['status_code_conformance', String(t.passed), String(t.failed), String(t.skipped)]);
    await page.close();
  });
});
