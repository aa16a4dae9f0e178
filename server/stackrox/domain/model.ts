// The contract's types (generated/stackrox/schema.d.ts) under short names, plus what the store keeps beside them.
import type { components } from '../../../generated/stackrox/schema.d.ts';

type Schemas = components['schemas'];
export type StorageImage = Schemas['StorageImage'];
export type ImageName = Schemas['ImageName'];
export type ScanComponent = Schemas['EmbeddedImageScanComponent'];
export type Vulnerability = Schemas['EmbeddedVulnerability'];
export type Severity = Schemas['VulnerabilitySeverity'];
export type SourceType = Schemas['SourceType'];
export type ListImage = Schemas['ListImage'];
export type CountImagesResponse = Schemas['CountImagesResponse'];
export type ListImagesResponse = Schemas['ListImagesResponse'];
export type DeleteImagesResponse = Schemas['DeleteImagesResponse'];
export type ScanImageRequest = Schemas['ScanImageRequest'];
export type GetWatchedImagesResponse = Schemas['GetWatchedImagesResponse'];
export type WatchImageRequest = Schemas['WatchImageRequest'];
export type WatchImageResponse = Schemas['WatchImageResponse'];
export type Empty = Schemas['Empty'];
export type ExportLine = Schemas['ExportImagesStreamLine'];
export type RpcStatus = Schemas['RpcStatus'];

/** Where a deployment runs an image: what the Cluster, Namespace and Deployment search fields see. */
export interface Deployment {
  cluster: string;
  namespace: string;
  name: string;
}

/** A stored image. `image.priority` is not kept: it is a rank among the images stored now, computed on read. */
export interface ImageRecord {
  image: StorageImage;
  deployments: Deployment[];
}

/** An image integration: a registry the service can read, and whether its scanner can scan that registry. */
export interface RegistryIntegration {
  id: string;
  name: string;
  /** The registry host it covers, e.g. docker.io. */
  registry: string;
  scannable: boolean;
}
