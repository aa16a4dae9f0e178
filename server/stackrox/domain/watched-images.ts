// Watched images: names kept scanned although no deployment uses them. Watching answers 200 even when it
// fails; errorType says why.
import { parseImageName } from './image-names.ts';
import { scanName } from './images.ts';
import type { WatchImageResponse } from './model.ts';
import type { Store } from '../store/store.ts';

export function getWatchedImages(store: Store): { watchedImages: { name: string }[] } {
  return { watchedImages: store.watchedImages().map((name) => ({ name })) };
}

const failed = (errorType: WatchImageResponse['errorType'], errorMessage: string): WatchImageResponse => ({ normalizedName: '', errorType, errorMessage });

export function watchImage(store: Store, name: string | undefined, now: number): WatchImageResponse {
  if (!name) return failed('INVALID_IMAGE_NAME', 'no image name specified');
  const parsed = parseImageName(name);
  if ('invalid' in parsed) return failed('INVALID_IMAGE_NAME', parsed.invalid);
  if (!parsed.explicitTag || parsed.digest) {
    return failed('INVALID_IMAGE_NAME', `image name ${JSON.stringify(name)} must be fully qualified, with a tag and without a digest`);
  }
  // watching scans the image now, stored like any scan (a stored scan is re-used)
  const outcome = scanName(store, parsed.name.fullName, false, now);
  if ('failure' in outcome) return failed(outcome.failure, outcome.message);
  store.watch(parsed.name.fullName);
  return { normalizedName: parsed.name.fullName, errorType: 'NO_ERROR', errorMessage: '' };
}

/** Unwatching a name nobody watches succeeds too; a parsable name is normalised first. */
export function unwatchImage(store: Store, name: string | undefined): Record<string, never> {
  const raw = name ?? '';
  const parsed = parseImageName(raw);
  store.unwatch('invalid' in parsed ? raw : parsed.name.fullName);
  return {};
}
