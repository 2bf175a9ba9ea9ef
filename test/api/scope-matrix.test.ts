// Scope is security: for every endpoint, who may see and do what, and who gets 403/404 and sees nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { homeGrid, homeStreet, homeCommunity, neighbourGrid, otherGrid, otherStreet, pointIn } from '../helpers/fixtures.ts';

let p: TestPlatform;
const t: Record<string, string> = {};
let home: any, other: any, attachmentId: number;
const users = {
  gridWorker: 'wangge', neighbourGridWorker: `wg${neighbourGrid.code}`, community: 'shequ', street: 'jiedao',
  otherStreet: `jd${otherStreet.code}`, district: 'zhihui', hotline: 'rexian', dept: 'chengguan', otherDept: 'zhujian', resident: 'jumin',
};
type Who = keyof typeof users;

beforeAll(async () => {
  p = await testPlatform('2026-11-16T01:30:00Z');
  for (const [k, u] of Object.entries(users)) t[k] = await p.login(u);
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a3a3f1f60000000049454e44ae426082', 'hex');
  const form = new FormData();
  form.append('file', new Blob([png], { type: 'image/png' }), 'photo.png');
  const up = await p.http.inject({ method: 'POST', url: '/api/v1/attachments', headers: { authorization: `Bearer ${t.hotline}` }, payload: form as any });
  expect(up.statusCode, up.body).toBe(201);
  attachmentId = JSON.parse(up.body).id;
  const mk = async (grid: typeof homeGrid, extra: Record<string, unknown> = {}) => (await p.as(t.hotline).post('/api/v1/cases', {
    categoryCode: '030102', title: '路灯不亮', description: '三盏路灯不亮', ...pointIn(grid), reporter: { name: '王五', phone: '13800005678' }, ...extra,
  })).body;
  home = await mk(homeGrid, { attachmentIds: [attachmentId] });
  other = await mk(otherGrid);
  await p.as(t.hotline).post(`/api/v1/cases/${home.id}/actions/accept`, {});
  await p.as(t.hotline).post(`/api/v1/cases/${home.id}/actions/dispatch`, { leadUnitId: 'dept-chengguan' });
});
afterAll(async () => { await p?.close(); });

// who sees the case in the home grid (dispatched to 城管) and the one in another street
const seesHome: Who[] = ['gridWorker', 'community', 'street', 'district', 'hotline', 'dept'];
const seesOther: Who[] = ['otherStreet', 'district', 'hotline'];
const all = Object.keys(users) as Who[];

describe.each(all)('%s', (who) => {
  const caseFor = (which: 'home' | 'other') => (which === 'home' ? home : other);
  for (const which of ['home', 'other'] as const) {
    const allowed = (which === 'home' ? seesHome : seesOther).includes(who);
    it(`${allowed ? 'sees' : 'cannot see'} the ${which} case on every case endpoint`, async () => {
      const c = caseFor(which);
      const as = p.as(t[who]);
      const detail = await as.get(`/api/v1/cases/${c.id}`);
      const tl = await as.get(`/api/v1/cases/${c.id}/timeline`);
      const routing = await as.get(`/api/v1/cases/${c.id}/routing`);
      const list = await as.get('/api/v1/cases?pageSize=200');
      const search = await as.get(`/api/v1/cases?q=${encodeURIComponent(c.caseNo)}`);
      if (allowed) {
        expect(detail.status).toBe(200);
        expect(tl.status).toBe(200);
        expect(routing.status).toBe(200);
        expect(list.body.items.map((x: any) => x.id)).toContain(c.id);
        expect(search.body.items.map((x: any) => x.id)).toEqual([c.id]);
      } else {
        for (const r of [detail, tl, routing]) {
          expect(r.status).toBe(404);
          expect(r.headers['content-type']).toContain('application/problem+json');
          expect(r.text).not.toContain(c.caseNo);
        }
        expect(list.body.items.map((x: any) => x.id)).not.toContain(c.id);
        expect(search.body.items).toEqual([]);
        // acting on it is as impossible as reading it, and changes nothing
        const urge = await as.post(`/api/v1/cases/${c.id}/actions/urge`, {});
        expect(urge.status).toBe(404);
        const reveal = await as.post(`/api/v1/cases/${c.id}/reporter/reveal`, { purpose: '回访' });
        expect([403, 404]).toContain(reveal.status);
      }
    });
  }

  it('counts exactly the cases its list and inbox show', async () => {
    for (const inbox of ['false', 'true']) {
      const r = await p.as(t[who]).get(`/api/v1/cases?pageSize=200&count=true&inbox=${inbox}`);
      expect(r.status).toBe(200);
      const expected = [home, other].filter((c) => (c === home ? seesHome : seesOther).includes(who));
      if (inbox === 'false') expect(r.body.items.map((x: any) => x.id).sort()).toEqual(expected.map((c) => c.id).sort());
      expect(r.body.total, `inbox=${inbox}`).toBe(r.body.items.length);
      // the console's inbox order (soonest due first) lists the same cases
      const byDue = await p.as(t[who]).get(`/api/v1/cases?pageSize=200&inbox=${inbox}&sort=due_at`);
      expect(byDue.body.items.map((x: any) => x.id).sort(), `inbox=${inbox}, sort=due_at`).toEqual(r.body.items.map((x: any) => x.id).sort());
    }
  });

  it(`${seesHome.includes(who) ? 'may' : 'may not'} download the home case's photo`, async () => {
    const r = await p.as(t[who]).get(`/api/v1/attachments/${attachmentId}`);
    if (seesHome.includes(who)) {
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe('image/png');
    } else {
      expect(r.status).toBe(404);
    }
  });
});

describe('regions are scoped by code prefix', () => {
  it('a street centre reads its own street and its ancestors, not another street', async () => {
    const as = p.as(t.street);
    expect((await as.get(`/api/v1/regions/${homeStreet.code}`)).status).toBe(200);
    expect((await as.get(`/api/v1/regions/${homeStreet.code}/children`)).body.items.length).toBeGreaterThan(0);
    expect((await as.get(`/api/v1/regions/${homeGrid.code}/ancestors`)).body.items.map((r: any) => r.code))
      .toEqual(['50', '5001', '500117', homeStreet.code, homeCommunity.code]);
    for (const path of ['', '/children', '/ancestors', '/grids']) {
      expect((await as.get(`/api/v1/regions/${otherStreet.code}${path}`)).status).toBe(404);
    }
    const grids = await as.get(`/api/v1/regions/500117/grids`);
    expect(grids.status).toBe(200); // an ancestor: the street sees only its own grids under it
    expect(grids.body.features.every((f: any) => f.id.startsWith(homeStreet.code))).toBe(true);
  });

  it('a grid worker sees only their grid below the community', async () => {
    const kids = await p.as(t.gridWorker).get(`/api/v1/regions/${homeCommunity.code}/children`);
    expect(kids.body.items.map((r: any) => r.code)).toEqual([homeGrid.code]);
    expect((await p.as(t.gridWorker).get(`/api/v1/regions/${neighbourGrid.code}`)).status).toBe(404);
  });
});

describe('only what each role may do', () => {
  it('reveal of the reporter is for the roles that call back or contact the requester, audited with its purpose', async () => {
    expect((await p.as(t.gridWorker).post(`/api/v1/cases/${home.id}/reporter/reveal`, { purpose: '回访' })).status).toBe(403);
    // the handling unit contacts the requester (12345: 签收后联系诉求人)
    expect((await p.as(t.dept).post(`/api/v1/cases/${home.id}/reporter/reveal`, { purpose: '联系诉求人了解现场情况' })).status).toBe(200);
    const r = await p.as(t.hotline).post(`/api/v1/cases/${home.id}/reporter/reveal`, { purpose: '不满意件回访核实' });
    expect(r.body).toEqual({ name: '王五', phone: '13800005678' });
    const audit = await p.ctx.db.query<any>(`SELECT detail FROM audit_log WHERE action = 'reveal_reporter' AND target = $1`, [`case:${home.id}`]);
    expect(audit.map((a) => a.detail.purpose)).toContain('不满意件回访核实');
  });

  it('departments and administrators do not file cases; residents only their own', async () => {
    const b = { categoryCode: '030102', title: 'x', description: 'y', ...pointIn(homeGrid) };
    expect((await p.as(t.dept).post('/api/v1/cases', b)).status).toBe(403);
    const mine = await p.as(t.resident).post('/api/v1/cases', b);
    expect(mine.status).toBe(201);
    expect((await p.as(t.resident).get('/api/v1/cases')).body.items.map((x: any) => x.id)).toEqual([mine.body.id]);
  });

  it('a grid worker cannot report outside their grid', async () => {
    const r = await p.as(t.gridWorker).post('/api/v1/cases', { categoryCode: '030102', title: 'x', description: 'y', ...pointIn(otherGrid) });
    expect(r.status).toBe(422);
    expect(r.body.code).toBe('outside_scope');
  });

  it('without a session every API endpoint answers 401', async () => {
    for (const url of ['/api/v1/cases', `/api/v1/cases/${home.id}`, `/api/v1/cases/${home.id}/timeline`, '/api/v1/regions/mine',
      '/api/v1/regions/locate?lat=30&lng=106.3', '/api/v1/units', '/api/v1/categories', '/api/v1/auth/me', `/api/v1/attachments/${attachmentId}`]) {
      const r = await p.as(null).get(url);
      expect(r.status, url).toBe(401);
    }
    expect((await p.as(null).post('/api/v1/cases', {})).status).toBe(401);
    expect((await p.as('forged-token').get('/api/v1/cases')).status).toBe(401);
  });

  it('logout revokes the token', async () => {
    const tok = await p.login('jiedao');
    expect((await p.as(tok).post('/api/v1/auth/logout')).status).toBe(204);
    expect((await p.as(tok).get('/api/v1/auth/me')).status).toBe(401);
  });
});
