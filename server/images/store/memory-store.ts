// The in-memory store. Sort orders are computed once per load (the rating orders again after a
// rating changes), so a list request walks a ready array instead of sorting the catalog.
import { centsFromNumber, centsFromString, meanTenths, tenthsFromNumber } from '../domain/decimal.ts';
import { iconUrlOf } from '../domain/catalog.ts';
import type { Account, Acquisition, CatalogImage, Container, PublicSortKey, RatingTotals, Snapshot, SortOrder } from '../domain/model.ts';
import type { Fixture } from './fixture.ts';
import { drawIcon } from './icons.ts';
import type { Store } from './store.ts';

const NO_RATINGS: RatingTotals = Object.freeze({ sumTenths: 0, count: 0 });

interface AccountState {
  account: Account;
  token: string;
  acquisitions: Map<string, Acquisition>;
  ratings: Map<string, number>;
}

interface ContainerState {
  container: Container;
  snapshots: Map<string, Snapshot>;
  restoredFrom: string | null;
  restoredAt: number | null;
}

type Compare = (a: CatalogImage, b: CatalogImage) => number;
const byId: Compare = (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

const toMs = (iso: string) => Date.parse(iso);
const toMsOrNull = (iso: string | null | undefined) => (iso == null ? null : Date.parse(iso));

export class MemoryStore implements Store {
  private images = new Map<string, CatalogImage>();
  /** Frozen and replaced on each rating, so ratingTotals hands them out without a copy. */
  private totals = new Map<string, RatingTotals>();
  private icons = new Map<string, Buffer>();
  private orders = new Map<string, readonly CatalogImage[]>();
  /** Orders narrowed to an os and/or architecture, built on first use from the full order. */
  private narrowed = new Map<string, readonly CatalogImage[]>();
  private accounts = new Map<string, AccountState>();
  private tokens = new Map<string, string>();
  private containers = new Map<string, ContainerState>();
  private writes = 0;

  constructor(fixture: Fixture) {
    this.load(fixture);
  }

  version(): number {
    return this.writes;
  }

  load(fixture: Fixture): void {
    this.writes += 1;
    this.images = new Map();
    this.totals = new Map();
    const iconsByOs = new Map<string, Buffer>();
    this.icons = new Map();
    for (const raw of fixture.images) {
      const image: CatalogImage = {
        id: raw.id,
        alias: raw.alias,
        description: raw.description,
        imageName: raw.image_name,
        architecture: raw.architecture,
        os: raw.os,
        release: raw.release,
        variant: raw.variant,
        serial: raw.serial,
        size: raw.size,
        priceCents: centsFromNumber(raw.price),
        addedAt: toMs(raw.added_date),
        addedDate: new Date(toMs(raw.added_date)).toISOString(),
        hasIcon: raw.has_icon,
        iconUrl: iconUrlOf(raw.id, raw.has_icon),
        prespawn: raw.prespawn,
        searchText: [raw.alias, raw.image_name, raw.description, ...raw.tags].join('\u0000').toLowerCase(),
      };
      this.images.set(image.id, image);
      this.totals.set(image.id, Object.freeze({ sumTenths: raw.base_rating_sum_tenths, count: raw.base_rating_count }));
      if (image.hasIcon) {
        let icon = iconsByOs.get(image.os);
        if (!icon) iconsByOs.set(image.os, (icon = drawIcon(image.os)));
        this.icons.set(image.id, icon);
      }
    }
    this.accounts = new Map();
    this.tokens = new Map();
    for (const raw of fixture.users) {
      const state: AccountState = {
        account: { id: raw.id, name: raw.name, balanceCents: centsFromString(raw.balance) },
        token: raw.token,
        acquisitions: new Map(raw.images.map((a) => [a.image_id, { imageId: a.image_id, acquiredAt: toMs(a.acquired_at), via: a.via }])),
        ratings: new Map(),
      };
      this.accounts.set(raw.id, state);
      this.tokens.set(raw.token, raw.id);
      for (const [imageId, rating] of Object.entries(raw.ratings)) this.recordRating(raw.id, imageId, tenthsFromNumber(rating));
    }
    this.containers = new Map();
    for (const raw of fixture.containers) {
      this.containers.set(raw.id, {
        container: { id: raw.id, projectId: raw.project_id, ownerId: raw.owner_id, diskBytes: raw.disk_bytes, maxSnapshots: raw.max_snapshots },
        snapshots: new Map(
          raw.snapshots.map((s) => [
            s.name,
            { name: s.name, alias: s.alias, createdAt: toMs(s.created_at), lastUsedAt: toMsOrNull(s.last_used_at), expiresAt: toMsOrNull(s.expires_at), size: s.size },
          ]),
        ),
        restoredFrom: raw.restored_from ?? null,
        restoredAt: toMsOrNull(raw.restored_at),
      });
    }
    this.buildOrders();
  }

  private averageTenths(imageId: string): number {
    const t = this.totals.get(imageId);
    return t ? meanTenths(t.sumTenths, t.count) : 0;
  }

  private buildOrders(onlyRating = false): void {
    for (const key of [...this.narrowed.keys()]) if (!onlyRating || key.startsWith('rating:')) this.narrowed.delete(key);
    const all = [...this.images.values()];
    const keys: Record<PublicSortKey, Compare> = {
      alias: (a, b) => (a.alias < b.alias ? -1 : a.alias > b.alias ? 1 : 0),
      added_date: (a, b) => a.addedAt - b.addedAt,
      price: (a, b) => a.priceCents - b.priceCents,
      rating: (a, b) => this.averageTenths(a.id) - this.averageTenths(b.id),
    };
    for (const [key, compare] of Object.entries(keys) as [PublicSortKey, Compare][]) {
      if (onlyRating && key !== 'rating') continue;
      this.orders.set(`${key}:asc`, [...all].sort((a, b) => compare(a, b) || byId(a, b)));
      this.orders.set(`${key}:desc`, [...all].sort((a, b) => compare(b, a) || byId(a, b)));
    }
  }

  image(id: string): CatalogImage | undefined {
    return this.images.get(id);
  }

  ratingTotals(imageId: string): RatingTotals {
    return this.totals.get(imageId) ?? NO_RATINGS; // frozen: callers never hold live state
  }

  catalogInOrder(sortBy: PublicSortKey, order: SortOrder): readonly CatalogImage[] {
    const key = `${sortBy}:${order}`;
    if (!this.orders.has(key)) this.buildOrders(true); // a rating changed since the last rating-ordered list
    return this.orders.get(key) ?? [];
  }

  catalogNarrowedTo(sortBy: PublicSortKey, order: SortOrder, os: string | undefined, architecture: string | undefined): readonly CatalogImage[] {
    const key = `${sortBy}:${order}:${os ?? ''}\u0000${architecture ?? ''}`;
    let list = this.narrowed.get(key);
    if (!list) {
      const all = this.catalogInOrder(sortBy, order);
      list = all.filter((i) => (os === undefined || i.os.toLowerCase() === os) && (architecture === undefined || i.architecture.toLowerCase() === architecture));
      if (this.narrowed.size >= 1024) this.narrowed.clear(); // arbitrary os strings must not grow it without end
      this.narrowed.set(key, list);
    }
    return list;
  }

  icon(imageId: string): Buffer | undefined {
    return this.icons.get(imageId);
  }

  accountByToken(token: string): Account | undefined {
    const id = this.tokens.get(token);
    return id === undefined ? undefined : this.accounts.get(id)?.account;
  }

  account(id: string): Account | undefined {
    return this.accounts.get(id)?.account;
  }

  acquisitions(accountId: string): readonly Acquisition[] {
    return [...(this.accounts.get(accountId)?.acquisitions.values() ?? [])];
  }

  acquisition(accountId: string, imageId: string): Acquisition | undefined {
    return this.accounts.get(accountId)?.acquisitions.get(imageId);
  }

  userRating(accountId: string, imageId: string): number | undefined {
    return this.accounts.get(accountId)?.ratings.get(imageId);
  }

  recordAcquisition(accountId: string, acquisition: Acquisition, priceCents: number): void {
    this.writes += 1;
    const state = this.mustAccount(accountId);
    state.acquisitions.set(acquisition.imageId, acquisition);
    state.account = { ...state.account, balanceCents: state.account.balanceCents - priceCents };
  }

  recordRating(accountId: string, imageId: string, tenths: number): void {
    this.writes += 1;
    const state = this.mustAccount(accountId);
    const totals = this.totals.get(imageId);
    if (!totals) throw new Error(`no image ${imageId}`);
    const previous = state.ratings.get(imageId);
    this.totals.set(imageId, Object.freeze({ sumTenths: totals.sumTenths + tenths - (previous ?? 0), count: totals.count + (previous === undefined ? 1 : 0) }));
    state.ratings.set(imageId, tenths);
    this.orders.delete('rating:asc');
    this.orders.delete('rating:desc');
    for (const key of [...this.narrowed.keys()]) if (key.startsWith('rating:')) this.narrowed.delete(key);
  }

  container(id: string): Container | undefined {
    return this.containers.get(id)?.container;
  }

  snapshots(containerId: string): readonly Snapshot[] {
    return [...(this.containers.get(containerId)?.snapshots.values() ?? [])];
  }

  saveSnapshot(containerId: string, snapshot: Snapshot): void {
    this.writes += 1;
    this.mustContainer(containerId).snapshots.set(snapshot.name, snapshot);
  }

  deleteSnapshot(containerId: string, name: string): void {
    this.writes += 1;
    this.mustContainer(containerId).snapshots.delete(name);
  }

  recordRestore(containerId: string, snapshotName: string, at: number): void {
    this.writes += 1;
    const state = this.mustContainer(containerId);
    state.restoredFrom = snapshotName;
    state.restoredAt = at;
  }

  private mustAccount(id: string): AccountState {
    const state = this.accounts.get(id);
    if (!state) throw new Error(`no account ${id}`);
    return state;
  }

  private mustContainer(id: string): ContainerState {
    const state = this.containers.get(id);
    if (!state) throw new Error(`no container ${id}`);
    return state;
  }
}
