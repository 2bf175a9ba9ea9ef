// Registry records per GB/T 31000: persons with their population types and labels (with follow-ups),
// households, buildings, houses, rooms, places, 部件 facilities, things and organisations — what each
// accepts and refuses, and the code tables (dictionaries) they are checked against.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { homeGrid, neighbourGrid, otherGrid, homeCommunity } from '../helpers/fixtures.ts';
import { ensureAdmin } from '../../src/platform/auth/bootstrap.ts';
import { createUser } from '../../src/platform/auth/service.ts';
import { dictionariesDir, loadDictionaries, readDictionaryFiles } from '../../src/modules/registry/dictionaries.ts';
import { makeIdNumber } from '../../src/modules/registry/id-number.ts';
import { badChecksum, creditCode, expectProblem, idNumber, person, registryCounts, requester, type Requester } from './registry-helpers.ts';

let p: TestPlatform;
let shequ: Requester, wangge: Requester, admin: Requester, quadmin: Requester, zhihui: Requester;
const G = homeGrid.code;

beforeAll(async () => {
  p = await testPlatform('2026-11-16T01:30:00Z');
  await ensureAdmin(p.ctx.db, 'admin-secret-2026');
  const [{ hash }] = await p.ctx.db.query<{ hash: string }>(`SELECT password_hash AS hash FROM app_user WHERE username = 'zhihui'`);
  await createUser(p.ctx.db, { username: 'quadmin', displayName: '区管理员', passwordHash: hash, role: 'admin', regionCode: '500117' });
  shequ = requester(p, await p.login('shequ'));
  wangge = requester(p, await p.login('wangge'));
  zhihui = requester(p, await p.login('zhihui'));
  admin = requester(p, await p.login('admin', 'admin-secret-2026'));
  quadmin = requester(p, await p.login('quadmin'));
});
afterAll(async () => { await p?.close(); });

describe('persons (实有人口)', () => {
  it('registers a person: ID number checked, birth date and sex derived, personal fields masked', async () => {
    const id = makeIdNumber('500117', '19880214', 123); // 17th digit 3: male
    const r = await wangge.post('/api/v1/persons', { ...person(G), idNumber: id, name: '欧阳娜娜', phone: '13912345678', maritalStatus: '20' });
    expect(r.status, r.text).toBe(201);
    expect(r.headers.location).toBe(`/api/v1/persons/${r.body.id}`);
    expect(r.body).toMatchObject({
      regionCode: G, populationType: 'registered', idType: '111', idNumberMasked: `500117********${id.slice(-4)}`, nameMasked: '欧***',
      phoneMasked: '139****5678', sex: '1', birthDate: '1988-02-14', ethnicity: '01', maritalStatus: '20', labels: [],
    });
    expect(r.text).not.toContain(id);
    expect(r.text).not.toContain('欧阳娜娜');
    expect(r.text).not.toContain('13912345678');
  });

  const refusals: Array<[string, Record<string, unknown>, string]> = [
    ['a wrong check character', { idNumber: badChecksum(idNumber()) }, 'invalid_id_number'],
    ['a birth date in the future', { idNumber: makeIdNumber('500117', '20270101', 1) }, 'invalid_id_number'],
    ['30 February', { idNumber: makeIdNumber('500117', '19900230', 1) }, 'invalid_id_number'],
    ['an implausible region', { idNumber: makeIdNumber('990117', '19900101', 1) }, 'invalid_id_number'],
    ['a sex that contradicts the ID number', { idNumber: makeIdNumber('500117', '19900101', 2), sex: '1' }, 'sex_mismatch'],
    ['a birth date that contradicts the ID number', { idNumber: makeIdNumber('500117', '19900101', 2), birthDate: '1990-01-02' }, 'birth_date_mismatch'],
    ['an unknown ethnicity code', { ethnicity: '57' }, 'unknown_code'],
    ['an unknown document type', { idType: '999' }, 'unknown_code'],
    ['an overseas person without nationality', { populationType: 'overseas', idType: '414', idNumber: 'E12345678' }, 'validation_failed'],
    ['a floating person with a field of another type', { populationType: 'floating', details: { nationality: 'USA' } }, 'validation_failed'],
    ['a left-behind person of an unknown kind', { populationType: 'left_behind', details: { leftBehindType: '09' } }, 'unknown_code'],
    ['a community instead of a grid', { regionCode: homeCommunity.code }, 'not_a_grid'],
    ['a grid that does not exist', { regionCode: '50011700100599' }, 'unknown_region'],
  ];
  it.each(refusals)('refuses %s with 422 and writes nothing', async (_n, extra, code) => {
    const before = await registryCounts(p);
    expectProblem(await wangge.post('/api/v1/persons', person(G, extra)), 422, code);
    expect(await registryCounts(p)).toEqual(before);
  });

  it('refuses a 15-digit ID number and a grid outside the scope', async () => {
    expectProblem(await wangge.post('/api/v1/persons', person(G, { idNumber: '500117900101001' })), 422, 'invalid_id_number');
    expectProblem(await wangge.post('/api/v1/persons', person(neighbourGrid.code)), 403, 'outside_scope');
  });

  it('keeps one record per ID number, across grids and scopes', async () => {
    const body = person(G);
    expect((await shequ.post('/api/v1/persons', body)).status).toBe(201);
    const dup = await zhihui.post('/api/v1/persons', { ...body, regionCode: otherGrid.code, name: '另一人' });
    expectProblem(dup, 409, 'duplicate_person');
    expect(dup.text).not.toContain(G);
  });

  it('accepts each population type with its own fields', async () => {
    const ok = async (extra: Record<string, unknown>) => {
      const r = await wangge.post('/api/v1/persons', person(G, extra));
      expect(r.status, r.text).toBe(201);
      return r.body;
    };
    const f = await ok({ populationType: 'floating', details: { inflowReason: '01', residenceType: '01', registeredOn: '2026-03-01', keyAttention: false } });
    expect(f.details).toEqual({ inflowReason: '01', residenceType: '01', registeredOn: '2026-03-01', keyAttention: false });
    const o = await ok({ populationType: 'overseas', idType: '414', idNumber: 'e1234567x', details: { nationality: 'VNM', foreignSurname: 'NGUYEN', arrivedOn: '2026-01-05' } });
    expect(o).toMatchObject({ idType: '414', idNumberMasked: '*******7X', sex: null, birthDate: null });
    const l = await ok({ populationType: 'left_behind', details: { leftBehindType: '03', familyMemberName: '王建国', familyMemberPhone: '13700001111', familyMemberRelation: '20' } });
    expect(l.details).toEqual({ leftBehindType: '03', familyMemberRelation: '20' });
    expect(l.detailsMasked).toEqual({ familyMemberName: '王**', familyMemberPhone: '137****1111' });
  });

  it('looks up by ID number and phone through the keyed hash, and filters and pages', async () => {
    const id = idNumber();
    const created = (await wangge.post('/api/v1/persons', person(G, { idNumber: id, phone: '15011112222', populationType: 'floating' }))).body;
    const byId = await wangge.get(`/api/v1/persons?idNumber=${id.toLowerCase()}`);
    expect(byId.body.items.map((x: any) => x.id)).toEqual([created.id]);
    const byPhone = await wangge.get('/api/v1/persons?phone=15011112222');
    expect(byPhone.body.items.map((x: any) => x.id)).toEqual([created.id]);
    expect((await wangge.get(`/api/v1/persons?idNumber=${idNumber()}`)).body.items).toEqual([]);
    const floating = await wangge.get('/api/v1/persons?populationType=floating&count=true');
    expect(floating.body.items.every((x: any) => x.populationType === 'floating')).toBe(true);
    const page1 = await wangge.get('/api/v1/persons?pageSize=2&count=true');
    expect(page1.body).toMatchObject({ page: 1, pageSize: 2, hasMore: true });
    expect(page1.body.total).toBeGreaterThan(2);
    const page2 = await wangge.get('/api/v1/persons?pageSize=2&page=2');
    expect(page2.body.items[0].id).toBeLessThan(page1.body.items[1].id);
  });

  it('changes a person: a new phone is re-sealed and re-hashed, a new ID number re-derives sex and birth date', async () => {
    const created = (await wangge.post('/api/v1/persons', person(G))).body;
    const newId = makeIdNumber('500117', '20010509', 224); // female
    const r = await wangge.patch(`/api/v1/persons/${created.id}`, { phone: '18800001234', idNumber: newId, occupation: '个体' });
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ phoneMasked: '188****1234', sex: '2', birthDate: '2001-05-09', occupation: '个体', nameMasked: '张**' });
    expect((await wangge.get('/api/v1/persons?phone=18800001234')).body.items.map((x: any) => x.id)).toEqual([created.id]);
    expect((await wangge.get('/api/v1/persons?phone=13812345678')).body.items.map((x: any) => x.id)).not.toContain(created.id);
    const cleared = await wangge.patch(`/api/v1/persons/${created.id}`, { phone: null, occupation: null });
    expect(cleared.body).toMatchObject({ phoneMasked: null, occupation: null });
    expectProblem(await wangge.patch(`/api/v1/persons/${created.id}`, { idNumber: badChecksum(newId) }), 422, 'invalid_id_number');
  });

  it('removes a person (communities and above) with labels and follow-ups', async () => {
    const created = (await wangge.post('/api/v1/persons', person(G))).body;
    const label = (await wangge.post(`/api/v1/persons/${created.id}/labels`, { type: 'petitioner', fields: { issue: '征地补偿' } })).body;
    await wangge.post(`/api/v1/persons/${created.id}/labels/${label.id}/followups`, { kind: 'track', method: 'phone', content: '电话回访', occurredAt: '2026-11-15T08:00:00Z' });
    expectProblem(await wangge.del(`/api/v1/persons/${created.id}`), 403, 'forbidden');
    expect((await shequ.del(`/api/v1/persons/${created.id}`)).status).toBe(204);
    expectProblem(await shequ.get(`/api/v1/persons/${created.id}`), 404, 'not_found');
    const [n] = await p.ctx.db.query<any>('SELECT (SELECT count(*)::int FROM person_label WHERE person_id = $1) AS l, (SELECT count(*)::int FROM person_followup WHERE person_id = $1) AS f', [created.id]);
    expect(n).toEqual({ l: 0, f: 0 });
  });
});

describe('labels for special populations and their follow-up log', () => {
  let pid: number;
  beforeAll(async () => { pid = (await wangge.post('/api/v1/persons', person(G))).body.id; });

  const valid: Array<[string, Record<string, unknown>]> = [
    ['released_prisoner', { releasedOn: '2025-06-30', originalCharge: '盗窃罪', placementStatus: '01', isRecidivist: false }],
    ['community_correction', { correctionCategory: '2', correctionStartOn: '2026-01-01', correctionEndOn: '2027-06-30', charge: '危险驾驶罪' }],
    ['severe_mental_disorder', { riskLevel: 2, diagnosis: '01', guardianName: '李秀英', guardianIdNumber: makeIdNumber('500117', '19600101', 22), guardianPhone: '13600001111' }],
    ['drug_user', { firstFoundOn: '2020-03-01', controlStatus: '02' }],
    ['key_youth', { youthTypes: ['01', '02'], guardianRelation: '51', offended: false }],
    ['hiv_risk', { infectionRoute: '99' }],
    ['petitioner', { issue: '房屋拆迁补偿', petitionCount: 3, highestLevel: '2', firstPetitionOn: '2025-01-01', lastPetitionOn: '2026-10-01' }],
  ];
  it.each(valid)('accepts a %s label with its fields', async (type, fields) => {
    const r = await wangge.post(`/api/v1/persons/${pid}/labels`, { type, fields, attentionLevel: '2', startedOn: '2026-01-01' });
    expect(r.status, r.text).toBe(201);
    expect(r.body).toMatchObject({ type, active: true, attentionLevel: '2', startedOn: '2026-01-01' });
    if (type === 'severe_mental_disorder') {
      expect(r.body.fields).toEqual({ riskLevel: 2, diagnosis: '01' });
      expect(r.body.fieldsMasked).toMatchObject({ guardianName: '李**', guardianPhone: '136****1111' });
      expect(r.text).not.toContain('李秀英');
    }
  });

  const invalid: Array<[string, Record<string, unknown>, string]> = [
    ['community correction without its category', { type: 'community_correction', fields: { correctionStartOn: '2026-01-01', correctionEndOn: '2026-12-31' } }, 'validation_failed'],
    ['community correction ending before it starts', { type: 'community_correction', fields: { correctionCategory: '1', correctionStartOn: '2026-01-01', correctionEndOn: '2025-12-31' } }, 'date_order'],
    ['an unknown correction category', { type: 'community_correction', fields: { correctionCategory: '7', correctionStartOn: '2026-01-01', correctionEndOn: '2026-12-31' } }, 'unknown_code'],
    ['a guardian with a bad ID number', { type: 'key_youth', fields: { youthTypes: ['01'], guardianIdNumber: badChecksum(idNumber()) } }, 'invalid_id_number'],
    ['a risk level of 9', { type: 'severe_mental_disorder', fields: { riskLevel: 9 } }, 'validation_failed'],
    ['a field of another label type', { type: 'drug_user', fields: { riskLevel: 1 } }, 'validation_failed'],
    ['an unknown label type', { type: 'vip', fields: {} }, 'unknown_label_type'],
    ['a custom label without a name', { type: 'custom', fields: { note: 'x' } }, 'custom_name_required'],
    ['a name on a standard label', { type: 'drug_user', customName: '别名', fields: {} }, 'not_custom'],
  ];
  it.each(invalid)('refuses %s', async (_n, body, code) => {
    const before = await registryCounts(p);
    expectProblem(await wangge.post(`/api/v1/persons/${pid}/labels`, body), 422, code);
    expect(await registryCounts(p)).toEqual(before);
  });

  it('takes custom labels, refuses a second active label of a type, ends labels, and keeps an immutable follow-up log', async () => {
    const custom = await wangge.post(`/api/v1/persons/${pid}/labels`, { type: 'custom', customName: '独居老人', fields: { livesAlone: true, visits: 2 } });
    expect(custom.status, custom.text).toBe(201);
    expectProblem(await wangge.post(`/api/v1/persons/${pid}/labels`, { type: 'drug_user', fields: {} }), 409, 'duplicate_label');
    const labels = (await wangge.get(`/api/v1/persons/${pid}/labels`)).body.items;
    const drug = labels.find((l: any) => l.type === 'drug_user');
    const fu = await wangge.post(`/api/v1/persons/${pid}/labels/${drug.id}/followups`, {
      kind: 'assist', method: 'visit', content: '联系社区戒毒康复站，落实帮扶措施', occurredAt: '2026-11-16T01:00:00Z', nextDueOn: '2026-12-16',
    });
    expect(fu.status, fu.text).toBe(201);
    expect(fu.body).toMatchObject({ kind: 'assist', method: 'visit', nextDueOn: '2026-12-16', actorName: expect.stringContaining('网格员') });
    expectProblem(await wangge.post(`/api/v1/persons/${pid}/labels/${drug.id}/followups`, {
      kind: 'track', method: 'visit', content: '未来的走访', occurredAt: '2026-11-20T01:00:00Z',
    }), 422, 'in_future');
    await expect(p.ctx.db.query('UPDATE person_followup SET content = $1 WHERE id = $2', ['改写', fu.body.id])).rejects.toThrow(/immutable/);
    const ended = await shequ.patch(`/api/v1/persons/${pid}/labels/${drug.id}`, { active: false, endedOn: '2026-11-16' });
    expect(ended.body).toMatchObject({ active: false, endedOn: '2026-11-16', fields: { firstFoundOn: '2020-03-01', controlStatus: '02' } });
    expectProblem(await wangge.post(`/api/v1/persons/${pid}/labels/${drug.id}/followups`, {
      kind: 'track', method: 'phone', content: '电话', occurredAt: '2026-11-16T01:00:00Z',
    }), 409, 'label_ended');
    expect((await wangge.get(`/api/v1/persons/${pid}/labels/${drug.id}/followups`)).body.items).toHaveLength(1);
    expect((await wangge.post(`/api/v1/persons/${pid}/labels`, { type: 'drug_user', fields: { controlStatus: '05' } })).status).toBe(201);
    const person = (await wangge.get(`/api/v1/persons/${pid}`)).body;
    expect(person.labels).toContain('custom');
    expect((await wangge.get('/api/v1/persons?label=community_correction')).body.items.map((x: any) => x.id)).toContain(pid);
  });
});

describe('households, buildings, houses, rooms, places', () => {
  it('puts houses under buildings and rooms under houses, in the parent grid', async () => {
    const b = await wangge.post('/api/v1/buildings', { regionCode: G, name: '营盘街12号1栋', code: '00012', useType: '01', floors: 7, units: 2 });
    expect(b.status, b.text).toBe(201);
    const h = await wangge.post('/api/v1/houses', {
      buildingId: b.body.id, address: '营盘街12号1栋2单元301', unitNo: '2', floor: 3, doorNo: '301', area: 89.5, useType: '02', hazardTypes: ['01', '05'],
      ownerName: '赵德明', ownerIdNumber: idNumber(), ownerPhone: '13500002222', rented: true, rentalUse: '01', tenantName: '钱小红', tenantPhone: '13600003333',
      tenantCount: 2, leaseStart: '2026-01-01', leaseEnd: '2026-12-31',
    });
    expect(h.status, h.text).toBe(201);
    expect(h.body).toMatchObject({ regionCode: G, buildingId: b.body.id, hazardTypes: ['01', '05'], rented: true, ownerNameMasked: '赵**', tenantPhoneMasked: '136****3333' });
    expectProblem(await wangge.post('/api/v1/houses', { buildingId: b.body.id, regionCode: neighbourGrid.code, address: 'x' }), 422, 'region_mismatch');
    expectProblem(await wangge.post('/api/v1/houses', { regionCode: G, address: '营盘街1号', tenantName: '孙' }), 422, 'not_rented');
    const lease = { regionCode: G, address: '营盘街1号', rented: true, leaseStart: '2026-02-01', leaseEnd: '2026-01-01' };
    const leaseEn = await wangge.post('/api/v1/houses', lease);
    expectProblem(leaseEn, 422, 'lease_order');
    expect(leaseEn.body.errors).toEqual([{ path: 'body.leaseEnd', code: 'lease_order', message: 'the lease ends before it starts' }]);
    // the form shows each issue beside its field: in Chinese for a Chinese user
    const leaseZh = await wangge.send('POST', '/api/v1/houses', lease, { 'accept-language': 'zh-CN' });
    expectProblem(leaseZh, 422, 'lease_order');
    expect(leaseZh.body.errors).toEqual([{ path: 'body.leaseEnd', code: 'lease_order', message: '租赁结束日期早于开始日期' }]);
    expectProblem(await wangge.post('/api/v1/houses', { regionCode: G, address: '营盘街1号', hazardTypes: ['42'] }), 422, 'unknown_code');
    expectProblem(await wangge.post('/api/v1/houses', { buildingId: 987654, address: '营盘街1号' }), 422, 'unknown_building');
    const room = await wangge.post('/api/v1/rooms', { houseId: h.body.id, name: 'A室', area: 12, rented: true, rentalUse: '01', tenantName: '周杰', tenantIdNumber: idNumber() });
    expect(room.status, room.text).toBe(201);
    expect(room.body).toMatchObject({ houseId: h.body.id, regionCode: G, tenantNameMasked: '周*' });
    expectProblem(await wangge.post('/api/v1/rooms', { name: 'B室' }), 400, 'validation_failed');
    expect((await wangge.get(`/api/v1/rooms?houseId=${h.body.id}`)).body.items).toHaveLength(1);
    expect((await wangge.get(`/api/v1/houses?buildingId=${b.body.id}&rented=true`)).body.items.map((x: any) => x.id)).toEqual([h.body.id]);
    expectProblem(await shequ.del(`/api/v1/buildings/${b.body.id}`), 409, 'in_use');

    const hh = await wangge.post('/api/v1/households', { houseId: h.body.id, householdNo: '500117001', kind: 'family' });
    expect(hh.status, hh.text).toBe(201);
    const head = (await wangge.post('/api/v1/persons', person(G, { householdId: hh.body.id, houseId: h.body.id, relationToHead: '02' }))).body;
    const child = await wangge.post('/api/v1/persons', person(G, { householdId: hh.body.id, relationToHead: '20' }));
    expect(child.body).toMatchObject({ householdId: hh.body.id, relationToHead: '20' });
    const withHead = await wangge.patch(`/api/v1/households/${hh.body.id}`, { headPersonId: head.id });
    expect(withHead.body.headPersonId).toBe(head.id);
    expect((await wangge.get(`/api/v1/persons?householdId=${hh.body.id}`)).body.items).toHaveLength(2);
    expectProblem(await wangge.post('/api/v1/persons', person(neighbourGrid.code, { householdId: hh.body.id })), 422, 'region_mismatch');
    expectProblem(await wangge.post('/api/v1/persons', person(G, { relationToHead: '00' })), 422, 'unknown_code');

    const place = await wangge.post('/api/v1/places', { regionCode: G, kind: '09', name: '营盘街小吃店', managerName: '吴老板', managerPhone: '13900009999', attentionLevel: '1' });
    expect(place.status, place.text).toBe(201);
    expect(place.body).toMatchObject({ kind: '09', managerNameMasked: '吴**' });
    expectProblem(await wangge.post('/api/v1/places', { regionCode: G, kind: '77', name: 'x' }), 422, 'unknown_code');
  });
});

describe('部件 facilities, things, organisations', () => {
  it('numbers facilities 6 region + 2 大类 + 2 小类 + 6 serial, and checks given codes', async () => {
    const a = await wangge.post('/api/v1/facilities', { regionCode: G, major: '01', minor: '17', name: '路灯', ownerUnit: '合川区城市管理局', maintainerUnit: '合川区路灯所', state: 'damaged' });
    const b = await wangge.post('/api/v1/facilities', { regionCode: G, major: '01', minor: '17', name: '路灯' });
    expect(a.status, a.text).toBe(201);
    expect(a.body).toMatchObject({ code: '5001170117000001', state: 'damaged', ownerUnit: '合川区城市管理局' });
    expect(b.body.code).toBe('5001170117000002');
    const given = await wangge.post('/api/v1/facilities', { regionCode: G, major: '02', minor: '03', code: '5001170203000777', name: '路名牌' });
    expect(given.body.code).toBe('5001170203000777');
    expectProblem(await wangge.post('/api/v1/facilities', { regionCode: G, major: '02', minor: '03', code: '5001170203000777', name: '路名牌' }), 409, 'duplicate_facility_code');
    expectProblem(await wangge.post('/api/v1/facilities', { regionCode: G, major: '02', minor: '03', code: '5001180203000001', name: 'x' }), 422, 'facility_code_mismatch');
    expectProblem(await wangge.post('/api/v1/facilities', { regionCode: G, major: '02', minor: '03', code: '5001170204000001', name: 'x' }), 422, 'facility_code_mismatch');
    expectProblem(await wangge.post('/api/v1/facilities', { regionCode: G, major: '09', minor: '01', name: 'x' }), 422, 'unknown_code');
    expectProblem(await wangge.post('/api/v1/facilities', { regionCode: G, major: '01', minor: '99', name: 'x' }), 422, 'unknown_code');
    expectProblem(await wangge.post('/api/v1/facilities', { regionCode: G, major: '01', minor: '01', name: 'x', state: 'broken' }), 400, 'validation_failed');
    const moved = await wangge.patch(`/api/v1/facilities/${b.body.id}`, { minor: '18', name: '景观灯', state: 'scrapped' });
    expect(moved.body).toMatchObject({ code: '5001170118000001', state: 'scrapped' });
    expect((await wangge.get('/api/v1/facilities?major=01&minor=17')).body.items.map((x: any) => x.id)).toEqual([a.body.id]);
  });

  it('registers cameras and sensors with their device codes', async () => {
    expect((await wangge.post('/api/v1/things', { regionCode: G, kind: 'camera', name: '营盘街路口球机', deviceCode: '50011700001320000001' })).status).toBe(201);
    const s = await wangge.post('/api/v1/things', { regionCode: G, kind: 'sensor', name: '1栋烟感', deviceCode: 'YG-0001', sensorType: '01', properties: { battery: 87, vendorId: 'abc' } });
    expect(s.status, s.text).toBe(201);
    expect(s.body).toMatchObject({ sensorType: '01', status: 'online', properties: { battery: 87 } });
    expectProblem(await wangge.post('/api/v1/things', { regionCode: G, kind: 'sensor', name: '水位', deviceCode: 'SW-0001' }), 422, 'sensor_type_required');
    expectProblem(await wangge.post('/api/v1/things', { regionCode: G, kind: 'camera', name: 'c', deviceCode: 'CAM-0001', sensorType: '01' }), 422, 'not_a_sensor');
    expectProblem(await wangge.post('/api/v1/things', { regionCode: G, kind: 'sensor', name: '1栋烟感', deviceCode: 'YG-0001', sensorType: '01' }), 409, 'duplicate_device_code');
  });

  it('checks the unified social credit code (GB 32100) of enterprises and social organisations', async () => {
    const code = creditCode();
    const e = await wangge.post('/api/v1/organisations', {
      regionCode: G, kind: 'enterprise', name: '合川区营盘街餐饮有限公司', creditCode: code.toLowerCase(), typeCode: '150', employees: 12,
      legalRepName: '郑大海', legalRepIdNumber: idNumber(), legalRepPhone: '13711112222', hazardousChemicals: false,
    });
    expect(e.status, e.text).toBe(201);
    expect(e.body).toMatchObject({ creditCode: code, typeCode: '150', legalRepNameMasked: '郑**', legalRepPhoneMasked: '137****2222' });
    expectProblem(await wangge.post('/api/v1/organisations', { regionCode: G, kind: 'enterprise', name: '假公司', creditCode: `${code.slice(0, 17)}${code[17] === '0' ? '1' : '0'}` }), 422, 'invalid_credit_code');
    expectProblem(await wangge.post('/api/v1/organisations', { regionCode: G, kind: 'enterprise', name: '假公司', creditCode: '91110108551385082I' }), 422, 'invalid_credit_code');
    expectProblem(await wangge.post('/api/v1/organisations', { regionCode: G, kind: 'social', name: '无代码协会' }), 422, 'credit_code_required');
    expectProblem(await wangge.post('/api/v1/organisations', { regionCode: G, kind: 'enterprise', name: '同一家', creditCode: code }), 409, 'duplicate_credit_code');
    expectProblem(await wangge.post('/api/v1/organisations', { regionCode: G, kind: 'social', name: '协会', creditCode: creditCode(), typeCode: '150' }), 422, 'unknown_code');
    const party = await wangge.post('/api/v1/organisations', { regionCode: G, kind: 'party', name: '营盘街社区党委', typeCode: '01', members: 86 });
    expect(party.status, party.text).toBe(201);
    const branch = await wangge.post('/api/v1/organisations', { parentId: party.body.id, kind: 'party', name: '第一网格党支部', typeCode: '03', members: 12 });
    expect(branch.body).toMatchObject({ parentId: party.body.id, regionCode: G });
    expect((await wangge.get(`/api/v1/organisations?creditCode=${code}`)).body.items.map((x: any) => x.id)).toEqual([e.body.id]);
  });
});

describe('dictionaries (code tables as data)', () => {
  it('serves the shipped code tables: 56 民族, sexes, 部件 classes, GB/T 4761 relationships', async () => {
    const list = (await wangge.get('/api/v1/dictionaries')).body.items;
    expect(list.length).toBeGreaterThanOrEqual(30);
    const eth = (await wangge.get('/api/v1/dictionaries/ethnicity')).body;
    expect(eth).toMatchObject({ standard: 'GB/T 3304-1991', version: 2 });
    expect(eth.entries.filter((e: any) => Number(e.code) <= 56)).toHaveLength(56);
    expect(eth.entries[0]).toMatchObject({ code: '01', labelZh: '汉族' });
    const fac = (await wangge.get('/api/v1/dictionaries/facility_class')).body.entries;
    expect(fac.find((e: any) => e.code === '0101')).toMatchObject({ labelZh: '上水井盖', parentCode: '01' });
    expect((await wangge.get('/api/v1/dictionaries/relationship')).body.entries.find((e: any) => e.code === '02').labelZh).toBe('户主');
    expectProblem(await wangge.get('/api/v1/dictionaries/nope'), 404, 'not_found');
    expectProblem(await p.as(null).get('/api/v1/dictionaries/sex'), 401);
  });

  it('lets a platform administrator edit entries, which take effect at once; others may not', async () => {
    const edit = { entries: [{ code: '10', labelZh: '女方恢复婚姻' }] };
    expectProblem(await wangge.patch('/api/v1/dictionaries/marital_status', edit), 403, 'forbidden');
    expectProblem(await zhihui.patch('/api/v1/dictionaries/marital_status', edit), 403, 'forbidden');
    expectProblem(await quadmin.patch('/api/v1/dictionaries/marital_status', edit), 403, 'platform_admin_only');
    const r = await admin.patch('/api/v1/dictionaries/nationality', { entries: [{ code: 'ZAF', labelZh: '南非', labelEn: 'South Africa' }, { code: 'PRK', active: false }] });
    expect(r.status, r.text).toBe(200);
    expect(r.body.entries.find((e: any) => e.code === 'ZAF')).toMatchObject({ origin: 'admin', active: true });
    expect(r.body.entries.find((e: any) => e.code === 'PRK')).toMatchObject({ active: false, edited: true });
    expect((await wangge.post('/api/v1/persons', person(G, { populationType: 'overseas', idType: '414', idNumber: 'ZA123456', details: { nationality: 'ZAF' } }))).status).toBe(201);
    expectProblem(await wangge.post('/api/v1/persons', person(G, { populationType: 'overseas', idType: '414', idNumber: 'KP123456', details: { nationality: 'PRK' } })), 422, 'unknown_code');
    expectProblem(await admin.patch('/api/v1/dictionaries/nationality', { entries: [{ code: 'XXX' }] }), 422, 'label_required');
    const [a] = await p.ctx.db.query<any>(`SELECT * FROM audit_log WHERE action = 'dictionary.update' ORDER BY id DESC LIMIT 1`);
    expect(a.target).toBe('dictionary:nationality');
  });

  it('loads files idempotently and by version: a newer file keeps edited entries and retires dropped codes', async () => {
    expect(await loadDictionaries(p.ctx.db)).toEqual([]);
    const dir = mkdtempSync(join(tmpdir(), 'gz-dict-'));
    try {
      for (const f of readDictionaryFiles()) writeFileSync(join(dir, `${f.name}.json`), readFileSync(join(dictionariesDir, `${f.name}.json`)));
      const nat = JSON.parse(readFileSync(join(dir, 'nationality.json'), 'utf8'));
      nat.version = 2;
      nat.entries = nat.entries.filter((e: string[]) => e[0] !== 'NGA').map((e: string[]) => (e[0] === 'PRK' ? [e[0], '朝鲜(新)', e[2]] : e));
      nat.entries.push(['FIN', '芬兰', 'Finland']);
      writeFileSync(join(dir, 'nationality.json'), JSON.stringify(nat));
      expect(await loadDictionaries(p.ctx.db, readDictionaryFiles(dir))).toEqual(['nationality']);
      expect(await loadDictionaries(p.ctx.db, readDictionaryFiles(dir))).toEqual([]);
      const d = (await wangge.get('/api/v1/dictionaries/nationality?all=true')).body;
      const by = new Map(d.entries.map((e: any) => [e.code, e]));
      expect(d.version).toBe(2);
      expect(by.get('FIN')).toMatchObject({ active: true, origin: 'file' });
      expect(by.get('NGA')).toMatchObject({ active: false });
      expect(by.get('PRK')).toMatchObject({ active: false, labelZh: '朝鲜' }); // the administrator's edit stands
      expect(by.get('ZAF')).toMatchObject({ active: true, origin: 'admin' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
