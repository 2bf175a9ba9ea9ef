// The long run of the generated hostile-input test (test/api/hostile-generated.test.ts runs the quick
// one): ≥ 50,000 generated requests on every write operation of /openapi.json, each answer checked
// (never 5xx; 4xx problem+json with code and detail; 429 with Retry-After) and every refused write
// checked to leave the row count and largest id of every table unchanged. The platform runs in this
// process (createPlatform + inject) on a scratch database of the PostgreSQL server, or PGlite with
// --engine pglite. Prints the counts as a markdown table for bench/README.md.
//   node bin/run-ts.js bench/hostile.ts [--requests 50000] [--seed N] [--engine postgres|pglite]
import { createPlatform } from '../src/app.ts';
import { loadConfig } from '../src/platform/config.ts';
import { openPglite, openPostgres, type Db } from '../src/platform/db/index.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { seedBase, DEMO_PASSWORD } from '../src/seed/demo.ts';
import { ensureAdmin } from '../src/platform/auth/bootstrap.ts';
import { runHostile, type HostileRun } from '../test/helpers/hostile-run.ts';
import { writeOperations } from '../test/helpers/hostile.ts';
import { arg, createScratchDatabase, gitRevision, int, machine, numArg, runMain, table } from './lib.ts';

const ADMIN_PASSWORD = 'hostile-bench-2026';

async function main() {
  const target = numArg('requests', 50_000);
  const seed = numArg('seed', Date.now() % 1_000_000);
  const engine = arg('engine', 'postgres');
  let db: Db;
  if (engine === 'pglite') db = await openPglite();
  else db = await openPostgres(await createScratchDatabase(`gz_bench_hostile_${process.pid}`), 4);
  await migrate(db);
  await seedBase(db);
  await ensureAdmin(db, ADMIN_PASSWORD);
  const config = loadConfig({ GONGZHI_DATA_DIR: '.tmp/bench-hostile', GONGZHI_DATA_KEY: 'cd'.repeat(32), LOG_LEVEL: 'silent' } as NodeJS.ProcessEnv);
  const p = await createPlatform({ config, db, logLevel: 'silent' });
  await p.http.ready();
  const login = async (u: string) => {
    const r = await p.http.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: u, password: u === 'admin' ? ADMIN_PASSWORD : DEMO_PASSWORD } });
    return r.statusCode === 200 ? (JSON.parse(r.body).token as string) : null;
  };
  const tokens: Record<string, string | null> = { anonymous: null };
  for (const u of ['admin', 'zhihui', 'jiedao', 'shequ', 'rexian', 'chengguan', 'jumin']) tokens[u] = await login(u);
  const ops = writeOperations(JSON.parse((await p.http.inject({ method: 'GET', url: '/openapi.json' })).body)).length;
  const total: HostileRun = { requests: 0, byStatus: {}, failures: [] };
  const started = Date.now();
  // rounds of a few samples per operation, each round with its own seeds, until the target is reached
  for (let round = 0; total.requests < target; round++) {
    const run = await runHostile({ http: p.http, db, tokens, samplesPerOperation: 25, seed: seed + round * 1000, relogin: login,
      onFailure: (f) => console.error(`FAILURE ${f}`) });
    total.requests += run.requests;
    for (const [s, n] of Object.entries(run.byStatus)) total.byStatus[Number(s)] = (total.byStatus[Number(s)] ?? 0) + n;
    total.failures.push(...run.failures);
    console.error(`round ${round + 1}: ${int(total.requests)} requests, ${total.failures.length} failures, ${((Date.now() - started) / 60_000).toFixed(1)} min`);
  }
  await p.close();

  const fivexx = Object.entries(total.byStatus).filter(([s]) => Number(s) >= 500).reduce((n, [, c]) => n + c, 0);
  console.log(`\nMeasured ${new Date().toISOString().slice(0, 10)} at ${gitRevision()} on ${machine()}, ${engine}, seed ${seed}, ${ops} write operations, `
    + `${((Date.now() - started) / 60_000).toFixed(1)} min.\n`);
  console.log(table(['status', 'answers'], Object.entries(total.byStatus).sort(([a], [b]) => Number(a) - Number(b)).map(([s, n]) => [s, int(n)])));
  console.log(`\nrequests ${int(total.requests)}; 5xx ${fivexx}; answers that broke a rule ${total.failures.length}`);
  for (const f of total.failures.slice(0, 30)) console.log(`- ${f}`);
  if (fivexx || total.failures.length) process.exitCode = 1;
}

await runMain(main, 4 * 3600_000);
