// In memory, rebuilt from a fixture on load (the control API's reset).
import type { ChutesUser, ImageAction, StoredImage } from '../domain/model.ts';
import { stateOfFixture, type Fixture } from './fixture.ts';
import type { Store } from './store.ts';

export class MemoryStore implements Store {
  private users: ChutesUser[] = [];
  private rows: StoredImage[] = [];
  private usedImages = new Set<string>();
  private actions: ImageAction[] = [];

  constructor(fixture: Fixture) {
    this.load(fixture);
  }

  load(fixture: Fixture): void {
    const state = stateOfFixture(fixture);
    this.users = state.users.map((u) => ({ ...u, api_keys: [...u.api_keys] }));
    this.rows = state.images.map((i) => ({ ...i }));
    this.usedImages = new Set(state.chutes.map((c) => c.image_id));
    this.actions = state.actions.map((a) => ({ ...a }));
  }

  images(): readonly StoredImage[] {
    return this.rows;
  }

  inUse(imageId: string): boolean {
    return this.usedImages.has(imageId);
  }

  actionsOf(userId: string): readonly ImageAction[] {
    return this.actions.filter((a) => a.user_id === userId);
  }

  user(userId: string) {
    return this.users.find((u) => u.user_id === userId);
  }

  userByName(username: string) {
    return this.users.find((u) => u.username.toLowerCase() === username.toLowerCase());
  }

  userByApiKey(key: string) {
    return this.users.find((u) => u.api_keys.includes(key));
  }

  userByHotkey(hotkey: string) {
    return this.users.find((u) => u.hotkey === hotkey);
  }

  addImage(image: StoredImage, action: ImageAction): void {
    this.rows.push({ ...image });
    this.actions.push(action);
  }

  removeImage(imageId: string, action: ImageAction): void {
    this.rows = this.rows.filter((i) => i.image_id !== imageId);
    this.actions.push(action);
  }
}
