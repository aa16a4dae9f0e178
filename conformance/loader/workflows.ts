import fs from 'node:fs';
import path from 'node:path';
import { readYamlFile } from '../../shared/spec-files.ts';
import type { Caller, OperationSpec, SpecModel } from '../model.ts';
import { assertSimpleCondition } from '../workflow-runtime.ts';
import { workflowCaller } from './example-cases.ts';

/**
 * Arazzo 1.0 documents, read into plans the runner interprets: steps that name an operation
 * (`operationId` plain, `$sourceDescriptions.<name>.<id>` or `<name>.<id>`; `operationPath`
 * pointing into the source) or another workflow (`workflowId`, in this document or in an `arazzo`
 * source description), workflow and step parameters, request bodies with replacements, criteria,
 * onSuccess / onFailure actions, outputs, `dependsOn` and `components` references. Every OpenAPI
 * source description is served by the spec under test. A workflow that cannot be read keeps its
 * reason in `loadError`: the runner fails its case and the run goes on. One extension: `x-caller`
 * on a step names the role that sends it.
 */
export interface WorkflowPlan {
  file: string;
  workflowId: string;
  summary: string;
  /** Input defaults (`inputs.properties.*.default`, `$ref`s to components/inputs followed). */
  inputs: Record<string, unknown>;
  steps: StepPlan[];
  successActions: ActionPlan[];
  failureActions: ActionPlan[];
  outputs: Record<string, string>;
  dependsOn: WorkflowPlan[];
  /** The document's `components`, for `$components.` expressions. */
  components: Record<string, unknown>;
  /** What the document uses that the suite does not run, in one sentence each. */
  warnings: string[];
  /** Why the workflow cannot run (unknown operation, unreadable file...). */
  loadError?: string;
}

export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie';

export interface ParameterPlan {
  name: string;
  /** Absent for a workflowId step: its parameters are the callee's inputs. */
  in?: ParameterLocation;
  value: unknown;
}

export type StepTarget = { kind: 'operation'; operation: OperationSpec } | { kind: 'workflow'; workflow: WorkflowPlan };

export interface StepPlan {
  stepId: string;
  target: StepTarget;
  /** Workflow-level parameters merged in (the step's own win). */
  parameters: ParameterPlan[];
  requestBody?: { contentType?: string; payload: unknown; replacements: { target: string; value: unknown }[] };
  successCriteria: CriterionSpec[];
  onSuccess: ActionPlan[];
  onFailure: ActionPlan[];
  outputs: Record<string, string>;
  /** Who sends an operation step: `x-caller`, else `none` when the step sends its own credentials, else the default role. */
  caller: Caller;
}

export interface CriterionSpec {
  condition: string;
  context?: string;
  type: 'simple' | 'regex' | 'jsonpath' | 'xpath';
}

export interface ActionPlan {
  name: string;
  type: 'end' | 'goto' | 'retry';
  stepId?: string;
  workflow?: WorkflowPlan;
  /** Seconds to wait before a retry. */
  retryAfter?: number;
  retryLimit?: number;
  criteria: CriterionSpec[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const LOCATIONS: ParameterLocation[] = ['path', 'query', 'header', 'cookie'];

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

interface SourceDescription {
  name: string;
  type: string;
  url: string;
}

interface ArazzoDocument {
  file: string;
  where: string;
  raw: Obj;
  sources: Map<string, SourceDescription>;
  workflows: Map<string, WorkflowPlan>;
  /** Set when the file cannot be read at all. */
  error?: string;
}

class LoadError extends Error {}

/** The workflows of `files` (each in document order); documents they call are loaded as needed. */
export function loadWorkflows(files: string[], spec: SpecModel): WorkflowPlan[] {
  const loader = new Loader(spec);
  return files.flatMap((file) => {
    const doc = loader.document(path.resolve(file));
    if (doc.error) return [brokenPlan(doc.file, doc.error)];
    return [...doc.workflows.values()];
  });
}

/** A workflow and every workflow it may run: dependencies, workflowId steps, goto and retry targets. */
export function reachableWorkflows(wf: WorkflowPlan, seen = new Set<WorkflowPlan>()): WorkflowPlan[] {
  if (seen.has(wf)) return [];
  seen.add(wf);
  const next = [
    ...wf.dependsOn,
    ...wf.steps.flatMap((s) => (s.target.kind === 'workflow' ? [s.target.workflow] : [])),
    ...[...wf.successActions, ...wf.failureActions, ...wf.steps.flatMap((s) => [...s.onSuccess, ...s.onFailure])].flatMap((a) => (a.workflow ? [a.workflow] : [])),
  ];
  return [wf, ...next.flatMap((n) => reachableWorkflows(n, seen))];
}

/** Every operation step a workflow may run, through the workflows it reaches. */
export function workflowOperationSteps(wf: WorkflowPlan): { step: StepPlan; operation: OperationSpec; workflow: WorkflowPlan }[] {
  return reachableWorkflows(wf).flatMap((w) => w.steps.flatMap((step) => (step.target.kind === 'operation' ? [{ step, operation: step.target.operation, workflow: w }] : [])));
}

function emptyPlan(file: string, workflowId: string): WorkflowPlan {
  return {
    file,
    workflowId,
    summary: '',
    inputs: {},
    steps: [],
    successActions: [],
    failureActions: [],
    outputs: {},
    dependsOn: [],
    components: {},
    warnings: [],
  };
}

function brokenPlan(file: string, reason: string): WorkflowPlan {
  return { ...emptyPlan(file, path.basename(file)), loadError: reason };
}

class Loader {
  private readonly docs = new Map<string, ArazzoDocument>();
  private readonly byId: Map<string, OperationSpec>;

  constructor(private readonly spec: SpecModel) {
    this.byId = new Map(spec.operations.map((o) => [o.operationId, o]));
  }

  document(file: string): ArazzoDocument {
    const known = this.docs.get(file);
    if (known) return known;
    const where = path.relative(process.cwd(), file) || file;
    const doc: ArazzoDocument = { file, where, raw: {}, sources: new Map(), workflows: new Map() };
    this.docs.set(file, doc);
    let raw: unknown;
    try {
      raw = readYamlFile(file);
    } catch (err) {
      doc.error = `workflow file ${where} does not load: ${err instanceof Error ? err.message.split('\n')[0] : err}`;
      return doc;
    }
    if (!isObj(raw) || typeof raw.arazzo !== 'string' || !Array.isArray(raw.workflows)) {
      doc.error = `workflow file ${where} is not an Arazzo document (no arazzo version or workflows)`;
      return doc;
    }
    doc.raw = raw;
    for (const s of Array.isArray(raw.sourceDescriptions) ? raw.sourceDescriptions : []) {
      if (isObj(s) && typeof s.name === 'string') doc.sources.set(s.name, { name: s.name, type: typeof s.type === 'string' ? s.type : 'openapi', url: String(s.url ?? '') });
    }
    const components = isObj(raw.components) ? raw.components : {};
    // shells first: steps, actions and dependsOn may name workflows further down, or each other
    raw.workflows.forEach((w, i) => {
      const id = isObj(w) && typeof w.workflowId === 'string' ? w.workflowId : `workflows[${i}]`;
      const plan = emptyPlan(file, id);
      plan.components = components;
      plan.summary = isObj(w) && typeof w.summary === 'string' ? w.summary : '';
      doc.workflows.set(id, plan);
    });
    const warnings = this.sourceWarnings(doc);
    raw.workflows.forEach((w, i) => {
      const plan = [...doc.workflows.values()][i]!;
      plan.warnings.push(...warnings);
      try {
        this.fill(plan, isObj(w) ? w : {}, doc);
      } catch (err) {
        if (!(err instanceof LoadError)) throw err;
        plan.steps = [];
        plan.loadError = `workflow ${plan.workflowId} in ${where}: ${err.message}`;
      }
    });
    return doc;
  }

  private sourceWarnings(doc: ArazzoDocument): string[] {
    const out: string[] = [];
    for (const s of doc.sources.values()) {
      if (s.type === 'openapi' && path.resolve(path.dirname(doc.file), s.url) !== this.spec.file) {
        out.push(`${doc.where}: source description ${s.name} (${s.url}) is not the spec under test; its operations are looked up in ${path.relative(process.cwd(), this.spec.file)}`);
      } else if (s.type !== 'openapi' && s.type !== 'arazzo') {
        out.push(`${doc.where}: source description ${s.name} has type ${s.type}, which the suite does not run`);
      }
    }
    return out;
  }

  private fill(plan: WorkflowPlan, wf: Obj, doc: ArazzoDocument): void {
    plan.inputs = inputDefaults(wf.inputs, doc.raw);
    const required = isObj(resolveRef(wf.inputs, doc.raw)) ? (resolveRef(wf.inputs, doc.raw) as Obj).required : undefined;
    for (const name of Array.isArray(required) ? required : []) {
      if (!(String(name) in plan.inputs)) plan.warnings.push(`workflow ${plan.workflowId}: input ${name} is required and has no default; it is sent empty`);
    }
    plan.outputs = stringMap(wf.outputs);
    plan.dependsOn = (Array.isArray(wf.dependsOn) ? wf.dependsOn : []).map((d) => this.workflowRef(String(d), doc));
    const wfParams = this.parameters(wf.parameters, doc, `workflow ${plan.workflowId}`);
    plan.successActions = this.actions(wf.successActions, doc, 'successActions', plan);
    plan.failureActions = this.actions(wf.failureActions, doc, 'failureActions', plan);
    const steps = Array.isArray(wf.steps) ? wf.steps : [];
    plan.steps = steps.map((rawStep, i) => this.step(isObj(rawStep) ? rawStep : {}, i, wfParams, doc, plan));
    const ids = new Set(plan.steps.map((s) => s.stepId));
    for (const a of [...plan.successActions, ...plan.failureActions, ...plan.steps.flatMap((s) => [...s.onSuccess, ...s.onFailure])]) {
      if (a.stepId !== undefined && !ids.has(a.stepId)) throw new LoadError(`action ${a.name} goes to step ${a.stepId}, which is not in the workflow`);
    }
  }

  private step(step: Obj, index: number, wfParams: ParameterPlan[], doc: ArazzoDocument, plan: WorkflowPlan): StepPlan {
    const stepId = typeof step.stepId === 'string' ? step.stepId : `steps[${index}]`;
    const where = `step ${stepId}`;
    let target: StepTarget;
    if (typeof step.operationId === 'string') target = { kind: 'operation', operation: this.operationById(step.operationId, doc) };
    else if (typeof step.operationPath === 'string') target = { kind: 'operation', operation: this.operationByPath(step.operationPath, doc) };
    else if (typeof step.workflowId === 'string') target = { kind: 'workflow', workflow: this.workflowRef(step.workflowId, doc) };
    else throw new LoadError(`${where} names no operationId, operationPath or workflowId`);

    const own = this.parameters(step.parameters, doc, where);
    let parameters = own;
    if (target.kind === 'operation') {
      const op = target.operation;
      // a workflow parameter reaches every operation step unless the step sets the same one
      const key = (p: ParameterPlan) => `${p.in}:${p.in === 'header' ? p.name.toLowerCase() : p.name}`;
      const located = own.map((p) => ({ ...p, in: p.in ?? locate(p.name, op, where) }));
      const mine = new Set(located.map(key));
      parameters = [...wfParams.map((p) => ({ ...p, in: p.in ?? locate(p.name, op, where) })).filter((p) => !mine.has(key(p))), ...located];
      for (const p of parameters) {
        if (p.in === 'path' && !op.path.includes(`{${p.name}}`)) plan.warnings.push(`workflow ${plan.workflowId} ${where}: path parameter ${p.name} is not in ${op.path}; it is not sent`);
      }
    }
    const body = isObj(step.requestBody) ? step.requestBody : undefined;
    const replacements = (body && Array.isArray(body.replacements) ? body.replacements : []).filter(isObj).flatMap((r) => {
      const t = String(r.target ?? '');
      if (t.startsWith('/') || t.startsWith('#/') || t === '') return [{ target: t, value: r.value }];
      plan.warnings.push(`workflow ${plan.workflowId} ${where}: replacement target ${t} is not a JSON pointer (XPath targets are not supported); it is not applied`);
      return [];
    });
    const caller: Caller =
      typeof step['x-caller'] === 'string'
        ? step['x-caller']
        : target.kind === 'operation' && sendsOwnCredentials(parameters, target.operation)
          ? 'none'
          : target.kind === 'operation'
            ? workflowCaller(target.operation, this.spec)
            : 'none';
    return {
      stepId,
      target,
      parameters,
      requestBody: body
        ? { contentType: typeof body.contentType === 'string' ? body.contentType : undefined, payload: body.payload, replacements }
        : undefined,
      successCriteria: this.criteria(step.successCriteria, `workflow ${plan.workflowId} ${where}`, plan),
      onSuccess: this.actions(step.onSuccess, doc, 'successActions', plan),
      onFailure: this.actions(step.onFailure, doc, 'failureActions', plan),
      outputs: stringMap(step.outputs),
      caller,
    };
  }

  private parameters(list: unknown, doc: ArazzoDocument, where: string): ParameterPlan[] {
    return (Array.isArray(list) ? list : []).filter(isObj).map((p) => {
      let param = p;
      if (typeof p.reference === 'string') {
        const target = componentAt(p.reference, 'parameters', doc);
        if (!target) throw new LoadError(`${where}: ${p.reference} is not a parameter in components`);
        param = 'value' in p ? { ...target, value: p.value } : target;
      }
      if (typeof param.name !== 'string') throw new LoadError(`${where}: a parameter has no name`);
      const at = param.in;
      if (at !== undefined && !LOCATIONS.includes(at as ParameterLocation)) throw new LoadError(`${where}: parameter ${param.name} is in ${String(at)}, not path, query, header or cookie`);
      return { name: param.name, in: at as ParameterLocation | undefined, value: param.value };
    });
  }

  private criteria(list: unknown, where: string, plan: WorkflowPlan): CriterionSpec[] {
    return (Array.isArray(list) ? list : []).filter(isObj).map((c) => {
      const rawType = isObj(c.type) ? c.type.type : (c.type ?? 'simple');
      const type = String(rawType);
      if (!['simple', 'regex', 'jsonpath', 'xpath'].includes(type)) throw new LoadError(`${where}: criterion type ${type} is not simple, regex, jsonpath or xpath`);
      if (type === 'xpath') plan.warnings.push(`${where}: xpath criteria are not supported; "${String(c.condition)}" is not evaluated`);
      if ((type === 'regex' || type === 'jsonpath') && typeof c.context !== 'string') throw new LoadError(`${where}: a ${type} criterion needs a context`);
      if (type === 'simple') {
        try {
          assertSimpleCondition(String(c.condition ?? ''));
        } catch (err) {
          throw new LoadError(`${where}: condition ${String(c.condition)} cannot be read: ${err instanceof Error ? err.message : err}`);
        }
      }
      return { condition: String(c.condition ?? ''), context: typeof c.context === 'string' ? c.context : undefined, type: type as CriterionSpec['type'] };
    });
  }

  private actions(list: unknown, doc: ArazzoDocument, kind: 'successActions' | 'failureActions', plan: WorkflowPlan): ActionPlan[] {
    return (Array.isArray(list) ? list : []).filter(isObj).map((raw) => {
      let a = raw;
      if (typeof raw.reference === 'string') {
        const target = componentAt(raw.reference, kind, doc);
        if (!target) throw new LoadError(`${raw.reference} is not one of components.${kind}`);
        a = target;
      }
      const name = String(a.name ?? a.type);
      const type = String(a.type);
      const allowed = kind === 'successActions' ? ['end', 'goto'] : ['end', 'goto', 'retry'];
      if (!allowed.includes(type)) throw new LoadError(`action ${name} has type ${type}; ${kind === 'successActions' ? 'onSuccess' : 'onFailure'} takes ${allowed.join(', ')}`);
      if (type === 'goto' && typeof a.stepId !== 'string' && typeof a.workflowId !== 'string') throw new LoadError(`goto action ${name} names no stepId or workflowId`);
      return {
        name,
        type: type as ActionPlan['type'],
        stepId: typeof a.stepId === 'string' ? a.stepId : undefined,
        workflow: typeof a.workflowId === 'string' ? this.workflowRef(a.workflowId, doc) : undefined,
        retryAfter: typeof a.retryAfter === 'number' && a.retryAfter >= 0 ? a.retryAfter : undefined,
        retryLimit: typeof a.retryLimit === 'number' && a.retryLimit >= 0 ? Math.floor(a.retryLimit) : undefined,
        criteria: this.criteria(a.criteria, `workflow ${plan.workflowId} action ${name}`, plan),
      };
    });
  }

  private source(name: string, doc: ArazzoDocument, type: 'openapi' | 'arazzo'): SourceDescription {
    const s = doc.sources.get(name);
    if (!s) throw new LoadError(`no source description named ${name} (known: ${[...doc.sources.keys()].join(', ') || 'none'})`);
    if (s.type !== type) throw new LoadError(`source description ${name} is of type ${s.type}, not ${type}`);
    return s;
  }

  private operationById(ref: string, doc: ArazzoDocument): OperationSpec {
    let id = ref;
    const full = ref.match(/^\$sourceDescriptions\.([^.]+)\.(.+)$/);
    if (full) {
      this.source(full[1]!, doc, 'openapi');
      id = full[2]!;
    } else if (!this.byId.has(ref) && ref.includes('.') && doc.sources.has(ref.slice(0, ref.indexOf('.')))) {
      // `<sourceName>.<operationId>`, as Redocly's linter and Respect accept it
      this.source(ref.slice(0, ref.indexOf('.')), doc, 'openapi');
      id = ref.slice(ref.indexOf('.') + 1);
    }
    const op = this.byId.get(id);
    if (!op) throw new LoadError(`operationId ${id} is not in the spec ${path.relative(process.cwd(), this.spec.file)}`);
    return op;
  }

  private operationByPath(ref: string, doc: ArazzoDocument): OperationSpec {
    const hash = ref.indexOf('#');
    if (hash < 0) throw new LoadError(`operationPath ${ref} has no #/paths/... pointer`);
    const base = ref.slice(0, hash).trim();
    const named = base.match(/^\{?\$sourceDescriptions\.([^.}]+)(?:\.url)?\}?$/);
    if (named) this.source(named[1]!, doc, 'openapi');
    else if (![...doc.sources.values()].some((s) => s.url === base && s.type === 'openapi')) {
      throw new LoadError(`operationPath ${ref} names no OpenAPI source description`);
    }
    let pointer = ref.slice(hash + 1);
    try {
      pointer = decodeURIComponent(pointer);
    } catch {
      // not percent-encoded
    }
    const parts = pointer.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
    const [root, pathKey, method] = parts;
    const candidates = this.spec.operations.filter((o) => o.path === pathKey && (method === undefined || o.method === method.toLowerCase()));
    if (root !== 'paths' || parts.length > 3 || candidates.length !== 1) {
      throw new LoadError(`operationPath ${ref} points at no operation of the spec (expected #/paths/<path>/<method>)`);
    }
    return candidates[0]!;
  }

  private workflowRef(ref: string, doc: ArazzoDocument): WorkflowPlan {
    const m = ref.match(/^\$sourceDescriptions\.([^.]+)\.(?:workflows\.)?(.+)$/);
    if (!m) {
      const local = doc.workflows.get(ref);
      if (!local) throw new LoadError(`workflowId ${ref} is not a workflow of ${doc.where}`);
      return local;
    }
    const s = this.source(m[1]!, doc, 'arazzo');
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s.url)) throw new LoadError(`source description ${s.name} is remote (${s.url}); only local Arazzo files are read`);
    const other = this.document(path.resolve(path.dirname(doc.file), s.url));
    if (other.error) throw new LoadError(other.error);
    const wf = other.workflows.get(m[2]!);
    if (!wf) throw new LoadError(`workflowId ${m[2]} is not a workflow of ${other.where}`);
    return wf;
  }
}

/** The location of a parameter a step names without `in`: where the operation declares it. */
function locate(name: string, op: OperationSpec, where: string): ParameterLocation {
  const declared = op.parameters.find((p) => p.name === name);
  if (declared) return declared.in;
  if (name.toLowerCase() === 'authorization') return 'header';
  throw new LoadError(`${where}: parameter ${name} has no "in", and ${op.operationId} declares no parameter of that name`);
}

/** True when a step's own parameters carry what the operation's security asks for. */
function sendsOwnCredentials(params: ParameterPlan[], op: OperationSpec): boolean {
  const has = (at: string, name: string) => params.some((p) => p.in === at && (at === 'header' ? p.name.toLowerCase() === name.toLowerCase() : p.name === name));
  return op.security.some(
    (r) =>
      r.schemes.length > 0 &&
      r.schemes.every(({ scheme }) =>
        scheme.type === 'apiKey' ? has(String(scheme.in), String(scheme.name)) : has('header', 'authorization'),
      ),
  );
}

function componentAt(reference: string, kind: string, doc: ArazzoDocument): Obj | undefined {
  const m = reference.match(/^\$components\.([^.]+)\.(.+)$/);
  if (!m || m[1] !== kind) return undefined;
  const group = isObj(doc.raw.components) ? doc.raw.components[kind] : undefined;
  const v = isObj(group) ? group[m[2]!] : undefined;
  return isObj(v) ? v : undefined;
}

/** Follows `$ref: '#/...'` inside the Arazzo document (inputs refer to components/inputs this way). */
function resolveRef(v: unknown, root: Obj, depth = 0): unknown {
  if (!isObj(v) || typeof v.$ref !== 'string' || depth > 20) return v;
  if (!v.$ref.startsWith('#/')) return v;
  let cur: unknown = root;
  for (const raw of v.$ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    cur = isObj(cur) ? cur[key] : undefined;
  }
  return resolveRef(cur, root, depth + 1);
}

function inputDefaults(inputs: unknown, root: Obj): Record<string, unknown> {
  const schema = resolveRef(inputs, root);
  const out: Record<string, unknown> = {};
  const props = isObj(schema) && isObj(schema.properties) ? schema.properties : {};
  for (const [name, raw] of Object.entries(props)) {
    const s = resolveRef(raw, root);
    if (isObj(s) && 'default' in s) out[name] = s.default;
  }
  return out;
}

function stringMap(v: unknown): Record<string, string> {
  return isObj(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)])) : {};
}
