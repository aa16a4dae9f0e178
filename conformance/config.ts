import fs from 'node:fs';
import path from 'node:path';
import type { ResetConfig } from './runner.ts';

/** A usage or configuration error: exit code 2 with a one-line reason. */
export class UsageError extends Error {}

export interface ConformanceConfig {
  spec?: string;
  workflows?: string[];
  tokens: Record<string, string>;
  reset?: ResetConfig;
  maxResponseTimeMs?: number;
  requestTimeoutMs?: number;
}

export const DEFAULT_CONFIG_FILE = 'conformance.config.json';

/**
 * Reads the config (the explicit file must exist; the default one is optional). Paths in it are
 * relative to the file's folder.
 */
export function readConfig(file: string | undefined, cwd = process.cwd()): ConformanceConfig {
  const chosen = path.resolve(cwd, file ?? DEFAULT_CONFIG_FILE);
  if (!fs.existsSync(chosen)) {
    if (file) throw new UsageError(`config file ${file} not found`);
    return { tokens: {} };
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
  return {
    spec: typeof c.spec === 'string' ? path.resolve(dir, c.spec) : undefined,
    workflows: Array.isArray(c.workflows) ? c.workflows.map((w) => path.resolve(dir, String(w))) : undefined,
    tokens: tokens as Record<string, string>,
    reset,
    maxResponseTimeMs: num('maxResponseTimeMs'),
    requestTimeoutMs: num('requestTimeoutMs'),
  };
}
