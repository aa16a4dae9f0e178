// Writes generated/ from spec/: the bundled spec (YAML and JSON), TypeScript types (openapi-typescript),
// a typed client (openapi-fetch) and the HTML docs (Redocly). With --check it writes to a scratch folder
// and fails when generated/ differs, so a hand edit or a forgotten regeneration is caught.
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { clientSource, header, typesSource, type Origin } from '../cli/client-source.ts';
import { contracts, type Contract } from './contracts.ts';

const run = promisify(execFile);
const redocly = join('node_modules', '.bin', 'redocly');

async function generate(contract: Contract, outDir: string): Promise<void> {
  const origin: Origin = { command: 'npm run generate', spec: contract.spec };
  const shape = { envelope: contract.envelope !== false, binaryAsBlob: contract.binaryAsBlob };
  await mkdir(outDir, { recursive: true });
  const bundleYaml = join(outDir, 'openapi.yaml');
  await run(redocly, ['bundle', contract.spec, '--output', bundleYaml], { env: { ...process.env, NO_COLOR: '1' } });
  const yamlText = await readFile(bundleYaml, 'utf8');
  await writeFile(bundleYaml, header(origin, '#') + yamlText);
  const document = parse(yamlText) as Record<string, unknown>;
  await writeFile(join(outDir, 'openapi.json'), `${JSON.stringify(document, null, 2)}\n`);
  await writeFile(join(outDir, 'schema.d.ts'), await typesSource(origin, document, shape));
  await writeFile(join(outDir, 'client.ts'), clientSource(origin, document, shape));
  await run(redocly, ['build-docs', bundleYaml, '--output', join(outDir, 'docs.html'), '--inlineBundle'], {
    env: { ...process.env, NO_COLOR: '1' },
  });
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name))).sort();
}

async function check(contract: Contract): Promise<string[]> {
  const scratch = await mkdtemp(join(tmpdir(), 'generate-check-'));
  try {
    await generate(contract, scratch);
    const [want, have] = [await filesUnder(scratch), await filesUnder(contract.out)];
    const problems: string[] = [];
    for (const file of want) {
      const expected = await readFile(join(scratch, file), 'utf8');
      const actual = await readFile(join(contract.out, file), 'utf8').catch(() => undefined);
      if (actual === undefined) problems.push(`${join(contract.out, file)} is missing`);
      else if (actual !== expected) problems.push(`${join(contract.out, file)} differs from what ${contract.spec} gives`);
    }
    for (const file of have) {
      if (!want.includes(file)) problems.push(`${join(contract.out, file)} is not generated from ${contract.spec}`);
    }
    return problems;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

const checking = process.argv.includes('--check');
let failed = false;
for (const contract of contracts) {
  if (checking) {
    const problems = await check(contract);
    for (const p of problems) console.error(`generate:check: ${p}`);
    if (problems.length) failed = true;
  } else {
    await generate(contract, contract.out);
    console.log(`generated ${contract.out}/ from ${contract.spec}`);
  }
}
if (failed) {
  console.error('generate:check: generated/ is out of date; run `npm run generate` and commit the result');
  process.exit(1);
}
if (checking) console.log('generate:check: generated/ matches the spec');
