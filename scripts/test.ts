// npm test: the contract gates (lint, generate:check, typecheck), then every vitest suite. Runs them
// all even when one fails, and ends with one line `N passed, N failed` that CI reads.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';

const gates: [string, string[]][] = [
  ['lint', ['npm', 'run', '-s', 'lint']],
  ['generate:check', ['npm', 'run', '-s', 'generate:check']],
  ['typecheck', ['npm', 'run', '-s', 'typecheck']],
];
let passed = 0;
let failed = 0;
for (const [name, [cmd, ...args]] of gates) {
  console.log(`\n== ${name}`);
  const ok = spawnSync(cmd!, args, { stdio: 'inherit' }).status === 0;
  if (ok) passed++;
  else {
    failed++;
    console.error(`== ${name} FAILED`);
  }
}

console.log('\n== vitest');
mkdirSync('.tmp', { recursive: true });
const extra = process.argv.slice(2);
const vitest = spawnSync('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=.tmp/vitest.json', ...extra], { stdio: 'inherit' });
let skipped = 0;
try {
  const report = JSON.parse(readFileSync('.tmp/vitest.json', 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number; numFailedTestSuites: number };
  passed += report.numPassedTests;
  failed += report.numFailedTests + (report.numFailedTests === 0 && vitest.status !== 0 ? Math.max(1, report.numFailedTestSuites) : 0);
  skipped += report.numPendingTests + report.numTodoTests;
} catch {
  failed++;
  console.error('vitest wrote no report');
}
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
