// Starts the Chutes Images reference server alone on the demo data: PORT (3002), HOST (127.0.0.1).
// The composed server (server/main.ts) mounts createChutesApp beside the other contracts.
import { pino } from 'pino';
import { fixtureClock } from '../clock.ts';
import { createChutesApp } from './app.ts';
import { notFoundHandler } from './http/errors.ts';
import { loadDemoFixture } from './store/fixture.ts';
import { MemoryChutesStore } from './store/memory-store.ts';

const port = Number(process.env.PORT ?? 3002);
const host = process.env.HOST ?? '127.0.0.1';
const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' });
const fixture = loadDemoFixture();
const app = createChutesApp({ store: new MemoryChutesStore(fixture), clock: fixtureClock(fixture.clock), logger, control: process.env.CONTROL_API === '0' ? undefined : { fixture } });
app.use(notFoundHandler);
const server = app.listen(port, host, () => logger.info(`Chutes Images reference server on http://${host}:${port}`));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => server.close(() => process.exit(0)));
