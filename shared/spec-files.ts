// Reading spec, workflow and config files with limits: a byte cap per file and a cap on YAML alias
// expansion, so a 366-byte file of nested aliases (a "billion laughs") is a one-line error instead
// of gigabytes and a stalled process. Redocly and prism parse with their own js-yaml-based parsers,
// which have no alias limit: every file goes through `checkSpecText` before it is handed to them.
import fs from 'node:fs';
import path from 'node:path';
import { BaseResolver, type Document, type Source } from '@redocly/openapi-core';
import { parse, parseAllDocuments } from 'yaml';

/** Bytes one spec, workflow or config file may have (GitHub's REST description, among the largest public ones, is about 12 MB). */
export const MAX_SPEC_FILE_BYTES = 32 * 1024 * 1024;
/**
 * Alias expansions one YAML file may make, as the `yaml` package counts them (each use of an
 * anchor, weighted by the aliases inside it). Hand-written specs use a few `<<: *defaults`; the
 * nine-level bomb needs millions.
 */
export const MAX_YAML_ALIASES = 1000;

/** A file refused by a limit or unreadable: the message is one line naming the file. */
export class SpecFileError extends Error {
  override name = 'SpecFileError';
}

const shown = (file: string): string => path.relative(process.cwd(), file) || file;

/** The file's text, refused before reading when it is larger than the cap. */
export function readSpecText(file: string): string {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch (err) {
    throw new SpecFileError(`${shown(file)}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message.split('\n')[0]}`);
  }
  if (size > MAX_SPEC_FILE_BYTES) throw new SpecFileError(tooLarge(file, size));
  return fs.readFileSync(file, 'utf8');
}

function tooLarge(file: string, size: number): string {
  return `${shown(file)}: ${size} bytes, more than the limit of ${MAX_SPEC_FILE_BYTES} bytes for one file`;
}

// An alias is `*name` where a node starts; text without one (most specs) skips the second parse.
const MAY_HOLD_ALIAS = /(?:^|[\s[{,:-])\*[^\s,[\]{}*]/;

/**
 * Throws SpecFileError when `text` is over the byte cap or expands YAML aliases past the limit.
 * Syntax errors are left to the parser the text is meant for (it reports them with its own words).
 */
export function checkSpecText(text: string, file: string): void {
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_SPEC_FILE_BYTES) throw new SpecFileError(tooLarge(file, bytes));
  if (!MAY_HOLD_ALIAS.test(text)) return;
  // JSON has no aliases: a large JSON spec (GitHub's 13 MB) skips a YAML parse of seconds.
  if (/^\s*[{[]/.test(text) && parsesAsJson(text)) return;
  for (const doc of parseAllDocuments(text, { uniqueKeys: false })) {
    try {
      doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
    } catch (err) {
      if (err instanceof ReferenceError && /alias/i.test(err.message)) throw new SpecFileError(aliasBomb(file));
      // Anything else is the real parser's to report.
    }
  }
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function aliasBomb(file: string): string {
  return `${shown(file)}: YAML aliases expand past the limit of ${MAX_YAML_ALIASES} (refused: an alias bomb would exhaust memory)`;
}

/** A YAML (or JSON) file parsed with both limits; throws SpecFileError with one line. */
export function readYamlFile(file: string): unknown {
  const text = readSpecText(file);
  try {
    return parse(text, { maxAliasCount: MAX_YAML_ALIASES, uniqueKeys: false });
  } catch (err) {
    if (err instanceof ReferenceError && /alias/i.test(err.message)) throw new SpecFileError(aliasBomb(file));
    throw new SpecFileError(`${shown(file)}: ${(err as Error).message.split('\n')[0]}`);
  }
}

/**
 * Redocly's file resolver with the limits: a file over the byte cap is refused before it is read,
 * and every file's text is checked for alias bombs before js-yaml parses it.
 */
export class BoundedResolver extends BaseResolver {
  /** The first file a limit refused: Redocly reports it once per `$ref` to it, the caller once. */
  refused: SpecFileError | undefined;
  /** `refused` is a remote `$ref` that `remoteRefs: 'refuse'` kept from being fetched. */
  refusedRemote = false;
  private readonly remoteRefs: 'fetch' | 'refuse' | undefined;

  /**
   * `remoteRefs`: `'refuse'` fetches no http(s) `$ref` (the first one is `refused`, named);
   * `'fetch'` fetches them. Given either, a `$ref` inside data is data: Redocly resolves every
   * `$ref` it meets, example values included (GitHub's SCIM examples made it download URLs), so
   * those keys are renamed while it bundles (see `hideDataRefs`; `restoreDataRefs` gives them back
   * in the bundle). Left out: Redocly's own behaviour, every `$ref` resolved, remote ones fetched.
   */
  constructor(config?: ConstructorParameters<typeof BaseResolver>[0], options: { remoteRefs?: 'fetch' | 'refuse' } = {}) {
    super(config);
    this.remoteRefs = options.remoteRefs;
  }

  private refuse(error: SpecFileError): never {
    this.refused ??= error;
    throw error;
  }

  override async loadExternalRef(absoluteRef: string): Promise<Source> {
    if (this.remoteRefs === 'refuse' && isUrl(absoluteRef)) {
      this.refusedRemote ||= this.refused === undefined;
      this.refuse(new SpecFileError(`remote $ref ${absoluteRef} is not fetched (remote references are off)`));
    }
    if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(absoluteRef)) {
      const size = await fs.promises.stat(absoluteRef).then((s) => s.size, () => 0);
      if (size > MAX_SPEC_FILE_BYTES) this.refuse(new SpecFileError(tooLarge(absoluteRef, size)));
    }
    return super.loadExternalRef(absoluteRef);
  }

  override parseDocument(source: Source, isRoot = false): Document {
    try {
      checkSpecText(source.body, source.absoluteRef);
    } catch (err) {
      if (err instanceof SpecFileError) this.refuse(err);
      throw err;
    }
    const doc = super.parseDocument(source, isRoot);
    if (this.remoteRefs !== undefined) hideDataRefs(doc.parsed);
    return doc;
  }
}

type Obj = Record<string, unknown>;
const isContainer = (v: unknown): v is Obj | unknown[] => typeof v === 'object' && v !== null;
function isUrl(ref: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(ref);
}

/** What a `$ref` key inside data is called while Redocly bundles (it would resolve it, and fetch a URL). */
const HIDDEN_REF = '\u0000$ref';

/** Keys whose value is data in any OpenAPI object or schema (`value`: an Example Object's). */
const DATA_KEYS = new Set(['example', 'value', 'default', 'enum', 'const']);
/**
 * Keys holding maps of names chosen by the spec's author: a property called `example`, a response
 * called `default`, an example called `value` is not data. (Their values are spec objects again.)
 */
const NAME_MAPS = new Set([
  ...['properties', 'patternProperties', 'definitions', '$defs', 'dependentSchemas'],
  ...['paths', 'webhooks', 'responses', 'content', 'examples', 'headers', 'links', 'callbacks', 'encoding'],
  ...['schemas', 'parameters', 'requestBodies', 'securitySchemes', 'pathItems', 'variables'],
]);

/**
 * Renames, in place, the `$ref` key inside data: every one in an example, an Example Object's
 * `value`, `default`, `enum`, `const` or a JSON Schema `examples` list, and the remote ones in
 * `x-` extensions (local ones there stay references: this project's specs `$ref` schemas from
 * x- extensions, and Redocly inlines them).
 */
function hideDataRefs(root: unknown): void {
  const seen = new Set<object>();
  type Where = 'spec' | 'names' | 'data' | 'extension';
  const stack: { node: unknown; where: Where }[] = [{ node: root, where: 'spec' }];
  while (stack.length > 0) {
    const { node, where } = stack.pop()!;
    if (!isContainer(node) || seen.has(node)) continue;
    seen.add(node);
    const ref = (node as { $ref?: unknown }).$ref;
    if (!Array.isArray(node) && typeof ref === 'string' && (where === 'data' || (where === 'extension' && isUrl(ref)))) {
      delete (node as Obj).$ref;
      (node as Obj)[HIDDEN_REF] = ref;
    }
    for (const [key, value] of Object.entries(node)) {
      let next: Where = where;
      if (where === 'names') next = 'spec';
      else if (where === 'spec') {
        if (DATA_KEYS.has(key) || (key === 'examples' && Array.isArray(value))) next = 'data';
        else if (key.startsWith('x-')) next = 'extension';
        else if (NAME_MAPS.has(key) && !Array.isArray(node) && isContainer(value) && !Array.isArray(value)) next = 'names';
      }
      stack.push({ node: value, where: next });
    }
  }
}

/** Gives back, in place, the `$ref` keys `BoundedResolver` hid in data while Redocly bundled. */
export function restoreDataRefs(bundled: unknown): void {
  const seen = new Set<object>();
  const stack: unknown[] = [bundled];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!isContainer(node) || seen.has(node)) continue;
    seen.add(node);
    if (!Array.isArray(node) && HIDDEN_REF in node) {
      const entries = Object.entries(node).map(([k, v]): [string, unknown] => [k === HIDDEN_REF ? '$ref' : k, v]);
      for (const k of Object.keys(node)) delete (node as Obj)[k];
      Object.assign(node, Object.fromEntries(entries));
    }
    for (const value of Object.values(node)) stack.push(value);
  }
}
