// Starts the reference server on the demo data: PORT (3000), HOST (127.0.0.1). Nothing else lives here.
import { pino } from 'pino';
import { createApp } from './app.ts';
import { fixtureClock } from './clock.ts';
import { loadDemoFixture } from './store/fixture.ts';
import { MemoryStore } from './store/memory-store.ts';

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' });
const loopback = host === '127.0.0.1' || host === '::1' || host === 'localhost';
const controlOn = process.env.CONTROL_API === '1' || (process.env.NODE_ENV !== 'production' && loopback && process.env.CONTROL_API !== '0');

const fixture = loadDemoFixture();
const app = createApp({
  store: new MemoryStore(fixture),
  clock: fixtureClock(fixture.clock),
  logger,
  control: controlOn ? { fixture } : undefined,
});

const server = app.listen(port, host, () => {
  const address = server.address();
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${typeof address === 'object' && address ? address.port : port}`;
  logger.info(
    { url, docs: `${url}/docs`, tokens: { alice: 'alice-demo-token', bob: 'bob-demo-token' }, controlApi: controlOn },
    `Reference server listening on ${url} (docs: ${url}/docs; demo tokens: alice-demo-token, bob-demo-token)`,
  );
});
server.on('error', (error) => {
  logger.fatal({ err: error }, 'could not start');
  process.exit(1);
});

function shutdown(signal: string) {
  logger.info({ signal }, 'shutting down');
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(1), 10_000).unref(); // connections that will not close do not keep us up
}
process.once('SIGINT', () => shutdown('SIGINT'));
process.once('SIGTERM', () => shutdown('SIGTERM'));
