// Watched images: names kept scanned although no deployment uses them. Watching answers 200 even when it
// fails; errorType says why. Each function decides; the route writes what the decision names.
import { isDomainError } from './errors.ts';
import { parseImageName } from './image-names.ts';
import { scanName, type ImageState } from './images.ts';
import type { GetWatchedImagesResponse, ImageRecord, WatchImageResponse } from './model.ts';

/** What the watched-image operations read. */
export interface WatchedImageState extends ImageState {
  /** The watched full names, sorted. */
  watchedImages(): readonly string[];
}

export function getWatchedImages(state: WatchedImageState): GetWatchedImagesResponse {
  return { watchedImages: state.watchedImages().map((name) => ({ name })) };
}

/** What watching decided: the answer, the name to watch and the scanned record to store, when it succeeded. */
export interface WatchDecision {
  watch: string | undefined;
  store: ImageRecord | undefined;
  result: WatchImageResponse;
}

const failed = (errorType: WatchImageResponse['errorType'], errorMessage: string): WatchDecision => ({
  watch: undefined,
  store: undefined,
  result: { normalizedName: '', errorType, errorMessage },
});

export function watchImage(state: WatchedImageState, name: string | undefined, now: number): WatchDecision {
  if (!name) return failed('INVALID_IMAGE_NAME', 'no image name specified');
  const parsed = parseImageName(name);
  if ('invalid' in parsed) return failed('INVALID_IMAGE_NAME', parsed.invalid);
  if (!parsed.explicitTag || parsed.digest) {
    return failed('INVALID_IMAGE_NAME', `image name ${JSON.stringify(name)} must be fully qualified, with a tag and without a digest`);
  }
  // watching scans the image now, stored like any scan (a stored scan is re-used)
  const scanned = scanName(state, parsed.name.fullName, false, now);
  if (isDomainError(scanned)) return failed('INVALID_IMAGE_NAME', scanned.message); // the name parsed above: cannot happen
  if ('failure' in scanned) return failed(scanned.failure, scanned.message);
  const fullName = parsed.name.fullName;
  return { watch: fullName, store: scanned.fresh ? scanned.record : undefined, result: { normalizedName: fullName, errorType: 'NO_ERROR', errorMessage: '' } };
}

/** Unwatching a name nobody watches succeeds too; a parsable name is normalised first. The name to unwatch. */
export function unwatchedName(name: string | undefined): string {
  const raw = name ?? '';
  const parsed = parseImageName(raw);
  return 'invalid' in parsed ? raw : parsed.name.fullName;
}
