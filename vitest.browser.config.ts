import { defineConfig } from 'vitest/config';

// Browser tests: real users in Debian's Chromium (playwright-core) against one real server process
// (`node bin/gongzhi.js start`), started once per run by the global setup. Files run one after another:
// they share the server, and one headless Chromium at a time is plenty for a small CI machine.
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    globalSetup: ['test/browser/global-setup.ts'],
    testTimeout: 180_000,
    hookTimeout: 300_000,
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
    // a user waits seconds, not one: a loaded CI machine needs more than expect.poll's default 1 s
    expect: { poll: { timeout: 15_000, interval: 100 } },
  },
});
