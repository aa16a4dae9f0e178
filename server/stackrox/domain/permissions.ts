// What each operation needs, in StackRox's terms: an access level on a resource. Roles grant them.

export type Resource = 'Image' | 'WatchedImage';
export type Access = 'READ_ACCESS' | 'READ_WRITE_ACCESS';

export const OPERATION_PERMISSIONS: Readonly<Record<string, { resource: Resource; access: Access }>> = {
  countImages: { resource: 'Image', access: 'READ_ACCESS' },
  listImages: { resource: 'Image', access: 'READ_ACCESS' },
  getImage: { resource: 'Image', access: 'READ_ACCESS' },
  exportImages: { resource: 'Image', access: 'READ_ACCESS' },
  deleteImages: { resource: 'Image', access: 'READ_WRITE_ACCESS' },
  invalidateScanAndRegistryCaches: { resource: 'Image', access: 'READ_WRITE_ACCESS' },
  scanImage: { resource: 'Image', access: 'READ_WRITE_ACCESS' },
  getWatchedImages: { resource: 'WatchedImage', access: 'READ_ACCESS' },
  watchImage: { resource: 'WatchedImage', access: 'READ_WRITE_ACCESS' },
  unwatchImage: { resource: 'WatchedImage', access: 'READ_WRITE_ACCESS' },
};

/** A role: the access it grants per resource (none when absent). */
export interface Role {
  name: string;
  grants: Partial<Record<Resource, Access>>;
}

export function allows(role: Role, needed: { resource: Resource; access: Access }): boolean {
  const granted = role.grants[needed.resource];
  return granted === 'READ_WRITE_ACCESS' || (granted === 'READ_ACCESS' && needed.access === 'READ_ACCESS');
}
