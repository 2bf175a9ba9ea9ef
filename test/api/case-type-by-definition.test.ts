// A case type added only as a definition plus its categories: 物业投诉 (docs/examples/case-types), whose
// states and actions share no name with any built-in type, with a paused clock (等待业主配合) and a step
// hidden from residents (退回重新处理, 社区审核中). Everything the engine's readers do for it comes from
// the document: intake, inbox group, SLA light, the overdue flag, statistics, the portal, the console's
// dialogs (GET /workflows, OpenAPI) and the change of a 12345 ticket into this type.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { homeCommunity, homeGrid, pointIn } from '../helpers/fixtures.ts';
import { builtinCaseTypes, flagOverdue, insertResponsibilities } from '../../src/modules/cases/index.ts';

const DIR = 'docs/examples/case-types';
const doc = JSON.parse(readFileSync(`${DIR}/property-complaint.json`, 'utf8'));

let p: TestPlatform;
let shequ: string, wuye: string, jumin: string, rexian: string;
/** Sessions last 12 hours: log in again after the clock moves on. */
async function logIn() { [shequ, wuye, jumin, rexian] = await Promise.all(['shequ', 'wuye', 'jumin', 'rexian'].map((u) => p.login(u))); }
async function advance(minutes: number) { p.clock.advance(minutes); await logIn(); }
beforeAll(async () => {
  p = await testPlatform('2026-11-16T01:30:00Z', { GONGZHI_CASE_TYPES_DIR: DIR }); // Monday 09:30 in 合川
  // the property manager of the home community, as the district lists it (a community dispatches within its own
  // community, and to the units the responsibility list names for it: src/modules/cases/reach.ts)
  await insertResponsibilities(p.ctx.db, [{ categoryCode: '90', regionPrefix: homeCommunity.code, leadUnitId: 'dept-wuye', assistUnitIds: [], note: '小区物业' }]);
  await logIn();
});
afterAll(async () => { await p?.close(); });

const act = (token: string, id: number, action: string, body: Record<string, unknown> = {}) =>
  p.as(token).post(`/api/v1/cases/${id}/actions/${action}`, body);
const view = async (token: string, id: number) => (await p.as(token).get(`/api/v1/cases/${id}`)).body;
const listIds = async (token: string, query: string) => (await p.as(token).get(`/api/v1/cases?${query}&pageSize=200`)).body.items.map((c: any) => c.id);

describe('a case type added as a document', () => {
  it('shares no state or action name with a built-in type', () => {
    const builtinNames = new Set(builtinCaseTypes.flatMap((d) => [...Object.keys(d.states), ...d.actions.map((a) => a.name)]));
    const own = [...Object.keys(doc.definition.states), ...doc.definition.actions.map((a: any) => a.name)];
    expect(own.filter((n) => builtinNames.has(n))).toEqual([]);
  });

  it('is served with its states and actions, and each action is documented with its own body', async () => {
    const w = (await p.as(shequ).get('/api/v1/workflows')).body;
    const def = w.items.find((d: any) => d.type === 'property_complaint');
    expect(def.name.zh).toBe('物业投诉');
    expect(def.states.owner_wait.clock).toBe('paused');
    // the console's dialog for 交物业企业办理 is built from these fields
    expect(def.actions.find((a: any) => a.name === 'assign_manager').fields.map((f: any) => [f.name, f.kind, !!f.required]))
      .toEqual([['leadUnitId', 'unit', true], ['assistUnitIds', 'units', false], ['note', 'note', false]]);
    const api = (await p.as(null).get('/openapi.json')).body;
    const body = api.paths['/api/v1/cases/{id}/actions/assign_manager'].post.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(['leadUnitId']);
    expect(api.paths['/api/v1/cases/{id}/actions/send_back'].post.requestBody.content['application/json'].schema.required).toEqual(['reason']);
    // its categories came with it
    const cats = (await p.as(shequ).get('/api/v1/categories?type=property_complaint')).body.items.map((c: any) => c.code);
    expect(cats).toEqual(['90', '9001', '9002', '9003']);
  });

  it('runs its own workflow: inbox group, SLA light, overdue flag, paused clock, hidden step, outcome in statistics', async () => {
    const created = await p.as(jumin).post('/api/v1/cases', {
      type: 'property_complaint', categoryCode: '9001', title: '3栋电梯停运三天', description: '3栋1单元电梯停运三天，物业说在等配件，老人上下楼困难。',
      ...pointIn(homeGrid),
    });
    expect(created.status, created.text).toBe(201);
    const c = created.body;
    expect(c.caseNo).toMatch(/^WY\d{15}$/);
    expect([c.state, c.typeName.zh, c.sla.light]).toEqual(['lodged', '物业投诉', 'green']);
    // the community sees it waiting to be accepted (inbox group 待受理)
    expect(await listIds(shequ, 'inbox=true&group=intake')).toContain(c.id);
    expect(await listIds(shequ, 'inbox=true&group=handling')).not.toContain(c.id);

    // the scheduler flags it overdue once, and the light is red
    await advance(26 * 60); // Tuesday 11:30: a working day and more
    expect(await flagOverdue(p.cases)).toBeGreaterThan(0);
    expect((await view(shequ, c.id)).sla.light).toBe('red');
    expect(await listIds(shequ, 'sla=red')).toContain(c.id);

    const assigned = await act(shequ, c.id, 'assign_manager', { leadUnitId: 'dept-wuye' });
    expect(assigned.status, assigned.text).toBe(200);
    expect(assigned.body.case.state).toBe('with_manager');
    expect(await listIds(wuye, 'inbox=true')).toContain(c.id);

    // 等待业主配合: the clock pauses and keeps the time left; nothing falls overdue while paused
    const before = (await view(wuye, c.id)).sla.remainingMinutes;
    expect((await act(wuye, c.id, 'await_owner', { reason: '需业主让出电梯机房钥匙' })).body.case.state).toBe('owner_wait');
    const paused = await view(wuye, c.id);
    expect([paused.sla.light, paused.sla.dueAt, paused.sla.remainingMinutes, paused.sla.paused]).toEqual([null, null, before, true]);
    expect(await listIds(shequ, 'group=paused')).toContain(c.id);
    await advance(3 * 24 * 60);
    await flagOverdue(p.cases);
    const tl0 = (await p.as(shequ).get(`/api/v1/cases/${c.id}/timeline`)).body.items;
    expect(tl0.filter((f: any) => f.action === 'overdue')).toHaveLength(1); // only the one before the pause
    // back where it came from, with the time it had left
    const resumed = await act(wuye, c.id, 'owner_responded', {});
    expect(resumed.body.case.state).toBe('with_manager');
    expect(resumed.body.case.sla.remainingMinutes).toBe(before);
    expect(resumed.body.case.sla.light).toBe('green');

    expect((await act(wuye, c.id, 'manager_report', { note: '已更换曳引机配件，电梯恢复运行。' })).body.case.state).toBe('under_review');
    expect(await listIds(shequ, 'inbox=true&group=review')).toContain(c.id);
    expect((await act(shequ, c.id, 'send_back', { reason: '居民反映仍有异响' })).body.case.state).toBe('with_manager');
    await act(wuye, c.id, 'manager_report', { note: '已重新调校，异响消除。' });
    const done = await act(shequ, c.id, 'accept_result', {});
    expect([done.body.case.state, done.body.case.isOpen, done.body.case.outcome]).toEqual(['settled', false, 'resolved']);

    // statistics count it as closed in the period (its terminal state says resolved)
    // (the test database starts without cases: this is the community's only one)
    const stats = (await p.as(shequ).get(`/api/v1/stats/overview?region=${homeCommunity.code}&days=7`)).body;
    expect([stats.closed, stats.open, stats.overdue]).toEqual([1, 0, 0]);

    // the resident follows it on the portal: the hidden step and the hidden state are not shown
    const portal = await p.as(null).get(`/api/v1/portal/cases/${c.caseNo}?token=${c.trackingToken}`);
    expect(portal.status, portal.text).toBe(200);
    const actions = portal.body.timeline.map((f: any) => f.action);
    expect(actions).toEqual(['report', 'assign_manager', 'await_owner', 'owner_responded', 'manager_report', 'manager_report', 'accept_result']);
    expect(actions).not.toContain('send_back');
    const review = portal.body.timeline.find((f: any) => f.action === 'manager_report');
    expect([review.state, review.stateLabel.zh]).toEqual([null, '办理中']);
    expect(portal.body.outcome).toBe('resolved');
    // staff see every step
    const staff = (await p.as(shequ).get(`/api/v1/cases/${c.id}/timeline`)).body.items.map((f: any) => f.action);
    expect(staff).toContain('send_back');
    expect(staff).toContain('overdue');
  });

  it('takes a 12345 ticket over by a change of type, keeping its number and history', async () => {
    const r = await p.as(rexian).post('/api/v1/cases', {
      categoryCode: '020501', title: '小区物业乱收停车费', description: '物业每月多收停车管理费，业主多次反映无果。', ...pointIn(homeGrid),
      reporter: { name: '王强', phone: '13900002222' },
    });
    const c = r.body;
    expect(c.type).toBe('hotline');
    const wrongCategory = await act(rexian, c.id, 'change_type', { toType: 'property_complaint', reason: '属物业服务纠纷' });
    expect([wrongCategory.status, wrongCategory.body.code]).toEqual([422, 'category_type_mismatch']);
    const unknown = await act(rexian, c.id, 'change_type', { toType: 'urban', categoryCode: '9003', reason: 'x' });
    expect([unknown.status, unknown.body.code]).toEqual([422, 'conversion_not_allowed']);
    const changed = await act(rexian, c.id, 'change_type', { toType: 'property_complaint', categoryCode: '9003', reason: '属物业服务纠纷，转社区物业投诉办理' });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body.case).toMatchObject({ caseNo: c.caseNo, type: 'property_complaint', state: 'lodged', categoryCode: '9003' });
    const tl = (await p.as(shequ).get(`/api/v1/cases/${c.id}/timeline`)).body.items;
    expect(tl.map((f: any) => [f.action, f.toState])).toEqual([['report', 'reported'], ['change_type', 'lodged']]);
    expect(tl[1].data).toMatchObject({ fromType: 'hotline', toType: 'property_complaint', fromCategory: '020501', toCategory: '9003' });
    expect(tl[0].toStateLabel.zh).toBe('待受理'); // the old type's state keeps its label
    // from now on it runs as a property complaint: the community's inbox has it
    expect(await listIds(shequ, 'inbox=true&group=intake')).toContain(c.id);
  });
});
