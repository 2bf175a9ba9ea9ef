import { defineConfig } from 'vitest/config';
import SlowestFirst from './test/helpers/sequencer.ts';
import { browserWorkers } from './test/browser/server.ts';

const workers = browserWorkers();

// Browser tests: real users in Debian's Chromium (playwright-core) against real server processes
// (`node bin/gongzhi.js start`), started once per run by the global setup, one per worker. Two files run at once
// (GONGZHI_BROWSER_WORKERS): a browser test waits for the page most of its time, so two of them keep a 2-core
// machine busy; each worker's files share that worker's server, one after another.
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    globalSetup: ['test/browser/global-setup.ts'],
    testTimeout: 180_000,
    hookTimeout: 300_000,
    pool: 'forks',
    sequence: { sequencer: SlowestFirst },
    fileParallelism: workers > 1,
    maxWorkers: workers,
    // one more try for a browser test that fails: on two loaded cores a click can still land while a page is busy. A
    // test that fails twice fails the run; vitest reports every retried test, so a flaky one stays visible
    retry: 1,
    // a user waits seconds, not one: a loaded CI machine needs more than expect.poll's default 1 s
    expect: { poll: { timeout: 15_000, interval: 100 } },
  },
});
