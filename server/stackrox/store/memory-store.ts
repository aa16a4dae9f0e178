// The in-memory store: images by id, with an index by full name.
import type { ImageRecord, RegistryIntegration } from '../domain/model.ts';
import type { Fixture } from './fixture.ts';
import type { Store } from './store.ts';

export class MemoryStore implements Store {
  private images = new Map<string, ImageRecord>();
  private watched = new Set<string>();
  private registries: RegistryIntegration[] = [];
  private invalidations = 0;

  constructor(fixture: Fixture) {
    this.load(fixture);
  }

  load(fixture: Fixture): void {
    this.images = new Map(fixture.images.map((r) => [r.image.id, structuredClone(r)]));
    this.watched = new Set(fixture.watchedImages);
    this.registries = structuredClone(fixture.integrations);
    this.invalidations = 0;
  }

  records(): ImageRecord[] {
    return [...this.images.values()];
  }

  record(id: string): ImageRecord | undefined {
    return this.images.get(id);
  }

  recordByName(fullName: string): ImageRecord | undefined {
    return this.records().find((r) => r.image.names.some((n) => n.fullName === fullName));
  }

  upsert(record: ImageRecord): void {
    this.images.set(record.image.id, record);
  }

  remove(ids: readonly string[]): void {
    for (const id of ids) this.images.delete(id);
  }

  async *stream(ids: readonly string[]): AsyncIterable<ImageRecord> {
    for (const id of ids) {
      const record = this.images.get(id);
      if (record) yield record;
    }
  }

  watchedImages(): string[] {
    return [...this.watched].sort();
  }

  watch(fullName: string): void {
    this.watched.add(fullName);
  }

  unwatch(fullName: string): void {
    this.watched.delete(fullName);
  }

  integrations(): RegistryIntegration[] {
    return this.registries;
  }

  invalidateCaches(): number {
    return ++this.invalidations;
  }
}
