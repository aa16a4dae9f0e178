import { exec } from 'node:child_process';
import path from 'node:path';
import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { failed, skipped } from './checks/check.ts';
import { CHECKS } from './checks/index.ts';
import { ExchangeError, RunConfigError, buildRequest, hasCredentials, send, type Credentials, type HttpTarget } from './http.ts';
import { caseName } from './loader/example-cases.ts';
import { type CoverageRow, emptyCoverage, markCoverage } from './coverage.ts';
import { reachableWorkflows, workflowOperationSteps, type WorkflowPlan } from './loader/workflows.ts';
import type {
  CheckName,
  CheckOutcome,
  CheckResult,
  ReceivedResponse,
  RequestPlan,
  SentRequest,
  SpecModel,
  TestCase,
} from './model.ts';
import { SchemaCompileError, SchemaValidator } from './schema.ts';
import { WorkflowRunner, plannedSteps } from './workflow-runner.ts';

export type ResetConfig = { url: string; method?: string } | { command: string };

export interface RunOptions {
  spec: SpecModel;
  /** Base URL with the spec's server path applied (see effectiveBaseUrl). */
  baseUrl: string;
  credentials: Credentials;
  cases: TestCase[];
  workflows: WorkflowPlan[];
  reset?: ResetConfig;
  maxResponseTimeMs?: number;
  requestTimeoutMs?: number;
  /** How long an example or probe reads a streamed answer (workflow steps read to the end). */
  streamMaxMs?: number;
  /** The most bytes read of one answer's body (default DEFAULT_MAX_RESPONSE_BYTES). */
  maxResponseBytes?: number;
  /** What the user should know before reading the results (missing credentials), shown first. */
  notices?: string[];
  /** The seed of the schema-derived values, so the run can be replayed. */
  seed?: number;
  /** The plan's validator: what it compiled is not compiled again. */
  validator?: SchemaValidator;
}

export type { CoverageCell, CoverageRow } from './coverage.ts';

export interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}

export interface RunReport {
  spec: { title: string; version: string; file: string };
  baseUrl: string;
  /** The first request sent, `METHOD url`: a wrong base URL or server path shows here. */
  firstRequest?: string;
  notices: string[];
  seed?: number;
  startedAt: string;
  durationMs: number;
  requests: number;
  resets: number;
  results: CheckResult[];
  summary: Tally & { byCheck: Record<string, Tally>; cases: number };
  coverage: CoverageRow[];
  /** What the run met and does not support (an Arazzo feature), one sentence each. */
  warnings: string[];
}

export interface RunnerEvents {
  start: [{ total: number; spec: SpecModel; baseUrl: string; notices: string[]; seed?: number }];
  /** The first request, once sent (`METHOD url`). */
  first: [string];
  /** One case (or workflow step) done, with its check results. */
  case: [{ index: number; total: number; testCase: TestCase; results: CheckResult[]; response?: ReceivedResponse }];
  end: [RunReport];
}

const SAFE = new Set(['get', 'head', 'options']);

/** One request and what came of it: an answer, or why there was none. */
export interface Exchanged {
  sent: SentRequest;
  response?: ReceivedResponse;
  failure?: ExchangeError;
}

/** Sends every case and workflow in order, judges each answer with its checks, and emits events. */
export class Runner extends EventEmitter<RunnerEvents> {
  private readonly validator: SchemaValidator;
  private readonly target: HttpTarget;
  private dirty = true;
  private requests = 0;
  private resets = 0;
  private readonly results: CheckResult[] = [];
  private readonly coverage: Map<string, CoverageRow>;
  private index = 0;
  private total = 0;
  private firstRequest: string | undefined;

  constructor(private readonly opts: RunOptions) {
    super();
    this.validator = opts.validator ?? new SchemaValidator({ openapi: opts.spec.openapi });
    this.target = { base: opts.baseUrl, credentials: opts.credentials, requestTimeoutMs: opts.requestTimeoutMs ?? 30_000 };
    this.coverage = emptyCoverage(opts.spec);
  }

  async run(): Promise<RunReport> {
    const started = Date.now();
    this.total = this.opts.cases.length + this.opts.workflows.reduce((n, w) => n + plannedSteps(w), 0);
    this.emit('start', { total: this.total, spec: this.opts.spec, baseUrl: this.opts.baseUrl, notices: this.opts.notices ?? [], seed: this.opts.seed });
    for (const testCase of this.opts.cases) await this.runCase(testCase);
    await new WorkflowRunner({
      ensureFixture: () => this.ensureFixture(),
      exchange: (plan, testCase) => this.exchange(plan, testCase),
      judge: (testCase, exchanged) => this.judge(testCase, exchanged),
      finish: (testCase, results, response) => this.finish(testCase, results, response),
      skippedResult: (testCase, reason) => this.skippedResult(testCase, reason),
      wait: (ms) => sleep(ms),
      maxWaitMs: this.target.requestTimeoutMs,
    }).runAll(this.opts.workflows.filter((wf) => this.hasCredentialsFor(wf)));
    if (this.dirty && this.opts.reset) await this.reset(); // leave the fixture as found
    const report = this.report(started);
    this.emit('end', report);
    return report;
  }

  private checksFor(testCase: TestCase): CheckName[] {
    return testCase.checks.filter((c) => c !== 'max_response_time' || this.opts.maxResponseTimeMs !== undefined);
  }

  private async runCase(testCase: TestCase): Promise<void> {
    if (testCase.specError !== undefined) {
      this.finish(testCase, [{ ...this.skippedResult(testCase, ''), status: 'failed', message: testCase.specError }]);
      return;
    }
    if (testCase.skip) {
      this.markSkippedExample(testCase);
      this.finish(testCase, [this.skippedResult(testCase, testCase.skip)]);
      return;
    }
    // missing_auth spoils the credentials anyway: it runs without any.
    if (testCase.request.caller !== 'none' && !testCase.request.spoilAuth && !hasCredentials(this.opts.credentials[testCase.request.caller])) {
      this.finish(testCase, [this.skippedResult(testCase, `no credentials for role ${testCase.request.caller}`)]);
      return;
    }
    await this.ensureFixture();
    const exchanged = await this.exchange(testCase.request, testCase);
    this.finish(testCase, this.judge(testCase, exchanged), exchanged.response);
  }

  /** Sends one request. No complete answer (timeout, reset, not HTTP) is a `failure`, not an exception: the run goes on. */
  private async exchange(plan: RequestPlan, testCase: TestCase): Promise<Exchanged> {
    const sent = await buildRequest(plan, testCase.operation ?? testCase.securityFrom ?? null, this.target);
    this.requests++;
    if (this.firstRequest === undefined) {
      this.firstRequest = `${sent.method} ${sent.url}`;
      this.emit('first', this.firstRequest);
    }
    const timeoutMs = this.target.requestTimeoutMs;
    // A workflow step reads a stream to its end (within the request timeout): later steps may rely on what it waited for.
    const streamMaxMs = testCase.kind === 'workflow' ? undefined : (this.opts.streamMaxMs ?? 2000);
    const endMarkers = (testCase.operation?.responses ?? []).flatMap((r) => r.content.flatMap((c) => (c.streamEnd ? [c.streamEnd] : [])));
    let response: ReceivedResponse;
    try {
      response = await send(sent, { timeoutMs, streamMaxMs, maxBytes: this.opts.maxResponseBytes, endMarkers });
    } catch (err) {
      if (!(err instanceof ExchangeError)) throw err;
      if (!SAFE.has(plan.method)) this.dirty = true; // the write may have happened before it went wrong
      return { sent, failure: err };
    }
    // A refused write (4xx) changed nothing; anything else may have.
    if (!SAFE.has(plan.method) && (response.status < 400 || response.status >= 500)) this.dirty = true;
    this.markCoverage(testCase, response.status);
    return { sent, response };
  }

  /** Every check of the case on the answer; with no complete answer, every check fails saying what happened. */
  private judge(testCase: TestCase, exchanged: Exchanged): CheckResult[] {
    const { sent, response, failure } = exchanged;
    return this.checksFor(testCase).map((check) => {
      let outcome: CheckOutcome;
      if (!response) outcome = failed('a complete HTTP answer', failure!.message);
      else {
        try {
          outcome = CHECKS[check].run({
            testCase,
            response,
            validator: this.validator,
            options: { maxResponseTimeMs: this.opts.maxResponseTimeMs },
          });
        } catch (err) {
          // A schema of the spec that ajv cannot compile is the spec's matter, named once in the warnings.
          if (err instanceof SchemaCompileError) outcome = skipped(err.message);
          else outcome = { status: 'failed' as const, message: `the check itself failed: ${err instanceof Error ? err.message : err}` };
        }
      }
      const status = response?.status ?? failure?.status;
      return {
        ...outcome,
        name: `${testCase.name} > ${check}`,
        check,
        kind: testCase.kind,
        tag: testCase.tag,
        operationId: testCase.operationId,
        label: testCase.label,
        request: sent,
        ...(status === undefined ? {} : { responseStatus: status }),
        durationMs: Math.round((response?.durationMs ?? failure!.durationMs) * 10) / 10,
      };
    });
  }

  private skippedResult(testCase: TestCase, reason: string): CheckResult {
    const check = testCase.checks[testCase.checks.length - 1] ?? 'not_a_server_error';
    return {
      status: 'skipped',
      message: reason,
      name: `${testCase.name} > ${check}`,
      check,
      kind: testCase.kind,
      tag: testCase.tag,
      operationId: testCase.operationId,
      label: testCase.label,
    };
  }

  private finish(testCase: TestCase, results: CheckResult[], response?: ReceivedResponse): void {
    this.results.push(...results);
    this.emit('case', { index: ++this.index, total: this.total, testCase, results, response });
  }

  /** A workflow a role without credentials would send a step of is listed as skipped, step by step. */
  private hasCredentialsFor(wf: WorkflowPlan): boolean {
    const steps = workflowOperationSteps(wf);
    const lacking = steps.find(({ step }) => step.caller !== 'none' && !hasCredentials(this.opts.credentials[step.caller]))?.step.caller;
    if (lacking === undefined) return true;
    for (const { step, operation, workflow } of steps) {
      const label = `workflow ${workflow.workflowId} step ${step.stepId}`;
      const testCase: TestCase = {
        kind: 'workflow',
        name: caseName(operation, label),
        tag: operation.tag,
        operationId: operation.operationId,
        operation,
        label,
        request: { method: operation.method, pathTemplate: operation.path, pathParams: {}, query: [], headers: {}, caller: step.caller },
        checks: ['success_criteria'],
      };
      this.finish(testCase, [this.skippedResult(testCase, `no credentials for role ${lacking}`)]);
    }
    return false;
  }

  private async ensureFixture(): Promise<void> {
    if (this.dirty && this.opts.reset) await this.reset();
    this.dirty = false;
  }

  private async reset(): Promise<void> {
    const reset = this.opts.reset!;
    this.resets++;
    if ('command' in reset) {
      try {
        await promisify(exec)(reset.command);
      } catch (err) {
        throw new RunConfigError(`reset command failed: ${reset.command}: ${err instanceof Error ? err.message.split('\n')[0] : err}`);
      }
      return;
    }
    const method = (reset.method ?? 'POST').toUpperCase();
    const url = new URL(reset.url, this.opts.baseUrl).toString();
    let status: number;
    try {
      // JSON, as a reference server's control API requires (a web page cannot send it without a preflight)
      const body = method === 'GET' || method === 'HEAD' ? {} : { headers: { 'content-type': 'application/json' }, body: '{}' };
      const res = await fetch(url, { method, ...body, signal: AbortSignal.timeout(this.target.requestTimeoutMs) });
      await res.body?.cancel(); // only the status matters; the body may be endless
      status = res.status;
    } catch (err) {
      throw new RunConfigError(`reset ${method} ${url} failed: ${err instanceof Error ? err.message : err}`);
    }
    if (status >= 300) throw new RunConfigError(`reset ${method} ${url} answered ${status}`);
  }

  private markCoverage(testCase: TestCase, status: number): void {
    if (testCase.operation) markCoverage(this.coverage, testCase.operation, status, testCase.kind);
  }

  private markSkippedExample(testCase: TestCase): void {
    if (testCase.kind !== 'example' || !testCase.example || !testCase.operation) return;
    const cell = this.coverage.get(testCase.operation.operationId)?.cells.find((c) => c.status === String(testCase.example!.status));
    cell?.skipped.push(`${testCase.label}: ${testCase.skip}`);
  }

  private report(started: number): RunReport {
    const tally = (): Tally => ({ passed: 0, failed: 0, skipped: 0 });
    const summary = { ...tally(), byCheck: {} as Record<string, Tally>, cases: this.index };
    for (const r of this.results) {
      summary[r.status]++;
      (summary.byCheck[r.check] ??= tally())[r.status]++;
    }
    return {
      spec: { title: this.opts.spec.title, version: this.opts.spec.version, file: this.opts.spec.file },
      baseUrl: this.opts.baseUrl,
      firstRequest: this.firstRequest,
      notices: this.opts.notices ?? [],
      seed: this.opts.seed,
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      requests: this.requests,
      resets: this.resets,
      results: this.results,
      summary,
      coverage: [...this.coverage.values()],
      warnings: [
        ...new Set(this.opts.workflows.flatMap((w) => reachableWorkflows(w)).flatMap((w) => w.warnings)),
        ...[...this.validator.failures].map(([message, n]) => `${message} (${n} schema${n === 1 ? '' : 's'}); the checks and probes that need ${n === 1 ? 'it' : 'them'} are skipped`),
      ],
    };
  }
}
