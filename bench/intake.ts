// Intake throughput: POST /api/v1/cases through the whole pipeline, beside two bare baselines in the same run.
//
//   node bin/run-ts.js bench/intake.ts [--connections 32] [--seconds 15] [--rounds 2] [--db gz_bench_intake] [--keep-db] [--setup-sql FILE]
//     [--compare-ref REF]   also run REF's platform (e.g. the previous main) in every round, on a database it migrated itself
//     [--prime 8000]        intakes each platform server takes, unmeasured, before the first round (a cold server's first
//                           thousands of requests run partly unoptimised code; the first round would measure that)
//
// 1. Creates a scratch database on the PostgreSQL server (BENCH_PG_URL, default postgres@127.0.0.1:5432),
//    migrates it and loads seedBase (合川区 regions and grids, categories, units, responsibility list, accounts).
// 2. Baseline: bench/server.ts baseline (bare Fastify, pg pool of 10 like the platform's) — one INSERT …
//    RETURNING id per request, then one SELECT by primary key per request.
// 3. Intake: bench/server.ts platform (createPlatform on the same database), logged in as `rexian`
//    (12345 hotline operator, district scope); each request is a realistic hotline ticket: a hotline leaf
//    category, a point inside a random grid, reporter name and phone (encrypted at rest). The server
//    validates, locates the grid, routes by the responsibility list, computes the working-time deadline,
//    writes case + flow record + outbox in one statement, and answers with the case view.
// 4. Checks that cases = 2xx responses, and that every case has its 'report' flow record and outbox row.
// Rounds of baseline INSERT → intake → baseline SELECT, back to back; autocannon runs in this process.
import { performance } from 'node:perf_hooks';
import {
  arg, numArg, runMain, createScratchDatabase, serverVersion, startServer, login, load, machine, loadAverage,
  waitForQuiet, table, ms, int, gitRevision, runSetupSql, cpuMeter, checkoutRef, seedWithRef, type LoadResult, type CpuUse,
} from './lib.ts';
import { openPostgres } from '../src/platform/db/index.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { seedBase } from '../src/seed/demo.ts';
import { makeBodies } from './intake-bodies.ts';

const CONNECTIONS = numArg('connections', 32);
const SECONDS = numArg('seconds', 15);
const WARMUP_SECONDS = numArg('warmup', 3);
const ROUNDS = numArg('rounds', 2);
/** Intakes each platform server takes before the first round, unmeasured: the JIT compiled, the pools and caches warm. */
const PRIME = numArg('prime', 8000);
const DB_NAME = arg('db', 'gz_bench_intake');
const BASELINE_ROWS = 100_000;

function rotate<T>(xs: T[]): () => T {
  let i = 0;
  return () => xs[i++ % xs.length];
}

await runMain(async () => {
  const quiet = await waitForQuiet(Number(arg('max-load', '1.0')), numArg('wait-quiet', 0));
  const pgVersion = await serverVersion();
  console.log(`gongzhi intake benchmark — ${new Date().toISOString()} — git ${gitRevision()}`);
  console.log(`machine: ${machine()}; PostgreSQL ${pgVersion}; load average at start: ${loadAverage()}${quiet >= 1 ? '  (busy machine: read ratios, not absolutes)' : ''}`);
  console.log(`autocannon: ${CONNECTIONS} connections, ${WARMUP_SECONDS} s warm-up + ${SECONDS} s per scenario, ${ROUNDS} round(s)\n`);

  const url = await createScratchDatabase(DB_NAME);
  let t = performance.now();
  const db = await openPostgres(url, 2);
  await migrate(db);
  const regions = await seedBase(db);
  await db.exec(`CREATE TABLE bench_baseline (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, title text NOT NULL, description text NOT NULL,
    category_code text, lat double precision, lng double precision, created_at timestamptz NOT NULL DEFAULT now())`);
  await db.query(`INSERT INTO bench_baseline (title, description, category_code, lat, lng)
    SELECT '小区门口占道经营' || i, '每天晚上有商贩在小区门口摆摊，影响通行，请城管处理。编号' || i, '020101', 30 + i * 1e-6, 106 + i * 1e-6
    FROM generate_series(1, ${BASELINE_ROWS}) i`);
  await db.exec('VACUUM ANALYZE bench_baseline');
  const setupFile = await runSetupSql(db);
  if (setupFile) console.log(`ran --setup-sql ${setupFile}`);
  await db.close();
  const bodies = makeBodies(regions, 5000);
  const avgBody = bodies.reduce((s, b) => s + Buffer.byteLength(b), 0) / bodies.length;
  console.log(`database ${DB_NAME}: migrated + seedBase + ${int(BASELINE_ROWS)} baseline rows in ${((performance.now() - t) / 1000).toFixed(1)} s; ${bodies.length} request bodies (avg ${Math.round(avgBody)} bytes)`);

  const json = { 'content-type': 'application/json' };

  // Both servers stay up (the idle one costs nothing); each round runs baseline INSERT, intake, baseline
  // SELECT back to back, so a change in the machine's load hits all three alike. Ratios are per round.
  const base = await startServer('baseline', { DATABASE_URL: url });
  const plat = await startServer('platform', { DATABASE_URL: url });
  const token = await login(plat.base, 'rexian');
  // --compare-ref: the same intake on another revision's platform, in the same rounds
  const compareRef = arg('compare-ref');
  let refLoad: { url: string; headers: Record<string, string>; body?: () => string } | null = null;
  let ref: Awaited<ReturnType<typeof startServer>> | null = null;
  let refName = '';
  if (compareRef) {
    const { dir, sha } = checkoutRef(compareRef);
    refName = `${compareRef} (${sha.slice(0, 7)})`;
    const refUrl = await createScratchDatabase(`${DB_NAME}_ref`);
    seedWithRef(dir, refUrl);
    ref = await startServer('platform', { DATABASE_URL: refUrl }, dir);
    const refToken = await login(ref.base, 'rexian');
    refLoad = { url: `${ref.base}/api/v1/cases`, headers: { ...json, authorization: `Bearer ${refToken}` } };
    console.log(`comparing with ${refName}, its own database ${DB_NAME}_ref`);
    // Today's bodies use categories the other revision may not have yet (or not for hotline tickets): one body per
    // category is tried on it, and it gets only the bodies of the categories it takes, so that neither answers
    // refusals in the comparison
    const byCategory = new Map<string, string>();
    for (const body of bodies) { const code = (JSON.parse(body) as { categoryCode: string }).categoryCode; if (!byCategory.has(code)) byCategory.set(code, body); }
    const refused: string[] = [];
    for (const [code, body] of byCategory) {
      const r: Response = await fetch(refLoad.url, { method: 'POST', headers: refLoad.headers, body });
      if (r.status >= 300) refused.push(`${code} (${r.status} ${((await r.json().catch(() => ({}))) as { code?: string }).code ?? ''})`);
    }
    const refBodies = bodies.filter((b) => !refused.some((x) => x.startsWith(`${(JSON.parse(b) as { categoryCode: string }).categoryCode} `)));
    refLoad = { ...refLoad, body: rotate(refBodies) };
    console.log(`${refName} takes ${byCategory.size - refused.length} of the ${byCategory.size} categories of the bodies (refused: ${refused.join(', ') || 'none'}); it gets the ${int(refBodies.length)} bodies of those`);
  }
  const auth = { ...json, authorization: `Bearer ${token}` };
  const probe = await fetch(`${plat.base}/api/v1/cases`, { method: 'POST', headers: auth, body: bodies[0] });
  const probeBody = await probe.json() as any;
  if (probe.status !== 201) throw new Error(`intake probe: ${probe.status} ${JSON.stringify(probeBody)}`);
  console.log(`probe: 201 ${probeBody.caseNo} grid ${probeBody.regionCode} → ${probeBody.routing.leadUnitId ?? '(none)'} (${probeBody.routing.source}), due ${probeBody.sla.dueAt}`);
  let ok2xx = 1;
  let bad = 0;
  const nextBody = rotate(bodies);
  const nextIntake = rotate(bodies.slice(1));
  const randomId = () => `/baseline/select/${1 + Math.floor(Math.random() * BASELINE_ROWS)}`;
  const insertLoad = { url: `${base.base}/baseline/insert`, method: 'POST' as const, headers: json, body: nextBody, connections: CONNECTIONS };
  const selectLoad = { url: base.base, path: randomId, connections: CONNECTIONS };
  const intakeLoad = { url: `${plat.base}/api/v1/cases`, method: 'POST' as const, headers: auth, body: nextIntake, connections: CONNECTIONS };
  /** Intakes written per second (2xx answers), the throughput compared with the other revision. */
  const written = (r: LoadResult) => r.ok / r.seconds;
  const rounds: Array<{ ins: [LoadResult, CpuUse]; intake: [LoadResult, CpuUse]; sel: [LoadResult, CpuUse]; refIntake?: LoadResult; refCpu?: CpuUse; load: string }> = [];
  // steady state: without this the first round measured whichever server's code was still being optimised
  if (PRIME > 0) {
    const primed = await load({ ...intakeLoad, amount: PRIME });
    ok2xx += primed.ok;
    bad += primed.non2xx + primed.errors;
    if (refLoad) await load({ ...intakeLoad, ...refLoad, amount: PRIME });
    console.log(`primed: ${int(PRIME)} intakes on each platform server before the first round`);
  }
  for (let round = 1; round <= ROUNDS; round++) {
    await load({ ...insertLoad, duration: WARMUP_SECONDS });
    let meter = await cpuMeter(base.pid, DB_NAME);
    const ins = await load({ ...insertLoad, duration: SECONDS });
    const insCpu = await meter();
    // --compare-ref: the other revision's intake right before this tree's on odd rounds and right after on
    // even ones, so a drift in the machine's load does not favour either
    let refIntake: LoadResult | undefined;
    let refCpu: CpuUse | undefined;
    const runRef = async () => {
      if (!refLoad) return;
      const refRun = { ...intakeLoad, ...refLoad };
      const refWarm = await load({ ...refRun, amount: Math.max(CONNECTIONS * 10, Math.round(CONNECTIONS * 10 * WARMUP_SECONDS)) });
      const refMeter = await cpuMeter(ref!.pid, `${DB_NAME}_ref`);
      refIntake = await load({ ...refRun, amount: Math.max(CONNECTIONS * 50, Math.round(refWarm.rps * SECONDS)) });
      refCpu = await refMeter();
    };
    if (round % 2 === 1) await runRef();
    // Intake runs a fixed number of requests (not a duration) so that every request is answered before the
    // run ends and the 2xx responses can be compared with the rows in the database.
    const warm = await load({ ...intakeLoad, amount: Math.max(CONNECTIONS * 10, Math.round(CONNECTIONS * 10 * WARMUP_SECONDS)) });
    ok2xx += warm.ok;
    bad += warm.non2xx + warm.errors;
    meter = await cpuMeter(plat.pid, DB_NAME);
    const intake = await load({ ...intakeLoad, amount: Math.max(CONNECTIONS * 50, Math.round(warm.rps * SECONDS)) });
    const intakeCpu = await meter();
    ok2xx += intake.ok;
    bad += intake.non2xx + intake.errors;
    if (round % 2 === 0) await runRef();
    if (refIntake) console.log(`round ${round}: ${refName} intake ${int(written(refIntake))} cases/s (${refIntake.non2xx} refused) → this tree / ${compareRef} ${((written(intake) / written(refIntake)) * 100).toFixed(1)} %`);
    await load({ ...selectLoad, duration: WARMUP_SECONDS });
    meter = await cpuMeter(base.pid, DB_NAME);
    const sel = await load({ ...selectLoad, duration: SECONDS });
    const selCpu = await meter();
    rounds.push({ ins: [ins, insCpu], intake: [intake, intakeCpu], sel: [sel, selCpu], refIntake, refCpu, load: loadAverage() });
    console.log(`round ${round}: baseline INSERT ${int(ins.rps)} req/s, intake ${int(intake.rps)} req/s, baseline SELECT ${int(sel.rps)} req/s ` +
      `→ intake/INSERT ${((intake.rps / ins.rps) * 100).toFixed(1)} % (load average ${loadAverage()})`);
  }
  await plat.stop();
  await base.stop();
  await ref?.stop();

  // --- verification ------------------------------------------------------------------------------
  const check = await openPostgres(url, 1);
  // Each check is an anti-join PostgreSQL can hash: a NOT EXISTS inside an aggregate's FILTER is a correlated
  // subplan run per case, and over the outbox's JSON key that took longer than the watchdog at 150,000 cases
  const [v] = await check.query<any>(`
    SELECT count(*)::int AS cases,
      (SELECT count(*)::int FROM "case" c WHERE NOT EXISTS (SELECT 1 FROM flow_record f WHERE f.case_id = c.id AND f.seq = 0 AND f.action = 'report')) AS without_flow,
      (SELECT count(*)::int FROM "case" c WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.topic = 'case.reported' AND (o.payload->>'caseId')::bigint = c.id)) AS without_outbox,
      count(*) FILTER (WHERE c.due_at IS NULL)::int AS without_deadline,
      count(DISTINCT c.region_code)::int AS grids,
      count(*) FILTER (WHERE c.suggestion_source = 'responsibility_list')::int AS by_list,
      count(*) FILTER (WHERE c.suggestion_source = 'territorial_fallback')::int AS by_fallback,
      (SELECT count(*)::int FROM flow_record) AS flow_records,
      (SELECT count(*)::int FROM outbox) AS outbox_rows
    FROM "case" c`);
  await check.close();

  const rows: Array<[string, LoadResult, CpuUse]> = [];
  rounds.forEach((r, i) => {
    const tag = ROUNDS > 1 ? ` #${i + 1}` : '';
    if (r.refIntake && r.refCpu) rows.push([`intake of ${compareRef}${tag}`, r.refIntake, r.refCpu]);
    rows.push([`intake POST /api/v1/cases${tag}`, ...r.intake], [`baseline INSERT (bare Fastify)${tag}`, ...r.ins],
      [`baseline SELECT by PK (bare Fastify)${tag}`, ...r.sel]);
  });
  console.log(`\nResults (${CONNECTIONS} connections, ${SECONDS} s per run, ${ROUNDS} round(s); load average now ${loadAverage()}):\n`);
  console.log(table(['scenario', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', '2xx', 'non-2xx/errors', 'CPU ms/req: server', 'postgres', 'autocannon'],
    rows.map(([name, r, c]) => [name, int(r.rps), ms(r.p50), ms(r.p90), ms(r.p99), int(r.ok), `${r.non2xx}/${r.errors}`,
      (c.server / r.completed).toFixed(3), (c.postgres / r.completed).toFixed(3), (c.loadgen / r.completed).toFixed(3)])));
  console.log('(CPU ms/req: CPU time of the server process, of its PostgreSQL backends, and of autocannon, divided by the responses of the run)');
  const median = (xs: number[]) => { const a = [...xs].sort((x, y) => x - y); const m = a.length >> 1; return a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2; };
  const ratios = rounds.map((r) => r.intake[0].rps / r.ins[0].rps);
  const ratio = median(ratios);
  const perReq = (x: [LoadResult, CpuUse]) => (x[1].server + x[1].postgres) / x[0].completed;
  const cpuRatio = median(rounds.map((r) => perReq(r.ins) / perReq(r.intake)));
  console.log(`\nintake / baseline INSERT = ${(ratio * 100).toFixed(1)} %${ROUNDS > 1 ? ` (median of ${ROUNDS} rounds: ${ratios.map((x) => (x * 100).toFixed(1)).join(', ')})` : ''}  (target ≥ 65 %: ${ratio >= 0.65 ? 'met' : 'MISSED'})`);
  console.log(`by CPU per request (server + postgres): baseline INSERT costs ${(cpuRatio * 100).toFixed(1)} % of an intake`);
  if (compareRef) {
    // cases written per second: a body the other revision refuses (a category or rule it does not have yet) is cheap
    // to answer and would flatter it
    const vsRef = rounds.map((r) => written(r.intake[0]) / written(r.refIntake!));
    const m = median(vsRef);
    console.log(`intake of this tree / intake of ${refName} = ${(m * 100).toFixed(1)} % (median of ${vsRef.length}: ${vsRef.map((x) => (x * 100).toFixed(1)).join(', ')})  (target ≥ 90 %: ${m >= 0.9 ? 'met' : 'MISSED'})`);
    const cpu = (x: [LoadResult, CpuUse]) => `${(x[1].server / x[0].completed).toFixed(3)} + ${(x[1].postgres / x[0].completed).toFixed(3)}`;
    console.log(`CPU ms per intake (server + postgres), this tree against ${refName}: ${rounds.map((r) => `${cpu(r.intake)} against ${cpu([r.refIntake!, r.refCpu!])}`).join('; ')}`);
    const refused = rounds.reduce((n, r) => n + r.refIntake!.non2xx, 0);
    if (refused) console.log(`${refName} refused ${refused} of the bodies (status codes ${JSON.stringify(rounds.map((r) => r.refIntake!.statusCodes))}); the comparison counts cases written`);
  }

  const good = v.cases === ok2xx && v.without_flow === 0 && v.without_outbox === 0 && v.without_deadline === 0 && bad === 0;
  console.log(`\nverification: 2xx responses ${int(ok2xx)} (probe + warm-up + run), cases ${int(v.cases)}; cases without their 'report' flow record: ${v.without_flow}; ` +
    `without their outbox row: ${v.without_outbox}; without a deadline: ${v.without_deadline}; flow records ${int(v.flow_records)}, outbox rows ${int(v.outbox_rows)}; ` +
    `${v.grids} distinct grids; routed by responsibility list ${int(v.by_list)}, territorial fallback ${int(v.by_fallback)} → ${good ? 'OK' : 'FAILED'}`);
  if (!good) {
    console.log(`status codes: ${JSON.stringify(rounds.map((r) => r.intake[0].statusCodes))}`);
    process.exitCode = 1;
    throw new Error('verification failed');
  }
}, numArg('timeout', 20 * 60) * 1000);
