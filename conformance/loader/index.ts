import { hasCredentials, type Credentials } from '../http.ts';
import type { CheckName, SpecModel, TestCase } from '../model.ts';
import { SchemaValidator } from '../schema.ts';
import { SchemaValues } from './request-values.ts';
import { exampleCases } from './example-cases.ts';
import { loadSpec } from './load-spec.ts';
import { probeCases } from './probe-cases.ts';
import { findWorkflowFiles, loadWorkflows, workflowOperationSteps, type WorkflowPlan } from './workflows.ts';

export { SpecLoadError } from './load-spec.ts';

export interface Selection {
  operations?: string[];
  tags?: string[];
  checks?: CheckName[];
  /** Seeds the values drawn for request parts with no example (--seed). */
  seed?: number;
}

export interface Plan {
  spec: SpecModel;
  cases: TestCase[];
  workflows: WorkflowPlan[];
  /** Roles that requests will be sent as (besides `none`), each with where it is first named. */
  roles: Map<string, string>;
  /** The seed of the values drawn from schemas. */
  seed: number;
  /** The schemas compiled for the plan, shared with the run. */
  validator: SchemaValidator;
}

/** Spec -> every case to run: example replay, probes, then workflows, narrowed by the selection. */
export async function buildPlan(specPath: string, workflowPaths: string[], selection: Selection = {}): Promise<Plan> {
  const spec = await loadSpec(specPath);
  const validator = new SchemaValidator({ openapi: spec.openapi });
  const seed = selection.seed ?? randomSeed();
  const values = new SchemaValues(seed, validator);
  const examples = exampleCases(spec, values);
  const probes = probeCases(spec, examples, validator, { values });
  const files = workflowPaths.flatMap(findWorkflowFiles);
  let workflows = loadWorkflows(files, spec);

  const opSelected = (tag: string, operationId: string) =>
    (!selection.operations?.length || selection.operations.includes(operationId)) &&
    (!selection.tags?.length || selection.tags.includes(tag));
  const wanted = selection.checks?.length ? new Set(selection.checks) : undefined;

  const cases: TestCase[] = [];
  for (const c of [...examples, ...probes]) {
    if (!opSelected(c.tag, c.operationId)) continue;
    const checks = wanted ? c.checks.filter((k) => wanted.has(k)) : c.checks;
    if (checks.length === 0) continue;
    cases.push({ ...c, checks });
  }
  workflows = workflows.filter(
    (wf) =>
      (wf.loadError !== undefined
        ? !selection.operations?.length && !selection.tags?.length
        : workflowOperationSteps(wf).some(({ operation }) => opSelected(operation.tag, operation.operationId))) &&
      (!wanted || ['success_criteria', 'not_a_server_error', 'status_code_conformance', 'content_type_conformance', 'response_schema_conformance', 'response_headers_conformance'].some((k) => wanted.has(k as CheckName))),
  );

  const roles = new Map<string, string>();
  for (const c of cases) {
    if (c.skip || c.request.caller === 'none' || c.checks.includes('cross_user_access')) continue;
    if (!roles.has(c.request.caller)) roles.set(c.request.caller, c.name);
  }
  for (const wf of workflows) {
    for (const { step, workflow } of workflowOperationSteps(wf)) {
      if (step.caller !== 'none' && !roles.has(step.caller)) roles.set(step.caller, `workflow ${workflow.workflowId} step ${step.stepId}`);
    }
  }
  return { spec, cases, workflows, roles, seed, validator };
}

function randomSeed(): number {
  return Math.floor(Math.random() * 0x7fffffff);
}

/**
 * The one notice of a run whose roles lack credentials: how many operations need them and how to
 * give them. Their cases are skipped; missing_auth still runs. Undefined when nothing is missing.
 */
export function credentialsNotice(plan: Plan, credentials: Credentials): string | undefined {
  const missing = [...plan.roles.keys()].filter((role) => !hasCredentials(credentials[role]));
  if (missing.length === 0) return undefined;
  const needs = (caller: string) => missing.includes(caller);
  const operations = new Set<string>();
  for (const c of plan.cases) if (!c.skip && needs(c.request.caller) && !c.request.spoilAuth) operations.add(c.operationId);
  for (const wf of plan.workflows) for (const { step, operation } of workflowOperationSteps(wf)) if (needs(step.caller)) operations.add(operation.operationId);
  const onlyDefault = missing.length === 1 && missing[0] === plan.spec.defaultRole;
  const how = onlyDefault
    ? 'give --token <token>, --basic <user:password> or --header <Name>=<value>'
    : `give --token <role>=<token>, --basic <role>=<user:password> or --header <role>:<Name>=<value> for role${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`;
  const n = operations.size;
  return `${n} operation${n === 1 ? '' : 's'} need${n === 1 ? 's' : ''} credentials: ${how}; their cases are skipped (missing_auth still runs)`;
}
