// In memory, rebuilt from a fixture on load (the control API's reset).
import type { ImagesState } from '../domain/images.ts';
import type { ChutesUser, ImageAction, StoredImage } from '../domain/model.ts';
import { stateOfFixture, type ChutesFixture } from './fixture.ts';
import type { ChutesStore } from './store.ts';

export class MemoryChutesStore implements ChutesStore {
  private users: ChutesUser[] = [];
  private images: StoredImage[] = [];
  private chutes: { image_id: string }[] = [];
  private actions: ImageAction[] = [];

  constructor(fixture: ChutesFixture) {
    this.load(fixture);
  }

  load(fixture: ChutesFixture): void {
    const state = stateOfFixture(fixture);
    this.users = state.users.map((u) => ({ ...u, api_keys: [...u.api_keys] }));
    this.images = state.images.map((i) => ({ ...i }));
    this.chutes = state.chutes.map((c) => ({ ...c }));
    this.actions = state.actions.map((a) => ({ ...a }));
  }

  state(): ImagesState {
    return { users: this.users, images: this.images, chutes: this.chutes, actions: this.actions };
  }

  user(userId: string) {
    return this.users.find((u) => u.user_id === userId);
  }

  userByApiKey(key: string) {
    return this.users.find((u) => u.api_keys.includes(key));
  }

  userByHotkey(hotkey: string) {
    return this.users.find((u) => u.hotkey === hotkey);
  }

  addImage(image: StoredImage, action: ImageAction): void {
    this.images.push({ ...image });
    this.actions.push(action);
  }

  removeImage(imageId: string, action: ImageAction): void {
    this.images = this.images.filter((i) => i.image_id !== imageId);
    this.actions.push(action);
  }
}
