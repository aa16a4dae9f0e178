import { describe, expect, it } from 'vitest';
import { nextSnapshotName, snapshotNameAt } from './snapshots.ts';

const at = (iso: string) => Date.parse(iso);

describe('snapshotNameAt', () => {
  it.each([
    ['2025-01-15T14:55:00.000Z', 'snap-20250115-145500'],
    ['2025-01-15T14:55:00.999Z', 'snap-20250115-145500'],
    ['2024-02-29T23:59:59.500Z', 'snap-20240229-235959'],
    ['2030-12-31T00:00:00.000Z', 'snap-20301231-000000'],
  ])('%s -> %s (UTC, seconds)', (iso, name) => {
    expect(snapshotNameAt(at(iso))).toBe(name);
  });
});

describe('nextSnapshotName', () => {
  it('takes the second of now when it is free', () => {
    expect(nextSnapshotName(new Set(['snap-20250115-145459']), at('2025-01-15T14:55:00.400Z'))).toBe('snap-20250115-145500');
  });

  it('moves to the next free second, across a minute and a day', () => {
    const taken = new Set(['snap-20251231-235959', 'snap-20260101-000000']);
    expect(nextSnapshotName(taken, at('2025-12-31T23:59:59.000Z'))).toBe('snap-20260101-000001');
  });
});
