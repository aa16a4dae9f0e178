// The wire shapes, taken from the generated contract types: a handler returning the wrong shape fails tsc.
import type { components } from '../../../generated/images/schema.d.ts';

type Schemas = components['schemas'];
export type ImageSummary = Schemas['ImageSummary'];
export type ImageDetails = Schemas['ImageDetails'];
export type UserImage = Schemas['UserImage'];
export type PublicImagePage = Schemas['PublicImagePage'];
export type UserImagePage = Schemas['UserImagePage'];
export type Pagination = Schemas['Pagination'];
export type ImportResult = Schemas['ImportResult'];
export type PurchaseResult = Schemas['PurchaseResult'];
export type RatingResult = Schemas['RatingResult'];
export type SnapshotList = Schemas['SnapshotList'];
export type SnapshotSummary = Schemas['SnapshotSummary'];
export type SnapshotResult = Schemas['SnapshotResult'];
export type RestoreResult = Schemas['RestoreResult'];
export type DeleteSnapshotResult = Schemas['DeleteSnapshotResult'];
export type CreateSnapshotRequest = Schemas['CreateSnapshotRequest'];
export type UpdateSnapshotAliasRequest = Schemas['UpdateSnapshotAliasRequest'];
export type RatingRequest = Schemas['RatingRequest'];
export type ErrorBody = Schemas['ErrorBody'];
