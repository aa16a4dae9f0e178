// Starts the StackRox Image Service reference server alone on the demo data: PORT (3010), HOST (127.0.0.1).
import { pino } from 'pino';
import { fixtureClock } from '../clock.ts';
import { createStackroxApp } from './app.ts';
import { loadDemoFixture } from './store/fixture.ts';
import { MemoryStore } from './store/memory-store.ts';

const port = Number(process.env.PORT ?? 3010);
const host = process.env.HOST ?? '127.0.0.1';
const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' });
const fixture = loadDemoFixture();
const app = createStackroxApp({ store: new MemoryStore(fixture), clock: fixtureClock(fixture.clock), logger, control: { fixture } });

const server = app.listen(port, host, () => {
  const address = server.address();
  const url = `http://${host}:${typeof address === 'object' && address ? address.port : port}`;
  logger.info({ url }, `StackRox Image Service reference server on ${url} (tokens: admin-demo-token, analyst-demo-token, noaccess-demo-token; basic admin:stackrox-demo-password)`);
});
const stop = () => server.close(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
