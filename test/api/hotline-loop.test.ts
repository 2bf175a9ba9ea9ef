// The 12345 ticket's full loop and its rejection paths, through the HTTP API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { homeGrid, pointIn } from '../helpers/fixtures.ts';

let p: TestPlatform;
let op: string, dept: string, resident: string;
beforeAll(async () => {
  p = await testPlatform('2026-11-16T01:30:00Z'); // Monday 09:30 in 合川
  op = await p.login('rexian');
  dept = await p.login('chengguan');
  resident = await p.login('jumin');
});
afterAll(async () => { await p?.close(); });

async function report(token = op, extra: Record<string, unknown> = {}) {
  const r = await p.as(token).post('/api/v1/cases', {
    categoryCode: '020501', title: '久长路菜市场门口占道经营', description: '每天早上七点到九点有摊贩在人行道上摆摊，行人只能走机动车道。',
    ...pointIn(homeGrid), reporter: { name: '张建华', phone: '13800001234' }, ...extra,
  });
  expect(r.status, r.text).toBe(201);
  return r.body;
}
const act = (token: string, id: number, action: string, body: Record<string, unknown> = {}) =>
  p.as(token).post(`/api/v1/cases/${id}/actions/${action}`, body);

describe('12345 hotline ticket', () => {
  it('goes from report to a satisfied close, with a flow record for every step', async () => {
    const c = await report();
    expect(c.state).toBe('reported');
    expect(c.regionCode).toBe(homeGrid.code);
    expect(c.caseNo).toMatch(/^RX20261116\d{7}$/);
    expect(c.reporter.phoneMasked).toBe('138****1234');
    expect(JSON.stringify(c)).not.toContain('13800001234');
    expect(c.sla.light).toBe('green');
    expect(c.routing.leadUnitId).toBe('dept-chengguan');

    expect((await act(op, c.id, 'accept')).status).toBe(200);
    const d = await act(op, c.id, 'dispatch', { leadUnitId: 'dept-chengguan', assistUnitIds: ['dept-shichang'] });
    expect(d.status, d.text).toBe(200);
    expect(d.body.case.state).toBe('dispatched');
    // the department sees it in its inbox
    const inbox = await p.as(dept).get('/api/v1/cases?inbox=true');
    expect(inbox.body.items.map((x: any) => x.id)).toContain(c.id);
    expect((await act(dept, c.id, 'sign')).body.case.state).toBe('handling');
    expect((await act(dept, c.id, 'reply', { note: '已联合市场监管所劝离摊贩，设置临时疏导点。' })).body.case.state).toBe('replied');
    expect((await act(op, c.id, 'verify_pass')).body.case.state).toBe('awaiting_callback');
    const closed = await act(op, c.id, 'call_back', { rating: 'satisfied', note: '市民表示满意' });
    expect(closed.body.case.state).toBe('closed');
    expect(closed.body.case.isOpen).toBe(false);

    const tl = await p.as(op).get(`/api/v1/cases/${c.id}/timeline`);
    expect(tl.body.items.map((f: any) => f.action)).toEqual(['report', 'accept', 'dispatch', 'sign', 'reply', 'verify_pass', 'call_back']);
    expect(tl.body.items.map((f: any) => f.seq)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(tl.body.items[6].toState).toBe('closed');
  });

  it('reopens for redo automatically after 不满意, back to the same department', async () => {
    const c = await report();
    await act(op, c.id, 'accept');
    await act(op, c.id, 'dispatch', { leadUnitId: 'dept-chengguan' });
    await act(dept, c.id, 'sign');
    await act(dept, c.id, 'reply', { note: '已处理' });
    await act(op, c.id, 'verify_pass');
    const r = await act(op, c.id, 'call_back', { rating: 'unsatisfied', note: '摊贩第二天又来了' });
    expect(r.status, r.text).toBe(200);
    expect(r.body.auto).toEqual(['redo']);
    expect(r.body.case.state).toBe('dispatched');
    expect(r.body.case.redoCount).toBe(1);
    expect(r.body.case.leadUnitId).toBe('dept-chengguan');
    const tl = await p.as(op).get(`/api/v1/cases/${c.id}/timeline`);
    const last = tl.body.items.slice(-2);
    expect(last.map((f: any) => [f.action, f.toState, f.actorKind])).toEqual([
      ['call_back', 'reopened', 'user'], ['redo', 'dispatched', 'system']]);
    // and the department can work it again
    expect((await act(dept, c.id, 'sign')).body.case.state).toBe('handling');
  });

  it('lets the resident who reported rate their own ticket', async () => {
    const c = await report(resident, { reporter: undefined });
    await act(op, c.id, 'accept');
    await act(op, c.id, 'answer_directly', { note: '已解释政策' });
    const other = await act(dept, c.id, 'rate', { rating: 'satisfied' });
    expect(other.status).toBe(404); // the department never had this case
    const r = await act(resident, c.id, 'rate', { rating: 'basically_satisfied' });
    expect(r.status, r.text).toBe(200);
    expect(r.body.case.state).toBe('closed');
    expect(r.body.case.rating).toBe('basically_satisfied');
  });

  it('returns a wrong dispatch for re-dispatch, with the reason on record', async () => {
    const c = await report();
    await act(op, c.id, 'accept');
    await act(op, c.id, 'dispatch', { leadUnitId: 'dept-chengguan' });
    const noReason = await act(dept, c.id, 'return', {});
    expect(noReason.status).toBe(400);
    expect(noReason.body.code).toBe('missing_field');
    const r = await act(dept, c.id, 'return', { reason: '属于市场监管职责' });
    // the return waits for the unit that dispatched (三级派单: returns are reviewed), then takes effect
    expect(r.body.case.state).toBe('return_review');
    const approved = await act(op, c.id, 'approve_return', { note: '同意，改派市场监管局' });
    expect(approved.body.case.state).toBe('accepted');
    expect(approved.body.case.leadUnitId).toBeNull();
    expect((await p.as(dept).get(`/api/v1/cases?inbox=true`)).body.items.map((x: any) => x.id)).not.toContain(c.id);
    const again = await act(op, c.id, 'dispatch', { leadUnitId: 'dept-shichang' });
    expect(again.body.case.leadUnitId).toBe('dept-shichang');
    expect((await act(dept, c.id, 'sign')).status).toBe(403);
  });

  it('extends the handling deadline only after approval', async () => {
    const c = await report();
    await act(op, c.id, 'accept');
    await act(op, c.id, 'dispatch', { leadUnitId: 'dept-chengguan' });
    const signed = (await act(dept, c.id, 'sign')).body.case;
    expect((await act(op, c.id, 'approve_extension')).status).toBe(409);
    const req = await act(dept, c.id, 'request_extension', { extensionMinutes: 840, reason: '需协调' });
    expect(req.body.case.sla.dueAt).toBe(signed.sla.dueAt);
    expect((await act(dept, c.id, 'request_extension', { extensionMinutes: 60, reason: 'x' })).status).toBe(409);
    const ok = await act(op, c.id, 'approve_extension');
    expect(ok.status, ok.text).toBe(200);
    expect(new Date(ok.body.case.sla.dueAt).getTime()).toBeGreaterThan(new Date(signed.sla.dueAt).getTime());
    expect(ok.body.case.sla.limitMinutes).toBe(signed.sla.limitMinutes + 840);
  });

  it('rejects (不予受理) with a reason and ends there', async () => {
    const c = await report();
    const r = await act(op, c.id, 'reject', { reason: '重复来电，已并入原工单' });
    expect(r.body.case.state).toBe('rejected');
    expect((await act(op, c.id, 'accept')).status).toBe(409);
  });

  it('merges a duplicate into the open original', async () => {
    const a = await report();
    const b = await report();
    const m = await act(op, b.id, 'merge', { intoCaseId: a.id });
    expect(m.status, m.text).toBe(200);
    expect(m.body.case.state).toBe('merged');
    expect(m.body.case.mergedInto).toBe(a.id);
    const tl = await p.as(op).get(`/api/v1/cases/${a.id}/timeline`);
    expect(tl.body.items.at(-1).action).toBe('merged_in');
  });
});
