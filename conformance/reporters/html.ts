import { type CoverageCell, hits } from '../coverage.ts';
import type { RunReport } from '../runner.ts';
import { maskReport } from './json.ts';

const esc = (s: unknown) =>
  String(s ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** One self-contained HTML file (no network): summary, coverage matrix, filterable results. */
export function htmlReport(raw: RunReport): string {
  const report = maskReport(raw);
  const s = report.summary;
  const verdict = s.failed > 0 ? 'failed' : 'passed';

  const checkRows = Object.entries(s.byCheck)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([name, t]) =>
        `<tr class="${t.failed > 0 ? 'bad' : ''}"><td>${esc(name)}</td><td>${t.passed}</td><td>${t.failed}</td><td>${t.skipped}</td></tr>`,
    )
    .join('');

  // A proxy report counts traffic, not examples, probes and workflows: one column instead of three.
  const traffic = report.coverage.some((row) => row.cells.some((c) => c.traffic !== undefined));
  const kindCells = (c: CoverageCell) =>
    traffic ? cell(c.traffic ?? 0, 'seen in the traffic') : `${cell(c.example, 'replayed from an example')}${cell(c.probe, 'probed')}${cell(c.workflow, 'reached by a workflow')}`;
  const cell = (n: number, what: string) => (n > 0 ? `<td class="hit" title="${n} ${what}">${n}</td>` : `<td class="miss" title="not ${what}">–</td>`);
  const matrixRows = report.coverage
    .flatMap((row) =>
      row.cells.map((c, i) => {
        const opCells =
          i === 0
            ? `<th rowspan="${row.cells.length}" scope="rowgroup" class="op"><span class="method">${esc(row.method)}</span> ${esc(row.path)}<br><small>${esc(row.tag)} &gt; ${esc(row.operationId)}</small>${row.undocumented.length ? `<br><small class="bad">undocumented answers: ${esc(row.undocumented.join(', '))}</small>` : ''}</th>`
            : '';
        const none = hits(c) === 0;
        const skippedNote = c.skipped.length ? ` <span class="skip" title="${esc(c.skipped.join('\n'))}">(${c.skipped.length} skipped)</span>` : '';
        return `<tr data-operation="${esc(row.operationId)}" data-status="${esc(c.status)}" class="${none ? 'uncovered' : 'covered'}">${opCells}<td class="status">${esc(c.status)}${skippedNote}</td>${kindCells(c)}</tr>`;
      }),
    )
    .join('\n');
  const cells = report.coverage.flatMap((r) => r.cells);
  const covered = cells.filter((c) => hits(c) > 0).length;

  const resultRows = report.results
    .map(
      (r) =>
        `<tr class="result ${r.status}" data-status="${r.status}" data-kind="${r.kind}"><td><span class="badge ${r.status}">${r.status}</span></td><td class="name">${esc(r.name)}</td><td>${esc(r.responseStatus ?? '')}</td><td>${esc(r.message ?? '')}${r.request ? `<div class="req">${esc(r.request.method)} ${esc(r.request.url)}</div>` : ''}</td></tr>`,
    )
    .join('\n');

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Conformance: ${esc(report.spec.title)} — ${verdict}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#222}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
.verdict{display:inline-block;padding:.2rem .6rem;border-radius:4px;color:#fff}.verdict.passed{background:#2a7d2a}.verdict.failed{background:#b32d2d}
.bad td,.bad{color:#b32d2d}.hit{background:#d9f2d9;text-align:center}.miss{background:#fbe3e3;text-align:center;color:#999}
.uncovered .status{font-weight:bold;color:#b32d2d}.op{background:#f6f6f6;font-weight:normal}.method{font-weight:bold}
.badge{padding:0 .4rem;border-radius:3px;font-size:.85em}.badge.passed{background:#d9f2d9}.badge.failed{background:#b32d2d;color:#fff}.badge.skipped{background:#eee}
.req{color:#666;font-size:.85em;word-break:break-all}.name{font-family:ui-monospace,monospace;font-size:.9em}
.hidden{display:none}.filters button{margin-right:.3rem}.filters button[aria-pressed=true]{font-weight:bold}
</style>
</head>
<body>
<h1>Conformance of ${esc(report.baseUrl)} to ${esc(report.spec.title)} ${esc(report.spec.version)}</h1>
<p><span class="verdict ${verdict}" id="verdict">${verdict.toUpperCase()}</span>
<span id="totals">${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped</span>;
${s.cases} cases, ${report.requests} requests, ${report.resets} resets in ${(report.durationMs / 1000).toFixed(1)} s; started ${esc(report.startedAt)}.</p>
${report.notices.map((n) => `<p class="notice"><strong>Notice:</strong> ${esc(n)}</p>`).join('\n')}
${report.firstRequest ? `<p>First request: <code>${esc(report.firstRequest)}</code>${report.seed !== undefined ? `; values drawn from schemas with <code>--seed ${report.seed}</code>` : ''}.</p>` : ''}

${report.warnings.length > 0 ? `<h2>Warnings</h2>\n<ul id="warnings">${report.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>\n` : ''}
<h2>Checks</h2>
<table id="checks"><thead><tr><th>check</th><th>passed</th><th>failed</th><th>skipped</th></tr></thead><tbody>${checkRows}</tbody></table>

<h2>Coverage matrix</h2>
<p id="coverage-summary">${covered} of ${cells.length} documented responses exercised. An empty cell means nothing of that kind reached that documented status.</p>
<table id="coverage"><thead><tr><th>operation</th><th>documented status</th>${traffic ? '<th>traffic</th>' : '<th>example</th><th>probe</th><th>workflow</th>'}</tr></thead><tbody>
${matrixRows}
</tbody></table>

<h2>Results</h2>
<div class="filters" role="group" aria-label="filter results">
<button type="button" data-filter="all" aria-pressed="false">all (${report.results.length})</button>
<button type="button" data-filter="failed" aria-pressed="false">failed (${s.failed})</button>
<button type="button" data-filter="passed" aria-pressed="false">passed (${s.passed})</button>
<button type="button" data-filter="skipped" aria-pressed="false">skipped (${s.skipped})</button>
<input type="search" id="search" placeholder="filter by name" aria-label="filter by name">
</div>
<table id="results"><thead><tr><th>status</th><th>case &gt; check</th><th>HTTP</th><th>message</th></tr></thead><tbody>
${resultRows}
</tbody></table>
<script type="application/json" id="report-data">${JSON.stringify({ summary: s, coverage: report.coverage }).replace(/</g, '\\u003c')}</script>
<script>
(function () {
  var state = { status: ${s.failed > 0 ? "'failed'" : "'all'"}, text: '' };
  var rows = Array.prototype.slice.call(document.querySelectorAll('#results tr.result'));
  var buttons = Array.prototype.slice.call(document.querySelectorAll('.filters button'));
  function apply() {
    rows.forEach(function (row) {
      var okStatus = state.status === 'all' || row.dataset.status === state.status;
      var okText = !state.text || row.textContent.toLowerCase().indexOf(state.text) >= 0;
      row.classList.toggle('hidden', !(okStatus && okText));
    });
    buttons.forEach(function (b) { b.setAttribute('aria-pressed', String(b.dataset.filter === state.status)); });
  }
  buttons.forEach(function (b) { b.addEventListener('click', function () { state.status = b.dataset.filter; apply(); }); });
  document.getElementById('search').addEventListener('input', function (e) { state.text = e.target.value.toLowerCase(); apply(); });
  apply();
})();
</script>
</body>
</html>
`;
}
