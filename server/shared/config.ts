// The reference server's settings, from the environment; the same rules for every entry point.

export interface ServerConfig {
  port: number;
  host: string;
  logLevel: string;
  /** The control API (/__control/*): on for loopback in a development NODE_ENV, else off unless CONTROL_API=1. */
  controlApi: boolean;
  /** CORS for a frontend on another origin (shared/cors.ts): on in a development NODE_ENV, CORS=0 turns it off, CORS=1 on. */
  cors: boolean;
}

/** A setting that cannot be used: one line on stderr and exit 2, never a stack trace. */
export class ConfigError extends Error {}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
/** The environments the control API is on in by default: anything else (Production, prod, staging...) turns it off. */
const DEVELOPMENT = new Set([undefined, '', 'development', 'dev', 'test', 'local']);

export function readConfig(env: NodeJS.ProcessEnv, defaultPort = 3000): ServerConfig {
  const portText = env.PORT ?? String(defaultPort);
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!Number.isInteger(port) || port > 65535) throw new ConfigError(`PORT must be a number from 0 to 65535, got ${JSON.stringify(env.PORT)}`);
  const host = env.HOST ?? '127.0.0.1';
  const controlApi = env.CONTROL_API === '1' || (env.CONTROL_API !== '0' && DEVELOPMENT.has(env.NODE_ENV) && LOOPBACK.has(host));
  const cors = env.CORS === '1' || (env.CORS !== '0' && DEVELOPMENT.has(env.NODE_ENV));
  return { port, host, logLevel: env.LOG_LEVEL ?? 'info', controlApi, cors };
}
