// Early-warning rules, every kind, over two weeks of seeded history: each rule runs live while the
// history happens (cases reported, steps overdue, cases returned, follow-ups falling due, sensor
// readings, dispute scores), and is then back-tested over the same period. Each rule's count is known
// from the scenario and asserted exactly, live and back-tested alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { grids, streets } from '../helpers/fixtures.ts';
import { buildDemoRegions } from '../../src/modules/regions/demo-region-data.ts';
import { idNumber } from './registry-helpers.ts';
import { flagOverdue } from '../../src/modules/cases/index.ts';
import type { DisputeRiskScore, DisputeRiskSource } from '../../src/modules/risk/index.ts';

const byCode = new Map(buildDemoRegions().map((r) => [r.code, r]));
const START = Date.parse('2026-11-02T00:00:00Z');
const HOUR = 3600_000;
const DAY = 24 * HOUR;
/** Day n of the scenario at 10:00 China time, plus some minutes. */
const day = (n: number, minutes = 0) => START + (n - 1) * DAY + 2 * HOUR + minutes * 60_000;

let p: TestPlatform;
let zhihui: string, rexian: string, chengguan: string;
/** One street per rule, so that each rule sees only its own part of the history. */
const S = streets.slice(2, 16);
const gridOf = (i: number, n = 0) => grids.filter((g) => g.parentCode!.startsWith(S[i].code))[n].code;
const rules: Record<string, number> = {};
const scores: DisputeRiskScore[] = [];
let listener: ((s: DisputeRiskScore) => void) | null = null;
const source: DisputeRiskSource = {
  async scoresBetween(region, from, to) { return scores.filter((s) => s.regionCode.startsWith(region) && s.at > from && s.at <= to); },
  subscribe(fn) { listener = fn; return () => { listener = null; }; },
};

const expected: Record<string, number> = {
  threshold: 2, surge: 1, keyword: 2, repeatReporter: 1, repeatAddress: 1, urgentOverdue: 2, unitOverdue: 1, returned: 1,
  hotspot: 1, followup: 2, sensorThreshold: 2, sensorOffline: 2, dispute: 2,
};

async function at(t: number, step: () => Promise<unknown>) {
  p.clock.set(new Date(t).toISOString());
  await step();
  await p.risk.settle();
}

async function report(street: number, t: number, x: { category?: string; title?: string; description?: string; phone?: string; address?: string; urgency?: string; grid?: number }) {
  let id = 0;
  await at(t, async () => {
    const r = await p.as(rexian).post('/api/v1/cases', {
      categoryCode: x.category ?? '030102', title: x.title ?? '路灯不亮', description: x.description ?? `${S[street].name}一处路灯夜间不亮，影响出行。`,
      regionCode: gridOf(street, x.grid ?? 0), reporter: { name: '王五', phone: x.phone ?? `138${String(t % 1e8).padStart(8, '0')}` },
      ...(x.address ? { address: x.address } : {}), urgency: x.urgency ?? 'normal',
    });
    expect(r.status, r.text).toBe(201);
    id = r.body.id;
  });
  return id;
}

const act = (token: string, id: number, action: string, body: Record<string, unknown> = {}) =>
  p.as(token).post(`/api/v1/cases/${id}/actions/${action}`, body).then((r) => { expect(r.status, r.text).toBe(200); return r; });

async function rule(key: string, street: number, kind: string, params: Record<string, unknown>) {
  const r = await p.as(zhihui).post('/api/v1/risk/rules', { name: key, kind, level: 'orange', regionCode: S[street].code, params });
  expect(r.status, r.text).toBe(201);
  rules[key] = r.body.id;
}

beforeAll(async () => {
  // the scenario spans two weeks of the test clock: sessions must outlive it
  p = await testPlatform(new Date(START).toISOString(), { GONGZHI_SESSION_HOURS: '2000' });
  [zhihui, rexian, chengguan] = await Promise.all(['zhihui', 'rexian', 'chengguan'].map((u) => p.login(u)));
  await rule('threshold', 0, 'case_threshold', { minCases: 3, days: 7, area: 'grid' });
  await rule('surge', 1, 'case_surge', { windowDays: 7, baselineWindows: 1, factor: 2, minCases: 4, area: 'street', categoryPrefix: '0401' });
  await rule('keyword', 2, 'keyword', { keywords: ['讨薪', '跳楼'] });
  await rule('repeatReporter', 3, 'repeat', { by: 'reporter', minCases: 3, days: 30 });
  await rule('repeatAddress', 4, 'repeat', { by: 'address', minCases: 3, days: 30 });
  await rule('urgentOverdue', 5, 'urgent_overdue', {});
  await rule('unitOverdue', 6, 'unit_overdue_surge', { minOverdue: 2, days: 7 });
  await rule('returned', 7, 'returned_repeatedly', { minReturns: 2 });
  await rule('hotspot', 8, 'hotspot', { minCases: 3, days: 7 });
  await rule('followup', 9, 'followup_overdue', { graceDays: 0, intervalDays: 30 });
  await rule('sensorThreshold', 10, 'sensor_threshold', { sensorType: '02', metric: 'lel', op: 'gte', value: 20, quietMinutes: 30 });
  await rule('sensorOffline', 11, 'sensor_offline', { minutes: 30 });
  await rule('dispute', 12, 'dispute_risk', { minScore: 70 });
  p.risk.connectDisputes(source);
  await p.risk.start({ ticks: false, mqtt: false });
  await seedHistory();
}, 600_000);
afterAll(async () => { await p?.close(); });

/** China midnights in the scenario: the instants follow-ups fall overdue (the live ticks, as the back-test's). */
const midnights = Array.from({ length: 13 }, (_, i) => START + 16 * HOUR + i * DAY);

async function seedHistory() {
  const timeline: Array<[number, () => Promise<unknown>]> = [];
  const on = (t: number, f: () => Promise<unknown>) => timeline.push([t, f]);
  for (const m of midnights) on(m, async () => { p.clock.set(new Date(m).toISOString()); p.risk.tick(); await p.risk.settle(); });

  // threshold: grid 0 of street 0, 路灯不亮 on days 1, 2, 3 (alert), 4 (quiet), 11, 12 and 12 an hour later (alert)
  for (const t of [day(1), day(2), day(3), day(4), day(11), day(12), day(12, 60)]) on(t, () => report(0, t, { description: `路灯不亮第${t}号` }));
  // surge: 噪音扰民 in street 1 on days 1–4 (the fourth against an empty week: alert); days 12–13, four again, but against four the week before
  for (const t of [day(1, 5), day(2, 5), day(3, 5), day(4, 5), day(12, 5), day(12, 65), day(13, 5), day(13, 65)]) {
    on(t, () => report(1, t, { category: '040101', title: '噪音扰民', description: '夜间施工噪音扰民', grid: t % 2 }));
  }
  // keyword: two of three reports carry a watched word
  on(day(2, 10), () => report(2, day(2, 10), { category: '050101', title: '工资拖欠', description: '工地二十多名工人讨薪，情绪激动' }));
  on(day(3, 10), () => report(2, day(3, 10), { title: '路灯不亮', description: '路灯坏了' }));
  on(day(8, 10), () => report(2, day(8, 10), { category: '050101', title: '欠薪', description: '有工人扬言要跳楼' }));
  // repeat by reporter: one phone four times in a month (alert at the third), another phone twice
  for (const [t, phone] of [[day(1, 15), '13900001111'], [day(3, 15), '13900001111'], [day(4, 15), '13900002222'], [day(5, 15), '13900001111'],
    [day(6, 15), '13900001111'], [day(7, 15), '13900002222']] as const) on(t, () => report(3, t, { phone, description: `反映第${t}` }));
  // repeat by address: one place written three ways (alert at the third), a fourth time quiet
  for (const [t, address] of [[day(2, 20), '合阳大道12号'], [day(4, 20), '合阳大道 12 号'], [day(6, 20), '合阳大道12号 '], [day(9, 20), '合阳大道，12号']] as const) {
    on(t, () => report(4, t, { address, description: `地址反映${t}` }));
  }
  // urgent overdue: an urgent ticket overdue in two steps (two alerts), a normal one overdue (none)
  let urgent = 0;
  on(day(2, 30), async () => { urgent = await report(5, day(2, 30), { urgency: 'urgent', description: '紧急：路灯杆倾斜' }); await report(5, day(2, 31), { description: '普通件' }); });
  on(day(3, 30), () => at(day(3, 30), () => flagOverdue(p.cases)));
  on(day(3, 31), () => at(day(3, 31), () => act(rexian, urgent, 'accept')));
  on(day(4, 40), () => at(day(4, 40), () => flagOverdue(p.cases)));
  // unit overdue surge: three tickets dispatched to 城管 and all overdue at once (one alert)
  on(day(5, 10), async () => {
    for (let i = 0; i < 3; i++) {
      const id = await report(6, day(5, 10 + i), { description: `城管件${i}` });
      await at(day(5, 20 + i), async () => { await act(rexian, id, 'accept'); await act(rexian, id, 'dispatch', { leadUnitId: 'dept-chengguan' }); });
    }
  });
  on(day(6, 30), () => at(day(6, 30), () => flagOverdue(p.cases)));
  // returned repeatedly: one ticket returned twice (one alert), a third return refused by the limit; another returned once
  on(day(7, 10), async () => {
    const twice = await report(7, day(7, 10), { description: '退回件' });
    const once = await report(7, day(7, 11), { description: '退回一次' });
    let t = day(7, 20);
    // each return is reviewed by the dispatcher (退回待审) and approved, and the ticket dispatched again; a
    // ticket's returns stop at the hotline's return limit (2), so the third return of the twice-returned
    // ticket is refused
    for (const id of [twice, once, twice]) {
      await at((t += 60_000), async () => {
        const c = (await p.as(rexian).get(`/api/v1/cases/${id}`)).body;
        if (c.actions.includes('accept')) await act(rexian, id, 'accept');
        await act(rexian, id, 'dispatch', { leadUnitId: 'dept-chengguan' });
      });
      await at((t += 60_000), () => act(chengguan, id, 'return', { reason: '不属于本单位职责' }));
      await at((t += 60_000), () => act(rexian, id, 'approve_return', {}));
    }
    await at((t += 60_000), () => act(rexian, twice, 'dispatch', { leadUnitId: 'dept-chengguan' }));
    await at((t += 60_000), async () => {
      const third = await p.as(chengguan).post(`/api/v1/cases/${twice}/actions/return`, { reason: '不属于本单位职责' });
      expect(third.status, third.text).toBe(409);
    });
  });
  // hotspot: the same complaint from three people in one community within a week (alert), a fourth quiet, two unlike it
  for (const [t, title, text] of [[day(8, 40), '路灯不亮', '小区门口路灯不亮，晚上很黑'], [day(9, 40), '路灯不亮', '小区门口的路灯不亮了，晚上很黑'],
    [day(9, 50), '井盖缺失', '人行道上井盖缺失很危险'], [day(10, 40), '路灯不亮', '小区门口路灯不亮晚上很黑看不见'],
    [day(11, 40), '路灯不亮', '小区门口路灯还是不亮，晚上很黑'], [day(11, 50), '标志遮挡', '树枝挡住了交通标志']] as const) {
    on(t, () => report(8, t, { title, description: text }));
  }
  // overdue follow-ups: a label due 31 October (alert on 3 November), followed up on 4 November, due again on the 6th (alert on the 7th), then on time
  on(day(1, 50), async () => {
    const a = (await p.as(zhihui).post('/api/v1/persons', { regionCode: gridOf(9), populationType: 'registered', idNumber: idNumber(), name: '甲某' })).body.id;
    const b = (await p.as(zhihui).post('/api/v1/persons', { regionCode: gridOf(9), populationType: 'registered', idNumber: idNumber(), name: '乙某' })).body.id;
    const la = (await p.as(zhihui).post(`/api/v1/persons/${a}/labels`, { type: 'custom', customName: '重点关注', startedOn: '2026-10-01', fields: {} })).body.id;
    await p.as(zhihui).post(`/api/v1/persons/${b}/labels`, { type: 'custom', customName: '重点关注', startedOn: '2026-11-01', fields: {} });
    on(day(3, 60), () => at(day(3, 60), () => p.as(zhihui).post(`/api/v1/persons/${a}/labels/${la}/followups`,
      { kind: 'track', method: 'visit', content: '上门走访', occurredAt: new Date(day(3, 60)).toISOString(), nextDueOn: '2026-11-06' })));
    on(day(7, 60), () => at(day(7, 60), () => p.as(zhihui).post(`/api/v1/persons/${a}/labels/${la}/followups`,
      { kind: 'assist', method: 'phone', content: '电话回访', occurredAt: new Date(day(7, 60)).toISOString(), nextDueOn: '2026-11-30' })));
  });
  // dispute scores: two disputes cross 70 (alerts); one stays below; one scores again
  const score = (t: number, caseId: number, s: number) => on(t, () => at(t, async () => {
    const sc = { caseId, caseNo: `TJ${caseId}`, regionCode: gridOf(12), score: s, reasons: ['同一当事人多次纠纷'], at: new Date(t) };
    scores.push(sc);
    listener?.(sc);
  }));
  score(day(4, 70), 9001, 80); score(day(5, 70), 9002, 60); score(day(6, 70), 9001, 90); score(day(9, 70), 9003, 75);
  // sensors, on the last day: a gas sensor (threshold) and a water-level sensor (offline)
  on(day(14, 0), async () => {
    await at(day(14, 0), async () => {
      for (const [i, code, type] of [[10, 'GAS-0001', '02'], [11, 'LVL-0001', '03']] as const) {
        const r = await p.as(zhihui).post('/api/v1/things', { regionCode: gridOf(i), kind: 'sensor', name: `测试${code}`, deviceCode: code, sensorType: type });
        expect(r.status, r.text).toBe(201);
      }
    });
    const post = (t: number, code: string, values: Record<string, number>) => at(t, async () => {
      const r = await p.as(zhihui).post('/api/v1/risk/sensor-readings', { readings: [{ deviceCode: code, at: new Date(t).toISOString(), values }] });
      expect(r.status, r.text).toBe(200);
      expect(r.body.rejected).toEqual([]);
    });
    const t0 = day(14, 10);
    for (const [m, v] of [[0, 10], [1, 25], [5, 30], [40, 22], [45, 5]]) await post(t0 + m * 60_000, 'GAS-0001', { lel: v });
    for (const m of [0, 10]) await post(t0 + m * 60_000, 'LVL-0001', { level: 1.2 });
    await at(t0 + 50 * 60_000, async () => p.risk.tick());
    await post(t0 + 120 * 60_000, 'LVL-0001', { level: 1.3 });
    await at(t0 + 125 * 60_000, async () => p.risk.tick());
    await post(t0 + 130 * 60_000, 'LVL-0001', { level: 1.3 });
    await at(t0 + 170 * 60_000, async () => p.risk.tick());
  });
  timeline.sort((a, b) => a[0] - b[0]);
  // steps may add later steps (the follow-ups): run in time order until none is left
  while (timeline.length) {
    const [, f] = timeline.shift()!;
    await f();
    timeline.sort((a, b) => a[0] - b[0]);
  }
}

const END = day(14, 181);

describe('each kind of rule, live and back-tested over the same history', () => {
  for (const [key, count] of Object.entries(expected)) {
    it(`${key}: ${count} alert${count === 1 ? '' : 's'}`, async () => {
      const live = await p.as(zhihui).get(`/api/v1/risk/alerts?ruleId=${rules[key]}&pageSize=200`);
      expect(live.status).toBe(200);
      expect(live.body.total, JSON.stringify(live.body.items.map((a: any) => [a.subject, a.triggeredAt]))).toBe(count);
      const bt = await p.as(zhihui).post(`/api/v1/risk/rules/${rules[key]}/backtest`, { from: new Date(START).toISOString(), to: new Date(END).toISOString() });
      expect(bt.status, bt.text).toBe(200);
      expect(bt.body.count, JSON.stringify(bt.body.alerts.map((a: any) => [a.subject, a.at]))).toBe(count);
      // the same subjects, live and replayed
      expect(bt.body.alerts.map((a: any) => a.subject).sort()).toEqual(live.body.items.map((a: any) => a.subject).sort());
      // each hit says where, by name with its path from the district down, and (over cases) which category, by name
      for (const a of bt.body.alerts) {
        expect(a.region.code).toBe(a.regionCode);
        expect(a.region.path[0]).toEqual({ code: '500117', name: '合川区' });
        expect(a.region.path.at(-1).code).toBe(a.regionCode);
        expect(a.region.name).toBe(byCode.get(a.regionCode)!.name);
        if (OVER_CASES.has(key)) {
          expect(a.categories.length, key).toBeGreaterThan(0);
          for (const c of a.categories) expect(c.name.zh, c.code).not.toBe(c.code);
        }
      }
    });
  }

  it('names the grid and the category of each hit, not just their codes', async () => {
    const bt = await p.as(zhihui).post(`/api/v1/risk/rules/${rules.threshold}/backtest`, { from: new Date(START).toISOString(), to: new Date(END).toISOString() });
    const grid = byCode.get(gridOf(0))!;
    const community = byCode.get(grid.parentCode!)!;
    expect(bt.body.alerts[0].region).toEqual({
      code: grid.code, name: grid.name, level: 'grid',
      path: [{ code: '500117', name: '合川区' }, { code: S[0].code, name: S[0].shortName }, { code: community.code, name: community.shortName }, { code: grid.code, name: grid.shortName }],
    });
    expect(bt.body.alerts[0].categories).toEqual([{ code: '030102', name: { zh: '路灯不亮', en: 'Street lights out' } }]);
    // a surge names its rule's category group; a keyword hit the category of its case
    const surge = await p.as(zhihui).post(`/api/v1/risk/rules/${rules.surge}/backtest`, { from: new Date(START).toISOString(), to: new Date(END).toISOString() });
    expect(surge.body.alerts[0].categories.map((c: any) => c.code)).toEqual(['0401']);
    expect(surge.body.alerts[0].region).toMatchObject({ code: S[1].code, name: S[1].name, level: 'street' });
    // a draft rule's back-test names them too
    const draft = await p.as(zhihui).post('/api/v1/risk/rules/backtest', {
      kind: 'case_threshold', level: 'yellow', regionCode: S[0].code, params: { minCases: 3, days: 7, area: 'grid' }, from: new Date(START).toISOString(), to: new Date(END).toISOString(),
    });
    expect(draft.body.alerts[0].region.path.map((x: any) => x.name)).toEqual(['合川区', S[0].shortName, community.shortName, grid.shortName]);
    expect(draft.body.alerts[0].categories[0].name.zh).toBe('路灯不亮');
  });
});

/** The kinds over cases: their hits concern cases of some category. */
const OVER_CASES = new Set(['threshold', 'surge', 'keyword', 'repeatReporter', 'repeatAddress', 'urgentOverdue', 'unitOverdue', 'returned', 'hotspot']);
