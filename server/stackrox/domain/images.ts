// The image operations: count, list, get, delete (dry run unless confirmed), export selection and scan
// (simulated). Each reads the state and decides: (state, input, now) -> result | DomainError; a decision
// that changes the store names the change and the route makes it in the same synchronous step.
import { invalidArgs, isDomainError, notFound, plainError, type DomainError } from './errors.ts';
import { buildImage, presentImage } from './image-build.ts';
import { parseImageName } from './image-names.ts';
import { listImageOf, paginate, parseImageQuery, priorities, searchImages, withPriority, type Pagination, type SearchResult } from './image-search.ts';
import type { CountImagesResponse, DeleteImagesResponse, ImageRecord, ListImagesResponse, RegistryIntegration, ScanImageRequest, StorageImage } from './model.ts';
import { simulatedScan } from './scanner.ts';

/** What the image operations read. */
export interface ImageState {
  /** Every stored image, in no particular order. */
  records(): readonly ImageRecord[];
  record(id: string): ImageRecord | undefined;
  recordByName(fullName: string): ImageRecord | undefined;
  integrations(): readonly RegistryIntegration[];
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** Every image the query matches, in the requested order. */
function findImages(state: ImageState, query: string | undefined, sort: Pick<Pagination, 'sortField' | 'reversed'>, now: number): SearchResult[] | DomainError {
  const parsed = parseImageQuery(query ?? '', now);
  return isDomainError(parsed) ? parsed : searchImages(state.records(), parsed, sort);
}

export function countImages(state: ImageState, query: string | undefined, now: number): CountImagesResponse | DomainError {
  const results = findImages(state, query, {}, now);
  return isDomainError(results) ? results : { count: results.length };
}

export function listImages(state: ImageState, query: string | undefined, pagination: Pagination, now: number): ListImagesResponse | DomainError {
  const results = findImages(state, query, pagination, now);
  return isDomainError(results) ? results : { images: paginate(results, pagination).map(listImageOf) };
}

export interface GetImageOptions {
  includeSnoozed?: boolean;
  stripDescription?: boolean;
}

/** An id without ':' is a bare SHA-256 digest. */
export const normalizeImageId = (id: string) => (id.includes(':') ? id : `sha256:${id}`);

export function getImage(state: ImageState, id: string, options: GetImageOptions): StorageImage | DomainError {
  if (id === '') return invalidArgs('id must be specified');
  const record = state.record(normalizeImageId(id));
  if (!record) return notFound(`image with id ${JSON.stringify(id)} does not exist`);
  const priority = priorities(state.records()).get(record.image.id) ?? 0;
  return presentImage(withPriority({ record, priority }), options);
}

export interface DeleteImagesInput {
  /** undefined when the request named no query.* parameter at all. */
  scope: ({ query?: string } & Pagination) | undefined;
  confirm: boolean;
}

/** What a deletion decided: the answer, and the ids to remove (none on a dry run). */
export interface DeleteDecision {
  remove: string[];
  result: DeleteImagesResponse;
}

export function deleteImages(state: ImageState, input: DeleteImagesInput, now: number): DeleteDecision | DomainError {
  // the service answers this with a plain error, hence 500 Internal
  if (!input.scope) return plainError('a scoping query is required');
  const results = findImages(state, input.scope.query, input.scope, now);
  if (isDomainError(results)) return results;
  const ids = paginate(results, input.scope).map((r) => r.record.image.id);
  return { remove: input.confirm ? ids : [], result: { numDeleted: ids.length, dryRun: !input.confirm } };
}

/** The ids an export streams, in list order, with the priorities they had when the export started. */
export function exportSelection(state: ImageState, query: string | undefined, now: number): { ids: string[]; priorities: Map<string, number> } | DomainError {
  const results = findImages(state, query, {}, now);
  if (isDomainError(results)) return results;
  return { ids: results.map((r) => r.record.image.id), priorities: new Map(results.map((r) => [r.record.image.id, r.priority])) };
}

/** A scan that happened: the scanned record and whether it is new data the caller must store. */
export interface Scanned {
  record: ImageRecord;
  fresh: boolean;
}
/** A scan that could not happen, as WatchImage reports it (ScanImage turns it into an error). */
export interface ScanFailure {
  failure: 'NO_VALID_INTEGRATION' | 'SCAN_FAILED';
  message: string;
}

/** Scans a name against the integrations: the stored scan unless forced, else a (simulated) fresh one. */
export function scanName(state: ImageState, name: string, force: boolean, now: number): Scanned | ScanFailure | DomainError {
  const parsed = parseImageName(name);
  if ('invalid' in parsed) return invalidArgs(parsed.invalid);
  const stored = state.recordByName(parsed.name.fullName);
  if (stored?.image.scan && !force) return { record: stored, fresh: false };
  const integration = state.integrations().find((i) => i.registry === parsed.name.registry);
  if (!integration) {
    return { failure: 'NO_VALID_INTEGRATION', message: `no image integration found for registry ${JSON.stringify(parsed.name.registry)}: please add an image integration for it` };
  }
  if (!integration.scannable) {
    return { failure: 'SCAN_FAILED', message: `scanning ${JSON.stringify(parsed.name.fullName)} failed: Scanner could not reach registry ${JSON.stringify(parsed.name.registry)}` };
  }
  const at = iso(now);
  const image = stored
    ? { ...stored.image, scan: stored.image.scan ? { ...stored.image.scan, scanTime: at } : stored.image.scan, lastUpdated: at, signature: { signatures: [], fetched: at } }
    : buildImage(simulatedScan(parsed.name, at), integration, parsed.digest);
  return { record: { image, deployments: stored?.deployments ?? [] }, fresh: true };
}

/** The stored records once `record` is stored (it replaces the one with its id). */
export const recordsWith = (state: ImageState, record: ImageRecord): ImageRecord[] => [...state.records().filter((r) => r.image.id !== record.image.id), record];

/** What a scan decided: the answer, and the record to store when the scan is fresh. */
export interface ScanDecision {
  store: ImageRecord | undefined;
  result: StorageImage;
}

export function scanImage(state: ImageState, request: ScanImageRequest, now: number): ScanDecision | DomainError {
  const imageName = request.imageName ?? '';
  if (imageName === '') return invalidArgs('image name must be specified');
  const scanned = scanName(state, imageName, request.force ?? false, now);
  if (isDomainError(scanned)) return scanned;
  if ('failure' in scanned) return plainError(`image enrichment error: ${scanned.message}`);
  const { record, fresh } = scanned;
  // the answer's priority is the rank among the images stored once this scan is
  const priority = priorities(fresh ? recordsWith(state, record) : state.records()).get(record.image.id) ?? 0;
  const result = presentImage(withPriority({ record, priority }), { includeSnoozed: request.includeSnoozed ?? false });
  return { store: fresh ? record : undefined, result };
}
