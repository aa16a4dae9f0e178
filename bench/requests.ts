// The requests the benchmark sends: the same ones to the reference server and to its bare baseline.
import type { BenchRequest } from './baseline.ts';

const ALICE = { authorization: 'Bearer alice-demo-token' };
const DEMO_IMAGE = '507f1f77bcf86cd799439021';

export const benchRequests: readonly BenchRequest[] = [
  { name: 'list public (default page)', method: 'GET', path: '/api/v1/images/public' },
  {
    name: 'list public (filtered, sorted)',
    method: 'GET',
    path: '/api/v1/images/public?os=ubuntu&architecture=amd64&max_price=10&sort_by=price&sort_order=asc&page=2&limit=20',
  },
  { name: 'image details', method: 'GET', path: `/api/v1/images/public/${DEMO_IMAGE}` },
  { name: 'user images', method: 'GET', path: '/api/v1/images/user', headers: ALICE },
  {
    name: 'rate image (POST)',
    method: 'POST',
    path: `/api/v1/images/rate/${DEMO_IMAGE}`,
    headers: { ...ALICE, 'content-type': 'application/json' },
    body: JSON.stringify({ rating: 4 }),
  },
];

/** The list operations, held to the >= 0.8x target. */
export const isListRequest = (request: BenchRequest) => request.name.startsWith('list public') || request.name === 'user images';
