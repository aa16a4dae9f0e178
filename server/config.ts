// The reference server's settings, from the environment.

export interface ServerConfig {
  port: number;
  host: string;
  logLevel: string;
  /** The control API (/__control/*): on for local runs, off in production unless CONTROL_API=1. */
  controlApi: boolean;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function readConfig(env: NodeJS.ProcessEnv): ServerConfig {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`PORT must be 0..65535, got ${env.PORT}`);
  const host = env.HOST ?? '127.0.0.1';
  const controlApi = env.CONTROL_API === '1' || (env.CONTROL_API !== '0' && env.NODE_ENV !== 'production' && LOOPBACK.has(host));
  return { port, host, logLevel: env.LOG_LEVEL ?? 'info', controlApi };
}
