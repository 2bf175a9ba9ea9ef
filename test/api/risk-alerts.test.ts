// The risk register and alerts end to end: a hazard through 交办 → 化解 → 销号 with its register; a grid
// event changed into a hazard; an alert delivered over SSE to the street and the command centre (and not
// to another street), then acknowledged, assigned, turned into a case or dismissed, each step recorded;
// rules edited into versions and back-tested version by version; refusals as problem+json.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblemStatus, testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { homeGrid, homeStreet, otherGrid, otherStreet, pointIn } from '../helpers/fixtures.ts';
import { openSse, type SseClient } from '../helpers/sse.ts';

let p: TestPlatform;
let base = '';
const t: Record<string, string> = {};
const streams: SseClient[] = [];
let keywordRule = 0;

beforeAll(async () => {
  p = await testPlatform('2026-11-16T01:00:00Z', { GONGZHI_EVENTS_POLL_MS: '50' });
  for (const u of ['zhihui', 'jiedao', 'shequ', 'wangge', 'rexian', 'chengguan', 'zhujian', 'ranqi', 'jumin', `jd${otherStreet.code}`]) t[u] = await p.login(u);
  t.otherStreet = t[`jd${otherStreet.code}`];
  await p.http.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(p.http.server.address() as { port: number }).port}`;
  await p.risk.start({ ticks: false, mqtt: false });
  const r = await p.as(t.zhihui).post('/api/v1/risk/rules', { name: '涉稳关键词', kind: 'keyword', level: 'red', params: { keywords: ['讨薪', '集访'] } });
  expect(r.status, r.text).toBe(201);
  keywordRule = r.body.id;
  await p.risk.settle();
});
afterAll(async () => {
  for (const s of streams) s.close();
  await p?.close();
});

const stream = (token: string) => {
  const s = openSse(`${base}/api/v1/events`, { authorization: `Bearer ${token}` });
  streams.push(s);
  return s;
};
const ticket = async (grid: typeof homeGrid, description: string) => {
  const r = await p.as(t.rexian).post('/api/v1/cases', { categoryCode: '050101', title: '拖欠工资', description, ...pointIn(grid) });
  expect(r.status, r.text).toBe(201);
  return r.body.id as number;
};
const action = async (who: string, id: number, name: string, body: Record<string, unknown> = {}) => {
  const r = await p.as(t[who]).post(`/api/v1/cases/${id}/actions/${name}`, body);
  expect(r.status, r.text).toBe(200);
  return r.body;
};

describe('the risk register (隐患台账)', () => {
  it('registers a hazard, tasks it out, records measures, and writes it off with its case', async () => {
    const r = await p.as(t.jiedao).post('/api/v1/risk/hazards', {
      categoryCode: '600102', title: '餐馆液化气瓶露天存放', description: '某餐馆后院违规存放液化气瓶8个', ...pointIn(homeGrid),
      level: 'orange', source: 'inspection', responsibleName: '张站长', measures: '立即清理，改用管道燃气', rectifyBy: '2026-11-20',
    });
    expect(r.status, r.text).toBe(201);
    const h = r.body;
    expect(h).toMatchObject({ kind: 'hazard', level: 'orange', source: 'inspection', hazardType: '600102', responsibleName: '张站长', rectifyBy: '2026-11-20', isOpen: true });
    expect(h.caseNo).toMatch(/^YH/);
    // the status is the case's
    const c = (await p.as(t.jiedao).get(`/api/v1/cases/${h.caseId}`)).body;
    expect(c.type).toBe('hazard');
    expect(h.state).toBe(c.state);
    await action('jiedao', h.caseId, 'task_out', { leadUnitId: 'dept-ranqi', note: '三日内整改到位' });
    await action('ranqi', h.caseId, 'report_measure', { note: '已清走气瓶5个' });
    await action('ranqi', h.caseId, 'report_defused', { note: '气瓶已全部清走，签订承诺书' });
    await action('jiedao', h.caseId, 'write_off', { note: '现场核查已消除' });
    await p.risk.settle();
    const after = (await p.as(t.jiedao).get(`/api/v1/risk/hazards/${h.caseId}`)).body;
    expect(after.isOpen).toBe(false);
    expect(after.writtenOffAt).not.toBeNull();
    expect(after.leadUnitId).toBe('dept-ranqi');
    expect(after.history.map((x: any) => x.what)).toEqual(['registered', 'measure', 'measure', 'struck_off']);
    expect(after.history[0]).toMatchObject({ changes: { level: 'orange', source: 'inspection', responsibleName: '张站长' } });
    // the department that held it sees it; another street does not
    expect((await p.as(t.otherStreet).get(`/api/v1/risk/hazards/${h.caseId}`)).status).toBe(404);
    const open = (await p.as(t.jiedao).get('/api/v1/risk/hazards?open=true')).body.items.map((x: any) => x.caseId);
    expect(open).not.toContain(h.caseId);
  });

  it('takes a grid event changed into a hazard (change_type), keeping its number', async () => {
    const e = await p.as(t.wangge).post('/api/v1/cases', { categoryCode: '110302', title: '楼道飞线充电', description: '3栋楼道电动车飞线充电', ...pointIn(homeGrid) });
    expect(e.status, e.text).toBe(201);
    const id = e.body.id;
    await action('shequ', id, 'change_type', { toType: 'hazard', categoryCode: '600104', reason: '属用电安全隐患，纳入隐患台账' });
    await p.risk.settle();
    const h = await p.as(t.shequ).get(`/api/v1/risk/hazards/${id}`);
    expect(h.status, h.text).toBe(200);
    expect(h.body).toMatchObject({ caseNo: e.body.caseNo, hazardType: '600104', kind: 'hazard', level: 'yellow', isOpen: true });
    expect(h.body.state).toBe((await p.as(t.shequ).get(`/api/v1/cases/${id}`)).body.state);
    const list = await p.as(t.zhihui).get(`/api/v1/risk/hazards?region=${homeStreet.code}&level=yellow`);
    expect(list.body.items.map((x: any) => x.caseId)).toContain(id);
    expect(list.body.byLevel.yellow).toBeGreaterThanOrEqual(1);
  });

  it('edits the register as facts, and refuses what is not right', async () => {
    const r = await p.as(t.shequ).post('/api/v1/risk/hazards', {
      categoryCode: '600201', title: '某小区业主拟聚集维权', description: '业主群讨论周末到售楼部聚集', regionCode: homeGrid.code, level: 'red',
    });
    expect(r.status, r.text).toBe(201);
    expect(r.body.kind).toBe('instability');
    const id = r.body.caseId;
    const patched = await p.as(t.shequ).send('PATCH', `/api/v1/risk/hazards/${id}`, { level: 'orange', measures: '社区与业主代表约谈' });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body.history.at(-1)).toMatchObject({ what: 'edited', changes: { level: 'orange', measures: '社区与业主代表约谈' } });
    expectProblemStatus(await p.as(t.shequ).send('PATCH', `/api/v1/risk/hazards/${id}`, { level: 'purple' }), 400, 'validation_failed');
    expectProblemStatus(await p.as(t.shequ).send('PATCH', `/api/v1/risk/hazards/${id}`, {}), 400);
    expectProblemStatus(await p.as(t.shequ).send('PATCH', `/api/v1/risk/hazards/${id}`, { responsibleUnitId: 'no-such-unit' }), 422, 'unknown_unit');
    expectProblemStatus(await p.as(t.otherStreet).send('PATCH', `/api/v1/risk/hazards/${id}`, { level: 'blue' }), 404);
    expectProblemStatus(await p.as(t.jumin).get('/api/v1/risk/hazards'), 403);
    expectProblemStatus(await p.as(t.shequ).post('/api/v1/risk/hazards', { categoryCode: '030102', title: 'x', description: 'y', regionCode: homeGrid.code }), 422, 'category_type_mismatch');
    expectProblemStatus(await p.as(t.shequ).post('/api/v1/risk/hazards', { categoryCode: '600101', title: 'x', description: 'y', regionCode: otherGrid.code }), 422, 'outside_scope');
    expectProblemStatus(await p.as(t.chengguan).post('/api/v1/risk/hazards', { categoryCode: '600101', title: 'x', description: 'y', regionCode: homeGrid.code }), 403);
  });
});

describe('alerts: delivery and handling', () => {
  it('reaches the command centre and the street over SSE, not another street; handled step by step', async () => {
    const centre = stream(t.zhihui);
    const street = stream(t.jiedao);
    const other = stream(t.otherStreet);
    await Promise.all([centre.status, street.status, other.status]);
    await new Promise((r) => setTimeout(r, 100));
    const id = await ticket(homeGrid, '工地三十多名工人讨薪，扬言集访');
    const raised = (e: { event: string; data: any }) => e.event === 'alert.raised' && e.data.ruleId === keywordRule && e.data.facts?.caseNo != null;
    const seen = await centre.waitFor(raised, 3000);
    await street.waitFor(raised, 3000);
    expect(seen.data).toMatchObject({ kind: 'keyword', level: 'red', facts: { keywords: ['讨薪', '集访'] } });
    await new Promise((r) => setTimeout(r, 300));
    expect(other.events.filter(raised)).toEqual([]);
    const alertId = seen.data.alertId;
    const a = (await p.as(t.jiedao).get(`/api/v1/risk/alerts/${alertId}`)).body;
    expect(a).toMatchObject({ status: 'open', caseIds: [id], responsibleUnitId: `sc-${homeStreet.code}`, ruleVersion: 1 });
    // the cases it is about by their numbers (the console links them as such, not as 「#133」)
    const caseNo = (await p.as(t.jiedao).get(`/api/v1/cases/${id}`)).body.caseNo;
    expect(a.cases).toEqual([{ id, caseNo }]);
    expect(caseNo).toMatch(/^[A-Z]{2}\d+$/);
    // another street neither sees nor handles it
    expectProblemStatus(await p.as(t.otherStreet).get(`/api/v1/risk/alerts/${alertId}`), 404);
    expectProblemStatus(await p.as(t.otherStreet).post(`/api/v1/risk/alerts/${alertId}/acknowledge`, {}), 404);
    // acknowledge, assign to 人社 … the department then sees it in its list
    expect((await p.as(t.jiedao).post(`/api/v1/risk/alerts/${alertId}/acknowledge`, { note: '已知悉' })).body.status).toBe('acknowledged');
    expect((await p.as(t.jiedao).post(`/api/v1/risk/alerts/${alertId}/assign`, { unitId: 'dept-zhujian', note: '请核实工程款' })).body.status).toBe('assigned');
    const dept = await p.as(t.zhujian).get('/api/v1/risk/alerts?pending=true');
    expect(dept.body.items.map((x: any) => x.id)).toContain(alertId);
    expect((await p.as(t.chengguan).get('/api/v1/risk/alerts')).body.items.map((x: any) => x.id)).not.toContain(alertId);
    // … and the command centre turns it into a case
    const conv = await p.as(t.zhihui).post(`/api/v1/risk/alerts/${alertId}/convert`, { categoryCode: '600202', note: '纳入隐患台账跟踪' });
    expect(conv.status, conv.text).toBe(201);
    const hazard = (await p.as(t.zhihui).get(`/api/v1/risk/hazards/${conv.body.caseId}`)).body;
    expect(hazard).toMatchObject({ source: 'alert', alertId, level: 'red', hazardType: '600202' });
    expect(hazard.title).toContain('涉稳关键词');
    const done = (await p.as(t.zhihui).get(`/api/v1/risk/alerts/${alertId}`)).body;
    expect(done.status).toBe('converted');
    expect(done.caseId).toBe(conv.body.caseId);
    expect(done.actions.map((x: any) => x.action)).toEqual(['raise', 'acknowledge', 'assign', 'convert']);
    expect(done.actions[2]).toMatchObject({ unitId: `sc-${homeStreet.code}`, note: '请核实工程款', data: { unitId: 'dept-zhujian' } });
    // a converted alert is done
    expectProblemStatus(await p.as(t.jiedao).post(`/api/v1/risk/alerts/${alertId}/dismiss`, { reason: '误报' }), 409, 'alert_closed');
    expectProblemStatus(await p.as(t.zhihui).post(`/api/v1/risk/alerts/${alertId}/convert`, { categoryCode: '600202' }), 422, 'alert_closed');
    // the handling reached the consoles too
    await centre.waitFor((e) => e.event === 'alert.handled' && e.data.alertId === alertId && e.data.action === 'convert');
  });

  it('is dismissed only with a reason, and the same case raises no second alert', async () => {
    const id = await ticket(homeGrid, '讨薪的工人已经离开');
    await p.risk.settle();
    const list = (await p.as(t.jiedao).get(`/api/v1/risk/alerts?ruleId=${keywordRule}&pending=true`)).body;
    const mine = list.items.find((a: any) => a.caseIds.includes(id));
    expectProblemStatus(await p.as(t.jiedao).post(`/api/v1/risk/alerts/${mine.id}/dismiss`, {}), 400, 'validation_failed');
    expectProblemStatus(await p.as(t.jiedao).post(`/api/v1/risk/alerts/${mine.id}/dismiss`, { reason: '  ' }), 400, 'validation_failed');
    expectProblemStatus(await p.as(t.jiedao).post(`/api/v1/risk/alerts/${mine.id}/assign`, { unitId: 'nobody' }), 422, 'unknown_unit');
    const d = await p.as(t.jiedao).post(`/api/v1/risk/alerts/${mine.id}/dismiss`, { reason: '工人已领到工资，无聚集风险' });
    expect(d.body.status).toBe('dismissed');
    expect(d.body.actions.at(-1)).toMatchObject({ action: 'dismiss', note: '工人已领到工资，无聚集风险' });
    // a grid worker reads alerts but does not handle them; residents do neither
    expectProblemStatus(await p.as(t.wangge).post(`/api/v1/risk/alerts/${mine.id}/acknowledge`, {}), 403);
    expectProblemStatus(await p.as(t.jumin).get('/api/v1/risk/alerts'), 403);
    // the same case again (an action on it) raises nothing new
    await action('rexian', id, 'accept');
    await p.risk.settle();
    const again = (await p.as(t.zhihui).get(`/api/v1/risk/alerts?ruleId=${keywordRule}`)).body.items.filter((a: any) => a.caseIds.includes(id));
    expect(again).toHaveLength(1);
  });
});

describe('rules are versioned data', () => {
  it('edits into a new version, keeps the old, and back-tests either', async () => {
    const from = '2026-11-15T00:00:00Z';
    const to = new Date(p.clock.now.getTime() + 60_000).toISOString();
    const v1 = (await p.as(t.zhihui).post(`/api/v1/risk/rules/${keywordRule}/backtest`, { from, to })).body;
    expect(v1.count).toBe(2);
    const edited = await p.as(t.zhihui).send('PATCH', `/api/v1/risk/rules/${keywordRule}`, { params: { keywords: ['集访'] }, note: '只看集访', version: 1 });
    expect(edited.status, edited.text).toBe(200);
    expect(edited.body.version).toBe(2);
    expect(edited.body.versions.map((v: any) => [v.version, v.params.keywords, v.note])).toEqual([[2, ['集访'], '只看集访'], [1, ['讨薪', '集访'], null]]);
    expect((await p.as(t.zhihui).post(`/api/v1/risk/rules/${keywordRule}/backtest`, { from, to })).body.count).toBe(1);
    expect((await p.as(t.zhihui).post(`/api/v1/risk/rules/${keywordRule}/backtest`, { from, to, version: 1 })).body.count).toBe(2);
    // an edit of a version someone else has replaced is refused, not merged
    expectProblemStatus(await p.as(t.zhihui).send('PATCH', `/api/v1/risk/rules/${keywordRule}`, { level: 'blue', version: 1 }), 409, 'rule_changed');
    // a draft is back-tested without being saved
    const draft = await p.as(t.zhihui).post('/api/v1/risk/rules/backtest', { kind: 'keyword', params: { keywords: ['工人'] }, from, to });
    expect(draft.status, draft.text).toBe(200);
    expect(draft.body.count).toBe(2);
    expect((await p.as(t.zhihui).get('/api/v1/risk/rules')).body.items).toHaveLength(1);
  });

  it('refuses rules that cannot run, and rules outside the author\'s region', async () => {
    const bad = await p.as(t.zhihui).post('/api/v1/risk/rules', { name: 'x', kind: 'case_threshold', level: 'red', params: { minCases: 0, days: 7 } });
    expectProblemStatus(bad, 422, 'invalid_rule_params');
    expect(bad.body.errors[0].path).toBe('params.minCases');
    expectProblemStatus(await p.as(t.zhihui).post('/api/v1/risk/rules', { name: 'x', kind: 'no_such_kind', level: 'red', params: {} }), 400, 'validation_failed');
    expectProblemStatus(await p.as(t.zhihui).post('/api/v1/risk/rules', { name: 'x', kind: 'keyword', level: 'red', params: { keywords: [] } }), 422, 'invalid_rule_params');
    expectProblemStatus(await p.as(t.jiedao).post('/api/v1/risk/rules', { name: 'x', kind: 'keyword', level: 'red', regionCode: otherStreet.code, params: { keywords: ['a'] } }), 404);
    expectProblemStatus(await p.as(t.shequ).post('/api/v1/risk/rules', { name: 'x', kind: 'keyword', level: 'red', params: { keywords: ['a'] } }), 403);
    // a street centre reads the district's rule but cannot change it
    const seen = (await p.as(t.jiedao).get(`/api/v1/risk/rules/${keywordRule}`)).body;
    expect(seen.editable).toBe(false);
    expectProblemStatus(await p.as(t.jiedao).send('PATCH', `/api/v1/risk/rules/${keywordRule}`, { level: 'blue' }), 403);
    expectProblemStatus(await p.as(t.zhihui).post(`/api/v1/risk/rules/${keywordRule}/backtest`, { from: '2026-11-15T00:00:00Z', to: '2026-10-01T00:00:00Z' }), 400);
    expectProblemStatus(await p.as(t.zhihui).post(`/api/v1/risk/rules/${keywordRule}/backtest`, { from: '2026-01-01T00:00:00Z', to: '2026-11-15T00:00:00Z' }), 400);
  });
});

describe('alerts a rule turns into cases by itself', () => {
  it('stay in the inbox as 已转案件 with the case\'s number, beside the pending ones, for a week', async () => {
    const rule = await p.as(t.zhihui).post('/api/v1/risk/rules', {
      name: '群体聚集自动立案', kind: 'keyword', level: 'red', params: { keywords: ['堵路'], autoCase: { categoryCode: '600201' } },
    });
    expect(rule.status, rule.text).toBe(201);
    await p.risk.settle();
    const id = await ticket(homeGrid, '二十多名村民堵路讨说法');
    await p.risk.settle();
    const all = (await p.as(t.zhihui).get(`/api/v1/risk/alerts?ruleId=${rule.body.id}`)).body.items;
    expect(all).toHaveLength(1);
    const alert = all[0];
    expect(alert).toMatchObject({ status: 'converted', caseIds: [id], autoConverted: true });
    const hazard = (await p.as(t.zhihui).get(`/api/v1/risk/hazards/${alert.caseId}`)).body;
    expect(alert.caseNo).toBe(hazard.caseNo);
    expect(hazard.caseNo).toMatch(/^YH/);
    // not waiting for anyone: not in the pending list, but in the inbox of the command centre and the street
    expect((await p.as(t.zhihui).get('/api/v1/risk/alerts?pending=true')).body.items.map((a: any) => a.id)).not.toContain(alert.id);
    for (const who of ['zhihui', 'jiedao']) {
      const inbox = (await p.as(t[who]).get('/api/v1/risk/alerts?inbox=true')).body;
      expect(inbox.items.find((a: any) => a.id === alert.id), who).toMatchObject({ status: 'converted', autoConverted: true, caseNo: hazard.caseNo });
      // the pending ones are there too
      expect(inbox.items.every((a: any) => a.autoConverted || ['open', 'acknowledged', 'assigned'].includes(a.status)), who).toBe(true);
    }
    expect((await p.as(t.otherStreet).get('/api/v1/risk/alerts?inbox=true')).body.items.map((a: any) => a.id)).not.toContain(alert.id);
    // its history says the rule did it
    const detail = (await p.as(t.zhihui).get(`/api/v1/risk/alerts/${alert.id}`)).body;
    expect(detail.actions.map((a: any) => [a.action, a.data?.auto ?? null])).toEqual([['raise', null], ['convert', true]]);
    // one converted by a person is not "by itself": it leaves the inbox at once
    const manual = (await p.as(t.zhihui).get(`/api/v1/risk/alerts?ruleId=${keywordRule}&status=converted`)).body.items[0];
    expect(manual.autoConverted).toBe(false);
    expect((await p.as(t.zhihui).get('/api/v1/risk/alerts?inbox=true')).body.items.map((a: any) => a.id)).not.toContain(manual.id);
    // a week on, it leaves the inbox; the full list keeps it
    const now = p.clock.now.toISOString();
    p.clock.set(new Date(p.clock.now.getTime() + 8 * 86_400_000).toISOString());
    try {
      const later = await p.login('zhihui'); // the morning's session has expired by then
      expect((await p.as(later).get('/api/v1/risk/alerts?inbox=true')).body.items.map((a: any) => a.id)).not.toContain(alert.id);
      expect((await p.as(later).get('/api/v1/risk/alerts')).body.items.map((a: any) => a.id)).toContain(alert.id);
    } finally {
      p.clock.set(now);
    }
    // the rule stops turning alerts into cases, so that the rest of this file is as before
    expect((await p.as(t.zhihui).send('PATCH', `/api/v1/risk/rules/${rule.body.id}`, { enabled: false, version: 1 })).status).toBe(200);
    await p.risk.settle();
  });
});
