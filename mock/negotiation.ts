// Content negotiation: which of the media types an answer is documented in the client accepts,
// in its order of preference, and XML bodies written from JSON values the way the schema's `xml`
// objects describe them (OpenAPI's XML Object: name, attribute, wrapped, namespace, prefix).
import { XMLBuilder } from 'fast-xml-parser';
import Negotiator from 'negotiator';

/** The offered media types the Accept header takes, most preferred first (all of them when it says nothing). */
export function acceptedTypes(accept: string | undefined, offered: string[]): string[] {
  if (accept === undefined || accept.trim() === '') return offered;
  return new Negotiator({ headers: { accept } }).mediaTypes(offered);
}

/** `*\/*` or absent: the client states no preference. */
export function acceptsAnything(accept: string | undefined): boolean {
  return accept === undefined || /^\s*(\*\/\*)?\s*$/.test(accept);
}

export function isXml(mediaType: string | undefined): boolean {
  return mediaType !== undefined && /^[a-z]+\/([\w.+-]+\+)?xml\s*(;|$)/i.test(mediaType);
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

interface XmlObject {
  name?: string;
  namespace?: string;
  prefix?: string;
  attribute?: boolean;
  wrapped?: boolean;
}

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', textNodeName: '#text', suppressEmptyNode: false, format: false });

/**
 * `value` as an XML document. The root element is named by the schema's `xml.name`, else by the
 * component its `$ref` names (`#/components/schemas/Pet` → `Pet`), else `root`; properties follow
 * their `xml` objects; values the schema does not describe become elements named by their keys.
 */
export function toXml(value: unknown, schema: unknown, deref: (node: unknown) => unknown): string {
  const tree: Obj = {};
  const resolved = deref(schema);
  const name = elementName(schema, resolved, 'root');
  if (Array.isArray(value)) {
    // A list at the root needs one element around it: its own name, the items' inside.
    const items = isObj(resolved) ? resolved.items : undefined;
    tree[qualified(name, xmlOf(resolved))] = withNamespace({ [qualified(elementName(items, deref(items), 'item'), xmlOf(deref(items)))]: value.map((v) => node(v, items, deref)) }, xmlOf(resolved));
  } else {
    tree[qualified(name, xmlOf(resolved))] = withNamespace(node(value, schema, deref), xmlOf(resolved));
  }
  return `<?xml version="1.0" encoding="UTF-8"?>${builder.build(tree) as string}`;
}

/** The builder's form of one value: text, or an object of child elements and `@_` attributes. */
function node(value: unknown, rawSchema: unknown, deref: (node: unknown) => unknown): unknown {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'object') return String(value);
  const schema = deref(rawSchema);
  if (Array.isArray(value)) return value.map((v) => node(v, isObj(schema) ? schema.items : undefined, deref));
  const props = isObj(schema) && isObj(schema.properties) ? schema.properties : {};
  const out: Obj = {};
  for (const [key, v] of Object.entries(value)) {
    const rawProp = props[key];
    const prop = deref(rawProp);
    const xml = xmlOf(prop);
    // A property that is a $ref takes the element name the referenced schema's xml object gives.
    const name = qualified(sanitize(xml.name ?? key), xml);
    if (xml.attribute && (v === null || typeof v !== 'object')) {
      out[`@_${name}`] = v === null ? '' : String(v);
      if (xml.namespace && xml.prefix) out[`@_xmlns:${xml.prefix}`] = xml.namespace;
      continue;
    }
    if (Array.isArray(v)) {
      const items = isObj(prop) ? prop.items : undefined;
      const itemXml = xmlOf(deref(items));
      const itemName = qualified(sanitize(itemXml.name ?? (xml.wrapped ? elementName(items, deref(items), key) : name)), itemXml);
      const list = v.map((item) => node(item, items, deref));
      if (xml.wrapped) out[name] = withNamespace({ [itemName]: list }, xml);
      else out[itemName] = list;
      continue;
    }
    out[name] = withNamespace(node(v, rawProp, deref), xml);
  }
  return out;
}

function xmlOf(schema: unknown): XmlObject {
  return isObj(schema) && isObj(schema.xml) ? (schema.xml as XmlObject) : {};
}

function refName(schema: unknown): string | undefined {
  return isObj(schema) && typeof schema.$ref === 'string' ? schema.$ref.split('/').pop() : undefined;
}

function elementName(raw: unknown, resolved: unknown, fallback: string): string {
  return sanitize(xmlOf(resolved).name ?? refName(raw) ?? fallback);
}

function qualified(name: string, xml: XmlObject): string {
  return xml.prefix ? `${xml.prefix}:${name}` : name;
}

/** An element carrying the schema's namespace declaration (`xmlns` or `xmlns:prefix`). */
function withNamespace(content: unknown, xml: XmlObject): unknown {
  if (!xml.namespace || xml.attribute) return content;
  const decl = xml.prefix ? `@_xmlns:${xml.prefix}` : '@_xmlns';
  if (isObj(content)) return { [decl]: xml.namespace, ...content };
  return { [decl]: xml.namespace, '#text': content };
}

/** XML names cannot hold spaces and most punctuation, nor start with a digit. */
function sanitize(name: string): string {
  const s = name.replace(/[^\p{L}\p{N}_.:-]/gu, '_');
  return /^[\p{L}_]/u.test(s) ? s : `_${s}`;
}
