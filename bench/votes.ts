// 1,000 voters in one vote, all at once, each sending their ballot twice: exact counts (no lost and no
// double vote) and throughput, against a bare INSERT server measured in the same run.
//
//   node bin/run-ts.js bench/votes.ts [--voters 1000] [--rounds 3] [--db gz_bench_votes] [--keep-db]
//
// 1. Scratch database on the PostgreSQL server (BENCH_PG_URL), migrated, seedBase. --voters adults
//    registered in the first grid, two to a household, each with a resident account linked to them
//    (pt_resident) and a session (token hashes written directly: no 1,000 argon2 logins).
// 2. The platform (bench/server.ts platform, its default pool of 10). Per round: the community sets up a
//    vote by person and a vote by household; every voter sends the same ballot twice at the same moment
//    (2 × voters requests in flight, over as many connections). Counted: 201s, 409 already_voted, anything
//    else; then the database: ballots and the options' tallies against what was sent.
// 3. Baseline: bench/server.ts baseline (bare Fastify + a pg pool of the same size, one INSERT … RETURNING
//    per request) under the same 2 × voters concurrent POSTs. Ratio = platform ballot requests/s ÷ baseline.
import { createHash, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { arg, numArg, runMain, createScratchDatabase, serverVersion, startServer, login, machine, loadAverage, table, int, gitRevision } from './lib.ts';
import { openPostgres } from '../src/platform/db/index.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { seedBase } from '../src/seed/demo.ts';

const VOTERS = numArg('voters', 1000);
const ROUNDS = numArg('rounds', 3);
const DB_NAME = arg('db', 'gz_bench_votes');
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

interface Voter { token: string; choice: number }

async function prepare(url: string): Promise<{ voters: Voter[]; grid: string; community: string }> {
  const db = await openPostgres(url, 2);
  await migrate(db);
  const regions = await seedBase(db);
  const grid = regions.find((r) => r.level === 'grid')!.code;
  const community = grid.slice(0, 12);
  // households of two, adults, resident accounts linked to them, sessions
  await db.query(`INSERT INTO household (region_code, district_code, street_code, community_code, household_no, kind)
    SELECT $1, left($1, 6), left($1, 9), left($1, 12), 'BV' || g, 'family' FROM generate_series(1, $2) g`, [grid, Math.ceil(VOTERS / 2)]);
  await db.query(`INSERT INTO person (region_code, district_code, street_code, community_code, population_type, id_hash, id_masked, name_masked, sealed, birth_date, household_id)
    SELECT $1, left($1, 6), left($1, 9), left($1, 12), 'registered', 'bench-vote-' || g, '500117********' || lpad(g::text, 4, '0'), '投票人' || g, 'v1.x',
      date '1970-01-01' + g, (SELECT id FROM household WHERE household_no = 'BV' || ((g + 1) / 2))
    FROM generate_series(1, $2) g`, [grid, VOTERS]);
  await db.query(`INSERT INTO app_user (username, display_name, password_hash, role, region_code)
    SELECT 'bv' || g, '居民 投票人' || g, '!', 'resident', $1 FROM generate_series(1, $2) g`, [community, VOTERS]);
  await db.query(`INSERT INTO pt_resident (user_id, district_code, region_code, person_id, household_id, link_status, linked_via, linked_at)
    SELECT u.id, left($1, 6), $1, p.id, p.household_id, 'linked', 'seed', now()
    FROM app_user u JOIN person p ON p.id_hash = 'bench-vote-' || substr(u.username, 3) WHERE u.username LIKE 'bv%'`, [grid]);
  const users = await db.query<{ id: number; username: string }>(`SELECT id, username FROM app_user WHERE username LIKE 'bv%' ORDER BY id`);
  const voters: Voter[] = [];
  const expires = new Date(Date.now() + 6 * 3600_000);
  for (const [i, u] of users.entries()) {
    const token = randomBytes(32).toString('base64url');
    await db.query('INSERT INTO session (token_hash, user_id, expires_at) VALUES ($1, $2, $3)', [sha256(token), u.id, expires]);
    voters.push({ token, choice: i % 3 });
  }
  await db.exec(`CREATE TABLE bench_baseline (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, title text NOT NULL, description text NOT NULL,
    category_code text, lat double precision, lng double precision, created_at timestamptz NOT NULL DEFAULT now())`);
  await db.exec('ANALYZE');
  await db.close();
  return { voters, grid, community };
}

/** All requests at once; the statuses (and codes) counted, the wall time measured. */
async function burst(reqs: Array<() => Promise<Response>>): Promise<{ seconds: number; statuses: Map<string, number> }> {
  const statuses = new Map<string, number>();
  const t = performance.now();
  await Promise.all(reqs.map(async (r) => {
    let key: string;
    try {
      const res = await r();
      const body = await res.text();
      key = res.status === 409 ? `409 ${JSON.parse(body).code}` : String(res.status);
    } catch (err) { key = `error ${(err as Error).message}`; }
    statuses.set(key, (statuses.get(key) ?? 0) + 1);
  }));
  return { seconds: (performance.now() - t) / 1000, statuses };
}

await runMain(async () => {
  console.log(`bench/votes.ts — ${VOTERS} voters, ${ROUNDS} rounds; ${machine()}; PostgreSQL ${await serverVersion()}; git ${gitRevision()}; load ${loadAverage()}`);
  const url = await createScratchDatabase(DB_NAME);
  const { voters, community } = await prepare(url);
  const db = await openPostgres(url, 2);
  const platform = await startServer('platform', { DATABASE_URL: url });
  const baseline = await startServer('baseline', { DATABASE_URL: url });
  const staff = await login(platform.base, 'shequ');
  const json = (token: string, body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  const rows: Array<Array<string | number>> = [];
  let failures = 0;
  for (let round = 1; round <= ROUNDS; round++) {
    for (const unit of ['person', 'household'] as const) {
      const now = Date.now();
      const created = await fetch(`${platform.base}/api/v1/participation/votes`, json(staff, {
        regionCode: community, title: `基准表决 ${round} ${unit}`, choice: 'single', voterUnit: unit, anonymous: unit === 'person',
        opensAt: new Date(now - 60_000).toISOString(), closesAt: new Date(now + 3600_000).toISOString(), options: ['同意', '不同意', '弃权'],
      }));
      const vote = await created.json() as any;
      if (created.status !== 201) throw new Error(`vote: ${created.status} ${JSON.stringify(vote)}`);
      const optionIds: number[] = vote.options.map((o: any) => o.id);
      const url = `${platform.base}/api/v1/participation/votes/${vote.id}/ballots`;
      // every voter's ballot twice, interleaved so that the two copies race
      const reqs = [...voters, ...voters].map((v) => () => fetch(url, json(v.token, { optionIds: [optionIds[v.choice]] })));
      const r = await burst(reqs);
      const accepted = r.statuses.get('201') ?? 0;
      // expected: one ballot per voter (person) or per household (the first of its two members to commit)
      const expectedBallots = unit === 'person' ? VOTERS : Math.ceil(VOTERS / 2);
      const [{ ballots }] = await db.query<{ ballots: number }>('SELECT count(*)::int AS ballots FROM pt_ballot WHERE vote_id = $1', [vote.id]);
      const tallies = await db.query<{ tally: number }>('SELECT tally FROM pt_vote_option WHERE vote_id = $1 ORDER BY seq', [vote.id]);
      const sum = tallies.reduce((s, t) => s + t.tally, 0);
      const exactPerOption = unit === 'person' ? tallies.map((t, i) => t.tally === voters.filter((v) => v.choice === i).length).every(Boolean) : true;
      const ok = accepted === expectedBallots && ballots === expectedBallots && sum === expectedBallots && exactPerOption
        && (r.statuses.get('409 already_voted') ?? 0) === reqs.length - expectedBallots;
      if (!ok) failures++;
      rows.push([round, unit, reqs.length, accepted, r.statuses.get('409 already_voted') ?? 0,
        [...r.statuses].filter(([k]) => k !== '201' && k !== '409 already_voted').map(([k, n]) => `${k}×${n}`).join(' ') || '–',
        `${ballots} / ${tallies.map((t) => t.tally).join('+')}`, ok ? 'exact' : 'WRONG', r.seconds.toFixed(2), int(reqs.length / r.seconds), int(accepted / r.seconds)]);
    }
    // the baseline: the same number of concurrent POSTs, one bare INSERT each
    const b = await burst([...voters, ...voters].map(() => () => fetch(`${baseline.base}/baseline/insert`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: '基准', description: '基准' }),
    })));
    rows.push([round, 'baseline INSERT', VOTERS * 2, b.statuses.get('201') ?? 0, '–', [...b.statuses].filter(([k]) => k !== '201').map(([k, n]) => `${k}×${n}`).join(' ') || '–',
      '–', '–', b.seconds.toFixed(2), int((VOTERS * 2) / b.seconds), '–']);
  }
  console.log(table(['round', 'vote', 'requests', '201', '409 already_voted', 'other', 'ballots / tallies', 'counts', 'wall s', 'requests/s', 'ballots/s'], rows));
  await db.close();
  await platform.stop();
  await baseline.stop();
  if (failures) throw new Error(`${failures} vote(s) with wrong counts`);
}, 15 * 60_000);
