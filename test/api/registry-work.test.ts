// Registry work in the console (issue 13, part B): the detail pages of a building's places and a
// facility's sensors, names instead of ids in lists, the field sets as data (every code with its label),
// 部件 with coordinates.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { homeGrid } from '../helpers/fixtures.ts';
import { person, requester, type Requester } from './registry-helpers.ts';

let p: TestPlatform;
let shequ: Requester, wangge: Requester;
const G = homeGrid.code;

beforeAll(async () => {
  p = await testPlatform('2026-11-16T01:30:00Z');
  shequ = requester(p, await p.login('shequ'));
  wangge = requester(p, await p.login('wangge'));
});
afterAll(async () => { await p?.close(); });

describe('detail pages and names', () => {
  it("lists a building's places and a facility's sensors, each named by its parent", async () => {
    const b = (await wangge.post('/api/v1/buildings', { regionCode: G, name: '营盘街8号楼' })).body;
    const place = await wangge.post('/api/v1/places', { buildingId: b.id, kind: '09', name: '楼下小吃店' });
    expect(place.status, place.text).toBe(201);
    await wangge.post('/api/v1/places', { regionCode: G, kind: '09', name: '别处的店' });
    const places = await wangge.get(`/api/v1/places?buildingId=${b.id}`);
    expect(places.status, places.text).toBe(200);
    expect(places.body.items.map((x: any) => x.name)).toEqual(['楼下小吃店']);
    expect(places.body.items[0].buildingTitle).toBe('营盘街8号楼');

    const f = await wangge.post('/api/v1/facilities', { regionCode: G, major: '01', minor: '01', name: '营盘街消防栓', lat: 29.56, lng: 106.55 });
    expect(f.status, f.text).toBe(201);
    expect(f.body).toMatchObject({ lat: 29.56, lng: 106.55 });
    const s = await wangge.post('/api/v1/things', { facilityId: f.body.id, kind: 'sensor', name: '水压计', deviceCode: 'WP-0001', sensorType: (await firstCode('sensor_type')) });
    expect(s.status, s.text).toBe(201);
    const sensors = await wangge.get(`/api/v1/things?facilityId=${f.body.id}`);
    expect(sensors.status, sensors.text).toBe(200);
    expect(sensors.body.items).toHaveLength(1);
    expect(sensors.body.items[0].facilityTitle).toBe('营盘街消防栓');
    expect((await wangge.get(`/api/v1/things/${s.body.id}`)).body.facilityTitle).toBe('营盘街消防栓');
  });

  it('names the head of a household and counts its members; a person shows their house and household', async () => {
    const h = (await wangge.post('/api/v1/houses', { regionCode: G, address: '营盘街8号2-301' })).body;
    const hh = (await wangge.post('/api/v1/households', { houseId: h.id, householdNo: 'HH-8-301' })).body;
    expect(hh.houseTitle).toBe('营盘街8号2-301');
    const head = (await wangge.post('/api/v1/persons', person(G, { name: '罗大佑', householdId: hh.id, houseId: h.id, relationToHead: '02' }))).body;
    await wangge.patch(`/api/v1/households/${hh.id}`, { headPersonId: head.id });
    const got = (await wangge.get(`/api/v1/households/${hh.id}`)).body;
    expect(got).toMatchObject({ headNameMasked: '罗**', memberCount: 1 });
    const me = (await shequ.get(`/api/v1/persons/${head.id}`)).body;
    expect(me).toMatchObject({ houseTitle: '营盘街8号2-301', householdTitle: 'HH-8-301', isHouseholdHead: true });
  });

  it('serves the field sets as data: 社区矫正 with 罪名, 原判刑期, 矫正期限, 矫正小组 and 解矫, codes with their dictionaries', async () => {
    const r = await wangge.get('/api/v1/registry/field-sets');
    expect(r.status, r.text).toBe(200);
    const cc = r.body.labelTypes.find((l: any) => l.type === 'community_correction');
    const zh = cc.fields.map((f: any) => f.zh);
    for (const name of ['具体罪名', '原判刑期', '矫正开始日期', '矫正结束日期', '矫正小组人员组成情况', '矫正解除(终止)类型']) expect(zh).toContain(name);
    expect(cc.fields.find((f: any) => f.key === 'correctionCategory')).toMatchObject({ kind: 'code', dict: 'correction_category', required: true });
    const reg = r.body.populationTypes.find((t: any) => t.type === 'registered');
    expect(reg.fields.find((f: any) => f.key === 'householdNo')).toMatchObject({ zh: '户号', en: 'Household number' });
    for (const l of r.body.labelTypes.filter((x: any) => x.type !== 'custom')) expect(l.fields.length, l.type).toBeGreaterThanOrEqual(8);
    expect((await requester(p, await p.login('rexian')).get('/api/v1/registry/field-sets')).status).toBe(403);
  });
});

async function firstCode(dict: string): Promise<string> {
  return (await wangge.get(`/api/v1/dictionaries/${dict}`)).body.entries[0].code;
}
