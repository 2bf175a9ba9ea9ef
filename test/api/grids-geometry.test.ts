// Grid geometry: GeoJSON import and its validation (all or nothing, errors per feature), new geometry
// versions, split and merge with their history, cases that keep the grid they were filed in, and
// dedicated grids (专属网格) that win over the comprehensive grid around them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblemStatus, testPlatform, type Method, type TestPlatform } from '../helpers/platform.ts';
import { communities, grids, homeCommunity, homeGrid, homeStreet, otherStreet } from '../helpers/fixtures.ts';
import { seedGridBase } from '../../src/modules/regions/grids/index.ts';
import { splitConvex, type LngLat } from '../../src/modules/regions/geometry.ts';
import { unionOfTiles, type AreaGeometry } from '../../src/modules/regions/grids/geometry.ts';

let p: TestPlatform;
const t: Record<string, string> = {};
type Pos = [number, number];

const req = (who: string, method: Method, url: string, body?: unknown) => p.as(t[who]).send(method, url, body);
const get = (who: string, url: string) => req(who, 'GET', url);
const post = (who: string, url: string, body: unknown) => req(who, 'POST', url, body);
const put = (who: string, url: string, body: unknown) => req(who, 'PUT', url, body);

const problem = expectProblemStatus;

async function counts() {
  const [r] = await p.ctx.db.query<any>(`SELECT (SELECT count(*) FROM region)::int AS regions, (SELECT count(*) FROM grid_polygon)::int AS polygons,
    (SELECT count(*) FROM grid_change)::int AS changes, (SELECT count(*) FROM grid_household_count)::int AS households,
    (SELECT count(*) FROM region WHERE retired_at IS NOT NULL)::int AS retired, (SELECT count(*) FROM outbox)::int AS events`);
  return r;
}

const open = (g: { polygon?: number[][][] }): LngLat[] => (g.polygon![0].slice(0, -1) as LngLat[]);
const close = (ring: LngLat[]): Pos[] => [...ring, ring[0]] as Pos[];
const polygon = (ring: LngLat[]) => ({ type: 'Polygon', coordinates: [close(ring)] });
const square = ([x, y]: Pos, h: number): LngLat[] => [[x - h, y - h], [x + h, y - h], [x + h, y + h], [x - h, y + h]];
const feature = (code: string, geometry: unknown, props: Record<string, unknown> = {}) =>
  ({ type: 'Feature', geometry, properties: { code, name: `测试网格${code.slice(-2)}`, ...props } });
const fc = (...features: unknown[]) => ({ type: 'FeatureCollection', features });
const locate = async ([lng, lat]: Pos) => (await get('zhihui', `/api/v1/regions/locate?lat=${lat}&lng=${lng}`)).body?.gridCode ?? null;

const centre = homeGrid.centroid as Pos;
const homeRing = open(homeGrid);
// A 专属网格 (a school) halfway between the home grid's centre and its westernmost corner.
const westCorner = homeRing.reduce((a, b) => (b[0] < a[0] ? b : a));
const schoolAt: Pos = [(centre[0] + westCorner[0]) / 2, (centre[1] + westCorner[1]) / 2];
const school = square(schoolAt, 0.0002);
const schoolCode = `${homeCommunity.code}07`;
// A point east of the centre where a case is filed before the split.
const eastmost = Math.max(...homeRing.map((q) => q[0]));
const casePoint: Pos = [centre[0] + (eastmost - centre[0]) * 0.3, centre[1]];
// Another community of the home street, for geometry edits.
const editCommunity = communities.filter((c) => c.parentCode === homeStreet.code)[1];
const editGrid = grids.find((g) => g.parentCode === editCommunity.code)!;
const farAway: Pos = [centre[0] + 0.25, centre[1] + 0.2];

beforeAll(async () => {
  p = await testPlatform('2026-11-16T01:30:00Z');
  await seedGridBase(p.ctx.db);
  for (const u of ['zhihui', 'jiedao', 'shequ', 'wangge', 'rexian']) t[u] = await p.login(u);
  t.otherStreet = await p.login(`jd${otherStreet.code}`);
}, 120_000);
afterAll(async () => { await p?.close(); });

describe('a grid', () => {
  it('shows its current version, area and households', async () => {
    const r = await get('shequ', `/api/v1/grids/${homeGrid.code}`);
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ code: homeGrid.code, kind: 'comprehensive', version: 1, communityCode: homeCommunity.code, retiredAt: null });
    expect(r.body.households).toBeGreaterThanOrEqual(300);
    expect(r.body.households).toBeLessThanOrEqual(500);
    expect(r.body.areaM2).toBeGreaterThan(1000);
    expect(r.body.geometry.type).toBe('Polygon');
  });
});

describe('GeoJSON import is validated feature by feature, all or nothing', () => {
  const good = () => feature(schoolCode, polygon(school), { kind: 'dedicated', dedicatedType: 'school', households: 0 });
  const rejects: Array<[string, unknown, string]> = [
    ['a ring that is not closed', fc(feature(schoolCode, { type: 'Polygon', coordinates: [school] })), 'ring_not_closed'],
    ['latitude and longitude swapped (out of range)', fc(feature(schoolCode, { type: 'Polygon', coordinates: [close(school).map(([x, y]) => [y, x])] })), 'coordinate_out_of_range'],
    ['a bow tie', fc(feature(schoolCode, polygon([school[0], school[2], school[1], school[3]]))), 'self_intersection'],
    ['a Point', fc(feature(schoolCode, { type: 'Point', coordinates: schoolAt })), 'unsupported_geometry_type'],
    ['no geometry', fc(feature(schoolCode, null)), 'not_a_geometry'],
    ['positions as strings', fc(feature(schoolCode, { type: 'Polygon', coordinates: [close(school).map(([x, y]) => [String(x), String(y)])] })), 'bad_coordinates'],
    ['a code that is not 14 digits', fc(feature('5001170010050', polygon(school))), 'invalid_property'],
    ['a missing name', fc({ type: 'Feature', geometry: polygon(school), properties: { code: schoolCode } }), 'invalid_property'],
    ['markup in the name', fc(feature(schoolCode, polygon(school), { name: '<script>alert(1)</script>' })), 'invalid_property'],
    ['an unknown kind', fc(feature(schoolCode, polygon(school), { kind: 'special' })), 'invalid_property'],
    ['a code that exists', fc(feature(homeGrid.code, polygon(school))), 'code_exists'],
    ['a community that does not exist', fc(feature('50011700199901', polygon(school))), 'unknown_community'],
    ['a polygon far outside its community', fc(feature(schoolCode, polygon(square(farAway, 0.001)))), 'outside_community'],
    ['something that is not a Feature', fc({ type: 'Polygon', coordinates: [close(school)] }), 'not_a_feature'],
  ];
  it.each(rejects)('rejects %s and writes nothing', async (_name, body, reason) => {
    const before = await counts();
    const r = await post('zhihui', '/api/v1/grids/import', body);
    problem(r, 422, 'invalid_features');
    expect(r.body.errors.map((e: any) => e.reason)).toContain(reason);
    expect(r.body.errors[0].index).toBe(0);
    expect(await counts()).toEqual(before);
  });

  it('lists every bad feature and imports none when one of several is bad', async () => {
    const before = await counts();
    const second = feature(`${homeCommunity.code}08`, polygon(square([schoolAt[0], schoolAt[1] - 0.0006], 0.0001)));
    const r = await post('zhihui', '/api/v1/grids/import', fc(good(), second, { ...second }, feature(`${homeCommunity.code}09`, { type: 'Polygon', coordinates: [school] })));
    problem(r, 422, 'invalid_features');
    expect(r.body.errors.map((e: any) => [e.index, e.reason])).toEqual([[2, 'duplicate_code'], [3, 'ring_not_closed']]);
    expect(r.body.invalidCount).toBe(2);
    expect(r.body.detail).toContain('2 of 4');
    expect(await counts()).toEqual(before);
  });

  it('refuses malformed collections, foreign reference systems and imports outside your region', async () => {
    const before = await counts();
    problem(await post('zhihui', '/api/v1/grids/import', { type: 'Feature', geometry: polygon(school), properties: {} }), 400, 'validation_failed');
    problem(await post('zhihui', '/api/v1/grids/import', { type: 'FeatureCollection', features: {} }), 400, 'validation_failed');
    problem(await post('zhihui', '/api/v1/grids/import', fc()), 400, 'validation_failed');
    problem(await post('zhihui', '/api/v1/grids/import?mode=replace', fc(good())), 400, 'validation_failed');
    problem(await post('zhihui', '/api/v1/grids/import', { ...fc(good()), crs: { type: 'name', properties: { name: 'EPSG:3857' } } }), 422, 'unsupported_crs');
    problem(await post('otherStreet', '/api/v1/grids/import', fc(good())), 403, 'outside_scope');
    for (const who of ['shequ', 'wangge', 'rexian']) problem(await post(who, '/api/v1/grids/import', fc(good())), 403, 'forbidden');
    expect(await counts()).toEqual(before);
  });

  it('imports a dedicated grid that wins over the comprehensive grid around it', async () => {
    const r = await post('jiedao', '/api/v1/grids/import', { ...fc(good()), crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } } });
    expect(r.status, r.text).toBe(201);
    expect(r.body).toEqual({ created: [schoolCode], updated: [], count: 1 });
    expect(await locate(schoolAt)).toBe(schoolCode);
    expect(await locate(casePoint)).toBe(homeGrid.code);
    const info = (await get('shequ', `/api/v1/grids/${schoolCode}`)).body;
    expect(info).toMatchObject({ kind: 'dedicated', dedicatedType: 'school', households: 0, hostGrids: [homeGrid.code], version: 1 });
    expect((await get('shequ', `/api/v1/grids/${homeGrid.code}`)).body.dedicatedGrids).toEqual([schoolCode]);
    // and by name, as the grid page links them
    expect(info.hostGridRefs).toEqual([{ code: homeGrid.code, name: homeGrid.name }]);
    expect((await get('shequ', `/api/v1/grids/${homeGrid.code}`)).body.dedicatedGridRefs).toEqual([{ code: schoolCode, name: `测试网格${schoolCode.slice(-2)}` }]);
    // a grid worker standing in the school is still inside their own grid
    const c = await post('wangge', '/api/v1/patrols/check-in', { lng: schoolAt[0], lat: schoolAt[1] });
    expect(c.body).toMatchObject({ gridCode: schoolCode, insideOwnGrid: true, distanceToOwnGridM: 0 });
    const h = (await get('shequ', `/api/v1/grids/${schoolCode}/history`)).body;
    expect(h.changes.map((x: any) => x.kind)).toEqual(['create']);
  });

  it('gives an existing grid a new version on upsert', async () => {
    const bigger = square(schoolAt, 0.00025);
    // kind and type are not repeated: the grid keeps them
    const r = await post('zhihui', '/api/v1/grids/import?mode=upsert', fc(feature(schoolCode, polygon(bigger), { name: '合阳城小学专属网格' })));
    expect(r.status, r.text).toBe(201);
    expect(r.body.updated).toEqual([{ code: schoolCode, version: 2 }]);
    const g = (await get('shequ', `/api/v1/grids/${schoolCode}`)).body;
    expect(g).toMatchObject({ version: 2, name: '合阳城小学专属网格', kind: 'dedicated', dedicatedType: 'school' });
    problem(await post('zhihui', '/api/v1/grids/import?mode=upsert', fc(feature(schoolCode, polygon(bigger), { kind: 'comprehensive', dedicatedType: 'park' }))), 422, 'invalid_features');
  });
});

describe('editing a grid polygon', () => {
  const shrunk = (f: number) => open(editGrid).map(([x, y]): LngLat => [editGrid.centroid![0] + (x - editGrid.centroid![0]) * f, editGrid.centroid![1] + (y - editGrid.centroid![1]) * f]);

  it('closes the old version and starts the next one now', async () => {
    p.clock.set('2026-11-16T02:00:00Z');
    const r = await put('jiedao', `/api/v1/grids/${editGrid.code}/geometry`, { geometry: polygon(shrunk(0.97)), expectedVersion: 1, note: '道路改线' });
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ code: editGrid.code, version: 2, validFrom: '2026-11-16T02:00:00.000Z', warnings: [] });
    const h = (await get('jiedao', `/api/v1/grids/${editGrid.code}/history?geometry=true`)).body;
    expect(h.versions.map((v: any) => [v.version, v.validFrom, v.validTo])).toEqual([
      [1, expect.any(String), '2026-11-16T02:00:00.000Z'], [2, '2026-11-16T02:00:00.000Z', null]]);
    expect(h.versions[1].geometry.coordinates[0]).toHaveLength(open(editGrid).length + 1);
    expect(h.changes).toMatchObject([{ kind: 'geometry', note: '道路改线', detail: { fromVersion: 1, toVersion: 2 } }]);
  });

  it('refuses a stale version, a polygon outside the community and bad geometry, writing nothing', async () => {
    const before = await counts();
    problem(await put('jiedao', `/api/v1/grids/${editGrid.code}/geometry`, { geometry: polygon(shrunk(0.95)), expectedVersion: 1 }), 409, 'version_conflict');
    problem(await put('jiedao', `/api/v1/grids/${editGrid.code}/geometry`, { geometry: polygon(square(farAway, 0.001)) }), 422, 'outside_community');
    const r = await put('jiedao', `/api/v1/grids/${editGrid.code}/geometry`, { geometry: { type: 'Polygon', coordinates: [shrunk(0.9)] } });
    problem(r, 422, 'invalid_geometry');
    expect(r.body.errors[0].reason).toBe('ring_not_closed');
    problem(await put('otherStreet', `/api/v1/grids/${editGrid.code}/geometry`, { geometry: polygon(shrunk(0.9)) }), 404, 'not_found');
    problem(await put('shequ', `/api/v1/grids/${editGrid.code}/geometry`, { geometry: polygon(shrunk(0.9)) }), 403, 'forbidden');
    expect(await counts()).toEqual(before);
  });

  it('warns when the new polygon overlaps a neighbour', async () => {
    const r = await put('zhihui', `/api/v1/grids/${editGrid.code}/geometry`, { geometry: polygon(shrunk(1.15)) });
    expect(r.status, r.text).toBe(200);
    expect(r.body.version).toBe(3);
    expect(r.body.warnings.length).toBeGreaterThan(0);
    expect(r.body.warnings[0].code).toBe('overlaps_neighbour');
  });
});

describe('split and merge', () => {
  let caseId: number, caseNo: string;
  let parts: string[] = [];
  const [west, east] = splitConvex(homeRing, 1, 0, centre[0]);

  it('refuses parts that do not tile the grid, writing nothing', async () => {
    const before = await counts();
    const half = (ring: LngLat[], name: string) => ({ geometry: polygon(ring), name });
    problem(await post('jiedao', `/api/v1/grids/${homeGrid.code}/split`, { parts: [half(west, 'A'), half(homeRing, 'B')] }), 422, 'parts_overlap');
    problem(await post('jiedao', `/api/v1/grids/${homeGrid.code}/split`, { parts: [half(west, 'A'), half(square(east[0] as Pos, 0.0001), 'B')] }), 422, 'part_outside_grid');
    const [eastLow] = splitConvex(east, 0, 1, centre[1]);
    problem(await post('jiedao', `/api/v1/grids/${homeGrid.code}/split`, { parts: [half(west, 'A'), half(eastLow, 'B')] }), 422, 'parts_do_not_cover');
    problem(await post('jiedao', `/api/v1/grids/${homeGrid.code}/split`, { parts: [half(west, 'A')] }), 400, 'validation_failed');
    problem(await post('otherStreet', `/api/v1/grids/${homeGrid.code}/split`, { parts: [half(west, 'A'), half(east, 'B')] }), 404);
    problem(await post('shequ', `/api/v1/grids/${homeGrid.code}/split`, { parts: [half(west, 'A'), half(east, 'B')] }), 403, 'forbidden');
    expect(await counts()).toEqual(before);
  });

  it('retires the grid, allocates new codes in the community, and keeps the history', async () => {
    p.clock.set('2026-11-16T03:00:00Z');
    const c = await post('rexian', '/api/v1/cases', { categoryCode: '030102', title: '路灯不亮', description: '东侧三盏路灯不亮', lng: casePoint[0], lat: casePoint[1] });
    expect(c.status, c.text).toBe(201);
    expect(c.body.regionCode).toBe(homeGrid.code);
    caseId = c.body.id;
    caseNo = c.body.caseNo;
    const householdsBefore = (await get('zhihui', `/api/v1/grids/${homeGrid.code}`)).body.households;

    p.clock.set('2026-11-16T04:00:00Z');
    const r = await post('jiedao', `/api/v1/grids/${homeGrid.code}/split`, {
      parts: [{ geometry: polygon(west), name: '营盘街社区第1网格西' }, { geometry: polygon(east), name: '营盘街社区第1网格东' }], note: '户数超过标准',
    });
    expect(r.status, r.text).toBe(201);
    parts = r.body.created.map((x: any) => x.code);
    expect(parts).toEqual([`${homeCommunity.code}08`, `${homeCommunity.code}09`]); // after 01–06 and the school 07
    expect(r.body.retired).toEqual([homeGrid.code]);
    // the grid worker's account moved with the grid to the part where their work lay (grid-change-carry.test.ts)
    expect(r.body.carried.accounts).toBeGreaterThanOrEqual(1);
    expect(r.body.accountsOnRetiredGrids.map((a: any) => a.username)).not.toContain('wangge');
    // an account left on the retired grid is named as a person reads it, not by its code alone
    for (const a of r.body.accountsOnRetiredGrids) expect(a.displayName, a.username).toBeTruthy();
    expect(r.body.created[0].households + r.body.created[1].households).toBe(householdsBefore);

    // the case follows the split like the grid's visits: to the eastern part, where its point lies
    const kept = await get('zhihui', `/api/v1/cases/${caseId}`);
    expect(kept.body).toMatchObject({ caseNo, regionCode: parts[1] });
    expect(await locate(casePoint)).toBe(parts[1]);
    const later = await post('rexian', '/api/v1/cases', { categoryCode: '030102', title: '路灯又坏', description: '同一位置', lng: casePoint[0], lat: casePoint[1] });
    expect(later.body.regionCode).toBe(parts[1]);
    // the old grid's cases stay within its community; its worker moved with the grid to the part where their work lay
    expect((await get('shequ', `/api/v1/cases/${caseId}`)).status).toBe(200);
    expect(parts).toContain((await get('wangge', '/api/v1/auth/me')).body.regionCode);

    const old = (await get('shequ', `/api/v1/grids/${homeGrid.code}/history`)).body;
    expect(old.retiredAt).toBe('2026-11-16T04:00:00.000Z');
    expect(old.versions).toMatchObject([{ version: 1, validTo: '2026-11-16T04:00:00.000Z' }]);
    expect(old.changes).toMatchObject([{ kind: 'split', fromCodes: [homeGrid.code], toCodes: parts, note: '户数超过标准' }]);
    expect(old.successors).toEqual(parts);
    const born = (await get('shequ', `/api/v1/grids/${parts[0]}/history`)).body;
    expect(born.predecessors).toEqual([homeGrid.code]);
    expect(born.versions).toMatchObject([{ version: 1, validFrom: '2026-11-16T04:00:00.000Z', validTo: null }]);

    const map = (await get('shequ', `/api/v1/regions/${homeCommunity.code}/grids`)).body.features.map((f: any) => f.id);
    expect(map).toEqual(expect.arrayContaining(parts));
    expect(map).not.toContain(homeGrid.code);
    problem(await post('jiedao', `/api/v1/grids/${homeGrid.code}/split`, { parts: [{ geometry: polygon(west), name: 'A' }, { geometry: polygon(east), name: 'B' }] }), 409, 'grid_retired');
    problem(await put('zhihui', `/api/v1/grids/${homeGrid.code}/geometry`, { geometry: polygon(west) }), 409, 'grid_retired');
  });

  it('merges the parts back into one grid from their shared edge', async () => {
    p.clock.set('2026-11-16T05:00:00Z');
    const before = await counts();
    problem(await post('zhihui', '/api/v1/grids/merge', { codes: [parts[0], homeGrid.code], name: 'x' }), 409, 'grid_retired');
    problem(await post('zhihui', '/api/v1/grids/merge', { codes: [parts[0], editGrid.code], name: 'x' }), 422, 'different_communities');
    problem(await post('zhihui', '/api/v1/grids/merge', { codes: [parts[0], schoolCode], name: 'x' }), 422, 'different_kinds');
    const apart = grids.find((g) => g.parentCode === homeCommunity.code && g.code !== homeGrid.code
      && !unionOfTiles([polygon(open(homeGrid)), polygon(open(g))] as AreaGeometry[]))!;
    problem(await post('zhihui', '/api/v1/grids/merge', { codes: [parts[0], parts[1], apart.code], name: 'x' }), 422, 'grids_not_adjacent');
    problem(await post('zhihui', '/api/v1/grids/merge', { codes: parts, name: 'x', geometry: polygon(square(centre, 0.0001)) }), 422, 'geometry_area_mismatch');
    problem(await post('zhihui', '/api/v1/grids/merge', { codes: [parts[0], parts[0]], name: 'x' }), 400, 'validation_failed');
    expect(await counts()).toEqual(before);

    const r = await post('jiedao', '/api/v1/grids/merge', { codes: parts, name: '营盘街社区第1网格（合并）', note: '撤并' });
    expect(r.status, r.text).toBe(201);
    const merged = r.body.created[0];
    expect(merged.code).toBe(`${homeCommunity.code}10`);
    const whole = (await get('zhihui', `/api/v1/grids/${merged.code}`)).body;
    const original = (await get('zhihui', `/api/v1/grids/${homeGrid.code}/history`)).body.versions[0].areaM2;
    expect(Math.abs(whole.areaM2 - original)).toBeLessThanOrEqual(2);
    expect(whole.households).toBe(r.body.created[0].households);
    expect(await locate(casePoint)).toBe(merged.code);
    const h = (await get('zhihui', `/api/v1/grids/${merged.code}/history`)).body;
    expect(h.predecessors).toEqual(parts);
    expect(h.changes).toMatchObject([{ kind: 'merge', fromCodes: parts, toCodes: [merged.code] }]);
    const partHistory = (await get('zhihui', `/api/v1/grids/${parts[1]}/history`)).body;
    expect(partHistory.changes.map((c: any) => c.kind)).toEqual(['split', 'merge']);
    expect(partHistory.successors).toEqual([merged.code]);
    // the case filed before all this followed both changes to the merged grid
    expect((await get('zhihui', `/api/v1/cases/${caseId}`)).body.regionCode).toBe(merged.code);
  });
});
