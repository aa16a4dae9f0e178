// A throw-away copy of the repository's contract tooling (spec, scripts, cli, lint config, generated/),
// with node_modules linked in, for tests that must break things on purpose.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const exec = promisify(execFile);

export interface Sandbox {
  dir: string;
  path(rel: string): string;
  edit(rel: string, change: (text: string) => string): Promise<void>;
  run(command: string, args: string[]): Promise<{ code: number; out: string }>;
  remove(): Promise<void>;
}

export async function makeSandbox(parts = ['spec', 'scripts', 'cli', 'shared', 'generated', 'redocly.yaml', 'package.json', 'tsconfig.json']): Promise<Sandbox> {
  const dir = await mkdtemp(join(tmpdir(), 'contract-sandbox-'));
  for (const part of parts) await cp(join(root, part), join(dir, part), { recursive: true });
  await symlink(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return {
    dir,
    path: (rel) => join(dir, rel),
    async edit(rel, change) {
      const file = join(dir, rel);
      await writeFile(file, change(await readFile(file, 'utf8')));
    },
    async run(command, args) {
      try {
        const { stdout, stderr } = await exec(command, args, { cwd: dir, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 32 * 1024 * 1024 });
        return { code: 0, out: stdout + stderr };
      } catch (error) {
        const e = error as { code?: number; stdout?: string; stderr?: string };
        return { code: typeof e.code === 'number' ? e.code : 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
      }
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
