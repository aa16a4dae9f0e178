// Which request a response example answers, read one way by the mock, the conformance suite and
// the lint rule. Two conventions are recognised:
// - by name (Specmatic, Microcks, spec/README.md): a request part (parameter or body) holding an
//   example under the same key as the response example is that example's request;
// - this project's (spec/README.md), declared by `x-caller-roles` or the `x-` pairing extensions:
//   a response example that no request part names is sent with the fallbacks (first path example,
//   first example of a required part), since the spec was written with that rule in mind.
// Elsewhere an example that no request part names is *untied*: nothing says which request gets it.
// A spec that declares `x-example-pairing: same-key` at its root (our three do) pairs strictly by
// name, as Specmatic and Microcks do: each response example names every part its request needs
// (path parameters, required query and header parameters, a required body) under its own key, and at
// least one part where the operation has any (Specmatic refuses the spec otherwise); a part it does not
// name is an error of the spec, never filled in from another example.
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One part of a request that may carry named examples. */
export interface RequestPart {
  in: 'path' | 'query' | 'header' | 'cookie' | 'body';
  /** The parameter's name; '' for the body. */
  name: string;
  required: boolean;
  /** Named examples (`examples:`), the only ones that pair by name. */
  examples: ReadonlyMap<string, unknown>;
  /** A lone `example:` value: a fallback to send, never a name to pair with. */
  example?: { value: unknown };
}

/**
 * How response example `key` is tied to a request: `named` when a request part names it, `fallback`
 * when the spec follows this project's convention (the request is the fallbacks), else `untied`.
 */
export type Tie = 'named' | 'fallback' | 'untied';

/** The root extension by which a spec declares strict same-key pairing, and its one value. */
export const PAIRING_EXTENSION = 'x-example-pairing';
export const SAME_KEY = 'same-key';

/** Whether the root declares `x-example-pairing: same-key` (no fallback: a missing part is a spec error). */
export function declaresSameKey(root: Obj): boolean {
  return root[PAIRING_EXTENSION] === SAME_KEY;
}

/** The parts every request needs: path parameters, required query and header parameters, a required body. */
export function neededParts(parts: readonly RequestPart[]): RequestPart[] {
  return parts.filter((p) => p.in === 'path' || (p.required && p.in !== 'cookie'));
}

/** The needed parts that do not name example `key`: under same-key pairing, each is an error of the spec. */
export function unnamedNeededParts(parts: readonly RequestPart[], key: string): RequestPart[] {
  return neededParts(parts).filter((p) => !p.examples.has(key));
}

/** A part as messages name it: `path parameter "id"`, `request body`. */
export function describePart(part: Pick<RequestPart, 'in' | 'name'>): string {
  return part.in === 'body' ? 'request body' : `${part.in} parameter "${part.name}"`;
}

/** What a response example misses: `any of its request parts` stands for an operation that has some, none naming it. */
export const ANY_PART = 'any of its request parts';

/**
 * Where response example `key` is not paired, under same-key pairing: each needed part without the
 * key (`its path parameter "id"`); else, when the operation has request parts and none names the key,
 * ANY_PART, since Specmatic refuses a response example "with no associated request example" there.
 */
export function pairingGaps(parts: readonly RequestPart[], key: string): string[] {
  const gaps = unnamedNeededParts(parts, key).map((p) => `its ${describePart(p)}`);
  if (gaps.length === 0 && parts.some((p) => p.in !== 'cookie') && namedParts(parts, key).length === 0) gaps.push(ANY_PART);
  return gaps;
}

/** The one-line spec error of response example `key` (empty when it is paired). */
export function unpairedMessage(operationId: string, key: string, parts: readonly RequestPart[]): string {
  const gaps = pairingGaps(parts, key);
  if (gaps.length === 0) return '';
  return `${operationId}: response example "${key}" has no example "${key}" on ${gaps.join(', ')} (${PAIRING_EXTENSION}: ${SAME_KEY} pairs by key only, with no fallback)`;
}

/** The `x-` extensions of this project's convention on examples (spec/README.md). */
export const CONVENTION_EXTENSIONS = ['x-caller', 'x-replayable', 'x-match', 'x-match-ignore', 'x-skip-reason'] as const;

/**
 * Whether a spec follows this project's pairing convention: its root names `x-caller-roles`, or an
 * example carries one of its extensions. `deref` follows a `$ref` (identity for a dereferenced document).
 */
export function followsProjectConvention(root: Obj, deref: (node: unknown) => unknown = (n) => n): boolean {
  if (Array.isArray(root['x-caller-roles'])) return true;
  const seen = new Set<unknown>();
  const examplesHaveExtension = (examples: unknown): boolean =>
    isObj(examples) && Object.values(examples).some((raw) => [raw, deref(raw)].some((ex) => isObj(ex) && CONVENTION_EXTENSIONS.some((k) => k in ex)));
  const walk = (node: unknown, depth: number): boolean => {
    node = deref(node);
    if (depth > 40 || typeof node !== 'object' || node === null || seen.has(node)) return false;
    seen.add(node);
    if (Array.isArray(node)) return node.some((n) => walk(n, depth + 1));
    if ('examples' in node && examplesHaveExtension((node as Obj).examples)) return true;
    return Object.entries(node).some(([k, v]) => k !== 'examples' && walk(v, depth + 1));
  };
  return walk(root.paths, 0);
}

/** The parts that name example `key` (its own parts). */
export function namedParts(parts: readonly RequestPart[], key: string): RequestPart[] {
  return parts.filter((p) => p.in !== 'cookie' && p.examples.has(key));
}

export function exampleTie(parts: readonly RequestPart[], key: string, projectConvention: boolean): Tie {
  if (namedParts(parts, key).length > 0) return 'named';
  return projectConvention ? 'fallback' : 'untied';
}

/**
 * What request part `part` sends for example `key`: its example `key`; else, for a path parameter or
 * a required part, its first example; else nothing. `{ missing: true }` when the part must be sent
 * and has no example (the caller derives one from the schema). Under same-key pairing callers check
 * pairingGaps first: there a fallback would hide an error of the spec.
 */
export function partValue(part: RequestPart, key: string | undefined): { value: unknown } | { missing: true } | undefined {
  if (key !== undefined && part.examples.has(key)) return { value: part.examples.get(key) };
  if (part.in !== 'path' && !part.required) return undefined;
  if (part.examples.size > 0) return { value: part.examples.values().next().value };
  if (part.example) return { value: part.example.value };
  return { missing: true };
}
