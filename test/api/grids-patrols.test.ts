// Daily grid work: check-ins inside and outside one's own grid, patrols with tracks, household visits,
// and the arithmetic of 巡查覆盖率 (distinct households reached ÷ households in the grid, per China day).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblemStatus, testPlatform, type Method, type TestPlatform, type Res } from '../helpers/platform.ts';
import { homeCommunity, homeGrid, neighbourGrid, otherStreet, pointIn } from '../helpers/fixtures.ts';
import { seedGridBase } from '../../src/modules/regions/grids/index.ts';

let p: TestPlatform;
const t: Record<string, string> = {};

const req = (who: string, method: Method, url: string, body?: unknown, headers?: Record<string, string>) => p.as(t[who]).send(method, url, body, headers);
const get = (who: string, url: string) => req(who, 'GET', url);
const post = (who: string, url: string, body: unknown, headers?: Record<string, string>) => req(who, 'POST', url, body, headers);
const put = (who: string, url: string, body: unknown) => req(who, 'PUT', url, body);
const problem = expectProblemStatus;

const home = pointIn(homeGrid);
const near = (q: { lat: number; lng: number }, d: number) => ({ lat: q.lat + d, lng: q.lng + d });
const neighbour = pointIn(neighbourGrid);

beforeAll(async () => {
  p = await testPlatform('2026-11-16T01:30:00Z'); // 09:30 on Monday 16 November in China
  await seedGridBase(p.ctx.db);
  for (const u of ['zhihui', 'jiedao', 'shequ', 'wangge', 'rexian']) t[u] = await p.login(u);
  t.neighbour = await p.login(`wg${neighbourGrid.code}`);
  t.otherStreet = await p.login(`jd${otherStreet.code}`);
}, 120_000);
afterAll(async () => { await p?.close(); });

describe('check-in', () => {
  it('tells a grid worker whether they stand in their own grid', async () => {
    const inside = await post('wangge', '/api/v1/patrols/check-in', { ...home, accuracy: 8 });
    expect(inside.status, inside.text).toBe(201);
    expect(inside.body).toMatchObject({ gridCode: homeGrid.code, gridName: homeGrid.shortName, ownRegion: homeGrid.code, insideOwnGrid: true, distanceToOwnGridM: 0 });
    const outside = await post('wangge', '/api/v1/patrols/check-in', neighbour);
    expect(outside.body).toMatchObject({ gridCode: neighbourGrid.code, insideOwnGrid: false });
    expect(outside.body.distanceToOwnGridM).toBeGreaterThan(0);
    const nowhere = await post('wangge', '/api/v1/patrols/check-in', { lat: 39.9, lng: 116.4 });
    expect(nowhere.body).toMatchObject({ gridCode: null, insideOwnGrid: false });
    expect(nowhere.body.distanceToOwnGridM).toBeGreaterThan(1_000_000);
    // community staff (网格长) are inside anywhere in their community
    expect((await post('shequ', '/api/v1/patrols/check-in', neighbour)).body).toMatchObject({ insideOwnGrid: true, ownRegion: homeCommunity.code });
    problem(await post('rexian', '/api/v1/patrols/check-in', home), 403, 'forbidden');
    const rows = await p.ctx.db.query<any>('SELECT located_grid, inside_own FROM patrol_check_in ORDER BY id');
    expect(rows.map((r) => [r.located_grid, r.inside_own])).toEqual([[homeGrid.code, true], [neighbourGrid.code, false], [null, false], [neighbourGrid.code, true]]);
  });

  it('replays a retried check-in with the same Idempotency-Key', async () => {
    const first = await post('wangge', '/api/v1/patrols/check-in', home, { 'idempotency-key': 'ci-1' });
    const again = await post('wangge', '/api/v1/patrols/check-in', home, { 'idempotency-key': 'ci-1' });
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    problem(await post('wangge', '/api/v1/patrols/check-in', neighbour, { 'idempotency-key': 'ci-1' }), 422, 'idempotency_key_reused');
    problem(await post('wangge', '/api/v1/patrols/check-in', home, { 'idempotency-key': 'ä'.repeat(3) }), 400, 'invalid_idempotency_key');
    const [{ n }] = await p.ctx.db.query<any>('SELECT count(*)::int AS n FROM patrol_check_in');
    expect(n).toBe(5);
  });
});

describe('patrols', () => {
  let patrolId: number;
  const track = [
    { ...home, at: '2026-11-16T00:00:00Z' },
    { ...near(home, 0.0002), at: '2026-11-16T00:10:00Z' },
    { ...near(home, 0.0004), at: '2026-11-16T00:20:00Z' },
    { ...neighbour, at: '2026-11-16T00:40:00Z' },
  ];

  it('records the track, its length and the grids it crossed', async () => {
    const r = await post('wangge', '/api/v1/patrols', { startedAt: '2026-11-16T08:00:00+08:00', endedAt: '2026-11-16T08:45:00+08:00', track, note: '巡查沿街商铺' });
    expect(r.status, r.text).toBe(201);
    expect(r.body).toMatchObject({ pointCount: 4, insideOwnShare: 0.75, grids: [homeGrid.code, neighbourGrid.code].sort(), note: '巡查沿街商铺' });
    expect(r.body.distanceM).toBeGreaterThan(50);
    patrolId = r.body.id;
    const one = await get('shequ', `/api/v1/patrols/${patrolId}`);
    expect(one.body.track).toHaveLength(4);
    expect(one.body.track[3]).toEqual({ ...neighbour, at: '2026-11-16T00:40:00.000Z' });
    const list = await get('jiedao', '/api/v1/patrols?from=2026-11-16&to=2026-11-16');
    expect(list.body.items.map((x: any) => x.id)).toEqual([patrolId]);
    expect(list.body.items[0].track).toBeUndefined();
    expect((await get('jiedao', '/api/v1/patrols?from=2026-11-17&to=2026-11-17')).body.items).toEqual([]);
  });

  it('refuses impossible patrols and writes nothing', async () => {
    const base = { startedAt: '2026-11-16T00:00:00Z', endedAt: '2026-11-16T00:45:00Z', track };
    problem(await post('wangge', '/api/v1/patrols', { ...base, endedAt: '2026-11-15T23:00:00Z' }), 422, 'invalid_period');
    problem(await post('wangge', '/api/v1/patrols', { ...base, endedAt: '2026-11-17T01:00:00Z' }), 422, 'patrol_too_long');
    problem(await post('wangge', '/api/v1/patrols', { startedAt: '2026-11-16T02:00:00Z', endedAt: '2026-11-16T03:00:00Z', track: [] }), 422, 'in_the_future');
    problem(await post('wangge', '/api/v1/patrols', { ...base, track: [track[1], track[0]] }), 422, 'track_not_in_order');
    problem(await post('wangge', '/api/v1/patrols', { ...base, track: [{ ...home, at: '2026-11-15T00:00:00Z' }] }), 422, 'track_outside_patrol');
    problem(await post('wangge', '/api/v1/patrols', { ...base, startedAt: 'yesterday' }), 400, 'validation_failed');
    const [{ n }] = await p.ctx.db.query<any>('SELECT count(*)::int AS n FROM patrol');
    expect(n).toBe(1);
  });
});

describe('household visits and coverage (巡查覆盖率)', () => {
  const visit = (who: string, body: Record<string, unknown>) => post(who, '/api/v1/visits', { result: 'visited', ...body });

  it('counts distinct households reached per grid and China-time day', async () => {
    expect((await put('shequ', `/api/v1/grids/${homeGrid.code}/households`, { households: 400, note: '2026年人口普查' })).status).toBe(200);
    expect((await put('shequ', `/api/v1/grids/${neighbourGrid.code}/households`, { households: 320 })).status).toBe(200);
    const ok = async (r: Promise<Res>) => { const x = await r; expect(x.status, x.text).toBe(201); return x.body; };
    // home grid, 16 November (China time): five households reached
    const first = await ok(visit('wangge', { ...home, houseRef: '3栋2单元501', note: '独居老人，身体良好' }));
    expect(first).toMatchObject({ gridCode: homeGrid.code, result: 'visited' });
    await ok(visit('wangge', { ...near(home, 0.0001), houseRef: '3栋 2单元501' })); // the same house again, written differently
    await ok(visit('wangge', { houseRef: '3栋2单元502', result: 'refused' })); // no location: the worker's own grid
    await ok(visit('wangge', { householdRef: 'HH-0001', result: 'issue_found', note: '楼道堆放杂物' }));
    await ok(visit('wangge', { householdRef: 'hh-0001' })); // same household, other case
    await ok(visit('wangge', { householdRef: 'HH-0002', visitedAt: '2026-11-15T16:30:00Z' })); // 00:30 on the 16th in China
    await ok(visit('shequ', { householdRef: 'HH-0003', gridCode: homeGrid.code }));
    await ok(visit('wangge', { householdRef: 'HH-0004', result: 'not_home' })); // not reached: does not count
    await ok(visit('wangge', { householdRef: 'HH-0005', visitedAt: '2026-11-15T15:30:00Z' })); // 23:30 on the 15th
    // neighbour grid: two households, recorded by the community
    await ok(visit('shequ', { ...neighbour, householdRef: 'N-1' }));
    await ok(visit('shequ', { householdRef: 'N-2', gridCode: neighbourGrid.code }));

    const day = await get('shequ', `/api/v1/grids/coverage?region=${homeCommunity.code}&from=2026-11-16&to=2026-11-16`);
    expect(day.status, day.text).toBe(200);
    const by = new Map(day.body.items.map((i: any) => [i.gridCode, i]));
    expect(by.get(homeGrid.code)).toMatchObject({ households: 400, visited: 5, coverage: 0.0125 });
    expect(by.get(neighbourGrid.code)).toMatchObject({ households: 320, visited: 2, coverage: 0.0063 });
    const others = day.body.items.filter((i: any) => ![homeGrid.code, neighbourGrid.code].includes(i.gridCode));
    expect(others.every((i: any) => i.visited === 0 && i.coverage === 0)).toBe(true);
    const households = day.body.items.reduce((s: number, i: any) => s + (i.households ?? 0), 0);
    expect(day.body.total).toMatchObject({ households, visited: 7, coverage: Math.round((7 / households) * 10_000) / 10_000 });

    const twoDays = await get('shequ', `/api/v1/grids/coverage?region=${homeGrid.code}&from=2026-11-15&to=2026-11-16`);
    expect(twoDays.body.items).toMatchObject([{ gridCode: homeGrid.code, visited: 6, coverage: 0.015 }]);
    // a grid worker sees their own grid, by default this month so far
    const mine = await get('wangge', '/api/v1/grids/coverage');
    expect(mine.body).toMatchObject({ regionCode: homeGrid.code, from: '2026-11-01', to: '2026-11-16' });
    expect(mine.body.items).toMatchObject([{ gridCode: homeGrid.code, visited: 6 }]);
    expect((await get('wangge', `/api/v1/grids/coverage?region=${homeCommunity.code}`)).body.items.map((i: any) => i.gridCode)).toEqual([homeGrid.code]);
    const list = await get('wangge', '/api/v1/visits?from=2026-11-16&to=2026-11-16');
    expect(list.body.items).toHaveLength(8); // visits, not households: repeats and not_home included
  });

  it('keeps visits to the worker’s own grid and the period sane', async () => {
    const before = await p.ctx.db.query<any>('SELECT count(*)::int AS n FROM household_visit');
    problem(await visit('wangge', { ...neighbour, householdRef: 'X' }), 403, 'outside_scope');
    problem(await visit('wangge', { householdRef: 'X', gridCode: neighbourGrid.code }), 403, 'outside_scope');
    problem(await visit('wangge', { lat: 39.9, lng: 116.4, householdRef: 'X' }), 422, 'outside_area');
    problem(await visit('shequ', { householdRef: 'X' }), 400, 'location_required');
    problem(await visit('wangge', { householdRef: 'X', visitedAt: '2026-09-01T00:00:00Z' }), 422, 'too_old');
    problem(await visit('wangge', { householdRef: 'X', visitedAt: '2026-11-17T00:00:00Z' }), 422, 'in_the_future');
    problem(await visit('wangge', { ...home }), 400, 'validation_failed');
    problem(await visit('wangge', { lat: home.lat, householdRef: 'X' }), 400, 'validation_failed');
    problem(await visit('rexian', { ...home, householdRef: 'X' }), 403, 'forbidden');
    expect(await p.ctx.db.query<any>('SELECT count(*)::int AS n FROM household_visit')).toEqual(before);
    problem(await get('shequ', '/api/v1/grids/coverage?from=2026-11-16&to=2026-11-01'), 422, 'invalid_period');
    problem(await get('shequ', '/api/v1/grids/coverage?from=2025-01-01&to=2026-11-16'), 422, 'period_too_long');
    problem(await get('shequ', '/api/v1/grids/coverage?from=2026-02-30'), 400, 'validation_failed');
    problem(await get('shequ', '/api/v1/grids/coverage?region=500117001999'), 404);
    problem(await get('otherStreet', `/api/v1/grids/coverage?region=${homeCommunity.code}`), 404);
    problem(await get('neighbour', `/api/v1/grids/coverage?region=${homeGrid.code}`), 404);
    problem(await get('rexian', '/api/v1/grids/coverage'), 403, 'forbidden');
  });
});
