// Where the browser test's page mounts each spec's handlers: one origin, one prefix per spec (the
// images contract's paths carry their own /api/v1). The Node side of the test reads the same table.
export const MOUNTS = [
  { spec: 'images', baseUrl: '' },
  { spec: 'stackrox', baseUrl: '/stackrox' },
  { spec: 'chutes', baseUrl: '/chutes' },
  { spec: 'petstore', baseUrl: '/petstore/api/v3' },
] as const;
