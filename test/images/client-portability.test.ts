// The generated clients as another TypeScript project uses them: imported with its own settings (no
// allowImportingTsExtensions) and with only erasable syntax, so Node 22+'s built-in type stripping
// runs them too. Each contract's client, compiled by tsc in a scratch project beside node_modules.
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { contracts } from '../../scripts/contracts.ts';

const scratch: string[] = [];
afterAll(() => Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true }))));

it.each(contracts.map((c) => [c.name, c.out] as const))('%s: the client compiles in a project with default settings and erasable syntax only', async (_name, out) => {
  await mkdir('.tmp', { recursive: true });
  const dir = await mkdtemp(join('.tmp', 'client-consumer-'));
  scratch.push(dir);
  await cp(join(out, 'client.ts'), join(dir, 'api', 'client.ts'));
  await cp(join(out, 'schema.d.ts'), join(dir, 'api', 'schema.d.ts'));
  await writeFile(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { target: 'es2022', module: 'nodenext', strict: true, noEmit: true, skipLibCheck: true, erasableSyntaxOnly: true, verbatimModuleSyntax: true, lib: ['es2022', 'dom'] } }),
  );
  await writeFile(join(dir, 'index.ts'), "import { createClient, ApiError } from './api/client.js';\nexport const api = createClient({ baseUrl: 'http://127.0.0.1:3000' });\nexport const failure = new ApiError(404, { message: 'x' });\n");
  await writeFile(join(dir, 'package.json'), '{"type":"module"}');
  const tsc = join(process.cwd(), 'node_modules', '.bin', 'tsc');
  const run = await promisify(execFile)(tsc, ['-p', dir]).then(
    () => ({ code: 0, out: '' }),
    (err: { code?: number; stdout?: string }) => ({ code: err.code ?? 1, out: err.stdout ?? '' }),
  );
  expect(run.out).toBe('');
  expect(run.code).toBe(0);
});
