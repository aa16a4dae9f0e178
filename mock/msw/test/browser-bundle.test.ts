// The handlers' import graph loads in a browser: esbuild bundles `./msw`'s entry for the browser
// platform, where any node: import (ours or a dependency's, as find-my-way's node:assert once was)
// fails the build. The Chromium test (npm run test:browser) runs the bundle; this catches the
// import in npm test, without a browser.
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

describe('the MSW handlers bundle for the browser', () => {
  it('builds with no node: import on the path, ours or a dependency\'s', async () => {
    const result = await build({
      entryPoints: ['mock/msw/index.ts'],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'chrome120',
      external: ['msw'],
      write: false,
      metafile: true,
      logLevel: 'silent',
    }).catch((error: { errors?: { text: string; location?: { file: string } }[] }) => ({ errors: error.errors ?? [] }));
    const failures = result.errors.map((e) => `${'location' in e ? (e.location?.file ?? '') : ''}: ${e.text}`);
    expect(failures).toEqual([]);
    const inputs = 'metafile' in result ? Object.keys(result.metafile!.inputs) : [];
    expect(inputs).toContain('mock/routing.ts');
    expect(inputs.filter((file) => /find-my-way|node:/.test(file))).toEqual([]);
  });
});
