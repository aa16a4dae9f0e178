// The one interface the routes use; memory-store.ts is the only implementation.
import type { ImagesState } from '../domain/images.ts';
import type { ChutesUser, ImageAction, StoredImage } from '../domain/model.ts';
import type { ChutesFixture } from './fixture.ts';

export interface ChutesStore {
  /** A consistent view for the pure rules of domain/. */
  state(): ImagesState;
  user(userId: string): ChutesUser | undefined;
  userByApiKey(key: string): ChutesUser | undefined;
  userByHotkey(hotkey: string): ChutesUser | undefined;
  addImage(image: StoredImage, action: ImageAction): void;
  removeImage(imageId: string, action: ImageAction): void;
  /** Replaces everything with the fixture's state. */
  load(fixture: ChutesFixture): void;
}
