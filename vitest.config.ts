import { defineConfig } from 'vitest/config';
import SlowestFirst from './test/helpers/sequencer.ts';

// Unit tests live beside the code (src/**); cross-module and API tests under test/ run against the
// engine named by GONGZHI_TEST_ENGINE (pglite by default, postgres in the second pass of `npm test`).
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['test/browser/**', 'node_modules/**'],
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    sequence: { sequencer: SlowestFirst },
    maxWorkers: 2,
  },
});
