// Loading one generation of the spec: the redocly bundle (x- extensions intact, the file list
// for the watcher), prism's operations built from that bundle, and our own model of it.
import path from 'node:path';
import './lazy-faker.ts';
import { bundle, createConfig } from '@redocly/openapi-core';
import { getHttpOperationsFromSpec } from '@stoplight/prism-http';
import type { IHttpOperation } from '@stoplight/types';
import { BoundedResolver, inlineLeftoverRefs, SpecFileError } from '../shared/spec-files.ts';
import { buildModel, type SpecModel } from './model.ts';

export interface LoadedSpec {
  specPath: string;
  files: string[];
  operations: IHttpOperation[];
  model: SpecModel;
  /** The bundled document, `$ref`s the bundle left resolved (what `generate --msw` writes as openapi.json). */
  document: Record<string, unknown>;
}

export class SpecLoadError extends Error {
  override name = 'SpecLoadError';
}

let redoclyConfig: Awaited<ReturnType<typeof createConfig>> | undefined;

/** Bundles and parses the spec; throws SpecLoadError with a message fit to print. */
export async function loadSpec(specPath: string): Promise<LoadedSpec> {
  const absolute = path.resolve(specPath);
  // A config of our own: the project's redocly.yaml may carry plugins meant for the CLI.
  redoclyConfig ??= await createConfig({});
  // Every file read through the limits of shared/spec-files.ts (byte cap, YAML alias cap).
  const resolver = new BoundedResolver(redoclyConfig.resolve);
  let result;
  try {
    result = await bundle({ ref: absolute, config: redoclyConfig, externalRefResolver: resolver });
  } catch (err) {
    throw new SpecLoadError(err instanceof SpecFileError ? err.message : `cannot read ${specPath}: ${(err as Error).message}`);
  }
  if (resolver.refused) throw new SpecLoadError(resolver.refused.message);
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
  try {
    // prism would resolve what the bundle left (a $ref inside an example value) against the working
    // directory, and read it without our limits: resolved here, against the file it is written in.
    await inlineLeftoverRefs(doc, resolver, absolute);
  } catch (err) {
    throw new SpecLoadError((err as Error).message);
  }
  const files = [...resolver.getFiles()].filter((f) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(f));
  let operations: IHttpOperation[];
  try {
    // prism's ref parser dereferences in place: give it its own copy.
    operations = await getHttpOperationsFromSpec(structuredClone(doc) as never);
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
