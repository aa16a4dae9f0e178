// Loading one generation of the spec: the redocly bundle (x- extensions intact, the file list
// for the watcher), prism's operations built from that bundle without a full dereference
// (prism-operations.ts), and our own model of it.
import path from 'node:path';
import './lazy-faker.ts';
import { bundle, createConfig } from '@redocly/openapi-core';
import type { IHttpOperation } from '@stoplight/types';
import { BoundedResolver, restoreDataRefs, SpecFileError } from '../shared/spec-files.ts';
import { buildModel, type SpecModel } from './model.ts';
import { prismOperationsOf } from './prism-operations.ts';

export interface LoadedSpec {
  specPath: string;
  files: string[];
  operations: IHttpOperation[];
  model: SpecModel;
  /** Redocly's bundle: every reference local, `$ref`s in data as written (what `generate --msw` writes as openapi.json). */
  document: Record<string, unknown>;
}

export class SpecLoadError extends Error {
  override name = 'SpecLoadError';
}

let redoclyConfig: Awaited<ReturnType<typeof createConfig>> | undefined;

export interface LoadOptions {
  /** Fetch `$ref`s to http(s) URLs (`--allow-remote-refs`). Default false: such a `$ref` is an error naming it, and nothing is fetched. */
  allowRemoteRefs?: boolean;
}

/** Bundles and parses the spec; throws SpecLoadError with a message fit to print. */
export async function loadSpec(specPath: string, options: LoadOptions = {}): Promise<LoadedSpec> {
  const absolute = path.resolve(specPath);
  // A config of our own: the project's redocly.yaml may carry plugins meant for the CLI.
  redoclyConfig ??= await createConfig({});
  // Every file read through the limits of shared/spec-files.ts (byte cap, YAML alias cap).
  const resolver = new BoundedResolver(redoclyConfig.resolve, { remoteRefs: options.allowRemoteRefs ? 'fetch' : 'refuse' });
  let result;
  try {
    result = await bundle({ ref: absolute, config: redoclyConfig, externalRefResolver: resolver });
  } catch (err) {
    throw new SpecLoadError(err instanceof SpecFileError ? err.message : `cannot read ${specPath}: ${(err as Error).message}`);
  }
  if (resolver.refused) throw new SpecLoadError(resolver.refused.message + (resolver.refusedRemote ? ' (start the mock with --allow-remote-refs to fetch it)' : ''));
  const errors = result.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) {
    const lines = errors.slice(0, 5).map((p) => {
      const where = p.location[0];
      const file = where ? path.relative(process.cwd(), where.source.absoluteRef) : specPath;
      return `${file} ${where?.pointer ?? ''}: ${p.message}`;
    });
    throw new SpecLoadError(lines.join('\n'));
  }
  const doc = result.bundle.parsed as Record<string, unknown> | null;
  if (!doc || typeof doc !== 'object' || typeof doc.openapi !== 'string' || !doc.paths) {
    throw new SpecLoadError(`${specPath} is not an OpenAPI 3.x document (no openapi field or no paths)`);
  }
  restoreDataRefs(doc);
  examplesByReference(doc);
  const files = [...resolver.getFiles()].filter((f) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(f));
  let operations: IHttpOperation[];
  try {
    // A `$ref` the bundle left (inside an example value, a default, x- data) is data: served as written.
    operations = prismOperationsOf(doc);
  } catch (err) {
    throw new SpecLoadError(`cannot build operations from ${specPath}: ${(err as Error).message}`);
  }
  if (operations.length === 0) throw new SpecLoadError(`${specPath} has no operations`);
  let model: SpecModel;
  try {
    model = buildModel(doc);
  } catch (err) {
    throw new SpecLoadError(`cannot read examples of ${specPath}: ${(err as Error).message}`);
  }
  // A spec that declares same-key pairing and breaks it is refused, as any other broken spec: the
  // mock does not fill the gap with another example's value (the peer tools would not either).
  if (model.pairingErrors.length > 0) {
    const more = model.pairingErrors.length > 5 ? [`... and ${model.pairingErrors.length - 5} more`] : [];
    throw new SpecLoadError([...model.pairingErrors.slice(0, 5), ...more].join('\n'));
  }
  return { specPath: absolute, files, operations, model, document: doc };
}

/**
 * An Example Object whose whole `value` is a `$ref` to another Example Object of the document
 * (`value: {$ref: '#/components/examples/issue'}`, as GitHub's published file writes 19 of its
 * examples) means that example: it takes that Example Object's value, in place. Any other `$ref`
 * inside an example value (a URL, a pointer elsewhere, a key among others) is data, served as written.
 */
function examplesByReference(doc: Record<string, unknown>): void {
  const components = doc.components as { examples?: Record<string, unknown> } | undefined;
  const named = components?.examples;
  if (!named || typeof named !== 'object') return;
  const target = (value: unknown): unknown => {
    for (let hops = 0; hops < 10; hops++) {
      if (typeof value !== 'object' || value === null || Object.keys(value).length !== 1) return value;
      const ref = (value as { $ref?: unknown }).$ref;
      const name = typeof ref === 'string' && ref.startsWith('#/components/examples/') ? decodeURIComponent(ref.slice('#/components/examples/'.length)).replace(/~1/g, '/').replace(/~0/g, '~') : undefined;
      const example = name === undefined ? undefined : named[name];
      if (typeof example !== 'object' || example === null || !('value' in example)) return value;
      value = (example as { value: unknown }).value;
    }
    return value;
  };
  const seen = new Set<object>();
  const stack: unknown[] = [doc.paths, doc.webhooks, doc.components];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null || seen.has(node)) continue;
    seen.add(node);
    const examples = (node as { examples?: unknown }).examples;
    if (!Array.isArray(node) && typeof examples === 'object' && examples !== null && !Array.isArray(examples)) {
      for (const example of Object.values(examples)) {
        if (typeof example === 'object' && example !== null && 'value' in example) (example as { value: unknown }).value = target((example as { value: unknown }).value);
      }
    }
    for (const [key, value] of Object.entries(node)) if (key !== 'value' && key !== 'example') stack.push(value);
  }
}

