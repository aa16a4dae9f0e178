// A benchmarked server in its own process (so the load generator never shares its event loop).
// Forked by bench/index.ts: `serve.ts reference|baseline|node <catalog size>`; sends {port, readyMs} over IPC,
// `no-cache` as a third argument turns the answer cache off; answers 'stats' with its memory use and 'cpu' with
// the CPU time it has used (user + system, microseconds), and exits when the parent disconnects.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { createApp } from '../server/images/app.ts';
import { imagesContract } from '../server/images/contract.ts';
import { fixtureClock } from '../server/shared/clock.ts';
import type { ReferenceContract } from '../server/shared/contract.ts';
import { composeContracts } from '../server/shared/start.ts';
import { MemoryStore } from '../server/images/store/memory-store.ts';
import { createBaselineApp, createNodeBaseline, recordAnswers } from './baseline.ts';
import { scaleFixture } from './catalog.ts';
import { benchRequests } from './requests.ts';

/** What both servers offer: Express's listen (the baseline is an Express app, the reference a ComposedApp). */
interface App {
  listen(port: number, host: string, callback: () => void): Server;
}

const listen = (app: App) =>
  new Promise<Server>((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server));
  });
const urlOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

/**
 * The images contract as npm start serves it (composeContracts: the front door, the query's `+` as space,
 * its prefixes, the 404 of no contract), on a generated catalog instead of the demo data, access log silent.
 */
function referenceApp(size: number, answerCache = true): App {
  const onScaleFixture: ReferenceContract = {
    ...imagesContract,
    mount: ({ logger }) => {
      const fixture = scaleFixture(size);
      const store = new MemoryStore(fixture);
      const clock = fixtureClock(fixture.clock);
      const app = createApp({ store, clock, logger, answerCache });
      // The generated catalog is made again on reset rather than kept beside the store's own copy: the
      // bench's RSS is then the server's, not a second catalog's that only a reset would read.
      return {
        app,
        reset() {
          const again = scaleFixture(size);
          store.load(again);
          clock.reset(again.clock);
        },
      };
    },
  };
  let id = 0;
  return composeContracts([onScaleFixture], { logger: pino({ level: 'silent' }), controlApi: false, answerCache, ids: () => String(++id) });
}

async function main() {
  const [kind, sizeArg, cacheArg] = process.argv.slice(2);
  const size = Number(sizeArg);
  const started = performance.now();
  let server: Server;
  if (kind === 'reference') {
    server = await listen(referenceApp(size, cacheArg !== 'no-cache'));
  } else if (kind === 'baseline' || kind === 'node') {
    // Record the reference's answers once, then drop it: the baseline serves bytes from a Map.
    const reference = await listen(referenceApp(size));
    const answers = await recordAnswers(urlOf(reference), benchRequests);
    await new Promise((resolve) => reference.close(resolve));
    server = await listen(kind === 'node' ? createNodeBaseline(answers) : createBaselineApp(answers));
  } else {
    throw new Error(`unknown server kind ${kind}`);
  }
  const readyMs = performance.now() - started;
  process.send?.({ type: 'ready', url: urlOf(server), readyMs });
  process.on('message', (message) => {
    if (message === 'stats') {
      globalThis.gc?.();
      const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
      process.send?.({ type: 'stats', rss, heapUsed, heapTotal, external, arrayBuffers });
    } else if (message === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.send?.({ type: 'cpu', micros: user + system });
    }
  });
  process.on('disconnect', () => process.exit(0));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
