// The StackRox Image Service as a contract of the reference server.
import { onFixture, type ReferenceContract } from '../shared/contract.ts';
import { fixtureClock } from '../shared/clock.ts';
import { createStackroxApp } from './app.ts';
import { errorShape } from './http/errors.ts';
import { loadDemoFixture } from './store/fixture.ts';
import { MemoryStore } from './store/memory-store.ts';

export const stackroxContract: ReferenceContract = {
  name: 'stackrox',
  defaultPort: 3010,
  errorShape,
  prefixes: ['/v1/', '/stackrox/', '/__control/stackrox/'],
  maxBodyBytes: 1024 * 1024,
  describe: (url) => `StackRox Image Service on ${url}/v1 - docs ${url}/stackrox/docs - tokens admin-demo-token, analyst-demo-token, noaccess-demo-token; basic admin:stackrox-demo-password`,
  mount({ logger, controlApi }) {
    const fixture = loadDemoFixture();
    const store = new MemoryStore(fixture);
    const clock = fixtureClock(fixture.clock);
    const app = createStackroxApp({ store, clock, logger, ...(controlApi ? { control: { fixture } } : {}) });
    return onFixture(app, store, clock, fixture);
  },
};
