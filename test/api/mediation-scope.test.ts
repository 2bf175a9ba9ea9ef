// Scope is security: for every mediation and petition endpoint, who may see and do what, who is refused
// by role (403), and who gets 404 for a record outside their territory (as if it did not exist).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlatform, type TestPlatform, type Method } from '../helpers/platform.ts';
import { homeCommunity, homeGrid, homeStreet, otherGrid, otherStreet } from '../helpers/fixtures.ts';
import { neighbourDispute, PNG, setUpOrgs } from './mediation-helpers.ts';

let p: TestPlatform;
const users = {
  gridWorker: 'wangge', community: 'shequ', street: 'jiedao', otherStreet: `jd${otherStreet.code}`, district: 'zhihui',
  hotline: 'rexian', dept: 'renshe', otherDept: 'chengguan', resident: 'jumin',
} as const;
type Who = keyof typeof users;
const t = {} as Record<Who, string>;
let home: { dispute: number; petition: number; party: number; agreement: number; signature: number; session: number; upcoming: number; org: number; mediator: number; day: number };
let other: { dispute: number; petition: number };
let leaderIds: number[];

beforeAll(async () => {
  p = await testPlatform('2026-11-16T01:30:00Z');
  for (const [k, u] of Object.entries(users)) t[k as Who] = await p.login(u);
  const orgs = await setUpOrgs(p, t.street);
  const d = await p.as(t.community).post('/api/v1/disputes', neighbourDispute());
  const od = await p.as(t.otherStreet).post('/api/v1/disputes', neighbourDispute({ regionCode: otherGrid.code }));
  const pet = { categoryCode: '140102', title: '拖欠工资', description: '工地拖欠工资三个月。', form: 'visit', parties: [{ role: 'petitioner', name: '刘大勇', phone: '13600001111' }] };
  const hp = await p.as(t.street).post('/api/v1/petitions', { ...pet, regionCode: homeGrid.code });
  const op = await p.as(t.otherStreet).post('/api/v1/petitions', { ...pet, regionCode: otherGrid.code });
  for (const r of [d, od, hp, op]) expect(r.status, r.text).toBe(201);
  // the home petition is assigned to 人社局 (renshe) and marked a backlog case
  const id = hp.body.case.id;
  await p.as(t.street).post(`/api/v1/cases/${id}/actions/accept_petition`, {});
  await p.as(t.street).post(`/api/v1/cases/${id}/actions/assign_petition`, { leadUnitId: 'dept-renshe' });
  await p.as(t.street).post(`/api/v1/petitions/${id}/backlog`, { reason: '久拖未决' });
  // the home dispute in mediation, with a session and an agreement draft
  const did = d.body.case.id;
  await p.as(t.community).post(`/api/v1/cases/${did}/actions/accept_dispute`, {});
  await p.as(t.community).send('PUT', `/api/v1/disputes/${did}/assignment`, { orgId: orgs.roomId, leadMediatorId: orgs.mediators[0], investigateBy: orgs.mediators[0], mediateBy: orgs.mediators[0], concludeBy: orgs.mediators[0], followUpBy: orgs.mediators[0] });
  await p.as(t.community).post(`/api/v1/cases/${did}/actions/route_dispute`, {});
  await p.as(t.community).post(`/api/v1/cases/${did}/actions/start_mediation`, {});
  const s = await p.as(t.community).post(`/api/v1/disputes/${did}/sessions`, { scheduledAt: '2026-11-16T01:00:00Z', place: '调解室', participants: [{ name: '王小明' }] });
  const s2 = await p.as(t.community).post(`/api/v1/disputes/${did}/sessions`, { scheduledAt: '2026-11-19T06:00:00Z', onlineLink: 'https://meeting.example.cn/123', participants: [{ name: '李大海' }] });
  const a = await p.as(t.community).post(`/api/v1/disputes/${did}/agreements`, { content: '协议', followUpOn: '2026-12-01', obligations: [] });
  expect((await p.as(t.community).post(`/api/v1/disputes/${did}/agreements/${a.body.id}/signatures`, { partyId: d.body.parties[0].id, image: PNG })).status).toBe(201);
  const signature = (await p.as(t.community).get(`/api/v1/disputes/${did}`)).body.agreements[0].signatures[0].id;
  const day = await p.as(t.street).post('/api/v1/reception-days', { regionCode: homeStreet.code, leaderName: '陈书记', leaderTitle: '书记', day: '2026-11-20', startsAt: '09:00', endsAt: '11:00', place: '接待室' });
  home = { dispute: did, petition: id, party: d.body.parties[0].id, agreement: a.body.id, signature, session: s.body.id, upcoming: s2.body.id, org: orgs.roomId, mediator: orgs.mediators[1], day: day.body.id };
  other = { dispute: od.body.case.id, petition: op.body.case.id };
  leaderIds = (await p.ctx.db.query<{ id: number }>(`SELECT id FROM app_user WHERE username = ANY($1::text[]) ORDER BY array_position($1::text[], username)`,
    [['zhihui', 'renshe', 'jiedao', 'gongan']])).map((u) => Number(u.id));
});
afterAll(async () => { await p?.close(); });

const all = Object.keys(users) as Who[];
/** Roles that keep dispute records, and the territory that holds the home and the other records. */
const mediators: Who[] = ['community', 'street', 'district'];
const seesHome: Who[] = ['community', 'street', 'district'];
const seesOther: Who[] = ['otherStreet', 'district'];

async function call(who: Who, method: Method, url: string, body?: unknown) {
  return method === 'GET' ? p.as(t[who]).get(url) : p.as(t[who]).send(method, url, body ?? {});
}
const statusClass = (s: number) => (s < 300 ? 'ok' : s === 403 ? 'forbidden' : s === 404 ? 'hidden' : `other ${s}`);

describe.each(all)('%s', (who) => {
  it('reads a dispute in its territory, 403 without the role, 404 outside', async () => {
    for (const [which, id, sees] of [['home', () => home.dispute, seesHome], ['other', () => other.dispute, seesOther]] as const) {
      const expected = !mediators.includes(who) && who !== 'otherStreet' ? 'forbidden' : sees.includes(who) ? 'ok' : 'hidden';
      for (const url of [`/api/v1/disputes/${id()}`, `/api/v1/disputes/${id()}/assignment/suggestion`, `/api/v1/disputes/${id()}/documents/registration`, `/api/v1/disputes/${id()}/case-file.pdf`]) {
        const r = await call(who, 'GET', url);
        expect(statusClass(r.status), `${which} ${url}`).toBe(expected);
        if (expected !== 'ok') expect(r.text).not.toContain('王小明');
      }
    }
    // a party's drawn signature: to those who may read the dispute; asked through another dispute, it is not there
    const sig = await call(who, 'GET', `/api/v1/disputes/${home.dispute}/signatures/${home.signature}`);
    const expected = !mediators.includes(who) && who !== 'otherStreet' ? 'forbidden' : seesHome.includes(who) ? 'ok' : 'hidden';
    expect(statusClass(sig.status), sig.text.slice(0, 200)).toBe(expected);
    if (expected === 'ok') expect(sig.headers['content-type']).toBe('image/png');
    const elsewhere = await call(who, 'GET', `/api/v1/disputes/${other.dispute}/signatures/${home.signature}`);
    expect(elsewhere.status).toBe(expected === 'forbidden' ? 403 : 404);
  });

  it('lists only disputes in its territory', async () => {
    const r = await call(who, 'GET', '/api/v1/disputes?pageSize=100');
    if (!mediators.includes(who) && who !== 'otherStreet') { expect(r.status).toBe(403); return; }
    const ids = r.body.items.map((x: any) => x.id);
    expect(ids.includes(home.dispute), 'home').toBe(seesHome.includes(who));
    expect(ids.includes(other.dispute), 'other').toBe(seesOther.includes(who));
    for (const url of ['/api/v1/disputes?risk=medium', '/api/v1/disputes/follow-ups', '/api/v1/disputes/sessions']) expect((await call(who, 'GET', url)).status).toBe(200);
    const sessions = (await call(who, 'GET', '/api/v1/disputes/sessions')).body.items.map((x: any) => x.id);
    expect(sessions.includes(home.upcoming)).toBe(seesHome.includes(who));
  });

  it('writes the home dispute\'s records only as a mediator of its territory, and changes nothing otherwise', async () => {
    const writes: Array<[Method, string, unknown]> = [
      ['PATCH', `/api/v1/disputes/${home.dispute}/record`, { evaluation: '考评' }],
      ['POST', `/api/v1/disputes/${home.dispute}/parties`, { parties: [{ role: 'third_party', name: '物业公司', kind: 'organisation' }] }],
      ['POST', `/api/v1/disputes/${home.dispute}/parties/${home.party}/reveal`, { purpose: '联系当事人' }],
      ['POST', `/api/v1/disputes/${home.dispute}/investigations`, { investigatedAt: '2026-11-16T03:00:00Z', investigator: '甲', interviewee: '乙', content: '调查' }],
      ['POST', `/api/v1/disputes/${home.dispute}/sessions`, { scheduledAt: '2026-11-18T06:00:00Z', place: '调解室', participants: [{ name: '王小明' }] }],
      ['PUT', `/api/v1/disputes/${home.dispute}/sessions/${home.session}/minutes`, { minutes: '记录' }],
      ['POST', `/api/v1/disputes/${home.dispute}/agreements/${home.agreement}/signatures`, { signer: 'mediator', image: PNG }],
    ];
    for (const [method, url, body] of writes) {
      const r = await call(who, method, url, body);
      const expected = !mediators.includes(who) && who !== 'otherStreet' ? 'forbidden' : seesHome.includes(who) ? 'ok' : 'hidden';
      expect(statusClass(r.status), `${method} ${url}: ${r.text.slice(0, 200)}`).toBe(expected);
    }
  });

  it('registers disputes and petitions only with the role, and only in its territory', async () => {
    const d = await call(who, 'POST', '/api/v1/disputes', neighbourDispute({ regionCode: homeGrid.code }));
    const mayRegister: Who[] = ['gridWorker', 'community', 'street', 'district'];
    expect(d.status, d.text.slice(0, 200)).toBe(mayRegister.includes(who) ? 201 : who === 'otherStreet' ? 422 : 403);
    const pe = await call(who, 'POST', '/api/v1/petitions', { categoryCode: '140199', title: '反映问题', description: '反映问题。', regionCode: homeCommunity.code, form: 'letter', parties: [{ role: 'petitioner', name: '某某' }] });
    expect(pe.status, pe.text.slice(0, 200)).toBe(mediators.includes(who) ? 201 : who === 'otherStreet' ? 422 : 403);
  });

  it('reads a petition in its territory or assigned to its unit, and manages backlog cases as the petition office', async () => {
    const expectedHome = ['community', 'street', 'district', 'dept'].includes(who) ? 'ok' : who === 'otherStreet' || who === 'otherDept' ? 'hidden' : 'forbidden';
    expect(statusClass((await call(who, 'GET', `/api/v1/petitions/${home.petition}`)).status)).toBe(expectedHome);
    const expectedOther = ['otherStreet', 'district'].includes(who) ? 'ok' : ['community', 'street', 'dept', 'otherDept'].includes(who) ? 'hidden' : 'forbidden';
    expect(statusClass((await call(who, 'GET', `/api/v1/petitions/${other.petition}`)).status)).toBe(expectedOther);
    const list = await call(who, 'GET', '/api/v1/petitions?pageSize=100');
    if (list.status === 200) {
      expect(list.body.items.map((x: any) => x.id).includes(home.petition)).toBe(expectedHome === 'ok');
      expect(list.body.items.map((x: any) => x.id).includes(other.petition)).toBe(expectedOther === 'ok');
    } else expect(list.status).toBe(403);
    const leaders = ['county_leader', 'department', 'township', 'police_officer'].map((role, i) => ({ role, userId: leaderIds[i] }));
    const office: Who[] = ['street', 'district'];
    const manage = office.includes(who) ? 'ok' : expectedHome === 'ok' ? 'forbidden' : expectedHome;
    // the picker of 包案 leaders is the petition office's, for a petition in its territory
    const candidates = await call(who, 'GET', `/api/v1/petitions/${home.petition}/leader-candidates`);
    expect(statusClass(candidates.status), candidates.text.slice(0, 200)).toBe(manage);
    expect(statusClass((await call(who, 'GET', `/api/v1/petitions/${other.petition}/leader-candidates`)).status)).toBe(
      ['district', 'otherStreet'].includes(who) ? 'ok' : expectedOther === 'hidden' ? 'hidden' : 'forbidden');
    const r = await call(who, 'PUT', `/api/v1/petitions/${home.petition}/leaders`, { leaders });
    expect(statusClass(r.status), r.text.slice(0, 200)).toBe(manage);
  });

  it('keeps the registry of organisations, reception days and statistics to their roles', async () => {
    const orgs = await call(who, 'GET', '/api/v1/mediation/orgs');
    expect(orgs.status).toBe(mediators.includes(who) || who === 'otherStreet' ? 200 : 403);
    if (orgs.status === 200) expect(orgs.body.items.some((o: any) => o.id === home.org)).toBe(who !== 'otherStreet');
    const office = ['street', 'otherStreet', 'district'].includes(who);
    const org = await call(who, 'POST', '/api/v1/mediation/orgs', { regionCode: homeCommunity.code, level: 'community', kind: 'room', name: `调解室${who}` });
    expect(statusClass(org.status)).toBe(office ? (who === 'otherStreet' ? 'other 422' : 'ok') : 'forbidden');
    const med = await call(who, 'PATCH', `/api/v1/mediation/mediators/${home.mediator}`, { gold: true });
    expect(statusClass(med.status)).toBe(office ? (who === 'otherStreet' ? 'hidden' : 'ok') : 'forbidden');
    const book = await call(who, 'POST', `/api/v1/reception-days/${home.day}/bookings`, { name: '某某', matter: '反映问题' });
    expect(statusClass(book.status)).toBe(office ? (who === 'otherStreet' ? 'hidden' : 'ok') : 'forbidden');
    const stats = await call(who, 'GET', '/api/v1/mediation/stats');
    expect(stats.status).toBe(mediators.includes(who) || who === 'otherStreet' ? 200 : 403);
    const elsewhere = await call(who, 'GET', `/api/v1/mediation/stats?region=${otherStreet.code}`);
    expect(statusClass(elsewhere.status)).toBe(['otherStreet', 'district'].includes(who) ? 'ok' : mediators.includes(who) ? 'hidden' : 'forbidden');
    const xlsx = await p.http.inject({ method: 'GET', url: '/api/v1/mediation/stats.xlsx', headers: { authorization: `Bearer ${t[who]}` } });
    expect(xlsx.statusCode).toBe(stats.status);
  });
});
