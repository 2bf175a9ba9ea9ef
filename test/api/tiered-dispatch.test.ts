// 三级派单 through the HTTP API (hotline v5): the district dispatches to a street or a department, never
// straight to a community; the street that leads a ticket passes it on to a community or unit of its own
// street; each level is a flow record. Returns wait for the unit that dispatched: approved, the ticket
// goes back one level; refused, back to the handler; at most returnLimit returns. Extensions and the
// reply's verification are the dispatching unit's; 督办 carries its level and deadline and is counted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { homeCommunity, homeGrid, homeStreet, otherStreet, communities, pointIn } from '../helpers/fixtures.ts';

let p: TestPlatform;
let op: string, street: string, community: string, dept: string, cmd: string, otherCentre: string;
const streetUnit = `sc-${homeStreet.code}`;
const communityUnit = `cm-${homeCommunity.code}`;
const foreignCommunity = `cm-${communities.find((c) => c.parentCode === otherStreet.code)!.code}`;

beforeAll(async () => {
  p = await testPlatform('2026-11-16T01:30:00Z');
  [op, street, community, dept, cmd] = [await p.login('rexian'), await p.login('jiedao'), await p.login('shequ'), await p.login('chengguan'), await p.login('zhihui')];
  otherCentre = await p.login(`jd${otherStreet.code}`);
});
afterAll(async () => { await p?.close(); });

const act = (token: string, id: number, action: string, body: Record<string, unknown> = {}) =>
  p.as(token).post(`/api/v1/cases/${id}/actions/${action}`, body);

async function accepted() {
  const r = await p.as(op).post('/api/v1/cases', {
    categoryCode: '030102', title: '小区路灯不亮', description: '3栋门口两盏路灯连续一周不亮。', ...pointIn(homeGrid),
    reporter: { name: '王五', phone: '13800005678' }, appealKind: 'help',
  });
  expect(r.status, r.text).toBe(201);
  expect(r.body.workflowVersion).toBe(5);
  expect((await act(op, r.body.id, 'accept')).status).toBe(200);
  return r.body.id as number;
}

async function atCommunity() {
  const id = await accepted();
  expect((await act(op, id, 'dispatch', { leadUnitId: streetUnit })).status).toBe(200);
  const r = await act(street, id, 'redispatch', { leadUnitId: communityUnit, note: '请社区现场核实' });
  expect(r.status, r.text).toBe(200);
  return id;
}

describe('三级派单', () => {
  it('goes district → street → community, each level a flow record', async () => {
    const id = await accepted();
    // the district may not skip the street
    const skip = await act(op, id, 'dispatch', { leadUnitId: communityUnit });
    expect(skip.status).toBe(422);
    expect(skip.body.code).toBe('unit_not_dispatchable');
    const d = await act(op, id, 'dispatch', { leadUnitId: streetUnit });
    expect(d.body.case).toMatchObject({ state: 'dispatched', leadUnitId: streetUnit });
    // the street finds it in its inbox, and re-dispatches it to one of its communities
    expect((await p.as(street).get('/api/v1/cases?inbox=true')).body.items.map((x: any) => x.id)).toContain(id);
    const r = await act(street, id, 'redispatch', { leadUnitId: communityUnit, note: '请社区现场核实' });
    expect(r.status, r.text).toBe(200);
    expect(r.body.case).toMatchObject({ state: 'dispatched', leadUnitId: communityUnit });
    expect((await p.as(community).get('/api/v1/cases?inbox=true')).body.items.map((x: any) => x.id)).toContain(id);
    const tl = (await p.as(op).get(`/api/v1/cases/${id}/timeline`)).body.items;
    expect(tl.map((f: any) => f.action)).toEqual(['report', 'accept', 'dispatch', 'redispatch']);
    expect(tl[2].data).toMatchObject({ leadUnitId: streetUnit, level: 'district' });
    expect(tl[3].data).toMatchObject({ leadUnitId: communityUnit, level: 'street', from: streetUnit });
    expect(tl[3].unit.id).toBe(streetUnit);
  });

  it('keeps a street to its own communities, and to tickets it leads', async () => {
    const id = await accepted();
    await act(op, id, 'dispatch', { leadUnitId: streetUnit });
    expect((await act(street, id, 'redispatch', { leadUnitId: foreignCommunity })).status).toBe(422);
    expect((await act(street, id, 'redispatch', { leadUnitId: streetUnit })).status).toBe(422);
    // another street's centre does not lead it (and does not see it)
    expect((await act(otherCentre, id, 'redispatch', { leadUnitId: foreignCommunity })).status).toBe(404);
    // a department dispatched by the district cannot pass it on
    const other = await accepted();
    await act(op, other, 'dispatch', { leadUnitId: 'dept-chengguan' });
    expect((await act(dept, other, 'redispatch', { leadUnitId: communityUnit })).status).toBe(403);
  });

  it('has the street verify what it dispatched, not the operator', async () => {
    const id = await atCommunity();
    await act(community, id, 'sign');
    await act(community, id, 'reply', { note: '已联系供电所更换灯泡，路灯恢复照明。' });
    expect((await act(op, id, 'verify_pass')).status).toBe(403);
    const v = await act(street, id, 'verify_pass', { note: '现场核实已亮' });
    expect(v.status, v.text).toBe(200);
    expect(v.body.case.state).toBe('awaiting_callback');
  });
});

describe('退回 reviewed by the dispatching unit', () => {
  it('takes effect only when the dispatcher approves: back to the street that re-dispatched it', async () => {
    const id = await atCommunity();
    const r = await act(community, id, 'return', { reason: '该路灯属于市政道路，不属于小区' });
    expect(r.body.case.state).toBe('return_review');
    expect(r.body.case.leadUnitId).toBe(communityUnit); // still theirs until reviewed
    // the operator did not dispatch it to the community: the street reviews
    expect((await act(op, id, 'approve_return')).status).toBe(403);
    expect((await p.as(street).get('/api/v1/cases?inbox=true')).body.items.map((x: any) => x.id)).toContain(id);
    const ok = await act(street, id, 'approve_return', { note: '同意，街道另行安排' });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.case).toMatchObject({ state: 'handling', leadUnitId: streetUnit });
    // the street may pass it on again (now to a department of its street? none: handle it or re-dispatch)
    expect(ok.body.case.actions).toContain('redispatch');
  });

  it('goes back to be dispatched again when the district approves a first-level return', async () => {
    const id = await accepted();
    await act(op, id, 'dispatch', { leadUnitId: 'dept-chengguan' });
    await act(dept, id, 'sign');
    await act(dept, id, 'return', { reason: '属于供电公司职责' });
    const ok = await act(op, id, 'approve_return', {});
    expect(ok.body.case).toMatchObject({ state: 'accepted', leadUnitId: null });
  });

  it('goes back to the handler when refused, with its clock running on', async () => {
    const id = await atCommunity();
    await act(community, id, 'sign');
    const before = (await p.as(op).get(`/api/v1/cases/${id}`)).body.sla;
    await act(community, id, 'return', { reason: '人手不足' });
    const no = await act(street, id, 'reject_return', { reason: '属于社区职责，请继续办理' });
    expect(no.status, no.text).toBe(200);
    expect(no.body.case).toMatchObject({ state: 'handling', leadUnitId: communityUnit });
    expect(no.body.case.sla.limitMinutes).toBe(before.limitMinutes);
  });

  it('allows at most two returns per ticket', async () => {
    const id = await atCommunity();
    for (let i = 0; i < 2; i++) {
      expect((await act(community, id, 'return', { reason: `第${i + 1}次退回` })).body.case.state).toBe('return_review');
      await act(street, id, 'reject_return', { reason: '请继续办理' });
    }
    const third = await act(community, id, 'return', { reason: '第三次退回' });
    expect(third.status).toBe(409);
    expect(third.body.code).toBe('precondition_failed');
  });

  it('has the dispatching street decide an extension, not the operator', async () => {
    const id = await atCommunity();
    await act(community, id, 'sign');
    await act(community, id, 'request_extension', { extensionMinutes: 840, reason: '需协调供电所' });
    expect((await act(op, id, 'approve_extension')).status).toBe(403);
    expect((await act(street, id, 'approve_extension')).status).toBe(200);
  });
});

describe('督办', () => {
  it('carries the supervisor\'s level and a deadline, and is counted', async () => {
    const id = await atCommunity();
    const s1 = await act(street, id, 'supervise_deadline', { superviseMinutes: 420, note: '请今日内办结' });
    expect(s1.status, s1.text).toBe(200);
    const s2 = await act(cmd, id, 'supervise_deadline', { superviseMinutes: 840 });
    expect(s2.body.case.supervised).toBe(true);
    const tl = (await p.as(op).get(`/api/v1/cases/${id}/timeline`)).body.items.filter((f: any) => f.action === 'supervise_deadline');
    expect(tl.map((f: any) => [f.data.level, f.data.count])).toEqual([['street', 1], ['district', 2]]);
    expect(new Date(tl[0].data.dueAt).getTime()).toBeGreaterThan(new Date('2026-11-16T01:30:00Z').getTime());
    expect((await act(op, id, 'supervise_deadline', { superviseMinutes: 60 })).status).toBe(403);
    expect((await act(street, id, 'supervise_deadline', {})).status).toBe(400);
  });
});
