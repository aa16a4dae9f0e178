// The Container Images and Snapshots API as a contract of the reference server.
import { onFixture, type ReferenceContract } from '../shared/contract.ts';
import { fixtureClock } from '../shared/clock.ts';
import { createApp } from './app.ts';
import { errorShape } from './http/errors.ts';
import { loadDemoFixture } from './store/fixture.ts';
import { MemoryStore } from './store/memory-store.ts';

export const imagesContract: ReferenceContract = {
  name: 'images',
  defaultPort: 3000,
  errorShape,
  prefixes: ['/api/', '/docs', '/openapi.json', '/openapi.yaml', '/__control/images/'],
  maxBodyBytes: 1024 * 1024,
  describe: (url) => `Container Images and Snapshots API on ${url}/api/v1 - docs ${url}/docs - demo tokens alice-demo-token (owner), bob-demo-token (other)`,
  mount({ logger, controlApi, answerCache }) {
    const fixture = loadDemoFixture();
    const store = new MemoryStore(fixture);
    const clock = fixtureClock(fixture.clock);
    const app = createApp({ store, clock, logger, ...(controlApi ? { control: { fixture } } : {}), ...(answerCache === undefined ? {} : { answerCache }) });
    return onFixture(app, store, clock, fixture);
  },
};
