// The image operations: count, list, get, delete (dry run unless confirmed), export selection,
// scan (simulated) and cache invalidation. Pure over the store: (store, input, now) -> result | RpcError.
import { GrpcCode, RpcError, invalidArgs, notFound } from './errors.ts';
import { buildImage, presentImage } from './image-build.ts';
import { parseImageName } from './image-names.ts';
import { listImageOf, paginate, parseImageQuery, priorities, searchImages, withPriority, type Pagination } from './image-search.ts';
import type { ImageRecord, ListImage, RegistryIntegration, ScanImageRequest, StorageImage } from './model.ts';
import { simulatedScan } from './scanner.ts';
import type { Store } from '../store/store.ts';

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

export function countImages(store: Store, query: string | undefined, now: number): { count: number } {
  return { count: searchImages(store.records(), parseImageQuery(query ?? '', now)).length };
}

export function listImages(store: Store, query: string | undefined, pagination: Pagination, now: number): { images: ListImage[] } {
  const results = searchImages(store.records(), parseImageQuery(query ?? '', now), pagination);
  return { images: paginate(results, pagination).map(listImageOf) };
}

export interface GetImageOptions {
  includeSnoozed?: boolean;
  stripDescription?: boolean;
}

/** An id without ':' is a bare SHA-256 digest. */
export const normalizeImageId = (id: string) => (id.includes(':') ? id : `sha256:${id}`);

export function getImage(store: Store, id: string, options: GetImageOptions): StorageImage {
  if (id === '') throw invalidArgs('id must be specified');
  const record = store.record(normalizeImageId(id));
  if (!record) throw notFound(`image with id ${JSON.stringify(id)} does not exist`);
  const priority = priorities(store.records()).get(record.image.id) ?? 0;
  return presentImage(withPriority({ record, priority }), options);
}

export interface DeleteImagesInput {
  /** undefined when the request named no query.* parameter at all. */
  scope: ({ query?: string } & Pagination) | undefined;
  confirm: boolean;
}

export function deleteImages(store: Store, input: DeleteImagesInput, now: number): { numDeleted: number; dryRun: boolean } {
  // the service answers this with a plain error, hence 500 Internal
  if (!input.scope) throw new RpcError(GrpcCode.Internal, 'a scoping query is required');
  const results = paginate(searchImages(store.records(), parseImageQuery(input.scope.query ?? '', now), input.scope), input.scope);
  if (input.confirm) store.remove(results.map((r) => r.record.image.id));
  return { numDeleted: results.length, dryRun: !input.confirm };
}

/** The ids an export streams, in list order, with the priorities they had when the export started. */
export function exportSelection(store: Store, query: string | undefined, now: number): { ids: string[]; priorities: Map<string, number> } {
  const results = searchImages(store.records(), parseImageQuery(query ?? '', now));
  return { ids: results.map((r) => r.record.image.id), priorities: new Map(results.map((r) => [r.record.image.id, r.priority])) };
}

export function invalidateCaches(store: Store): Record<string, never> {
  store.invalidateCaches();
  return {};
}

type ScanOutcome = { record: ImageRecord } | { failure: 'NO_VALID_INTEGRATION' | 'SCAN_FAILED'; message: string };

/** Scans a parsed name against the integrations: the stored scan unless forced, else a (simulated) fresh one. */
export function scanName(store: Store, fullName: string, force: boolean, now: number): ScanOutcome {
  const parsed = parseImageName(fullName);
  if ('invalid' in parsed) throw invalidArgs(parsed.invalid);
  const stored = store.recordByName(parsed.name.fullName);
  if (stored?.image.scan && !force) return { record: stored };
  const integration: RegistryIntegration | undefined = store.integrations().find((i) => i.registry === parsed.name.registry);
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
  const record = { image, deployments: stored?.deployments ?? [] };
  store.upsert(record);
  return { record };
}

export function scanImage(store: Store, request: ScanImageRequest, now: number): StorageImage {
  const imageName = request.imageName ?? '';
  if (imageName === '') throw invalidArgs('image name must be specified');
  const outcome = scanName(store, imageName, request.force ?? false, now);
  if ('failure' in outcome) throw new RpcError(GrpcCode.Internal, `image enrichment error: ${outcome.message}`);
  const priority = priorities(store.records()).get(outcome.record.image.id) ?? 0;
  return presentImage(withPriority({ record: outcome.record, priority }), { includeSnoozed: request.includeSnoozed ?? false });
}
