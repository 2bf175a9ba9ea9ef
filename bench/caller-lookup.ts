// The caller's history (来电人历史) at a million cases: callerHistory() — the operator's lookup of a phone's
// earlier tickets by its keyed hash, in the operator's territory, newest 20 with the count — against a
// lookup of one case by primary key over the same connection pool, measured in the same run.
//
//   node bin/run-ts.js bench/caller-lookup.ts [--cases 1000000] [--phones 200000] [--lookups 5000] [--db gz_bench_caller] [--keep-db] [--reuse-db]
//
// 1. Scratch database on the PostgreSQL server (BENCH_PG_URL), migrated, seedBase (合川区, its accounts).
// 2. Fill with SQL: --cases 12345 tickets over the last year, in the district's grids, each with a caller
//    from a pool of --phones numbers (keyed hashes computed here with the platform's cipher); callers are
//    skewed (index = phones × u², u uniform): most call once or a few times, a few "professional callers"
//    call thousands of times. Then VACUUM ANALYZE.
// 3. In this process, interleaved (one of each in turn), --lookups each (after 500 uncounted): a case by primary key
//    (baseline, SELECT * FROM "case" WHERE id = $1), callerHistory() for a phone drawn from the cases (weighted
//    as calls arrive: frequent callers call more), and for a phone drawn uniformly from the pool (mostly
//    occasional callers), as the district hotline operator (rexian, district scope).
import { performance } from 'node:perf_hooks';
import { arg, numArg, runMain, createScratchDatabase, serverVersion, machine, loadAverage, table, ms, int, gitRevision, dbUrl } from './lib.ts';
import { openPostgres } from '../src/platform/db/index.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { seedBase } from '../src/seed/demo.ts';
import { createCipher, maskPhone } from '../src/platform/crypto.ts';
import { createPlatform } from '../src/app.ts';
import { loadConfig } from '../src/platform/config.ts';
import { getActor } from '../src/platform/auth/service.ts';
import { callerHistoryOf } from '../src/modules/cases/index.ts';
import { mulberry32 } from '../src/seed/case-texts.ts';

const CASES = numArg('cases', 1_000_000);
const PHONES = numArg('phones', 200_000);
const LOOKUPS = numArg('lookups', 5000);
const WARMUP = 500;
const DB_NAME = arg('db', 'gz_bench_caller');
const DATA_KEY = 'cd'.repeat(32);
const TARGET_P99_MS = 20;

const phoneOf = (i: number) => `139${String(i).padStart(8, '0')}`;

async function fill(url: string, n: number): Promise<void> {
  const db = await openPostgres(url, 1);
  const t0 = performance.now();
  const step = (what: string) => console.log(`  ${what} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  const cipher = createCipher(Buffer.from(DATA_KEY, 'hex'));
  const cols: unknown[][] = [[], [], [], []];
  for (let i = 0; i < PHONES; i++) {
    const p = phoneOf(i);
    cols[0].push(i); cols[1].push(cipher.lookupHash(p)); cols[2].push(maskPhone(p)); cols[3].push(cipher.encrypt(p));
  }
  await db.exec('CREATE TABLE bench_phone (idx int PRIMARY KEY, hash text, masked text, sealed text)');
  await db.query('INSERT INTO bench_phone SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[])', cols);
  await db.exec(`CREATE TABLE bench_grid AS SELECT (row_number() OVER (ORDER BY code) - 1)::int AS idx, code FROM region WHERE level = 'grid';
    ALTER TABLE bench_grid ADD PRIMARY KEY (idx)`);
  const [{ grids }] = await db.query<{ grids: number }>('SELECT count(*)::int AS grids FROM bench_grid');
  const [{ rexian }] = await db.query<{ rexian: number }>(`SELECT id AS rexian FROM app_user WHERE username = 'rexian'`);
  const [{ cat }] = await db.query<{ cat: string }>(`SELECT code AS cat FROM category WHERE 'hotline' = ANY(case_types) AND limit_minutes IS NOT NULL ORDER BY code LIMIT 1`);
  step(`${int(PHONES)} phones, ${grids} grids`);
  await db.exec(`ALTER TABLE "case" SET (autovacuum_enabled = false)`);
  await db.exec(`SET session_replication_role = replica; SET synchronous_commit = off; SET work_mem = '256MB'; SELECT setseed(0.2026)`);
  const CHUNK = 100_000;
  for (let from = 1; from <= n; from += CHUNK) {
    const to = Math.min(n, from + CHUNK - 1);
    await db.query(`
      WITH s AS (
        SELECT i, $1::timestamptz - (365.0 * (1 - i::float8 / ${n})) * interval '1 day' AS created_at,
          floor(random() * ${grids})::int AS gidx, floor(${PHONES} * power(random(), 2))::int AS pidx, random() AS r
        FROM generate_series(${from}, ${to}) i
      )
      INSERT INTO "case" (case_no, public_token, type, workflow_version, state, category_code, title, description, channel, urgency,
        region_code, district_code, street_code, community_code, reporter_phone, reporter_phone_hash, reporter_phone_masked,
        appeal_kind, time_mode, step_started_at, is_open, outcome, created_by, created_at, updated_at, closed_at, seq)
      SELECT 'RX' || to_char(s.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') || lpad(s.i::text, 7, '0'), substr(md5(s.i::text), 1, 12),
        'hotline', 4, CASE WHEN s.r < 0.15 THEN 'handling' ELSE 'closed' END, $2, '来电反映', '来电反映的问题', 'hotline', 'normal',
        g.code, substr(g.code, 1, 6), substr(g.code, 1, 9), substr(g.code, 1, 12), p.sealed, p.hash, p.masked,
        (ARRAY['help','complaint','consult','report','suggestion','praise'])[1 + floor(s.r * 6)::int], 'working', s.created_at,
        s.r < 0.15, CASE WHEN s.r >= 0.15 THEN 'resolved' END, $3, s.created_at, s.created_at, CASE WHEN s.r >= 0.15 THEN s.created_at END, 1
      FROM s JOIN bench_grid g ON g.idx = s.gidx JOIN bench_phone p ON p.idx = s.pidx ORDER BY s.i`, [new Date(), cat, rexian]);
    if (to === n || (to / CHUNK) % 2 === 0) step(`${int(to)} cases`);
  }
  await db.exec(`SELECT setval('case_no_seq', ${n + 1}); RESET session_replication_role`);
  await db.exec('VACUUM ANALYZE "case"');
  await db.exec(`ALTER TABLE "case" RESET (autovacuum_enabled)`);
  step('VACUUM ANALYZE');
  await db.close();
}

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

/** Runs the scenarios interleaved (one of each in turn), so that a busy machine's swings fall on all of them alike. */
async function timedTogether(scenarios: Array<{ label: string; run(i: number): Promise<unknown> }>, count: number) {
  for (let i = 0; i < WARMUP; i++) for (const s of scenarios) await s.run(i);
  const xs = scenarios.map(() => [] as number[]);
  for (let i = 0; i < count; i++) {
    for (const [k, s] of scenarios.entries()) {
      const t = performance.now();
      await s.run(WARMUP + i);
      xs[k].push(performance.now() - t);
    }
  }
  return scenarios.map((s, k) => {
    const v = xs[k].sort((a, b) => a - b);
    return { label: s.label, n: count, p50: pct(v, 50), p95: pct(v, 95), p99: pct(v, 99), max: v[v.length - 1], mean: v.reduce((a, b) => a + b, 0) / v.length };
  });
}

await runMain(async () => {
  console.log(`gongzhi caller-lookup benchmark — ${new Date().toISOString()} — git ${gitRevision()}`);
  console.log(`machine: ${machine()}; PostgreSQL ${await serverVersion()}; load average at start: ${loadAverage()}`);
  const reuse = arg('reuse-db') === 'true';
  const url = reuse ? dbUrl(DB_NAME) : await createScratchDatabase(DB_NAME);
  if (!reuse) {
    const setup = await openPostgres(url, 2);
    await migrate(setup);
    await seedBase(setup);
    await setup.close();
    console.log(`filling ${DB_NAME} with ${int(CASES)} cases, ${int(PHONES)} callers:`);
    await fill(url, CASES);
  }
  const db = await openPostgres(url, 4);
  const [s] = await db.query<any>(`SELECT count(*)::int AS cases, count(DISTINCT reporter_phone_hash)::int AS callers,
      pg_size_pretty(pg_total_relation_size('"case"')) AS size FROM "case"`);
  const per = await db.query<{ n: number }>(`SELECT n FROM (SELECT count(*)::int AS n FROM "case" GROUP BY reporter_phone_hash) x ORDER BY n`);
  const counts = per.map((r) => r.n);
  console.log(`${int(s.cases)} cases, ${int(s.callers)} distinct callers (tickets per caller: median ${pct(counts, 50)}, p99 ${pct(counts, 99)}, max ${counts[counts.length - 1]}); "case" ${s.size}`);

  const config = loadConfig({ DATABASE_URL: url, GONGZHI_DATA_KEY: DATA_KEY, LOG_LEVEL: 'silent' } as NodeJS.ProcessEnv);
  const p = await createPlatform({ config, db, logLevel: 'silent' });
  try {
    const [{ id: rexianId }] = await db.query<{ id: number }>(`SELECT id FROM app_user WHERE username = 'rexian'`);
    const actor = (await getActor(db, Number(rexianId)))!;
    const rng = mulberry32(20261206);
    const total = WARMUP + LOOKUPS;
    const ids = Array.from({ length: total }, () => 1 + Math.floor(rng() * CASES));
    // phones as calls arrive: the caller of a random case (frequent callers come up as often as they call)
    const arriving = await db.query<{ idx: number }>(
      `SELECT p.idx FROM unnest($1::bigint[]) WITH ORDINALITY AS x(id, o) JOIN "case" c ON c.id = x.id JOIN bench_phone p ON p.hash = c.reporter_phone_hash ORDER BY x.o`,
      [Array.from({ length: total }, () => 1 + Math.floor(rng() * CASES))]);
    const uniform = Array.from({ length: total }, () => Math.floor(rng() * PHONES));
    let seen = 0;
    const rows = await timedTogether([
      { label: 'baseline: SELECT * FROM "case" WHERE id = $1', run: (i) => db.query('SELECT * FROM "case" WHERE id = $1', [ids[i]], { prepare: true }) },
      { label: 'callerHistory(): phone of an arriving call', run: async (i) => { seen += (await callerHistoryOf(p.cases, actor, phoneOf(arriving[i % arriving.length].idx))).count; } },
      { label: 'callerHistory(): phone drawn uniformly from the pool', run: async (i) => { seen += (await callerHistoryOf(p.cases, actor, phoneOf(uniform[i]))).count; } },
    ], LOOKUPS);
    console.log(`\nlookups in this process, one at a time, interleaved, ${int(LOOKUPS)} each after ${WARMUP} uncounted (${int(seen)} tickets found in all); load average now ${loadAverage()}`);
    console.log(table(['what', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'mean ms', 'p99 / baseline p99'],
      rows.map((r) => [r.label, ms(r.p50), ms(r.p95), ms(r.p99), ms(r.max), ms(r.mean), (r.p99 / rows[0].p99).toFixed(1)])));
    const worst = Math.max(rows[1].p99, rows[2].p99);
    console.log(`\ntarget: caller lookup p99 < ${TARGET_P99_MS} ms: ${worst < TARGET_P99_MS ? 'met' : 'NOT met'} (${ms(worst)} ms)`);
  } finally {
    await p.close();
  }
}, 3_600_000);
