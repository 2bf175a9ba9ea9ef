// The 街道 overview of participation (walk of issue 16): a street's 综治中心 sees, per community under it,
// open and fulfilled wishes, topics, open votes, meetings, 四议两公开 in progress, volunteers and hours,
// points awarded and announcements read — and the staff lists name each item's community and narrow to
// one. Scope: a street sees its communities only, a community its own, a grid worker their community
// counting their grid; residents and units are refused; a community outside the territory answers nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblemStatus, testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { homeCommunity, homeGrid, homeStreet, otherGrid, otherStreet } from '../helpers/fixtures.ts';
import { linkedResident, voteBody } from './participation-helpers.ts';

let p: TestPlatform;
let jiedao: string, otherJiedao: string, shequ: string, wangge: string, jumin: string, chengguan: string, zhihui: string;
const O = '/api/v1/participation/overview';
const row = async (token: string, code = homeCommunity.code) => (await p.as(token).get(O)).body.items.find((r: any) => r.code === code);

beforeAll(async () => {
  p = await testPlatform('2026-11-16T02:00:00Z');
  [jiedao, shequ, wangge, jumin, chengguan, zhihui] = await Promise.all(['jiedao', 'shequ', 'wangge', 'jumin', 'chengguan', 'zhihui'].map((u) => p.login(u)));
  otherJiedao = await p.login(`jd${otherStreet.code}`);
}, 120_000);
afterAll(async () => { await p?.close(); });

describe('the street overview', () => {
  it('counts, per community of the street, what residents and staff did there — named, not coded', async () => {
    const before = await row(jiedao);
    expect(before).toMatchObject({ code: homeCommunity.code, name: homeCommunity.name });
    // a wish, a vote open now, an announcement read by one of two residents
    const [a] = await Promise.all([linkedResident(p, shequ, homeGrid.code), linkedResident(p, shequ, homeGrid.code)]);
    expect((await p.as(jumin).post('/api/v1/participation/wishes', { title: '想要一个助行器', category: 'goods' })).status).toBe(201);
    const v = await p.as(shequ).post('/api/v1/participation/votes', voteBody(homeCommunity.code, { opensAt: '2026-11-15T00:00:00Z', closesAt: '2026-11-30T00:00:00Z' }));
    expect(v.status, v.text).toBe(201);
    const n = await p.as(shequ).post('/api/v1/participation/announcements', { regionCode: homeCommunity.code, title: '关于楼道清理的通知', body: '周六上午统一清理楼道杂物。' });
    expect(n.status, n.text).toBe(201);
    expect((await p.as(a.token).post(`/api/v1/participation/announcements/${n.body.id}/read`, {})).status).toBe(200);

    const after = await row(jiedao);
    expect(after.wishesOpen).toBe(before.wishesOpen + 1);
    expect(after.votesOpen).toBe(before.votesOpen + 1);
    expect(after.announcements).toBe(before.announcements + 1);
    expect(after.announcementReads).toBe(before.announcementReads + 1);
    expect(after.announcementAudience).toBeGreaterThanOrEqual(before.announcementAudience + 2);
    expect(after.readRate).toBeGreaterThan(0);
    expect(after.readRate).toBeLessThanOrEqual(100);
    for (const k of ['wishesFulfilled', 'topics', 'meetingsHeld', 'proceduresInProgress', 'volunteers', 'volunteerHours', 'pointsAwarded']) expect(typeof after[k]).toBe('number');
    // every row is a community of the street, named
    const items = (await p.as(jiedao).get(O)).body.items;
    expect(items.length).toBeGreaterThan(1);
    for (const r of items) { expect(r.code.startsWith(homeStreet.code)).toBe(true); expect(r.name).not.toMatch(/^\d+$/); }
  });

  it('shows each account only its territory: the other street none of ours, a community its own, a grid worker their community', async () => {
    const other = (await p.as(otherJiedao).get(O)).body.items;
    expect(other.length).toBeGreaterThan(0);
    expect(other.every((r: any) => r.code.startsWith(otherStreet.code))).toBe(true);
    expect(other.map((r: any) => r.code)).not.toContain(homeCommunity.code);
    expect((await p.as(shequ).get(O)).body.items.map((r: any) => r.code)).toEqual([homeCommunity.code]);
    expect((await p.as(wangge).get(O)).body.items.map((r: any) => r.code)).toEqual([homeCommunity.code]);
    // the district's command centre sees the communities of both streets
    const district = (await p.as(zhihui).get(O)).body.items.map((r: any) => r.code);
    expect(district).toEqual(expect.arrayContaining([homeCommunity.code, otherGrid.code.slice(0, 12)]));
    // residents and units are refused in both languages
    expectProblemStatus(await p.as(jumin).get(O), 403);
    expectProblemStatus(await p.as(chengguan).get(O), 403);
    expectProblemStatus(await p.as(null).get(O), 401);
  });
});

describe('staff lists by community', () => {
  it('name each item\'s community and narrow to one; a community outside the territory answers nothing', async () => {
    const w = await p.as(jumin).post('/api/v1/participation/wishes', { title: '想请人教用智能手机', category: 'study' });
    expect(w.status, w.text).toBe(201);
    for (const path of ['wishes', 'votes', 'topics']) {
      const all = (await p.as(jiedao).get(`/api/v1/participation/${path}${path === 'topics' ? '' : '?pageSize=100'}`)).body.items;
      for (const x of all.filter((x: any) => x.regionCode.length >= 12)) expect(x.communityName, `${path} ${x.id}`).toBeTruthy();
      const mine = (await p.as(jiedao).get(`/api/v1/participation/${path}?community=${homeCommunity.code}`)).body.items;
      expect(mine.every((x: any) => x.regionCode.startsWith(homeCommunity.code)), path).toBe(true);
      // another street asking for our community gets nothing of ours
      expect((await p.as(otherJiedao).get(`/api/v1/participation/${path}?community=${homeCommunity.code}`)).body.items, path).toEqual([]);
      // hostile filters are 400 problems, never 500
      expectProblemStatus(await p.as(jiedao).get(`/api/v1/participation/${path}?community=1' OR '1'='1`), 400);
      expectProblemStatus(await p.as(jiedao).get(`/api/v1/participation/${path}?community=${homeCommunity.code}%25`), 400);
    }
    const wishes = (await p.as(jiedao).get(`/api/v1/participation/wishes?community=${homeCommunity.code}`)).body.items;
    expect(wishes.find((x: any) => x.id === w.body.id)).toMatchObject({ communityName: homeCommunity.name });
  });

  it('the wishes number opens exactly the wishes it counts: unfulfilled=true lists the waiting and claimed ones, not the hidden or merged', async () => {
    const post = async (title: string) => { const r = await p.as(jumin).post('/api/v1/participation/wishes', { title, category: 'goods' }); expect(r.status, r.text).toBe(201); return r.body.id as number; };
    const [kept, hidden, merged] = [await post('想要一把雨伞'), await post('想要一把雨伞，电话139xxxx'), await post('想要一把雨伞（重复）')];
    expect((await p.as(shequ).post(`/api/v1/participation/wishes/${hidden}/moderate`, { action: 'hide', reason: 'personal_data' })).status).toBe(200);
    expect((await p.as(shequ).post(`/api/v1/participation/wishes/${merged}/moderate`, { action: 'merge', intoId: kept })).status).toBe(200);
    const counted = (await row(jiedao)).wishesOpen;
    const W = `/api/v1/participation/wishes?pageSize=100&community=${homeCommunity.code}`;
    const open = (await p.as(jiedao).get(`${W}&unfulfilled=true`)).body.items;
    expect(open).toHaveLength(counted);
    for (const w of open) { expect(['open', 'claimed']).toContain(w.state); expect(w.hidden).toBeFalsy(); expect(w.mergedInto ?? null).toBeNull(); }
    expect(open.map((w: any) => w.id)).toContain(kept);
    expect(open.map((w: any) => w.id)).not.toContain(hidden);
    expect(open.map((w: any) => w.id)).not.toContain(merged);
    // the whole list has them all (what the link opened before: more than the number said)
    const all = (await p.as(jiedao).get(W)).body.items;
    expect(all.length).toBeGreaterThan(counted);
    expect((await p.as(jiedao).get(`${W}&unfulfilled=false`)).body.items).toHaveLength(all.length);
    expectProblemStatus(await p.as(jiedao).get(`${W}&unfulfilled=yes`), 400);
  });

  it('a vote in the list says whether its quorum is met', async () => {
    const votes = (await p.as(shequ).get('/api/v1/participation/votes?pageSize=100')).body.items;
    expect(votes.length).toBeGreaterThan(0);
    for (const v of votes) expect(v.quorumMet).toBe(v.ballots >= v.quorum);
  });
});
