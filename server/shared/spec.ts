// A contract's bundle, read once per process from generated/<contract>/ and shared by every app.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const generatedRoot = fileURLToPath(new URL('../../generated/', import.meta.url));

/** generated/<contract>/: the bundle, types, client and docs of one contract. */
export function generatedDirOf(contract: string): string {
  return join(generatedRoot, contract);
}

/** generated/<contract>/openapi.json */
export function bundlePathOf(contract: string): string {
  return join(generatedRoot, contract, 'openapi.json');
}

type Json = Record<string, unknown>;
const cache = new Map<string, Json>();

/** The parsed bundle; callers that hand it to a library that may mutate it must clone it first. */
export function bundledSpec(path: string): Json {
  let spec = cache.get(path);
  if (!spec) {
    spec = JSON.parse(readFileSync(path, 'utf8')) as Json;
    cache.set(path, spec);
  }
  return spec;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Follows a local `#/...` reference (the bundle keeps shared components as references). */
export function resolveRef(spec: Json, value: unknown): unknown {
  let current = value;
  for (let hops = 0; isObject(current) && typeof current.$ref === 'string' && hops < 10; hops++) {
    const ref = current.$ref as string;
    current = ref
      .replace(/^#\//, '')
      .split('/')
      .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
      .reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), spec);
  }
  return current;
}

/** operationId -> the message of its documented 500 example, so a crash answers what the contract says. */
export function internalErrorMessages(spec: Json): Map<string, string> {
  const messages = new Map<string, string>();
  for (const pathItem of Object.values(isObject(spec.paths) ? spec.paths : {})) {
    for (const operation of Object.values(isObject(pathItem) ? pathItem : {})) {
      if (!isObject(operation) || typeof operation.operationId !== 'string') continue;
      const response = resolveRef(spec, isObject(operation.responses) ? operation.responses['500'] : undefined);
      const media = isObject(response) && isObject(response.content) ? response.content['application/json'] : undefined;
      const examples = isObject(media) && isObject(media.examples) ? Object.values(media.examples) : [];
      const example = resolveRef(spec, examples[0]);
      const message = isObject(example) && isObject(example.value) ? example.value.message : undefined;
      if (typeof message === 'string') messages.set(operation.operationId, message);
    }
  }
  return messages;
}
