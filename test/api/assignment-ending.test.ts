// When a case ends, its assignments still open end with it: the lead unit that handled it is 已完成 (done),
// an assisting unit (协办) that never acted and a summoned unit that never replied are 已结束（随案件办结）
// ('ended') — never 办理中 (active) on a closed case, in the view every unit on the case reads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { homeGrid, pointIn } from '../helpers/fixtures.ts';

let p: TestPlatform;
const t: Record<string, string> = {};
beforeAll(async () => {
  p = await testPlatform('2026-11-16T01:30:00Z');
  for (const u of ['wangge', 'shequ', 'jiedao', 'chengguan', 'shichang', 'zhujian', 'gongan']) t[u] = await p.login(u);
});
afterAll(async () => { await p?.close(); });

const act = async (who: string, id: number, action: string, body: Record<string, unknown> = {}) => {
  const r = await p.as(t[who]).post(`/api/v1/cases/${id}/actions/${action}`, body);
  expect(r.status, `${who} ${action}: ${r.text}`).toBe(200);
  return r.body.case;
};
const statusOf = (c: any) => Object.fromEntries(c.assignments.map((a: any) => [`${a.role}:${a.unitId}`, a.status]));

describe('assignments when the case ends', () => {
  it('ends an assisting unit that never acted and a summons never replied to with the case, and the lead as done', async () => {
    const r = await p.as(t.wangge).post('/api/v1/cases', { categoryCode: '030102', title: '小区路灯不亮', description: '3栋门口两盏路灯不亮。', ...pointIn(homeGrid) });
    expect(r.status, r.text).toBe(201);
    const id = r.body.id;
    await act('shequ', id, 'accept');
    await act('jiedao', id, 'dispatch', { leadUnitId: 'dept-chengguan', assistUnitIds: ['dept-shichang'] });
    await act('chengguan', id, 'sign');
    // two departments summoned by the street: one reports in and replies, the other never does
    await act('jiedao', id, 'whistle', { units: [{ unitId: 'dept-zhujian' }, { unitId: 'dept-gongan' }], note: '联合处置' });
    await act('zhujian', id, 'report_in');
    await act('zhujian', id, 'whistle_reply', { note: '已配合检查线路' });
    await act('chengguan', id, 'reply', { note: '已更换灯泡' });
    await act('wangge', id, 'verify_pass');
    const closed = await act('shequ', id, 'close');
    expect(closed.state).toBe('closed');
    expect(statusOf(closed)).toEqual({
      'lead:dept-chengguan': 'done', 'assist:dept-shichang': 'ended', 'summoned:dept-zhujian': 'done', 'summoned:dept-gongan': 'ended',
    });
    // the assisting unit reads the same in its own view of the case, and nothing on it is still 办理中
    const own = (await p.as(t.shichang).get(`/api/v1/cases/${id}`)).body;
    expect(own.isOpen).toBe(false);
    expect(own.assignments.filter((a: any) => a.status === 'active')).toEqual([]);
    expect(own.assignments.find((a: any) => a.unitId === 'dept-shichang').status).toBe('ended');
  });
});
