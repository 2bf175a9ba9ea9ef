// Registry work in the console (issue 13, part B): the detail pages of a building's places and a
// facility's sensors, names instead of ids in lists, the field sets as data (every code with its label),
// 部件 with coordinates.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { homeGrid } from '../helpers/fixtures.ts';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { badChecksum, idNumber, person, requester, type Requester } from './registry-helpers.ts';
import { Dictionaries } from '../../src/modules/registry/dictionaries.ts';
import { codeOf } from '../../src/modules/registry/import/rows.ts';

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

describe('persons, households and tenancies (以房管人)', () => {
  it('puts a household member in the household\'s house unless given one, also when moved to another household', async () => {
    const h = (await wangge.post('/api/v1/houses', { regionCode: G, address: '营盘街9号1-101' })).body;
    const h2 = (await wangge.post('/api/v1/houses', { regionCode: G, address: '营盘街9号1-102' })).body;
    const own = (await wangge.post('/api/v1/houses', { regionCode: G, address: '营盘街9号2-201' })).body;
    const hh = (await wangge.post('/api/v1/households', { houseId: h.id, householdNo: 'HH-9-101' })).body;
    const hh2 = (await wangge.post('/api/v1/households', { houseId: h2.id, householdNo: 'HH-9-102' })).body;
    const member = await wangge.post('/api/v1/persons', person(G, { householdId: hh.id }));
    expect(member.status, member.text).toBe(201);
    expect(member.body).toMatchObject({ householdId: hh.id, houseId: h.id, houseTitle: '营盘街9号1-101' });
    // a house of their own is kept
    const lodger = (await wangge.post('/api/v1/persons', person(G, { householdId: hh.id, houseId: own.id }))).body;
    expect(lodger.houseId).toBe(own.id);
    // moved to another household: into its house
    const moved = await wangge.patch(`/api/v1/persons/${member.body.id}`, { householdId: hh2.id });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.body).toMatchObject({ householdId: hh2.id, houseId: h2.id });
    // the household lists the member, and the house its resident
    expect((await wangge.get(`/api/v1/persons?houseId=${h2.id}`)).body.items.map((x: any) => x.id)).toEqual([member.body.id]);
  });

  it('takes 籍贯, 户籍地 and 现住地 as places of the division tree (GB/T 2260), refused in Chinese when not one', async () => {
    const tree = await wangge.get('/api/v1/divisions');
    expect(tree.status, tree.text).toBe(200);
    const cq = tree.body.items.find((x: any) => x.value === '500000');
    expect(cq.label).toBe('重庆市');
    const hechuan = cq.children.flatMap((c: any) => c.children ?? []).find((x: any) => x.value === '500117');
    expect(hechuan.label).toBe('合川区');
    expect((await requester(p, null).get('/api/v1/divisions')).status).toBe(401);
    const sets = (await wangge.get('/api/v1/registry/field-sets')).body;
    expect(sets.person.filter((f: any) => f.kind === 'place').map((f: any) => f.key)).toEqual(['nativePlace', 'registeredPlace', 'currentPlace']);
    const ok = await wangge.post('/api/v1/persons', person(G, { nativePlace: '500117', registeredPlace: '510000' }));
    expect(ok.status, ok.text).toBe(201);
    expect(ok.body).toMatchObject({ nativePlace: '500117', registeredPlace: '510000' });
    // free text is refused; the import's report says why in Chinese
    const bad = await wangge.post('/api/v1/persons', person(G, { nativePlace: '重庆合川' }));
    expect(bad.status, bad.text).toBe(400);
    expect(bad.body.errors.map((e: any) => e.path)).toEqual(['body.nativePlace']);
    const { zhReason } = await import('../../src/modules/registry/import/messages.ts');
    expect(zhReason(bad.body.errors[0], '籍贯', '重庆合川')).toBe('须为 6 位行政区划代码（GB/T 2260），请选择省、市或区县');
  });

  it('adds and edits a person with the GB/T 31000 fields; details change by key and sealed fields stay sealed', async () => {
    const r = await wangge.post('/api/v1/persons', person(G, {
      populationType: 'left_behind', politicalStatus: '01', occupationCategory: '40000', registeredPlace: '500117', currentPlace: '500117',
      details: { leftBehindType: '03', familyMemberName: '王建国', familyMemberPhone: '13700001111' },
    }));
    expect(r.status, r.text).toBe(201);
    expect(r.body).toMatchObject({ occupationCategory: '40000', registeredPlace: '500117', detailsMasked: { familyMemberName: '王**' } });
    const e = await wangge.patch(`/api/v1/persons/${r.body.id}`, { details: { healthStatus: (await firstCode('health_status')) }, currentAddress: '营盘街9号' });
    expect(e.status, e.text).toBe(200);
    expect(e.body.details).toMatchObject({ leftBehindType: '03' });
    expect(e.body.detailsMasked).toEqual({ familyMemberName: '王**', familyMemberPhone: '137****1111' });
    expect(e.body.currentAddress).toBe('营盘街9号');
    const cleared = await wangge.patch(`/api/v1/persons/${r.body.id}`, { details: { healthStatus: null } });
    expect(cleared.body.details.healthStatus).toBeUndefined();
    // a new population type starts from the details given
    const moved = await wangge.patch(`/api/v1/persons/${r.body.id}`, { populationType: 'floating', details: { inflowReason: (await firstCode('inflow_reason')) } });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.body).toMatchObject({ populationType: 'floating', detailsMasked: {} });
  });

  it('keeps a former name (曾用名) sealed like the name: shown masked, found by it, revealed only when asked, imported and exported', async () => {
    const r = await wangge.post('/api/v1/persons', person(G, { name: '罗大宝', formerName: '罗小宝' }));
    expect(r.status, r.text).toBe(201);
    expect(r.body).toMatchObject({ nameMasked: '罗**', formerNameMasked: '罗**' });
    const [row] = await p.ctx.db.query<any>('SELECT * FROM person WHERE id = $1', [r.body.id]);
    expect(JSON.stringify(row)).not.toContain('小宝');
    // found by the former name: the console's person picker and the phone's resident search
    expect((await wangge.get(`/api/v1/persons?q=${encodeURIComponent('罗小宝')}`)).body.items.map((x: any) => x.id)).toEqual([r.body.id]);
    const hits = (await wangge.get(`/api/v1/fieldwork/residents?q=${encodeURIComponent('罗小宝')}`)).body.items;
    expect(hits.map((x: any) => [x.id, x.matched])).toEqual([[r.body.id, 'former_name']]);
    // revealed only when asked for, and the reveal is found in the audit by the former name
    expect((await shequ.post(`/api/v1/persons/${r.body.id}/reveal`, { purpose: '核对曾用名', fields: ['name'] })).body).toEqual({ id: r.body.id, name: '罗大宝' });
    expect((await shequ.post(`/api/v1/persons/${r.body.id}/reveal`, { purpose: '核对曾用名', fields: ['formerName'] })).body).toEqual({ id: r.body.id, formerName: '罗小宝' });
    const zhihui = requester(p, await p.login('zhihui'));
    expect((await zhihui.get(`/api/v1/audit/reveals?person=${encodeURIComponent('罗小宝')}`)).body.items.map((x: any) => x.fields)).toEqual([['formerName'], ['name']]);
    // an edit that leaves it out keeps it; null clears it, and the search forgets it
    expect((await wangge.patch(`/api/v1/persons/${r.body.id}`, { occupation: '厨师' })).body.formerNameMasked).toBe('罗**');
    expect((await wangge.patch(`/api/v1/persons/${r.body.id}`, { formerName: null })).body.formerNameMasked).toBeNull();
    expect((await wangge.get(`/api/v1/persons?q=${encodeURIComponent('罗小宝')}`)).body.items).toEqual([]);
    // the import's 曾用名 column and the export's, masked
    const id = idNumber();
    const csv = `网格编码(regionCode),人口类型(populationType),证件号码(idNumber),姓名(name),曾用名(formerName)\n${G},户籍,${id},欧阳锋,欧阳峰\n`;
    const imp = await shequ.upload('/api/v1/imports?kind=persons&wait=true', csv, '曾用名.csv');
    expect(imp.body, imp.text).toMatchObject({ status: 'succeeded', written: 1 });
    expect((await wangge.get(`/api/v1/fieldwork/residents?q=${encodeURIComponent('欧阳峰')}`)).body.items.map((x: any) => x.matched)).toEqual(['former_name']);
    const rows = parse((await shequ.get('/api/v1/registry/exports/persons.csv')).text, { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(rows.filter((x) => x['曾用名(formerName)']).map((x) => [x['姓名(name)'], x['曾用名(formerName)']])).toEqual([['欧**', '欧**']]);
  });

  it('lets a house to a registered person: the house shows its tenant, the person their tenancy, both ways', async () => {
    const h = (await wangge.post('/api/v1/houses', { regionCode: G, address: '营盘街8号3-502' })).body;
    const tenant = (await wangge.post('/api/v1/persons', person(G, { name: '钱小红', populationType: 'floating' }))).body;
    const t = await wangge.post(`/api/v1/houses/${h.id}/tenancies`, { personId: tenant.id, rentalUse: '01', leaseStart: '2026-01-01', leaseEnd: '2026-12-31' });
    expect(t.status, t.text).toBe(201);
    expect(t.body).toMatchObject({ houseTitle: '营盘街8号3-502', personNameMasked: '钱**', active: true });
    expect((await wangge.get(`/api/v1/houses/${h.id}`)).body.rented).toBe(true);
    expect((await wangge.post(`/api/v1/houses/${h.id}/tenancies`, { personId: tenant.id })).status).toBe(409);
    expect((await wangge.post(`/api/v1/houses/${h.id}/tenancies`, { personId: 99999999 })).body.code).toBe('unknown_person');
    expect((await wangge.get(`/api/v1/houses/${h.id}/tenancies`)).body.items.map((x: any) => x.personId)).toEqual([tenant.id]);
    expect((await wangge.get(`/api/v1/persons/${tenant.id}/tenancies`)).body.items.map((x: any) => x.houseTitle)).toEqual(['营盘街8号3-502']);
    // outside the territory the house, its tenants and the tenant's tenancies are absent
    const elsewhere = requester(p, await p.login('jd500117002'));
    expect((await elsewhere.get(`/api/v1/houses/${h.id}/tenancies`)).status).toBe(404);
    expect((await elsewhere.post(`/api/v1/houses/${h.id}/tenancies`, { personId: tenant.id })).status).toBe(404);
    expect((await elsewhere.get(`/api/v1/persons/${tenant.id}/tenancies`)).status).toBe(404);
    const ended = await wangge.post(`/api/v1/houses/${h.id}/tenancies/${t.body.id}/end`, { endedOn: '2026-11-01' });
    expect(ended.body).toMatchObject({ active: false, endedOn: '2026-11-01' });
    // residents and households of the house, from the house's side
    const hh = (await wangge.post('/api/v1/households', { houseId: h.id, householdNo: 'HH-3-502' })).body;
    const resident = (await wangge.post('/api/v1/persons', person(G, { houseId: h.id, householdId: hh.id, relationToHead: '02' }))).body;
    // a member registered as 户主 heads a household without a head
    expect((await wangge.get(`/api/v1/households/${hh.id}`)).body).toMatchObject({ headPersonId: resident.id, memberCount: 1 });
    expect((await wangge.get(`/api/v1/persons?houseId=${h.id}`)).body.items.map((x: any) => x.id)).toEqual([resident.id]);
    expect((await wangge.get(`/api/v1/households?houseId=${h.id}`)).body.items.map((x: any) => x.id)).toEqual([hh.id]);
  });

  it('links a tenant, the house or room, and the household both ways; the picker finds tenants by name', async () => {
    const h = (await wangge.post('/api/v1/houses', { regionCode: G, address: '营盘街10号1-201' })).body;
    const room = (await wangge.post('/api/v1/rooms', { houseId: h.id, name: '次卧' })).body;
    const hh = (await wangge.post('/api/v1/households', { regionCode: G, householdNo: 'HH-10-201', address: '营盘街10号1-201' })).body;
    const tenant = (await wangge.post('/api/v1/persons', person(G, { name: '孙悟空', populationType: 'floating', householdId: hh.id, relationToHead: '02' }))).body;
    // the console's person picker finds the tenant by name and by surname (keyed hashes), never by text compared in clear
    expect((await wangge.get(`/api/v1/persons?q=${encodeURIComponent('孙悟空')}`)).body.items.map((x: any) => x.id)).toEqual([tenant.id]);
    expect((await wangge.get(`/api/v1/persons?q=${encodeURIComponent('孙')}`)).body.items.map((x: any) => x.id)).toContain(tenant.id);
    expect((await wangge.get(`/api/v1/persons?q=${encodeURIComponent('孙悟饭')}`)).body.items).toEqual([]);
    // a room let to the tenant: the tenant's household rents with them unless another is named
    const t = await wangge.post(`/api/v1/houses/${h.id}/tenancies`, { personId: tenant.id, roomId: room.id, note: '押一付三' });
    expect(t.status, t.text).toBe(201);
    expect(t.body).toMatchObject({ roomId: room.id, roomTitle: '次卧', householdId: hh.id, householdTitle: 'HH-10-201', note: '押一付三' });
    // the house and the room name their current tenants; the room is let
    expect((await wangge.get(`/api/v1/houses/${h.id}`)).body).toMatchObject({ rented: true, tenantsMasked: '孙**' });
    expect((await wangge.get(`/api/v1/rooms/${room.id}`)).body).toMatchObject({ rented: true, tenantsMasked: '孙**' });
    expect((await wangge.get(`/api/v1/rooms?houseId=${h.id}`)).body.items[0].tenantsMasked).toBe('孙**');
    // the household shows the house it rents, the person their tenancy
    const rents = (await wangge.get(`/api/v1/households/${hh.id}/tenancies`)).body.items;
    expect(rents.map((x: any) => [x.houseTitle, x.roomTitle, x.personNameMasked])).toEqual([['营盘街10号1-201', '次卧', '孙**']]);
    expect((await wangge.get(`/api/v1/persons/${tenant.id}/tenancies`)).body.items.map((x: any) => x.householdId)).toEqual([hh.id]);
    // a household elsewhere is refused; outside the territory the household's tenancies are absent
    expect((await wangge.post(`/api/v1/houses/${h.id}/tenancies`, { personId: tenant.id, householdId: 99999999 })).body.code).toBe('unknown_household');
    expect((await requester(p, await p.login('jd500117002')).get(`/api/v1/households/${hh.id}/tenancies`)).status).toBe(404);
    // ended, the tenant leaves the house's current tenants
    await wangge.post(`/api/v1/houses/${h.id}/tenancies/${t.body.id}/end`, { endedOn: '2026-11-16' });
    expect((await wangge.get(`/api/v1/houses/${h.id}`)).body.tenantsMasked).toBeNull();
    expect((await wangge.get(`/api/v1/households/${hh.id}/tenancies`)).body.items[0]).toMatchObject({ active: false, endedOn: '2026-11-16' });
  });
});

describe('special-population labels: start, change, end or lift, with history', () => {
  it('keeps the life cycle of a 社区矫正 label; ending is for the community and above', async () => {
    const pid = (await wangge.post('/api/v1/persons', person(G))).body.id;
    const l = await wangge.post(`/api/v1/persons/${pid}/labels`, {
      type: 'community_correction', startedOn: '2026-01-10',
      fields: { correctionCategory: '2', charge: '盗窃罪', originalSentence: '有期徒刑一年，缓刑二年', correctionStartOn: '2026-01-10', correctionEndOn: '2028-01-09', hasCorrectionGroup: true, correctionGroup: '司法所干警、社区网格员、家属' },
    });
    expect(l.status, l.text).toBe(201);
    const ch = await wangge.patch(`/api/v1/persons/${pid}/labels/${l.body.id}`, { attentionLevel: '2', reason: '近期情绪波动' });
    expect(ch.status, ch.text).toBe(200);
    const denied = await wangge.post(`/api/v1/persons/${pid}/labels/${l.body.id}/end`, { kind: 'end', on: '2026-11-15', reason: '矫正期满' });
    expect(denied.status).toBe(403);
    expect((await wangge.patch(`/api/v1/persons/${pid}/labels/${l.body.id}`, { active: false })).status).toBe(403);
    const elsewhere = requester(p, await p.login('jd500117002'));
    expect((await elsewhere.post(`/api/v1/persons/${pid}/labels/${l.body.id}/end`, { kind: 'end', on: '2026-11-15', reason: '矫正期满' })).status).toBe(404);
    expect((await elsewhere.get(`/api/v1/persons/${pid}/labels/${l.body.id}/history`)).status).toBe(404);
    const bad = await shequ.post(`/api/v1/persons/${pid}/labels/${l.body.id}/end`, { kind: 'end', on: '2025-12-01', reason: '矫正期满' });
    expect(bad.body.code).toBe('date_order');
    const end = await shequ.post(`/api/v1/persons/${pid}/labels/${l.body.id}/end`, { kind: 'end', on: '2026-11-15', reason: '矫正期满，宣告解除矫正', fields: { terminationType: '1', terminatedOn: '2026-11-15' } });
    expect(end.status, end.text).toBe(200);
    expect(end.body).toMatchObject({ active: false, endedOn: '2026-11-15', endKind: 'end', endReason: '矫正期满，宣告解除矫正', fields: { terminationType: '1', charge: '盗窃罪' } });
    expect((await shequ.post(`/api/v1/persons/${pid}/labels/${l.body.id}/end`, { kind: 'lift', on: '2026-11-15', reason: '再次' })).body.code).toBe('label_ended');
    const history = (await wangge.get(`/api/v1/persons/${pid}/labels/${l.body.id}/history`)).body.items;
    expect(history.map((e: any) => [e.action, e.on, e.reason])).toEqual([
      ['start', '2026-01-10', null], ['change', '2026-11-16', '近期情绪波动'], ['end', '2026-11-15', '矫正期满，宣告解除矫正'],
    ]);
    expect(history[1].changes).toEqual(['attentionLevel']);
    expect(history[2].actorName).toBeTruthy();
    // a new label of the type may start once the old one has ended
    expect((await wangge.post(`/api/v1/persons/${pid}/labels`, { type: 'community_correction', fields: { correctionCategory: '3', correctionStartOn: '2026-11-20', correctionEndOn: '2027-11-19' } })).status).toBe(201);
  });
});

describe('imports and exports people can use', () => {
  const header = '网格编码(regionCode),人口类型(populationType),证件号码(idNumber),姓名(name),联系方式(phone),民族(ethnicity),政治面貌(politicalStatus),学历(education),户号(householdNo)';
  const get = (r: Requester, url: string, lang = 'zh-CN,zh;q=0.9') => r.send('GET', url, undefined, { 'accept-language': lang });

  it('lists every error of a row, in the reader\'s language; short forms and labels are codes; a column that does not apply is a warning', async () => {
    const wrong = badChecksum(idNumber());
    const csv = [header,
      `${G},户籍,${idNumber()},令狐冲,13800001111,汉族,中共党员,本科,500117009`,
      `${G},流动,${idNumber()},仪琳,,汉,群众,高中,500117010`,
      `${G},户籍,${wrong},林平之,1381234,火星族,中共党员,,`,
    ].join('\n') + '\n';
    const r = await shequ.upload('/api/v1/imports?kind=persons&mode=valid_rows&wait=true', csv, '人口.csv');
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ status: 'partial', valid: 2, rejected: 1, written: 2, warningCount: 1 });
    expect(r.body.warnings).toEqual([{ row: 3, column: '户号(householdNo)', value: '500117010', reason: expect.stringContaining('户号') }]);
    // the row with three errors (a seven-digit "mobile" among them) reports all three, in Chinese for a Chinese reader and in English for an English one
    const zh = parse((await get(shequ, `/api/v1/imports/${r.body.id}/errors.csv`)).text, { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(zh.filter((e) => e['行号'] === '4').map((e) => [e['列'], e['原因']])).toEqual([
      ['联系方式(phone)', '联系方式须为 11 位手机号码，或带区号的固定电话（如 023-42812345）'],
      ['民族(ethnicity)', '“火星族”不是民族的代码或名称'],
      ['证件号码(idNumber)', '公民身份号码校验位不正确（GB 11643）'],
    ].sort((a, b) => zh.findIndex((e) => e['列'] === a[0]) - zh.findIndex((e) => e['列'] === b[0])));
    const en = parse((await get(shequ, `/api/v1/imports/${r.body.id}/errors.csv`, 'en-GB,en;q=0.9')).text, { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(en.map((e) => e.column).sort()).toEqual(['民族(ethnicity)', '联系方式(phone)', '证件号码(idNumber)'].sort());
    expect(en.find((e) => e.column === '证件号码(idNumber)')!.reason).toContain('check character');
    const written = (await shequ.get(`/api/v1/persons?regionCode=${G}&pageSize=5`)).body.items.slice(0, 2);
    expect(written.map((x: any) => [x.ethnicity, x.politicalStatus])).toEqual([['01', '13'], ['01', '01']]);
    expect(written[1].education).toBe('21');
    expect(written[0].details).toEqual({});

    // the refused row as it was, with its reasons: corrected and imported again as it is
    const rej = await get(shequ, `/api/v1/imports/${r.body.id}/rejected.csv`);
    expect(rej.status, rej.text).toBe(200);
    const rows = parse(rej.text, { bom: true }) as string[][];
    expect(rows[0].at(-1)).toBe('错误说明(errors)');
    expect(rows[1].slice(0, 8)).toEqual([G, '户籍', wrong, '林平之', '1381234', '火星族', '中共党员', '']);
    expect(rows[1].at(-1)).toContain('火星族');
    expect((await wangge.get(`/api/v1/imports/${r.body.id}/rejected.csv`)).status).toBe(404);
    rows[1][2] = idNumber(); rows[1][4] = '13900002222'; rows[1][5] = '回族';
    const again = await shequ.upload('/api/v1/imports?kind=persons&wait=true', rows.map((x) => x.map((c) => (/[,"]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\n'), '错误行.csv');
    expect(again.body, again.text).toMatchObject({ status: 'succeeded', written: 1 });
  });

  it('reads 籍贯 written by name (重庆市合川区) as its division code, and refuses a place that is none in Chinese', async () => {
    const ids = [idNumber(), idNumber(), idNumber()];
    const csv = ['网格编码(regionCode),人口类型(populationType),证件号码(idNumber),姓名(name),籍贯(nativePlace),户籍地(registeredPlace)',
      `${G},户籍,${ids[0]},乔峰,重庆市合川区,四川省`,
      `${G},户籍,${ids[1]},段誉,500117,云南省大理白族自治州`,
      `${G},户籍,${ids[2]},虚竹,火星,`,
    ].join('\n') + '\n';
    const r = await shequ.upload('/api/v1/imports?kind=persons&mode=valid_rows&wait=true', csv, '籍贯.csv');
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ valid: 2, rejected: 1, written: 2 });
    const found = async (id: string) => (await shequ.get(`/api/v1/persons?idNumber=${id}`)).body.items[0];
    expect(await found(ids[0])).toMatchObject({ nativePlace: '500117', registeredPlace: '510000' });
    expect(await found(ids[1])).toMatchObject({ nativePlace: '500117', registeredPlace: '532900' });
    const zh = parse((await get(shequ, `/api/v1/imports/${r.body.id}/errors.csv`)).text, { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(zh.map((e) => [e['行号'], e['列'], e['原因']])).toEqual([['4', '籍贯(nativePlace)', '须为 6 位行政区划代码（GB/T 2260），请选择省、市或区县']]);
  });

  it('all or nothing with a refused row: the file to correct holds every row, so the corrected file writes them all', async () => {
    const wrong = badChecksum(idNumber());
    const good = [idNumber(), idNumber()];
    const csv = [header,
      `${G},户籍,${good[0]},东方不败,13800003333,汉族,群众,,`,
      `${G},户籍,${wrong},任我行,,火星族,,,`,
      `${G},流动,${good[1]},向问天,,汉,群众,高中,500117011`,
    ].join('\n') + '\n';
    const persons = async () => Number((await p.ctx.db.query<{ n: string }>('SELECT count(*) AS n FROM person'))[0].n);
    const before = await persons();
    const r = await shequ.upload('/api/v1/imports?kind=persons&wait=true', csv, '人口.csv');
    expect(r.body, r.text).toMatchObject({ mode: 'all_or_nothing', status: 'failed', valid: 2, rejected: 1, written: 0, warningCount: 1 });
    expect(r.body.rejectedFile).toMatchObject({ allRows: true });
    const rows = parse((await get(shequ, `/api/v1/imports/${r.body.id}/rejected.csv`)).text, { bom: true }) as string[][];
    expect(rows[0].at(-1)).toBe('错误说明(errors)');
    // every row of the file in its order; the good ones with an empty reason, the refused one with its reasons
    expect(rows.slice(1).map((x) => x[3])).toEqual(['东方不败', '任我行', '向问天']);
    expect(rows.slice(1).map((x) => x.slice(0, 9))).toEqual(csv.trim().split('\n').slice(1).map((l) => l.split(',')));
    expect(rows[1].at(-1)).toBe('');
    expect(rows[3].at(-1)).toBe('');
    expect(rows[2].at(-1)).toContain('火星族');
    const xlsx = new ExcelJS.Workbook();
    const file = await p.http.inject({ method: 'GET', url: `/api/v1/imports/${r.body.id}/rejected.xlsx`, headers: { authorization: `Bearer ${await p.login('shequ')}` } });
    await xlsx.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    expect(xlsx.worksheets[0].rowCount).toBe(4);
    // corrected as it is and imported again: all three are written
    rows[2][2] = idNumber(); rows[2][5] = '回族';
    const again = await shequ.upload('/api/v1/imports?kind=persons&wait=true', rows.map((x) => x.join(',')).join('\n'), '全部行.csv');
    expect(again.body, again.text).toMatchObject({ status: 'succeeded', written: 3, rejected: 0 });
    expect(await persons()).toBe(before + 3);

    // valid_rows keeps the refused rows only: the good ones are written already
    const partial = await shequ.upload('/api/v1/imports?kind=persons&mode=valid_rows&wait=true',
      [header, `${G},户籍,${idNumber()},岳不群,,,,,`, `${G},户籍,${badChecksum(idNumber())},左冷禅,,,,,`].join('\n'), '人口.csv');
    expect(partial.body).toMatchObject({ status: 'partial', written: 1, rejectedFile: { allRows: false } });
    expect((parse((await get(shequ, `/api/v1/imports/${partial.body.id}/rejected.csv`)).text, { bom: true }) as string[][]).map((x) => x[3])).toEqual(['姓名(name)', '左冷禅']);
  });

  it('accepts every label and alias of every dictionary for its code', async () => {
    const dict = new Dictionaries(p.ctx.db);
    await dict.refresh();
    const snap = dict.snapshot();
    const env = { dict: snap, codeSets: Object.fromEntries(Object.entries(snap.codes).map(([n, c]) => [n, new Set(c)])) };
    let checked = 0;
    for (const [name, codes] of Object.entries(snap.codes)) {
      for (const code of codes) {
        const e = dict.entry(name, code)!;
        for (const label of [e.labelZh, e.labelEn, ...e.aliases].filter(Boolean) as string[]) {
          expect(codeOf(env, name, label), `${name}: ${label}`).toBe(code);
          checked++;
        }
      }
    }
    expect(Object.keys(snap.codes).length).toBeGreaterThanOrEqual(34);
    expect(checked).toBeGreaterThan(700);
    expect(codeOf(env, 'political_status', '中共党员')).toBe('01');
    expect(codeOf(env, 'ethnicity', '汉族')).toBe('01');
  });

  it('serves an XLSX template with example rows, a note per 人口类型 and the code lists; its examples import', async () => {
    const r = await p.http.inject({ method: 'GET', url: '/api/v1/registry/templates/persons.xlsx', headers: { authorization: `Bearer ${await p.login('shequ')}` } });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['填写', '示例', '说明', '代码表']);
    const notes = wb.getWorksheet('说明')!.getSheetValues().flat().join(' ');
    for (const t of ['户籍人口', '流动人口', '境外人员', '留守人员']) expect(notes).toContain(t);
    expect(notes).toContain('流入原因');
    const codes = wb.getWorksheet('代码表')!.getSheetValues().map((row) => (row as unknown[] | undefined)?.slice(1, 5).join('|'));
    expect(codes).toContain('政治面貌|01|中国共产党党员|中共党员、党员');
    // the example rows, with a grid filled in, import as they are
    const ex = wb.getWorksheet('示例')!;
    const out = new ExcelJS.Workbook();
    const data = out.addWorksheet('填写');
    ex.eachRow((row, n) => {
      const cells = (row.values as unknown[]).slice(1).map((v) => String(v ?? ''));
      if (n > 1) { cells[0] = G; if (cells[3].length === 18) cells[3] = idNumber(); }
      data.addRow(cells);
    });
    const imp = await shequ.upload('/api/v1/imports?kind=persons&wait=true', Buffer.from(await out.xlsx.writeBuffer()), 'persons.xlsx');
    const why = imp.body.status === 'succeeded' ? '' : (await get(shequ, `/api/v1/imports/${imp.body.id}/errors.csv`, 'en')).text;
    expect(imp.body, why).toMatchObject({ status: 'succeeded', written: 4, warningCount: 0 });
    for (const kind of ['houses', 'organisations', 'facilities']) {
      const t = await p.http.inject({ method: 'GET', url: `/api/v1/registry/templates/${kind}.xlsx`, headers: { authorization: `Bearer ${await p.login('shequ')}` } });
      expect(t.statusCode, kind).toBe(200);
      const w = new ExcelJS.Workbook();
      await w.xlsx.load(t.rawPayload as unknown as ArrayBuffer);
      expect(w.getWorksheet('示例')!.rowCount, kind).toBe(2);
      expect(w.getWorksheet('代码表')!.rowCount, kind).toBeGreaterThan(2);
      // its example row imports once a grid is filled in
      const out2 = new ExcelJS.Workbook();
      const sheet = out2.addWorksheet('填写');
      w.getWorksheet('示例')!.eachRow((row, n) => {
        const cells = (row.values as unknown[]).slice(1).map((v) => String(v ?? ''));
        if (n > 1) cells[0] = G;
        sheet.addRow(cells);
      });
      const ok = await shequ.upload(`/api/v1/imports?kind=${kind}&wait=true`, Buffer.from(await out2.xlsx.writeBuffer()), `${kind}.xlsx`);
      const why2 = ok.body.status === 'succeeded' ? '' : (await get(shequ, `/api/v1/imports/${ok.body.id}/errors.csv`, 'en')).text;
      expect(ok.body, `${kind}: ${why2}`).toMatchObject({ status: 'succeeded', written: 1 });
    }
  });

  it('exports every registry kind as CSV and XLSX with the labels beside the codes', async () => {
    for (const kind of ['persons', 'houses', 'organisations', 'facilities', 'buildings', 'rooms', 'households', 'places', 'things']) {
      const csv = await shequ.get(`/api/v1/registry/exports/${kind}.csv`);
      expect(csv.status, `${kind}: ${csv.text.slice(0, 200)}`).toBe(200);
      const xlsx = await p.http.inject({ method: 'GET', url: `/api/v1/registry/exports/${kind}.xlsx`, headers: { authorization: `Bearer ${await p.login('shequ')}` } });
      expect(xlsx.statusCode, kind).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
      expect((wb.worksheets[0].getRow(1).values as unknown[]).slice(1)).toEqual(parse(csv.text, { bom: true, to: 1 })[0]);
    }
    const rows = parse((await shequ.get('/api/v1/registry/exports/persons.csv')).text, { bom: true, columns: true }) as Array<Record<string, string>>;
    const han = rows.find((x) => x['民族(ethnicity)'] === '01')!;
    expect(han['民族名称(ethnicityLabel)']).toBe('汉族');
    expect(han['人口类型名称(populationTypeLabel)']).toMatch(/人口|人员/);
    expect(Object.values(han).join()).not.toMatch(/\d{17}[\dX]/);
  });
});

describe('an audit that answers questions', () => {
  it('finds reveals by person (full name, surname or ID number), by viewer and by period, names their objects, and reveals only the fields asked for', async () => {
    const zhihui = requester(p, await p.login('zhihui'));
    const id = idNumber();
    const pid = (await wangge.post('/api/v1/persons', person(G, { name: '罗大佑', idNumber: id }))).body.id;
    const other = (await wangge.post('/api/v1/persons', person(G, { name: '张学友' }))).body.id;
    const r = await shequ.post(`/api/v1/persons/${pid}/reveal`, { purpose: '核实户籍信息', fields: ['idNumber'] });
    expect(r.status, r.text).toBe(200);
    expect(r.body).toEqual({ id: pid, idNumber: id });
    await shequ.post(`/api/v1/persons/${other}/reveal`, { purpose: '电话回访', fields: ['phone'] });
    const find = async (q: string) => (await zhihui.get(`/api/v1/audit/reveals?${q}`)).body.items;
    const byName = await find(`person=${encodeURIComponent('罗大佑')}`);
    expect(byName.map((x: any) => x.target)).toEqual([`person:${pid}`]);
    expect(byName[0]).toMatchObject({ targetName: `罗** · ${id.slice(0, 6)}********${id.slice(-4)}`, fields: ['idNumber'], purpose: '核实户籍信息' });
    expect((await find(`person=${id}`)).map((x: any) => x.target)).toEqual([`person:${pid}`]);
    expect(await find(`person=${encodeURIComponent('罗小佑')}`)).toEqual([]);
    // a surname alone (one character) finds the reveals of everyone with that surname, not others
    const gong = (await wangge.post('/api/v1/persons', person(G, { name: '龚自珍' }))).body.id;
    await wangge.post('/api/v1/persons', person(G, { name: '龚琳娜' }));
    expect((await shequ.post(`/api/v1/persons/${gong}/reveal`, { purpose: '核实身份', fields: ['name'] })).status).toBe(200);
    const bySurname = await zhihui.get(`/api/v1/audit/reveals?person=${encodeURIComponent('龚')}`);
    expect(bySurname.status, bySurname.text).toBe(200);
    expect(bySurname.body.items.map((x: any) => x.target)).toEqual([`person:${gong}`]);
    const luo = await find(`person=${encodeURIComponent('罗')}`);
    expect(luo.map((x: any) => x.target)).toContain(`person:${pid}`);
    expect(luo.every((x: any) => x.targetName.startsWith('罗'))).toBe(true);
    expect(luo.map((x: any) => x.target)).not.toContain(`person:${other}`);
    expect(await find(`person=${encodeURIComponent('龙')}`)).toEqual([]);
    const byViewer = await find(`viewer=shequ&from=${encodeURIComponent('2026-11-16T00:00:00Z')}`);
    expect(byViewer.map((x: any) => x.target)).toEqual(expect.arrayContaining([`person:${pid}`, `person:${other}`]));
    expect(byViewer.every((x: any) => x.actor.username === 'shequ')).toBe(true);
    expect(await find('viewer=wangge')).toEqual([]);
    expect(await find(`viewer=shequ&to=${encodeURIComponent('2026-11-15T00:00:00Z')}`)).toEqual([]);
  });
});

async function firstCode(dict: string): Promise<string> {
  return (await wangge.get(`/api/v1/dictionaries/${dict}`)).body.entries[0].code;
}
