// The one interface behind which all state lives. Every method is synchronous: a rule checked by a
// domain function and the write that follows it run without an await between them, so they are atomic.
import type { Account, Acquisition, CatalogImage, Container, PublicSortKey, RatingTotals, Snapshot, SortOrder } from '../domain/model.ts';
import type { Fixture } from './fixture.ts';

export interface Store {
  /** Replaces the whole state with the fixture's. */
  load(fixture: Fixture): void;
  /** A number that changes on every write: answers computed under one version stay true until it moves. */
  version(): number;

  image(id: string): CatalogImage | undefined;
  ratingTotals(imageId: string): RatingTotals;
  /** Every catalog image in the given order, ties broken by id ascending. Precomputed: do not mutate. */
  catalogInOrder(sortBy: PublicSortKey, order: SortOrder): readonly CatalogImage[];
  /** The image's PNG icon, or undefined when it has none. */
  icon(imageId: string): Buffer | undefined;

  accountByToken(token: string): Account | undefined;
  account(id: string): Account | undefined;
  acquisitions(accountId: string): readonly Acquisition[];
  acquisition(accountId: string, imageId: string): Acquisition | undefined;
  /** The account's own rating of the image, in tenths. */
  userRating(accountId: string, imageId: string): number | undefined;
  /** Adds the image to the account and debits the price. */
  recordAcquisition(accountId: string, acquisition: Acquisition, priceCents: number): void;
  /** Sets (or replaces) the account's rating of the image and updates the image's totals. */
  recordRating(accountId: string, imageId: string, tenths: number): void;

  container(id: string): Container | undefined;
  /** All snapshots of a container, expired ones included: visibility is a domain rule. */
  snapshots(containerId: string): readonly Snapshot[];
  /** Inserts the snapshot, or replaces the one with the same name. */
  saveSnapshot(containerId: string, snapshot: Snapshot): void;
  deleteSnapshot(containerId: string, name: string): void;
  /** Notes on the container which snapshot it was last restored from, and when. */
  recordRestore(containerId: string, snapshotName: string, at: number): void;
}
