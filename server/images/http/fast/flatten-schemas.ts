// A closed composition `allOf: [objects...], unevaluatedProperties: false` rewritten as the one flat
// object it means: the union of the members' properties and required names, additionalProperties: false.
// Why: ajv checks unevaluatedProperties by tracking, per call, which names each member evaluated,
// which cost about a seventh of a list request; the flat form is checked in one pass. Only a node
// whose members are plain object schemas (properties, required, type object, annotations) is
// rewritten, so the flat form accepts exactly the instances the composition does.

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const ANNOTATIONS = new Set(['title', 'description', 'examples', 'example', 'deprecated', 'readOnly', 'writeOnly', '$comment', 'default']);
const MEMBER_KEYS = new Set([...ANNOTATIONS, 'type', 'properties', 'required']);
const NODE_KEYS = new Set([...ANNOTATIONS, 'type', 'allOf', 'unevaluatedProperties']);

/** Follows local `#/...` references within `root`; undefined when one leads nowhere. */
function resolved(root: Json, node: unknown): Json | undefined {
  let current = node;
  for (let hops = 0; isObject(current) && typeof current.$ref === 'string'; hops++) {
    if (hops > 20 || !current.$ref.startsWith('#/') || Object.keys(current).some((k) => k !== '$ref' && !ANNOTATIONS.has(k))) return undefined;
    current = current.$ref
      .slice(2)
      .split('/')
      .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
      .reduce<unknown>((n, key) => (isObject(n) ? n[key] : undefined), root);
  }
  return isObject(current) ? current : undefined;
}

const objectTyped = (schema: Json) => schema.type === undefined || schema.type === 'object';

/** The flat equivalent of one node, or undefined when the node is not a closed composition of plain objects. */
export function flatClosedObject(root: Json, node: Json): Json | undefined {
  if (node.unevaluatedProperties !== false || !Array.isArray(node.allOf) || node.allOf.length === 0) return undefined;
  if (Object.keys(node).some((k) => !NODE_KEYS.has(k)) || !objectTyped(node)) return undefined;
  const members = node.allOf.map((m) => resolved(root, m));
  const properties: Json = {};
  const required = new Set<string>();
  let typed = node.type === 'object';
  for (const member of members) {
    if (!member || Object.keys(member).some((k) => !MEMBER_KEYS.has(k)) || !objectTyped(member)) return undefined;
    if (member.properties !== undefined && !isObject(member.properties)) return undefined;
    if (member.required !== undefined && !(Array.isArray(member.required) && member.required.every((r) => typeof r === 'string'))) return undefined;
    typed ||= member.type === 'object';
    for (const [name, schema] of Object.entries(member.properties ?? {})) {
      const earlier = properties[name];
      properties[name] = earlier === undefined ? schema : { allOf: [earlier, schema] }; // both members check it
    }
    for (const name of (member.required as string[] | undefined) ?? []) required.add(name);
  }
  // Without a type anywhere, a non-object passes the composition, so it must pass the flat form too.
  return { ...(typed ? { type: 'object' } : {}), properties, required: [...required], additionalProperties: false };
}

/** A copy of `document` with every closed composition of plain objects flattened (for the validator only). */
export function withFlatClosedObjects(document: Json): Json {
  const copy = structuredClone(document);
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (!isObject(node)) return node;
    for (const [key, value] of Object.entries(node)) node[key] = visit(value);
    return flatClosedObject(copy, node) ?? node;
  };
  return visit(copy) as Json;
}
