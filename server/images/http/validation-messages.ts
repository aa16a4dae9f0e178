// Decision 7 of spec/images/README.md: a 400 message starts with the operation's documented message for the
// part that failed, then names the field and why ("Invalid rating value (must be 0-5): rating must be <= 5").

export interface Violation {
  location: 'path' | 'query' | 'header' | 'body';
  /** Dotted field name, empty for the whole body. */
  field: string;
  why: string;
}

const GENERIC = 'Invalid request';

/** The documented 400 message per operationId and request part. */
const DOCUMENTED: Record<string, Partial<Record<Violation['location'], string>>> = {
  rateImage: { body: 'Invalid rating value (must be 0-5)' },
  listSnapshots: { path: 'Invalid container ID format' },
  createSnapshot: { path: 'Invalid container ID format', body: 'Invalid request payload' },
  restoreSnapshot: { path: 'Invalid snapshot name or container ID' },
  restoreSnapshotPut: { path: 'Invalid snapshot name or container ID' },
  deleteSnapshot: { path: 'Invalid snapshot name or container ID' },
  updateSnapshotAlias: { path: 'Invalid snapshot name or container ID', body: 'Invalid alias value' },
  updateSnapshotAliasPut: { path: 'Invalid snapshot name or container ID', body: 'Invalid alias value' },
};

export function validationMessage(operationId: string | undefined, violations: Violation[]): string {
  const first = violations[0] ?? { location: 'body', field: '', why: 'is invalid' };
  const prefix = DOCUMENTED[operationId ?? '']?.[first.location] ?? GENERIC;
  const subject = first.field || first.location;
  return `${prefix}: ${subject} ${first.why}`;
}
