// The contracts this repository holds: each is a multi-file spec and the folder its generated code goes to.
export interface Contract {
  name: string;
  spec: string;
  out: string;
}

export const contracts: Contract[] = [{ name: 'images', spec: 'spec/openapi.yaml', out: 'generated' }];
