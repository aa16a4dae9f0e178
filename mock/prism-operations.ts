// prism-http's operations built from Redocly's bundle without a full dereference. prism's own
// getHttpOperationsFromSpec dereferences the whole document, decycles it and re-bundles every
// operation: on Stripe's spec (every path reaches 513 of 819 schemas) that ran over 10 minutes.
// Here http-spec (the transformer prism uses) reads the bundle with its `$ref`s kept; each
// referenced schema is converted once (OpenAPI 3.0 to JSON Schema, as http-spec does), shared by
// every operation that reaches it, and inlined where that is cheap (acyclic and small), else kept
// as a `$ref` into the operation's `__bundled__`, which prism's validator and generators resolve.
// Example values, defaults, enums and x- extensions are data: a `$ref` in them is never followed.
import { createRequire } from 'node:module';
import type { IHttpOperation } from '@stoplight/types';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

// http-spec as prism-http resolves it, so the schema conversion is the one prism would apply.
const requireFromPrism = createRequire(createRequire(import.meta.url).resolve('@stoplight/prism-http'));
const { transformOas3Operations } = requireFromPrism('@stoplight/http-spec/oas3/operation') as { transformOas3Operations(doc: unknown): IHttpOperation[] };
const { convertToJsonSchema: convertSchema } = requireFromPrism('@stoplight/http-spec/oas') as { convertToJsonSchema(doc: unknown, schema: unknown): Obj };

/**
 * A referenced schema whose expansion (its nodes, with the non-kept references inside it expanded)
 * is at most this many nodes is inlined, so prism's readOnly/writeOnly stripping and allOf merging
 * see it as with a full dereference; a larger one is shared by `$ref` (ajv compiles it once per
 * schema it serves instead of once per place it appears).
 */
const INLINE_LIMIT = 2000;

/** Keys whose values are data, not schemas or operation parts: never walked for `$ref`s. */
const DATA_KEYS = new Set(['example', 'examples', 'default', 'enum', 'const', 'extensions', 'discriminator', 'externalDocs', 'xml']);
/** Keys holding a map of name -> schema: every name is walked, `default` and `x-...` included. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions', '$defs', 'dependentSchemas']);
const isData = (key: string): boolean => DATA_KEYS.has(key) || key.startsWith('x-');

/** prism's operations for an OpenAPI 3.x document whose `$ref`s are all local (Redocly's bundle). */
export function prismOperationsOf(doc: Obj): IHttpOperation[] {
  const prepared = new Preparer(doc);
  return transformOas3Operations(doc).map((op) => prepared.operation(op));
}

interface RefInfo {
  ref: string;
  /** The target as prism's conversion gives it, before our rewrite. */
  converted: unknown;
  /** Local `$ref`s found in the target (not through another `$ref`). */
  children: string[];
  nodes: number;
  cyclic: boolean;
  expanded: number;
  key: string;
  /** The target after our rewrite, built on first use. */
  prepared?: unknown;
  /** Kept references written in the prepared target, built on first use. */
  keptInside?: Set<string>;
}

class Preparer {
  private readonly refs = new Map<string, RefInfo>();
  private readonly keys = new Set<string>();
  private readonly memo = new WeakMap<object, unknown>();
  /** `#/__bundled__/key` -> the reference it stands for. */
  private readonly bundledRefs = new Map<string, RefInfo>();

  constructor(private readonly doc: Obj) {}

  operation(op: IHttpOperation): IHttpOperation {
    const out = this.prepare(op) as IHttpOperation & { __bundled__?: Obj };
    const kept = new Set<string>();
    collectKept(out, kept, new Set());
    // The closure over kept references, a worklist per operation (a cycle of them ends where it began).
    const work = [...kept];
    while (work.length > 0) {
      for (const r of this.keptIn(work.pop()!)) {
        if (!kept.has(r)) {
          kept.add(r);
          work.push(r);
        }
      }
    }
    if (kept.size > 0) {
      const bundled: Obj = {};
      for (const ref of kept) {
        const info = this.bundledRefs.get(ref);
        if (info) bundled[info.key] = this.preparedTarget(info);
      }
      out.__bundled__ = bundled;
    }
    return out;
  }

  /** The kept references (`#/__bundled__/key`) written in the prepared target of `bundledRef` (not transitively). */
  private keptIn(bundledRef: string): Set<string> {
    const info = this.bundledRefs.get(bundledRef);
    if (!info) return new Set();
    if (!info.keptInside) {
      info.keptInside = new Set();
      collectKept(this.preparedTarget(info), info.keptInside, new Set());
    }
    return info.keptInside;
  }

  private preparedTarget(info: RefInfo): unknown {
    info.prepared ??= this.prepare(info.converted);
    return info.prepared;
  }

  /** A copy of `node` with local `$ref`s inlined or pointed into `__bundled__`, shared subtrees shared. */
  private prepare(node: unknown): unknown {
    if (typeof node !== 'object' || node === null) return node;
    const done = this.memo.get(node);
    if (done !== undefined) return done;
    if (Array.isArray(node)) {
      const out: unknown[] = [];
      this.memo.set(node, out);
      for (const item of node) out.push(this.prepare(item));
      return out;
    }
    const ref = (node as { $ref?: unknown }).$ref;
    if (typeof ref === 'string' && ref.startsWith('#')) {
      const info = this.analyse(ref);
      if (!info) return node;
      const siblings = Object.keys(node).filter((k) => k !== '$ref' && k !== 'description' && k !== 'summary');
      if (!info.cyclic && info.expanded <= INLINE_LIMIT && siblings.length === 0) {
        const target = this.preparedTarget(info);
        this.memo.set(node, target);
        return target;
      }
      const out: Obj = {};
      this.memo.set(node, out);
      for (const k of siblings) out[k] = isData(k) ? (node as Obj)[k] : this.prepare((node as Obj)[k]);
      out.$ref = `#/__bundled__/${info.key}`;
      return out;
    }
    const out: Obj = {};
    this.memo.set(node, out);
    const hasType = (node as Obj).type !== undefined;
    for (const [k, v] of Object.entries(node)) {
      // OpenAPI 3.0.3: nullable without type adds nothing; ajv refuses to compile it.
      if (k === 'nullable' && !hasType) continue;
      if (isData(k)) out[k] = v;
      else if (SCHEMA_MAPS.has(k) && isObj(v)) {
        const map: Obj = {};
        for (const [name, schema] of Object.entries(v)) map[name] = this.prepare(schema);
        out[k] = map;
      } else out[k] = this.prepare(v);
    }
    return out;
  }

  /** The reference's target, its size and whether it is part of a cycle (Tarjan over the reference graph). */
  private analyse(ref: string): RefInfo | undefined {
    const known = this.refs.get(ref);
    if (known) return known;
    // Tarjan's strongly connected components, iterative: a cycle of references is kept by `$ref`.
    let index = 0;
    const indexOf = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const work: { ref: string; next: number }[] = [];
    const found = new Map<string, RefInfo>();
    const visit = (r: string): void => {
      indexOf.set(r, index);
      low.set(r, index);
      index++;
      stack.push(r);
      onStack.add(r);
      work.push({ ref: r, next: 0 });
    };
    const load = (r: string): RefInfo | undefined => {
      const cached = this.refs.get(r) ?? found.get(r);
      if (cached) return cached;
      const target = resolvePointer(this.doc, r);
      if (target === undefined) return undefined;
      const converted = isObj(target) && !('$ref' in target) ? convertSchema(this.doc, target) : target;
      const children: string[] = [];
      const nodes = scan(converted, children);
      const info: RefInfo = { ref: r, converted, children, nodes, cyclic: false, expanded: 0, key: this.keyFor(r) };
      found.set(r, info);
      return info;
    };
    if (!load(ref)) return undefined;
    visit(ref);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const info = found.get(frame.ref)!;
      if (frame.next < info.children.length) {
        const child = info.children[frame.next++]!;
        if (this.refs.has(child)) continue; // analysed earlier: its component is complete
        if (!indexOf.has(child)) {
          if (load(child)) visit(child);
        } else if (onStack.has(child)) {
          low.set(frame.ref, Math.min(low.get(frame.ref)!, indexOf.get(child)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.ref, Math.min(low.get(parent.ref)!, low.get(frame.ref)!));
      if (low.get(frame.ref) === indexOf.get(frame.ref)) {
        const component: string[] = [];
        let r: string;
        do {
          r = stack.pop()!;
          onStack.delete(r);
          component.push(r);
        } while (r !== frame.ref);
        const selfLoop = info.children.includes(frame.ref);
        for (const member of component) {
          const m = found.get(member)!;
          m.cyclic = component.length > 1 || selfLoop;
        }
        // Components complete in reverse topological order: children's sizes are known.
        for (const member of component) {
          const m = found.get(member)!;
          let expanded = m.nodes;
          for (const c of m.children) {
            const ci = this.refs.get(c) ?? found.get(c);
            expanded += !ci || ci.cyclic || ci.expanded > INLINE_LIMIT ? 1 : ci.expanded;
          }
          m.expanded = m.cyclic ? Infinity : expanded;
          this.refs.set(member, m);
          this.bundledRefs.set(`#/__bundled__/${m.key}`, m);
        }
      }
    }
    return this.refs.get(ref);
  }

  private keyFor(ref: string): string {
    const last = decodeSegment(ref.slice(ref.lastIndexOf('/') + 1)).replace(/[^A-Za-z0-9_.-]/g, '_') || 'ref';
    let key = last;
    for (let n = 2; this.keys.has(key); n++) key = `${last}_${n}`;
    this.keys.add(key);
    return key;
  }
}

/** Counts the structural nodes of a schema and lists the local `$ref`s in it, not walking through them or through data. */
function scan(node: unknown, refs: string[], seen = new Set<object>()): number {
  if (typeof node !== 'object' || node === null || seen.has(node)) return 0;
  seen.add(node);
  if (Array.isArray(node)) return node.reduce((n: number, item) => n + scan(item, refs, seen), 1);
  const ref = (node as { $ref?: unknown }).$ref;
  if (typeof ref === 'string') {
    if (ref.startsWith('#')) refs.push(ref);
    return 1;
  }
  let n = 1;
  for (const [k, v] of Object.entries(node)) {
    if (isData(k)) continue;
    if (SCHEMA_MAPS.has(k) && isObj(v)) for (const schema of Object.values(v)) n += scan(schema, refs, seen);
    else n += scan(v, refs, seen);
  }
  return n;
}

/** Adds every `#/__bundled__/...` reference in a prepared tree to `out`. */
function collectKept(node: unknown, out: Set<string>, seen: Set<object>): void {
  if (typeof node !== 'object' || node === null || seen.has(node)) return;
  seen.add(node);
  if (Array.isArray(node)) {
    for (const item of node) collectKept(item, out, seen);
    return;
  }
  const ref = (node as { $ref?: unknown }).$ref;
  if (typeof ref === 'string' && ref.startsWith('#/__bundled__/')) out.add(ref);
  for (const [k, v] of Object.entries(node)) {
    if (k === '__bundled__' || isData(k)) continue;
    if (SCHEMA_MAPS.has(k) && isObj(v)) for (const schema of Object.values(v)) collectKept(schema, out, seen);
    else collectKept(v, out, seen);
  }
}

function decodeSegment(raw: string): string {
  let s = raw;
  try {
    s = decodeURIComponent(raw);
  } catch {
    // kept as written
  }
  return s.replace(/~1/g, '/').replace(/~0/g, '~');
}

function resolvePointer(doc: Obj, ref: string): unknown {
  if (ref === '#') return doc;
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = doc;
  for (const raw of ref.slice(2).split('/')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Obj)[decodeSegment(raw)];
  }
  return node;
}
