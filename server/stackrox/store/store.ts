// What the Image Service keeps. One interface; the in-memory store implements it, a database could.
import type { ImageRecord, RegistryIntegration } from '../domain/model.ts';
import type { Fixture } from './fixture.ts';

export interface Store {
  /** Every stored image, in no particular order. */
  records(): ImageRecord[];
  record(id: string): ImageRecord | undefined;
  recordByName(fullName: string): ImageRecord | undefined;
  upsert(record: ImageRecord): void;
  remove(ids: readonly string[]): void;
  /**
   * Reads images one at a time, as a database cursor would, for the export stream. An image removed
   * meanwhile is skipped. May throw part way (a failing read): the stream then ends with an error line.
   */
  stream(ids: readonly string[]): AsyncIterable<ImageRecord>;

  watchedImages(): string[];
  watch(fullName: string): void;
  unwatch(fullName: string): void;

  integrations(): RegistryIntegration[];
  /** Drops cached registry metadata and scans; how many times it happened (the effect is otherwise invisible). */
  invalidateCaches(): number;

  /** Replaces everything with the fixture (the control API's reset). */
  load(fixture: Fixture): void;
}
