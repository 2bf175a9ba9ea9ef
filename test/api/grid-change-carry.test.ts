// Grid changes carry their people: a split moves the grid's staff and accounts to the part where their
// recent work lay and the registry's records to the part where they lie; what it cannot place goes on
// the review list, and moves when someone decides (open visit plans follow their household or person). A
// merge moves everything to the merged grid.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblemStatus as problem, testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { homeGrid, homeCommunity, neighbourGrid } from '../helpers/fixtures.ts';
import { splitConvex, type LngLat } from '../../src/modules/regions/geometry.ts';
import { idNumber } from './registry-helpers.ts';

let p: TestPlatform;
const t: Record<string, string> = {};
const as = (who: string) => p.as(t[who]);
const ring = homeGrid.polygon![0].slice(0, -1) as LngLat[];
const centre = homeGrid.centroid as [number, number];
const [west, east] = splitConvex(ring, 1, 0, centre[0]);
const polygon = (r: LngLat[]) => ({ type: 'Polygon', coordinates: [[...r, r[0]]] });
const westmost = Math.min(...ring.map((q) => q[0]));
const eastmost = Math.max(...ring.map((q) => q[0]));
const inWest = { lng: centre[0] - (centre[0] - westmost) * 0.4, lat: centre[1] };
const inEast = { lng: centre[0] + (eastmost - centre[0]) * 0.4, lat: centre[1] };
const ids: Record<string, number> = {};
let parts: string[] = [];

async function ok(r: { status: number; text: string; body: any }) { expect(r.status, r.text).toBeLessThan(300); return r.body; }

beforeAll(async () => {
  p = await testPlatform('2026-11-16T01:30:00Z');
  for (const u of ['jiedao', 'shequ', 'wangge']) t[u] = await p.login(u);
  t.neighbour = await p.login(`wg${neighbourGrid.code}`);
  ids.wangge = (await as('wangge').get('/api/v1/auth/me')).body.id;
  // the worker's recent work lies in the eastern half
  await ok(await as('wangge').post('/api/v1/patrols/check-in', inEast));
  await ok(await as('wangge').post('/api/v1/patrols/check-in', { lng: inEast.lng + 0.0002, lat: inEast.lat }));
  const H = `/api/v1/grids/${homeGrid.code}`;
  ids.staffWithAccount = (await ok(await as('shequ').post(`${H}/staff`, { role: 'full_time', userId: ids.wangge }))).id;
  ids.staffWithout = (await ok(await as('shequ').post(`${H}/staff`, { role: 'part_time', name: '兼职网格员钱七' }))).id;
  ids.member = (await ok(await as('shequ').post(`${H}/party-members`, { name: '陈明', branch: '第一党支部', registeredOn: '2026-01-05' }))).id;
  // registry records: a building in the west (with its house, household and person), a place in the east, a person with no place
  ids.building = (await ok(await as('shequ').post('/api/v1/buildings', { regionCode: homeGrid.code, name: '西区1栋', ...inWest }))).id;
  ids.house = (await ok(await as('shequ').post('/api/v1/houses', { regionCode: homeGrid.code, buildingId: ids.building, address: '西区1栋101' }))).id;
  ids.household = (await ok(await as('shequ').post('/api/v1/households', { regionCode: homeGrid.code, houseId: ids.house, householdNo: 'W-1', address: '西区1栋101' }))).id;
  ids.person = (await ok(await as('shequ').post('/api/v1/persons', { regionCode: homeGrid.code, populationType: 'registered', idNumber: idNumber(), name: '孙八', householdId: ids.household, houseId: ids.house }))).id;
  ids.label = (await ok(await as('shequ').post(`/api/v1/persons/${ids.person}/labels`, { type: 'drug_user', attentionLevel: '1' }))).id;
  ids.nowhere = (await ok(await as('shequ').post('/api/v1/persons', { regionCode: homeGrid.code, populationType: 'registered', idNumber: idNumber(), name: '周九' }))).id;
  ids.place = (await ok(await as('shequ').post('/api/v1/places', { regionCode: homeGrid.code, kind: '01', name: '东街小超市', ...inEast }))).id;
  // open visit plans (走访计划): to the western household, and to the person with no place; a done one stays history
  ids.planHousehold = (await ok(await as('wangge').post('/api/v1/fieldwork/plans', { householdId: ids.household, purpose: 'routine', plannedOn: '2026-11-17' }))).id;
  ids.planNowhere = (await ok(await as('shequ').post('/api/v1/fieldwork/plans', { personIds: [ids.nowhere], purpose: 'routine', plannedOn: '2026-11-18', assigneeId: ids.wangge }))).id;
  ids.planDone = (await ok(await as('wangge').post('/api/v1/fieldwork/plans', { householdId: ids.household, purpose: 'safety', plannedOn: '2026-11-16' }))).id;
  // the worker's morning visit to the western household, recorded where she stands (in the west)
  ids.visit = (await ok(await as('wangge').post('/api/v1/fieldwork/visits', { purpose: 'safety', householdId: ids.household, planId: ids.planDone, result: 'visited', ...inWest }))).id;
  // a household visit of the grid module's own (入户走访 recorded by house, not a registry household), in the east
  ids.gridVisit = (await ok(await as('wangge').post('/api/v1/visits', { houseRef: '东街5号', householdRef: '李四户', result: 'visited', ...inEast }))).id;
  // cases the worker filed: one from the west (where her visit was), one from the east
  const report = (title: string, at: { lng: number; lat: number }) => as('wangge').post('/api/v1/cases', { categoryCode: '020501', title, description: title, ...at });
  ids.caseWest = (await ok(await report('西区楼道堆物', inWest))).id;
  ids.caseEast = (await ok(await report('东街占道经营', inEast))).id;
}, 180_000);
afterAll(async () => { await p?.close(); });

const regionOf = async (table: string, id: number) => (await p.ctx.db.query<{ region_code: string }>(`SELECT region_code FROM ${table} WHERE id = $1`, [id]))[0].region_code;

describe('a split', () => {
  it('refuses parts that do not tile the grid, counting parts from 1 and naming the grid', async () => {
    const shifted = west.map(([x, y]) => [x - 0.01, y] as LngLat);
    const split = (parts: LngLat[][], lang = 'zh-CN') => as('jiedao').send('POST', `/api/v1/grids/${homeGrid.code}/split`,
      { parts: parts.map((r, i) => ({ geometry: polygon(r), name: `第${i + 1}片` })) }, { 'accept-language': lang });
    const out = await split([shifted, east]);
    problem(out, 422, 'part_outside_grid');
    expect(out.body.detail).toBe(`第 1 部分超出了网格「${homeGrid.name}」的范围。`);
    expect((await split([shifted, east], 'en')).body.detail).toBe(`Part 1 reaches outside grid ${homeGrid.name} (${homeGrid.code}).`);
    const overlap = await split([west, west]);
    problem(overlap, 422, 'parts_overlap');
    expect(overlap.body.detail).toBe('第 1 部分与第 2 部分重叠。');
  });

  it('moves staff and accounts where their work lay, registry records where they lie, and lists the rest for review', async () => {
    // the community's household total before the split: the split shares the grid's count out, so it stays
    const cov = async () => (await as('shequ').get(`/api/v1/grids/coverage?region=${homeCommunity.code}&from=2026-11-01&to=2026-11-30`)).body;
    const totalBefore = (await cov()).total;
    const r = await as('jiedao').post(`/api/v1/grids/${homeGrid.code}/split`, {
      parts: [{ geometry: polygon(west), name: '第1网格西' }, { geometry: polygon(east), name: '第1网格东' }],
    });
    expect(r.status, r.text).toBe(201);
    parts = r.body.created.map((x: any) => x.code);
    const [w, e] = parts;
    // each new grid says how many grid staff it has after the carry: the west none (the console warns), the east the worker
    expect(r.body.created.map((x: any) => [x.name, x.staff])).toEqual([['第1网格西', 0], ['第1网格东', 1]]);
    // and how many key persons with follow-ups lie on it (the west: 孙八, whose label is new, so not yet overdue):
    // the console's warning for the unstaffed west says who waits there
    expect(r.body.created.map((x: any) => [x.keyPersons, x.overdueFollowUps])).toEqual([[1, 0], [0, 0]]);
    expect(r.body.carried).toMatchObject({ accounts: 1, staff: 1, buildings: 1, houses: 1, households: 1, persons: 1, places: 1 });
    // household visits go where they happened, so the new grids' coverage keeps them (the worker's phone visit to the
    // western household goes with its household, by the fieldwork carrier: below)
    expect(r.body.carried.household_visits).toBe(1);
    expect(await regionOf('household_visit', ids.gridVisit)).toBe(e);
    // for review: the staff member without an account, the party member, the person without a place, and the grid's
    // other worker account, which has done no work in either part lately
    expect(r.body.toReview).toBe(4);
    // the grid worker's account and staff post went east, where they worked
    expect(await regionOf('app_user', ids.wangge)).toBe(e);
    expect((await as('wangge').get('/api/v1/auth/me')).body.regionCode).toBe(e);
    expect(await regionOf('grid_staff', ids.staffWithAccount)).toBe(e);
    // the grid list counts the households once: the retired grid's are its successors' now (not 482 on top)
    const counted = await cov();
    expect(counted.total.households).toBe(totalBefore.households);
    expect(counted.total.grids).toBe(totalBefore.grids + 1);
    expect(counted.total.households).toBe(counted.items.filter((i: any) => !i.retired && i.households != null).reduce((n: number, i: any) => n + i.households, 0));
    // the retired grid is listed (the console shows it apart from the current ones), saying when it was retired and into which grids
    expect(counted.items.filter((i: any) => i.retired)).toEqual([expect.objectContaining({
      gridCode: homeGrid.code, name: homeGrid.name, retiredAt: '2026-11-16T01:30:00.000Z', retiredBy: 'split',
      successorGrids: [{ code: w, name: '第1网格西' }, { code: e, name: '第1网格东' }],
    })]);
    // and her 今日 says so, since her household and key person went west: where she is now, and what went where
    const day = (await as('wangge').get('/api/v1/fieldwork/today')).body;
    expect(day.gridChanges).toEqual([{
      changeId: r.body.changeId, kind: 'split', at: '2026-11-16T01:30:00.000Z',
      fromGrids: [{ code: homeGrid.code, name: homeGrid.name }], toGrids: [{ code: w, name: '第1网格西' }, { code: e, name: '第1网格东' }],
      grid: { code: e, name: '第1网格东' }, others: [{ code: w, name: '第1网格西', households: 1, keyPersons: 1, overdueFollowUps: 0 }],
    }]);
    // the neighbour, whom the split did not move, is told nothing
    expect((await as('neighbour').get('/api/v1/fieldwork/today')).body.gridChanges).toEqual([]);
    // the registry's records went where they lie: the building and what is in it west, the shop east
    for (const [table, id] of [['building', ids.building], ['house', ids.house], ['household', ids.household], ['person', ids.person], ['person_label', ids.label]] as const) {
      expect(await regionOf(table, id), table).toBe(w);
    }
    expect(await regionOf('place', ids.place)).toBe(e);
    // an open visit plan goes with its household; one done stays where it was carried out
    expect(r.body.carried.visitPlans).toBe(1);
    expect(await regionOf('visit_plan', ids.planHousehold)).toBe(w);
    expect(await regionOf('visit_plan', ids.planDone)).toBe(homeGrid.code);
    // nothing is left on the retired grid but what waits for review
    expect(await regionOf('grid_staff', ids.staffWithout)).toBe(homeGrid.code);
    expect(await regionOf('person', ids.nowhere)).toBe(homeGrid.code);
    expect(await regionOf('visit_plan', ids.planNowhere)).toBe(homeGrid.code);

    const review = (await as('shequ').get('/api/v1/grid-reviews')).body.items;
    const idle = (await p.ctx.db.query<{ id: number }>('SELECT id FROM app_user WHERE username = $1', [`wg${homeGrid.code}`]))[0];
    expect(review.map((i: any) => [i.kind, Number(i.refId), i.reason]).sort()).toEqual([
      ['account', Number(idle.id), 'no_recent_work'], ['party_member', ids.member, 'no_location'], ['person', ids.nowhere, 'no_location'], ['staff', ids.staffWithout, 'no_location'],
    ].sort());
    expect(review[0].successors).toEqual(parts);
    // the review list names the grids (the retired one and its successors), not codes alone
    expect(review[0].fromName).toBe(homeGrid.name);
    expect(review[0].successorGrids).toEqual([{ code: w, name: '第1网格西' }, { code: e, name: '第1网格东' }]);
    // the staff member and the party member are on no grid yet: the list says so (it links them to where they are placed, not the empty retired grid)
    expect(review.filter((i: any) => ['staff', 'party_member'].includes(i.kind)).map((i: any) => i.placedOn)).toEqual([null, null]);

    // the grids' histories name the grids on both sides of the split (the retired one keeps its name)
    const before = (await as('jiedao').get(`/api/v1/grids/${homeGrid.code}/history`)).body;
    expect(before.successors).toEqual(parts);
    expect(before.successorGrids).toEqual([{ code: w, name: '第1网格西' }, { code: e, name: '第1网格东' }]);
    expect(before.changes.find((c: any) => c.kind === 'split').toGrids).toEqual(before.successorGrids);
    const after = (await as('jiedao').get(`/api/v1/grids/${w}/history`)).body;
    expect(after.predecessorGrids).toEqual([{ code: homeGrid.code, name: homeGrid.name }]);
    expect(after.changes.find((c: any) => c.kind === 'split').fromGrids).toEqual([{ code: homeGrid.code, name: homeGrid.name }]);

    // the retired grid lists no staff and no party members: those not placed were taken off it by the split
    const left = (await as('shequ').get(`/api/v1/grids/${homeGrid.code}/staff`)).body;
    expect(left.staff).toEqual([]);
    expect(left.partyMembers).toEqual([]);

    // the morning visit went with its household to the west; its author, now in the east, still opens it,
    // and so does the western grid's list
    expect(r.body.carried.fieldVisits).toBe(1);
    expect(await regionOf('field_visit', ids.visit)).toBe(w);
    const mine = await as('wangge').get(`/api/v1/fieldwork/visits/${ids.visit}`);
    expect(mine.status, mine.text).toBe(200);
    // the household now lies outside her grid, yet the visit still names whom she visited (走访对象), as recorded then
    expect(mine.body.household).toBeNull();
    expect(mine.body.visited).toEqual({ address: '西区1栋101', householdNo: 'W-1', names: [] });
    // so does her list of visits
    expect((await as('wangge').get('/api/v1/fieldwork/visits?mine=true')).body.items.find((v: any) => v.id === ids.visit))
      .toMatchObject({ address: '西区1栋101', householdNo: 'W-1' });
    // a visit recorded before the snapshot existed is named by the migration's backfill
    await p.ctx.db.query('UPDATE field_visit SET visited = NULL WHERE id = $1', [ids.visit]);
    await p.ctx.db.exec(readFileSync(new URL('../../migrations/0170_field_visit_visited.sql', import.meta.url), 'utf8'));
    expect((await as('wangge').get(`/api/v1/fieldwork/visits/${ids.visit}`)).body.visited).toEqual({ address: '西区1栋101', householdNo: 'W-1', names: [] });
    expect((await as('wangge').get('/api/v1/fieldwork/visits?mine=true')).body.items.map((v: any) => v.id)).toContain(ids.visit);
    const westList = (await as('shequ').get(`/api/v1/visits?region=${w}&from=2026-11-01&to=2026-11-30`)).body.items;
    expect(westList.map((v: any) => [v.gridCode, v.householdName])).toEqual([[w, '西区1栋101']]);
    // another worker of another grid does not
    problem(await as('neighbour').get(`/api/v1/fieldwork/visits/${ids.visit}`), 404, 'not_found');

    // her cases followed their points like the visit: the western one to the west, the eastern one to the east;
    // she (now in the east) still opens the western one — she filed it — and 今日 counts what she can open
    expect(r.body.carried.cases).toBe(2);
    expect(await regionOf('"case"', ids.caseWest)).toBe(w);
    expect(await regionOf('"case"', ids.caseEast)).toBe(e);
    for (const id of [ids.caseWest, ids.caseEast]) {
      const c = await as('wangge').get(`/api/v1/cases/${id}`);
      expect(c.status, c.text).toBe(200);
    }
    // the western case names its grid, though that grid is not hers and the region tree hides it from her
    problem(await as('wangge').get(`/api/v1/regions/${w}`), 404, 'not_found');
    const westCase = (await as('wangge').get(`/api/v1/cases/${ids.caseWest}`)).body;
    expect(westCase.regionPath.at(-1)).toEqual({ code: w, name: '第1网格西', shortName: '第1网格西', level: 'grid' });
    expect(westCase.regionPath.map((x: any) => x.level)).toEqual(['district', 'street', 'community', 'grid']);
    expect(westCase.regionName).toBe(`${westCase.regionPath[1].shortName} / ${westCase.regionPath[2].shortName} / 第1网格西`);
    expect(westCase.regionName).not.toMatch(/\d{6,}/);
    const listed = (await as('wangge').get('/api/v1/cases?pageSize=50')).body.items.map((c: any) => c.id);
    expect(listed).toEqual(expect.arrayContaining([ids.caseWest, ids.caseEast]));
    // the worker of another grid opens neither
    problem(await as('neighbour').get(`/api/v1/cases/${ids.caseWest}`), 404, 'not_found');

    // 我的 → 巡查走访 (mine=true) lists her visits where they went: the phone visit with its household (west), though the
    // list of her own grid (east) holds only the visit recorded there
    const q = 'from=2026-11-01&to=2026-11-30';
    const myVisits = (await as('wangge').get(`/api/v1/visits?${q}&mine=true`)).body.items;
    expect(myVisits.map((v: any) => [v.gridCode, v.user.id]).sort()).toEqual([[e, ids.wangge], [w, ids.wangge]].sort());
    // the phone visit names its visit page (/visits/:id), which she opens
    expect(myVisits.filter((v: any) => v.fieldVisitId != null).map((v: any) => [v.gridCode, v.fieldVisitId])).toEqual([[w, ids.visit]]);
    expect((await as('wangge').get(`/api/v1/visits?${q}`)).body.items.map((v: any) => v.id)).toEqual([ids.gridVisit]);
    // mine=true is only one's own: the neighbour's own list stays empty
    expect((await as('neighbour').get(`/api/v1/visits?${q}&mine=true`)).body.items).toEqual([]);
  });

  it('moves a review item when someone decides where it belongs', async () => {
    const review = (await as('shequ').get('/api/v1/grid-reviews')).body.items;
    const person = review.find((i: any) => i.kind === 'person');
    const staff = review.find((i: any) => i.kind === 'staff');
    // the party member added again by hand on the eastern grid (as the split's note invites): the list names where he is now
    await ok(await as('shequ').post(`/api/v1/grids/${parts[1]}/party-members`, { name: '陈明', branch: '第一党支部', registeredOn: '2026-01-05' }));
    const member = (await as('shequ').get('/api/v1/grid-reviews')).body.items.find((i: any) => i.kind === 'party_member');
    expect(member.placedOn).toEqual({ code: parts[1], name: '第1网格东' });
    problem(await as('shequ').post(`/api/v1/grid-reviews/${person.id}/resolve`, { gridCode: parts[0] }), 403, 'forbidden');
    problem(await as('jiedao').post(`/api/v1/grid-reviews/${person.id}/resolve`, { gridCode: `${homeCommunity.code}02` }), 422, 'not_a_successor');
    expect((await as('jiedao').post(`/api/v1/grid-reviews/${person.id}/resolve`, { gridCode: parts[1] })).body).toMatchObject({ moved: true, resolvedTo: parts[1] });
    expect(await regionOf('person', ids.nowhere)).toBe(parts[1]);
    // the person's open visit plan followed them
    expect(await regionOf('visit_plan', ids.planNowhere)).toBe(parts[1]);
    await ok(await as('jiedao').post(`/api/v1/grid-reviews/${staff.id}/resolve`, { gridCode: parts[0] }));
    expect(await regionOf('grid_staff', ids.staffWithout)).toBe(parts[0]);
    // assigned again there (the split had ended the assignment on the retired grid)
    expect((await as('shequ').get(`/api/v1/grids/${parts[0]}/staff`)).body.staff.map((x: any) => x.name)).toContain('兼职网格员钱七');
    // the decided item names the grid the staff member is on now
    expect((await as('shequ').get('/api/v1/grid-reviews?open=false')).body.items.find((i: any) => i.id === staff.id).placedOn).toEqual({ code: parts[0], name: '第1网格西' });
    problem(await as('jiedao').post(`/api/v1/grid-reviews/${staff.id}/resolve`, { gridCode: parts[0] }), 409, 'already_resolved');
    expect((await as('shequ').get('/api/v1/grid-reviews')).body.items.map((i: any) => i.kind).sort()).toEqual(['account', 'party_member']);
  });

  it('names the persons of a visit to persons with no household', async () => {
    // 周九, now placed in the east (her grid), has no household: the visit names him by his masked name
    const v = await ok(await as('wangge').post('/api/v1/fieldwork/visits', { purpose: 'routine', personIds: [ids.nowhere], result: 'visited' }));
    expect(v.household).toBeNull();
    expect(v.visited).toEqual({ address: null, householdNo: null, names: ['周*'] });
    expect((await as('wangge').get(`/api/v1/fieldwork/visits/${v.id}`)).body.visited.names).toEqual(['周*']);
  });
});

describe('a merge', () => {
  it('moves everything on the merged grids to the new grid', async () => {
    const r = await as('jiedao').post('/api/v1/grids/merge', { codes: parts, name: '第1网格' });
    expect(r.status, r.text).toBe(201);
    const merged = r.body.created[0].code;
    expect(r.body.toReview).toBe(0);
    expect(r.body.created[0].staff).toBe(2);
    expect(r.body.carried).toMatchObject({ staff: 2, buildings: 1, persons: 2, places: 1, visitPlans: 2 });
    for (const [table, id] of [['app_user', ids.wangge], ['grid_staff', ids.staffWithout], ['person', ids.nowhere], ['place', ids.place], ['household', ids.household]] as const) {
      expect(await regionOf(table, id), table).toBe(merged);
    }
  });
});
