// The search fields of images, and searching the store with the query language: filter, sort, paginate.
import { invalidArgs, isDomainError, type DomainError } from './errors.ts';
import { counts } from './image-build.ts';
import type { ImageRecord, ListImage, StorageImage } from './model.ts';
import { matchesQuery, parseQuery, QueryError, type Doc, type FieldDef, type ParsedQuery, type Value } from './search-query.ts';

type Extract = (record: ImageRecord, priority: number) => Value[];
interface ImageField extends FieldDef {
  values: Extract;
  /** Single-valued fields can order a list. */
  sortable: boolean;
}

const time = (iso: string | null | undefined): Value[] => (iso ? [Date.parse(iso)] : []);
const vulnsOf = (image: StorageImage) => (image.scan?.components ?? []).flatMap((c) => c.vulns).filter(counts);
const unique = <T>(values: T[]) => [...new Set(values)];

const FIELDS: ImageField[] = [
  { label: 'Image', type: 'string', sortable: true, values: ({ image }) => unique([image.name.fullName, ...image.names.map((n) => n.fullName)]) },
  { label: 'Image Registry', type: 'string', sortable: true, values: ({ image }) => [image.name.registry] },
  { label: 'Image Remote', type: 'string', sortable: true, values: ({ image }) => [image.name.remote] },
  { label: 'Image Tag', type: 'string', sortable: true, values: ({ image }) => (image.name.tag ? [image.name.tag] : []) },
  { label: 'Image Sha', type: 'string', sortable: true, values: ({ image }) => [image.id] },
  { label: 'Image OS', type: 'string', sortable: true, values: ({ image }) => (image.scan ? [image.scan.operatingSystem] : []) },
  { label: 'Image Scan Time', type: 'time', sortable: true, values: ({ image }) => time(image.scan?.scanTime) },
  { label: 'Image Created Time', type: 'time', sortable: true, values: ({ image }) => time(image.metadata?.v1?.created) },
  { label: 'Image CVE Count', type: 'number', sortable: true, values: ({ image }) => (image.cves === undefined ? [] : [image.cves]) },
  { label: 'Image Fixable CVE Count', type: 'number', sortable: true, values: ({ image }) => (image.fixableCves === undefined ? [] : [image.fixableCves]) },
  { label: 'Image Top CVSS', type: 'number', sortable: true, values: ({ image }) => (image.topCvss === undefined ? [] : [image.topCvss]) },
  { label: 'Image Risk Priority', type: 'number', sortable: true, values: (_r, priority) => [priority] },
  { label: 'Cluster', type: 'string', sortable: false, values: ({ deployments }) => unique(deployments.map((d) => d.cluster)) },
  { label: 'Namespace', type: 'string', sortable: false, values: ({ deployments }) => unique(deployments.map((d) => d.namespace)) },
  { label: 'Deployment', type: 'string', sortable: false, values: ({ deployments }) => unique(deployments.map((d) => d.name)) },
  { label: 'CVE', type: 'string', sortable: false, values: ({ image }) => unique(vulnsOf(image).map((v) => v.cve)) },
  { label: 'CVSS', type: 'number', sortable: false, values: ({ image }) => unique(vulnsOf(image).map((v) => v.cvss)) },
  { label: 'Component', type: 'string', sortable: false, values: ({ image }) => unique((image.scan?.components ?? []).map((c) => c.name)) },
  { label: 'Component Version', type: 'string', sortable: false, values: ({ image }) => unique((image.scan?.components ?? []).map((c) => c.version)) },
  { label: 'Fixable', type: 'bool', sortable: false, values: ({ image }) => unique(vulnsOf(image).map((v) => v.fixedBy !== undefined)) },
  { label: 'Severity', type: 'string', sortable: false, values: ({ image }) => unique(vulnsOf(image).map((v) => v.severity)) },
];
const BY_LABEL = new Map(FIELDS.map((f) => [f.label.toLowerCase(), f]));

/** Parses a query for images; a malformed one is invalid arguments with the parser's reason. */
export function parseImageQuery(query: string, now: number): ParsedQuery | DomainError {
  const parsed = parseQuery(query, FIELDS, { now });
  return parsed instanceof QueryError ? invalidArgs(`invalid query ${JSON.stringify(query)}: ${parsed.message}`) : parsed;
}

/** Risk priority: 1 is the riskiest image; ties are broken by id. A rank among the images stored now. */
export function priorities(records: readonly ImageRecord[]): Map<string, number> {
  const order = [...records].sort((a, b) => b.image.riskScore - a.image.riskScore || (a.image.id < b.image.id ? -1 : 1));
  return new Map(order.map((r, i) => [r.image.id, i + 1]));
}

function docOf(record: ImageRecord, priority: number): Doc {
  return new Map(FIELDS.map((f) => [f.label.toLowerCase(), f.values(record, priority)]));
}

export interface Pagination {
  limit?: number;
  offset?: number;
  sortField?: string;
  reversed?: boolean;
}

export const MAX_LIMIT = 1000;

/** The page size the service uses: 0, missing or over 1000 means 1000. */
export const effectiveLimit = (limit: number | undefined) => (!limit || limit > MAX_LIMIT ? MAX_LIMIT : limit);

function sortFieldOf(label: string | undefined): ImageField | DomainError {
  const field = BY_LABEL.get((label ?? 'Image Risk Priority').trim().toLowerCase());
  if (!field || !field.sortable) {
    const sortable = FIELDS.filter((f) => f.sortable).map((f) => f.label).join(', ');
    return invalidArgs(`sort field ${JSON.stringify(label)} is not a sortable search field (one of ${sortable})`);
  }
  return field;
}

export interface SearchResult {
  record: ImageRecord;
  priority: number;
}

/** Every record the query matches, in the requested order (unset values last, ties by id). */
export function searchImages(records: readonly ImageRecord[], parsed: ParsedQuery, sort: Pick<Pagination, 'sortField' | 'reversed'> = {}): SearchResult[] | DomainError {
  const field = sortFieldOf(sort.sortField);
  if (isDomainError(field)) return field;
  const ranks = priorities(records);
  const keyed = records
    .map((record) => {
      const priority = ranks.get(record.image.id) ?? 0;
      return { record, priority, doc: docOf(record, priority) };
    })
    .filter(({ doc }) => matchesQuery(parsed, doc))
    .map((r) => ({ ...r, key: r.doc.get(field.label.toLowerCase())?.[0] }));
  const direction = sort.reversed ? -1 : 1;
  keyed.sort((a, b) => {
    if (a.key === undefined || b.key === undefined) {
      if (a.key !== b.key) return a.key === undefined ? 1 : -1;
    } else if (a.key !== b.key) {
      const less = typeof a.key === 'string' && typeof b.key === 'string' ? a.key.toLowerCase() < b.key.toLowerCase() : a.key < b.key;
      return (less ? -1 : 1) * direction;
    }
    return a.record.image.id < b.record.image.id ? -1 : 1;
  });
  return keyed.map(({ record, priority }) => ({ record, priority }));
}

export function paginate<T>(items: T[], pagination: Pick<Pagination, 'limit' | 'offset'>): T[] {
  const offset = pagination.offset ?? 0;
  return items.slice(offset, offset + effectiveLimit(pagination.limit));
}

/** The stored image with its current priority, as every answer shows it. */
export const withPriority = ({ record, priority }: SearchResult): StorageImage => ({ ...record.image, priority: String(priority) });

export function listImageOf(result: SearchResult): ListImage {
  const { image } = result.record;
  return {
    id: image.id,
    name: image.name.fullName,
    ...(image.components === undefined ? {} : { components: image.components }),
    ...(image.cves === undefined ? {} : { cves: image.cves }),
    ...(image.fixableCves === undefined ? {} : { fixableCves: image.fixableCves }),
    created: image.metadata?.v1?.created ?? null,
    lastUpdated: image.lastUpdated,
    priority: String(result.priority),
  };
}

