import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { OperationSpec, SpecModel } from '../model.ts';
import { SpecLoadError } from './load-spec.ts';

/**
 * The subset of Arazzo 1.0 this suite runs: steps that name an operationId, parameters (path, query,
 * header), requestBody (contentType, payload), successCriteria (simple conditions and jsonpath),
 * outputs, and runtime expressions $inputs, $steps, $statusCode, $response.body[#/pointer] and
 * $response.header.NAME. One extension: `x-caller` on a step names the role that sends it.
 */
export interface WorkflowPlan {
  file: string;
  workflowId: string;
  summary: string;
  inputs: Record<string, unknown>;
  steps: StepPlan[];
}

export interface StepPlan {
  stepId: string;
  operation: OperationSpec;
  parameters: { name: string; in: 'path' | 'query' | 'header'; value: unknown }[];
  requestBody?: { contentType: string; payload: unknown };
  successCriteria: CriterionSpec[];
  outputs: Record<string, string>;
  caller?: string;
}

export interface CriterionSpec {
  condition: string;
  context?: string;
  type: 'simple' | 'jsonpath';
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `*.arazzo.yaml` / `*.arazzo.json` files in `dir` (missing dir: none). */
export function findWorkflowFiles(dirOrFile: string): string[] {
  if (!fs.existsSync(dirOrFile)) return [];
  if (fs.statSync(dirOrFile).isFile()) return [dirOrFile];
  return fs
    .readdirSync(dirOrFile)
    .filter((f) => /\.arazzo\.(ya?ml|json)$/.test(f))
    .sort()
    .map((f) => path.join(dirOrFile, f));
}

export function loadWorkflows(files: string[], spec: SpecModel): WorkflowPlan[] {
  const byId = new Map(spec.operations.map((o) => [o.operationId, o]));
  const plans: WorkflowPlan[] = [];
  for (const file of files) {
    const where = path.relative(process.cwd(), file);
    let doc: unknown;
    try {
      doc = parse(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      throw new SpecLoadError(`workflow file ${where} does not load: ${err instanceof Error ? err.message.split('\n')[0] : err}`);
    }
    if (!isObj(doc) || typeof doc.arazzo !== 'string' || !Array.isArray(doc.workflows)) {
      throw new SpecLoadError(`workflow file ${where} is not an Arazzo document (no arazzo version or workflows)`);
    }
    for (const rawWf of doc.workflows) {
      const wf = isObj(rawWf) ? rawWf : {};
      const workflowId = String(wf.workflowId ?? '?');
      const inputs: Record<string, unknown> = {};
      const props = isObj(wf.inputs) && isObj(wf.inputs.properties) ? wf.inputs.properties : {};
      for (const [name, s] of Object.entries(props)) if (isObj(s) && 'default' in s) inputs[name] = s.default;
      const steps = (Array.isArray(wf.steps) ? wf.steps : []).map((rawStep): StepPlan => {
        const step = isObj(rawStep) ? rawStep : {};
        const stepId = String(step.stepId ?? '?');
        const ref = typeof step.operationId === 'string' ? step.operationId.replace(/^\$sourceDescriptions\.[^.]+\./, '') : '';
        const operation = byId.get(ref);
        if (!operation) {
          throw new SpecLoadError(
            `workflow ${workflowId} step ${stepId} in ${where}: ${ref ? `operationId ${ref} is not in the spec` : 'only steps with an operationId are supported'}`,
          );
        }
        const body = isObj(step.requestBody) ? step.requestBody : undefined;
        return {
          stepId,
          operation,
          parameters: (Array.isArray(step.parameters) ? step.parameters : []).filter(isObj).map((p) => ({
            name: String(p.name),
            in: (p.in === 'query' || p.in === 'header' ? p.in : 'path') as 'path' | 'query' | 'header',
            value: p.value,
          })),
          requestBody: body
            ? { contentType: typeof body.contentType === 'string' ? body.contentType : 'application/json', payload: body.payload }
            : undefined,
          successCriteria: (Array.isArray(step.successCriteria) ? step.successCriteria : []).filter(isObj).map((c) => ({
            condition: String(c.condition),
            context: typeof c.context === 'string' ? c.context : undefined,
            type: c.type === 'jsonpath' ? 'jsonpath' : 'simple',
          })),
          outputs: isObj(step.outputs) ? Object.fromEntries(Object.entries(step.outputs).map(([k, v]) => [k, String(v)])) : {},
          caller: typeof step['x-caller'] === 'string' ? step['x-caller'] : undefined,
        };
      });
      plans.push({ file, workflowId, summary: typeof wf.summary === 'string' ? wf.summary : '', inputs, steps });
    }
  }
  return plans;
}
