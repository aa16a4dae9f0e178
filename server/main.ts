// Starts the reference servers of every contract on one port, on their demo data. Reads the config,
// listens, logs the start line, handles signals. Nothing else lives here.
import { pino } from 'pino';
import { readConfig } from './config.ts';
import { createReferenceServer } from './contracts.ts';
import { answerClientErrors } from './http/client-errors.ts';

const config = readConfig(process.env);
const logger = pino({ level: config.logLevel });
const app = createReferenceServer({ logger, controlApi: config.controlApi });

const server = app.listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  logger.info(
    { url, docs: `${url}/docs`, tokens: { owner: 'alice-demo-token', other: 'bob-demo-token' }, controlApi: config.controlApi },
    `Reference server on ${url} - docs ${url}/docs - demo tokens alice-demo-token (owner), bob-demo-token (other)` +
      ` - also StackRox /v1 (docs ${url}/stackrox/docs) and Chutes /images/ (docs ${url}/chutes/docs)`,
  );
});
answerClientErrors(server);
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
