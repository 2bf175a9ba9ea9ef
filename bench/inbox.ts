// Case lists and inboxes at a million cases: GET /api/v1/cases and GET /api/v1/cases?inbox=true&sort=due_at (the console's inbox) for a street
// centre (territorial scope), a department (assignment scope) and the district 12345 hotline, beside a bare
// SELECT-by-primary-key endpoint measured in the same run.
//
//   node bin/run-ts.js bench/inbox.ts [--cases 1000000] [--connections 32] [--light-connections 4] [--seconds 10] [--db gz_bench_inbox]
//                                     [--keep-db] [--no-explain | --explain] [--only-fill] [--reuse-db] [--setup-sql FILE] [--users a,b]
//   --reuse-db: measure on a database this script filled before (--keep-db --only-fill), without filling or dropping it
//
// 1. Scratch database on the PostgreSQL server (BENCH_PG_URL), migrated, seedBase (合川区: 30 streets,
//    419 communities, 1,403 grids; units; responsibility list; accounts).
// 2. Fill with SQL (INSERT … SELECT over generate_series, not the API): cases spread uniformly over the
//    grids, created_at over the last year in id order; the younger a case, the likelier it is still open
//    (≈ 15 % open overall); open cases are in every open state of their workflow, with lead units from the
//    responsibility list (or the street centre, 属地兜底); case_assignment rows for every dispatched case
//    ('lead', plus 'assist' from the list, 'summoned' for a few whistles), 'report' flow records for open cases,
//    encrypted reporter names and phones. Then VACUUM ANALYZE.
// 3. Baseline (bench/server.ts baseline): SELECT * FROM "case" WHERE id = $1 for random ids.
// 4. Platform (bench/server.ts platform): each scenario warm-up + measured run with autocannon, three ways:
//    --connections as fast as answered (saturation: the p99 is mostly queueing on two cores), --light-connections
//    as fast as answered, and open-loop at half the rate the first run reached, evenly spaced over up to
//    --connections sockets after 2 s at that rate (latency under load below saturation; lib.ts paced). The baseline SELECT runs the same three.
// 5. EXPLAIN (ANALYZE, BUFFERS) of each scenario's list query, captured from listCases itself.
import { performance } from 'node:perf_hooks';
import {
  arg, numArg, runMain, createScratchDatabase, serverVersion, startServer, login, load, machine, loadAverage,
  waitForQuiet, table, ms, int, paced, gitRevision, runSetupSql, cpuMeter, dbUrl, type LoadResult, type CpuUse,
} from './lib.ts';

/** half the rate a saturated run reached: the open-loop run's load */
const halfRate = (r: LoadResult) => Math.max(1, Math.round(r.rps / 2));
const cpuPerRequest = (c: CpuUse, r: LoadResult) => `${(c.server / r.completed).toFixed(3)} + ${(c.postgres / r.completed).toFixed(3)}`;
import { openPostgres, type Db } from '../src/platform/db/index.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { seedBase } from '../src/seed/demo.ts';
import { categories } from '../src/seed/categories-data.ts';
import { generateCaseText, mulberry32 } from '../src/seed/case-texts.ts';
import { createCipher, maskPhone } from '../src/platform/crypto.ts';
import { createPlatform } from '../src/app.ts';
import { loadConfig } from '../src/platform/config.ts';
import { getActor } from '../src/platform/auth/service.ts';
import { listCases, ListQuery } from '../src/modules/cases/index.ts';
import type { DemoRegion } from '../src/modules/regions/demo-region-data.ts';

const CASES = numArg('cases', 1_000_000);
const CONNECTIONS = numArg('connections', 32);
/** a second, light run per scenario: latency when the server is not saturated */
const LIGHT = numArg('light-connections', 4);
const SECONDS = numArg('seconds', 10);
const WARMUP_SECONDS = numArg('warmup', 2);
const DB_NAME = arg('db', 'gz_bench_inbox');
const DATA_KEY = 'ab'.repeat(32);
const TARGET_P99_MS = 50;
const ALL_USERS = [
  { username: 'jiedao', label: 'street centre (jiedao, street scope)' },
  { username: 'chengguan', label: 'department (chengguan, assignments)' },
  { username: 'rexian', label: 'district hotline (rexian, district scope)' },
];
// --users jiedao,rexian measures some of them (for an A/B of one change)
const USERS = arg('users') ? ALL_USERS.filter((u) => arg('users')!.split(',').includes(u.username)) : ALL_USERS;

// ---------------------------------------------------------------------------------------------
// Fill

/** Per case type, a pool of realistic texts with their category, responsible unit and encrypted reporter. */
async function loadTextPool(db: Db, regions: DemoRegion[], perType: number): Promise<void> {
  const rng = mulberry32(20261202);
  const cipher = createCipher(Buffer.from(DATA_KEY, 'hex'));
  const resp = new Map((await db.query<{ category_code: string; lead_unit_id: string; assist_unit_ids: string[] }>(
    'SELECT category_code, lead_unit_id, assist_unit_ids FROM responsibility')).map((r) => [r.category_code, r]));
  const communities = regions.filter((r) => r.level === 'community');
  const byCode = new Map(regions.map((r) => [r.code, r]));
  const cols: unknown[][] = Array.from({ length: 13 }, () => []);
  for (const type of ['hotline', 'grid_event', 'urban'] as const) {
    const leaves = categories.filter((c) => c.limitHours != null && c.caseTypes.includes(type));
    for (let i = 0; i < perType; i++) {
      const cat = leaves[Math.floor(rng() * leaves.length)];
      const community = communities[Math.floor(rng() * communities.length)];
      const street = byCode.get(community.parentCode!)!;
      const t = generateCaseText(rng, cat.code, { streetName: street.shortName, communityName: community.shortName });
      const r = resp.get(cat.code);
      const rep = type !== 'grid_event' || rng() < 0.5; // grid workers often report without a resident
      [type, i, cat.code, Math.round((cat.limitHours ?? 35) * 60), t.title, t.description, t.address, r?.lead_unit_id ?? null,
        JSON.stringify(r?.assist_unit_ids ?? []), rep ? cipher.encrypt(t.reporterName) : null,
        rep ? cipher.encrypt(t.reporterPhone) : null, rep ? cipher.lookupHash(t.reporterPhone) : null, rep ? maskPhone(t.reporterPhone) : null,
      ].forEach((v, c) => cols[c].push(v));
    }
  }
  await db.exec(`CREATE TABLE bench_text (type text, idx int, category_code text, limit_minutes int, title text, description text,
    address text, lead_unit_id text, assist_unit_ids text[], reporter_name text, reporter_phone text, phone_hash text, phone_masked text,
    PRIMARY KEY (type, idx))`);
  await db.query(`INSERT INTO bench_text SELECT t.type, t.idx, t.category_code, t.limit_minutes, t.title, t.description, t.address,
      t.lead_unit_id, ARRAY(SELECT jsonb_array_elements_text(t.assist)), t.reporter_name, t.reporter_phone, t.phone_hash, t.phone_masked
    FROM unnest($1::text[], $2::int[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[], $9::jsonb[], $10::text[],
      $11::text[], $12::text[], $13::text[])
      AS t(type, idx, category_code, limit_minutes, title, description, address, lead_unit_id, assist, reporter_name, reporter_phone, phone_hash, phone_masked)`,
  cols);
}

const FILLED = ['"case"', 'case_assignment', 'flow_record'];

async function fill(url: string, regions: DemoRegion[], n: number): Promise<void> {
  const db = await openPostgres(url, 1); // one connection: the session settings below hold for every statement
  const POOL = 1000;
  const t0 = performance.now();
  const step = (what: string) => console.log(`  ${what} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  await loadTextPool(db, regions, POOL);
  await db.exec(`CREATE TABLE bench_grid AS
    SELECT (row_number() OVER (ORDER BY r.code) - 1)::int AS idx, r.code, substr(r.code, 1, 9) AS street_code,
      substr(r.code, 1, 12) AS community_code, r.centroid_lng, r.centroid_lat,
      (SELECT id FROM app_user WHERE username = 'wg' || r.code) AS worker_id,
      (SELECT id FROM app_user WHERE username = 'jd' || substr(r.code, 1, 9)) AS centre_id
    FROM region r WHERE r.level = 'grid';
    ALTER TABLE bench_grid ADD PRIMARY KEY (idx)`);
  const [{ grids }] = await db.query<{ grids: number }>('SELECT count(*)::int AS grids FROM bench_grid');
  const [u] = await db.query<{ rexian: number; jumin: number }>(
    `SELECT (SELECT id FROM app_user WHERE username = 'rexian') AS rexian, (SELECT id FROM app_user WHERE username = 'jumin') AS jumin`);
  step(`text pool ${3 * POOL}, ${grids} grids`);

  // Autovacuum stays off until our own VACUUM: an auto-ANALYZE running meanwhile holds a snapshot that keeps
  // VACUUM from marking the new pages all-visible (no index-only scans on case_assignment then).
  for (const t of FILLED) await db.exec(`ALTER TABLE ${t} SET (autovacuum_enabled = false)`);
  // Generated rows are consistent by construction; skipping the per-row FK triggers makes the fill ~2× faster.
  await db.exec(`SET session_replication_role = replica; SET synchronous_commit = off; SET work_mem = '256MB'; SELECT setseed(0.2026)`);
  const now = new Date();
  const CHUNK = 100_000;
  for (let from = 1; from <= n; from += CHUNK) {
    const to = Math.min(n, from + CHUNK - 1);
    await db.query(`
      WITH s AS (
        SELECT i, a.age, a.created_at, a.r, a.type,
          (a.r[2] < 0.11 + 0.8 * exp(-a.age / 20)) AS is_open
        FROM generate_series(${from}, ${to}) i,
        LATERAL (SELECT 365.0 * (1 - i::float8 / ${n}) + random() * 0.01 AS age, array[random(), random(), random(), random(), random(), random(), random(), random(), random()] AS r) a0,
        LATERAL (SELECT a0.age, $1::timestamptz - a0.age * interval '1 day' AS created_at, a0.r,
                   CASE WHEN a0.r[1] < 0.5 THEN 'hotline' WHEN a0.r[1] < 0.8 THEN 'grid_event' ELSE 'urban' END AS type) a
      ), st AS (
        SELECT s.*,
          CASE WHEN NOT is_open THEN (CASE WHEN r[3] < 0.94 THEN 'closed' WHEN r[3] < 0.985 THEN 'rejected' ELSE 'merged' END)
            WHEN age > 30 AND r[4] < 0.5 THEN 'suspended'
            WHEN r[3] < 0.08 THEN 'reported'
            WHEN r[3] < 0.18 THEN (CASE type WHEN 'urban' THEN 'filed' ELSE 'accepted' END)
            WHEN r[3] < 0.30 THEN 'dispatched'
            WHEN r[3] < 0.70 THEN 'handling'
            WHEN r[3] < 0.78 THEN 'suspended'
            WHEN r[3] < 0.88 THEN 'replied'
            ELSE (CASE type WHEN 'hotline' THEN 'awaiting_callback' ELSE 'verified' END) END AS state,
          floor(r[6] * ${grids})::int AS gidx, floor(r[7] * ${POOL})::int AS tidx
        FROM s
      ), x AS (
        SELECT st.*, g.code AS region_code, g.street_code, g.community_code, g.centroid_lng, g.centroid_lat, g.worker_id, g.centre_id,
          t.category_code, t.limit_minutes, t.title, t.description, t.address, t.reporter_name, t.reporter_phone, t.phone_hash, t.phone_masked,
          coalesce(t.lead_unit_id, 'sc-' || g.street_code) AS route_unit, t.lead_unit_id IS NOT NULL AS by_list, t.assist_unit_ids,
          (st.state IN ('dispatched','handling','suspended','replied','awaiting_callback','verified')
            OR (st.state = 'closed' AND r[5] < 0.85)) AS has_lead,
          CASE WHEN NOT st.is_open THEN least($1::timestamptz, st.created_at + (0.2 + r[8] * 9) * interval '1 day')
            ELSE st.created_at + ($1::timestamptz - st.created_at) * (r[8] * 0.6) END AS step_at,
          CASE st.state WHEN 'handling' THEN t.limit_minutes WHEN 'suspended' THEN NULL WHEN 'reported' THEN 60 ELSE 240 END AS lim
        FROM st JOIN bench_grid g ON g.idx = st.gidx JOIN bench_text t ON t.type = st.type AND t.idx = st.tidx
      )
      INSERT INTO "case" (case_no, public_token, type, workflow_version, state, prev_state, category_code, title, description,
        channel, urgency, region_code, district_code, street_code, community_code, lat, lng, address, reporter_user_id,
        reporter_name, reporter_phone, reporter_phone_hash, reporter_phone_masked, lead_unit_id, suggested_unit_id,
        suggested_assist_unit_ids, suggestion_source, time_mode, step_started_at, step_limit_minutes, yellow_at, due_at,
        remaining_minutes, overdue_flagged, whistle_level, rating, is_open, outcome, created_by, created_at, updated_at, closed_at, seq)
      SELECT
        (CASE type WHEN 'hotline' THEN 'RX' WHEN 'grid_event' THEN 'WG' ELSE 'CG' END)
          || to_char(created_at AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') || lpad(i::text, 7, '0'),
        substr(md5(i::text), 1, 12), type, 1, state, CASE WHEN state = 'suspended' THEN 'handling' END,
        category_code, title, description,
        CASE WHEN type = 'grid_event' THEN 'grid_patrol' WHEN type = 'urban' THEN 'web' WHEN r[9] < 0.05 THEN 'resident_app' WHEN r[9] < 0.15 THEN 'web' ELSE 'hotline' END,
        CASE WHEN r[9] > 0.96 THEN 'urgent' ELSE 'normal' END,
        region_code, '500117', street_code, community_code,
        centroid_lat + (r[6] - 0.5) * 0.0005, centroid_lng + (r[7] - 0.5) * 0.0005, address,
        CASE WHEN type = 'hotline' AND r[9] < 0.05 THEN ${u.jumin}::bigint END,
        reporter_name, reporter_phone, phone_hash, phone_masked,
        CASE WHEN has_lead THEN route_unit END, route_unit,
        CASE WHEN by_list THEN assist_unit_ids ELSE '{}' END,
        CASE WHEN by_list THEN 'responsibility_list' ELSE 'territorial_fallback' END,
        'working', step_at,
        CASE WHEN is_open THEN lim END,
        CASE WHEN is_open AND lim IS NOT NULL THEN step_at + lim * 3.4 * 0.8 * interval '1 minute' END,
        CASE WHEN is_open AND lim IS NOT NULL THEN step_at + lim * 3.4 * interval '1 minute' END,
        CASE WHEN state = 'suspended' THEN 600 END,
        is_open AND lim IS NOT NULL AND step_at + lim * 3.4 * interval '1 minute' < $1::timestamptz,
        CASE WHEN is_open AND type <> 'hotline' AND state = 'handling' AND r[4] < 0.05 THEN 'street' END,
        CASE WHEN state = 'closed' AND type = 'hotline' THEN (CASE WHEN r[4] < 0.1 THEN 'unsatisfied' WHEN r[4] < 0.3 THEN 'basically_satisfied' ELSE 'satisfied' END) END,
        is_open, CASE state WHEN 'closed' THEN 'resolved' WHEN 'rejected' THEN 'declined' WHEN 'merged' THEN 'duplicate' END,
        CASE type WHEN 'hotline' THEN ${u.rexian}::bigint WHEN 'grid_event' THEN worker_id ELSE centre_id END,
        created_at, step_at, CASE WHEN NOT is_open THEN step_at END,
        CASE WHEN is_open THEN 1 ELSE 0 END
      FROM x ORDER BY i`, [now]);
    if (to === n || (to / CHUNK) % 2 === 0) step(`${int(to)} cases`);
  }
  await db.exec(`SELECT setval('case_no_seq', ${n + 1})`);

  // Units on the cases: the lead of every dispatched case, assisting units from the list, summoned units of whistles.
  await db.exec(`
    INSERT INTO case_assignment (case_id, district_code, region_code, unit_id, role, status, assigned_at)
    SELECT id, district_code, region_code, lead_unit_id, 'lead', CASE WHEN is_open THEN 'active' ELSE 'done' END, created_at + interval '30 minutes'
    FROM "case" WHERE lead_unit_id IS NOT NULL ORDER BY id;
    INSERT INTO case_assignment (case_id, district_code, region_code, unit_id, role, status, assigned_at)
    SELECT c.id, c.district_code, c.region_code, a.unit, 'assist', CASE WHEN c.is_open THEN 'active' ELSE 'done' END, c.created_at + interval '30 minutes'
    FROM "case" c CROSS JOIN LATERAL unnest(c.suggested_assist_unit_ids) a(unit)
    WHERE c.lead_unit_id IS NOT NULL AND c.lead_unit_id = c.suggested_unit_id ORDER BY c.id;
    INSERT INTO case_assignment (case_id, district_code, region_code, unit_id, role, status, whistle_level, assigned_at, report_in_due_at, due_at)
    SELECT c.id, c.district_code, c.region_code, u.unit, 'summoned', 'active', 'street', c.step_started_at,
      c.step_started_at + interval '2 hours', c.step_started_at + interval '3 days'
    FROM "case" c CROSS JOIN (VALUES ('dept-chengguan'), ('dept-shichang')) u(unit)
    WHERE c.whistle_level IS NOT NULL ORDER BY c.id`);
  step('case_assignment');
  await db.exec(`
    INSERT INTO flow_record (case_id, district_code, region_code, seq, action, from_state, to_state, actor_id, actor_kind, at, due_at, data)
    SELECT id, district_code, region_code, 0, 'report', NULL, 'reported', created_by, 'user', created_at, NULL,
      jsonb_build_object('channel', channel, 'suggestion', jsonb_build_object('leadUnitId', suggested_unit_id, 'source', suggestion_source))
    FROM "case" WHERE is_open ORDER BY id`);
  step('flow_record');
  await db.exec('RESET session_replication_role; DROP TABLE bench_text; DROP TABLE bench_grid');
  for (const t of FILLED) await db.exec(`VACUUM (ANALYZE) ${t}`);
  for (const t of FILLED) await db.exec(`ALTER TABLE ${t} RESET (autovacuum_enabled)`);
  step('VACUUM ANALYZE');
  await db.close();
}

// ---------------------------------------------------------------------------------------------
// EXPLAIN of the list query exactly as listCases builds it

async function explainScenarios(url: string, users: number[]): Promise<Array<{ user: string; inbox: boolean; ms: number; plan: string }>> {
  const real = await openPostgres(url, 2);
  let captured: string | null = null;
  const db: Db = {
    ...real,
    engine: 'postgres',
    async query<T>(sql: string, params: readonly unknown[] = []) {
      if (/^\s*SELECT c\.[\w, .*]+ FROM "case" c WHERE/.test(sql)) { // the page query (with its list columns), not the count
        const rows = await real.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
        captured = rows.map((r) => r['QUERY PLAN']).join('\n');
      }
      return real.query<T>(sql, params);
    },
    transaction: (fn) => real.transaction(fn),
    exec: (sql) => real.exec(sql),
    close: () => real.close(),
  };
  const config = loadConfig({ DATABASE_URL: url, GONGZHI_DATA_KEY: DATA_KEY, LOG_LEVEL: 'silent' } as NodeJS.ProcessEnv);
  const p = await createPlatform({ config, db, logLevel: 'silent' });
  const out: Array<{ user: string; inbox: boolean; ms: number; plan: string }> = [];
  try {
    for (const id of users) {
      const actor = (await getActor(real, id))!;
      for (const inbox of [false, true]) {
        const q = ListQuery.parse(inbox ? { inbox: 'true', sort: 'due_at' } : {});
        await listCases(p.cases, actor, q); // warm
        captured = null;
        await listCases(p.cases, actor, q);
        const plan = captured ?? '(not captured)';
        const m = /Execution Time: ([\d.]+) ms/.exec(plan);
        out.push({ user: actor.username, inbox, ms: m ? Number(m[1]) : NaN, plan });
      }
    }
  } finally {
    await p.close();
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

await runMain(async () => {
  const quiet = await waitForQuiet(Number(arg('max-load', '1.0')), numArg('wait-quiet', 0));
  const pgVersion = await serverVersion();
  console.log(`gongzhi inbox benchmark — ${new Date().toISOString()} — git ${gitRevision()}`);
  console.log(`machine: ${machine()}; PostgreSQL ${pgVersion}; load average at start: ${loadAverage()}${quiet >= 1 ? '  (busy machine: read ratios, not absolutes)' : ''}`);

  const reuse = arg('reuse-db') === 'true';
  const url = reuse ? dbUrl(DB_NAME) : await createScratchDatabase(DB_NAME);
  const t = performance.now();
  if (!reuse) {
    const setup = await openPostgres(url, 2);
    await migrate(setup);
    const regions = await seedBase(setup);
    await setup.close();
    console.log(`filling ${DB_NAME} with ${int(CASES)} cases:`);
    await fill(url, regions, CASES);
  }
  const fillSeconds = (performance.now() - t) / 1000;

  const stats = await openPostgres(url, 1);
  const setupFile = await runSetupSql(stats);
  if (setupFile) { await stats.exec('ANALYZE'); console.log(`ran --setup-sql ${setupFile} (+ ANALYZE)`); }
  const [s] = await stats.query<any>(`SELECT count(*)::int AS cases, count(*) FILTER (WHERE is_open)::int AS open,
      (SELECT count(*)::int FROM case_assignment) AS assignments, (SELECT count(*)::int FROM flow_record) AS flow,
      pg_size_pretty(pg_total_relation_size('"case"')) AS case_size, pg_size_pretty(pg_database_size(current_database())) AS db_size
    FROM "case"`);
  const ids = Object.fromEntries((await stats.query<{ username: string; id: number }>(
    `SELECT username, id FROM app_user WHERE username = ANY($1::text[])`, [USERS.map((u) => u.username)])).map((r) => [r.username, Number(r.id)]));
  const [scope] = await stats.query<any>(`SELECT
      count(*) FILTER (WHERE street_code = '500117001')::int AS jiedao_scope,
      count(*) FILTER (WHERE street_code = '500117001' AND is_open)::int AS jiedao_open,
      (SELECT count(*)::int FROM case_assignment WHERE unit_id = 'dept-chengguan') AS chengguan_assignments,
      count(*) FILTER (WHERE lead_unit_id = 'dept-chengguan' AND is_open)::int AS chengguan_open_lead,
      count(*) FILTER (WHERE type = 'hotline' AND is_open)::int AS hotline_open
    FROM "case"`);
  await stats.close();
  console.log(`${reuse ? `reused ${DB_NAME} (filled before by this script)` : `filled in ${fillSeconds.toFixed(1)} s`}: ${int(s.cases)} cases (${int(s.open)} open, ${(100 * s.open / s.cases).toFixed(1)} %), ` +
    `${int(s.assignments)} assignments, ${int(s.flow)} flow records; "case" ${s.case_size}, database ${s.db_size}`);
  console.log(`scopes: jiedao street ${int(scope.jiedao_scope)} cases (${int(scope.jiedao_open)} open); chengguan ${int(scope.chengguan_assignments)} assignments ` +
    `(${int(scope.chengguan_open_lead)} open as lead); hotline open ${int(scope.hotline_open)}`);
  if (arg('only-fill') === 'true') return;

  const quiet2 = await waitForQuiet(Number(arg('max-load', '1.0')), numArg('wait-quiet', 0));
  console.log(`\nload average before the HTTP runs: ${loadAverage()}${quiet2 >= 1 ? '  (busy)' : ''}; autocannon ${CONNECTIONS} connections, ${WARMUP_SECONDS} s warm-up + ${SECONDS} s per scenario`);
  const rows: Array<[string, string, LoadResult, LoadResult, string, string, LoadResult?]> = [];

  // --- baseline -----------------------------------------------------------------------------------
  const base = await startServer('baseline', { DATABASE_URL: url, BENCH_SELECT_TABLE: '"case"' });
  const randomId = () => `/baseline/select/${1 + Math.floor(Math.random() * s.cases)}`;
  await load({ url: base.base, path: randomId, connections: CONNECTIONS, duration: WARMUP_SECONDS });
  let meter = await cpuMeter(base.pid, DB_NAME);
  const sel = await load({ url: base.base, path: randomId, connections: CONNECTIONS, duration: SECONDS });
  const selCpu = cpuPerRequest(await meter(), sel);
  const selLight = await load({ url: base.base, path: randomId, connections: LIGHT, duration: SECONDS });
  const selHalf = await paced({ url: base.base, path: randomId, connections: CONNECTIONS, seconds: SECONDS, rate: halfRate(sel) });
  rows.push(['baseline', 'SELECT * FROM "case" WHERE id = $1 (bare Fastify)', sel, selLight, '', selCpu, selHalf]);
  console.log(`  baseline SELECT by PK: ${int(sel.rps)} req/s, p99 ${ms(sel.p99)} ms`);
  await base.stop();

  // --- platform -----------------------------------------------------------------------------------
  const plat = await startServer('platform', { DATABASE_URL: url, GONGZHI_DATA_KEY: DATA_KEY });
  for (const u of USERS) {
    const token = await login(plat.base, u.username);
    const headers = { authorization: `Bearer ${token}` };
    // the inbox as the console asks for it: soonest due first
    for (const path of ['/api/v1/cases', '/api/v1/cases?inbox=true&sort=due_at']) {
      const probe = await fetch(`${plat.base}${path}`, { headers });
      const text = await probe.text();
      const body = JSON.parse(text) as any;
      if (probe.status !== 200) throw new Error(`${u.username} ${path}: ${probe.status} ${JSON.stringify(body)}`);
      const states = [...new Set((body.items as any[]).map((c) => c.state))].join(',');
      const page = `${body.items.length} items${body.hasMore ? '+' : ''}, ${(Buffer.byteLength(text) / 1024).toFixed(1)} KiB [${states}]`;
      await load({ url: `${plat.base}${path}`, headers, connections: CONNECTIONS, duration: WARMUP_SECONDS });
      meter = await cpuMeter(plat.pid, DB_NAME);
      const r = await load({ url: `${plat.base}${path}`, headers, connections: CONNECTIONS, duration: SECONDS });
      const cpu = cpuPerRequest(await meter(), r);
      const light = await load({ url: `${plat.base}${path}`, headers, connections: LIGHT, duration: SECONDS });
      // the same 32 connections at half the rate they saturated: latency below saturation, not queueing
      const half = await paced({ url: `${plat.base}${path}`, headers, connections: CONNECTIONS, seconds: SECONDS, rate: halfRate(r) });
      rows.push([u.label, `GET ${path}`, r, light, page, cpu, half]);
      console.log(`  ${u.username} ${path}: ${int(r.rps)} req/s, p50 ${ms(r.p50)} ms, p99 ${ms(r.p99)} ms (${page})`);
    }
  }
  await plat.stop();

  const explains = arg('no-explain') === 'true' ? [] : await explainScenarios(url, USERS.map((u) => ids[u.username]));

  console.log(`\nResults at ${int(s.cases)} cases (${CONNECTIONS} connections, ${SECONDS} s each; load average now ${loadAverage()}):\n`);
  console.log(table(['user', 'request', `req/s (c=${CONNECTIONS})`, 'p50 ms', 'p99 ms', `req/s (c=${LIGHT})`, 'p50 ms', 'p99 ms',
    `req/s (c=${CONNECTIONS}, half rate)`, 'p50 ms', 'p99 ms', 'non-2xx', `CPU ms/req server + postgres (c=${CONNECTIONS})`, 'SQL ms (EXPLAIN ANALYZE)', 'first page'],
    rows.map(([who, what, r, l, page, cpu, h]) => {
      const e = explains.find((x) => who.includes(`(${x.user},`) && x.inbox === what.includes('inbox'));
      const errs = r.non2xx + r.errors + l.non2xx + l.errors + (h ? h.non2xx + h.errors : 0);
      return [who, what, int(r.rps), ms(r.p50), ms(r.p99), int(l.rps), ms(l.p50), ms(l.p99), h ? int(h.rps) : '', h ? ms(h.p50) : '', h ? ms(h.p99) : '', errs, cpu, e ? ms(e.ms) : '', page];
    })));
  const inboxRows = rows.filter(([, what]) => what.includes('inbox'));
  const worst = Math.max(...inboxRows.map(([, , r]) => r.p99));
  const worstLight = Math.max(...inboxRows.map(([, , , l]) => l.p99));
  const worstHalf = Math.max(...inboxRows.map(([, , , , , , h]) => h!.p99));
  const verdict = (x: number) => (x < TARGET_P99_MS ? 'met' : 'MISSED');
  console.log(`\nscoped inbox p99, worst of ${inboxRows.length}: ${ms(worst)} ms at ${CONNECTIONS} connections (saturated), ${ms(worstLight)} ms at ${LIGHT} connections, ` +
    `${ms(worstHalf)} ms at ${CONNECTIONS} connections and half the saturating rate — target < ${TARGET_P99_MS} ms: ${verdict(worst)} / ${verdict(worstLight)} / ${verdict(worstHalf)}`);
  console.log(`baseline SELECT p99: ${ms(rows[0][2].p99)} ms at ${CONNECTIONS} connections, ${ms(rows[0][3].p99)} ms at ${LIGHT}`);
  const full = arg('explain') === 'true';
  if (explains.length) console.log(`\nQuery plans of listCases (EXPLAIN (ANALYZE, BUFFERS), run in this process after the load${full ? '' : '; access paths only, --explain for the full plans'}):`);
  for (const e of explains) {
    const lines = e.plan.split('\n');
    const shown = full ? lines : lines.filter((l) => /Scan|Semi Join|Sort Method|Rows Removed|JIT:|Timing:|Execution Time/.test(l));
    console.log(`\n--- ${e.user} ${e.inbox ? 'inbox=true' : 'list'} (${ms(e.ms)} ms) ---\n${shown.join('\n')}`);
  }
}, numArg('timeout', 25 * 60) * 1000);
