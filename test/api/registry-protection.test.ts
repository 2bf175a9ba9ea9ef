// Personal data protection (DESIGN rule 6): ID numbers, names and phones are sealed at rest, masked in
// every list, record and export; revealing needs the role or a grant, and a purpose, and is audited;
// the audit of reveals is readable by administrators and command centres in their region.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { homeGrid, otherGrid, pointIn } from '../helpers/fixtures.ts';
import { ensureAdmin } from '../../src/platform/auth/bootstrap.ts';
import { createUser } from '../../src/platform/auth/service.ts';
import { otherStreet } from '../helpers/fixtures.ts';
import { expectProblem, idNumber, requester, type Requester } from './registry-helpers.ts';

let p: TestPlatform;
const r: Record<string, Requester> = {};
const G = homeGrid.code;
const secret = { idNumber: idNumber(), name: '慕容复', phone: '13987654321', guardian: '慕容博', guardianPhone: '13611112222', ownerId: idNumber() };
let pid: number, houseId: number, labelId: number, wanggeId: number;

beforeAll(async () => {
  p = await testPlatform('2026-11-16T01:30:00Z');
  await ensureAdmin(p.ctx.db, 'admin-secret-2026');
  const [{ hash }] = await p.ctx.db.query<{ hash: string }>(`SELECT password_hash AS hash FROM app_user WHERE username = 'zhihui'`);
  await createUser(p.ctx.db, { username: 'jdadmin2', displayName: '其他街道管理员', passwordHash: hash, role: 'admin', regionCode: otherStreet.code });
  r.admin = requester(p, await p.login('admin', 'admin-secret-2026'));
  for (const u of ['shequ', 'wangge', 'jiedao', 'zhihui', 'rexian', 'jdadmin2']) r[u] = requester(p, await p.login(u));
  r.otherStreet = requester(p, await p.login(`jd${otherStreet.code}`));
  [{ id: wanggeId }] = await p.ctx.db.query<{ id: number }>(`SELECT id FROM app_user WHERE username = 'wangge'`);
  wanggeId = Number(wanggeId);
  const c = await r.wangge.post('/api/v1/persons', {
    regionCode: G, populationType: 'left_behind', idNumber: secret.idNumber, name: secret.name, phone: secret.phone,
    details: { leftBehindType: '01', familyMemberName: '慕容夫人', familyMemberPhone: '13500005555' },
  });
  expect(c.status, c.text).toBe(201);
  pid = c.body.id;
  const l = await r.wangge.post(`/api/v1/persons/${pid}/labels`, { type: 'key_youth', fields: { youthTypes: ['05'], guardianName: secret.guardian, guardianPhone: secret.guardianPhone } });
  labelId = l.body.id;
  houseId = (await r.wangge.post('/api/v1/houses', { regionCode: G, address: '营盘街8号', ownerName: '段正淳', ownerIdNumber: secret.ownerId, ownerPhone: '13300001111' })).body.id;
});
afterAll(async () => { await p?.close(); });

const clearValues = () => [secret.idNumber, secret.name, secret.phone, secret.guardian, secret.guardianPhone, secret.ownerId, '段正淳', '慕容夫人', '13500005555', '13300001111'];
const expectNoClearValues = (text: string) => { for (const v of clearValues()) expect(text).not.toContain(v); };

describe('at rest and on display', () => {
  it('stores no personal value in clear: only ciphertext, keyed hashes and masks', async () => {
    const all = [
      ...(await p.ctx.db.query<{ t: string }>('SELECT row_to_json(person)::text AS t FROM person')),
      ...(await p.ctx.db.query<{ t: string }>('SELECT row_to_json(person_label)::text AS t FROM person_label')),
      ...(await p.ctx.db.query<{ t: string }>('SELECT row_to_json(house)::text AS t FROM house')),
      ...(await p.ctx.db.query<{ t: string }>('SELECT row_to_json(audit_log)::text AS t FROM audit_log')),
    ].map((x) => x.t).join('\n');
    expectNoClearValues(all);
    const [row] = await p.ctx.db.query<any>('SELECT sealed, id_hash, phone_hash, id_masked FROM person WHERE id = $1', [pid]);
    expect(row.sealed).toMatch(/^v1\./);
    expect(row.id_hash).toBe(p.ctx.cipher.lookupHash(secret.idNumber));
    expect(row.id_masked).toBe(`${secret.idNumber.slice(0, 6)}********${secret.idNumber.slice(-4)}`);
  });

  it('masks in every list, record, label and export by default', async () => {
    for (const url of ['/api/v1/persons', `/api/v1/persons/${pid}`, `/api/v1/persons/${pid}/labels`, '/api/v1/houses', `/api/v1/houses/${houseId}`,
      '/api/v1/registry/exports/persons.csv', '/api/v1/registry/exports/houses.csv', `/api/v1/persons?idNumber=${secret.idNumber}`]) {
      const res = await r.zhihui.get(url);
      expect(res.status, url).toBe(200);
      expectNoClearValues(res.text);
    }
    const list = (await r.shequ.get(`/api/v1/persons?idNumber=${secret.idNumber}`)).body.items[0];
    expect(list).toMatchObject({ nameMasked: '慕**', phoneMasked: '139****4321', detailsMasked: { familyMemberName: '慕***', familyMemberPhone: '135****5555' } });
    const csv = (await r.shequ.get('/api/v1/registry/exports/persons.csv')).text;
    expect(csv).toContain(`${secret.idNumber.slice(0, 6)}********${secret.idNumber.slice(-4)}`);
    expect(csv).toContain('慕**');
  });
});

describe('reveal', () => {
  it('gives the values to a permitted role for a stated purpose, and audits who, what, when and why', async () => {
    const res = await r.shequ.post(`/api/v1/persons/${pid}/reveal`, { purpose: '核实监护人联系方式，安排上门走访' });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      id: pid, idNumber: secret.idNumber, name: secret.name, phone: secret.phone,
      details: { familyMemberName: '慕容夫人', familyMemberPhone: '13500005555' },
      labels: [{ id: labelId, type: 'key_youth', fields: { guardianName: secret.guardian, guardianPhone: secret.guardianPhone } }],
    });
    const [a] = await p.ctx.db.query<any>(`SELECT * FROM audit_log WHERE action = 'registry.reveal' ORDER BY id DESC LIMIT 1`);
    expect(a).toMatchObject({ target: `person:${pid}`, region_code: G });
    expect(a.detail).toEqual({
      purpose: '核实监护人联系方式，安排上门走访', fields: ['idNumber', 'name', 'formerName', 'phone', 'details', 'labels'], via: 'role',
      // the record's name as the audit shows it, masked, kept should the record be removed later
      targetName: expect.stringMatching(/^慕\*+ · \d{6}\*{8}\d{3}[\dX]$/),
      // keyed hashes of the person's name and ID number, so the reveal can be found by person (never the values)
      subject: { nameHashes: [expect.stringMatching(/^\S{20,}$/)], surnameHashes: [expect.stringMatching(/^\S{20,}$/)], idHashes: [expect.stringMatching(/^\S{20,}$/)] },
    });
    expectNoClearValues(JSON.stringify(a));
  });

  it('reveals only the fields asked for; unknown fields are refused', async () => {
    const res = await r.jiedao.post(`/api/v1/persons/${pid}/reveal`, { purpose: '电话回访', fields: ['phone'] });
    expect(res.body).toEqual({ id: pid, phone: secret.phone });
    expectProblem(await r.jiedao.post(`/api/v1/persons/${pid}/reveal`, { purpose: '电话回访', fields: ['password'] }), 400, 'unknown_field');
    const house = await r.zhihui.post(`/api/v1/houses/${houseId}/reveal`, { purpose: '联系房主排查隐患', fields: ['ownerName', 'ownerPhone'] });
    expect(house.body).toEqual({ id: houseId, ownerName: '段正淳', ownerPhone: '13300001111' });
  });

  it('needs a purpose', async () => {
    const before = await p.ctx.db.query('SELECT id FROM audit_log');
    expectProblem(await r.shequ.post(`/api/v1/persons/${pid}/reveal`, {}), 400, 'validation_failed');
    expectProblem(await r.shequ.post(`/api/v1/persons/${pid}/reveal`, { purpose: ' ' }), 400, 'validation_failed');
    expectProblem(await r.shequ.post(`/api/v1/persons/${pid}/reveal`, { purpose: '<script>alert(1)</script>' }), 400, 'validation_failed');
    expect((await p.ctx.db.query('SELECT id FROM audit_log')).length).toBe(before.length);
  });

  it('refuses roles without the permission; a grant from an administrator lets a grid worker reveal until revoked or expired', async () => {
    const before = (await p.ctx.db.query(`SELECT id FROM audit_log WHERE action = 'registry.reveal'`)).length;
    expectProblem(await r.wangge.post(`/api/v1/persons/${pid}/reveal`, { purpose: '走访' }), 403, 'reveal_not_permitted');
    expectProblem(await r.admin.post(`/api/v1/persons/${pid}/reveal`, { purpose: '走访' }), 403);
    expectProblem(await r.rexian.post(`/api/v1/persons/${pid}/reveal`, { purpose: '走访' }), 403);
    expect((await p.ctx.db.query(`SELECT id FROM audit_log WHERE action = 'registry.reveal'`)).length).toBe(before);

    expectProblem(await r.zhihui.post('/api/v1/registry/reveal-grants', { userId: wanggeId, reason: '专项排查' }), 403, 'forbidden');
    expectProblem(await r.jdadmin2.post('/api/v1/registry/reveal-grants', { userId: wanggeId, reason: '专项排查' }), 422, 'unknown_user');
    const [{ id: rexianId }] = await p.ctx.db.query<{ id: number }>(`SELECT id FROM app_user WHERE username = 'rexian'`);
    expectProblem(await r.admin.post('/api/v1/registry/reveal-grants', { userId: Number(rexianId), reason: '专项排查' }), 422, 'role_cannot_read_registry');
    const g = await r.admin.post('/api/v1/registry/reveal-grants', { userId: wanggeId, reason: '重点青少年专项排查', expiresAt: '2026-11-16T03:00:00Z' });
    expect(g.status, g.text).toBe(201);
    const ok = await r.wangge.post(`/api/v1/persons/${pid}/reveal`, { purpose: '专项排查核实', fields: ['name'] });
    expect(ok.body).toEqual({ id: pid, name: secret.name });
    const [a] = await p.ctx.db.query<any>(`SELECT detail FROM audit_log WHERE action = 'registry.reveal' ORDER BY id DESC LIMIT 1`);
    expect(a.detail).toMatchObject({ via: 'grant', grantId: g.body.id, purpose: '专项排查核实' });
    expect((await r.admin.get('/api/v1/registry/reveal-grants')).body.items.map((x: any) => x.id)).toContain(g.body.id);

    p.clock.advance(120); // past expiresAt
    expectProblem(await r.wangge.post(`/api/v1/persons/${pid}/reveal`, { purpose: '再次核实' }), 403, 'reveal_not_permitted');
    p.clock.set('2026-11-16T01:30:00Z');
    expect((await r.admin.del(`/api/v1/registry/reveal-grants/${g.body.id}`)).status).toBe(204);
    expectProblem(await r.wangge.post(`/api/v1/persons/${pid}/reveal`, { purpose: '再次核实' }), 403, 'reveal_not_permitted');
  });
});

describe('audit of reveals', () => {
  it('shows administrators and command centres who revealed what, when and why — registry and case reporters alike', async () => {
    const rexian = requester(p, await p.login('rexian'));
    const c = await rexian.post('/api/v1/cases', { categoryCode: '030102', title: '路灯不亮', description: '三盏路灯不亮', ...pointIn(homeGrid), reporter: { name: '王五', phone: '13800005678' } });
    expect((await rexian.post(`/api/v1/cases/${c.body.id}/reporter/reveal`, { purpose: '回访来电人' })).status).toBe(200);
    const view = await r.zhihui.get('/api/v1/audit/reveals');
    expect(view.status, view.text).toBe(200);
    const items = view.body.items;
    expect(items.map((i: any) => i.action)).toEqual(expect.arrayContaining(['registry.reveal', 'reveal_reporter']));
    // every object by its name: the case by its number, the house by its address; never by a row id
    expect(items.find((i: any) => i.action === 'reveal_reporter')).toMatchObject({ purpose: '回访来电人', actor: { username: 'rexian' }, targetName: c.body.caseNo, targetExists: true });
    expect(items.find((i: any) => i.target === `house:${houseId}`).targetName).toBe('营盘街8号');
    // a person removed since keeps the masked name they had when revealed
    const gone = await r.zhihui.post('/api/v1/persons', { regionCode: homeGrid.code, populationType: 'registered', idNumber: idNumber(), name: '段誉' });
    await r.zhihui.post(`/api/v1/persons/${gone.body.id}/reveal`, { purpose: '核实', fields: ['name'] });
    expect((await r.zhihui.del(`/api/v1/persons/${gone.body.id}`)).status).toBe(204);
    const after = (await r.zhihui.get(`/api/v1/audit/reveals?target=person:${gone.body.id}`)).body.items;
    expect(after).toMatchObject([{ targetName: `段* · ${gone.body.idNumberMasked}`, targetExists: false }]);
    expect(items.find((i: any) => i.target === `house:${houseId}`)).toMatchObject({ actor: { username: 'zhihui' }, purpose: '联系房主排查隐患', fields: ['ownerName', 'ownerPhone'] });
    expectNoClearValues(view.text);
    const byActor = await r.admin.get(`/api/v1/audit/reveals?actorId=${wanggeId}`);
    expect(byActor.body.items.length).toBeGreaterThan(0);
    expect(byActor.body.items.every((i: any) => i.actor.username === 'wangge' && i.via === 'grant')).toBe(true);
    const byTarget = await r.admin.get(`/api/v1/audit/reveals?target=person:${pid}&from=2026-01-01T00:00:00Z`);
    expect(byTarget.body.items.every((i: any) => i.target === `person:${pid}`)).toBe(true);
    expect(byTarget.body.items.length).toBe(3);
  });

  it('is scoped (a street centre sees its street) and closed to other roles', async () => {
    expect((await r.jdadmin2.get('/api/v1/audit/reveals')).body.items).toEqual([]);
    for (const who of ['shequ', 'wangge', 'rexian']) expectProblem(await r[who].get('/api/v1/audit/reveals'), 403, 'forbidden');
    // a street centre reads the reveals of its own street (综治中心), and only those
    const street = homeGrid.code.slice(0, 9);
    const mine = (await r.jiedao.get('/api/v1/audit/reveals')).body.items;
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((i: any) => i.regionCode.startsWith(street))).toBe(true);
    expect(mine.map((i: any) => i.target)).toContain(`person:${pid}`);
    expect((await r.otherStreet.get('/api/v1/audit/reveals')).body.items).toEqual([]);
    // a reveal in another street shows to its own viewers, not to this street's
    const other = await r.zhihui.post('/api/v1/persons', { regionCode: otherGrid.code, populationType: 'registered', idNumber: idNumber(), name: '乔峰' });
    await r.zhihui.post(`/api/v1/persons/${other.body.id}/reveal`, { purpose: '核实' });
    expect((await r.jdadmin2.get('/api/v1/audit/reveals')).body.items.map((i: any) => i.target)).toEqual([`person:${other.body.id}`]);
    expect((await r.otherStreet.get('/api/v1/audit/reveals')).body.items.map((i: any) => i.target)).toEqual([`person:${other.body.id}`]);
    expect((await r.jiedao.get('/api/v1/audit/reveals')).body.items.map((i: any) => i.target)).not.toContain(`person:${other.body.id}`);
    expectProblem(await r.admin.get('/api/v1/audit/reveals?pageSize=1000'), 400, 'validation_failed');
  });
});
