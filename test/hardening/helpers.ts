// What the hardening tests share: the observable state of the reference server, read through its API,
// and the checks every error answer must pass.
import { expect } from 'vitest';
import { ALICE_CONTAINER, BOB_CONTAINER, type TestServer } from '../../server/images/test/helpers.ts';

export const ALICE = 'Bearer alice-demo-token';
export const BOB = 'Bearer bob-demo-token';

async function allPages(server: TestServer, path: string, authorization?: string): Promise<unknown[]> {
  const items: unknown[] = [];
  for (let page = 1; ; page++) {
    const response = await server.raw(`${path}${path.includes('?') ? '&' : '?'}limit=100&page=${page}`, { headers: authorization ? { authorization } : {} });
    expect(response.status, path).toBe(200);
    const { data } = (await response.json()) as { data: { images: unknown[]; pagination: { total_pages?: number; pages?: number; has_next?: boolean } } };
    items.push(...data.images);
    if (data.images.length < 100) return items;
  }
}

/** Everything a client can see: the catalog with its ratings, each user's images, each container's snapshots. */
export async function stateThroughApi(server: TestServer) {
  const snapshots = async (container: string, authorization: string) => {
    const response = await server.raw(`/api/v1/containers/${container}/snapshots`, { headers: { authorization } });
    expect(response.status).toBe(200);
    return response.json();
  };
  return {
    catalog: await allPages(server, '/api/v1/images/public?sort_by=alias&sort_order=asc'),
    alice: await allPages(server, '/api/v1/images/user', ALICE),
    bob: await allPages(server, '/api/v1/images/user', BOB),
    aliceSnapshots: await snapshots(ALICE_CONTAINER, ALICE),
    bobSnapshots: await snapshots(BOB_CONTAINER, BOB),
  };
}

const INTERNALS = /\bat [\w.<>]+ \(|node_modules|\.ts:\d|\.js:\d|express|openapi-validator|ajv|body-parser|SyntaxError|TypeError|stack/i;

/** A 4xx in the contract's error shape that gives nothing internal away. */
export function expectContractError(status: number, text: string, where: string): void {
  expect(status, `${where}: ${text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
  expect(status, `${where}: ${text.slice(0, 200)}`).toBeLessThan(500);
  const body = JSON.parse(text) as Record<string, unknown>;
  expect(Object.keys(body).sort(), where).toEqual(['error', 'message', 'statusCode']);
  expect(body.statusCode, where).toBe(status);
  expect(typeof body.error === 'string' && typeof body.message === 'string' && body.message.length > 0, where).toBe(true);
  expect(text, where).not.toMatch(INTERNALS);
}
