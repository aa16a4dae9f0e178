// Where the reference server's time goes on one benchmarked request: runs it with --cpu-prof under
// autocannon and prints the functions with the most self time, grouped by package.
// `node --import tsx bench/profile.ts [request name prefix] [catalog size] [seconds]`
import { fork } from 'node:child_process';
import { readdirSync, readFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { benchRequests } from './requests.ts';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
}

const [prefix = 'list public (default', sizeArg = '1000', secondsArg = '8'] = process.argv.slice(2);
const request = benchRequests.find((r) => r.name.startsWith(prefix));
if (!request) throw new Error(`no bench request starts with ${prefix}`);
const dir = fileURLToPath(new URL('../reports/profile/', import.meta.url));
mkdirSync(dir, { recursive: true });
const before = new Set(readdirSync(dir));
const child = fork(fileURLToPath(new URL('./serve.ts', import.meta.url)), ['reference', sizeArg, process.env.ANSWER_CACHE === '0' ? 'no-cache' : 'cache'], {
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
const profile = JSON.parse(readFileSync(`${dir}${file}`, 'utf8')) as { nodes: Node[] };
const total = profile.nodes.reduce((n, node) => n + node.hitCount, 0);
const byFunction = new Map<string, number>();
const byPackage = new Map<string, number>();
for (const node of profile.nodes) {
  const { functionName, url: source, lineNumber } = node.callFrame;
  const where = source.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/main\//, '');
  const key = `${functionName || '(anonymous)'} ${where}:${lineNumber}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + node.hitCount);
  const pkg = source.includes('node_modules/') ? (/node_modules\/((@[^/]+\/)?[^/]+)/.exec(source)?.[1] ?? '?') : source ? (source.startsWith('node:') ? 'node' : 'ours') : functionName;
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + node.hitCount);
}
const top = (map: Map<string, number>, n: number) =>
  [...map].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`).join('\n');
console.log(`\nself time by package\n${top(byPackage, 12)}\n\nself time by function\n${top(byFunction, 30)}\n\nprofile: reports/profile/${file}`);
