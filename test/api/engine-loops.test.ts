// Grid events (小事不出村), GB/T 30428 urban cases, 吹哨报到 two levels up, suspension, and routing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { homeGrid, homeStreet, pointIn } from '../helpers/fixtures.ts';

let p: TestPlatform;
const t: Record<string, string> = {};
const loginAll = async () => {
  for (const u of ['wangge', 'shequ', 'jiedao', 'zhihui', 'city', 'chengguan', 'zhujian', 'gongan', 'rexian']) t[u] = await p.login(u);
};
beforeAll(async () => {
  p = await testPlatform('2026-11-16T01:30:00Z');
  await loginAll();
});
afterAll(async () => { await p?.close(); });

const act = (who: string, id: number, action: string, body: Record<string, unknown> = {}) =>
  p.as(t[who]).post(`/api/v1/cases/${id}/actions/${action}`, body);
async function report(who: string, body: Record<string, unknown>) {
  const r = await p.as(t[who]).post('/api/v1/cases', { title: '测试', description: '现场情况描述', ...pointIn(homeGrid), ...body });
  expect(r.status, r.text).toBe(201);
  return r.body;
}

describe('grid event', () => {
  it('a grid worker handles a small matter on the spot and closes it (小事不出村)', async () => {
    const c = await report('wangge', { categoryCode: '020101', title: '楼道口暴露垃圾' });
    expect(c.type).toBe('grid_event');
    expect(c.actions).toContain('self_close');
    const r = await act('wangge', c.id, 'self_close', { note: '已协调保洁员清运' });
    expect(r.body.case.state).toBe('closed');
  });

  it('goes up to the community, out to a department by the street, back for on-site verification and closing; a failed check is reworked', async () => {
    const c = await report('wangge', { categoryCode: '030102', title: '小区路灯不亮' });
    expect((await act('wangge', c.id, 'accept')).status).toBe(403);
    await act('shequ', c.id, 'accept');
    // a community dispatches within its community only (派遣的范围): a department is the street's to send to
    expect((await act('shequ', c.id, 'dispatch', { leadUnitId: 'dept-chengguan' })).status).toBe(422);
    await act('jiedao', c.id, 'dispatch', { leadUnitId: 'dept-chengguan' });
    await act('chengguan', c.id, 'sign');
    await act('chengguan', c.id, 'reply', { note: '已更换灯泡' });
    const fail = await act('wangge', c.id, 'verify_fail', { reason: '仍有两盏不亮' });
    expect(fail.body.case.state).toBe('handling');
    expect(fail.body.case.reworkCount).toBe(1);
    await act('chengguan', c.id, 'reply', { note: '已全部修复' });
    await act('wangge', c.id, 'verify_pass');
    const closed = await act('shequ', c.id, 'close');
    expect(closed.body.case.state).toBe('closed');
  });
});

describe('部件/事件 case (GB/T 30428)', () => {
  it('is filed only when its 立案 condition holds, and falls back to the street (属地兜底) without a responsibility rule', async () => {
    const c = await report('jiedao', { categoryCode: '010110', title: '健身器材损坏' });
    expect(c.type).toBe('urban');
    expect(c.routing).toMatchObject({ source: 'territorial_fallback', leadUnitId: `sc-${homeStreet.code}` });
    const no = await act('jiedao', c.id, 'file', { conditionMet: false });
    expect(no.status).toBe(422);
    expect(no.body.code).toBe('filing_condition_not_met');
    const filed = await act('jiedao', c.id, 'file', { conditionMet: true });
    expect(filed.body.case.state).toBe('filed');
    const tl = await p.as(t.jiedao).get(`/api/v1/cases/${c.id}/timeline`);
    expect(tl.body.items[1].data.filingCondition).toBeTruthy();
    await act('jiedao', c.id, 'dispatch', { leadUnitId: `sc-${homeStreet.code}` });
    await act('jiedao', c.id, 'sign');
    await act('jiedao', c.id, 'reply', { note: '已修复' });
    await act('wangge', c.id, 'verify_pass');
    expect((await act('jiedao', c.id, 'close')).body.case.state).toBe('closed');
  });

  it('suspension (挂账) pauses the clock and resume returns to the step with the time that was left', async () => {
    const c = await report('jiedao', { categoryCode: '010108', title: '路灯杆倾斜' });
    await act('jiedao', c.id, 'file', { conditionMet: true });
    await act('jiedao', c.id, 'dispatch', { leadUnitId: 'dept-chengguan' });
    const signed = (await act('chengguan', c.id, 'sign')).body.case;
    p.clock.advance(60); // one working hour used
    const s = await act('jiedao', c.id, 'suspend', { reason: '等待电力部门停电配合' });
    expect(s.body.case.state).toBe('suspended');
    expect(s.body.case.sla.light).toBeNull();
    expect(s.body.case.sla.remainingMinutes).toBe(signed.sla.limitMinutes - 60);
    expect((await act('chengguan', c.id, 'reply', { note: 'x' })).status).toBe(409);
    p.clock.advance(3 * 24 * 60); // three days parked (sessions last 12 hours: log in again)
    await loginAll();
    const r = await act('jiedao', c.id, 'resume');
    expect(r.body.case.state).toBe('handling');
    expect(r.body.case.sla.remainingMinutes).toBe(signed.sla.limitMinutes - 60);
  });
});

describe('吹哨报到', () => {
  it('a community whistles, escalates to the street, the street to the district; each summoned unit reports in and replies on its own clock', async () => {
    const c = await report('wangge', { categoryCode: '020108', title: '违章搭建占用消防通道' });
    await act('shequ', c.id, 'accept');
    const w1 = await act('shequ', c.id, 'whistle', { units: [{ unitId: 'dept-chengguan', reportInMinutes: 30 }], note: '社区吹哨' });
    expect(w1.status, w1.text).toBe(200);
    expect(w1.body.case.whistleLevel).toBe('community');
    // the summoned department now sees the case and reports in
    expect((await p.as(t.chengguan).get(`/api/v1/cases/${c.id}`)).body.actions).toContain('report_in');
    p.clock.advance(20);
    const in1 = await act('chengguan', c.id, 'report_in');
    expect(in1.status, in1.text).toBe(200);
    expect((await act('chengguan', c.id, 'report_in')).status).toBe(409);

    expect((await act('shequ', c.id, 'escalate', { note: '社区协调不了' })).body.case.whistleLevel).toBe('street');
    expect((await act('shequ', c.id, 'whistle', { units: [{ unitId: 'dept-zhujian' }] })).status).toBe(409);
    await act('jiedao', c.id, 'whistle', { units: [{ unitId: 'dept-zhujian', reportInMinutes: 30 }] });
    expect((await act('jiedao', c.id, 'escalate')).body.case.whistleLevel).toBe('district');
    const w3 = await act('zhihui', c.id, 'whistle', { units: [{ unitId: 'dept-gongan', reportInMinutes: 30, limitMinutes: 240 }] });
    expect(w3.body.case.whistleLevel).toBe('district');
    p.clock.advance(45); // past the 30-minute report-in deadline of the district's summons
    const late = await act('gongan', c.id, 'report_in');
    expect(late.status).toBe(200);
    const reply = await act('gongan', c.id, 'whistle_reply', { note: '已派员到场联合执法' });
    expect(reply.status, reply.text).toBe(200);

    const tl = (await p.as(t.zhihui).get(`/api/v1/cases/${c.id}/timeline`)).body.items;
    const facts = tl.filter((f: any) => ['whistle', 'escalate', 'report_in', 'whistle_reply'].includes(f.action))
      .map((f: any) => [f.action, f.data.level ?? f.data.toLevel ?? f.data.unitId, f.data.onTime ?? null]);
    expect(facts).toEqual([
      ['whistle', 'community', null], ['report_in', 'dept-chengguan', true], ['escalate', 'street', null],
      ['whistle', 'street', null], ['escalate', 'district', null], ['whistle', 'district', null],
      ['report_in', 'dept-gongan', false], ['whistle_reply', 'dept-gongan', true],
    ]);
    const detail = (await p.as(t.zhihui).get(`/api/v1/cases/${c.id}`)).body;
    expect(detail.assignments.filter((a: any) => a.role === 'summoned').map((a: any) => a.unitId))
      .toEqual(['dept-chengguan', 'dept-zhujian', 'dept-gongan']);
  });

  it('the city level is the top', async () => {
    const c = await report('wangge', { categoryCode: '020108', title: '违建' });
    await act('shequ', c.id, 'accept');
    await act('shequ', c.id, 'escalate');
    await act('jiedao', c.id, 'escalate');
    await act('zhihui', c.id, 'escalate');
    const top = await act('city', c.id, 'escalate');
    expect(top.status).toBe(409);
    expect(top.body.code).toBe('precondition_failed');
  });
});

describe('routing', () => {
  it('suggests the responsible department from the 权责清单 and records whether the dispatcher followed it', async () => {
    const c = await report('rexian', { categoryCode: '030102', title: '路灯不亮' });
    const s = await p.as(t.rexian).get(`/api/v1/cases/${c.id}/routing`);
    expect(s.body).toMatchObject({ leadUnitId: 'dept-chengguan', source: 'responsibility_list', lead: { name: '合川区城市管理局' } });
    await act('rexian', c.id, 'accept');
    await act('rexian', c.id, 'dispatch', { leadUnitId: 'dept-zhujian' });
    const tl = (await p.as(t.rexian).get(`/api/v1/cases/${c.id}/timeline`)).body.items;
    expect(tl.at(-1).data).toMatchObject({ leadUnitId: 'dept-zhujian', followedSuggestion: false });
  });
});
