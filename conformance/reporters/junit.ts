import type { RunReport } from '../runner.ts';

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/** JUnit XML: a testsuite per tag, a testcase per check result, named `Tag > operationId > case > check`. */
export function junitReport(report: RunReport): string {
  const byTag = new Map<string, RunReport['results']>();
  for (const r of report.results) {
    const list = byTag.get(r.tag) ?? [];
    list.push(r);
    byTag.set(r.tag, list);
  }
  const s = report.summary;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="conformance ${esc(report.spec.title)}" tests="${report.results.length}" failures="${s.failed}" skipped="${s.skipped}" time="${(report.durationMs / 1000).toFixed(3)}">`,
  ];
  for (const [tag, results] of byTag) {
    const failures = results.filter((r) => r.status === 'failed').length;
    const skipped = results.filter((r) => r.status === 'skipped').length;
    const time = results.reduce((t, r) => t + (r.durationMs ?? 0), 0) / 1000;
    lines.push(`  <testsuite name="${esc(tag)}" tests="${results.length}" failures="${failures}" skipped="${skipped}" errors="0" time="${time.toFixed(3)}" timestamp="${report.startedAt}">`);
    for (const r of results) {
      const head = `    <testcase name="${esc(r.name)}" classname="${esc(`${r.tag}.${r.operationId}`)}" time="${((r.durationMs ?? 0) / 1000).toFixed(3)}"`;
      if (r.status === 'passed') lines.push(`${head}/>`);
      else if (r.status === 'skipped') lines.push(`${head}>`, `      <skipped message="${esc(r.message ?? '')}"/>`, '    </testcase>');
      else {
        const detail = r.request ? `${r.request.method} ${r.request.url} -> ${r.responseStatus ?? '?'}\n${r.message ?? ''}` : (r.message ?? '');
        lines.push(`${head}>`, `      <failure message="${esc(r.message ?? '')}" type="${r.check}">${esc(detail)}</failure>`, '    </testcase>');
      }
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}
