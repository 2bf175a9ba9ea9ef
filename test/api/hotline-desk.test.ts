// The hotline's working habits through the HTTP API: the caller's history by phone (keyed hash), lists
// searched by a full phone number, 诉求类型 on tickets, 即时办结 without a location, merge by case number
// and the merged duplicate's caller called back with the surviving case.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { homeGrid, otherGrid, pointIn } from '../helpers/fixtures.ts';

let p: TestPlatform;
let op: string, jiedao: string, dept: string;
beforeAll(async () => {
  p = await testPlatform('2026-11-16T01:30:00Z');
  op = await p.login('rexian');
  jiedao = await p.login('jiedao');
  dept = await p.login('chengguan');
});
afterAll(async () => { await p?.close(); });

async function report(phone: string, extra: Record<string, unknown> = {}, token = op) {
  const r = await p.as(token).post('/api/v1/cases', {
    categoryCode: '020501', title: '菜市场门口占道经营', description: '每天早上有摊贩在人行道上摆摊。',
    ...pointIn(homeGrid), reporter: { name: '张建华', phone }, appealKind: 'complaint', ...extra,
  });
  expect(r.status, r.text).toBe(201);
  return r.body;
}
const act = (token: string, id: number, action: string, body: Record<string, unknown> = {}) =>
  p.as(token).post(`/api/v1/cases/${id}/actions/${action}`, body);

describe('caller history', () => {
  it('shows a caller\'s earlier tickets newest first, with the repeat mark, and nothing of another phone', async () => {
    const first = await report('13911112222', { title: '第一次来电' });
    const second = await report('13911112222', { title: '第二次来电', appealKind: 'help', ...pointIn(otherGrid) });
    await report('13933334444', { title: '别人的来电' });
    const r = await p.as(op).post('/api/v1/callers/history', { phone: '13911112222' });
    expect(r.status, r.text).toBe(200);
    expect(r.body.repeat).toBe(true);
    expect(r.body.count).toBe(2);
    expect(r.body.openCount).toBe(2);
    expect(r.body.phoneMasked).toBe('139****2222');
    expect(r.body.items.map((x: any) => x.caseNo)).toEqual([second.caseNo, first.caseNo]);
    expect(r.body.items[0].appealKind).toBe('help');
    expect(r.body.items[0].stateLabel.zh).toBe('待受理');
    expect(JSON.stringify(r.body)).not.toContain('13911112222');

    // a first-time caller: no history, no mark
    const fresh = await p.as(op).post('/api/v1/callers/history', { phone: '13700000000' });
    expect(fresh.body).toMatchObject({ count: 0, repeat: false, items: [] });
  });

  it('keeps to the territory: a street centre sees its street\'s tickets of the caller only', async () => {
    const r = await p.as(jiedao).post('/api/v1/callers/history', { phone: '13911112222' });
    expect(r.status).toBe(200);
    expect(r.body.items.map((x: any) => x.title)).toEqual(['第一次来电']);
    // a department may not look callers up
    const d = await p.as(dept).post('/api/v1/callers/history', { phone: '13911112222' });
    expect(d.status).toBe(403);
  });

  it('refuses a malformed phone with a 400 problem', async () => {
    const r = await p.as(op).post('/api/v1/callers/history', { phone: 'abc' });
    expect(r.status).toBe(400);
    expect(r.headers['content-type']).toContain('application/problem+json');
  });

  it('lets the case list find a caller by the full phone number, and filter by 诉求类型', async () => {
    const byPhone = await p.as(op).get('/api/v1/cases?q=13911112222');
    expect(byPhone.body.items.map((x: any) => x.title).sort()).toEqual(['第一次来电', '第二次来电']);
    // part of a number finds nothing (only the keyed hash of the full number is stored)
    expect((await p.as(op).get('/api/v1/cases?q=1391111')).body.items).toEqual([]);
    const help = await p.as(op).get('/api/v1/cases?appealKind=help');
    expect(help.body.items.map((x: any) => x.title)).toEqual(['第二次来电']);
    expect(help.body.items[0].appealKind).toBe('help');
  });

  it('treats 139-1234-5678, 139 1234 5678 and +86 139 1234 5678 as one caller (issue 12)', async () => {
    const dashed = await report('139-5555-6666', { title: '带横线的号码' });
    await report('139 5555 6666', { title: '带空格的号码' });
    // stored as the bare number: the history and the list find both tickets whichever way the number is typed
    for (const typed of ['13955556666', '139-5555-6666', '+86 139 5555 6666']) {
      const h = await p.as(op).post('/api/v1/callers/history', { phone: typed });
      expect(h.status, h.text).toBe(200);
      expect(h.body).toMatchObject({ count: 2, repeat: true, phoneMasked: '139****6666' });
    }
    for (const typed of ['13955556666', '139 5555 6666', '139-5555-6666']) {
      const byPhone = await p.as(op).get(`/api/v1/cases?q=${encodeURIComponent(typed)}`);
      expect(byPhone.body.items.map((x: any) => x.title).sort()).toEqual(['带横线的号码', '带空格的号码'].sort());
    }
    expect(dashed.caseNo).toBeTruthy();
  });
});

describe('即时办结', () => {
  it('files and closes a question answered on the call in one step, without a location, in the hotline\'s own region', async () => {
    const r = await p.as(op).post('/api/v1/cases', {
      categoryCode: '020501', title: '咨询摊位办理流程', description: '市民咨询如何申请临时摊位。', appealKind: 'consult',
      reporter: { name: '刘洋', phone: '13955556666' },
      answerOnCall: { note: '临时摊位向街道市场监管所申请，带身份证和摊位位置说明。' },
    });
    expect(r.status, r.text).toBe(201);
    expect(r.body.state).toBe('closed');
    expect(r.body.isOpen).toBe(false);
    expect(r.body.outcome).toBe('resolved');
    expect(r.body.regionCode).toBe(homeGrid.code.slice(0, 6)); // the operator's district
    expect(r.body.appealKind).toBe('consult');
    const tl = await p.as(op).get(`/api/v1/cases/${r.body.id}/timeline`);
    expect(tl.body.items.map((f: any) => f.action)).toEqual(['report', 'answer_on_call']);
    expect(tl.body.items[1].note).toContain('市场监管所');
    // the caller's history shows it
    const h = await p.as(op).post('/api/v1/callers/history', { phone: '13955556666' });
    expect(h.body.items[0]).toMatchObject({ caseNo: r.body.caseNo, isOpen: false });
  });

  it('needs an answer, and is refused to a role the definition does not give it (nothing written)', async () => {
    const empty = await p.as(op).post('/api/v1/cases', {
      categoryCode: '020501', title: '咨询', description: '咨询', answerOnCall: { note: '' },
    });
    expect(empty.status).toBe(400);
    const before = (await p.as(jiedao).get('/api/v1/cases?count=true')).body.total;
    const street = await p.as(jiedao).post('/api/v1/cases', {
      type: 'hotline', categoryCode: '020501', title: '咨询', description: '咨询', answerOnCall: { note: '已答复' },
    });
    expect([403, 422]).toContain(street.status);
    expect((await p.as(jiedao).get('/api/v1/cases?count=true')).body.total).toBe(before);
  });

  it('still needs a location for a ticket that is not answered on the call', async () => {
    const r = await p.as(op).post('/api/v1/cases', { categoryCode: '020501', title: '占道', description: '占道经营' });
    expect(r.status).toBe(400);
  });
});

describe('merge by 工单编号', () => {
  it('takes the case number in any letter case, and the merged caller is called back with the surviving case', async () => {
    const keep = await report('13811110001', { title: '井盖缺失（首报）' });
    const dup = await report('13811110002', { title: '井盖缺失（重复）' });
    const m = await act(op, dup.id, 'merge', { intoCaseId: keep.caseNo.toLowerCase(), note: '同一井盖' });
    expect(m.status, m.text).toBe(200);
    expect(m.body.case.state).toBe('merged');
    expect(m.body.case.mergedIntoCaseNo).toBe(keep.caseNo);
    const unknown = await act(op, (await report('13811110003')).id, 'merge', { intoCaseId: 'RX209912310000001' });
    expect(unknown.status).toBe(422);

    const kept = (await p.as(op).get(`/api/v1/cases/${keep.id}`)).body;
    expect(kept.mergedCallers).toEqual([{ id: dup.id, caseNo: dup.caseNo, nameMasked: '张**', phoneMasked: '138****0002' }]);
    const revealed = await p.as(op).post(`/api/v1/cases/${keep.id}/reporter/reveal`, { purpose: '回访诉求人' });
    expect(revealed.body.phone).toBe('13811110001');
    expect(revealed.body.mergedCallers).toEqual([{ caseId: dup.id, caseNo: dup.caseNo, name: '张建华', phone: '13811110002' }]);
  });
});

describe('the language of validation messages', () => {
  it('answers a Chinese request in Chinese (zod\'s own messages in its zh-CN locale), an English one in English', async () => {
    const zh = await p.http.inject({ method: 'POST', url: '/api/v1/callers/history', payload: { phone: 13911112222 },
      headers: { authorization: `Bearer ${op}`, 'accept-language': 'zh-CN,zh;q=0.9' } });
    expect(zh.statusCode).toBe(400);
    const zhBody = JSON.parse(zh.body);
    expect(zhBody.detail).toMatch(/[\u4e00-\u9fff]/);
    expect(zhBody.detail).toContain('请求内容无效');
    const en = await p.http.inject({ method: 'POST', url: '/api/v1/callers/history', payload: { phone: 13911112222 },
      headers: { authorization: `Bearer ${op}`, 'accept-language': 'en' } });
    const enBody = JSON.parse(en.body);
    expect(enBody.detail).toMatch(/^Invalid body/);
    expect(enBody.detail).not.toBe(zhBody.detail);
  });
});
