// Type tests: `npm run typecheck` compiles this file; nothing runs it. Each @ts-expect-error line must
// be an error, so a client that accepted a wrong call, or typed an answer loosely, fails tsc.
import { createClient, unwrap } from '../../generated/images/client.ts';

export async function typeTests(): Promise<void> {
  const client = createClient({ baseUrl: 'http://127.0.0.1:3000', token: 'alice-demo-token' });

  const page = await unwrap(client.GET('/api/v1/images/public', { params: { query: { os: 'ubuntu', limit: 20, sort_by: 'price', sort_order: 'asc' } } }));
  const first: string | undefined = page.images[0]?.alias;
  const total: number = page.pagination.totalPages;
  // @ts-expect-error sort_by accepts only alias, added_date, price and rating
  await client.GET('/api/v1/images/public', { params: { query: { sort_by: 'size' } } });
  // @ts-expect-error limit is a number
  await client.GET('/api/v1/images/public', { params: { query: { limit: '20' } } });

  const details = await unwrap(client.GET('/api/v1/images/public/{id}', { params: { path: { id: '507f1f77bcf86cd799439021' } } }));
  const serial: string = details.serial;
  // @ts-expect-error the path parameter id is required
  await client.GET('/api/v1/images/public/{id}', { params: { path: {} } });

  const mine = await unwrap(client.GET('/api/v1/images/user', { params: { query: { sort_by: 'created_at' } } }));
  const rated: number | null | undefined = mine.images[0]?.user_rating;

  const bought = await unwrap(client.POST('/api/v1/images/purchase/{id}', { params: { path: { id: '507f1f77bcf86cd799439022' } } }));
  const balance: number = bought.remaining_balance;
  // @ts-expect-error the purchase answer has no `balance` field
  void bought.balance;

  const rating = await unwrap(client.POST('/api/v1/images/rate/{id}', { params: { path: { id: 'x' } }, body: { rating: 4.5 } }));
  const average: number = rating.average_rating;
  // @ts-expect-error rating is a number, not a string
  await client.POST('/api/v1/images/rate/{id}', { params: { path: { id: 'x' } }, body: { rating: '5' } });

  const snapshot = await unwrap(client.POST('/api/v1/containers/{id}/snapshots', { params: { path: { id: '507f1f77bcf86cd799439011' } }, body: { alias: 'a', expiry: 30 } }));
  const alias: string | null = snapshot.snapshot.alias;
  // @ts-expect-error the snapshot is nested under `snapshot`, as the published client reads it
  void snapshot.alias;
  await client.PATCH('/api/v1/containers/{id}/snapshots/{name}/alias', { params: { path: { id: 'c', name: 'n' } }, body: { alias: null } });
  // @ts-expect-error alias is required when updating it
  await client.PATCH('/api/v1/containers/{id}/snapshots/{name}/alias', { params: { path: { id: 'c', name: 'n' } }, body: {} });
  const restored = await unwrap(client.PUT('/api/v1/containers/{id}/snapshots/{name}', { params: { path: { id: 'c', name: 'n' } } }));
  const success: boolean = restored.success;
  const lastUsed: string | null = restored.snapshot.last_used_at;
  await client.PUT('/api/v1/containers/{id}/snapshots/{name}/alias', { params: { path: { id: 'c', name: 'n' } }, body: { alias: 'x' } });
  // @ts-expect-error there is no POST on a snapshot
  await client.POST('/api/v1/containers/{id}/snapshots/{name}', { params: { path: { id: 'c', name: 'n' } } });

  const { error } = await client.DELETE('/api/v1/containers/{id}/snapshots/{name}', { params: { path: { id: 'c', name: 'n' } } });
  const message: string | undefined = error?.message;

  void [first, total, serial, rated, balance, average, alias, success, lastUsed, message];
}
