// The Redocly CLI that lint and diff run: the one this package depends on, found through Node's
// resolution (not ./node_modules/.bin of wherever the command runs), started with this Node.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { CliIo } from './io.ts';

function redoclyBin(): string {
  const manifest = createRequire(import.meta.url).resolve('@redocly/cli/package.json');
  const bin = (JSON.parse(readFileSync(manifest, 'utf8')) as { bin: Record<string, string> }).bin.redocly;
  if (!bin) throw new Error('@redocly/cli names no redocly bin');
  return join(dirname(manifest), bin);
}

export interface RedoclyRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `redocly <args>` in io.cwd. With `pass`, its output goes straight to io's streams (colour and
 * progress intact on a terminal); without, it is captured and returned.
 */
export function runRedocly(args: string[], io: CliIo, opts: { pass?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<RedoclyRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [redoclyBin(), ...args], {
      cwd: io.cwd,
      env: { ...(io.env ?? process.env), ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (opts.pass ? io.stdout.write(text) : (stdout += text)));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (opts.pass ? io.stderr.write(text) : (stderr += text)));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}
