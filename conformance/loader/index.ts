import { hasCredentials, type Credentials } from '../http.ts';
import type { CheckName, SpecModel, TestCase } from '../model.ts';
import { SchemaValidator } from '../schema.ts';
import { exampleCases } from './example-cases.ts';
import { loadSpec } from './load-spec.ts';
import { probeCases } from './probe-cases.ts';
import { findWorkflowFiles, loadWorkflows, workflowOperationSteps, type WorkflowPlan } from './workflows.ts';

export { SpecLoadError } from './load-spec.ts';

export interface Selection {
  operations?: string[];
  tags?: string[];
  checks?: CheckName[];
}

export interface Plan {
  spec: SpecModel;
  cases: TestCase[];
  workflows: WorkflowPlan[];
  /** Roles that requests will be sent as (besides `none`), each with where it is first named. */
  roles: Map<string, string>;
}

/** A role named by an example or a workflow with no token: a usage error (exit 2). */
export class UnknownRoleError extends Error {}

/** Spec -> every case to run: example replay, probes, then workflows, narrowed by the selection. */
export async function buildPlan(specPath: string, workflowPaths: string[], selection: Selection = {}): Promise<Plan> {
  const spec = await loadSpec(specPath);
  const validator = new SchemaValidator();
  const examples = exampleCases(spec);
  const probes = probeCases(spec, examples, validator);
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
  return { spec, cases, workflows, roles };
}

export function assertRolesKnown(plan: Plan, credentials: Credentials): void {
  for (const [role, where] of plan.roles) {
    if (!hasCredentials(credentials[role])) {
      throw new UnknownRoleError(`unknown role ${role} (named by ${where}): give --token ${role}=<token> or add it to the config's tokens`);
    }
  }
}
