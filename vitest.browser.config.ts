import { defineConfig } from 'vitest/config';

// Browser tests: real headless Debian chromium through playwright-core. Run by `npm run test:browser`,
// which .ci/run calls after installing chromium; kept out of `npm test` so that it passes on a fresh machine.
export default defineConfig({
  test: {
    include: ['**/*.browser.test.ts'],
    exclude: ['node_modules/**', '.tmp/**', 'reports/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
