// Where the reference server's time goes on one benchmarked request: runs it with --cpu-prof under
// autocannon and prints, for the measured run only, the functions with the most self time, grouped by
// package, and our functions' total time with what they call.
// `node --import tsx bench/profile.ts [request name prefix] [catalog size] [seconds]`; PROFILE_KIND=baseline
// profiles the bare Express baseline on the same request instead, to compare the two function by function.
import { fork } from 'node:child_process';
import { readdirSync, readFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { benchRequests } from './requests.ts';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
  children?: number[];
}

const [prefix = 'list public (default', sizeArg = '1000', secondsArg = '8'] = process.argv.slice(2);
const request = benchRequests.find((r) => r.name.startsWith(prefix));
if (!request) throw new Error(`no bench request starts with ${prefix}`);
const dir = fileURLToPath(new URL('../reports/profile/', import.meta.url));
mkdirSync(dir, { recursive: true });
const before = new Set(readdirSync(dir));
const child = fork(fileURLToPath(new URL('./serve.ts', import.meta.url)), [process.env.PROFILE_KIND === 'baseline' ? 'baseline' : 'reference', sizeArg, process.env.ANSWER_CACHE === '0' ? 'no-cache' : 'cache'], {
  execArgv: ['--import', 'tsx', '--cpu-prof', `--cpu-prof-dir=${dir}`],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const { url } = await new Promise<{ url: string }>((resolve) => child.once('message', resolve));
await autocannon({ url: `${url}${request.path}`, method: request.method, headers: request.headers, body: request.body, connections: 20, duration: 1 });
const result = await autocannon({ url: `${url}${request.path}`, method: request.method, headers: request.headers, body: request.body, connections: 20, duration: Number(secondsArg) });
console.log(`${request.name}: ${result.requests.average.toFixed(0)} rps`);
child.disconnect();
await new Promise((resolve) => child.once('exit', resolve));
const file = readdirSync(dir).find((f) => !before.has(f));
if (!file) throw new Error('no profile written');
const profile = JSON.parse(readFileSync(`${dir}${file}`, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[]; endTime: number };
// Only the measured run's samples: start-up (compiling, loading the catalog) and the warm-up left out.
const nodeById = new Map(profile.nodes.map((node) => [node.id, node]));
const parentOf = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
const keyOf = (node: Node) => {
  const { functionName, url: source, lineNumber } = node.callFrame;
  const where = source.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/main\//, '');
  return `${functionName || '(anonymous)'} ${where}:${lineNumber}`;
};
const packageOf = (node: Node) => {
  const { functionName, url: source } = node.callFrame;
  return source.includes('node_modules/') ? (/node_modules\/((@[^/]+\/)?[^/]+)/.exec(source)?.[1] ?? '?') : source ? (source.startsWith('node:') ? 'node' : 'ours') : functionName;
};
const from = profile.endTime - Number(secondsArg) * 1e6;
let at = profile.endTime - profile.timeDeltas.reduce((a, b) => a + b, 0);
let total = 0;
const byFunction = new Map<string, number>();
const byPackage = new Map<string, number>();
const inclusive = new Map<string, number>();
profile.samples.forEach((id, i) => {
  at += profile.timeDeltas[i] ?? 0;
  if (at < from) return;
  const node = nodeById.get(id)!;
  total++;
  byFunction.set(keyOf(node), (byFunction.get(keyOf(node)) ?? 0) + 1);
  byPackage.set(packageOf(node), (byPackage.get(packageOf(node)) ?? 0) + 1);
  const seen = new Set<string>();
  for (let n: Node | undefined = node; n; n = nodeById.get(parentOf.get(n.id) ?? -1)) {
    const key = keyOf(n);
    if (seen.has(key) || packageOf(n) !== 'ours') continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + 1);
  }
});
const top = (map: Map<string, number>, n: number) =>
  [...map].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`).join('\n');
console.log(`\n${total} samples in the measured ${secondsArg} s\n\nself time by package\n${top(byPackage, 12)}\n\nself time by function\n${top(byFunction, 30)}\n\ntotal time (with callees) of our functions\n${top(inclusive, 25)}\n\nprofile: reports/profile/${file}`);
