// The domain's own records. Money is integer cents, ratings integer tenths, times epoch milliseconds.

export interface CatalogImage {
  readonly id: string;
  readonly alias: string;
  readonly description: string;
  readonly imageName: string;
  readonly architecture: string;
  readonly os: string;
  readonly release: string;
  readonly variant: string;
  readonly serial: string;
  readonly size: number;
  readonly priceCents: number;
  readonly addedAt: number;
  /** addedAt as the wire shows it (ISO 8601), made once at load rather than per answer. */
  readonly addedDate: string;
  readonly hasIcon: boolean;
  /** Where the icon is served, or null; made once at load. */
  readonly iconUrl: string | null;
  readonly prespawn: boolean;
  /** Lower-cased alias, image name, description and tags, separated so that a match never spans two. */
  readonly searchText: string;
}

/** All ratings of an image: the anonymous base plus every user's current rating. */
export interface RatingTotals {
  readonly sumTenths: number;
  readonly count: number;
}

export interface Acquisition {
  readonly imageId: string;
  readonly acquiredAt: number;
  readonly via: 'import' | 'purchase';
}

export interface Account {
  readonly id: string;
  readonly name: string;
  readonly balanceCents: number;
}

export interface Snapshot {
  readonly name: string;
  readonly alias: string | null;
  readonly createdAt: number;
  readonly lastUsedAt: number | null;
  readonly expiresAt: number | null;
  /** Bytes on disk, fixed when the snapshot is taken. Snapshots hold the filesystem only (never stateful). */
  readonly size: number;
}

export interface Container {
  readonly id: string;
  readonly projectId: string;
  readonly ownerId: string;
  /** The container's filesystem in bytes: what a snapshot taken now holds. */
  readonly diskBytes: number;
  /** How many live snapshots it may keep; null for no limit. */
  readonly maxSnapshots: number | null;
}

export type PublicSortKey = 'alias' | 'added_date' | 'price' | 'rating';
export type SortOrder = 'asc' | 'desc';
