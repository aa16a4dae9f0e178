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
  for (const doc of parseAllDocuments(text, { uniqueKeys: false })) {
    try {
      doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
    } catch (err) {
      if (err instanceof ReferenceError && /alias/i.test(err.message)) throw new SpecFileError(aliasBomb(file));
      // Anything else is the real parser's to report.
    }
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
 * and every file's text is checked for alias bombs before js-yaml parses it. It also remembers
 * which file each `$ref` object was written in (`originOf`), for the `$ref`s Redocly leaves in
 * place (inside example values, `default`, scalar-typed `x-` extensions) and that someone else
 * would otherwise resolve against the working directory.
 */
export class BoundedResolver extends BaseResolver {
  private readonly origins = new WeakMap<object, string>();
  /** The first file a limit refused: Redocly reports it once per `$ref` to it, the caller once. */
  refused: SpecFileError | undefined;

  private refuse(error: SpecFileError): never {
    this.refused ??= error;
    throw error;
  }

  override async loadExternalRef(absoluteRef: string): Promise<Source> {
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
    this.markOrigins(doc.parsed, source.absoluteRef);
    return doc;
  }

  /** The file a `$ref` object was written in, when it was parsed by this resolver. */
  originOf(node: object): string | undefined {
    return this.origins.get(node);
  }

  private markOrigins(root: unknown, file: string): void {
    const seen = new Set<object>();
    const stack: unknown[] = [root];
    while (stack.length > 0) {
      const node = stack.pop();
      if (typeof node !== 'object' || node === null || seen.has(node)) continue;
      seen.add(node);
      const ref = (node as { $ref?: unknown }).$ref;
      if (typeof ref === 'string' && !ref.startsWith('#')) this.origins.set(node, file);
      for (const value of Object.values(node)) stack.push(value);
    }
  }
}

type Obj = Record<string, unknown>;
const isContainer = (v: unknown): v is Obj | unknown[] => typeof v === 'object' && v !== null;
const isUrl = (ref: string): boolean => /^[a-z][a-z0-9+.-]*:\/\//i.test(ref);

/** Values one spec may gain by inlining left-over `$ref`s: a chain of files referring to each other many times cannot multiply without end. */
const MAX_INLINED_NODES = 1_000_000;

/**
 * Replaces, in place, every `$ref` to another file that Redocly's bundle left in `bundled` (it
 * leaves those it reads as literal values: inside example values, `default`, scalar-typed `x-`
 * extensions) by the value it points to, read through `resolver` (so with its limits) and resolved
 * against the file the `$ref` was written in, as Prism's own loader resolves them. Local `#/`
 * references are left alone. Throws SpecFileError (one line) for a `$ref` that does not resolve.
 */
export async function inlineLeftoverRefs(bundled: unknown, resolver: BoundedResolver, rootFile: string): Promise<void> {
  let budget = MAX_INLINED_NODES;
  const count = (): void => {
    if (--budget < 0) throw new SpecFileError(`${shown(rootFile)}: $refs in example values expand past ${MAX_INLINED_NODES} values`);
  };

  async function target(ref: string, base: string, chain: string[]): Promise<unknown> {
    const hash = ref.indexOf('#');
    const uri = hash < 0 ? ref : ref.slice(0, hash);
    const fragment = hash < 0 ? '' : ref.slice(hash + 1);
    const file = uri === '' ? base : resolver.resolveExternalRef(base, uri);
    const id = `${file}#${fragment}`;
    if (chain.includes(id)) throw new SpecFileError(`${shown(base)}: $ref ${ref} refers to itself through ${chain.length} files`);
    let doc: Document;
    try {
      const got = await resolver.resolveDocument(base, uri === '' ? base : uri);
      if (got instanceof Error) throw got;
      doc = got;
    } catch (err) {
      if (err instanceof SpecFileError) throw err;
      throw new SpecFileError(`${shown(base)}: $ref ${ref} does not resolve (${String((err as Error).message).split('\n')[0]})`);
    }
    let node: unknown = doc.parsed;
    for (const raw of fragment.replace(/^\//, '').split('/').filter((p, i, all) => !(all.length === 1 && p === ''))) {
      const part = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      node = isContainer(node) ? (node as Obj)[part] : undefined;
    }
    if (node === undefined) throw new SpecFileError(`${shown(base)}: $ref ${ref} points at nothing in ${shown(file)}`);
    return copy(node, file, [...chain, id]);
  }

  /** A copy of `node` (read from `file`) with every $ref in it resolved. */
  async function copy(node: unknown, file: string, chain: string[]): Promise<unknown> {
    count();
    if (!isContainer(node)) return node;
    if (Array.isArray(node)) {
      const out: unknown[] = [];
      for (const item of node) out.push(await copy(item, file, chain));
      return out;
    }
    const ref = (node as { $ref?: unknown }).$ref;
    if (typeof ref === 'string' && !isUrl(ref)) return target(ref, file, chain);
    const out: Obj = {};
    for (const [k, v] of Object.entries(node)) out[k] = await copy(v, file, chain);
    return out;
  }

  // Walk the bundle; a left-over external $ref is replaced where it stands.
  const seen = new Set<object>();
  const stack: unknown[] = [bundled];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!isContainer(node) || seen.has(node)) continue;
    seen.add(node);
    for (const [key, value] of Object.entries(node)) {
      if (!isContainer(value)) continue;
      const ref = (value as { $ref?: unknown }).$ref;
      if (typeof ref === 'string' && !ref.startsWith('#') && !isUrl(ref)) {
        (node as Obj)[key] = await target(ref, resolver.originOf(value) ?? rootFile, []);
      } else {
        stack.push(value);
      }
    }
  }
}
