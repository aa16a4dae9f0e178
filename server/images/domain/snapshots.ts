// Snapshots of a container: named from the clock, unique per container, gone once expired, and
// reachable only by the container's owner.
import type { CreateSnapshotRequest, DeleteSnapshotResult, RestoreResult, SnapshotList, SnapshotResult, SnapshotSummary } from './api-types.ts';
import { conflict, forbidden, isDomainError, notFound, type DomainError } from './errors.ts';
import type { Account, Container, Snapshot } from './model.ts';

export interface SnapshotState {
  container(id: string): Container | undefined;
  snapshots(containerId: string): readonly Snapshot[];
}

const DAY_MS = 24 * 60 * 60 * 1000;
const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

/** Per operation: what a caller is told when the container is not theirs, or it or the snapshot is missing. */
const MESSAGES = {
  list: { forbidden: 'You do not have permission to access this container', notFound: 'Container not found' },
  create: { forbidden: 'You do not have permission to create snapshots for this container', notFound: 'Container not found' },
  restore: { forbidden: 'You do not have permission to restore this container', notFound: 'Container or snapshot not found' },
  alias: { forbidden: 'You do not have permission to update snapshots for this container', notFound: 'Container or snapshot not found' },
  delete: { forbidden: 'You do not have permission to delete snapshots for this container', notFound: 'Container or snapshot not found' },
} as const;
type SnapshotOperation = keyof typeof MESSAGES;

/** `snap-YYYYMMDD-HHmmss` (UTC) of the second `ms` falls in. */
export function snapshotNameAt(ms: number): string {
  const [date = '', time = ''] = iso(ms).split('T');
  return `snap-${date.replaceAll('-', '')}-${time.slice(0, 8).replaceAll(':', '')}`;
}

/** The name for a snapshot taken at `now`: its own second, or the next second no live snapshot holds. */
export function nextSnapshotName(taken: ReadonlySet<string>, now: number): string {
  let second = Math.floor(now / 1000) * 1000;
  while (taken.has(snapshotNameAt(second))) second += 1000;
  return snapshotNameAt(second);
}

export const isLive = (snapshot: Snapshot, now: number) => snapshot.expiresAt === null || snapshot.expiresAt > now;

export const snapshotSummaryOf = (s: Snapshot): SnapshotSummary => ({
  name: s.name,
  alias: s.alias,
  created_at: iso(s.createdAt),
  last_used_at: isoOrNull(s.lastUsedAt),
  expires_at: isoOrNull(s.expiresAt),
  stateful: false, // snapshots hold the filesystem only (model.ts)
  size: s.size,
});

const snapshotResultOf = (container: Container, s: Snapshot): SnapshotResult => ({
  container_id: container.id,
  project_id: container.projectId,
  snapshot: snapshotSummaryOf(s),
});

/** The 409 of a container that already keeps as many live snapshots as it may. */
export const snapshotLimitMessage = (max: number) => `Snapshot limit reached: this container keeps at most ${max} snapshots; delete one first`;

function ownedContainer(state: SnapshotState, account: Account, containerId: string, operation: SnapshotOperation): Container | DomainError {
  const container = state.container(containerId);
  if (!container) return notFound(MESSAGES[operation].notFound);
  if (container.ownerId !== account.id) return forbidden(MESSAGES[operation].forbidden);
  return container;
}

function liveSnapshots(state: SnapshotState, containerId: string, now: number): Snapshot[] {
  return state.snapshots(containerId).filter((s) => isLive(s, now));
}

interface Located {
  container: Container;
  snapshot: Snapshot;
}

function ownedSnapshot(state: SnapshotState, account: Account, containerId: string, name: string, now: number, operation: SnapshotOperation): Located | DomainError {
  const container = ownedContainer(state, account, containerId, operation);
  if (isDomainError(container)) return container;
  const snapshot = liveSnapshots(state, containerId, now).find((s) => s.name === name);
  if (!snapshot) return notFound(MESSAGES[operation].notFound);
  return { container, snapshot };
}

export interface SnapshotChange<Result> {
  containerId: string;
  snapshot: Snapshot;
  result: Result;
}

export function listSnapshots(state: SnapshotState, account: Account, containerId: string, now: number): SnapshotList | DomainError {
  const container = ownedContainer(state, account, containerId, 'list');
  if (isDomainError(container)) return container;
  const newestFirst = liveSnapshots(state, containerId, now).sort((a, b) => b.createdAt - a.createdAt || (a.name < b.name ? 1 : -1));
  return {
    container_id: container.id,
    project_id: container.projectId,
    snapshot_count: newestFirst.length,
    max_snapshots: container.maxSnapshots,
    snapshots: newestFirst.map(snapshotSummaryOf),
  };
}

export function createSnapshot(state: SnapshotState, account: Account, containerId: string, input: CreateSnapshotRequest, now: number): SnapshotChange<SnapshotResult> | DomainError {
  const container = ownedContainer(state, account, containerId, 'create');
  if (isDomainError(container)) return container;
  const live = liveSnapshots(state, containerId, now);
  if (container.maxSnapshots !== null && live.length >= container.maxSnapshots) return conflict(snapshotLimitMessage(container.maxSnapshots));
  const taken = new Set(live.map((s) => s.name));
  const snapshot: Snapshot = {
    name: nextSnapshotName(taken, now),
    alias: input.alias ?? null,
    createdAt: now,
    lastUsedAt: null,
    expiresAt: input.expiry === undefined ? null : now + input.expiry * DAY_MS,
    size: container.diskBytes,
  };
  return { containerId, snapshot, result: snapshotResultOf(container, snapshot) };
}

/** The restore's message, in the envelope and again in its data (as the documents show it twice). */
export const RESTORED = 'Container restored from snapshot successfully';

export function restoreSnapshot(state: SnapshotState, account: Account, containerId: string, name: string, now: number): SnapshotChange<RestoreResult> | DomainError {
  const found = ownedSnapshot(state, account, containerId, name, now, 'restore');
  if (isDomainError(found)) return found;
  const snapshot = { ...found.snapshot, lastUsedAt: now };
  return { containerId, snapshot, result: { success: true, message: RESTORED, snapshot: snapshotSummaryOf(snapshot) } };
}

export function updateSnapshotAlias(state: SnapshotState, account: Account, containerId: string, name: string, alias: string | null, now: number): SnapshotChange<SnapshotResult> | DomainError {
  const found = ownedSnapshot(state, account, containerId, name, now, 'alias');
  if (isDomainError(found)) return found;
  const snapshot = { ...found.snapshot, alias };
  return { containerId, snapshot, result: snapshotResultOf(found.container, snapshot) };
}

export function deleteSnapshot(state: SnapshotState, account: Account, containerId: string, name: string, now: number): SnapshotChange<DeleteSnapshotResult> | DomainError {
  const found = ownedSnapshot(state, account, containerId, name, now, 'delete');
  if (isDomainError(found)) return found;
  const { container, snapshot } = found;
  return { containerId, snapshot, result: { container_id: container.id, project_id: container.projectId, snapshot_name: snapshot.name } };
}
