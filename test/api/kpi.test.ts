// The dashboard's rates against a hand-built day of seven 12345 tickets: 按时办结率 from the flow records'
// deadlines, and the 三率 (响应率, 解决率, 满意率) of docs/kpi.md. Every expected figure is worked out by hand
// in the comments from the timeline below, never by the SQL under test. Also the overdue trend (open overdue
// cases at each day's end) and the big screen's activity feed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlatform, type TestPlatform, type Res } from '../helpers/platform.ts';
import { homeCommunity, homeGrid, homeStreet, otherStreet, pointIn } from '../helpers/fixtures.ts';
import { flagOverdue } from '../../src/modules/cases/scheduler.ts';

let p: TestPlatform;
const t: Record<string, string> = {};
const users = { op: 'rexian', dept: 'chengguan', otherDept: 'zhujian', district: 'zhihui', street: 'jiedao', otherStreet: `jd${otherStreet.code}`, resident: 'jumin' };
const T: Record<string, number> = {};

/** Monday 2026-11-16 at hh:mm in 合川 (UTC+8). Working hours are 09:00–12:00 and 13:30–17:30. */
const at = (hm: string) => {
  const [h, m] = hm.split(':').map(Number);
  p.clock.set(new Date(Date.UTC(2026, 10, 16, h - 8, m)).toISOString());
};
const act = async (who: string, id: number, action: string, body: Record<string, unknown> = {}) => {
  const r = await p.as(t[who]).post(`/api/v1/cases/${id}/actions/${action}`, body);
  expect(r.status, `${action}: ${r.text}`).toBe(200);
  return r.body;
};
const report = async (title: string, extra: Record<string, unknown> = {}) => {
  const r = await p.as(t.op).post('/api/v1/cases', {
    categoryCode: '030102', title, description: `${title}，请尽快处理。`, ...pointIn(homeGrid), ...extra,
  });
  expect(r.status, r.text).toBe(201);
  return r.body.id as number;
};
async function loginAll() { for (const [k, u] of Object.entries(users)) t[k] = await p.login(u); }

// The timeline (hotline v5 limits: 待受理 1 h, 待派遣 2 h, 待签收 2 h, 办理 21 h for 路灯不亮 030102, 待核查 and
// 待回访 one working day; all in working time).
//
// Wed 11-11 09:00  T7 reported (accept by 10:00 Wed) and never touched: overdue from Wed 10:00 on.
// Mon 11-16
// 09:00  T1–T5 reported (accept by 10:00); T6 answered on the call (即时办结: filed and closed at once).
// 09:10  T1–T5 accepted (dispatch by 11:10).
// 09:20  T1–T5 dispatched to 城管 (sign for by 11:20).                                  dispatches 1–5
// 09:50  城管 signs T1, T3, T5 (in time); 城管 returns T4 (退回, in time: an answer too).
// 10:00  the centre approves T4's return (back to 待派遣) and dispatches it to 住建 (sign by 12:00).   dispatch 6
// 10:30  城管 replies on T1, T3, T5.   10:40  the centre verifies them.
// 10:50  callbacks: T1 满意 → closed; T3 不满意 → 重办, dispatched again (sign by 12:50);             dispatch 7
//        T5 不满意 → 重办, dispatched again (sign by 12:50).                                         dispatch 8
// 11:00  城管 signs T3's redo (in time).
// 11:40  城管 signs T2 — 20 minutes after its 11:20 deadline (no overdue scheduler ran meanwhile).
// 11:45  城管 replies on T2 and T3.   11:50  verified.   11:55  callbacks: T2 基本满意, T3 满意 → closed.
// 12:10  now. T4's dispatch to 住建 (due 12:00) is unanswered and late; T5's redo (due 12:50) is still in time.
beforeAll(async () => {
  p = await testPlatform('2026-11-11T01:00:00Z'); // Wednesday 09:00
  await loginAll();
  T.T7 = await report('T7 路灯不亮无人受理');
  at('09:00');
  await loginAll(); // last week's sessions have expired
  for (const k of ['T1', 'T2', 'T3', 'T4', 'T5']) T[k] = await report(`${k} 路灯不亮`);
  const onCall = await p.as(t.op).post('/api/v1/cases', {
    categoryCode: '030201', title: 'T6 咨询停水找谁', description: '来电咨询突发停水找哪里', appealKind: 'consult',
    reporter: { name: '刘女士', phone: '13600001111' }, answerOnCall: { note: '突发停水请拨打供水公司服务热线。' },
  });
  expect(onCall.status, onCall.text).toBe(201);
  T.T6 = onCall.body.id;
  at('09:10');
  for (const k of ['T1', 'T2', 'T3', 'T4', 'T5']) await act('op', T[k], 'accept');
  at('09:20');
  for (const k of ['T1', 'T2', 'T3', 'T4', 'T5']) await act('op', T[k], 'dispatch', { leadUnitId: 'dept-chengguan' });
  at('09:50');
  for (const k of ['T1', 'T3', 'T5']) await act('dept', T[k], 'sign');
  await act('dept', T.T4, 'return', { reason: '路灯由住建部门管护，不属本单位职责' });
  at('10:00');
  await act('op', T.T4, 'approve_return');
  await act('op', T.T4, 'dispatch', { leadUnitId: 'dept-zhujian' });
  at('10:30');
  for (const k of ['T1', 'T3', 'T5']) await act('dept', T[k], 'reply', { note: '已更换灯泡，路灯恢复照明' });
  at('10:40');
  for (const k of ['T1', 'T3', 'T5']) await act('op', T[k], 'verify_pass');
  at('10:50');
  await act('op', T.T1, 'call_back', { rating: 'satisfied' });
  expect((await act('op', T.T3, 'call_back', { rating: 'unsatisfied' })).auto).toHaveLength(1); // 重办 follows at once
  await act('op', T.T5, 'call_back', { rating: 'unsatisfied' });
  at('11:00');
  await act('dept', T.T3, 'sign');
  at('11:40');
  await act('dept', T.T2, 'sign');
  at('11:45');
  for (const k of ['T2', 'T3']) await act('dept', T[k], 'reply', { note: '已修复' });
  at('11:50');
  for (const k of ['T2', 'T3']) await act('op', T[k], 'verify_pass');
  at('11:55');
  await act('op', T.T2, 'call_back', { rating: 'basically_satisfied' });
  await act('op', T.T3, 'call_back', { rating: 'satisfied' });
  at('12:10');
}, 120_000);
afterAll(async () => { await p?.close(); });

const overview = (who: string, qs = '?days=7') => p.as(t[who]).get(`/api/v1/stats/overview${qs}`);

function problem(r: Res, status: number, code: string) {
  expect(r.status, r.text).toBe(status);
  expect(r.headers['content-type']).toContain('application/problem+json');
  expect(r.body.code).toBe(code);
}

describe('the dashboard\'s rates over seven hand-built tickets', () => {
  it('computes 按时办结率 and the 三率 with the counts behind them', async () => {
    const r = await overview('district');
    expect(r.status, r.text).toBe(200);
    const o = r.body;
    expect(o.period).toEqual({ days: 7, from: '2026-11-10', to: '2026-11-16' });

    // 按时办结率 = closures of the period (办结) whose every step ended by its deadline ÷ closures of the period.
    // Closed: T1, T2, T3, T6 = 4. T2's 待签收 ended at 11:40, after 11:20 → late; T1, T3 (both dispatches signed,
    // every other step within its limit) and T6 (closed on the call) are on time = 3.  3/4 = 75 %.
    expect(o.rates.onTime).toEqual({ rate: 0.75, count: 3, of: 4 });
    expect(o.onTimeRate).toBe(0.75);

    // 响应率 = dispatches answered (签收/退回 …) by the deadline ÷ dispatches due to be answered.
    //   1 T1 signed 09:50 ≤ 11:20 ✓   2 T2 signed 11:40 > 11:20 ✗   3 T3 signed 09:50 ✓   4 T4 returned 09:50 ✓
    //   5 T5 signed 09:50 ✓   6 T4 to 住建: unanswered, due 12:00 < now 12:10 ✗   7 T3's redo signed 11:00 ≤ 12:50 ✓
    //   8 T5's redo: unanswered, due 12:50 > now — not counted yet.
    //   Answered in time: 1, 3, 4, 5, 7 = 5; counted: 1–7 = 7.  5/7 = 71.43 %.
    expect(o.rates.response).toEqual({ rate: 0.7143, count: 5, of: 7 });

    // 解决率 = tickets resolved (办结) in the period ÷ (those + tickets a callback found unsolved and not resolved since).
    // Resolved: T1, T2, T3 (its 不满意 was redone and then 满意), T6 (answered on the call) = 4.
    // Unsolved: T5 (不满意 at 10:50, redo still open) = 1.  4/5 = 80 %.
    expect(o.rates.resolution).toEqual({ rate: 0.8, count: 4, of: 5 });

    // 满意率 = (满意 + 基本满意) ÷ ratings given in the period: T1 满意, T2 基本满意, T3 不满意 then 满意, T5 不满意
    // → 3 of 5 = 60 %.
    expect(o.rates.satisfaction).toEqual({ rate: 0.6, count: 3, of: 5 });
    expect(o.satisfactionRate).toBe(0.6);
    expect(o.rated).toBe(5);

    // open overdue now: T7 (to accept since Wed 10:00) and T4 (to sign for 住建 since 12:00); T5 is due at 12:50
    expect(o.overdue).toBe(2);
    expect(o.open).toBe(3); // T4, T5, T7
  });

  it('gives the trend of open overdue cases, ending at the current count', async () => {
    const o = (await overview('district')).body;
    // at the end of each day: Tue 11-10 nothing; Wed 11-11 to Sun 11-15 T7 alone; now (Mon 12:10) T7 and T4.
    // T2's overdue 20 minutes this morning fall between two day-ends and do not show.
    expect(o.byDay.map((d: any) => [d.date, d.overdue])).toEqual([
      ['2026-11-10', 0], ['2026-11-11', 1], ['2026-11-12', 1], ['2026-11-13', 1], ['2026-11-14', 1], ['2026-11-15', 1], ['2026-11-16', 2],
    ]);
    expect(o.byDay.at(-1).overdue).toBe(o.overdue);
  });

  it('counts by unit the same way', async () => {
    const o = (await overview('district')).body;
    // 城管 led T1, T2, T3 to their closure (T2 late) and holds T5; 住建 holds T4, overdue
    expect(o.byUnit.find((u: any) => u.unitId === 'dept-chengguan')).toMatchObject({ open: 1, overdue: 0, closed: 3, closedOnTime: 2, onTimeRate: 0.6667 });
    expect(o.byUnit.find((u: any) => u.unitId === 'dept-zhujian')).toMatchObject({ open: 1, overdue: 1, closed: 0, closedOnTime: 0, onTimeRate: null });
  });

  it('reads the deadlines in the flow records, not the overdue scheduler\'s flags', async () => {
    const before = (await overview('district')).body;
    // the scheduler now flags T7 and T4 (T2's late step had ended before it ever ran, and is late all the same)
    expect(await flagOverdue(p.cases)).toBe(2);
    const after = (await overview('district')).body;
    expect(after.rates).toEqual(before.rates);
    expect(after.byDay).toEqual(before.byDay);
  });

  it('narrows to the period: a one-day window holds today\'s steps only', async () => {
    const o = (await overview('district', '?days=1')).body;
    expect(o.period).toEqual({ days: 1, from: '2026-11-16', to: '2026-11-16' });
    expect(o.rates.response).toEqual({ rate: 0.7143, count: 5, of: 7 }); // every dispatch was today
    expect(o.byDay).toEqual([{ date: '2026-11-16', intake: 6, closed: 4, overdue: 2 }]); // T7 was reported on Wednesday
  });

  it('counts only what the viewer may see', async () => {
    // the street holds every ticket but T6, which was answered on the call and belongs to the district's hotline:
    // on time T1, T3 of T1–T3; resolved T1–T3 of those and T5; the dispatches and ratings are all the street's
    const home = (await overview('street')).body;
    expect(home.rates).toEqual({
      onTime: { rate: 0.6667, count: 2, of: 3 }, response: { rate: 0.7143, count: 5, of: 7 },
      resolution: { rate: 0.75, count: 3, of: 4 }, satisfaction: { rate: 0.6, count: 3, of: 5 },
    });
    const away = (await overview('otherStreet')).body;
    expect(away.rates).toEqual({
      onTime: { rate: null, count: 0, of: 0 }, response: { rate: null, count: 0, of: 0 },
      resolution: { rate: null, count: 0, of: 0 }, satisfaction: { rate: null, count: 0, of: 0 },
    });
    expect(away.byDay.every((d: any) => d.overdue === 0)).toBe(true);
    // 住建 sees the one ticket dispatched to it, T4, and counts over the whole ticket as every figure does: 城管's
    // dispatch answered in time (退回), its own unanswered and late → 1 of 2
    const zj = (await overview('otherDept')).body;
    expect(zj.rates.response).toEqual({ rate: 0.5, count: 1, of: 2 });
    expect(zj.overdue).toBe(1);
  });
});

describe('GET /api/v1/stats/activity', () => {
  const activity = (who: string, qs = '') => p.as(t[who]).get(`/api/v1/stats/activity${qs}`);

  it('says what happened, where and when, newest first', async () => {
    const r = await activity('district', '?limit=5');
    expect(r.status, r.text).toBe(200);
    expect(r.body.items).toHaveLength(5);
    const [last] = r.body.items;
    // the latest steps are the scheduler's overdue flags (12:10), before them T3's callback at 11:55
    expect(last).toMatchObject({ caseNo: expect.stringMatching(/^RX/), action: 'overdue', actionLabel: { zh: '超期', en: 'Overdue' }, bySystem: true });
    const callback = r.body.items.find((x: any) => x.caseId === T.T3);
    expect(callback).toMatchObject({
      title: 'T3 路灯不亮', actionLabel: { zh: '回访', en: 'Call back' }, at: '2026-11-16T03:55:00.000Z', bySystem: false,
      unit: { name: expect.stringContaining('12345') },
    });
    expect(callback.place.map((x: any) => x.name)).toEqual([homeStreet.shortName, homeCommunity.shortName, homeGrid.shortName]);
    expect(callback.place.map((x: any) => x.level)).toEqual(['street', 'community', 'grid']);
    const times = r.body.items.map((x: any) => x.at);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('keeps to the viewer\'s scope', async () => {
    expect((await activity('otherStreet')).body.items).toEqual([]);
    const zj = (await activity('otherDept', '?limit=50')).body.items;
    expect(new Set(zj.map((x: any) => x.caseId))).toEqual(new Set([T.T4]));
    problem(await activity('street', `?region=${otherStreet.code}`), 404, 'not_found');
    problem(await activity('resident'), 403, 'forbidden');
    problem(await p.as(null).get('/api/v1/stats/activity'), 401, 'unauthenticated');
  });

  it('rejects bad parameters', async () => {
    for (const qs of ['?limit=0', '?limit=51', '?limit=abc', '?region=x', '?since=1']) problem(await activity('district', qs), 400, 'validation_failed');
  });
});
