// The one interface behind which all state lives; memory-store.ts is the only implementation. Every
// method is synchronous: a rule checked by domain/ and the write that follows run with no await between.
import type { ImagesState } from '../domain/images.ts';
import type { ChutesUser, ImageAction, StoredImage } from '../domain/model.ts';
import type { Fixture } from './fixture.ts';

export interface Store extends ImagesState {
  /** Replaces everything with the fixture's state. */
  load(fixture: Fixture): void;
  user(userId: string): ChutesUser | undefined;
  userByApiKey(key: string): ChutesUser | undefined;
  userByHotkey(hotkey: string): ChutesUser | undefined;
  addImage(image: StoredImage, action: ImageAction): void;
  removeImage(imageId: string, action: ImageAction): void;
}
