import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../cli/io.ts';
import type { ResetConfig } from './runner.ts';

// A usage or configuration error: exit code 2 with a one-line reason (the bin's one kind of it).
export { UsageError };

export interface ConformanceConfig {
  spec?: string;
  workflows?: string[];
  tokens: Record<string, string>;
  /** Basic credentials per role, `user:password`. */
  basic: Record<string, string>;
  /** Fixed headers per role (a signature scheme the suite cannot compute, say). */
  headers: Record<string, Record<string, string>>;
  reset?: ResetConfig;
  /** Prefix the path of the spec's first server to the base URL (--server-path). */
  serverPath?: boolean;
  maxResponseTimeMs?: number;
  requestTimeoutMs?: number;
  streamMaxMs?: number;
  maxResponseBytes?: number;
}

export const DEFAULT_CONFIG_FILE = 'conformance.config.json';

export function emptyConfig(): ConformanceConfig {
  return { tokens: {}, basic: {}, headers: {} };
}

/**
 * Reads the config (the explicit file must exist; the default one is optional). Paths in it are
 * relative to the file's folder.
 */
export function readConfig(file: string | undefined, cwd = process.cwd()): ConformanceConfig {
  const chosen = path.resolve(cwd, file ?? DEFAULT_CONFIG_FILE);
  if (!fs.existsSync(chosen)) {
    if (file) throw new UsageError(`config file ${file} not found`);
    return emptyConfig();
  }
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(chosen, 'utf8'));
  } catch (err) {
    throw new UsageError(`config file ${path.relative(cwd, chosen)} is not valid JSON: ${err instanceof Error ? err.message : err}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new UsageError(`config file ${chosen} must hold an object`);
  const c = raw as Record<string, unknown>;
  const dir = path.dirname(chosen);
  const where = path.relative(cwd, chosen) || chosen;
  const tokens = c.tokens ?? {};
  if (typeof tokens !== 'object' || tokens === null || Object.values(tokens).some((t) => typeof t !== 'string')) {
    throw new UsageError(`${where}: tokens must map role names to token strings`);
  }
  const basic: Record<string, string> = {};
  const credentials = c.credentials ?? {};
  if (typeof credentials !== 'object' || credentials === null) throw new UsageError(`${where}: credentials must map role names to "user:password" or { "username", "password" }`);
  for (const [role, v] of Object.entries(credentials)) {
    const o = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
    if (typeof v === 'string' && v.includes(':')) basic[role] = v;
    else if (typeof o.username === 'string' && typeof o.password === 'string') basic[role] = `${o.username}:${o.password}`;
    else throw new UsageError(`${where}: credentials.${role} must be "user:password" or { "username", "password" }`);
  }
  const headers: Record<string, Record<string, string>> = {};
  const rawHeaders = c.headers ?? {};
  if (typeof rawHeaders !== 'object' || rawHeaders === null) throw new UsageError(`${where}: headers must map role names to { "Header-Name": "value" }`);
  for (const [role, h] of Object.entries(rawHeaders)) {
    if (typeof h !== 'object' || h === null || Object.values(h).some((v) => typeof v !== 'string')) {
      throw new UsageError(`${where}: headers.${role} must map header names to strings`);
    }
    headers[role] = h as Record<string, string>;
  }
  let reset: ResetConfig | undefined;
  if (c.reset !== undefined && c.reset !== null) {
    const r = c.reset as Record<string, unknown>;
    if (typeof r.url === 'string') reset = { url: r.url, method: typeof r.method === 'string' ? r.method : 'POST' };
    else if (typeof r.command === 'string') reset = { command: r.command };
    else throw new UsageError(`${where}: reset must be { "url": "/path", "method": "POST" } or { "command": "..." }`);
  }
  const num = (k: string) => {
    const v = c[k];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || v <= 0) throw new UsageError(`${where}: ${k} must be a positive number`);
    return v;
  };
  const bool = (k: string) => {
    if (typeof c[k] !== 'boolean') throw new UsageError(`${where}: ${k} must be true or false`);
    return c[k] as boolean;
  };
  return {
    spec: typeof c.spec === 'string' ? path.resolve(dir, c.spec) : undefined,
    workflows: Array.isArray(c.workflows) ? c.workflows.map((w) => path.resolve(dir, String(w))) : undefined,
    tokens: tokens as Record<string, string>,
    basic,
    headers,
    reset,
    serverPath: c.serverPath === undefined ? undefined : bool('serverPath'),
    maxResponseTimeMs: num('maxResponseTimeMs'),
    requestTimeoutMs: num('requestTimeoutMs'),
    streamMaxMs: num('streamMaxMs'),
    maxResponseBytes: num('maxResponseBytes'),
  };
}
