import type { RunReport } from '../runner.ts';
import { maskHeaders } from './mask.ts';

type Result = RunReport['results'][number];

/** The whole report as JSON; credentials are masked. */
export function jsonReport(report: RunReport): string {
  return [...jsonReportChunks(report)].join('');
}

/**
 * The text of jsonReport piece by piece, each result masked and written on its own: on a large spec
 * (Stripe: 20,000 results, a 47 MB report) the masked copy and the one string of the whole report
 * raised the suite's peak memory by about 200 MB. The pieces join to exactly
 * `JSON.stringify(maskReport(report), null, 2)` and a newline.
 */
export function* jsonReportChunks(report: RunReport): Generator<string> {
  let first = true;
  for (const [key, value] of Object.entries(report)) {
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol') continue; // as JSON.stringify leaves them out
    yield `${first ? '{' : ','}\n  ${JSON.stringify(key)}: `;
    first = false;
    if (key !== 'results' || !Array.isArray(value) || value.length === 0) {
      yield indented(JSON.stringify(value, null, 2), '  ');
      continue;
    }
    const results = value as Result[];
    for (let i = 0; i < results.length; i++) {
      yield `${i === 0 ? '[' : ','}\n    ${indented(JSON.stringify(maskResult(results[i]!), null, 2) ?? 'null', '    ')}`;
    }
    yield '\n  ]';
  }
  yield first ? '{}\n' : '\n}\n';
}

/** A value's JSON text one level deeper: JSON escapes every newline inside a string, so each raw one starts a line. */
const indented = (text: string, pad: string) => text.replaceAll('\n', `\n${pad}`);

export function maskReport(report: RunReport): RunReport {
  return { ...report, results: report.results.map(maskResult) };
}

function maskResult(r: Result): Result {
  return r.request ? { ...r, request: { ...r.request, bytes: undefined, headers: maskHeaders(r.request.headers, r.request.secretHeaders ?? []) } } : r;
}
