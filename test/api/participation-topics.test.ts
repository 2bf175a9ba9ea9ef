// 议事 (issue 16, item 2): residents propose topics and support them (once each, whatever races); staff
// put a topic on a deliberation meeting's agenda — the shared meetings, kind participation.deliberation —
// held at grid level with participants, minutes and a decision; answer and hide, audited; scope.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblemStatus, testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { homeGrid, otherGrid } from '../helpers/fixtures.ts';
import { linkedResident } from './participation-helpers.ts';

let p: TestPlatform;
let shequ: string, otherCommunity: string;
const T = '/api/v1/participation/topics';

beforeAll(async () => {
  p = await testPlatform('2026-11-16T02:00:00Z');
  shequ = await p.login('shequ');
  otherCommunity = await p.login(`sq${otherGrid.code.slice(0, 12)}`);
}, 120_000);
afterAll(async () => { await p?.close(); });

describe('议事 topics and deliberation meetings', () => {
  it('makes one topic of a double submit with one Idempotency-Key (提交议题)', async () => {
    const r = await linkedResident(p, shequ, homeGrid.code);
    const body = { title: '小区南门加装雨棚', body: '下雨天等车没处躲。' };
    const two = await Promise.all([p.as(r.token).post(T, body, { 'idempotency-key': 'topic-1' }), p.as(r.token).post(T, body, { 'idempotency-key': 'topic-1' })]);
    expect(two.map((x) => x.status)).toEqual([201, 201]);
    expect(two[0].body.id).toBe(two[1].body.id);
    expect((await p.as(r.token).get(T)).body.items.filter((x: any) => x.title === '小区南门加装雨棚')).toHaveLength(1);
  });

  it('convenes one deliberation meeting of a double click on 保存 (one Idempotency-Key), and another with a new key', async () => {
    const body = { kind: 'participation.deliberation', title: '停车位划线议事会', scheduledAt: '2026-11-21T11:00:00Z', regionCode: homeGrid.code, place: '社区议事厅', agenda: [{ title: '停车位怎么划' }] };
    const two = await Promise.all([p.as(shequ).post('/api/v1/meetings', body, { 'idempotency-key': 'meet-1' }), p.as(shequ).post('/api/v1/meetings', body, { 'idempotency-key': 'meet-1' })]);
    expect(two.map((x) => x.status)).toEqual([201, 201]);
    expect(two[0].body.id).toBe(two[1].body.id);
    expect(two[1].body).toMatchObject({ title: '停车位划线议事会', agenda: [expect.objectContaining({ title: '停车位怎么划' })] });
    const listed = async () => (await p.as(shequ).get('/api/v1/meetings?kind=participation.deliberation&pageSize=100')).body.items.filter((m: any) => m.title === '停车位划线议事会');
    expect(await listed()).toHaveLength(1);
    // the same key with another body is refused; a bad key is a 400; a new key is a new meeting
    expectProblemStatus(await p.as(shequ).post('/api/v1/meetings', { ...body, place: '别处' }, { 'idempotency-key': 'meet-1' }), 422, 'idempotency_key_reused');
    expectProblemStatus(await p.as(shequ).post('/api/v1/meetings', body, { 'idempotency-key': 'bad key with spaces' }), 400, 'invalid_idempotency_key');
    expect((await p.as(shequ).post('/api/v1/meetings', body, { 'idempotency-key': 'meet-2' })).status).toBe(201);
    expect(await listed()).toHaveLength(2);
    // a resident still may not convene, key or not
    const r = await linkedResident(p, shequ, homeGrid.code);
    expectProblemStatus(await p.as(r.token).post('/api/v1/meetings', body, { 'idempotency-key': 'meet-3' }), 403);
  });

  it('gathers supports once per resident, goes on a grid meeting\'s agenda and ends in a decision', async () => {
    const [a, b] = await Promise.all([linkedResident(p, shequ, homeGrid.code), linkedResident(p, shequ, homeGrid.code)]);
    const topic = await p.as(a.token).post(T, { title: '3栋楼道电动车充电难', body: '建议在楼下集中安装充电桩。' });
    expect(topic.status, topic.text).toBe(201);
    const id = topic.body.id;
    const race = await Promise.all([1, 2, 3].map(() => p.as(b.token).post(`${T}/${id}/support`, {})));
    expect(race.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    expect((await p.as(a.token).post(`${T}/${id}/support`, {})).body.supports).toBe(2);
    expect((await p.as(a.token).get(T)).body.items.find((x: any) => x.id === id)).toMatchObject({ supports: 2, supported: true });
    // a grid-level deliberation meeting on the shared meetings, with the topic on its agenda
    const m = await p.as(shequ).post('/api/v1/meetings', {
      kind: 'participation.deliberation', title: '第1网格议事分会', scheduledAt: '2026-11-16T01:00:00Z', regionCode: homeGrid.code, place: '3栋楼下议事亭',
      agenda: [{ title: '3栋楼道电动车充电难' }], attendees: [{ name: '楼栋长 王建' }, { name: '居民代表 李芳' }, { name: '物业 张经理' }],
    });
    expect(m.status, m.text).toBe(201);
    const scheduled = await p.as(shequ).post(`${T}/${id}/moderate`, { action: 'schedule', meetingId: m.body.id });
    expect(scheduled.body).toMatchObject({ status: 'scheduled', meetingId: m.body.id });
    expect((await p.as(shequ).send('PUT', `/api/v1/meetings/${m.body.id}/minutes`, { minutes: '与会人员一致同意在3栋东侧安装集中充电桩。' })).status).toBe(200);
    const d = await p.as(shequ).post(`/api/v1/meetings/${m.body.id}/decisions`, { text: '由物业在12月底前安装集中充电桩，费用从公共收益中列支。' });
    expect(d.status, d.text).toBe(201);
    const meeting = (await p.as(shequ).get(`/api/v1/meetings/${m.body.id}`)).body;
    expect(meeting).toMatchObject({ kind: 'participation.deliberation', status: 'held', decisions: [{ text: expect.stringContaining('充电桩') }] });
    expect(meeting.attendees).toHaveLength(3);
    const kinds = (await p.as(shequ).get('/api/v1/meeting-kinds')).body;
    expect((kinds.items ?? kinds).map((k: any) => k.kind)).toContain('participation.deliberation');
  });

  it('is answered and hidden with an audit trail, and stays in its territory', async () => {
    const r = await linkedResident(p, shequ, homeGrid.code);
    const id = (await p.as(r.token).post(T, { title: '广场舞音响太吵' })).body.id;
    expect((await p.as(shequ).post(`${T}/${id}/moderate`, { action: 'answer', note: '已与舞蹈队约定21点前结束' })).body.answer).toBe('已与舞蹈队约定21点前结束');
    await p.as(shequ).post(`${T}/${id}/moderate`, { action: 'hide', reason: 'off_topic' });
    expect((await p.as(r.token).get(T)).body.items.map((x: any) => x.id)).not.toContain(id);
    expectProblemStatus(await p.as(r.token).post(`${T}/${id}/support`, {}), 404);
    const audit = await p.ctx.db.query<any>(`SELECT action FROM audit_log WHERE target = $1 ORDER BY id`, [`topic:${id}`]);
    expect(audit.map((x) => x.action)).toEqual(['participation.topic.answer', 'participation.topic.hide']);
    expectProblemStatus(await p.as(otherCommunity).post(`${T}/${id}/moderate`, { action: 'unhide' }), 404);
    expect((await p.as(otherCommunity).get(T)).body.items.map((x: any) => x.id)).not.toContain(id);
    expectProblemStatus(await p.as(shequ).post(T, { title: '员工不能提议题' }), 403);
    expectProblemStatus(await p.as(shequ).post(`${T}/${id}/moderate`, { action: 'schedule' }), 422, 'meeting_required');
  });
});

describe('moderation: hide, merge, answer, with a trail staff read', () => {
  const M = '/api/v1/participation/moderation';
  it('merges a duplicate topic — its supporters move once, it leaves the list — and the trail says who did what', async () => {
    const [a, b, c, d] = await Promise.all([1, 2, 3, 4].map(() => linkedResident(p, shequ, homeGrid.code)));
    const first = (await p.as(a.token).post(T, { title: '小区门口增设快递柜' })).body;
    const dup = (await p.as(b.token).post(T, { title: '希望在门口放个快递柜' })).body;
    await p.as(c.token).post(`${T}/${first.id}/support`, {});
    for (const r of [a, c, d]) await p.as(r.token).post(`${T}/${dup.id}/support`, {});
    const merged = await p.as(shequ).post(`${T}/${dup.id}/moderate`, { action: 'merge', intoId: first.id });
    expect(merged.status, merged.text).toBe(200);
    expect(merged.body).toMatchObject({ hidden: true, mergedInto: first.id });
    // c supported both (counted once), d moves over, a proposed the first (no support of one's own)
    const list = (await p.as(d.token).get(T)).body.items;
    expect(list.map((x: any) => x.id)).not.toContain(dup.id);
    expect(list.find((x: any) => x.id === first.id)).toMatchObject({ supports: 2, supported: true });
    expect((await p.as(a.token).get(T)).body.items.find((x: any) => x.id === first.id).supported).toBe(false);
    // answer it, put it on a meeting, and hide a wish: one trail, newest first
    await p.as(shequ).post(`${T}/${first.id}/moderate`, { action: 'answer', note: '物业已同意安装，12月投用' });
    const m = (await p.as(shequ).post('/api/v1/meetings', { kind: 'participation.deliberation', title: '快递柜选址议事会', scheduledAt: '2026-11-20T11:00:00Z',
      regionCode: homeGrid.code, place: '社区议事厅', agenda: [{ title: '快递柜放在哪里' }] })).body;
    await p.as(shequ).post(`${T}/${first.id}/moderate`, { action: 'schedule', meetingId: m.id });
    const wish = (await p.as(a.token).post('/api/v1/participation/wishes', { title: '想借一把梯子', category: 'goods' })).body;
    await p.as(shequ).post(`/api/v1/participation/wishes/${wish.id}/moderate`, { action: 'hide', reason: 'duplicate', note: '与他人心愿重复' });
    const me = (await p.as(shequ).get('/api/v1/auth/me')).body;
    const trail = await p.as(await p.login('wangge')).get(`${M}?pageSize=100`);
    expect(trail.status, trail.text).toBe(200);
    expect(trail.body.items.slice(0, 4)).toMatchObject([
      { subject: 'wish', subjectId: wish.id, title: '想借一把梯子', action: 'hide', reason: 'duplicate', note: '与他人心愿重复', actor: me.displayName },
      { subject: 'topic', subjectId: first.id, action: 'schedule', target: { id: m.id } },
      { subject: 'topic', subjectId: first.id, action: 'answer', note: '物业已同意安装，12月投用' },
      { subject: 'topic', subjectId: dup.id, title: '希望在门口放个快递柜', action: 'merge', target: { id: first.id, title: '小区门口增设快递柜' } },
    ]);
    expect(trail.body.items[0].regionName).toBeTruthy();
    const one = (await p.as(shequ).get(`${M}?subject=topic&subjectId=${first.id}`)).body.items;
    expect(one.map((x: any) => x.action)).toEqual(['schedule', 'answer']);
    // the trail is a record of facts: the database refuses to change it
    await expect(p.ctx.db.query(`UPDATE pt_moderation SET note = 'x' WHERE subject_id = $1`, [first.id])).rejects.toThrow(/immutable/);
    // unhiding the duplicate brings it back as a topic of its own
    expect((await p.as(shequ).post(`${T}/${dup.id}/moderate`, { action: 'unhide' })).body).toMatchObject({ hidden: false });
    expect((await p.as(shequ).get(T)).body.items.find((x: any) => x.id === dup.id).mergedInto).toBeUndefined();
  });

  it('refuses a merge target that is itself, hidden or elsewhere, and keeps the trail to its territory', async () => {
    const r = await linkedResident(p, shequ, homeGrid.code);
    const [x, y] = [(await p.as(r.token).post(T, { title: '议题甲' })).body, (await p.as(r.token).post(T, { title: '议题乙' })).body];
    const far = await linkedResident(p, otherCommunity, otherGrid.code);
    const z = (await p.as(far.token).post(T, { title: '别处的议题' })).body;
    expectProblemStatus(await p.as(shequ).post(`${T}/${x.id}/moderate`, { action: 'merge', intoId: x.id }), 422, 'merge_target');
    expectProblemStatus(await p.as(shequ).post(`${T}/${x.id}/moderate`, { action: 'merge' }), 422, 'merge_target');
    expectProblemStatus(await p.as(shequ).post(`${T}/${x.id}/moderate`, { action: 'merge', intoId: z.id }), 422, 'merge_target');
    await p.as(shequ).post(`${T}/${y.id}/moderate`, { action: 'hide', reason: 'abusive' });
    expectProblemStatus(await p.as(shequ).post(`${T}/${x.id}/moderate`, { action: 'merge', intoId: y.id }), 422, 'merge_target');
    expectProblemStatus(await p.as(await p.login('wangge')).post(`${T}/${x.id}/moderate`, { action: 'merge', intoId: y.id }), 403);
    // nothing was written by the refusals but the hide
    expect((await p.as(shequ).get(`${M}?subject=topic&subjectId=${x.id}`)).body.items).toEqual([]);
    // another community does not see this community's trail; residents do not read it
    expect((await p.as(otherCommunity).get(`${M}?pageSize=100`)).body.items.map((i: any) => i.subjectId)).not.toContain(y.id);
    expectProblemStatus(await p.as(r.token).get(M), 403);
    expectProblemStatus(await p.as(shequ).get(`${M}?subject=case`), 400);
  });
});

describe('hiding a topic says why, and tells its author', () => {
  const M = '/api/v1/participation/moderation';
  const MSG = '/api/v1/participation/me/messages';
  it('refuses a hide without a reason (or "other" without words), nothing written; then keeps the reason in the trail and in the author\'s messages', async () => {
    const author = await linkedResident(p, shequ, homeGrid.code);
    const neighbour = await linkedResident(p, shequ, homeGrid.code);
    const id = (await p.as(author.token).post(T, { title: '楼下张三家天天吵架', body: '张三，电话13800001111' })).body.id;
    const noReason = await p.as(shequ).post(`${T}/${id}/moderate`, { action: 'hide' });
    expectProblemStatus(noReason, 422, 'hide_reason_required');
    expect(noReason.body.detail).toContain('Hiding a topic needs a reason');
    const zh = await p.as(shequ).post(`${T}/${id}/moderate`, { action: 'hide' }, { 'accept-language': 'zh-CN' });
    expect(zh.body.detail).toContain('隐藏议题须选择原因');
    expectProblemStatus(await p.as(shequ).post(`${T}/${id}/moderate`, { action: 'hide', reason: 'other' }), 422, 'hide_reason_text_required');
    expectProblemStatus(await p.as(shequ).post(`${T}/${id}/moderate`, { action: 'hide', reason: 'rude' }), 400);
    expectProblemStatus(await p.as(shequ).post(`${T}/${id}/moderate`, { action: 'answer', note: '收到', reason: 'abusive' }), 422, 'reason_only_for_hide');
    // a resident may not hide, nor another community's staff
    expectProblemStatus(await p.as(neighbour.token).post(`${T}/${id}/moderate`, { action: 'hide', reason: 'personal_data' }), 403);
    expectProblemStatus(await p.as(otherCommunity).post(`${T}/${id}/moderate`, { action: 'hide', reason: 'personal_data' }), 404);
    expect((await p.as(shequ).get(`${M}?subject=topic&subjectId=${id}`)).body.items).toEqual([]);
    expect((await p.as(author.token).get(MSG)).body).toEqual({ unread: 0, items: [] });

    const hid = await p.as(shequ).post(`${T}/${id}/moderate`, { action: 'hide', reason: 'personal_data', note: '含他人姓名和电话，请去掉后重新提出' });
    expect(hid.status, hid.text).toBe(200);
    expect((await p.as(shequ).get(`${M}?subject=topic&subjectId=${id}`)).body.items).toMatchObject([
      { action: 'hide', reason: 'personal_data', note: '含他人姓名和电话，请去掉后重新提出' }]);
    // the author is told, with the reason; nobody else is
    const mine = (await p.as(author.token).get(MSG)).body;
    expect(mine.unread).toBe(1);
    expect(mine.items).toMatchObject([{ kind: 'topic_hidden', topicId: id, title: '楼下张三家天天吵架', reason: 'personal_data', note: '含他人姓名和电话，请去掉后重新提出', read: false }]);
    expect((await p.as(neighbour.token).get(MSG)).body.items).toEqual([]);
    // only the author marks it read
    expectProblemStatus(await p.as(neighbour.token).post(`${MSG}/${mine.items[0].id}/read`, {}), 404);
    expectProblemStatus(await p.as(null).get(MSG), 401);
    expect((await p.as(author.token).post(`${MSG}/${mine.items[0].id}/read`, {})).status).toBe(200);
    expect((await p.as(author.token).get(MSG)).body).toMatchObject({ unread: 0, items: [{ read: true }] });
    expect((await p.as(author.token).get(`${MSG}?unread=true`)).body.items).toEqual([]);
    // showing it again tells the author too
    await p.as(shequ).post(`${T}/${id}/moderate`, { action: 'unhide' });
    expect((await p.as(author.token).get(MSG)).body.items.map((m: any) => m.kind)).toEqual(['topic_unhidden', 'topic_hidden']);
  });
});
