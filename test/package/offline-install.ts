// Installs a packed tarball into an empty project without the network. `npm install --offline <tgz>`
// cannot: it needs each dependency's registry document (packument), and `npm ci` caches tarballs
// only. So the consumer gets a lock file cut from this repository's own: the tarball, the packages it
// names and whatever they need, each at the place, version and integrity `npm ci` put in the cache;
// `npm ci --offline` then installs it as a real consumer's would be.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  dev?: boolean;
  devOptional?: boolean;
  optional?: boolean;
  peer?: boolean;
  [key: string]: unknown;
}

/** Where Node finds `name` from the package installed at `from` (a lock key such as node_modules/a/node_modules/b). */
function located(packages: Record<string, LockEntry>, name: string, from: string): string | undefined {
  let at = from;
  for (;;) {
    const key = `${at ? `${at}/` : ''}node_modules/${name}`;
    if (packages[key]) return key;
    if (at === '') return undefined;
    const cut = at.lastIndexOf('/node_modules/');
    at = cut < 0 ? '' : at.slice(0, cut);
  }
}

/** Lock entries of `names` (as the root would reach them) and everything they need, flags of the dev tree dropped. */
function closure(packages: Record<string, LockEntry>, names: string[]): Record<string, LockEntry> {
  const out: Record<string, LockEntry> = {};
  const queue: [string, string][] = names.map((n) => [n, '']);
  while (queue.length > 0) {
    const [name, from] = queue.shift()!;
    const key = located(packages, name, from);
    if (!key) continue; // an optional dependency for another platform
    if (out[key]) continue;
    const { dev: _dev, devOptional: _devOptional, peer: _peer, ...entry } = packages[key]!;
    out[key] = entry;
    const needs = [
      ...Object.keys(entry.dependencies ?? {}),
      ...Object.keys(entry.optionalDependencies ?? {}),
      ...Object.keys(entry.peerDependencies ?? {}).filter((p) => !entry.peerDependenciesMeta?.[p]?.optional),
    ];
    for (const n of needs) queue.push([n, key]);
  }
  return out;
}

/**
 * Writes package.json and package-lock.json into `dir` (an empty folder) for the tarball plus `extra`
 * packages of this repository's lock (e.g. openapi-fetch for a generated client), then `npm ci --offline`.
 */
export async function installOffline(dir: string, tarball: string, repoRoot: string, extra: string[]): Promise<void> {
  const lock = JSON.parse(await readFile(join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const manifest = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string; dependencies: Record<string, string>; bin: Record<string, string>; engines: Record<string, string> };
  const bytes = await readFile(tarball);
  await writeFile(join(dir, basename(tarball)), bytes);
  const spec = `file:${basename(tarball)}`;
  const extras = Object.fromEntries(extra.map((n) => [n, lock.packages[`node_modules/${n}`]?.version ?? 'missing']));
  const dependencies = { [manifest.name]: spec, ...extras };
  await writeFile(join(dir, 'package.json'), `${JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies }, null, 2)}\n`);
  const consumerLock = {
    name: 'consumer',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'consumer', dependencies },
      [`node_modules/${manifest.name}`]: {
        version: manifest.version,
        resolved: spec,
        integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}`,
        dependencies: manifest.dependencies,
        bin: manifest.bin,
        engines: manifest.engines,
      },
      ...closure(lock.packages, [...Object.keys(manifest.dependencies), ...extra]),
    },
  };
  await writeFile(join(dir, 'package-lock.json'), `${JSON.stringify(consumerLock, null, 2)}\n`);
  await promisify(execFile)('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, maxBuffer: 16 * 1024 * 1024 });
}
