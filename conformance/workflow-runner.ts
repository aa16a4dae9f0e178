// Runs Arazzo workflows (loader/workflows.ts plans) through the runner's exchange and checks:
// steps in order, onSuccess / onFailure actions (end, goto, retry), workflowId steps, dependsOn.
import path from 'node:path';
import { RESPONSE_CHECKS, caseName } from './loader/example-cases.ts';
import type { ActionPlan, CriterionSpec, StepPlan, WorkflowPlan } from './loader/workflows.ts';
import type { CheckResult, CriterionOutcome, ReceivedResponse, RequestPlan, SentRequest, TestCase } from './model.ts';
import type { Exchanged } from './runner.ts';
import {
  ExpressionError,
  evaluateExpression,
  evaluateJsonPathCondition,
  evaluateRegexCondition,
  evaluateSimpleCondition,
  resolvePayload,
  resolveValue,
  type ExpressionScope,
} from './workflow-runtime.ts';

/** What the runner lends the workflow interpreter. */
export interface WorkflowHost {
  ensureFixture(): Promise<void>;
  exchange(plan: RequestPlan, testCase: TestCase): Promise<Exchanged>;
  judge(testCase: TestCase, exchanged: Exchanged): CheckResult[];
  finish(testCase: TestCase, results: CheckResult[], response?: ReceivedResponse): void;
  skippedResult(testCase: TestCase, reason: string): CheckResult;
  /** Waits before a retry (retryAfter, or the answer's Retry-After). */
  wait(ms: number): Promise<void>;
  maxWaitMs: number;
}

/** Bounds on what a workflow file can make the suite do: goto loops and workflows calling each other. */
const MAX_STEP_RUNS = 500;
const MAX_DEPTH = 8;

interface WorkflowRun {
  passed: boolean;
  outputs: Record<string, unknown>;
  response?: ReceivedResponse;
}

/** The number of step cases a workflow runs when every step runs once (callees counted in). */
export function plannedSteps(wf: WorkflowPlan, seen = new Set<WorkflowPlan>()): number {
  if (wf.loadError) return 1;
  if (seen.has(wf)) return 0;
  seen.add(wf);
  const n = wf.steps.reduce((sum, s) => sum + (s.target.kind === 'workflow' ? plannedSteps(s.target.workflow, seen) : 1), 0);
  seen.delete(wf);
  return n;
}

export class WorkflowRunner {
  /** `$workflows.<id>.inputs / outputs`: the latest run of each workflow. */
  private readonly done: NonNullable<ExpressionScope['workflows']> = {};
  private readonly results = new Map<WorkflowPlan, boolean>();
  /** Workflows run since the implementation was last reset: what a dependent may rely on. */
  private sinceReset = new Set<WorkflowPlan>();
  private readonly labels = new Map<string, number>();

  constructor(private readonly host: WorkflowHost) {}

  async runAll(workflows: WorkflowPlan[]): Promise<void> {
    for (const wf of workflows) await this.runTopLevel(wf, '', new Set());
  }

  /**
   * A workflow on its own starts from a fresh fixture; one with dependsOn starts after the workflows
   * it depends on, run again (after a reset) unless they were the last to run since one.
   */
  private async runTopLevel(wf: WorkflowPlan, prefix: string, visiting: Set<WorkflowPlan>, inChain = false): Promise<boolean> {
    if (visiting.has(wf)) {
      this.failWorkflow(wf, prefix, `dependsOn goes round in a circle through workflow ${wf.workflowId}`);
      return false;
    }
    const fresh = (d: WorkflowPlan) => this.sinceReset.has(d) && this.results.get(d) === true;
    const ready = wf.dependsOn.length > 0 && wf.dependsOn.every(fresh);
    if (!ready) {
      if (!inChain) {
        await this.host.ensureFixture();
        this.sinceReset = new Set();
      }
      visiting.add(wf);
      for (const d of wf.dependsOn) {
        if (fresh(d)) continue;
        if (!(await this.runTopLevel(d, `${prefix}workflow ${wf.workflowId} > `, visiting, true))) {
          visiting.delete(wf);
          this.skipWorkflow(wf, prefix, `workflow ${d.workflowId}, which it depends on, failed`);
          this.results.set(wf, false);
          return false;
        }
      }
      visiting.delete(wf);
    }
    const run = await this.run(wf, { ...wf.inputs }, prefix, 0);
    this.sinceReset.add(wf);
    this.results.set(wf, run.passed);
    return run.passed;
  }

  private label(text: string): string {
    const n = (this.labels.get(text) ?? 0) + 1;
    this.labels.set(text, n);
    return n === 1 ? text : `${text} (run ${n})`;
  }

  private failWorkflow(wf: WorkflowPlan, prefix: string, message: string): void {
    const testCase = this.workflowCase(wf, this.label(`${prefix}workflow ${wf.workflowId}`));
    this.host.finish(testCase, [{ ...this.host.skippedResult(testCase, ''), status: 'failed', message }]);
  }

  private skipWorkflow(wf: WorkflowPlan, prefix: string, reason: string): void {
    for (const step of wf.steps) {
      const testCase = this.stepCase(wf, step, this.label(`${prefix}workflow ${wf.workflowId} step ${step.stepId}`));
      this.host.finish(testCase, [this.host.skippedResult(testCase, reason)]);
    }
  }

  private workflowCase(wf: WorkflowPlan, label: string): TestCase {
    const where = { tag: 'Workflows', operationId: wf.workflowId };
    return {
      kind: 'workflow',
      name: caseName(where, label),
      ...where,
      operation: null,
      label,
      request: { method: 'get', pathTemplate: '', pathParams: {}, query: [], headers: {}, caller: 'none' },
      checks: ['success_criteria'],
    };
  }

  private stepCase(wf: WorkflowPlan, step: StepPlan, label: string): TestCase {
    if (step.target.kind === 'workflow') return this.workflowCase(step.target.workflow, label);
    const op = step.target.operation;
    return {
      kind: 'workflow',
      name: caseName(op, label),
      tag: op.tag,
      operationId: op.operationId,
      operation: op,
      label,
      request: { method: op.method, pathTemplate: op.path, pathParams: {}, query: [], headers: {}, caller: step.caller },
      checks: [...RESPONSE_CHECKS, 'success_criteria'],
    };
  }

  /** Runs one workflow with its inputs; its steps' cases are emitted as they end. */
  private async run(wf: WorkflowPlan, inputs: Record<string, unknown>, prefix: string, depth: number): Promise<WorkflowRun> {
    if (wf.loadError !== undefined) {
      this.failWorkflow(wf, prefix, wf.loadError);
      return { passed: false, outputs: {} };
    }
    if (depth > MAX_DEPTH) {
      this.failWorkflow(wf, prefix, `workflows call each other more than ${MAX_DEPTH} deep`);
      return { passed: false, outputs: {} };
    }
    const scope: ExpressionScope = { inputs, steps: {}, workflows: this.done, components: wf.components, baseDir: path.dirname(wf.file) };
    // retries are counted per step, from its last success: a workflow-level retry serves each step afresh
    const retriesOf = new Map<StepPlan, Map<ActionPlan, number>>();
    let passed = true;
    let last: ReceivedResponse | undefined;
    let i = 0;
    let runs = 0;
    let failedAt: StepPlan | undefined;
    while (i < wf.steps.length) {
      const step = wf.steps[i]!;
      if (++runs > MAX_STEP_RUNS) {
        this.failWorkflow(wf, prefix, `more than ${MAX_STEP_RUNS} steps run: do its goto actions loop?`);
        passed = false;
        break;
      }
      const label = this.label(`${prefix}workflow ${wf.workflowId} step ${step.stepId}`);
      const outcome = await this.runStep(wf, step, scope, label, depth);
      last = outcome.response ?? last;
      if (!retriesOf.has(step) || outcome.ok) retriesOf.set(step, new Map());
      const retries = retriesOf.get(step)!;
      if (outcome.ok) {
        const action = this.firstAction([...step.onSuccess, ...inherited(wf.successActions, step.onSuccess)], scope, retries);
        outcome.emit();
        if (!action) {
          i++;
          continue;
        }
        if (action.type === 'end') break;
        if (action.stepId !== undefined) {
          i = wf.steps.findIndex((s) => s.stepId === action.stepId);
          continue;
        }
        const sub = await this.run(action.workflow!, { ...action.workflow!.inputs }, `${label} > `, depth + 1);
        passed = sub.passed;
        break;
      }
      const action = this.firstAction([...step.onFailure, ...inherited(wf.failureActions, step.onFailure)], scope, retries);
      if (!action || action.type === 'end') {
        outcome.emit();
        passed = false;
        failedAt = step;
        break;
      }
      if (action.type === 'retry') {
        retries.set(action, (retries.get(action) ?? 0) + 1);
        outcome.emit({ status: 'skipped', note: `retried by onFailure action ${action.name} (attempt ${retries.get(action)} of ${action.retryLimit ?? 1})` });
        await this.host.wait(Math.min(this.host.maxWaitMs, retryDelayMs(action, outcome.response)));
        if (action.stepId !== undefined) {
          const other = wf.steps.find((s) => s.stepId === action.stepId)!;
          const detour = await this.runStep(wf, other, scope, this.label(`${prefix}workflow ${wf.workflowId} step ${other.stepId}`), depth);
          detour.emit();
        } else if (action.workflow) {
          await this.run(action.workflow, { ...action.workflow.inputs }, `${label} > `, depth + 1);
        }
        continue; // the same step again
      }
      outcome.emit({ status: 'passed', note: `handled by onFailure action ${action.name} (goto ${action.stepId ?? action.workflow!.workflowId})` });
      if (action.stepId !== undefined) {
        i = wf.steps.findIndex((s) => s.stepId === action.stepId);
        continue;
      }
      const sub = await this.run(action.workflow!, { ...action.workflow!.inputs }, `${label} > `, depth + 1);
      passed = sub.passed;
      break;
    }
    if (failedAt) {
      for (const rest of wf.steps.slice(wf.steps.indexOf(failedAt) + 1)) {
        const testCase = this.stepCase(wf, rest, this.label(`${prefix}workflow ${wf.workflowId} step ${rest.stepId}`));
        this.host.finish(testCase, [this.host.skippedResult(testCase, `an earlier step (${failedAt.stepId}) failed`)]);
      }
    }
    const outputs: Record<string, unknown> = {};
    for (const [name, expr] of Object.entries(wf.outputs)) outputs[name] = tryEvaluate(expr, scope);
    this.done[wf.workflowId] = { inputs, outputs };
    return { passed, outputs, response: last };
  }

  /**
   * Sends one step (or runs the workflow it names) and judges it; the caller emits its results
   * once it knows which action follows (a retried attempt or a handled failure is not a failure).
   */
  private async runStep(
    wf: WorkflowPlan,
    step: StepPlan,
    scope: ExpressionScope,
    label: string,
    depth: number,
  ): Promise<{ ok: boolean; response?: ReceivedResponse; emit(override?: { status: 'passed' | 'skipped'; note: string }): void }> {
    const testCase = this.stepCase(wf, step, label);
    let results: CheckResult[] = [];
    let response: ReceivedResponse | undefined;
    scope.response = undefined;
    scope.request = undefined;
    scope.outputs = undefined;
    if (step.target.kind === 'workflow') {
      let inputs: Record<string, unknown>;
      try {
        inputs = { ...step.target.workflow.inputs };
        for (const p of step.parameters) inputs[p.name] = resolveValue(p.value, scope);
      } catch (err) {
        if (!(err instanceof ExpressionError)) throw err;
        return this.unbuildable(testCase, step, scope, err);
      }
      const sub = await this.run(step.target.workflow, inputs, `${label} > `, depth + 1);
      response = sub.response;
      scope.response = response;
      scope.outputs = sub.outputs;
      testCase.criteria = step.successCriteria.map((c) => this.criterion(c, scope));
      if (!sub.passed) testCase.criteria.unshift({ condition: `workflow ${step.target.workflow.workflowId} succeeds`, passed: false, got: 'it failed' });
      if (testCase.criteria.length > 0) {
        const bad = testCase.criteria.find((c) => !c.passed);
        results = [{ ...this.host.skippedResult(testCase, ''), ...(bad ? { status: 'failed', message: `expected ${bad.condition}, got ${bad.got}` } : { status: 'passed', message: undefined }) }];
      }
    } else {
      try {
        testCase.request = this.request(step, testCase.request, scope);
      } catch (err) {
        if (!(err instanceof ExpressionError)) throw err;
        return this.unbuildable(testCase, step, scope, err);
      }
      const exchanged = await this.host.exchange(testCase.request, testCase);
      if (testCase.request.caller === 'none') maskOwnCredentials(exchanged.sent, step);
      if (!exchanged.response) {
        // no complete answer (timeout, reset, not HTTP): every check fails saying what happened; later steps skip
        scope.steps[step.stepId] = { outputs: {} };
        const failures = this.host.judge(testCase, exchanged);
        return { ok: false, emit: () => this.host.finish(testCase, failures) };
      }
      response = exchanged.response;
      scope.response = response;
      scope.request = { sent: exchanged.sent, pathParams: testCase.request.pathParams, query: testCase.request.query, body: testCase.request.body?.value };
      testCase.criteria = step.successCriteria.map((c) => this.criterion(c, scope));
      results = this.host.judge(testCase, exchanged);
    }
    const outputs: Record<string, unknown> = {};
    for (const [name, expr] of Object.entries(step.outputs)) outputs[name] = tryEvaluate(expr, scope);
    scope.steps[step.stepId] = { outputs };
    const ok = (testCase.criteria ?? []).every((c) => c.passed);
    return {
      ok,
      response,
      emit: (override) => {
        const shown = override
          ? results.map((r) => (r.check === 'success_criteria' && r.status === 'failed' ? { ...r, status: override.status, message: `${r.message}; ${override.note}` } : r))
          : results;
        if (shown.length > 0) this.host.finish(testCase, shown, response);
      },
    };
  }

  private unbuildable(testCase: TestCase, step: StepPlan, scope: ExpressionScope, err: Error) {
    scope.steps[step.stepId] = { outputs: {} };
    const result: CheckResult = { ...this.host.skippedResult(testCase, ''), status: 'failed', message: `cannot build the request: ${err.message}` };
    return { ok: false, emit: () => this.host.finish(testCase, [result]) };
  }

  private request(step: StepPlan, base: RequestPlan, scope: ExpressionScope): RequestPlan {
    const op = step.target.kind === 'operation' ? step.target.operation : undefined;
    const request: RequestPlan = { ...base, pathParams: {}, query: [], headers: {} };
    const cookies: string[] = [];
    for (const p of step.parameters) {
      const value = resolveValue(p.value, scope);
      if (value === undefined) continue; // an input nobody gave: the parameter is left out
      if (p.in === 'path') request.pathParams[p.name] = value;
      else if (p.in === 'query') request.query.push([p.name, value]);
      else if (p.in === 'cookie') cookies.push(`${p.name}=${encodeURIComponent(String(value))}`);
      else request.headers[p.name] = String(value);
    }
    if (cookies.length > 0) request.headers.Cookie = cookies.join('; ');
    if (step.requestBody) {
      const rb = step.requestBody;
      const mediaType = rb.contentType ?? op?.requestBody?.content[0]?.mediaType ?? 'application/json';
      request.body = { mediaType, value: resolvePayload(rb.payload, rb.contentType ?? mediaType, rb.replacements, scope) };
    }
    return request;
  }

  private criterion(c: CriterionSpec, scope: ExpressionScope): CriterionOutcome {
    const shown = c.type === 'simple' ? c.condition : `${c.condition} (${c.type} on ${c.context})`;
    try {
      if (c.type === 'xpath') return { condition: shown, passed: true, got: 'not evaluated: xpath criteria are not supported' };
      const r =
        c.type === 'simple'
          ? evaluateSimpleCondition(c.condition, scope)
          : c.type === 'regex'
            ? evaluateRegexCondition(c.condition, evaluateExpression(c.context!, scope))
            : evaluateJsonPathCondition(c.condition, evaluateExpression(c.context!, scope), scope);
      return { condition: shown, ...r };
    } catch (err) {
      return { condition: shown, passed: false, got: `an error: ${err instanceof Error ? err.message : err}` };
    }
  }

  /** The first action whose criteria all hold; a retry whose limit is spent gives way to the next. */
  private firstAction(actions: ActionPlan[], scope: ExpressionScope, retries: Map<ActionPlan, number>): ActionPlan | undefined {
    return actions.find(
      (a) =>
        !(a.type === 'retry' && (retries.get(a) ?? 0) >= (a.retryLimit ?? 1)) && a.criteria.every((c) => this.criterion(c, scope).passed),
    );
  }
}

/** Workflow-level actions a step inherits: those it does not override by name. */
function inherited(workflowActions: ActionPlan[], own: ActionPlan[]): ActionPlan[] {
  return workflowActions.filter((a) => !own.some((o) => o.name === a.name));
}

function retryDelayMs(action: ActionPlan, response: ReceivedResponse | undefined): number {
  const header = Number(response?.headers['retry-after']);
  if (Number.isFinite(header) && header >= 0) return header * 1000; // the answer's Retry-After overrules retryAfter
  return (action.retryAfter ?? 0) * 1000;
}

function tryEvaluate(expr: string, scope: ExpressionScope): unknown {
  try {
    return resolveValue(expr, scope);
  } catch {
    return undefined;
  }
}

/** A step that sends its own credentials (a workflow `Authorization` parameter) has them masked in reports too. */
function maskOwnCredentials(sent: SentRequest, step: StepPlan): void {
  if (step.target.kind !== 'operation') return;
  const names = new Set<string>();
  for (const r of step.target.operation.security) {
    for (const { scheme } of r.schemes) names.add(scheme.type === 'apiKey' && scheme.in === 'header' ? String(scheme.name).toLowerCase() : 'authorization');
  }
  if (step.parameters.some((p) => p.in === 'cookie')) names.add('cookie');
  const secret = Object.keys(sent.headers).filter((h) => names.has(h.toLowerCase()));
  if (secret.length > 0) sent.secretHeaders = [...new Set([...(sent.secretHeaders ?? []), ...secret])];
}
