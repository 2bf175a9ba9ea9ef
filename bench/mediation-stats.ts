// Dispute and petition statistics at 100,000 disputes and 50,000 petitions: GET /api/v1/mediation/stats for
// the district command centre (district scope) and a street centre, by category, organisation, mediator and
// region, over 90 days and over a year; the target is p95 < 200 ms on PostgreSQL.
//
//   node bin/run-ts.js bench/mediation-stats.ts [--disputes 100000] [--petitions 50000] [--connections 1,4] [--seconds 5] [--batch 5000]
//                                               [--db gz_bench_mediation] [--keep-db] [--reuse-db]
//
// 1. Scratch database on the PostgreSQL server (BENCH_PG_URL), migrated, seedBase (合川区: 30 streets, 419
//    communities, 1,403 grids; accounts).
// 2. Fill with SQL (INSERT … SELECT over generate_series): a 矛调中心 per street, a 调解室 in every third
//    community, four mediators each; disputes over the last year spread over the grids and the dispute
//    categories, routed to their street's or community's body, the older the likelier concluded (≈ 80 %
//    with an agreement, the rest failed), ≈ 12 % still open with a risk score; petitions over the last year
//    in four forms, ≈ 15 % repeats and 3 % backlog cases. The statistics read only these tables. Then ANALYZE.
// 3. The platform (bench/server.ts platform), each scenario 2 s warm-up + --seconds measured with autocannon at
//    --connections (closed loop: each connection sends its next request when the last is answered).
import { performance } from 'node:perf_hooks';
import {
  arg, numArg, runMain, createScratchDatabase, serverVersion, startServer, login, load, machine, loadAverage,
  waitForQuiet, table, ms, int, gitRevision, dbUrl,
} from './lib.ts';
import { openPostgres } from '../src/platform/db/index.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { seedBase } from '../src/seed/demo.ts';
import { createPlatform } from '../src/app.ts';
import { loadConfig } from '../src/platform/config.ts';
import type { Actor } from '../src/platform/auth/actor.ts';
import type { MediationDeps } from '../src/modules/mediation/deps.ts';
import type { StatsQueryT } from '../src/modules/mediation/contracts.ts';
import { readPetitionLimits } from '../src/modules/mediation/limits.ts';
import { disputeStats, disputeStatsFromRows, petitionStats, petitionStatsFromRows } from '../src/modules/mediation/stats.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Closed loop in this process: `concurrency` callers, each calling again when its call returns; latencies in ms. */
async function closedLoop(fn: () => Promise<unknown>, concurrency: number, seconds: number) {
  const lat: number[] = [];
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < end) { const t = performance.now(); await fn(); lat.push(performance.now() - t); }
  }));
  lat.sort((a, b) => a - b);
  const at = (q: number) => lat[Math.min(lat.length - 1, Math.max(0, Math.ceil(q * lat.length) - 1))];
  return { rps: lat.length / ((performance.now() - t0) / 1000), p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

const DISPUTES = numArg('disputes', 100_000);
const PETITIONS = numArg('petitions', 50_000);
const CONNECTIONS = String(arg('connections', '1,4')).split(',').map(Number);
const SECONDS = numArg('seconds', 5);
const BATCH = numArg('batch', 5000);
const DB_NAME = arg('db', 'gz_bench_mediation');
const TARGET_P95_MS = 200;

const DISPUTE_CATEGORIES = ['130101', '130102', '130103', '130104', '130105', '130106', '130107', '130108', '130201', '130202', '130203', '130204', '130205', '130206', '130207', '130208', '130299'];
const PETITION_CATEGORIES = ['140101', '140102', '140103', '140104', '140105', '140106', '140107', '140108', '140109', '140110', '140199'];

async function fill(url: string): Promise<void> {
  const db = await openPostgres(url, 1);
  const t = performance.now();
  // bodies: a centre per street, a room in every third community; four mediators each
  await db.query(`INSERT INTO mediation_org (district_code, region_code, level, kind, name, specialties)
    SELECT left(code, 6), code, 'street', 'centre', name || '矛调中心', ARRAY['1302'] FROM region WHERE level = 'street'`);
  await db.query(`INSERT INTO mediation_org (district_code, region_code, level, kind, name, specialties, brand)
    SELECT left(code, 6), code, 'community', 'room', name || '调解室', ARRAY['1301'], (row_number() OVER (ORDER BY code)) % 10 = 0
    FROM (SELECT code, name, row_number() OVER (ORDER BY code) AS n FROM region WHERE level = 'community') c WHERE n % 3 = 0`);
  await db.query(`INSERT INTO mediator (district_code, region_code, org_id, name, specialties, gold)
    SELECT o.district_code, o.region_code, o.id, o.name || '调解员' || g, o.specialties, g = 1 FROM mediation_org o, generate_series(1, 4) g`);
  // disputes: grid, category, time over a year, body of the street or the community, outcome by age; in
  // statements of BATCH rows, each adding its rows to the counters (the triggers of migration 0064)
  for (let lo = 1; lo <= DISPUTES; lo += BATCH) await db.query(`
    WITH grids AS (SELECT code, row_number() OVER (ORDER BY code) - 1 AS i, count(*) OVER () AS n FROM region WHERE level = 'grid'),
    d AS (
      SELECT g AS n, (SELECT code FROM grids WHERE i = (g * 7919) % (SELECT max(n) FROM grids)) AS grid,
        ($1::text[])[1 + (g * 31) % array_length($1::text[], 1)] AS category,
        now() - ((g::float / $2) * 365 + random() * 0.5) * interval '1 day' AS received,
        random() AS r, random() AS r2
      FROM generate_series($3::int, $4::int) g
    )
    INSERT INTO dispute (case_id, district_code, street_code, community_code, region_code, case_no, category_code, title, description,
      scale, people_involved, source, method, level, org_id, lead_mediator_id, investigate_by, mediate_by, conclude_by, follow_up_by,
      is_open, success, received_at, accepted_at, agreed_at, failed_at, closed_at, risk_score, risk_level, updated_at)
    SELECT d.n, left(d.grid, 6), left(d.grid, 9), left(d.grid, 12), d.grid, 'TJ' || lpad(d.n::text, 12, '0'), d.category, '纠纷' || d.n, '纠纷简述',
      CASE WHEN d.r < 0.9 THEN 'ordinary' ELSE 'larger' END, 2 + (d.n % 5), 'application', 'people',
      CASE WHEN o.level IS NULL THEN NULL ELSE o.level END, o.id, m.id, m.id, m.id, m.id, m.id,
      open_now, CASE WHEN open_now AND d.r2 < 0.6 THEN NULL WHEN d.r < 0.8 THEN true ELSE false END,
      d.received, d.received + interval '2 hours',
      CASE WHEN (NOT open_now OR d.r2 >= 0.6) AND d.r < 0.8 THEN d.received + (3 + d.r2 * 20) * interval '1 day' END,
      CASE WHEN (NOT open_now OR d.r2 >= 0.6) AND d.r >= 0.8 THEN d.received + (5 + d.r2 * 20) * interval '1 day' END,
      CASE WHEN open_now THEN NULL ELSE d.received + (10 + d.r2 * 30) * interval '1 day' END,
      CASE WHEN open_now THEN (d.n * 13) % 100 ELSE 0 END,
      CASE WHEN NOT open_now THEN 'low' WHEN (d.n * 13) % 100 >= 75 THEN 'critical' WHEN (d.n * 13) % 100 >= 50 THEN 'high' WHEN (d.n * 13) % 100 >= 25 THEN 'medium' ELSE 'low' END,
      now()
    FROM d
    CROSS JOIN LATERAL (SELECT (d.received > now() - interval '40 days' AND d.r2 < 0.7) OR d.r2 < 0.03 AS open_now) x
    LEFT JOIN LATERAL (SELECT id, level FROM mediation_org WHERE region_code = left(d.grid, 12) OR region_code = left(d.grid, 9)
      ORDER BY length(region_code) DESC LIMIT 1) o ON true
    LEFT JOIN LATERAL (SELECT id FROM mediator WHERE org_id = o.id ORDER BY id OFFSET (d.n % 4) LIMIT 1) m ON true`,
    [DISPUTE_CATEGORIES, DISPUTES, lo, Math.min(DISPUTES, lo + BATCH - 1)]);
  console.log(`  ${int(DISPUTES)} disputes in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const t2 = performance.now();
  for (let lo = 1; lo <= PETITIONS; lo += BATCH) await db.query(`
    WITH grids AS (SELECT code, row_number() OVER (ORDER BY code) - 1 AS i FROM region WHERE level = 'grid'),
    p AS (
      SELECT g AS n, (SELECT code FROM grids WHERE i = (g::bigint * 104729) % (SELECT count(*) FROM grids)) AS grid,
        ($1::text[])[1 + (g * 17) % array_length($1::text[], 1)] AS category,
        now() - ((g::float / $2) * 365 + random() * 0.5) * interval '1 day' AS received, random() AS r
      FROM generate_series($3::int, $4::int) g
    )
    INSERT INTO petition (case_id, district_code, street_code, community_code, region_code, case_no, category_code, title, description, form,
      petitioners, first_time, repeat_kind, repeat_count, is_open, received_at, accept_due_on, accepted_at, handle_due_on, answered_at, concluded_at,
      backlog, backlog_at, backlog_closed_at, updated_at)
    SELECT 1000000000 + p.n, left(p.grid, 6), left(p.grid, 9), left(p.grid, 12), p.grid, 'XF' || lpad(p.n::text, 12, '0'), p.category, '信访' || p.n, '信访内容',
      (ARRAY['letter', 'visit', 'call', 'online'])[1 + p.n % 4], CASE WHEN p.r < 0.02 THEN 8 ELSE 1 END, p.r >= 0.15,
      CASE WHEN p.r < 0.15 THEN 'same_person_and_matter' END, CASE WHEN p.r < 0.15 THEN 1 + p.n % 3 ELSE 0 END,
      open_now, p.received, (p.received + interval '15 days')::date, p.received + interval '3 days', (p.received + interval '63 days')::date,
      CASE WHEN NOT open_now THEN p.received + interval '40 days' END, CASE WHEN NOT open_now THEN p.received + interval '75 days' END,
      p.r < 0.03, CASE WHEN p.r < 0.03 THEN p.received + interval '70 days' END, CASE WHEN p.r < 0.03 AND NOT open_now THEN p.received + interval '75 days' END, now()
    FROM p CROSS JOIN LATERAL (SELECT p.received > now() - interval '75 days' OR p.r < 0.01 AS open_now) x`,
    [PETITION_CATEGORIES, PETITIONS, lo, Math.min(PETITIONS, lo + BATCH - 1)]);
  console.log(`  ${int(PETITIONS)} petitions in ${((performance.now() - t2) / 1000).toFixed(1)} s`);
  // as autovacuum would after a day's writes: statistics, and the visibility map the index-only scans read
  await db.exec('VACUUM ANALYZE dispute');
  await db.exec('VACUUM ANALYZE petition');
  await db.exec('VACUUM ANALYZE dispute_tally');
  await db.exec('VACUUM ANALYZE petition_tally');
  await db.close();
}

await runMain(async () => {
  const quiet = await waitForQuiet(Number(arg('max-load', '1.0')), numArg('wait-quiet', 0));
  console.log(`gongzhi mediation statistics benchmark — ${new Date().toISOString()} — git ${gitRevision()}`);
  console.log(`machine: ${machine()}; PostgreSQL ${await serverVersion()}; load average at start: ${loadAverage()}${quiet >= 1 ? '  (busy machine: read ratios, not absolutes)' : ''}`);
  const reuse = arg('reuse-db') === 'true'; // measure again on a database a run kept (--keep-db)
  const url = reuse ? dbUrl(DB_NAME) : await createScratchDatabase(DB_NAME);
  if (!reuse) {
    const setup = await openPostgres(url, 2);
    await migrate(setup);
    await seedBase(setup);
    await setup.close();
    console.log(`filling ${DB_NAME}:`);
    await fill(url);
  }
  const check = await openPostgres(url, 1);
  const [c] = await check.query<any>(`SELECT (SELECT count(*)::int FROM dispute) AS disputes, (SELECT count(*) FILTER (WHERE is_open)::int FROM dispute) AS open,
    (SELECT count(*)::int FROM petition) AS petitions, (SELECT count(*)::int FROM mediation_org) AS orgs, (SELECT count(*)::int FROM mediator) AS mediators,
    pg_size_pretty(pg_total_relation_size('dispute')) AS dispute_size, pg_size_pretty(pg_total_relation_size('petition')) AS petition_size`);
  await check.close();
  console.log(`${int(c.disputes)} disputes (${int(c.open)} open, ${c.dispute_size}), ${int(c.petitions)} petitions (${c.petition_size}), ${c.orgs} bodies, ${c.mediators} mediators`);

  const [t] = await (async () => { const db = await openPostgres(url, 1); const r = await db.query<any>(`SELECT (SELECT count(*)::int FROM dispute_tally) AS d, (SELECT count(*)::int FROM petition_tally) AS p,
    pg_size_pretty(pg_total_relation_size('dispute_tally')) AS size`); await db.close(); return r; })();
  console.log(`counters: ${int(t.d)} dispute_tally rows (${t.size}), ${int(t.p)} petition_tally rows`);

  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const yearAgo = new Date(Date.now() + 8 * 3600_000 - 364 * 86_400_000).toISOString().slice(0, 10);
  type Scenario = { user: 'zhihui' | 'jiedao'; label: string; q: StatsQueryT; xlsx?: boolean };
  const scenarios: Scenario[] = [
    { user: 'zhihui', label: 'district, by category, 90 days', q: { by: 'category' } },
    { user: 'zhihui', label: 'district, by category, a year', q: { by: 'category', from: yearAgo, to: today } },
    { user: 'zhihui', label: 'district, by organisation, a year', q: { by: 'org', from: yearAgo, to: today } },
    { user: 'zhihui', label: 'district, by mediator, a year', q: { by: 'mediator', from: yearAgo, to: today } },
    { user: 'zhihui', label: 'district, by street, a year', q: { by: 'region', from: yearAgo, to: today } },
    { user: 'jiedao', label: 'street, by category, a year', q: { by: 'category', from: yearAgo, to: today } },
    { user: 'zhihui', label: 'district, XLSX export, a year', q: { by: 'category', from: yearAgo, to: today }, xlsx: true },
  ];
  const qs = (q: StatsQueryT) => new URLSearchParams(Object.entries(q).filter(([, v]) => v != null) as Array<[string, string]>).toString();
  const rows: Array<Array<string | number>> = [];

  // 1. In process, the statistics functions alone (what the endpoint awaits: disputes and petitions in
  //    parallel), from the counters and — the baseline — computed from the rows, closed loop at each concurrency.
  const inproc = await createPlatform({ config: loadConfig({ ...process.env, DATABASE_URL: url, GONGZHI_DATA_DIR: join(tmpdir(), 'gongzhi-bench'), GONGZHI_DATA_KEY: 'ab'.repeat(32), LOG_LEVEL: 'silent' } as NodeJS.ProcessEnv), logLevel: 'silent' });
  const deps: MediationDeps = { ctx: inproc.ctx, cases: inproc.cases, limits: readPetitionLimits() };
  const actors: Record<string, Actor> = {};
  for (const user of ['zhihui', 'jiedao']) {
    const [u] = await inproc.ctx.db.query<any>('SELECT id, role, region_code FROM app_user WHERE username = $1', [user]);
    actors[user] = { id: Number(u.id), username: user, displayName: user, role: u.role, unitId: null, unitKind: null, regionCode: u.region_code, locale: 'zh-CN' };
  }
  const ways = {
    counters: (a: Actor, q: StatsQueryT) => Promise.all([disputeStats(deps, a, q), petitionStats(deps, a, q)]),
    'rows (baseline)': (a: Actor, q: StatsQueryT) => Promise.all([disputeStatsFromRows(deps, a, q), petitionStatsFromRows(deps, a, q)]),
  };
  for (const sc of scenarios.filter((x) => !x.xlsx)) {
    const [fast, slow] = await Promise.all([ways.counters(actors[sc.user], sc.q), ways['rows (baseline)'](actors[sc.user], sc.q)]);
    if (JSON.stringify(fast) !== JSON.stringify(slow)) throw new Error(`${sc.label}: the counters and the rows disagree`);
    for (const c of CONNECTIONS) for (const [way, fn] of Object.entries(ways)) {
      await closedLoop(() => fn(actors[sc.user], sc.q), c, 1);
      const r = await closedLoop(() => fn(actors[sc.user], sc.q), c, SECONDS);
      rows.push([sc.label, way, c, int(r.rps), ms(r.p50), ms(r.p95), ms(r.p99), r.p95 < TARGET_P95_MS ? 'yes' : 'NO']);
      console.log(`  ${sc.label} — ${way} — ${c}: ${int(r.rps)}/s, p50 ${ms(r.p50)} ms, p95 ${ms(r.p95)} ms, p99 ${ms(r.p99)} ms`);
    }
  }
  await inproc.close();
  console.log(`\nIn process (the statistics functions, no HTTP), closed loop, 1 s warm-up + ${SECONDS} s each; all figures equal between the two ways\n`);
  console.log(table(['scenario', 'computed from', 'concurrent', 'per s', 'p50 ms', 'p95 ms', 'p99 ms', `p95 < ${TARGET_P95_MS} ms`], rows));

  // 2. Over HTTP, end to end (authentication, scope, JSON or XLSX), from the counters.
  const plat = await startServer('platform', { DATABASE_URL: url, GONGZHI_DATA_KEY: 'ab'.repeat(32) });
  const http: Array<Array<string | number>> = [];
  const tokens: Record<string, string> = {};
  for (const sc of scenarios) {
    const path = `/api/v1/mediation/stats${sc.xlsx ? '.xlsx' : ''}?${qs(sc.q)}`;
    tokens[sc.user] ??= await login(plat.base, sc.user);
    const headers = { authorization: `Bearer ${tokens[sc.user]}` };
    const probe = await fetch(`${plat.base}${path}`, { headers });
    if (probe.status !== 200) throw new Error(`${path}: ${probe.status} ${await probe.text()}`);
    for (const c of CONNECTIONS) {
      await load({ url: `${plat.base}${path}`, headers, connections: c, duration: 1 });
      const r = await load({ url: `${plat.base}${path}`, headers, connections: c, duration: SECONDS });
      http.push([sc.label, sc.user, c, int(r.rps), ms(r.p50), ms(r.p95!), ms(r.p99), r.non2xx + r.errors, r.p95! < TARGET_P95_MS ? 'yes' : 'NO']);
      console.log(`  HTTP ${sc.label} — ${c}: ${int(r.rps)} req/s, p50 ${ms(r.p50)} ms, p95 ${ms(r.p95!)} ms, p99 ${ms(r.p99)} ms`);
    }
  }
  await plat.stop();
  console.log(`\nHTTP, closed loop, 1 s warm-up + ${SECONDS} s each; load average now ${loadAverage()}\n`);
  console.log(table(['scenario', 'as', 'connections', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'errors', `p95 < ${TARGET_P95_MS} ms`], http));
}, 30 * 60_000);
