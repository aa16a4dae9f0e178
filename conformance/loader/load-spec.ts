import path from 'node:path';
import { bundle, createConfig } from '@redocly/openapi-core';
import { BoundedResolver, SpecFileError } from '../../shared/spec-files.ts';
import { declaresSameKey, followsProjectConvention } from '../../spec-conventions/pairing.ts';
import { callerRoles, defaultRole, isSecured } from '../../spec-conventions/roles.ts';
import {
  HTTP_METHODS,
  type ExampleSpec,
  type HeaderSpec,
  type HttpMethod,
  type MediaTypeSpec,
  type OperationSpec,
  type ParameterSpec,
  type ResponseSpec,
  type Schema,
  type SecurityRequirementSpec,
  type SpecModel,
} from '../model.ts';

/** A spec that cannot be used: the CLI turns it into exit code 2. */
export class SpecLoadError extends Error {}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const asObj = (v: unknown): Obj => (isObj(v) ? v : {});

/** Bundles and dereferences any OpenAPI 3.x file (multi-file works) into the model the loader uses. */
export async function loadSpec(specPath: string): Promise<SpecModel> {
  const file = path.resolve(specPath);
  specPath = path.relative(process.cwd(), file) || file;
  let result;
  // Every file read through the byte and YAML alias limits of shared/spec-files.ts.
  let resolver: BoundedResolver | undefined;
  try {
    const config = await createConfig({});
    resolver = new BoundedResolver(config.resolve);
    result = await bundle({ ref: file, config, dereference: true, externalRefResolver: resolver });
  } catch (err) {
    throw new SpecLoadError(`spec ${specPath} does not load: ${err instanceof SpecFileError ? err.message : firstLine(err)}`);
  }
  if (resolver.refused) throw new SpecLoadError(`spec ${specPath} does not load: ${resolver.refused.message}`);
  const errors = result.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) {
    const p = errors[0]!;
    const where = p.location[0]?.pointer ?? '';
    throw new SpecLoadError(`spec ${specPath} does not load: ${p.message}${where ? ` at ${where}` : ''}`);
  }
  const doc = asObj(result.bundle.parsed);
  if (typeof doc.openapi !== 'string' || !doc.openapi.startsWith('3.')) {
    throw new SpecLoadError(`spec ${specPath} does not load: not an OpenAPI 3.x document`);
  }
  return specModelFromDocument(doc, file, [...result.fileDependencies, file]);
}

export function specModelFromDocument(doc: Obj, file: string, files: string[]): SpecModel {
  const info = asObj(doc.info);
  const schemes = asObj(asObj(doc.components).securitySchemes);
  const rootSecurity = Array.isArray(doc.security) ? doc.security : [];
  const operations: OperationSpec[] = [];
  const pathMethods = new Map<string, HttpMethod[]>();
  const seenIds = new Set<string>();

  for (const [pathTemplate, rawItem] of Object.entries(asObj(doc.paths))) {
    const item = asObj(rawItem);
    const methods: HttpMethod[] = [];
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!isObj(op)) continue;
      methods.push(method);
      let operationId = typeof op.operationId === 'string' ? op.operationId : `${method.toUpperCase()} ${pathTemplate}`;
      if (seenIds.has(operationId)) operationId = `${operationId} (${method.toUpperCase()} ${pathTemplate})`;
      seenIds.add(operationId);
      const security = Array.isArray(op.security) ? op.security : rootSecurity;
      const requirements = securityRequirements(security, schemes);
      operations.push({
        operationId,
        method,
        path: pathTemplate,
        tag: Array.isArray(op.tags) && typeof op.tags[0] === 'string' ? op.tags[0] : 'default',
        parameters: mergeParameters(item.parameters, op.parameters),
        requestBody: isObj(op.requestBody)
          ? { required: op.requestBody.required === true, content: mediaTypes(op.requestBody.content) }
          : undefined,
        responses: Object.entries(asObj(op.responses)).map(([status, r]) => responseSpec(status, asObj(r))),
        security: requirements,
        secured: isSecured(security),
      });
    }
    pathMethods.set(pathTemplate, methods);
  }

  const servers = Array.isArray(doc.servers) ? doc.servers : [];
  const roles = callerRoles(doc);
  return {
    openapi: typeof doc.openapi === 'string' ? doc.openapi : '',
    roles,
    defaultRole: defaultRole(roles),
    projectConvention: followsProjectConvention(doc),
    sameKey: declaresSameKey(doc),
    title: typeof info.title === 'string' ? info.title : 'untitled',
    version: typeof info.version === 'string' ? info.version : '',
    file,
    serverBasePath: serverBasePath(asObj(servers[0]).url),
    operations,
    pathMethods,
    files: [...new Set(files)],
  };
}

function serverBasePath(url: unknown): string {
  if (typeof url !== 'string') return '';
  try {
    const p = new URL(url, 'http://placeholder').pathname;
    return p === '/' ? '' : p.replace(/\/$/, '');
  } catch {
    return '';
  }
}

function securityRequirements(security: unknown[], schemes: Obj): SecurityRequirementSpec[] {
  return security.map((req) => ({
    schemes: Object.keys(asObj(req)).map((name) => ({ name, scheme: asObj(schemes[name]) })),
  }));
}

function mergeParameters(pathLevel: unknown, opLevel: unknown): ParameterSpec[] {
  const byKey = new Map<string, ParameterSpec>();
  for (const list of [pathLevel, opLevel]) {
    if (!Array.isArray(list)) continue;
    for (const raw of list) {
      const p = asObj(raw);
      if (typeof p.name !== 'string' || typeof p.in !== 'string') continue;
      byKey.set(`${p.in}:${p.name}`, {
        name: p.name,
        in: p.in as ParameterSpec['in'],
        required: p.required === true || p.in === 'path',
        schema: schemaOf(p.schema),
        examples: namedValues(p),
        example: 'example' in p ? { value: p.example } : undefined,
      });
    }
  }
  return [...byKey.values()];
}

function namedValues(holder: Obj): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, ex] of Object.entries(asObj(holder.examples))) {
    if (isObj(ex) && 'value' in ex) out.set(key, ex.value);
  }
  return out;
}

function mediaTypes(content: unknown): MediaTypeSpec[] {
  return Object.entries(asObj(content)).map(([mediaType, raw]) => {
    const mt = asObj(raw);
    const examples = new Map<string, ExampleSpec>();
    for (const [key, ex] of Object.entries(asObj(mt.examples))) {
      if (isObj(ex) && 'value' in ex) examples.set(key, { key, value: ex.value, extensions: ex });
    }
    if (examples.size === 0 && 'example' in mt) {
      examples.set('default', { key: 'default', value: mt.example, extensions: {}, single: true });
    }
    const encoding: MediaTypeSpec['encoding'] = {};
    for (const [field, e] of Object.entries(asObj(mt.encoding))) {
      const contentType = asObj(e).contentType;
      encoding[field] = typeof contentType === 'string' ? { contentType } : {};
    }
    return { mediaType, schema: schemaOf(mt.schema), itemSchema: schemaOf(mt.itemSchema ?? mt['x-item-schema']), streamEnd: typeof mt['x-stream-end'] === 'string' ? mt['x-stream-end'] : undefined, encoding, examples };
  });
}

function responseSpec(status: string, r: Obj): ResponseSpec {
  const headers: HeaderSpec[] = Object.entries(asObj(r.headers)).map(([name, raw]) => {
    const h = asObj(raw);
    return { name, required: h.required === true, schema: schemaOf(h.schema) };
  });
  return { status: status.toUpperCase(), content: mediaTypes(r.content), headers };
}

function schemaOf(v: unknown): Schema | undefined {
  return isObj(v) || typeof v === 'boolean' ? (v as Schema) : undefined;
}

function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0] ?? msg;
}
