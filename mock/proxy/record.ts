// What the proxy saw, kept as a conformance run report (conformance/runner.ts RunReport), so the
// suite's reporters (console, json, junit, html) write it: results per check, tallies, and the
// coverage matrix operation x documented status filled from the traffic.
import type { CheckOutcome, CheckName, CheckResult, SentRequest, SpecModel, TestCase } from '../../conformance/model.ts';
import { type CoverageRow, emptyCoverage, markCoverage } from '../../conformance/coverage.ts';
import type { RunReport, Tally } from '../../conformance/runner.ts';
import { maskHeaders } from './mask.ts';

export class TrafficRecord {
  private readonly started = Date.now();
  private readonly coverage: Map<string, CoverageRow>;
  private readonly results: CheckResult[] = [];
  private readonly summary: Tally & { byCheck: Record<string, Tally>; cases: number } = { passed: 0, failed: 0, skipped: 0, byCheck: {}, cases: 0 };
  private violations = 0;
  private unlisted = 0;
  private firstRequest: string | undefined;

  constructor(
    private readonly spec: SpecModel,
    private readonly upstream: string,
    private readonly maxListed: number,
  ) {
    this.coverage = emptyCoverage(spec, { traffic: true });
  }

  add(testCase: TestCase, outcomes: { check: CheckName; outcome: CheckOutcome }[], request: SentRequest, status: number, durationMs: number): void {
    this.summary.cases++;
    this.firstRequest ??= `${request.method} ${request.url}`;
    if (testCase.operation) markCoverage(this.coverage, testCase.operation, status, 'traffic');
    const sent: SentRequest = { ...request, headers: maskHeaders(request.headers, request.secretHeaders ?? []) };
    for (const { check, outcome } of outcomes) {
      this.summary[outcome.status]++;
      (this.summary.byCheck[check] ??= { passed: 0, failed: 0, skipped: 0 })[outcome.status]++;
      if (outcome.status === 'failed') this.violations++;
      // A long run is counted whole; its listing keeps every failure and the first passes.
      if (outcome.status !== 'failed' && this.results.length >= this.maxListed) {
        this.unlisted++;
        continue;
      }
      this.results.push({
        ...outcome,
        name: `${testCase.name} > ${check}`,
        check,
        kind: 'traffic',
        tag: testCase.tag,
        operationId: testCase.operationId,
        label: testCase.label,
        request: sent,
        responseStatus: status,
        durationMs: Math.round(durationMs * 10) / 10,
      });
    }
  }

  stats(): { requests: number; violations: number } {
    return { requests: this.summary.cases, violations: this.violations };
  }

  report(): RunReport {
    return {
      spec: { title: this.spec.title, version: this.spec.version, file: this.spec.file },
      baseUrl: this.upstream,
      firstRequest: this.firstRequest,
      notices: [],
      startedAt: new Date(this.started).toISOString(),
      durationMs: Date.now() - this.started,
      requests: this.summary.cases,
      resets: 0,
      results: [...this.results],
      summary: { ...this.summary, byCheck: structuredClone(this.summary.byCheck) },
      coverage: structuredClone([...this.coverage.values()]),
      warnings: this.unlisted > 0 ? [`${this.unlisted} passed or skipped check results are counted but not listed (the first ${this.maxListed} results are)`] : [],
    };
  }
}
