// 四议两公开 (issue 16, item 3): the six steps in order, each with its record, attendance and quorum; no
// step skipped — the database refuses it even when the application is bypassed; a failed step ends the
// procedure; the public notice page from 决议公开 on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblemStatus, testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { homeCommunity, otherGrid } from '../helpers/fixtures.ts';

let p: TestPlatform;
let shequ: string, wangge: string, otherCommunity: string;
const PR = '/api/v1/participation/procedures';
const step = (expected: number, present: number, votesFor: number, extra: Record<string, unknown> = {}) =>
  ({ heldAt: '2026-11-16T02:00:00Z', record: '会议记录：与会人员充分讨论。', expected, present, votesFor, votesAgainst: 0, abstentions: present - votesFor, ...extra });

beforeAll(async () => {
  p = await testPlatform('2026-11-16T02:00:00Z');
  [shequ, wangge] = [await p.login('shequ'), await p.login('wangge')];
  otherCommunity = await p.login(`sq${otherGrid.code.slice(0, 12)}`);
}, 120_000);
afterAll(async () => { await p?.close(); });

const start = async (title = '村集体鱼塘承包方案') => {
  const r = await p.as(shequ).post(PR, { regionCode: homeCommunity.code, title, description: '村集体鱼塘30亩对外承包，期限五年。' });
  expect(r.status, r.text).toBe(201);
  return r.body.id as number;
};

describe('四议两公开', () => {
  it('runs the six steps in order to its public notice', async () => {
    const id = await start();
    expectProblemStatus(await p.as(null).get(`${PR}/${id}/notice`), 404); // nothing public before 决议公开
    expect((await p.as(shequ).post(`${PR}/${id}/steps/1`, step(5, 5, 5, { attendees: ['王书记', '李委员', '张委员', '赵委员', '钱委员'] }))).status).toBe(201);
    expect((await p.as(shequ).post(`${PR}/${id}/steps/2`, step(9, 8, 7))).status).toBe(201);
    expect((await p.as(shequ).post(`${PR}/${id}/steps/3`, step(42, 35, 33))).status).toBe(201);
    const s4 = await p.as(shequ).post(`${PR}/${id}/steps/4`, step(60, 45, 40, { assembly: 'representatives', record: '村民代表会议决议：同意鱼塘对外公开招标承包，期限五年。' }));
    expect(s4.status, s4.text).toBe(201);
    expect(s4.body.nextStep.kind).toBe('resolution_public');
    expect((await p.as(shequ).post(`${PR}/${id}/steps/5`, { heldAt: '2026-11-17T01:00:00Z', record: '决议公告：经村民代表会议表决通过，鱼塘对外公开招标承包。公示期7天。' })).status).toBe(201);
    const notice = await p.as(null).get(`${PR}/${id}/notice`);
    expect(notice.status, notice.text).toBe(200);
    expect(notice.body.steps.filter((s: any) => s.done).map((s: any) => s.label.zh)).toEqual(['党支部提议', '两委会商议', '党员大会审议', '村民(代表)会议决议', '决议公开']);
    expect(notice.body.steps[3]).toMatchObject({ expected: 60, present: 45, votesFor: 40, quorumMet: true });
    expect(notice.body.steps[0].text).toBeNull(); // internal minutes stay internal
    expect((await p.as(null).get(`/api/v1/participation/notices/${homeCommunity.code}`)).body.items.map((n: any) => n.id)).toContain(id);
    const done = await p.as(shequ).post(`${PR}/${id}/steps/6`, { heldAt: '2026-12-20T01:00:00Z', record: '实施结果：经公开招标，由本村村民王某以每年3.2万元中标。' });
    expect(done.body.status).toBe('completed');
    expect((await p.as(null).get(`${PR}/${id}/notice`)).body.steps[5].text).toContain('中标');
    expectProblemStatus(await p.as(shequ).post(`${PR}/${id}/steps/6`, { heldAt: '2026-12-20T01:00:00Z', record: '再次' }), 409, 'step_recorded');
  });

  it('refuses a skipped step in the API and in the database itself', async () => {
    const id = await start('村道硬化工程');
    for (const seq of [2, 3, 4, 5, 6]) {
      const r = await p.as(shequ).post(`${PR}/${id}/steps/${seq}`, seq <= 4 ? step(10, 10, 10) : { heldAt: '2026-11-16T02:00:00Z', record: '公告' });
      expectProblemStatus(r, 409, 'step_out_of_order');
    }
    await p.as(shequ).post(`${PR}/${id}/steps/1`, step(5, 5, 5));
    expectProblemStatus(await p.as(shequ).post(`${PR}/${id}/steps/3`, step(10, 10, 10)), 409, 'step_out_of_order');
    // straight into the table, past the application: the foreign key refuses step 3 without step 2
    const [{ id: uid }] = await p.ctx.db.query<any>(`SELECT id FROM app_user WHERE username = 'shequ'`);
    await expect(p.ctx.db.query(
      `INSERT INTO pt_procedure_step (district_code, procedure_id, seq, kind, prev_seq, prev_passed, held_at, record, expected, present, votes_for, votes_against, abstentions, quorum_met, passed, recorded_by, recorded_at)
       VALUES ($1, $2, 3, 'party_members_review', 2, true, now(), 'x', 10, 10, 10, 0, 0, true, true, $3, now())`, [homeCommunity.code.slice(0, 6), id, uid])).rejects.toThrow(/foreign key/);
    // nor a step 2 that claims to follow nothing, nor a kind out of its place
    await expect(p.ctx.db.query(
      `INSERT INTO pt_procedure_step (district_code, procedure_id, seq, kind, held_at, record, expected, present, votes_for, votes_against, abstentions, quorum_met, passed, recorded_by, recorded_at)
       VALUES ($1, $2, 2, 'two_committees', now(), 'x', 10, 10, 10, 0, 0, true, true, $3, now())`, [homeCommunity.code.slice(0, 6), id, uid])).rejects.toThrow(/check constraint/);
    expect((await p.ctx.db.query<any>('SELECT count(*)::int AS n FROM pt_procedure_step WHERE procedure_id = $1', [id]))[0].n).toBe(1);
  });

  it('ends the procedure when a step misses its quorum or its majority', async () => {
    const id = await start('村委会办公楼改建');
    await p.as(shequ).post(`${PR}/${id}/steps/1`, step(5, 5, 4));
    await p.as(shequ).post(`${PR}/${id}/steps/2`, step(9, 9, 6));
    // 党员大会: 20 of 42 present is not more than half
    const s3 = await p.as(shequ).post(`${PR}/${id}/steps/3`, step(42, 20, 20));
    expect(s3.body.steps[2]).toMatchObject({ quorumMet: false, passed: false });
    expect(s3.body.status).toBe('rejected');
    expectProblemStatus(await p.as(shequ).post(`${PR}/${id}/steps/4`, step(60, 50, 50)), 409, 'step_out_of_order');
    // a representatives' meeting needs two thirds present
    const id2 = await start('垃圾中转站选址');
    for (const [seq, b] of [[1, step(5, 5, 5)], [2, step(9, 9, 9)], [3, step(42, 30, 30)]] as const) await p.as(shequ).post(`${PR}/${id2}/steps/${seq}`, b);
    expect((await p.as(shequ).post(`${PR}/${id2}/steps/4`, step(60, 39, 39, { assembly: 'representatives' }))).body.steps[3]).toMatchObject({ quorumMet: false, passed: false });
  });

  it('checks attendance input, roles and scope', async () => {
    const id = await start('清理违章搭建');
    expectProblemStatus(await p.as(shequ).post(`${PR}/${id}/steps/1`, { heldAt: '2026-11-16T02:00:00Z', record: '记录' }), 422, 'attendance_required');
    expectProblemStatus(await p.as(shequ).post(`${PR}/${id}/steps/1`, step(5, 6, 5)), 422, 'present_exceeds_expected');
    expectProblemStatus(await p.as(shequ).post(`${PR}/${id}/steps/1`, { ...step(5, 5, 5), votesAgainst: 3 }), 422, 'count_exceeds_present');
    expectProblemStatus(await p.as(shequ).post(`${PR}/${id}/steps/7`, step(5, 5, 5)), 400);
    expectProblemStatus(await p.as(wangge).post(`${PR}/${id}/steps/1`, step(5, 5, 5)), 403);
    expectProblemStatus(await p.as(otherCommunity).get(`${PR}/${id}`), 404);
    expectProblemStatus(await p.as(otherCommunity).post(`${PR}/${id}/steps/1`, step(5, 5, 5)), 404);
    expect((await p.as(otherCommunity).get(PR)).body.items.map((x: any) => x.id)).not.toContain(id);
    expect((await p.as(wangge).get(PR)).status).toBe(200);
  });
});
