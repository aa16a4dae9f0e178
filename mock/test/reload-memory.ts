// Child process for reload.test.ts (needs --expose-gc): N reloads of a spec with requests between
// them (so prism compiles its validators each time), heapUsed after gc at reload 10 and at N.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMockApp } from '../app.ts';

const [specPath = 'spec/images/openapi.yaml', countText = '100'] = process.argv.slice(2);
const count = Number(countText);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const app = await createMockApp({ specPath, quiet: true, logger: { info: () => {}, error: (l) => process.stderr.write(`${l}\n`) } });
const server = http.createServer(app.handle);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

async function exercise(): Promise<void> {
  for (const op of app.spec.model.operations) {
    const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => String([...(op.params.find((p) => p.name === name)?.examples.values() ?? [])][0] ?? 'x'));
    const body = op.bodyExamples.size > 0 ? JSON.stringify([...op.bodyExamples.values()][0]) : undefined;
    const res = await fetch(`${base}${path}`, { method: op.method.toUpperCase(), headers: { authorization: 'Bearer t', 'content-type': 'application/json' }, body });
    await res.arrayBuffer();
  }
}

function heap(): number {
  for (let i = 0; i < 3; i++) gc?.();
  return process.memoryUsage().heapUsed;
}

let after10 = 0;
for (let i = 1; i <= count; i++) {
  const result = await app.reload();
  if (!result.ok) throw new Error(result.error);
  await exercise();
  if (i === 10) after10 = heap();
}
const afterN = heap();
await app.close();
server.closeAllConnections();
server.close();
process.stdout.write(`${JSON.stringify({ after10, after100: afterN, reloads: count })}\n`);
