// Announcements to the residents of a region with read counts (issue 16, item 8).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblemStatus, testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { homeCommunity, homeGrid, otherGrid } from '../helpers/fixtures.ts';
import { linkedResident } from './participation-helpers.ts';

let p: TestPlatform;
let shequ: string, otherCommunity: string;
const A = '/api/v1/participation/announcements';

beforeAll(async () => {
  p = await testPlatform('2026-11-16T02:00:00Z');
  shequ = await p.login('shequ');
  otherCommunity = await p.login(`sq${otherGrid.code.slice(0, 12)}`);
}, 120_000);
afterAll(async () => { await p?.close(); });

describe('announcements', () => {
  it('reach the residents of the region, who mark them read once; staff see the read count', async () => {
    const [a] = await Promise.all([linkedResident(p, shequ, homeGrid.code), linkedResident(p, shequ, homeGrid.code)]);
    const far = await linkedResident(p, otherCommunity, otherGrid.code);
    const n = await p.as(shequ).post(A, { regionCode: homeCommunity.code, title: '关于小区停水的通知', body: '因管网维修，周三9:00—17:00停水，请提前储水。' });
    expect(n.status, n.text).toBe(201);
    expect((await p.as(a.token).get(A)).body.items.find((x: any) => x.id === n.body.id)).toMatchObject({ read: false });
    expect((await p.as(far.token).get(A)).body.items.map((x: any) => x.id)).not.toContain(n.body.id);
    expectProblemStatus(await p.as(far.token).post(`${A}/${n.body.id}/read`, {}), 404);
    await Promise.all([1, 2, 3].map(() => p.as(a.token).post(`${A}/${n.body.id}/read`, {})));
    expect((await p.as(a.token).get(A)).body.items.find((x: any) => x.id === n.body.id).read).toBe(true);
    const staff = (await p.as(shequ).get(A)).body.items.find((x: any) => x.id === n.body.id);
    expect(staff.reads).toBe(1);
    expect(staff.audience).toBeGreaterThanOrEqual(2);
    expectProblemStatus(await p.as(otherCommunity).post(A, { regionCode: homeCommunity.code, title: '越权', body: '越权' }), 422, 'outside_scope');
    expectProblemStatus(await p.as(a.token).post(A, { regionCode: homeCommunity.code, title: '居民', body: '居民' }), 403);
  });

  it('tell the publisher who has not read, masked as the walls name residents, and only to staff of the territory', async () => {
    const [a, b] = await Promise.all([linkedResident(p, shequ, homeGrid.code, { name: '李秀英' }), linkedResident(p, shequ, homeGrid.code, { name: '赵建国' })]);
    const n = await p.as(shequ).post(A, { regionCode: homeCommunity.code, title: '关于电梯年检的通知', body: '本周四电梯年检。\n请错峰出行。' });
    expect(n.status, n.text).toBe(201);
    // the body keeps its line breaks
    expect((await p.as(a.token).get(A)).body.items.find((x: any) => x.id === n.body.id).body).toBe('本周四电梯年检。\n请错峰出行。');
    const before = await p.as(shequ).get(`${A}/${n.body.id}/unread`);
    expect(before.status, before.text).toBe(200);
    expect(before.body.unread).toBe(before.body.audience);
    expect(before.body.items.map((x: any) => x.name)).toEqual(expect.arrayContaining(['李**', '赵**']));
    expect(before.body.items.every((x: any) => x.regionName === homeCommunity.name)).toBe(true);
    expect(JSON.stringify(before.body)).not.toMatch(/李秀英|赵建国|1\d{10}/);
    expect((await p.as(a.token).post(`${A}/${n.body.id}/read`, {})).status).toBe(200);
    const after = (await p.as(shequ).get(`${A}/${n.body.id}/unread`)).body;
    expect(after.unread).toBe(before.body.unread - 1);
    expect(after.items.map((x: any) => x.name)).not.toContain('李**');
    expect(after.items.map((x: any) => x.name)).toContain('赵**');
    void b;
    // the street above sees it; another community, a resident and a unit do not; a bad id is a 400 problem
    expect((await p.as(await p.login('jiedao')).get(`${A}/${n.body.id}/unread`)).status).toBe(200);
    expectProblemStatus(await p.as(otherCommunity).get(`${A}/${n.body.id}/unread`), 404);
    expectProblemStatus(await p.as(a.token).get(`${A}/${n.body.id}/unread`), 403);
    expectProblemStatus(await p.as(await p.login('chengguan')).get(`${A}/${n.body.id}/unread`), 403);
    expectProblemStatus(await p.as(shequ).get(`${A}/abc/unread`), 400);
    expectProblemStatus(await p.as(shequ).get(`${A}/999999999/unread`), 404);
  });
});
