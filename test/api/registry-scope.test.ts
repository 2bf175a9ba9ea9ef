// Scope is security: every registry endpoint for ten users in and out of scope. A record outside a
// user's region is as absent as one that does not exist (404, never listed, never exported); roles
// that do not work with the registries get 403 everywhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { homeGrid, neighbourGrid, otherGrid, otherStreet } from '../helpers/fixtures.ts';
import { ensureAdmin } from '../../src/platform/auth/bootstrap.ts';
import { creditCode, expectProblem, idNumber, requester, type Requester } from './registry-helpers.ts';

let p: TestPlatform;
const users = {
  gridWorker: 'wangge', neighbourGridWorker: `wg${neighbourGrid.code}`, community: 'shequ', street: 'jiedao',
  otherStreet: `jd${otherStreet.code}`, district: 'zhihui', hotline: 'rexian', dept: 'chengguan', resident: 'jumin', admin: 'admin',
};
type Who = keyof typeof users;
const all = Object.keys(users) as Who[];
const r = {} as Record<Who, Requester>;
const noAccess: Who[] = ['hotline', 'dept', 'resident', 'admin'];
const seesHome: Who[] = ['gridWorker', 'community', 'street', 'district'];
const seesOther: Who[] = ['otherStreet', 'district'];
const revealers: Who[] = ['community', 'street', 'otherStreet', 'district'];
const deleters: Who[] = ['community', 'street', 'otherStreet', 'district'];

/** For each kind: how to make one in a grid, a harmless change, and whether it has personal fields. */
const kinds: Record<string, { make: (grid: string) => Record<string, unknown>; patch: Record<string, unknown>; reveal: boolean }> = {
  persons: { make: (g) => ({ regionCode: g, populationType: 'registered', idNumber: idNumber(), name: '林平之', phone: '13800001111' }), patch: { occupation: '教师' }, reveal: true },
  buildings: { make: (g) => ({ regionCode: g, name: '1栋' }), patch: { note: '已核实' }, reveal: false },
  houses: { make: (g) => ({ regionCode: g, address: `营盘街${Math.random()}`, ownerName: '岳不群' }), patch: { note: '已核实' }, reveal: true },
  households: { make: (g) => ({ regionCode: g, householdNo: 'H001' }), patch: { note: '已核实' }, reveal: false },
  places: { make: (g) => ({ regionCode: g, kind: '09', name: '小吃店', managerName: '宁中则' }), patch: { note: '已核实' }, reveal: true },
  facilities: { make: (g) => ({ regionCode: g, major: '01', minor: '01', name: '上水井盖' }), patch: { note: '已核实' }, reveal: false },
  things: { make: (g) => ({ regionCode: g, kind: 'sensor', name: '烟感', deviceCode: `YG-${Math.random().toString(36).slice(2, 10)}`, sensorType: '01' }), patch: { note: '已核实' }, reveal: false },
  organisations: { make: (g) => ({ regionCode: g, kind: 'enterprise', name: '华山公司', creditCode: creditCode(), legalRepName: '令狐冲' }), patch: { note: '已核实' }, reveal: true },
};
const created: Record<string, { home: any; other: any }> = {};
let rooms: { home: any; other: any };
let labels: { home: number; other: number };
let importJob: number;

beforeAll(async () => {
  p = await testPlatform('2026-11-16T01:30:00Z');
  await ensureAdmin(p.ctx.db, 'admin-secret-2026');
  for (const w of all) r[w] = requester(p, await p.login(users[w], w === 'admin' ? 'admin-secret-2026' : undefined));
  for (const [kind, k] of Object.entries(kinds)) {
    const home = await r.district.post(`/api/v1/${kind}`, k.make(homeGrid.code));
    const other = await r.district.post(`/api/v1/${kind}`, k.make(otherGrid.code));
    expect([home.status, other.status], `${kind}: ${home.text} ${other.text}`).toEqual([201, 201]);
    created[kind] = { home: home.body, other: other.body };
  }
  rooms = {
    home: (await r.district.post('/api/v1/rooms', { houseId: created.houses.home.id, name: 'A', rented: true, tenantName: '田伯光' })).body,
    other: (await r.district.post('/api/v1/rooms', { houseId: created.houses.other.id, name: 'A' })).body,
  };
  const lab = async (pid: number) => (await r.district.post(`/api/v1/persons/${pid}/labels`, { type: 'petitioner', fields: { issue: '补偿' } })).body.id;
  labels = { home: await lab(created.persons.home.id), other: await lab(created.persons.other.id) };
  for (const which of ['home', 'other'] as const) {
    const pid = created.persons[which].id;
    await r.district.post(`/api/v1/persons/${pid}/labels/${labels[which]}/followups`, { kind: 'track', method: 'visit', content: '走访', occurredAt: '2026-11-15T01:00:00Z' });
  }
  const job = await r.community.upload('/api/v1/imports?kind=facilities&wait=true', `regionCode,major,minor,name\n${homeGrid.code},01,02,污水井盖\n`);
  expect(job.status, job.text).toBe(200);
  importJob = job.body.id;
});
afterAll(async () => { await p?.close(); });

const record = (kind: string, which: 'home' | 'other') => (kind === 'rooms' ? rooms[which] : created[kind][which]);
const sees = (who: Who, which: 'home' | 'other') => (which === 'home' ? seesHome : seesOther).includes(who);

describe.each(all)('%s', (who) => {
  for (const kind of [...Object.keys(kinds), 'rooms']) {
    it(`${noAccess.includes(who) ? 'gets 403 on' : 'sees only its region on'} every ${kind} endpoint`, async () => {
      const as = r[who];
      const list = await as.get(`/api/v1/${kind}?pageSize=200`);
      if (noAccess.includes(who)) expectProblem(list, 403, 'forbidden');
      for (const which of ['home', 'other'] as const) {
        const rec = record(kind, which);
        const get = await as.get(`/api/v1/${kind}/${rec.id}`);
        const patch = await as.patch(`/api/v1/${kind}/${rec.id}`, kind === 'persons' ? { occupation: '教师' } : { note: '已核实' });
        if (noAccess.includes(who)) {
          for (const res of [get, patch]) expectProblem(res, 403, 'forbidden');
        } else if (sees(who, which)) {
          expect(get.status, get.text).toBe(200);
          expect(patch.status, patch.text).toBe(200);
          expect(list.body.items.map((x: any) => x.id)).toContain(rec.id);
        } else {
          for (const res of [get, patch]) {
            expectProblem(res, 404, 'not_found');
            expect(res.text).not.toContain(rec.regionCode);
          }
          expect(list.body.items.map((x: any) => x.id)).not.toContain(rec.id);
        }
        if (kinds[kind]?.reveal || kind === 'rooms') {
          const rev = await as.post(`/api/v1/${kind}/${rec.id}/reveal`, { purpose: '核实' });
          if (sees(who, which) && revealers.includes(who)) expect(rev.status, rev.text).toBe(200);
          else expectProblem(rev, [403, 404]);
          if (rev.status !== 200) expect(rev.text).not.toMatch(/林平之|岳不群|宁中则|令狐冲|田伯光/);
        }
      }
    });
  }

  it(`${noAccess.includes(who) ? 'gets 403 on' : 'reaches only its region through'} labels, follow-ups, exports, imports and the audit`, async () => {
    const as = r[who];
    for (const which of ['home', 'other'] as const) {
      const pid = created.persons[which].id;
      const lid = labels[which];
      const reqs = [
        await as.get(`/api/v1/persons/${pid}/labels`),
        await as.post(`/api/v1/persons/${pid}/labels`, { type: 'custom', customName: `标签${who}`, fields: {} }),
        await as.patch(`/api/v1/persons/${pid}/labels/${lid}`, { attentionLevel: '1' }),
        await as.get(`/api/v1/persons/${pid}/labels/${lid}/followups`),
        await as.post(`/api/v1/persons/${pid}/labels/${lid}/followups`, { kind: 'assist', method: 'phone', content: '帮扶', occurredAt: '2026-11-16T01:00:00Z' }),
      ];
      if (noAccess.includes(who)) for (const res of reqs) expectProblem(res, 403, 'forbidden');
      else if (sees(who, which)) for (const res of reqs) expect([200, 201], res.text).toContain(res.status);
      else for (const res of reqs) expectProblem(res, 404, 'not_found');
    }
    const csv = await as.get('/api/v1/registry/exports/persons.csv');
    if (noAccess.includes(who)) expectProblem(csv, 403, 'forbidden');
    else {
      expect(csv.status).toBe(200);
      expect(csv.text.includes(created.persons.home.idNumberMasked)).toBe(sees(who, 'home'));
      expect(csv.text.includes(created.persons.other.idNumberMasked)).toBe(sees(who, 'other'));
    }
    const job = await as.get(`/api/v1/imports/${importJob}`);
    const report = await as.get(`/api/v1/imports/${importJob}/errors.csv`);
    const jobVisible = who === 'community' || who === 'district' || who === 'admin';
    for (const res of [job, report]) {
      if (jobVisible) expect(res.status, res.text).toBe(200);
      else expectProblem(res, 404, 'not_found');
    }
    const audit = await as.get('/api/v1/audit/reveals');
    if (who === 'district' || who === 'admin') expect(audit.status).toBe(200);
    else if (who === 'street' || who === 'otherStreet') {
      // a street centre reads the reveals of its own street, and only those
      expect(audit.status, audit.text).toBe(200);
      const street = (who === 'street' ? homeGrid.code : otherStreet.code).slice(0, 9);
      expect(audit.body.items.length).toBeGreaterThan(0);
      for (const e of audit.body.items) expect(e.regionCode, JSON.stringify(e)).toMatch(new RegExp(`^${street}`));
    } else expectProblem(audit, 403, 'forbidden');
    const grants = await as.get('/api/v1/registry/reveal-grants');
    if (who === 'admin') expect(grants.status).toBe(200);
    else expectProblem(grants, 403, 'forbidden');
  });

  it(`${noAccess.includes(who) ? 'may not register anything' : 'registers only in grids of its region'}`, async () => {
    const as = r[who];
    for (const [kind, k] of Object.entries(kinds)) {
      const res = await as.post(`/api/v1/${kind}`, k.make(homeGrid.code));
      if (noAccess.includes(who)) expectProblem(res, 403, 'forbidden');
      else if (sees(who, 'home')) expect(res.status, `${kind} ${res.text}`).toBe(201);
      else expectProblem(res, 403, 'outside_scope');
    }
    const room = await as.post('/api/v1/rooms', { houseId: created.houses.home.id, name: `R-${who}` });
    if (noAccess.includes(who)) expectProblem(room, 403, 'forbidden');
    else if (sees(who, 'home')) expect(room.status).toBe(201);
    else expectProblem(room, 422, 'unknown_house');
    const imp = await as.upload('/api/v1/imports?kind=facilities&wait=true', `regionCode,major,minor,name\n${homeGrid.code},01,03,雨水井盖\n`);
    if (noAccess.includes(who)) expectProblem(imp, 403, 'forbidden');
    else if (sees(who, 'home')) expect(imp.body).toMatchObject({ status: 'succeeded', written: 1 });
    else {
      expect(imp.body).toMatchObject({ status: 'failed', written: 0, rejected: 1 });
      expect((await as.get(`/api/v1/imports/${imp.body.id}/errors.csv`)).text).toContain('outside the region you work in');
    }
  });
});

describe('removal', () => {
  it('is for communities and above, in their region; others get 403 or 404 and the record stays', async () => {
    for (const [kind, k] of Object.entries(kinds)) {
      const target = (await r.district.post(`/api/v1/${kind}`, k.make(homeGrid.code))).body;
      for (const who of all) {
        if (deleters.includes(who) && sees(who, 'home')) continue;
        const res = await r[who].del(`/api/v1/${kind}/${target.id}`);
        expectProblem(res, noAccess.includes(who) || who === 'gridWorker' || who === 'neighbourGridWorker' ? 403 : 404);
        expect((await r.district.get(`/api/v1/${kind}/${target.id}`)).status).toBe(200);
      }
      expect((await r.community.del(`/api/v1/${kind}/${target.id}`)).status).toBe(204);
      expectProblem(await r.district.get(`/api/v1/${kind}/${target.id}`), 404, 'not_found');
    }
  });
});
