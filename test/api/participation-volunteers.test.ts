// Volunteers and 平战转换 (issue 16, item 5): residents join with skills; activities with sign-up within the
// capacity (whatever races) and check-in crediting hours; the street switches a region to emergency with
// tasks its volunteers accept and check in to, then back to normal — every switch recorded and audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblemStatus, testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { homeCommunity, homeGrid, homeStreet, otherGrid } from '../helpers/fixtures.ts';
import { linkedResident } from './participation-helpers.ts';

let p: TestPlatform;
let shequ: string, jiedao: string, wangge: string, otherCommunity: string;
const P = '/api/v1/participation';

beforeAll(async () => {
  p = await testPlatform('2026-11-16T02:00:00Z');
  [shequ, jiedao, wangge] = [await p.login('shequ'), await p.login('jiedao'), await p.login('wangge')];
  otherCommunity = await p.login(`sq${otherGrid.code.slice(0, 12)}`);
}, 120_000);
afterAll(async () => { await p?.close(); });

describe('volunteers', () => {
  it('join with skills, sign up within the capacity and earn hours at check-in', async () => {
    const team = await p.as(shequ).post(`${P}/volunteer-teams`, { regionCode: homeCommunity.code, name: '营盘街志愿服务队' });
    expect(team.status, team.text).toBe(201);
    const vs = await Promise.all([1, 2, 3].map(() => linkedResident(p, shequ, homeGrid.code)));
    for (const v of vs) expect((await p.as(v.token).post(`${P}/volunteers/me`, { skills: ['急救', '电工'], availability: '周末', teamId: team.body.id })).status).toBe(200);
    const act = (await p.as(shequ).post(`${P}/activities`, { regionCode: homeCommunity.code, title: '周末清扫小区', place: '小区中心广场', startsAt: '2026-11-16T04:00:00Z', hours: 2.5, capacity: 2 })).body;
    expect(act).toMatchObject({ place: '小区中心广场', startsAt: '2026-11-16T04:00:00.000Z', endsAt: '2026-11-16T06:30:00.000Z' });
    // three volunteers race for two places
    const race = await Promise.all(vs.map((v) => p.as(v.token).post(`${P}/activities/${act.id}/signup`, {})));
    expect(race.map((r) => r.status).sort()).toEqual([200, 200, 409]);
    expect(race.find((r) => r.status === 409)!.body.code).toBe('activity_full');
    const ok = vs.filter((_, i) => race[i].status === 200);
    // no hours before the activity: check-in opens an hour before its start and closes at its end
    const early = await p.as(ok[0].token).post(`${P}/activities/${act.id}/check-in`, {}, { 'accept-language': 'zh-CN' });
    expectProblemStatus(early, 409, 'check_in_too_early');
    expect(early.body.detail).toContain('11月16日 12:00');
    p.clock.set('2026-11-16T03:05:00Z'); // 55 minutes before the start
    const mine = await p.as(ok[0].token).post(`${P}/activities/${act.id}/check-in`, {});
    expect(mine.body).toMatchObject({ hours: 2.5, activities: [{ title: '周末清扫小区', checkedIn: true }] });
    expectProblemStatus(await p.as(ok[0].token).post(`${P}/activities/${act.id}/check-in`, {}), 409, 'not_signed_up');
    p.clock.set('2026-11-16T06:31:00Z'); // a minute after its end
    const late = await p.as(ok[1].token).post(`${P}/activities/${act.id}/check-in`, {});
    expectProblemStatus(late, 409, 'activity_ended');
    expect(late.body.detail).toContain('14:30');
    expect((await p.as(ok[1].token).get(`${P}/volunteers/me`)).body.hours).toBe(0);
    p.clock.set('2026-11-16T02:00:00Z');
    const list = (await p.as(shequ).get(`${P}/volunteers?skill=急救`)).body.items;
    expect(list).toHaveLength(3);
    expect(list[0]).toMatchObject({ hours: 2.5, team: '营盘街志愿服务队' });
    expect((await p.as(shequ).get(`${P}/activities`)).body.items.find((a: any) => a.id === act.id)).toMatchObject({ signedUp: 2, checkedIn: 1 });
    const outsider = (await linkedResident(p, shequ, homeGrid.code)).token;
    expectProblemStatus(await p.as(outsider).post(`${P}/activities/${act.id}/signup`, {}), 422, 'not_volunteer');
    // not having joined is an answer when the volunteer tab loads, not a refusal; a volunteer is joined
    const notYet = await p.as(outsider).get(`${P}/volunteers/me`);
    expect(notYet.status, notYet.text).toBe(200);
    expect(notYet.body).toMatchObject({ joined: false, hours: 0, activities: [] });
    expect((await p.as(ok[1].token).get(`${P}/volunteers/me`)).body.joined).toBe(true);
    expectProblemStatus(await p.as(null).get(`${P}/volunteers/me`), 401);
  });
});

describe('平战转换', () => {
  it('switches the street to emergency with tasks, tracks acceptance and check-in, and returns to normal, recorded', async () => {
    const v = await linkedResident(p, shequ, homeGrid.code, { name: '赵大勇' });
    await p.as(v.token).post(`${P}/volunteers/me`, { skills: ['搬运'] });
    const on = await p.as(jiedao).post(`${P}/mobilisations`, { regionCode: homeStreet.code, reason: '暴雨红色预警，启动应急状态',
      tasks: [{ title: '转移低洼地带群众', hours: 4, capacity: 20 }, { title: '沙袋搬运', hours: 3, capacity: 30 }] });
    expect(on.status, on.text).toBe(201);
    expect(on.body).toMatchObject({ active: true, tasks: [{ emergency: true, signedUp: 0 }, { emergency: true }] });
    // whom the broadcast reached: the street's volunteers and its staff (the community and grid accounts among them)
    expect(on.body.reached.volunteers).toBeGreaterThanOrEqual(1);
    expect(on.body.reached.staff).toBeGreaterThanOrEqual(2);
    expectProblemStatus(await p.as(jiedao).post(`${P}/mobilisations`, { regionCode: homeStreet.code, reason: '重复', tasks: [{ title: 'x', hours: 1, capacity: 1 }] }), 409, 'already_mobilised');
    // the broadcast reaches the volunteer: the tasks are first in their list
    const tasks = (await p.as(v.token).get(`${P}/activities`)).body.items.filter((a: any) => a.emergency);
    expect(tasks.map((t: any) => t.title).sort()).toEqual(['沙袋搬运', '转移低洼地带群众']);
    const task = tasks.find((t: any) => t.title === '沙袋搬运');
    await p.as(v.token).post(`${P}/activities/${task.id}/signup`, {});
    // arriving is not the work done: the hours wait for the stand-down
    const arrived = await p.as(v.token).post(`${P}/activities/${task.id}/check-in`, {});
    expect(arrived.body).toMatchObject({ hours: 0, activities: [{ title: '沙袋搬运', checkedIn: true, hours: null }] });
    const seen = (await p.as(jiedao).get(`${P}/mobilisations/${on.body.id}`)).body;
    expect(seen.tasks.find((t: any) => t.id === task.id)).toMatchObject({ signedUp: 1, checkedIn: 1 });
    // the switcher sees who accepted and who checked in, by name
    const named = seen.tasks.find((t: any) => t.id === task.id).people;
    expect(named).toHaveLength(1);
    expect(named[0].name).toBe('居民 赵大勇');
    expect(named[0].acceptedAt && named[0].checkedInAt).toBeTruthy();
    expect(seen.tasks.find((t: any) => t.title === '转移低洼地带群众').people).toEqual([]);
    // the note as typed in the console's box, on two lines: taken, and its line break kept
    const offNote = '预警解除，恢复常态\n各网格18:00前报告人员返回情况';
    const off = await p.as(jiedao).post(`${P}/mobilisations/${on.body.id}/stand-down`, { note: offNote });
    expect(off.status, off.text).toBe(200);
    expect(off.body).toMatchObject({ active: false, offNote });
    expectProblemStatus(await p.as(jiedao).post(`${P}/mobilisations/${on.body.id}/stand-down`, { note: '再次' }), 409, 'already_normal');
    // back to normal: the tasks are no longer offered, and take no one more
    expect((await p.as(v.token).get(`${P}/activities`)).body.items.filter((a: any) => a.emergency)).toEqual([]);
    const late = await linkedResident(p, shequ, homeGrid.code);
    await p.as(late.token).post(`${P}/volunteers/me`, { skills: ['搬运'] });
    expectProblemStatus(await p.as(late.token).post(`${P}/activities/${tasks[0].id}/signup`, {}), 409, 'emergency_over');
    // the record of switches: who switched on and off, and what the tasks drew
    const record = (await p.as(jiedao).get(`${P}/mobilisations`)).body.items[0];
    expect(record).toMatchObject({ id: on.body.id, active: false, tasks: 2, accepted: 1, checkedIn: 1, offNote });
    expect([record.regionName, record.onBy, record.offBy].every(Boolean)).toBe(true);
    const audit = await p.ctx.db.query<any>(`SELECT action FROM audit_log WHERE target = $1 ORDER BY id`, [`mobilisation:${on.body.id}`]);
    expect(audit.map((a) => a.action)).toEqual(['participation.mobilise.on', 'participation.mobilise.off']);
    // a new emergency may start once back to normal; a community may not switch; another street sees nothing
    expectProblemStatus(await p.as(shequ).post(`${P}/mobilisations`, { regionCode: homeCommunity.code, reason: '社区', tasks: [{ title: 'x', hours: 1, capacity: 1 }] }), 403);
    expectProblemStatus(await p.as(otherCommunity).get(`${P}/mobilisations/${on.body.id}`), 404);
    // the stand-down credited the hours of the task checked in to
    expect((await p.as(v.token).get(`${P}/volunteers/me`)).body).toMatchObject({ hours: 3, activities: [{ title: '沙袋搬运', hours: 3 }] });
    expectProblemStatus(await p.as(v.token).post(`${P}/activities/${tasks[1].id}/check-in`, {}), 409);
  });

  it('shows an emergency switched on a community to the grid workers inside it, not to other communities', async () => {
    const on = await p.as(jiedao).post(`${P}/mobilisations`, { regionCode: homeCommunity.code, reason: '燃气泄漏，疏散居民', tasks: [{ title: '疏散楼栋居民', hours: 2, capacity: 10 }] });
    expect(on.status, on.text).toBe(201);
    try {
      // the grid worker under the community: the emergency is active in their list, with its tasks
      const mine = (await p.as(wangge).get(`${P}/mobilisations`)).body.items;
      expect(mine.find((m: any) => m.id === on.body.id)).toMatchObject({ active: true, reason: '燃气泄漏，疏散居民', tasks: 1 });
      const detail = await p.as(wangge).get(`${P}/mobilisations/${on.body.id}`);
      expect(detail.status, detail.text).toBe(200);
      expect(detail.body.tasks.map((t: any) => t.title)).toEqual(['疏散楼栋居民']);
      expect((await p.as(wangge).get(`${P}/activities/${on.body.tasks[0].id}/signups`)).status).toBe(200);
      // following is not switching: the grid worker cannot return it to normal
      expectProblemStatus(await p.as(wangge).post(`${P}/mobilisations/${on.body.id}/stand-down`, { note: '网格' }), 403);
      // another community sees neither the switch nor its task
      expect((await p.as(otherCommunity).get(`${P}/mobilisations`)).body.items.map((m: any) => m.id)).not.toContain(on.body.id);
      expectProblemStatus(await p.as(otherCommunity).get(`${P}/mobilisations/${on.body.id}`), 404);
      expectProblemStatus(await p.as(otherCommunity).get(`${P}/activities/${on.body.tasks[0].id}/signups`), 404);
    } finally {
      await p.as(jiedao).post(`${P}/mobilisations/${on.body.id}/stand-down`, { note: '险情排除' });
    }
  });
});

describe('the volunteer registry, as staff see it', () => {
  it('lists teams with members and hours, and who signed up for an activity and checked in, within the territory', async () => {
    const team = (await p.as(shequ).post(`${P}/volunteer-teams`, { regionCode: homeCommunity.code, name: '银发互助队' })).body;
    const [a, b] = await Promise.all([linkedResident(p, shequ, homeGrid.code, { name: '周建国' }), linkedResident(p, shequ, homeGrid.code, { name: '吴秀英' })]);
    for (const v of [a, b]) await p.as(v.token).post(`${P}/volunteers/me`, { skills: ['陪护'], availability: '工作日上午', teamId: team.id });
    const act = (await p.as(shequ).post(`${P}/activities`, { regionCode: homeGrid.code, title: '陪独居老人体检', startsAt: '2026-11-16T02:30:00Z', hours: 3, capacity: 5 })).body;
    expect(act.regionName).toBeTruthy();
    for (const v of [a, b]) await p.as(v.token).post(`${P}/activities/${act.id}/signup`, {});
    await p.as(a.token).post(`${P}/activities/${act.id}/check-in`, {});
    const signups = await p.as(shequ).get(`${P}/activities/${act.id}/signups`);
    expect(signups.status, signups.text).toBe(200);
    expect(signups.body.activity).toMatchObject({ signedUp: 2, checkedIn: 1 });
    expect(signups.body.items.map((s: any) => [s.name, s.team, s.hours, !!s.checkedInAt]).sort()).toEqual([
      ['居民 吴秀英', '银发互助队', null, false], ['居民 周建国', '银发互助队', 3, true]].sort());
    const teams = (await p.as(shequ).get(`${P}/volunteer-teams`)).body.items;
    expect(teams.find((t: any) => t.id === team.id)).toMatchObject({ name: '银发互助队', members: 2, hours: 3 });
    // another community sees neither the team nor the sign-ups; a resident sees the teams they may join, not who signed up
    expect((await p.as(otherCommunity).get(`${P}/volunteer-teams`)).body.items.map((t: any) => t.id)).not.toContain(team.id);
    expectProblemStatus(await p.as(otherCommunity).get(`${P}/activities/${act.id}/signups`), 404);
    expectProblemStatus(await p.as(a.token).get(`${P}/activities/${act.id}/signups`), 403);
    expect((await p.as(a.token).get(`${P}/volunteer-teams`)).body.items.map((t: any) => t.name)).toContain('银发互助队');
    const elsewhere = await linkedResident(p, otherCommunity, otherGrid.code);
    expect((await p.as(elsewhere.token).get(`${P}/volunteer-teams`)).body.items.map((t: any) => t.id)).not.toContain(team.id);
  });
});
