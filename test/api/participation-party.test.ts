// Party members (issue 16, item 7): a party member registered to their grid (党员到网格报到) signs in with
// their phone, claims a wish as a party member and volunteers; their record shows the registration and
// the grid's service entries, the wish and the hours.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblemStatus, testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { homeCommunity, homeGrid } from '../helpers/fixtures.ts';

let p: TestPlatform;
const lines: string[] = [];
beforeAll(async () => {
  p = await testPlatform('2026-11-16T02:00:00Z', {}, { level: 'warn', stream: new Writable({ write(c, _e, done) { lines.push(String(c)); done(); } }) });
}, 120_000);
afterAll(async () => { await p?.close(); });

describe('a party member\'s record', () => {
  it('finds the grid registration by phone and counts wishes claimed as a party member and volunteer hours', async () => {
    const shequ = await p.login('shequ');
    const phone = '13688889999';
    const m = await p.as(shequ).post(`/api/v1/grids/${homeGrid.code}/party-members`, { name: '陈明', branch: '第一党支部', phone, registeredOn: '2026-01-05' });
    expect(m.status, m.text).toBe(201);
    await p.as(shequ).post(`/api/v1/grids/${homeGrid.code}/party-members/${m.body.id}/services`, { servedOn: '2026-11-10', description: '清理楼道杂物', hours: 2 });
    await p.as(null).post('/api/v1/participation/sign-in/code', { phone });
    const code = /验证码是 (\d{6})/.exec([...lines].reverse().find((l) => l.includes('development SMS'))!)![1];
    const token = (await p.as(null).post('/api/v1/participation/sign-in', { phone, code, communityCode: homeCommunity.code })).body.token;
    const wish = (await p.as(await p.login('wangge')).post('/api/v1/participation/wishes', { title: '帮独居老人买药', category: 'care', regionCode: homeGrid.code, wisher: { name: '赵奶奶' } })).body;
    expect((await p.as(token).post(`/api/v1/participation/wishes/${wish.id}/claim`, { kind: 'party_member' })).status).toBe(200);
    await p.as(token).post('/api/v1/participation/volunteers/me', { skills: ['跑腿'] });
    const act = (await p.as(shequ).post('/api/v1/participation/activities', { regionCode: homeCommunity.code, title: '敬老院慰问', startsAt: '2026-11-16T01:00:00Z', hours: 3, capacity: 10 })).body;
    await p.as(token).post(`/api/v1/participation/activities/${act.id}/signup`, {});
    await p.as(token).post(`/api/v1/participation/activities/${act.id}/check-in`, {});
    const rec = await p.as(token).get('/api/v1/participation/party-record');
    expect(rec.status, rec.text).toBe(200);
    expect(rec.body.membership).toMatchObject({ gridCode: homeGrid.code, branch: '第一党支部', services: [{ description: '清理楼道杂物', hours: 2 }] });
    expect(rec.body.wishes).toMatchObject([{ title: '帮独居老人买药', state: 'claimed' }]);
    expect(rec.body.volunteering).toEqual({ hours: 3, activities: 1, emergencyTasks: 0 });
    expect(rec.text).not.toContain(phone);
    // a resident who is no party member has no registration
    expect((await p.as(await p.login('jumin')).get('/api/v1/participation/party-record')).body.membership).toBeNull();
  });
});

describe('a party member\'s patrols', () => {
  it('count for them: their own patrol of their grid and one the grid records, with hours; others may not record one', async () => {
    const shequ = await p.login('shequ');
    const phone = '13677776666';
    const m = await p.as(shequ).post(`/api/v1/grids/${homeGrid.code}/party-members`, { name: '李卫东', branch: '第二党支部', phone, registeredOn: '2026-02-01' });
    expect(m.status, m.text).toBe(201);
    await p.as(null).post('/api/v1/participation/sign-in/code', { phone });
    const code = /验证码是 (\d{6})/.exec([...lines].reverse().find((l) => l.includes('development SMS'))!)![1];
    const token = (await p.as(null).post('/api/v1/participation/sign-in', { phone, code, communityCode: homeCommunity.code })).body.token;
    const PATROLS = '/api/v1/participation/party-record/patrols';
    // an evening patrol of 1 h 40 min, recorded to the half hour
    const own = await p.as(token).post(PATROLS, { startedAt: '2026-11-15T11:00:00Z', endedAt: '2026-11-15T12:40:00Z', note: '巡查3栋消防通道，劝离堆放杂物' });
    expect(own.status, own.text).toBe(201);
    expect(own.body).toMatchObject({ kind: 'patrol', gridCode: homeGrid.code, servedOn: '2026-11-15', hours: 1.5 });
    // the grid worker records a patrol the member joined
    const byGrid = await p.as(await p.login('wangge')).post(`/api/v1/grids/${homeGrid.code}/party-members/${m.body.id}/services`,
      { kind: 'patrol', servedOn: '2026-11-14', hours: 2, description: '随网格员夜间平安巡逻' });
    expect(byGrid.status, byGrid.text).toBe(201);
    await p.as(shequ).post(`/api/v1/grids/${homeGrid.code}/party-members/${m.body.id}/services`, { servedOn: '2026-11-13', hours: 1, description: '帮助独居老人买菜' });
    const rec = (await p.as(token).get('/api/v1/participation/party-record')).body;
    expect(rec.patrols).toMatchObject({ count: 2, hours: 3.5 });
    expect(rec.patrols.items.map((x: any) => x.description)).toEqual(['巡查3栋消防通道，劝离堆放杂物', '随网格员夜间平安巡逻']);
    expect(rec.membership.services.map((x: any) => x.description)).toEqual(['帮助独居老人买菜']);
    // the grid's page counts the patrols too
    const staff = (await p.as(shequ).get(`/api/v1/grids/${homeGrid.code}/staff`)).body.partyMembers.find((x: any) => x.id === m.body.id);
    expect(staff.services).toMatchObject({ count: 3, patrols: 2, hours: 4.5 });
    const audit = await p.ctx.db.query<any>(`SELECT action FROM audit_log WHERE target = $1 ORDER BY id`, [`party_member:${m.body.id}`]);
    expect(audit.map((a) => a.action)).toEqual(['party_member.register', 'party_member.patrol', 'party_member.service', 'party_member.service']);
    // bad times are refused, writing nothing; a resident who is no party member may not record one
    for (const [body, why] of [
      [{ startedAt: '2026-11-15T12:00:00Z', endedAt: '2026-11-15T11:00:00Z' }, 'patrol_times'],
      [{ startedAt: '2026-11-15T00:00:00Z', endedAt: '2026-11-15T13:00:00Z' }, 'patrol_too_long'],
      [{ startedAt: '2026-11-16T02:30:00Z', endedAt: '2026-11-16T03:30:00Z' }, 'in_the_future'],
      [{ startedAt: '2026-11-01T01:00:00Z', endedAt: '2026-11-01T02:00:00Z' }, 'patrol_too_old'],
    ] as const) expectProblemStatus(await p.as(token).post(PATROLS, body), 422, why);
    expectProblemStatus(await p.as(token).post(PATROLS, { startedAt: 'yesterday', endedAt: '2026-11-15T12:40:00Z' }), 400);
    expect((await p.as(token).get('/api/v1/participation/party-record')).body.patrols.count).toBe(2);
    expectProblemStatus(await p.as(await p.login('jumin')).post(PATROLS, { startedAt: '2026-11-15T11:00:00Z', endedAt: '2026-11-15T12:00:00Z' }), 403, 'not_party_member');
    expectProblemStatus(await p.as(shequ).post(PATROLS, { startedAt: '2026-11-15T11:00:00Z', endedAt: '2026-11-15T12:00:00Z' }), 403);
  });
});
