#!/usr/bin/env node
// `npm test`: unit + API tests on PGlite, the API tests again on the PostgreSQL server, then the
// browser tests. Under CI=true a missing PostgreSQL server or Chromium is a failure, not a skip.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
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

run('unit + API tests on PGlite', [], { GONGZHI_TEST_ENGINE: 'pglite' });
if (await postgresReachable()) {
  run('API tests on PostgreSQL', ['test/api/'], { GONGZHI_TEST_ENGINE: 'postgres', GONGZHI_TEST_PG_URL: pgUrl });
} else if (ci) {
  console.error(`PostgreSQL is not reachable at ${pgUrl}; CI requires it.`);
  results.push(['API tests on PostgreSQL', false]);
} else {
  console.warn(`\nSKIPPED: PostgreSQL tests (no server at ${pgUrl}; set GONGZHI_TEST_PG_URL). CI runs them.`);
}
if (existsSync('vitest.browser.config.ts')) {
  if (existsSync('/usr/bin/chromium')) run('browser tests', ['-c', 'vitest.browser.config.ts']);
  else if (ci) { console.error('Chromium is missing (/usr/bin/chromium); CI requires it.'); results.push(['browser tests', false]); }
  else console.warn('\nSKIPPED: browser tests (apt-get install -y chromium fonts-noto-cjk). CI runs them.');
}

console.log('\n=== summary');
for (const [name, ok] of results) console.log(`  ${ok ? 'PASS' : 'FAIL'}  ${name}`);
process.exit(results.every(([, ok]) => ok) ? 0 : 1);
