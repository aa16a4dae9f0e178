// The Chutes Images API as a contract of the reference server.
import { onFixture, type ReferenceContract } from '../shared/contract.ts';
import { fixtureClock } from '../shared/clock.ts';
import { createChutesApp } from './app.ts';
import { errorShape } from './http/errors.ts';
import { loadDemoFixture } from './store/fixture.ts';
import { MemoryStore } from './store/memory-store.ts';

export const chutesContract: ReferenceContract = {
  name: 'chutes',
  defaultPort: 3002,
  errorShape,
  prefixes: ['/images', '/chutes/', '/__control/chutes/'],
  maxBodyBytes: 12 * 1024 * 1024,
  describe: (url) => `Chutes Images API on ${url}/images/ - docs ${url}/chutes/docs - API keys in spec/chutes/README.md`,
  mount({ logger, controlApi }) {
    const fixture = loadDemoFixture();
    const store = new MemoryStore(fixture);
    const clock = fixtureClock(fixture.clock);
    const app = createChutesApp({ store, clock, logger, ...(controlApi ? { control: { fixture } } : {}) });
    return onFixture(app, store, clock, fixture);
  },
};
