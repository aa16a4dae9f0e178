// --stateful: collections and items recognised from the paths alone, seeded from the examples.
// See mock/README.md for the rules and what they do not cover.
import type { OperationModel, SpecModel } from './model.ts';

type Obj = Record<string, unknown>;
type Segment = string | number;

export interface Resource {
  collection: string;
  item: string;
  itemParam: string;
  /** The property of an item that holds the id the item path carries. */
  idField: string;
  /** Where the array of items sits in the collection GET's answer (`[]` for a bare array). */
  listPath?: Segment[];
  /** Keys an item shows in the list (list items may be a summary of the full item). */
  listKeys?: string[];
  seed: Obj[];
  /** A creation-time field the example list is sorted on, newest first: new items list first too. */
  newestFirstBy?: string;
  /** Every key an item shows in some example of the resource: what a create or update may set. */
  knownKeys: Set<string>;
  /** Example values of every path parameter, so seeds and examples can carry the request's own ids. */
  paramExamples: Map<string, Set<string>>;
  /** The item parameter's `x-also-matches` templates: other names of an item than its id. */
  alsoMatches: string[];
}

export interface Outcome {
  status: number;
  body: unknown;
  label: string;
}

export interface StateRequest {
  op: OperationModel;
  params: Record<string, string>;
  body: unknown;
  /** The answer prism chose (validated request, default example). */
  status: number;
  responseBody: unknown;
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const lastParam = /^(.*)\/\{([^/{}]+)\}$/;

export function detectResources(model: SpecModel): Resource[] {
  const byPath = new Map<string, OperationModel[]>();
  for (const op of model.operations) byPath.set(op.path, [...(byPath.get(op.path) ?? []), op]);
  const paramExamples = new Map<string, Set<string>>();
  for (const op of model.operations) {
    for (const p of op.params) {
      if (p.in !== 'path') continue;
      const set = paramExamples.get(p.name) ?? new Set<string>();
      for (const v of p.examples.values()) set.add(String(v));
      paramExamples.set(p.name, set);
    }
  }
  const resources: Resource[] = [];
  for (const [itemPath, itemOps] of byPath) {
    const m = lastParam.exec(itemPath);
    if (!m || !m[1] || !m[2]) continue;
    // FastAPI-style collections end in a slash (`/images/` beside `/images/{id}`).
    const collection = byPath.has(m[1]) ? m[1] : `${m[1]}/`;
    const collectionOps = byPath.get(collection);
    if (!collectionOps || /\}$/.test(collection)) continue;
    const itemParam = m[2];
    const list = collectionOps.find((o) => o.method === 'get')?.defaultSuccess?.value;
    const listPath = list === undefined ? undefined : findArray(list, [], 0);
    const listItems = listPath ? (getAt(list, listPath) as unknown[]).filter(isObj) : [];
    const idValues = new Set<string>(paramExamples.get(itemParam) ?? []);
    const idField = guessIdField(listItems, itemOps, itemParam, idValues);
    const seedById = new Map<string, Obj>();
    for (const it of listItems) if (it[idField] !== undefined) seedById.set(String(it[idField]), structuredClone(it));
    for (const op of itemOps) {
      if (op.method !== 'get') continue;
      for (const ex of op.examples) {
        if (ex.status >= 300) continue;
        const found = findItem(ex.value, idField);
        if (!found || found.item[idField] === undefined) continue;
        const id = String(found.item[idField]);
        seedById.set(id, { ...(seedById.get(id) ?? {}), ...structuredClone(found.item) });
      }
    }
    const first = listItems[0];
    const knownKeys = new Set(listItems.flatMap((it) => Object.keys(it)));
    for (const op of model.operations) {
      if (op.path !== collection && op.path !== itemPath && !op.path.startsWith(`${itemPath}/`)) continue;
      for (const ex of op.examples) {
        if (ex.status >= 300) continue;
        const found = findItem(ex.value, idField);
        if (found) for (const k of Object.keys(found.item)) knownKeys.add(k);
      }
    }
    const dateKey = first ? Object.keys(first).find((k) => CREATED.test(k) && listItems.every((it) => typeof it[k] === 'string')) : undefined;
    const dates = dateKey ? listItems.map((it) => String(it[dateKey])) : [];
    const newestFirst = dates.length >= 2 && dates.every((d, i) => i === 0 || d <= (dates[i - 1] ?? '')) && dates[0] !== dates[dates.length - 1];
    resources.push({
      collection,
      newestFirstBy: newestFirst ? dateKey : undefined,
      item: itemPath,
      itemParam,
      idField,
      listPath,
      listKeys: first ? Object.keys(first) : undefined,
      seed: [...seedById.values()],
      knownKeys,
      paramExamples,
      alsoMatches: [...new Set(itemOps.flatMap((op) => op.params.filter((p) => p.in === 'path' && p.name === itemParam).flatMap((p) => p.alsoMatches)))],
    });
  }
  return resources;
}

function guessIdField(listItems: Obj[], itemOps: OperationModel[], itemParam: string, idValues: Set<string>): string {
  const objects: Obj[] = [...listItems];
  for (const op of itemOps) for (const ex of op.examples) if (ex.status < 300) objects.push(...allObjects(ex.value, 0));
  // The property whose value is an example of the item path parameter is the id, whatever its name.
  for (const o of objects) {
    for (const [k, v] of Object.entries(o)) if ((typeof v === 'string' || typeof v === 'number') && idValues.has(String(v))) return k;
  }
  const keys = new Set(objects.flatMap((o) => Object.keys(o)));
  for (const k of [itemParam, 'id', 'uuid', 'name', 'key']) if (keys.has(k)) return k;
  return [...keys].find((k) => /(^|_)id$|Id$/.test(k)) ?? itemParam;
}

function allObjects(v: unknown, depth: number): Obj[] {
  if (depth > 4) return [];
  if (Array.isArray(v)) return v.flatMap((x) => allObjects(x, depth + 1));
  if (!isObj(v)) return [];
  return [v, ...Object.values(v).flatMap((x) => allObjects(x, depth + 1))];
}

/** The first array in the body, breadth first: `[]`, `['items']`, `['data', 'snapshots']`. */
function findArray(v: unknown, at: Segment[], depth: number): Segment[] | undefined {
  if (Array.isArray(v)) return at;
  if (!isObj(v) || depth > 4) return undefined;
  for (const [k, x] of Object.entries(v)) if (Array.isArray(x)) return [...at, k];
  for (const [k, x] of Object.entries(v)) {
    const found = findArray(x, [...at, k], depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** The object holding `idField`, breadth first, with its place in the body. */
function findItem(v: unknown, idField: string): { item: Obj; at: Segment[] } | undefined {
  const queue: { v: unknown; at: Segment[] }[] = [{ v, at: [] }];
  while (queue.length > 0) {
    const next = queue.shift();
    if (!next) break;
    if (isObj(next.v)) {
      if (idField in next.v) return { item: next.v, at: next.at };
      if (next.at.length < 4) for (const [k, x] of Object.entries(next.v)) if (isObj(x)) queue.push({ v: x, at: [...next.at, k] });
    }
  }
  return undefined;
}

function getAt(v: unknown, at: Segment[]): unknown {
  let node = v;
  for (const s of at) node = (node as Record<Segment, unknown> | undefined)?.[s];
  return node;
}

function setAt(root: unknown, at: Segment[], value: unknown): unknown {
  if (at.length === 0) return value;
  const parent = getAt(root, at.slice(0, -1)) as Record<Segment, unknown>;
  parent[at[at.length - 1] as Segment] = value;
  return root;
}

function project(item: Obj, keys: string[] | undefined): Obj {
  if (!keys) return { ...item };
  const out: Obj = {};
  for (const k of keys) if (k in item) out[k] = item[k];
  return out;
}

const TOUCHED = /^(updated|modified)(_?at|_?on|_?date)?$/i;
const CREATED = /^(created|updated|modified)(_?at|_?on|_?date)?$/i;

export interface StateStore {
  resources: Resource[];
  /** Answers a request the state owns, or undefined to let the example answer stand. */
  apply(req: StateRequest, notFound: (op: OperationModel, message: string) => Outcome, conflict: (op: OperationModel, message: string) => Outcome): Outcome | undefined;
  /** New resources after a reload: collections still present keep their items. */
  update(model: SpecModel): void;
  reset(): void;
  snapshot(): Record<string, unknown[]>;
}

export function createStateStore(model: SpecModel, now: () => Date = () => new Date()): StateStore {
  let resources = detectResources(model);
  // Concrete collection path (`/containers/c1/snapshots`) -> id -> item.
  let collections = new Map<string, Map<string, Obj>>();

  const resourceFor = (op: OperationModel): { r: Resource; role: 'collection' | 'item' | 'sub' } | undefined => {
    let best: { r: Resource; role: 'collection' | 'item' | 'sub' } | undefined;
    for (const r of resources) {
      let role: 'collection' | 'item' | 'sub' | undefined;
      if (op.path === r.collection) role = 'collection';
      else if (op.path === r.item) role = 'item';
      else if (op.path.startsWith(`${r.item}/`)) role = 'sub';
      if (role && (!best || r.item.length > best.r.item.length)) best = { r, role };
    }
    return best;
  };

  const substitute = (v: unknown, r: Resource, params: Record<string, string>): unknown => {
    // Example ids inside bodies (a container_id, a snapshot_name) become the ids of this request.
    const swaps = new Map<string, string>();
    for (const [name, actual] of Object.entries(params)) for (const ex of r.paramExamples.get(name) ?? []) if (ex !== actual) swaps.set(ex, actual);
    if (swaps.size === 0) return v;
    const walk = (x: unknown): unknown => {
      if (typeof x === 'string') return swaps.get(x) ?? x;
      if (Array.isArray(x)) return x.map(walk);
      if (isObj(x)) return Object.fromEntries(Object.entries(x).map(([k, y]) => [k, walk(y)]));
      return x;
    };
    return walk(v);
  };

  const itemsOf = (r: Resource, params: Record<string, string>): Map<string, Obj> => {
    const key = concrete(r.collection, params);
    let items = collections.get(key);
    if (!items) {
      items = new Map();
      for (const s of r.seed) {
        const item = substitute(structuredClone(s), r, withoutItem(params, r)) as Obj;
        items.set(String(item[r.idField]), item);
      }
      collections.set(key, items);
    }
    return items;
  };

  const withoutItem = (params: Record<string, string>, r: Resource): Record<string, string> => {
    const { [r.itemParam]: _, ...rest } = params;
    return rest;
  };

  const nextId = (items: Map<string, Obj>, example: unknown): string | number => {
    if (typeof example === 'number') return Math.max(0, ...[...items.keys()].map(Number).filter(Number.isFinite)) + 1;
    const text = String(example ?? 'item');
    if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text)) return crypto.randomUUID();
    const m = /^(.*?)([0-9]+)$/.exec(text);
    const prefix = m?.[1] ?? `${text}-`;
    const width = m?.[2]?.length ?? 1;
    let n = m?.[2] ? Number(m[2]) : 0;
    for (const id of items.keys()) {
      if (id.startsWith(prefix) && /^[0-9]+$/.test(id.slice(prefix.length))) n = Math.max(n, Number(id.slice(prefix.length)));
    }
    return `${prefix}${String(n + 1).padStart(width, '0')}`;
  };

  const merge = (item: Obj, patch: unknown, known: Set<string> | undefined): void => {
    if (!isObj(patch)) return;
    for (const [k, v] of Object.entries(patch)) if (!known || known.has(k) || k in item) item[k] = asTyped(v, item[k]);
    for (const k of Object.keys(item)) if (TOUCHED.test(k) && typeof item[k] === 'string') item[k] = now().toISOString();
  };

  /** The example's item overlaid by the stored one: the keys the example shows, and any the resource knows. */
  const render = (responseBody: unknown, stored: Obj, r: Resource, params: Record<string, string>): unknown => {
    const body = substitute(structuredClone(responseBody), r, params);
    const found = findItem(body, r.idField);
    if (!found) return body;
    const keys = new Set(Object.keys(found.item));
    for (const k of Object.keys(stored)) if (r.knownKeys.has(k)) keys.add(k);
    return setAt(body, found.at, { ...found.item, ...project(stored, [...keys]) });
  };

  return {
    get resources() {
      return resources;
    },
    apply(req, notFound, conflict) {
      const hit = resourceFor(req.op);
      if (!hit || req.status < 200 || req.status >= 300) return undefined;
      const { r, role } = hit;
      const items = itemsOf(r, req.params);
      const method = req.op.method;
      if (role === 'collection') {
        if (method === 'get' && r.listPath) {
          const body = substitute(structuredClone(req.responseBody), r, req.params);
          const exampleList = getAt(body, r.listPath);
          const ordered = [...items.values()];
          const by = r.newestFirstBy;
          if (by) ordered.sort((a, b) => String(b[by] ?? '').localeCompare(String(a[by] ?? '')));
          const list = ordered.map((it) => project(it, r.listKeys));
          const out = setAt(body, r.listPath, list);
          // A count beside the list (total, count) that matched the example's length follows the list.
          const holder = r.listPath.length > 0 ? getAt(out, r.listPath.slice(0, -1)) : undefined;
          if (isObj(holder) && Array.isArray(exampleList)) {
            for (const [k, v] of Object.entries(holder)) if (typeof v === 'number' && v === exampleList.length && /total|count|size|length/i.test(k)) holder[k] = list.length;
          }
          return { status: req.status, body: out, label: 'state' };
        }
        if (method === 'post') {
          const found = findItem(req.responseBody, r.idField);
          const base: Obj = found ? structuredClone(found.item) : {};
          const item = substitute(base, r, req.params) as Obj;
          merge(item, req.body, r.knownKeys);
          for (const k of Object.keys(item)) if (CREATED.test(k) && typeof item[k] === 'string') item[k] = now().toISOString();
          const given = isObj(req.body) ? req.body[r.idField] : undefined;
          const id = given !== undefined ? given : nextId(items, base[r.idField]);
          if (items.has(String(id))) return conflict(req.op, `${String(id)} already exists`);
          item[r.idField] = id;
          items.set(String(id), item);
          return { status: req.status, body: render(req.responseBody, item, r, { ...req.params, [r.itemParam]: String(id) }), label: 'state' };
        }
        return undefined;
      }
      const given = req.params[r.itemParam] ?? '';
      const stored = items.get(given) ?? [...items.values()].find((it) => r.alsoMatches.some((t) => nameOf(t, it) === given));
      if (!stored) return notFound(req.op, `${given} not found`);
      // Found by another name: the answer speaks of the item's id, as the real server's would.
      const id = String(stored[r.idField]);
      const params = { ...req.params, [r.itemParam]: id };
      if (role === 'item') {
        if (method === 'delete') {
          items.delete(id);
          return { status: req.status, body: render(req.responseBody, stored, r, params), label: 'state' };
        }
        if (method === 'patch' || method === 'put') merge(stored, req.body, undefined);
        return { status: req.status, body: render(req.responseBody, stored, r, params), label: 'state' };
      }
      if (method === 'patch' || method === 'put') merge(stored, req.body, r.knownKeys);
      return { status: req.status, body: render(req.responseBody, stored, r, params), label: 'state' };
    },
    update(next) {
      const kept = new Set(detectResources(next).map((r) => r.collection));
      resources = detectResources(next);
      const templates = resources.filter((r) => kept.has(r.collection));
      collections = new Map([...collections].filter(([path]) => templates.some((r) => matches(r.collection, path))));
    },
    reset() {
      collections = new Map();
    },
    snapshot() {
      return Object.fromEntries([...collections].map(([path, items]) => [path, [...items.values()]]));
    },
  };
}

/** A form field is text: it takes the type the item's example value has (`false` -> false, `3` -> 3). */
function asTyped(v: unknown, like: unknown): unknown {
  if (typeof v !== 'string') return v;
  if (typeof like === 'boolean' && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
  if (typeof like === 'number' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return v;
}

/** An `x-also-matches` template filled from an item (`{user.username}` reads nested fields); undefined when a field is missing. */
export function nameOf(template: string, item: Obj): string | undefined {
  let missing = false;
  const text = template.replace(/\{([^}]+)\}/g, (_, path: string) => {
    const value = path.split('.').reduce<unknown>((at, key) => (isObj(at) ? at[key] : undefined), item);
    if (typeof value !== 'string' && typeof value !== 'number') missing = true;
    return String(value);
  });
  return missing ? undefined : text;
}

function concrete(template: string, params: Record<string, string>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => params[name] ?? `{${name}}`);
}

function matches(template: string, path: string): boolean {
  const source = template.split(/\{[^}]+\}/).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^/]+');
  return new RegExp(`^${source}$`).test(path);
}
