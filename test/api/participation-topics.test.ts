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
      kind: 'participation.deliberation', title: '第1网格议事分会', scheduledAt: '2026-11-18T11:00:00Z', regionCode: homeGrid.code, place: '3栋楼下议事亭',
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
    await p.as(shequ).post(`${T}/${id}/moderate`, { action: 'hide' });
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
