// Grid staff and party members (党员到网格报到), and professional grid layers mapped onto comprehensive
// grids (多网合一): explicit and computed mappings, what each user sees of them, and mappings that
// follow a split.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblemStatus, testPlatform, type Method, type TestPlatform } from '../helpers/platform.ts';
import { grids, homeCommunity, homeGrid, neighbourGrid, otherGrid, otherStreet } from '../helpers/fixtures.ts';
import { seedGridBase } from '../../src/modules/regions/grids/index.ts';
import { unionOfTiles, type AreaGeometry } from '../../src/modules/regions/grids/geometry.ts';
import { splitConvex, type LngLat } from '../../src/modules/regions/geometry.ts';

let p: TestPlatform;
const t: Record<string, string> = {};
type Pos = [number, number];

const req = (who: string, method: Method, url: string, body?: unknown) => p.as(t[who]).send(method, url, body);
const get = (who: string, url: string) => req(who, 'GET', url);
const post = (who: string, url: string, body: unknown) => req(who, 'POST', url, body);
const put = (who: string, url: string, body: unknown) => req(who, 'PUT', url, body);
const problem = expectProblemStatus;
const userId = async (username: string) => Number((await p.ctx.db.query<{ id: number }>('SELECT id FROM app_user WHERE username = $1', [username]))[0].id);

const open = (g: { polygon?: number[][][] }): LngLat[] => (g.polygon![0].slice(0, -1) as LngLat[]);
const polygon = (ring: LngLat[]) => ({ type: 'Polygon' as const, coordinates: [[...ring, ring[0]]] as Pos[][] });
const square = ([x, y]: Pos, h: number): LngLat[] => [[x - h, y - h], [x + h, y - h], [x + h, y + h], [x - h, y + h]];
const staffUrl = `/api/v1/grids/${homeGrid.code}/staff`;

beforeAll(async () => {
  p = await testPlatform('2026-11-16T01:30:00Z');
  await seedGridBase(p.ctx.db);
  for (const u of ['zhihui', 'jiedao', 'shequ', 'wangge', 'rexian', 'chengguan', 'jumin', 'gongan']) t[u] = await p.login(u);
  t.neighbour = await p.login(`wg${neighbourGrid.code}`);
  t.otherStreet = await p.login(`jd${otherStreet.code}`);
}, 120_000);
afterAll(async () => { await p?.close(); });

describe('grid staff', () => {
  let leader: number, adviser: number;

  it('assigns people with and without accounts, keeping phones encrypted and masked', async () => {
    const a = await post('shequ', staffUrl, { role: 'full_time', userId: await userId('wangge'), phone: '13900001111' });
    expect(a.status, a.text).toBe(201);
    expect(a.body).toMatchObject({ role: 'full_time', name: expect.stringContaining('赵丽'), user: { username: 'wangge' }, phone: '139****1111', startedOn: '2026-11-16' });
    const b = await post('shequ', staffUrl, { role: 'grid_leader', name: '刘洋', phone: '13800001234', startedOn: '2025-03-01' });
    expect(b.status, b.text).toBe(201);
    leader = b.body.id;
    // a 网格警 from the district police sub-bureau: an account above the community
    const c = await post('jiedao', staffUrl, { role: 'police', userId: await userId('gongan'), name: '社区民警 周强' });
    expect(c.status, c.text).toBe(201);
    const d = await post('shequ', staffUrl, { role: 'legal_adviser', name: '王律师', note: '每月第一个周三驻点' });
    adviser = d.body.id;

    const [row] = await p.ctx.db.query<any>('SELECT phone, phone_hash, phone_masked FROM grid_staff WHERE id = $1', [leader]);
    expect(row.phone).not.toContain('13800001234');
    expect(row.phone_hash).toBe(p.ctx.cipher.lookupHash('13800001234'));
    expect(row.phone_masked).toBe('138****1234');

    const list = await get('wangge', staffUrl);
    expect(list.status).toBe(200);
    expect(list.body.staff.map((s: any) => s.role)).toEqual(['grid_leader', 'full_time', 'police', 'legal_adviser']);
    expect(list.text).not.toContain('13800001234');
  });

  it('refuses duplicates, accounts outside the region, retired or unknown grids', async () => {
    problem(await post('shequ', staffUrl, { role: 'full_time', userId: await userId('wangge') }), 409, 'already_assigned');
    problem(await post('shequ', staffUrl, { role: 'part_time', userId: await userId(`jd${otherStreet.code}`) }), 422, 'unknown_user');
    problem(await post('shequ', staffUrl, { role: 'part_time', userId: 99_999_999 }), 422, 'unknown_user');
    problem(await post('shequ', `/api/v1/grids/${homeCommunity.code}99/staff`, { role: 'part_time', name: '某人' }), 404, 'not_found');
    problem(await post('shequ', staffUrl, { role: 'part_time' }), 400, 'validation_failed');
  });

  it('reveals a phone only for a stated purpose, and audits it', async () => {
    problem(await post('wangge', `${staffUrl}/${leader}/reveal`, { purpose: '联系' }), 403, 'forbidden');
    problem(await post('shequ', `${staffUrl}/${leader}/reveal`, {}), 400, 'validation_failed');
    const r = await post('shequ', `${staffUrl}/${leader}/reveal`, { purpose: '安排夜间巡查' });
    expect(r.body).toEqual({ id: leader, phone: '13800001234' });
    const [a] = await p.ctx.db.query<any>(`SELECT detail FROM audit_log WHERE action = 'reveal_staff_phone' AND target = $1`, [`grid_staff:${leader}`]);
    expect(a.detail.purpose).toBe('安排夜间巡查');
    problem(await post('shequ', `/api/v1/grids/${neighbourGrid.code}/staff/${leader}/reveal`, { purpose: '核实' }), 404);
  });

  it('ends an assignment and keeps it in the history', async () => {
    const r = await post('shequ', `${staffUrl}/${adviser}/end`, {});
    expect(r.status, r.text).toBe(200);
    problem(await post('shequ', `${staffUrl}/${adviser}/end`, {}), 409, 'already_ended');
    expect((await get('shequ', staffUrl)).body.staff.map((s: any) => s.id)).not.toContain(adviser);
    const all = (await get('shequ', `${staffUrl}?includeEnded=true`)).body.staff;
    expect(all.find((s: any) => s.id === adviser)).toMatchObject({ name: '王律师', endedAt: expect.any(String) });
  });

  it('registers party members and the services they render (党员到网格报到)', async () => {
    const m = await post('shequ', `/api/v1/grids/${homeGrid.code}/party-members`, { name: '陈明', branch: '区教委机关第二党支部', workplace: '合川区教委', phone: '13700002222', registeredOn: '2026-03-05' });
    expect(m.status, m.text).toBe(201);
    expect(m.body).toMatchObject({ name: '陈明', branch: '区教委机关第二党支部', registeredOn: '2026-03-05', phone: '137****2222', services: { count: 0 } });
    const url = `/api/v1/grids/${homeGrid.code}/party-members/${m.body.id}/services`;
    expect((await post('wangge', url, { servedOn: '2026-11-01', hours: 2, description: '协助开展消防安全宣传' })).status).toBe(201);
    expect((await post('shequ', url, { servedOn: '2026-11-08', hours: 1.5, description: '走访独居老人' })).status).toBe(201);
    problem(await post('shequ', url, { servedOn: '2026-02-01', description: '报到之前' }), 422, 'before_registration');
    problem(await post('shequ', url, { servedOn: '2026-12-01', description: '将来' }), 422, 'in_the_future');
    problem(await post('shequ', url, { servedOn: '2026-11-08', hours: 1.3, description: '半小时为单位' }), 400, 'validation_failed');
    problem(await post('neighbour', url, { servedOn: '2026-11-08', description: '别的网格' }), 404);
    problem(await post('wangge', `/api/v1/grids/${homeGrid.code}/party-members`, { name: '某人', branch: '某支部' }), 403, 'forbidden');
    const list = (await get('wangge', staffUrl)).body.partyMembers;
    expect(list).toHaveLength(1);
    expect(list[0].services).toMatchObject({ count: 2, hours: 3.5 });
    expect(list[0].services.recent.map((s: any) => s.servedOn)).toEqual(['2026-11-08', '2026-11-01']);
  });

  it('shows staff to grid staff in scope only', async () => {
    for (const who of ['wangge', 'shequ', 'jiedao', 'zhihui', 'rexian']) expect((await get(who, staffUrl)).status).toBe(200);
    for (const who of ['neighbour', 'otherStreet']) {
      const r = await get(who, staffUrl);
      problem(r, 404);
      expect(r.text).not.toContain('刘洋');
    }
    for (const who of ['chengguan', 'jumin']) problem(await get(who, staffUrl), 403, 'forbidden');
  });
});

describe('professional grid layers (多网合一)', () => {
  const communityGrids = grids.filter((g) => g.parentCode === homeCommunity.code);
  const communityOutline = unionOfTiles(communityGrids.map((g) => polygon(open(g)) as AreaGeometry))!;
  const station: Pos = [homeGrid.centroid![0] + 0.0001, homeGrid.centroid![1] + 0.0001];
  const cells = () => ({
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', geometry: communityOutline, properties: { code: 'CG-01', name: '城管第一责任区' } },
      { type: 'Feature', geometry: polygon(open(otherGrid)), properties: { code: 'CG-02', name: '城管第二责任区', grids: [otherGrid.code] } },
      { type: 'Feature', geometry: polygon(square(station, 0.0002)), properties: { code: 'CG-03', name: '城管执勤点' } },
    ],
  });

  it('creates a layer and maps its grids onto comprehensive grids, explicitly or by overlap', async () => {
    problem(await post('jiedao', '/api/v1/grid-layers', { id: 'chengguan-500117', kind: 'urban_management', name: '城管网格', regionCode: '500117' }), 403, 'forbidden');
    problem(await post('zhihui', '/api/v1/grid-layers', { id: 'chengguan-500117', kind: 'urban_management', name: '城管网格', regionCode: '500118' }), 403, 'outside_scope');
    problem(await post('zhihui', '/api/v1/grid-layers', { id: 'chengguan-500117', kind: 'urban_management', name: '城管网格', regionCode: '500117', unitId: 'no-such-unit' }), 422, 'unknown_unit');
    const r = await post('zhihui', '/api/v1/grid-layers', { id: 'chengguan-500117', kind: 'urban_management', name: '城管网格', regionCode: '500117', unitId: 'dept-chengguan' });
    expect(r.status, r.text).toBe(201);
    expect(r.body).toMatchObject({ id: 'chengguan-500117', unitName: expect.any(String), cells: 0 });
    problem(await post('zhihui', '/api/v1/grid-layers', { id: 'chengguan-500117', kind: 'fire', name: '重复', regionCode: '500117' }), 409, 'layer_exists');

    const bad = cells();
    bad.features[1].properties.grids = ['50011700100599'];
    bad.features.push({ ...bad.features[0] });
    const rejected = await put('zhihui', '/api/v1/grid-layers/chengguan-500117/grids', bad);
    problem(rejected, 422, 'invalid_features');
    expect(rejected.body.errors.map((e: any) => [e.index, e.reason])).toEqual([[1, 'unknown_grid'], [3, 'duplicate_code']]);
    expect((await get('zhihui', '/api/v1/grid-layers')).body.items[0].cells).toBe(0);

    const ok = await put('zhihui', '/api/v1/grid-layers/chengguan-500117/grids', cells());
    expect(ok.status, ok.text).toBe(200);
    const comprehensive = communityGrids.filter((g) => g.kind === 'comprehensive').map((g) => g.code).sort();
    expect(ok.body).toEqual({ layer: 'chengguan-500117', cells: 3, mappings: comprehensive.length + 2 });

    const m = (await get('zhihui', '/api/v1/grid-layers/chengguan-500117/mapping')).body.items;
    expect(m.filter((x: any) => x.cellCode === 'CG-01').map((x: any) => x.gridCode)).toEqual(comprehensive);
    expect(m.filter((x: any) => x.cellCode === 'CG-02')).toMatchObject([{ gridCode: otherGrid.code, source: 'explicit' }]);
    expect(m.filter((x: any) => x.cellCode === 'CG-03')).toMatchObject([{ gridCode: homeGrid.code, source: 'computed' }]);
    const mine = (await get('wangge', `/api/v1/grids/${homeGrid.code}/layers`)).body.items;
    expect(mine.map((x: any) => [x.layerId, x.cellCode])).toEqual([['chengguan-500117', 'CG-01'], ['chengguan-500117', 'CG-03']]);
  });

  it('shows each user only the layer grids over their region', async () => {
    const features = async (who: string) => (await get(who, '/api/v1/grid-layers/chengguan-500117/grids')).body.features;
    expect((await features('zhihui')).map((f: any) => f.id)).toEqual(['CG-01', 'CG-02', 'CG-03']);
    expect((await features('chengguan')).map((f: any) => f.id)).toEqual(['CG-01', 'CG-02', 'CG-03']); // the department running it
    const wg = await features('wangge');
    expect(wg.map((f: any) => f.id)).toEqual(['CG-01', 'CG-03']);
    expect(wg[0].properties.grids).toEqual([homeGrid.code]);
    expect((await features('otherStreet')).map((f: any) => f.id)).toEqual(['CG-02']);
    expect((await get('otherStreet', '/api/v1/grid-layers/chengguan-500117/mapping')).body.items.map((x: any) => x.gridCode)).toEqual([otherGrid.code]);
    expect((await get('shequ', `/api/v1/grid-layers/chengguan-500117/mapping?grid=${neighbourGrid.code}`)).body.items.map((x: any) => x.cellCode)).toEqual(['CG-01']);
    problem(await get('jumin', '/api/v1/grid-layers'), 403, 'forbidden');
    problem(await get('zhihui', '/api/v1/grid-layers/no-such-layer/grids'), 404);
    problem(await get('neighbour', `/api/v1/grids/${homeGrid.code}/layers`), 404);
  });

  it('follows a split: the layer grids map onto the new grids', async () => {
    const [west, east] = splitConvex(open(homeGrid), 1, 0, homeGrid.centroid![0]);
    const r = await post('zhihui', `/api/v1/grids/${homeGrid.code}/split`, { parts: [{ geometry: polygon(west), name: '西片' }, { geometry: polygon(east), name: '东片' }] });
    expect(r.status, r.text).toBe(201);
    const [westCode, eastCode] = r.body.created.map((c: any) => c.code);
    const m = (await get('zhihui', '/api/v1/grid-layers/chengguan-500117/mapping')).body.items;
    const cg1 = m.filter((x: any) => x.cellCode === 'CG-01').map((x: any) => x.gridCode);
    expect(cg1).toEqual(expect.arrayContaining([westCode, eastCode]));
    expect(cg1).not.toContain(homeGrid.code);
    expect(m.filter((x: any) => x.cellCode === 'CG-03').map((x: any) => x.gridCode)).toEqual([eastCode]); // the station lies east of the centre
    // staff cannot be assigned to the retired grid
    problem(await post('shequ', staffUrl, { role: 'part_time', name: '新人' }), 409, 'grid_retired');
    const facts = await p.ctx.db.query<any>(`SELECT kind FROM grid_change WHERE region_code = '500117' ORDER BY id`);
    expect(facts.map((f) => f.kind)).toEqual(['layer_import']);
  });
});
