// The points ledger under concurrent awards and redemptions: the ledger must balance (every balance the
// sum of its entries, stock + redeemed = stocked, no balance below zero from a redemption), throughput
// recorded against a bare INSERT server measured in the same run.
//
//   node bin/run-ts.js bench/points.ts [--residents 200] [--rounds 3] [--db gz_bench_points] [--keep-db]
//
// Per round, all at once: the community awards every resident 5 × 10 points (one request each) while
// every resident tries 5 redemptions of a 15-point item whose stock is less than the demand — so some
// redemptions find no points yet, some no stock. Then the books are checked in the database.
import { createHash, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { arg, numArg, runMain, createScratchDatabase, serverVersion, startServer, login, machine, loadAverage, table, int, gitRevision } from './lib.ts';
import { openPostgres } from '../src/platform/db/index.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { seedBase } from '../src/seed/demo.ts';

const RESIDENTS = numArg('residents', 200);
const ROUNDS = numArg('rounds', 3);
const DB_NAME = arg('db', 'gz_bench_points');
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

await runMain(async () => {
  console.log(`bench/points.ts — ${RESIDENTS} residents, ${ROUNDS} rounds; ${machine()}; PostgreSQL ${await serverVersion()}; git ${gitRevision()}; load ${loadAverage()}`);
  const url = await createScratchDatabase(DB_NAME);
  const db = await openPostgres(url, 2);
  await migrate(db);
  const regions = await seedBase(db);
  const grid = regions.find((r) => r.level === 'grid')!.code;
  const community = grid.slice(0, 12);
  await db.query(`INSERT INTO person (region_code, district_code, street_code, community_code, population_type, id_hash, id_masked, name_masked, sealed, birth_date)
    SELECT $1, left($1, 6), left($1, 9), left($1, 12), 'registered', 'bench-pt-' || g, 'x', '积分人' || g, 'v1.x', date '1970-01-01' + g FROM generate_series(1, $2) g`, [grid, RESIDENTS]);
  await db.query(`INSERT INTO app_user (username, display_name, password_hash, role, region_code) SELECT 'bp' || g, '居民' || g, '!', 'resident', $1 FROM generate_series(1, $2) g`, [community, RESIDENTS]);
  await db.query(`INSERT INTO pt_resident (user_id, district_code, region_code, person_id, link_status, linked_via, linked_at)
    SELECT u.id, left($1, 6), $1, p.id, 'linked', 'seed', now() FROM app_user u JOIN person p ON p.id_hash = 'bench-pt-' || substr(u.username, 3) WHERE u.username LIKE 'bp%'`, [grid]);
  const users = await db.query<{ id: number; person_id: number }>(`SELECT u.id, r.person_id FROM app_user u JOIN pt_resident r ON r.user_id = u.id WHERE u.username LIKE 'bp%' ORDER BY u.id`);
  const residents: Array<{ token: string; personId: number }> = [];
  for (const u of users) {
    const token = randomBytes(32).toString('base64url');
    await db.query('INSERT INTO session (token_hash, user_id, expires_at) VALUES ($1, $2, $3)', [sha256(token), u.id, new Date(Date.now() + 6 * 3600_000)]);
    residents.push({ token, personId: Number(u.person_id) });
  }
  await db.exec(`CREATE TABLE bench_baseline (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, title text NOT NULL, description text NOT NULL,
    category_code text, lat double precision, lng double precision, created_at timestamptz NOT NULL DEFAULT now())`);
  const platform = await startServer('platform', { DATABASE_URL: url });
  const baseline = await startServer('baseline', { DATABASE_URL: url });
  const staff = await login(platform.base, 'shequ');
  const post = (base: string, path: string, token: string | null, body: unknown) => fetch(`${base}${path}`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body),
  }).then(async (r) => { const t = await r.text(); return r.status === 409 ? `409 ${JSON.parse(t).code}` : String(r.status); }).catch((e) => `error ${e.message}`);
  const rule = await (await fetch(`${platform.base}/api/v1/participation/points/rules`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${staff}` },
    body: JSON.stringify({ regionCode: community, code: 'bench', label: '基准奖励', points: 10 }) })).json() as any;
  const rows: Array<Array<string | number>> = [];
  let failures = 0;
  for (let round = 1; round <= ROUNDS; round++) {
    const item = await (await fetch(`${platform.base}/api/v1/participation/points/shop`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${staff}` },
      body: JSON.stringify({ regionCode: community, name: `基准商品 ${round}`, cost: 15, stock: RESIDENTS * 2 }) })).json() as any;
    const reqs: Array<() => Promise<string>> = [];
    for (let k = 0; k < 5; k++) {
      for (const r of residents) {
        reqs.push(() => post(platform.base, '/api/v1/participation/points/awards', staff, { personId: r.personId, ruleId: rule.id }));
        reqs.push(() => post(platform.base, '/api/v1/participation/points/redemptions', r.token, { itemId: item.id }));
      }
    }
    const statuses = new Map<string, number>();
    const t = performance.now();
    await Promise.all(reqs.map(async (f) => { const s = await f(); statuses.set(s, (statuses.get(s) ?? 0) + 1); }));
    const seconds = (performance.now() - t) / 1000;
    const [books] = await db.query<any>(`SELECT
        (SELECT count(*)::int FROM pt_point_account a WHERE a.balance <> (SELECT coalesce(sum(delta), 0) FROM pt_point_entry e WHERE e.person_id = a.person_id)) AS unbalanced,
        (SELECT count(*)::int FROM pt_point_account WHERE balance < 0) AS negative,
        (SELECT stocked - stock FROM pt_shop_item WHERE id = $1) AS left_shelf,
        (SELECT count(*)::int FROM pt_redemption WHERE item_id = $1) AS redeemed,
        (SELECT count(*)::int FROM pt_point_entry WHERE kind = 'redemption' AND reason LIKE '%' || $2) AS redemption_entries`, [item.id, `基准商品 ${round}`]);
    const ok = books.unbalanced === 0 && books.negative === 0 && books.left_shelf === books.redeemed && books.redeemed === books.redemption_entries
      && books.redeemed === (statuses.get('201') ?? 0) - RESIDENTS * 5;
    if (!ok) failures++;
    rows.push([round, reqs.length, [...statuses].map(([k, n]) => `${k}×${n}`).join(' '), books.redeemed, books.unbalanced, books.negative, ok ? 'balanced' : 'WRONG', seconds.toFixed(2), int(reqs.length / seconds)]);
    const b0 = performance.now();
    await Promise.all(reqs.map(() => post(baseline.base, '/baseline/insert', null, { title: 'x', description: 'x' })));
    const bs = (performance.now() - b0) / 1000;
    rows.push([round, reqs.length, 'baseline INSERT', '–', '–', '–', '–', bs.toFixed(2), int(reqs.length / bs)]);
  }
  console.log(table(['round', 'requests', 'answers', 'redeemed', 'unbalanced accounts', 'negative balances', 'books', 'wall s', 'requests/s'], rows));
  await db.close();
  await platform.stop();
  await baseline.stop();
  if (failures) throw new Error(`${failures} round(s) with unbalanced books`);
}, 15 * 60_000);
