// Soak: mixed requests against each contract's reference server (10,000 for images, with writes that
// undo themselves; 2,000 reads for StackRox and Chutes) and against the mock in stateful mode. Every
// answer is the one the request calls for, and the heap after warm-up grows by less than 20 %.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it, vi } from 'vitest';
import { createMockApp } from '../../mock/app.ts';
import { ALICE_CONTAINER, startServer } from '../../server/images/test/helpers.ts';
import { CONTRACTS, type HardenedContract } from './contracts.ts';
import { ALICE, BOB } from './helpers.ts';
import type { Operation } from './spec-operations.ts';

const TOTAL = 10_000;
// A hang guard, not a speed claim: on a loaded shared machine 10,000 requests can take minutes.
vi.setConfig({ testTimeout: 300_000 });
const WARM_UP = 1_000;
const IN_FLIGHT = 16;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapAfterGc = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

interface Step {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** The statuses this request calls for. */
  expect: number[];
}

const IMAGES = ['507f1f77bcf86cd799439021', '507f1f77bcf86cd799439022', '507f1f77bcf86cd799439024', '507f1f77bcf86cd799439026'];

/** The i-th request of the mix: reads, writes that undo themselves, and errors the request asks for. */
function serverStep(i: number): Step {
  const image = IMAGES[i % IMAGES.length] as string;
  const snapshots = `/api/v1/containers/${ALICE_CONTAINER}/snapshots`;
  switch (i % 10) {
    case 0:
      return { method: 'GET', path: `/api/v1/images/public?page=${(i % 5) + 1}&limit=10&sort_by=${['alias', 'price', 'rating', 'added_date'][i % 4]}`, expect: [200] };
    case 1:
      return { method: 'GET', path: `/api/v1/images/public?search=${['ubuntu', 'debian', 'jammy', 'edge'][i % 4]}&min_rating=${i % 5}`, expect: [200] };
    case 2:
      return { method: 'GET', path: `/api/v1/images/public/${image}`, expect: [200] };
    case 3:
      return { method: 'GET', path: `/api/v1/images/${image}/icon`, expect: [200, 404] }; // some images have no icon
    case 4:
      return { method: 'GET', path: '/api/v1/images/user', headers: { authorization: i % 20 === 4 ? BOB : ALICE }, expect: [200] };
    case 5:
      return { method: 'POST', path: `/api/v1/images/rate/${image}`, headers: { authorization: ALICE }, body: { rating: (i % 50) / 10 }, expect: [200] };
    case 6:
      return { method: 'GET', path: snapshots, headers: { authorization: ALICE }, expect: [200] };
    case 7:
      return { method: 'GET', path: `/api/v1/images/public/${'f'.repeat(24)}`, expect: [404] };
    case 8:
      return { method: 'GET', path: '/api/v1/images/public?limit=1000', expect: [400] };
    default:
      return { method: 'GET', path: '/api/v1/images/user', expect: [401] };
  }
}

async function send(base: string, step: Step): Promise<number> {
  const headers: Record<string, string> = { ...step.headers };
  if (step.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}${step.path}`, { method: step.method, headers, body: step.body === undefined ? undefined : JSON.stringify(step.body) });
  await response.arrayBuffer();
  return response.status;
}

/** Runs the mix with a few requests in flight; returns the heap after warm-up and at the end. */
async function soak(base: string, stepOf: (i: number) => Step, extra?: (i: number) => Promise<void>, total = TOTAL) {
  const unexpected: string[] = [];
  let next = 0;
  let warmHeap = 0;
  const worker = async () => {
    while (next < total) {
      const i = next++;
      if (i === WARM_UP) warmHeap = heapAfterGc();
      const step = stepOf(i);
      const status = await send(base, step);
      if (step.expect.length === 0) step.expect.push(status); // a read: the first answer is the one asked for from then on
      if ((status >= 500 || !step.expect.includes(status)) && unexpected.length < 20) unexpected.push(`${step.method} ${step.path} -> ${status}`);
      await extra?.(i);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return { unexpected, warmHeap, endHeap: heapAfterGc() };
}

describe('soak', () => {
  it(`reference server: ${TOTAL} mixed requests, only the answers asked for, heap growth under 20 %`, async () => {
    const server = await startServer();
    try {
      // Snapshot writes in pairs (create, then delete what was created) so the state does not grow.
      const result = await soak(server.baseUrl, serverStep, async (i) => {
        if (i % 50 !== 0) return;
        const snapshots = `/api/v1/containers/${ALICE_CONTAINER}/snapshots`;
        server.clock.advance(1000);
        const created = await fetch(`${server.baseUrl}${snapshots}`, { method: 'POST', headers: { authorization: ALICE, 'content-type': 'application/json' }, body: '{"alias":"soak"}' });
        expect(created.status).toBe(201);
        const { data } = (await created.json()) as { data: { snapshot: { name: string } } };
        const deleted = await fetch(`${server.baseUrl}${snapshots}/${data.snapshot.name}`, { method: 'DELETE', headers: { authorization: ALICE } });
        expect(deleted.status).toBe(200);
        await deleted.arrayBuffer();
      });
      console.log(`soak (server): heap ${(result.warmHeap / 2 ** 20).toFixed(1)} MB after warm-up, ${(result.endHeap / 2 ** 20).toFixed(1)} MB after ${TOTAL}`);
      expect(result.unexpected).toEqual([]);
      expect(result.endHeap).toBeLessThan(result.warmHeap * 1.2);
    } finally {
      await server.close();
    }
  });

  it(`mock (stateful): ${TOTAL} mixed requests, only the answers asked for, heap growth under 20 %`, async () => {
    const app = await createMockApp({ specPath: 'spec/images/openapi.yaml', stateful: true, quiet: true, logger: { info: () => {}, error: () => {} }, tokens: { owner: 'alice-demo-token', other: 'bob-demo-token' } });
    const server = http.createServer(app.handle);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const snapshots = `/api/v1/containers/${ALICE_CONTAINER}/snapshots`;
      const mockStep = (i: number): Step => {
        switch (i % 6) {
          case 0:
            return { method: 'GET', path: '/api/v1/images/public', expect: [200] };
          case 1:
            return { method: 'GET', path: `/api/v1/images/public/${IMAGES[0]}`, expect: [200] };
          case 2:
            return { method: 'GET', path: '/api/v1/images/user', headers: { authorization: ALICE }, expect: [200] };
          case 3:
            return { method: 'GET', path: snapshots, headers: { authorization: ALICE }, expect: [200] };
          case 4:
            return { method: 'GET', path: '/api/v1/images/user', expect: [401] };
          default:
            return { method: 'GET', path: '/api/v1/images/public?limit=1000', expect: [400] };
        }
      };
      const result = await soak(base, mockStep, async (i) => {
        if (i % 50 !== 0) return;
        const created = await fetch(`${base}${snapshots}`, { method: 'POST', headers: { authorization: ALICE, 'content-type': 'application/json' }, body: '{"alias":"soak"}' });
        expect(created.status).toBe(201);
        const { data } = (await created.json()) as { data: { snapshot: { name: string } } };
        const deleted = await fetch(`${base}${snapshots}/${data.snapshot.name}`, { method: 'DELETE', headers: { authorization: ALICE } });
        expect(deleted.status).toBe(200);
        await deleted.arrayBuffer();
      });
      console.log(`soak (mock): heap ${(result.warmHeap / 2 ** 20).toFixed(1)} MB after warm-up, ${(result.endHeap / 2 ** 20).toFixed(1)} MB after ${TOTAL}`);
      expect(result.unexpected).toEqual([]);
      expect(result.endHeap).toBeLessThan(result.warmHeap * 1.2);
    } finally {
      await app.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

/**
 * A contract's reads, from its spec: every GET with each documented example of its path parameters,
 * with the owner's credentials and (for a secured one) with none. Event streams stay open and are left out.
 */
function readsOf(contract: HardenedContract): Step[] {
  const streams = (o: Operation) => contract.spec.responseFor(o, 200)?.response.content !== undefined && 'text/event-stream' in (contract.spec.responseFor(o, 200)?.response.content as object);
  const steps: Step[] = [];
  for (const operation of contract.spec.operations.filter((o) => o.method === 'GET' && !streams(o))) {
    const names = operation.parameters.filter((p) => p.in === 'path');
    const variants = Math.max(1, ...names.map((p) => p.examples.length));
    for (let v = 0; v < variants; v++) {
      const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
        const examples = names.find((p) => p.name === name)?.examples ?? [];
        return encodeURIComponent(String(examples[v % Math.max(1, examples.length)] ?? 'x'));
      });
      steps.push({ method: 'GET', path, headers: contract.credentials.owner, expect: [] });
      if (operation.secured && v === 0) steps.push({ method: 'GET', path, headers: {}, expect: [] });
    }
  }
  return steps;
}

describe.each(CONTRACTS.filter((c) => c.name !== 'images').map((c) => [c.name, c] as const))('soak: %s', (_name, contract) => {
  const total = 2_000;
  it(`reference server: ${total} reads from the spec, the same answer each time, never 5xx, heap growth under 20 %`, async () => {
    const server = await contract.start();
    try {
      const steps = readsOf(contract);
      expect(steps.length).toBeGreaterThan(3);
      const result = await soak(server.baseUrl, (i) => steps[i % steps.length] as Step, undefined, total);
      console.log(`soak (${contract.name}): ${steps.length} distinct reads; heap ${(result.warmHeap / 2 ** 20).toFixed(1)} MB after warm-up, ${(result.endHeap / 2 ** 20).toFixed(1)} MB after ${total}`);
      expect(result.unexpected).toEqual([]);
      expect(result.endHeap).toBeLessThan(result.warmHeap * 1.2);
    } finally {
      await server.close();
    }
  });
});
