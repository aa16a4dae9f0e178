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
  /** Redocly's bundle: every reference local, data as written. */
  doc: Record<string, unknown>;
  files: string[];
  operations: IHttpOperation[];
  model: SpecModel;
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
  return { specPath: absolute, doc, files, operations, model };
}
