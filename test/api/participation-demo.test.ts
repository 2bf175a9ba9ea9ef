// The demo city's participation (src/modules/participation/demo.ts): a new user signing in as the demo
// resident sees wishes on their community's wall, an open vote they can cast (by household), and a vote
// whose results are published; seeding twice adds nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { buildDemoRegions } from '../../src/modules/regions/demo-region-data.ts';
import { seedRegistry } from '../../src/seed/registry.ts';
import { seedParticipation } from '../../src/modules/participation/index.ts';
import { homeCommunity } from '../helpers/fixtures.ts';
import { seedDemoPartyMember } from '../../src/seed/demo.ts';

let p: TestPlatform;
beforeAll(async () => {
  p = await testPlatform('2026-11-16T01:30:00Z');
  await seedRegistry(p, buildDemoRegions());
  await seedParticipation(p.ctx);
  await seedParticipation(p.ctx);
  await seedDemoPartyMember(p);
}, 180_000);
afterAll(async () => { await p?.close(); });

describe('demo participation', () => {
  it('shows the demo resident wishes, an open vote to cast and published results', async () => {
    const jumin = p.as(await p.login('jumin'));
    const me = (await jumin.get('/api/v1/participation/me')).body;
    expect(me).toMatchObject({ linked: true });
    expect(me.householdId).not.toBeNull();
    expect((await p.as(await p.login('zhiyuan')).get('/api/v1/participation/me')).body.linked).toBe(true);
    expect((await jumin.get('/api/v1/participation/points/ledger')).body.balance).toBe(20);
    const wall = (await p.as(null).get(`/api/v1/participation/wall/${homeCommunity.code}`)).body;
    expect(wall.items.map((w: any) => w.state).sort()).toEqual(['claimed', 'confirmed', 'open', 'open']);
    // the heading's counts cover every card shown, the claimed (in progress) one too
    expect(wall).toMatchObject({ total: 4, open: 2, claimed: 1, fulfilled: 1 });
    const votes = (await jumin.get('/api/v1/participation/votes')).body.items;
    expect(votes.map((v: any) => v.status).sort()).toEqual(['open', 'published']);
    const published = (await jumin.get(`/api/v1/participation/votes/${votes.find((v: any) => v.status === 'published').id}`)).body;
    expect(published.results.ballots).toBeGreaterThanOrEqual(5);
    const open = (await jumin.get(`/api/v1/participation/votes/${votes.find((v: any) => v.status === 'open').id}`)).body;
    expect(open.myBallot).toBeNull();
    const surveys = (await jumin.get('/api/v1/participation/surveys')).body.items;
    expect(surveys).toMatchObject([{ status: 'open', template: 'safety', responses: 5 }]);
    const cast = await jumin.post(`/api/v1/participation/votes/${open.id}/ballots`, { optionIds: [open.options[0].id] });
    expect(cast.status, cast.text).toBe(201);
  });

  it('links the model party member (dangyuan) to a registry person who is a party member, who votes and redeems points', async () => {
    const dangyuan = p.as(await p.login('dangyuan'));
    const me = (await dangyuan.get('/api/v1/participation/me')).body;
    expect(me).toMatchObject({ linked: true });
    expect(me.householdId).not.toBeNull();
    const [person] = await p.ctx.db.query<any>(`SELECT p.political_status FROM pt_resident r JOIN person p ON p.id = r.person_id
      JOIN app_user u ON u.id = r.user_id WHERE u.username = 'dangyuan'`);
    expect(person.political_status).toBe('01'); // 中共党员
    const jumin = (await p.as(await p.login('jumin')).get('/api/v1/participation/me')).body;
    expect(me.householdId).not.toBe(jumin.householdId);
    const open = (await dangyuan.get('/api/v1/participation/votes')).body.items.find((v: any) => v.status === 'open');
    const vote = (await dangyuan.get(`/api/v1/participation/votes/${open.id}`)).body;
    expect(vote.eligibility).toEqual({ canVote: true, reason: null });
    const cast = await dangyuan.post(`/api/v1/participation/votes/${open.id}/ballots`, { optionIds: [vote.options[1].id] });
    expect(cast.status, cast.text).toBe(201);
    const ledger = await dangyuan.get('/api/v1/participation/points/ledger');
    expect(ledger.status, ledger.text).toBe(200);
    expect(ledger.body.balance).toBe(2); // the vote_cast rule's points
  });

  it('publishes a 四议两公开 of the demo community carried to its result, on the public 居务公开', async () => {
    const list = (await p.as(null).get(`/api/v1/participation/notices/${homeCommunity.code}`)).body;
    expect(list.items).toMatchObject([{ title: '社区老旧小区雨污分流改造项目' }]);
    expect(list.items[0].publishedAt).not.toBeNull();
    expect(list.items[0].resultAt).not.toBeNull();
    const notice = (await p.as(null).get(`/api/v1/participation/procedures/${list.items[0].id}/notice`)).body;
    expect(notice.steps.map((s: any) => s.done)).toEqual([true, true, true, true, true, true]);
  });

  it('gives the staff pages something to show: a volunteer team with hours, topics, a notice and a 平战转换 drill on record', async () => {
    const shequ = p.as(await p.login('shequ'));
    expect((await shequ.get('/api/v1/participation/volunteer-teams')).body.items).toMatchObject([{ name: '社区平安志愿服务队', members: 1, hours: 3 }]);
    expect((await shequ.get('/api/v1/participation/topics')).body.items.length).toBeGreaterThanOrEqual(2);
    expect((await shequ.get('/api/v1/participation/announcements')).body.items).toMatchObject([{ title: '关于二次供水设施清洗停水的通知', reads: 0 }]);
    expect((await p.as(await p.login('jiedao')).get('/api/v1/participation/mobilisations')).body.items).toMatchObject([{ active: false, tasks: 2 }]);
    expect((await shequ.get('/api/v1/participation/points/redemptions')).body.items).toMatchObject([{ item: '理发券', cost: 15 }]);
    expect((await shequ.get('/api/v1/participation/points/appeals?status=open')).body.items).toMatchObject([{ delta: -5 }]);
    expect((await p.as(await p.login('zhiyuan')).get('/api/v1/participation/points/ledger')).body.balance).toBe(0);
    // the drill is over: its tasks are not offered to the volunteer
    expect((await p.as(await p.login('zhiyuan')).get('/api/v1/participation/activities')).body.items.map((a: any) => a.emergency)).toEqual([false, false]);
  });
});
