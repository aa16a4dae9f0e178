import { wantsColor } from '../../cli/io.ts';
import { hits } from '../coverage.ts';
import type { CheckResult } from '../model.ts';
import type { Runner, RunReport } from '../runner.ts';

export interface Writable {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** Progress while it runs (one mark per case, a line per failure), then a summary table. */
export function attachConsoleReporter(runner: Runner, out: Writable = process.stdout, opts: { verbose?: boolean } = {}): void {
  const color = wantsColor(out);
  const paint = (code: number, text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const red = (t: string) => paint(31, t);
  const green = (t: string) => paint(32, t);
  const dim = (t: string) => paint(2, t);
  let column = 0;

  runner.on('start', ({ total, spec, baseUrl, notices, seed }) => {
    out.write(`Conformance of ${baseUrl} to ${spec.title} ${spec.version}: ${total} cases${seed !== undefined ? ` (--seed ${seed})` : ''}\n`);
    for (const n of notices) out.write(`Notice: ${n}\n`);
  });
  runner.on('first', (request) => {
    if (column > 0) out.write('\n');
    column = 0;
    out.write(dim(`First request: ${request}\n`));
  });

  runner.on('case', ({ index, total, results }) => {
    const failures = results.filter((r) => r.status === 'failed');
    const allSkipped = results.length > 0 && results.every((r) => r.status === 'skipped');
    if (failures.length > 0 || opts.verbose) {
      if (column > 0) out.write('\n');
      column = 0;
      for (const g of grouped(opts.verbose ? results : failures)) {
        const mark = g.status === 'failed' ? red('FAIL') : g.status === 'passed' ? green('PASS') : dim('SKIP');
        out.write(`${mark} [${index}/${total}] ${g.name}${g.message ? `\n     ${g.message}` : ''}\n`);
      }
      return;
    }
    out.write(allSkipped ? dim('s') : green('.'));
    if (++column >= 60 || index === total) {
      out.write(dim(` ${index}/${total}\n`));
      column = 0;
    }
  });

  runner.on('end', (report) => {
    if (column > 0) out.write('\n');
    for (const w of report.warnings) out.write(`${paint(33, 'WARN')} ${w}\n`);
    out.write(summaryTable(report, { red, green, dim }));
  });
}

export function summaryTable(report: RunReport, c: Record<'red' | 'green' | 'dim', (t: string) => string>): string {
  const rows = Object.entries(report.summary.byCheck).sort(([a], [b]) => a.localeCompare(b));
  const width = Math.max(5, ...rows.map(([name]) => name.length));
  const num = (n: number) => String(n).padStart(7);
  const lines = [
    '',
    `${'check'.padEnd(width)} ${'passed'.padStart(7)} ${'failed'.padStart(7)} ${'skipped'.padStart(7)}`,
    `${'-'.repeat(width)} ${'-'.repeat(7)} ${'-'.repeat(7)} ${'-'.repeat(7)}`,
    ...rows.map(([name, t]) => {
      const line = `${name.padEnd(width)} ${num(t.passed)} ${num(t.failed)} ${num(t.skipped)}`;
      return t.failed > 0 ? c.red(line) : line;
    }),
    `${'-'.repeat(width)} ${'-'.repeat(7)} ${'-'.repeat(7)} ${'-'.repeat(7)}`,
    `${'total'.padEnd(width)} ${num(report.summary.passed)} ${num(report.summary.failed)} ${num(report.summary.skipped)}`,
    '',
  ];
  // case-level skips carry no request: the example was never sent
  const skippedExamples = report.results.filter((r) => r.status === 'skipped' && r.kind === 'example' && !r.request);
  if (skippedExamples.length > 0) {
    lines.push(`Skipped examples (${skippedExamples.length}):`);
    for (const r of skippedExamples) lines.push(c.dim(`  ${r.tag} > ${r.operationId} > ${r.label}: ${r.message}`));
    lines.push('');
  }
  const unexercised = report.coverage.flatMap((row) =>
    row.cells.filter((cell) => hits(cell) === 0).map((cell) => `${row.operationId} ${cell.status}`),
  );
  if (unexercised.length > 0) lines.push(c.dim(`Documented but not exercised (${unexercised.length}): ${unexercised.join(', ')}`), '');
  const failed = report.results.filter((r) => r.status === 'failed');
  if (failed.length > 0) {
    lines.push(c.red(`Failures (${failed.length}):`));
    for (const g of grouped(failed)) lines.push(c.red(`  ${g.name}`), `      ${g.message}`);
    lines.push('');
  }
  for (const n of report.notices) lines.push(`Notice: ${n}`, '');
  if (report.firstRequest) lines.push(c.dim(`First request: ${report.firstRequest}`), '');
  const verdict = report.summary.failed > 0 ? c.red('FAILED') : c.green('PASSED');
  lines.push(
    `${verdict}: ${report.summary.passed} passed, ${report.summary.failed} failed, ${report.summary.skipped} skipped; ` +
      `${report.summary.cases} cases, ${report.requests} requests, ${report.resets} resets in ${(report.durationMs / 1000).toFixed(1)} s`,
    '',
  );
  return lines.join('\n');
}

/**
 * Results of one case with the same status and message as one line, its checks listed: a case with
 * no complete answer fails every check for one reason, which is worth saying once.
 */
function grouped(results: CheckResult[]): { name: string; status: CheckResult['status']; message?: string }[] {
  const groups: { name: string; caseName: string; checks: string[]; status: CheckResult['status']; message?: string }[] = [];
  for (const r of results) {
    const caseName = r.name.slice(0, r.name.length - r.check.length - 3);
    const last = groups[groups.length - 1];
    if (last && last.caseName === caseName && last.status === r.status && last.message === r.message && r.message) last.checks.push(r.check);
    else groups.push({ name: r.name, caseName, checks: [r.check], status: r.status, message: r.message });
  }
  return groups.map((g) => ({ ...g, name: g.checks.length > 1 ? `${g.caseName} > ${g.checks.join(', ')}` : g.name }));
}
