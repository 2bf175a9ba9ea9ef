#!/usr/bin/env node
// `npm test`: the unit tests and the API tests, then the browser tests. Under CI=true a missing PostgreSQL
// server or Chromium is a failure, not a skip.
//
// Both engines are PostgreSQL 17 (PGlite is the same server compiled to WebAssembly), so running every API
// test on both would pay twice for the same SQL. The API tests run on the PostgreSQL server, the engine of
// production; on PGlite, the embedded engine of the default install, run the unit tests and the API tests of
// what differs between the two (one connection in process: transactions, locks and concurrent writers;
// triggers instead of grants; the data folder; event delivery without LISTEN; the embedded set-up and
// demo), and the browser tests drive the whole console on PGlite, as `npm start` runs it.
// Without a PostgreSQL server (a developer's machine) every API test runs on PGlite instead.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import pg from 'pg';

const ci = process.env.CI === 'true';
const pgUrl = process.env.GONGZHI_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const results = [];

function run(name, args, env = {}) {
  console.log(`\n=== ${name}: vitest ${args.join(' ')}`);
  const r = spawnSync('npx', ['vitest', 'run', ...args], { stdio: 'inherit', env: { ...process.env, ...env } });
  results.push([name, r.status === 0]);
  return r.status === 0;
}

async function postgresReachable() {
  const c = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 3000 });
  try { await c.connect(); await c.end(); return true; } catch { return false; }
}

/** The API test files that also run on PGlite when the PostgreSQL server runs all of them (see above). */
const ON_PGLITE_TOO = [
  'smoke', 'append-only', 'data-folder', 'production-mode', 'deploy-huishan', 'event-delivery', 'time-and-delivery',
  'housekeeping', 'partition-by-district', 'attachments', 'hotline-loop', 'registry-import', 'registry-protection',
  'risk-sensors', 'participation-votes', 'participation-points', 'demo-registry', 'participation-demo',
].map((f) => `test/api/${f}.test.ts`);

/** The tests at the top of test/ (the CLI, the module boundaries, helpers of the console): all of them, so a new file is never left out. */
const TOP_LEVEL = readdirSync('test').filter((f) => f.endsWith('.test.ts')).map((f) => `test/${f}`);

const postgres = await postgresReachable();
if (!postgres && ci) {
  console.error(`PostgreSQL is not reachable at ${pgUrl}; CI requires it.`);
  results.push(['API tests on PostgreSQL', false]);
}
if (postgres) {
  run('unit tests and the engine-specific API tests on PGlite', ['src/', ...TOP_LEVEL, ...ON_PGLITE_TOO], { GONGZHI_TEST_ENGINE: 'pglite' });
  run('API tests on PostgreSQL', ['test/api/'], { GONGZHI_TEST_ENGINE: 'postgres', GONGZHI_TEST_PG_URL: pgUrl });
} else {
  run('unit + API tests on PGlite', [], { GONGZHI_TEST_ENGINE: 'pglite' });
  if (!ci) console.warn(`\nPostgreSQL: no server at ${pgUrl} (set GONGZHI_TEST_PG_URL), so the API tests ran on PGlite only. CI runs them on PostgreSQL.`);
}
if (existsSync('vitest.browser.config.ts')) {
  if (existsSync('/usr/bin/chromium')) run('browser tests', ['-c', 'vitest.browser.config.ts']);
  else if (ci) { console.error('Chromium is missing (/usr/bin/chromium); CI requires it.'); results.push(['browser tests', false]); }
  else console.warn('\nSKIPPED: browser tests (apt-get install -y chromium fonts-noto-cjk). CI runs them.');
}

console.log('\n=== summary');
for (const [name, ok] of results) console.log(`  ${ok ? 'PASS' : 'FAIL'}  ${name}`);
process.exit(results.every(([, ok]) => ok) ? 0 : 1);
