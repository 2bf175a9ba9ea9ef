// Votes with integrity (issue 16, item 2): nobody votes twice even when requests race (the ballot's
// unique key, not a prior read), one household one vote, quorum, anonymity, the opening window, results
// published to residents only after closing; region scope.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectProblemStatus, testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { homeCommunity, homeGrid, neighbourGrid, otherGrid } from '../helpers/fixtures.ts';
import { household, linkedResident, voteBody } from './participation-helpers.ts';

let p: TestPlatform;
let shequ: string, jiedao: string, otherCommunity: string, wangge: string;
const V = '/api/v1/participation/votes';

beforeAll(async () => {
  p = await testPlatform('2026-11-16T02:00:00Z');
  [shequ, jiedao, wangge] = [await p.login('shequ'), await p.login('jiedao'), await p.login('wangge')];
  otherCommunity = await p.login(`sq${otherGrid.code.slice(0, 12)}`);
}, 120_000);
afterAll(async () => { await p?.close(); });

const create = async (extra: Record<string, unknown> = {}, token = shequ) => {
  const r = await p.as(token).post(V, voteBody(homeCommunity.code, extra));
  expect(r.status, r.text).toBe(201);
  return r.body;
};
const count = async (sql: string, params: unknown[]) => (await p.ctx.db.query<{ n: number }>(sql, params))[0].n;

describe('one person, one vote', () => {
  it('lets exactly one of twelve racing ballots of one resident through', async () => {
    const v = await create();
    const r = await linkedResident(p, shequ, homeGrid.code);
    const tries = await Promise.all(Array.from({ length: 12 }, (_, i) => p.as(r.token).post(`${V}/${v.id}/ballots`, { optionIds: [v.options[i % 3].id] })));
    expect(tries.filter((t) => t.status === 201)).toHaveLength(1);
    for (const t of tries.filter((x) => x.status !== 201)) expectProblemStatus(t, 409, 'already_voted');
    const got = (await p.as(shequ).get(`${V}/${v.id}`)).body;
    expect(got.results.ballots).toBe(1);
    expect(got.options.reduce((s: number, o: any) => s + o.tally, 0)).toBe(1);
    // a paper ballot for the same person is refused by the same key
    expectProblemStatus(await p.as(shequ).post(`${V}/${v.id}/paper-ballots`, { personId: r.personId, optionIds: [v.options[0].id] }), 409, 'already_voted');
    expect(await count('SELECT count(*)::int AS n FROM pt_ballot WHERE vote_id = $1', [v.id])).toBe(1);
  });

  it('counts many residents voting at once exactly', async () => {
    const v = await create({ choice: 'multiple', maxChoices: 2 });
    const voters = await Promise.all(Array.from({ length: 8 }, () => linkedResident(p, shequ, homeGrid.code)));
    // each voter sends the same ballot three times at once
    const sends = voters.flatMap((r, i) => [0, 1, 2].map(() => p.as(r.token).post(`${V}/${v.id}/ballots`, { optionIds: i % 2 ? [v.options[0].id, v.options[1].id] : [v.options[2].id] })));
    const res = await Promise.all(sends);
    expect(res.filter((t) => t.status === 201)).toHaveLength(8);
    const got = (await p.as(shequ).get(`${V}/${v.id}`)).body;
    expect(got.results.ballots).toBe(8);
    expect(got.options.map((o: any) => o.tally)).toEqual([4, 4, 4]);
  });
});

describe('one household, one vote', () => {
  it('lets one member of a household vote when the vote is by household, every adult when by person', async () => {
    const hh = await household(p, shequ, homeGrid.code);
    const [a, b] = await Promise.all([linkedResident(p, shequ, homeGrid.code, { householdId: hh, name: '李大伟' }), linkedResident(p, shequ, homeGrid.code, { householdId: hh, name: '李小伟' })]);
    const other = await linkedResident(p, shequ, homeGrid.code, { householdId: await household(p, shequ, homeGrid.code) });
    const byHousehold = await create({ voterUnit: 'household', title: '加装电梯' });
    // the two members race
    const race = await Promise.all([a, b].map((r) => p.as(r.token).post(`${V}/${byHousehold.id}/ballots`, { optionIds: [byHousehold.options[0].id] })));
    expect(race.map((x) => x.status).sort()).toEqual([201, 409]);
    expect(race.find((x) => x.status === 409)!.body.code).toBe('already_voted');
    expect((await p.as(other.token).post(`${V}/${byHousehold.id}/ballots`, { optionIds: [byHousehold.options[1].id] })).status).toBe(201);
    // the household's other member sees that the household has voted
    const seen = (await p.as(b.token).get(`${V}/${byHousehold.id}`)).body;
    expect(seen.myBallot).not.toBeNull();
    const byPerson = await create({ voterUnit: 'person', title: '垃圾分类点位' });
    for (const r of [a, b]) expect((await p.as(r.token).post(`${V}/${byPerson.id}/ballots`, { optionIds: [byPerson.options[0].id] })).status).toBe(201);
    // a person without a household cannot vote by household
    const lone = await linkedResident(p, shequ, homeGrid.code);
    // … and is told so by the vote itself, before any ballot, with what to do; a household member is not
    const told = (await p.as(lone.token).get(`${V}/${byHousehold.id}`)).body;
    expect(told.eligibility).toMatchObject({ canVote: false, reason: { code: 'no_household' } });
    expect(told.eligibility.reason.zh).toContain('请联系社区为您登记户信息');
    expect(told.eligibility.reason.en).toContain('register your household');
    expect((await p.as(other.token).get(`${V}/${byPerson.id}`)).body.eligibility).toEqual({ canVote: true, reason: null });
    expect((await p.as(lone.token).get(`${V}/${byPerson.id}`)).body.eligibility).toEqual({ canVote: true, reason: null });
    // staff see no resident eligibility
    expect((await p.as(shequ).get(`${V}/${byHousehold.id}`)).body.eligibility).toBeNull();
    const refused = await p.as(lone.token).post(`${V}/${byHousehold.id}/ballots`, { optionIds: [byHousehold.options[0].id] });
    expectProblemStatus(refused, 422, 'no_household');
    expect((await p.as(shequ).get(`${V}/${byHousehold.id}`)).body.results.ballots).toBe(2);
  });
});

describe('quorum, publication, anonymity and times', () => {
  it('reaches its quorum, publishes only after closing, and shows residents the tallies only then', async () => {
    const v = await create({ quorum: { count: 3 }, anonymous: true, closesAt: '2026-11-16T10:00:00Z' });
    const rs = await Promise.all([1, 2, 3].map(() => linkedResident(p, shequ, homeGrid.code)));
    await p.as(rs[0].token).post(`${V}/${v.id}/ballots`, { optionIds: [v.options[0].id] });
    await p.as(rs[1].token).post(`${V}/${v.id}/ballots`, { optionIds: [v.options[0].id] });
    let staff = (await p.as(shequ).get(`${V}/${v.id}`)).body;
    expect(staff.results).toMatchObject({ ballots: 2, quorum: 3, quorumMet: false });
    expect((await p.as(rs[0].token).get(`${V}/${v.id}`)).body.results).toBeNull(); // not published yet
    expectProblemStatus(await p.as(shequ).post(`${V}/${v.id}/publish`, {}), 409, 'vote_not_closed');
    await p.as(rs[2].token).post(`${V}/${v.id}/ballots`, { optionIds: [v.options[1].id] });
    staff = (await p.as(shequ).get(`${V}/${v.id}`)).body;
    expect(staff.results.quorumMet).toBe(true);
    // anonymous: who voted is known, what they chose is not kept with them
    expect(await count('SELECT count(*)::int AS n FROM pt_ballot_choice c JOIN pt_ballot b ON b.id = c.ballot_id WHERE b.vote_id = $1', [v.id])).toBe(0);
    const ballots = (await p.as(shequ).get(`${V}/${v.id}/ballots`)).body;
    expect(ballots.items).toHaveLength(3);
    expect(ballots.items.every((b: any) => b.optionIds === null)).toBe(true);
    p.clock.set('2026-11-16T10:00:01Z'); // sessions last 12 hours
    expectProblemStatus(await p.as((await linkedResident(p, shequ, homeGrid.code)).token).post(`${V}/${v.id}/ballots`, { optionIds: [v.options[0].id] }), 409, 'vote_not_open');
    const pub = await p.as(shequ).post(`${V}/${v.id}/publish`, {});
    expect(pub.status, pub.text).toBe(200);
    const seen = (await p.as(rs[0].token).get(`${V}/${v.id}`)).body;
    expect(seen.status).toBe('published');
    expect(seen.options.map((o: any) => o.tally)).toEqual([2, 1, 0]);
    expect(seen.results).toMatchObject({ ballots: 3, quorumMet: true });
    expectProblemStatus(await p.as(shequ).post(`${V}/${v.id}/publish`, {}), 409, 'already_published');
    p.clock.set('2026-11-16T02:00:00Z');
  });

  it('computes a percentage quorum from the registered electorate', async () => {
    const v = await create({ quorum: { percent: 50 }, voterUnit: 'household' });
    expect(v.results.eligible).toBeGreaterThan(0);
    expect(v.results.quorum).toBe(Math.ceil(v.results.eligible / 2));
  });

  afterEach(() => p.clock.set('2026-11-16T02:00:00Z'));

  it('keeps named choices, refuses before opening and after an early close', async () => {
    const v = await create({ opensAt: '2026-11-16T06:00:00Z' });
    const r = await linkedResident(p, shequ, homeGrid.code);
    expectProblemStatus(await p.as(r.token).post(`${V}/${v.id}/ballots`, { optionIds: [v.options[0].id] }), 409, 'vote_not_open');
    p.clock.set('2026-11-16T07:00:00Z');
    expect((await p.as(r.token).post(`${V}/${v.id}/ballots`, { optionIds: [v.options[2].id] })).status).toBe(201);
    expect((await p.as(shequ).get(`${V}/${v.id}/ballots`)).body.items[0]).toMatchObject({ optionIds: [v.options[2].id], channel: 'online' });
    expect((await p.as(r.token).get(`${V}/${v.id}`)).body.myBallot.optionIds).toEqual([v.options[2].id]);
    expect((await p.as(shequ).post(`${V}/${v.id}/close`, {})).body.status).toBe('closed');
    const late = await linkedResident(p, shequ, homeGrid.code);
    expectProblemStatus(await p.as(late.token).post(`${V}/${v.id}/ballots`, { optionIds: [v.options[0].id] }), 409, 'vote_not_open');
    p.clock.set('2026-11-16T02:00:00Z');
  });
});

describe('bad ballots and scope', () => {
  it('refuses wrong choices, unlinked accounts and voters from elsewhere', async () => {
    const v = await create({ regionCode: homeGrid.code });
    const r = await linkedResident(p, shequ, homeGrid.code);
    expectProblemStatus(await p.as(r.token).post(`${V}/${v.id}/ballots`, { optionIds: [v.options[0].id, v.options[1].id] }), 422, 'too_many_choices');
    expectProblemStatus(await p.as(r.token).post(`${V}/${v.id}/ballots`, { optionIds: [v.options[0].id, v.options[0].id] }), 422, 'duplicate_choice');
    expectProblemStatus(await p.as(r.token).post(`${V}/${v.id}/ballots`, { optionIds: [987654321] }), 422, 'unknown_option');
    expectProblemStatus(await p.as(r.token).post(`${V}/${v.id}/ballots`, { optionIds: [] }), 400);
    expect(await count('SELECT count(*)::int AS n FROM pt_ballot WHERE vote_id = $1', [v.id])).toBe(0);
    // the demo resident has no registry link
    const communityVote = await create();
    const jumin = await p.login('jumin');
    expect((await p.as(jumin).get(`${V}/${communityVote.id}`)).body.eligibility).toMatchObject({ canVote: false, reason: { code: 'not_linked' } });
    expectProblemStatus(await p.as(jumin).post(`${V}/${communityVote.id}/ballots`, { optionIds: [communityVote.options[0].id] }), 422, 'not_linked');
    // a resident of the neighbour grid does not see a vote of the home grid
    const neighbour = await linkedResident(p, shequ, neighbourGrid.code);
    expectProblemStatus(await p.as(neighbour.token).post(`${V}/${v.id}/ballots`, { optionIds: [v.options[0].id] }), 404);
    expect((await p.as(neighbour.token).get(V)).body.items.map((x: any) => x.id)).not.toContain(v.id);
    expect((await p.as(r.token).get(V)).body.items.map((x: any) => x.id)).toContain(v.id);
    // another street's community: 404, and not listed
    expectProblemStatus(await p.as(otherCommunity).get(`${V}/${v.id}`), 404);
    expect((await p.as(otherCommunity).get(V)).body.items.map((x: any) => x.id)).not.toContain(v.id);
    // the street above sees it; the grid worker reads but may not manage; votes are made only in one's territory
    expect((await p.as(jiedao).get(`${V}/${v.id}`)).status).toBe(200);
    expectProblemStatus(await p.as(wangge).post(`${V}/${v.id}/close`, {}), 403);
    expectProblemStatus(await p.as(otherCommunity).post(V, voteBody(homeCommunity.code)), 422, 'outside_scope');
    expectProblemStatus(await p.as(shequ).post(V, voteBody(homeCommunity.code, { closesAt: '2026-11-15T00:00:00Z' })), 422, 'closes_before_opens');
    expectProblemStatus(await p.as(shequ).post(V, voteBody(homeCommunity.code, { options: ['同意', '同意'] })), 422, 'duplicate_option');
    expectProblemStatus(await p.as(shequ).post(V, voteBody(homeCommunity.code, { choice: 'single', maxChoices: 2 })), 422, 'single_choice_max');
  });
});
