// Dashboard, map layers and the "similar case nearby" warning: exact numbers over a small known set of
// cases, and who may see which numbers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlatform, type TestPlatform, type Res } from '../helpers/platform.ts';
import { homeCommunity, homeGrid, homeStreet, neighbourGrid, otherGrid, otherStreet, pointIn } from '../helpers/fixtures.ts';
import { flagOverdue } from '../../src/modules/cases/scheduler.ts';

let p: TestPlatform;
const t: Record<string, string> = {};
const users = {
  op: 'rexian', district: 'zhihui', city: 'city', street: 'jiedao', otherStreet: `jd${otherStreet.code}`, community: 'shequ',
  grid: 'wangge', dept: 'chengguan', otherDept: 'zhujian', resident: 'jumin',
};
const ids: Record<string, number> = {};
const at = (g: typeof homeGrid, dLat = 0) => ({ lng: pointIn(g).lng, lat: pointIn(g).lat + dLat });

function problem(r: Res, status: number, code?: string) {
  expect(r.status, r.text).toBe(status);
  expect(r.headers['content-type']).toContain('application/problem+json');
  if (code) expect(r.body.code).toBe(code);
}

async function report(token: string, title: string, where: { lat: number; lng: number }, extra: Record<string, unknown> = {}) {
  const r = await p.as(token).post('/api/v1/cases', {
    categoryCode: '020501', title, description: `${title}，请尽快处理。`, ...where, ...extra,
  });
  expect(r.status, r.text).toBe(201);
  return r.body.id as number;
}
const act = async (who: string, id: number, action: string, body: Record<string, unknown> = {}) => {
  const r = await p.as(t[who]).post(`/api/v1/cases/${id}/actions/${action}`, body);
  expect(r.status, r.text).toBe(200);
  return r.body;
};
async function handle(id: number) {
  await act('op', id, 'dispatch', { leadUnitId: 'dept-chengguan' });
  await act('dept', id, 'sign');
  await act('dept', id, 'reply', { note: '已劝离摊贩' });
  await act('op', id, 'verify_pass');
}

beforeAll(async () => {
  p = await testPlatform('2026-11-10T01:30:00Z'); // Tuesday 09:30 in 合川, six days before "today"
  for (const [k, u] of Object.entries(users)) t[k] = await p.login(u);
  // D: reported last week and never touched — open and overdue
  ids.D = await report(t.op, '老街口菜市场占道摆摊', at(homeGrid));
  p.clock.set('2026-11-16T01:30:00Z'); // Monday 09:30: "today"
  for (const [k, u] of Object.entries(users)) t[k] = await p.login(u); // last week's sessions have expired
  // A: handled and closed the same morning, on time, satisfied
  ids.A = await report(t.op, '滨江路人行道流动摊贩', at(homeGrid, 0.0005));
  await act('op', ids.A, 'accept');
  await handle(ids.A);
  await act('op', ids.A, 'call_back', { rating: 'satisfied' });
  // B: in another street; misses its acceptance deadline, then closed basically satisfied
  ids.B = await report(t.op, '南津街夜市占道', at(otherGrid));
  p.clock.advance(120);
  expect(await flagOverdue(p.cases)).toBeGreaterThanOrEqual(2); // B, and D of last week
  await act('op', ids.B, 'accept');
  await handle(ids.B);
  await act('op', ids.B, 'call_back', { rating: 'basically_satisfied' });
  // F: rated unsatisfied, so it went back to the department (open again)
  ids.F = await report(t.op, '学校门口烧烤摊油烟扰民占道', at(homeGrid, 0.002));
  await act('op', ids.F, 'accept');
  await handle(ids.F);
  await act('op', ids.F, 'call_back', { rating: 'unsatisfied' });
  // C: a grid worker's event; E: a resident's own report — both just reported
  ids.C = await report(t.grid, '网格巡查发现占道经营', at(homeGrid, 0.001), { type: 'grid_event' });
  ids.E = await report(t.resident, '小区门口有人摆摊卖菜', at(homeGrid, 0.0015));
  // a case of another top-level category nearby (03 城乡建设)
  ids.G = await report(t.op, '路灯不亮', at(homeGrid, 0.0012), { categoryCode: '030102' });
  for (const id of Object.values(ids)) {
    const [c] = await p.ctx.db.query<{ region_code: string }>('SELECT region_code FROM "case" WHERE id = $1', [id]);
    expect(c.region_code).toBe(id === ids.B ? otherGrid.code : homeGrid.code);
  }
}, 120_000);
afterAll(async () => { await p?.close(); });

const overview = (who: string, qs = '') => p.as(t[who]).get(`/api/v1/stats/overview${qs}`);

describe('GET /api/v1/stats/overview', () => {
  it('gives the district command centre the exact indicators of its district', async () => {
    const r = await overview('district');
    expect(r.status, r.text).toBe(200);
    const o = r.body;
    expect(o.region).toMatchObject({ code: '500117', name: '合川区' });
    expect(o.today).toEqual({ intake: 6, closed: 2 }); // A B C E F G today; A and B closed
    expect(o.open).toBe(5); // D C E F G
    expect(o.overdue).toBe(1); // D
    expect(o.onTimeRate).toBe(0.5); // A on time, B had an overdue fact
    expect(o.satisfactionRate).toBeCloseTo(2 / 3, 3); // satisfied + basically over three ratings
    expect(o.byDay).toHaveLength(14);
    expect(o.byDay[0].date).toBe('2026-11-03');
    expect(o.byDay.at(-1)).toEqual({ date: '2026-11-16', intake: 6, closed: 2, overdue: 1 });
    expect(o.byDay.find((d: any) => d.date === '2026-11-10')).toEqual({ date: '2026-11-10', intake: 1, closed: 0, overdue: 1 });
    // D is overdue from its first day (accept by 10:30 on 11-10) to now; nothing was before
    expect(o.byDay.map((d: any) => d.overdue)).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1]);
    expect(o.byDay.reduce((s: number, d: any) => s + d.intake, 0)).toBe(7);
    expect(o.byCategory).toEqual([
      { code: '02', name: { zh: '管理事件', en: 'Managed urban events' }, count: 6 },
      { code: '03', name: { zh: '城乡建设', en: 'Urban and rural construction' }, count: 1 },
    ]);
    const cg = o.byUnit.find((u: any) => u.unitId === 'dept-chengguan');
    expect(cg).toMatchObject({ name: '合川区城市管理局', open: 1, overdue: 0, closed: 2, onTimeRate: 0.5 });
    const home = o.byRegion.find((x: any) => x.code === homeStreet.code);
    const away = o.byRegion.find((x: any) => x.code === otherStreet.code);
    expect(home).toMatchObject({ level: 'street', open: 5, overdue: 1, total: 6 });
    expect(away).toMatchObject({ level: 'street', open: 0, overdue: 0, total: 1 });
    expect(o.byRegion.every((x: any) => x.code.length === 9)).toBe(true);
  });

  it('drills down from the city to districts and from a street to communities', async () => {
    const city = await overview('city');
    expect(city.status, city.text).toBe(200);
    expect(city.body.region.code).toBe('5001');
    expect(city.body.open).toBe(5);
    expect(city.body.byRegion).toEqual([expect.objectContaining({ code: '500117', level: 'district', open: 5, total: 7 })]);
    const street = await overview('district', `?region=${homeStreet.code}`);
    expect(street.body.region.code).toBe(homeStreet.code);
    expect(street.body.byRegion.find((x: any) => x.code === homeCommunity.code)).toMatchObject({ level: 'community', open: 5, overdue: 1 });
    const community = await overview('district', `?region=${homeCommunity.code}&days=1`);
    expect(community.body.byDay).toEqual([{ date: '2026-11-16', intake: 5, closed: 1, overdue: 1 }]);
    expect(community.body.byRegion.find((x: any) => x.code === homeGrid.code)).toMatchObject({ level: 'grid', open: 5, total: 5 });
  });

  it('counts only what each viewer may see', async () => {
    const street = (await overview('street')).body;
    expect(street.region.code).toBe(homeStreet.code);
    expect(street.today).toEqual({ intake: 5, closed: 1 });
    expect(street.open).toBe(5);
    const away = (await overview('otherStreet')).body;
    expect(away.today).toEqual({ intake: 1, closed: 1 });
    expect(away.open).toBe(0);
    expect(away.onTimeRate).toBe(0);
    const grid = (await overview('grid')).body;
    expect(grid.region.code).toBe(homeGrid.code);
    expect(grid.byRegion).toEqual([]);
    // a department sees the cases assigned to it: A, B and F
    const dept = (await overview('dept')).body;
    expect(dept.today).toEqual({ intake: 3, closed: 2 });
    expect(dept.open).toBe(1);
    expect(dept.byCategory).toEqual([expect.objectContaining({ code: '02', count: 3 })]);
    const none = (await overview('otherDept')).body;
    expect(none).toMatchObject({ today: { intake: 0, closed: 0 }, open: 0, overdue: 0, onTimeRate: null, satisfactionRate: null, byUnit: [] });
    expect(none.byCategory).toEqual([]);
  });

  it('refuses residents, anonymous callers and regions outside the scope', async () => {
    problem(await overview('resident'), 403, 'forbidden');
    problem(await p.as(null).get('/api/v1/stats/overview'), 401, 'unauthenticated');
    problem(await overview('street', `?region=${otherStreet.code}`), 404, 'not_found');
    problem(await overview('street', '?region=500117'), 404, 'not_found'); // above the street
    problem(await overview('district', '?region=50'), 404, 'not_found');
    problem(await overview('district', '?region=500117999999'), 404, 'not_found'); // no such region
  });

  it('rejects bad query parameters with 400 problem+json', async () => {
    for (const qs of ['?days=0', '?days=91', '?days=abc', '?days=', '?days=1.5', '?region=abc', `?region=${encodeURIComponent("500117' OR '1'='1")}`,
      `?region=${'5'.repeat(5000)}`, '?regoin=500117', '?days=7&days=8', `?region=${encodeURIComponent('<script>alert(1)</script>')}`]) {
      problem(await overview('district', qs), 400, 'validation_failed');
    }
  });
});

describe('GET /api/v1/stats/grids', () => {
  it('colours the grids of a community', async () => {
    const r = await p.as(t.district).get(`/api/v1/stats/grids?region=${homeCommunity.code}`);
    expect(r.status, r.text).toBe(200);
    const byCode = new Map(r.body.items.map((x: any) => [x.gridCode, x]));
    expect(byCode.get(homeGrid.code)).toEqual({ gridCode: homeGrid.code, open: 5, overdue: 1, overdueShare: 0.2 });
    expect(byCode.get(neighbourGrid.code)).toEqual({ gridCode: neighbourGrid.code, open: 0, overdue: 0, overdueShare: 0 });
    expect(r.body.items.every((x: any) => x.gridCode.startsWith(homeCommunity.code))).toBe(true);
  });

  it('keeps to the viewer\'s scope', async () => {
    const mine = await p.as(t.grid).get('/api/v1/stats/grids');
    expect(mine.body.items.map((x: any) => x.gridCode)).toEqual([homeGrid.code]);
    const away = await p.as(t.otherStreet).get('/api/v1/stats/grids');
    expect(away.body.items.find((x: any) => x.gridCode === otherGrid.code)).toMatchObject({ open: 0 });
    expect(away.body.items.some((x: any) => x.gridCode.startsWith(homeStreet.code))).toBe(false);
    problem(await p.as(t.street).get(`/api/v1/stats/grids?region=${otherStreet.code}`), 404, 'not_found');
    problem(await p.as(t.resident).get('/api/v1/stats/grids'), 403, 'forbidden');
    problem(await p.as(t.district).get('/api/v1/stats/grids?region=x'), 400, 'validation_failed');
  });
});

describe('GET /api/v1/cases/points', () => {
  const points = (who: string, qs = '') => p.as(t[who]).get(`/api/v1/cases/points${qs}`);
  const idsOf = (r: Res) => r.body.items.map((x: any) => x.id).sort((a: number, b: number) => a - b);
  const sorted = (...xs: number[]) => xs.sort((a, b) => a - b);

  it('gives located cases with their SLA light', async () => {
    const r = await points('district');
    expect(r.status, r.text).toBe(200);
    expect(idsOf(r)).toEqual(sorted(...Object.values(ids)));
    const d = r.body.items.find((x: any) => x.id === ids.D);
    expect(d).toMatchObject({ state: 'reported', light: 'red', title: '老街口菜市场占道摆摊' });
    expect(typeof d.lat).toBe('number');
    expect(d.caseNo).toMatch(/^RX/);
    expect(r.body.items.find((x: any) => x.id === ids.A).light).toBeNull(); // closed
    expect(idsOf(await points('district', '?open=true'))).toEqual(sorted(ids.D, ids.C, ids.E, ids.F, ids.G));
    expect(idsOf(await points('district', '?open=false'))).toEqual(sorted(ids.A, ids.B));
    expect((await points('district', '?limit=2')).body.items).toHaveLength(2);
  });

  it('shows each viewer only their cases', async () => {
    expect(idsOf(await points('street'))).toEqual(sorted(ids.D, ids.A, ids.F, ids.C, ids.E, ids.G));
    expect(idsOf(await points('otherStreet'))).toEqual([ids.B]);
    expect(idsOf(await points('dept'))).toEqual(sorted(ids.A, ids.B, ids.F));
    expect(idsOf(await points('otherDept'))).toEqual([]);
    expect(idsOf(await points('resident'))).toEqual([ids.E]);
    problem(await points('street', `?region=${otherStreet.code}`), 404, 'not_found');
    problem(await p.as(null).get('/api/v1/cases/points'), 401);
  });

  it('rejects bad parameters', async () => {
    for (const qs of ['?limit=0', '?limit=5001', '?limit=-1', '?open=yes', `?region=${encodeURIComponent('1; DROP TABLE "case"')}`]) {
      problem(await points('district', qs), 400, 'validation_failed');
    }
  });
});

describe('GET /api/v1/cases/similar', () => {
  const similar = (who: string, q: Record<string, string | number>) =>
    p.as(t[who]).get(`/api/v1/cases/similar?${new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)]))}`);
  const here = at(homeGrid);

  it('finds open cases of the same top-level category nearby, nearest first', async () => {
    const r = await similar('op', { ...here, categoryCode: '020502' });
    expect(r.status, r.text).toBe(200);
    // D at 0 m, C at ~110 m, E at ~170 m, F at ~220 m; A and B are closed; G is another category
    expect(r.body.items.map((x: any) => x.id)).toEqual([ids.D, ids.C, ids.E, ids.F]);
    expect(r.body.items[0]).toMatchObject({ caseNo: expect.stringMatching(/^RX/), state: 'reported', distanceMeters: 0 });
    expect(r.body.items[1].distanceMeters).toBeGreaterThan(100);
    expect(r.body.items[1].distanceMeters).toBeLessThan(120);
    expect(r.body.items[0].createdAt).toBe('2026-11-10T01:30:00.000Z');
  });

  it('narrows by radius and recency, and ranks by text overlap when text is given', async () => {
    expect((await similar('op', { ...here, categoryCode: '020501', radius: 150 })).body.items.map((x: any) => x.id)).toEqual([ids.D, ids.C]);
    expect((await similar('op', { ...here, categoryCode: '020501', days: 5 })).body.items.map((x: any) => x.id)).not.toContain(ids.D);
    const r = await similar('op', { ...here, categoryCode: '020501', text: '学校门口有烧烤摊，油烟很大' });
    expect(r.body.items[0].id).toBe(ids.F);
    expect(r.body.items[0].textSimilarity).toBeGreaterThan(r.body.items[1].textSimilarity);
    const any = await similar('op', here);
    expect(any.body.items.map((x: any) => x.id)).toContain(ids.G);
  });

  it('keeps to the scope', async () => {
    expect((await similar('otherStreet', { ...here, categoryCode: '020501' })).body.items).toEqual([]);
    expect((await similar('resident', { ...here, categoryCode: '020501' })).body.items.map((x: any) => x.id)).toEqual([ids.E]);
  });

  it('rejects bad parameters', async () => {
    problem(await similar('op', { lng: here.lng }), 400, 'validation_failed');
    problem(await similar('op', { lat: 'abc', lng: here.lng }), 400, 'validation_failed');
    problem(await similar('op', { lat: '', lng: here.lng }), 400, 'validation_failed');
    problem(await similar('op', { lat: 91, lng: here.lng }), 400, 'validation_failed');
    problem(await similar('op', { ...here, radius: 10_000 }), 400, 'validation_failed');
    problem(await similar('op', { ...here, text: 'x'.repeat(2001) }), 400, 'validation_failed');
    problem(await similar('op', { ...here, categoryCode: "02' OR 1=1 --" }), 400, 'validation_failed');
    problem(await similar('op', { ...here, categoryCode: '999999' }), 422, 'unknown_category');
    const sql = await similar('op', { ...here, text: "'; DROP TABLE \"case\"; --" });
    expect(sql.status).toBe(200);
  });
});
