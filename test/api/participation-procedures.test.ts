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
    expect((await p.as(shequ).post(`${PR}/${id}/steps/5`, { heldAt: '2026-11-16T03:00:00Z', record: '决议公告：经村民代表会议表决通过，鱼塘对外公开招标承包。公示期7天。' })).status).toBe(201);
    const notice = await p.as(null).get(`${PR}/${id}/notice`);
    expect(notice.status, notice.text).toBe(200);
    expect(notice.body.steps.filter((s: any) => s.done).map((s: any) => s.label.zh)).toEqual(['党支部提议', '两委会商议', '党员大会审议', '村民(代表)会议决议', '决议公开']);
    expect(notice.body.steps[3]).toMatchObject({ expected: 60, present: 45, votesFor: 40, quorumMet: true });
    expect(notice.body.steps[0].text).toBeNull(); // internal minutes stay internal
    expect((await p.as(null).get(`/api/v1/participation/notices/${homeCommunity.code}`)).body.items.map((n: any) => n.id)).toContain(id);
    const done = await p.as(shequ).post(`${PR}/${id}/steps/6`, { heldAt: '2026-11-16T05:00:00Z', record: '实施结果：经公开招标，由本村村民王某以每年3.2万元中标。' });
    expect(done.body.status).toBe('completed');
    expect((await p.as(null).get(`${PR}/${id}/notice`)).body.steps[5].text).toContain('中标');
    expectProblemStatus(await p.as(shequ).post(`${PR}/${id}/steps/6`, { heldAt: '2026-11-16T05:00:00Z', record: '再次' }), 409, 'step_recorded');
    // steps 5 and 6 are publications, not votes
    expect(done.body.steps.map((s: any) => s.outcome)).toEqual(['passed', 'passed', 'passed', 'passed', 'published', 'published']);
    expect((await p.as(null).get(`${PR}/${id}/notice`)).body.steps.slice(4).map((s: any) => s.outcome)).toEqual(['published', 'published']);
    // the community's public notice board (居务公开): both 公开 steps dated, for any visitor; a community
    // elsewhere does not list it; an unknown community is not found
    const board = await p.as(null).get(`/api/v1/participation/notices/${homeCommunity.code}`);
    expect(board.body.community).toEqual({ code: homeCommunity.code, name: expect.any(String) });
    expect(board.body.items.find((n: any) => n.id === id)).toMatchObject({ title: '村集体鱼塘承包方案', publishedAt: '2026-11-16T03:00:00.000Z', resultAt: '2026-11-16T05:00:00.000Z' });
    expect((await p.as(null).get(`/api/v1/participation/notices/${otherGrid.code.slice(0, 12)}`)).body.items.map((n: any) => n.id)).not.toContain(id);
    expectProblemStatus(await p.as(null).get('/api/v1/participation/notices/999999999999'), 404);
    // the visitor chooses the community from the public list
    const communities = await p.as(null).get('/api/v1/participation/communities');
    expect(communities.status).toBe(200);
    expect(communities.body.items).toContainEqual({ code: homeCommunity.code, name: board.body.community.name, streetName: expect.any(String) });
    expect(communities.body.items.every((c: any) => c.code.length === 12)).toBe(true);
    expect(done.body.steps[0].attendees).toEqual(['王书记', '李委员', '张委员', '赵委员', '钱委员']);
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
    // a step that would fail is not recorded until the secretary confirms, and the refusal says what happens
    const ask = await p.as(shequ).post(`${PR}/${id}/steps/3`, step(42, 20, 20), { 'accept-language': 'zh-CN' });
    expectProblemStatus(ask, 409, 'step_would_fail');
    expect(ask.body).toMatchObject({ reason: 'quorum' });
    expect(ask.body.detail).toContain('本步未达法定人数，事项将终止');
    expect((await p.as(shequ).get(`${PR}/${id}`)).body).toMatchObject({ status: 'in_progress', nextStep: { seq: 3 } });
    const no = await p.as(shequ).post(`${PR}/${id}/steps/3`, step(42, 30, 10));
    expectProblemStatus(no, 409, 'step_would_fail');
    expect(no.body).toMatchObject({ reason: 'majority' });
    const s3 = await p.as(shequ).post(`${PR}/${id}/steps/3`, step(42, 20, 20, { confirmFailure: true }));
    expect(s3.body.steps[2]).toMatchObject({ quorumMet: false, passed: false });
    expect(s3.body.status).toBe('rejected');
    expectProblemStatus(await p.as(shequ).post(`${PR}/${id}/steps/4`, step(60, 50, 50)), 409, 'step_out_of_order');
    // a representatives' meeting needs two thirds present
    const id2 = await start('垃圾中转站选址');
    for (const [seq, b] of [[1, step(5, 5, 5)], [2, step(9, 9, 9)], [3, step(42, 30, 30)]] as const) await p.as(shequ).post(`${PR}/${id2}/steps/${seq}`, b);
    expect((await p.as(shequ).post(`${PR}/${id2}/steps/4`, step(60, 39, 39, { assembly: 'representatives', confirmFailure: true }))).body.steps[3]).toMatchObject({ quorumMet: false, passed: false, outcome: 'failed' });
  });

  it('records the day each step was held: not in the future, not before the step before it', async () => {
    const id = await start('村卫生室改扩建');
    expectProblemStatus(await p.as(shequ).post(`${PR}/${id}/steps/1`, step(5, 5, 5, { heldAt: '2026-11-17T01:00:00Z' })), 422, 'held_in_future');
    // late evening in China is still today (UTC already tomorrow's date is not the point: China's day is)
    expect((await p.as(shequ).post(`${PR}/${id}/steps/1`, step(5, 5, 5, { heldAt: '2026-11-10T00:00:00+08:00' }))).status).toBe(201);
    const early = await p.as(shequ).post(`${PR}/${id}/steps/2`, step(9, 9, 9, { heldAt: '2026-11-09T00:00:00+08:00' }));
    expectProblemStatus(early, 422, 'held_before_previous');
    expect(early.body.detail).toContain('2026-11-10');
    const same = await p.as(shequ).post(`${PR}/${id}/steps/2`, step(9, 9, 9, { heldAt: '2026-11-10T00:00:00+08:00' }));
    expect(same.status, same.text).toBe(201);
    expect(same.body.steps[1].heldAt).toBe('2026-11-09T16:00:00.000Z');
    // names of those present: no more names than people present
    expectProblemStatus(await p.as(shequ).post(`${PR}/${id}/steps/3`, step(3, 2, 2, { attendees: ['甲', '乙', '丙'] })), 422, 'attendees_exceed_present');
  });

  it('voids a procedure started by mistake: kept with its reason, no further step, on no notice', async () => {
    const dup = await start('村集体鱼塘承包方案（重复）');
    await p.as(shequ).post(`${PR}/${dup}/steps/1`, step(5, 5, 5));
    expectProblemStatus(await p.as(shequ).post(`${PR}/${dup}/void`, { reason: '' }), 400);
    expectProblemStatus(await p.as(wangge).post(`${PR}/${dup}/void`, { reason: '重复发起' }), 403);
    expectProblemStatus(await p.as(otherCommunity).post(`${PR}/${dup}/void`, { reason: '重复发起' }), 404);
    const v = await p.as(shequ).post(`${PR}/${dup}/void`, { reason: '重复发起，以第一次为准' });
    expect(v.status, v.text).toBe(200);
    expect(v.body).toMatchObject({ status: 'voided', voided: { reason: '重复发起，以第一次为准' }, nextStep: null });
    expectProblemStatus(await p.as(shequ).post(`${PR}/${dup}/steps/2`, step(9, 9, 9)), 409, 'procedure_voided');
    expectProblemStatus(await p.as(shequ).post(`${PR}/${dup}/void`, { reason: '再次' }), 409, 'procedure_voided');
    expect((await p.as(shequ).get(PR)).body.items.find((x: any) => x.id === dup)).toMatchObject({ status: 'voided', voidReason: '重复发起，以第一次为准' });
    const [audit] = await p.ctx.db.query<any>(`SELECT detail FROM audit_log WHERE action = 'participation.procedure.void' AND target = $1`, [`procedure:${dup}`]);
    expect(audit.detail.reason).toBe('重复发起，以第一次为准');
    // a resolution made public is a public fact: not voided, and a voided one is on no notice
    const pub = await start('村口路灯安装');
    for (const [seq, b] of [[1, step(5, 5, 5)], [2, step(9, 9, 9)], [3, step(42, 30, 30)], [4, step(60, 45, 45)], [5, { heldAt: '2026-11-16T02:00:00Z', record: '决议公告：安装路灯十盏。' }]] as const) {
      expect((await p.as(shequ).post(`${PR}/${pub}/steps/${seq}`, b)).status).toBe(201);
    }
    expectProblemStatus(await p.as(shequ).post(`${PR}/${pub}/void`, { reason: '弄错了' }), 409, 'procedure_published');
    const [{ uid }] = await p.ctx.db.query<any>(`SELECT id AS uid FROM app_user WHERE username = 'shequ'`);
    await p.ctx.db.query(`UPDATE pt_procedure SET voided_at = now(), voided_by = $2, void_reason = 'x' WHERE id = $1`, [pub, uid]);
    expectProblemStatus(await p.as(null).get(`${PR}/${pub}/notice`), 404);
    expect((await p.as(null).get(`/api/v1/participation/notices/${homeCommunity.code}`)).body.items.map((n: any) => n.id)).not.toContain(pub);
  });

  it('makes one record of a double submit with one Idempotency-Key (发起四议两公开, 上架商品)', async () => {
    const key = { 'idempotency-key': 'proc-double-click-1' };
    const body = { regionCode: homeCommunity.code, title: '村民活动广场建设', description: '双击发起' };
    const [a, b] = await Promise.all([p.as(shequ).post(PR, body, key), p.as(shequ).post(PR, body, key)]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.id).toBe(b.body.id);
    expect([a.headers['idempotent-replayed'], b.headers['idempotent-replayed']]).toContain('true');
    expect((await p.as(shequ).get(PR)).body.items.filter((x: any) => x.title === '村民活动广场建设')).toHaveLength(1);
    // a later retry gets the same answer; the key with another body is refused; another key is another record
    expect((await p.as(shequ).post(PR, body, key)).body.id).toBe(a.body.id);
    expectProblemStatus(await p.as(shequ).post(PR, { ...body, title: '另一事项' }, key), 422, 'idempotency_key_reused');
    expect((await p.as(shequ).post(PR, body, { 'idempotency-key': 'proc-double-click-2' })).body.id).not.toBe(a.body.id);
    // a refused write frees its key: corrected, the same key goes through
    const badKey = { 'idempotency-key': 'proc-bad-region' };
    expectProblemStatus(await p.as(shequ).post(PR, { ...body, regionCode: homeCommunity.code.slice(0, 9) }, badKey), 422);
    expect((await p.as(shequ).post(PR, { ...body, title: '村民活动广场建设（二期）' }, badKey)).status).toBe(201);
    const item = { regionCode: homeCommunity.code, name: '洗衣液一瓶', cost: 50, stock: 10 };
    const shelf = await Promise.all([1, 2, 3].map(() => p.as(shequ).post('/api/v1/participation/points/shop', item, { 'idempotency-key': 'shop-double-click' })));
    expect(shelf.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(new Set(shelf.map((r) => r.body.id)).size).toBe(1);
    expect((await p.as(shequ).get('/api/v1/participation/points/shop')).body.items.filter((x: any) => x.name === '洗衣液一瓶')).toHaveLength(1);
    expectProblemStatus(await p.as(shequ).post(PR, body, { 'idempotency-key': 'bad key with spaces' }), 400, 'invalid_idempotency_key');
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
