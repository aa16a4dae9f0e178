import type { RunReport } from '../runner.ts';

/** The whole report as JSON; credentials are masked. */
export function jsonReport(report: RunReport): string {
  return `${JSON.stringify(maskReport(report), null, 2)}\n`;
}

export function maskReport(report: RunReport): RunReport {
  return {
    ...report,
    results: report.results.map((r) =>
      r.request ? { ...r, request: { ...r.request, bytes: undefined, headers: maskHeaders(r.request.headers, r.request.secretHeaders ?? []) } } : r,
    ),
  };
}

const SECRET = new Set(['authorization', 'cookie', 'x-api-key', 'proxy-authorization']);

function maskHeaders(h: Record<string, string>, secret: string[]): Record<string, string> {
  return Object.fromEntries(
    Object.entries(h).map(([k, v]) => [k, SECRET.has(k.toLowerCase()) || secret.includes(k.toLowerCase()) ? v.replace(/(\S+)$/, (t) => `${t.slice(0, 3)}***`) : v]),
  );
}
