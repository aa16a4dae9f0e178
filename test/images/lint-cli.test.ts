// npm run lint -- --format json (octk lint): one JSON document for every API of redocly.yaml (Redocly alone prints one per API).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

it('prints one JSON document with each API and the totals', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'lint', '--format', 'json'], { maxBuffer: 64 * 1024 * 1024 });
  const report = JSON.parse(stdout) as { totals: { errors: number; warnings: number }; apis: Record<string, { totals: { errors: number } }> };
  expect(Object.keys(report.apis)).toEqual(['images@v1', 'stackrox@v1', 'chutes@v1']);
  expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
});
