// Party members (issue 16, item 7): a party member registered to their grid (党员到网格报到) signs in with
// their phone, claims a wish as a party member and volunteers; their record shows the registration and
// the grid's service entries, the wish and the hours.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlatform, type TestPlatform } from '../helpers/platform.ts';
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
