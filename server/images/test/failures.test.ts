// A handler or store that breaks the contract is caught: the answer is a 500 in the error shape with
// the operation's documented message, never the broken body, and the bug is logged loudly.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { CatalogImage } from '../domain/model.ts';
import { loadDemoFixture } from '../store/fixture.ts';
import { MemoryStore } from '../store/memory-store.ts';
import { ALICE_CONTAINER, startServer, type TestServer } from './helpers.ts';

/** A logger whose lines the test can read. */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

/** The demo store with one behaviour swapped for a broken one. */
class BrokenStore extends MemoryStore {
  constructor(private readonly breakage: 'malformed-image' | 'throws' | 'malformed-snapshot' | 'icon-throws') {
    super(loadDemoFixture());
  }
  override image(id: string): CatalogImage | undefined {
    const image = super.image(id);
    if (this.breakage === 'malformed-image' && image) return { ...image, size: -1 }; // size must be >= 0
    return image;
  }
  override catalogInOrder(...args: Parameters<MemoryStore['catalogInOrder']>) {
    if (this.breakage === 'throws') throw new Error('disk on fire at /var/lib/secret/path');
    return super.catalogInOrder(...args);
  }
  override icon(imageId: string) {
    if (this.breakage === 'icon-throws') throw new Error('icon cache corrupted');
    return super.icon(imageId);
  }
  override snapshots(containerId: string) {
    const all = super.snapshots(containerId);
    return this.breakage === 'malformed-snapshot' ? all.map((s) => ({ ...s, name: 'not-a-snapshot-name' })) : all;
  }
}

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('answers that break the contract', () => {
  it.each([
    ['an image whose size is negative', 'malformed-image', '/api/v1/images/public/507f1f77bcf86cd799439021', {}, 'Failed to retrieve public image details'],
    ['a store that throws', 'throws', '/api/v1/images/public', {}, 'Failed to retrieve public images'],
    ['an icon store that throws', 'icon-throws', '/api/v1/images/507f1f77bcf86cd799439021/icon', {}, 'Failed to retrieve image icon'],
    ['a snapshot with a malformed name', 'malformed-snapshot', `/api/v1/containers/${ALICE_CONTAINER}/snapshots`, { Authorization: 'Bearer alice-demo-token' }, 'An unexpected error occurred'],
  ] as const)('%s becomes a 500 with the documented message, logged as an error', async (_name, breakage, path, headers, message) => {
    const { logger, lines } = capturingLogger();
    server = await startServer({ store: new BrokenStore(breakage), logger });
    const response = await server.raw(path, { headers });
    const text = await response.text();
    expect(response.status).toBe(500);
    expect(JSON.parse(text)).toEqual({ statusCode: 500, error: 'Internal Server Error', message });
    expect(text).not.toMatch(/secret|disk on fire|corrupted|size|must be|not-a-snapshot-name|stack/);
    const loud = lines.filter((l) => l.level === 50 && l.msg === 'INTERNAL ERROR: answered 500');
    expect(loud).toHaveLength(1);
    expect((await server.raw('/api/v1/images/public?limit=1')).status).toBe(breakage === 'throws' ? 500 : 200); // still up
  });

  it('the same store unbroken answers 200 (the breakage is what fails)', async () => {
    server = await startServer();
    expect((await server.raw('/api/v1/images/public/507f1f77bcf86cd799439021')).status).toBe(200);
  });
});
