// The contracts this repository holds: each is a multi-file spec and the folder its generated code goes to.
export interface Contract {
  name: string;
  spec: string;
  out: string;
  /** false when successful answers are the resource itself rather than a {statusCode, message, data} envelope. */
  envelope?: boolean;
  /** Types `format: binary` as Blob, so a multipart upload is typed with its file parts. */
  binaryAsBlob?: boolean;
}

export const contracts: Contract[] = [
  { name: 'images', spec: 'spec/images/openapi.yaml', out: 'generated/images' },
  { name: 'stackrox', spec: 'spec/stackrox/openapi.yaml', out: 'generated/stackrox', envelope: false },
  { name: 'chutes', spec: 'spec/chutes/openapi.yaml', out: 'generated/chutes', envelope: false, binaryAsBlob: true },
];
