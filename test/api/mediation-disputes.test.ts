// Each mediation path's full loop through the API, on the one case engine: agreement → performance →
// follow-up; failure → 诉调 docking with the case file; 司法确认 granted and refused; a 12345 ticket changed
// into a dispute keeping its number and history. Every step is a case action (a flow record); the
// module's records (四包, sessions, the agreement with signatures, obligations, visits, dockings) move with it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { homeGrid, pointIn } from '../helpers/fixtures.ts';
import { act, chinaDay, neighbourDispute, PNG, setUpOrgs, type MediationSetup } from './mediation-helpers.ts';

let p: TestPlatform;
let shequ: string, jiedao: string, rexian: string;
let orgs: MediationSetup;
async function logIn() { [shequ, jiedao, rexian] = await Promise.all(['shequ', 'jiedao', 'rexian'].map((u) => p.login(u))); }

beforeAll(async () => {
  p = await testPlatform('2026-11-16T01:30:00Z'); // Monday 09:30 in 合川
  await logIn();
  orgs = await setUpOrgs(p, jiedao);
});
afterAll(async () => { await p?.close(); });

const detail = async (id: number) => (await p.as(shequ).get(`/api/v1/disputes/${id}`)).body;
const assignment = () => ({
  orgId: orgs.roomId, leadMediatorId: orgs.mediators[0], investigateBy: orgs.mediators[1], mediateBy: orgs.mediators[0],
  concludeBy: orgs.mediators[0], followUpBy: orgs.mediators[2],
});

/** Registered, accepted, routed with 四包, investigated and in mediation. */
async function toMediation(extra: Record<string, unknown> = {}) {
  const r = await p.as(shequ).post('/api/v1/disputes', neighbourDispute(extra));
  expect(r.status, r.text).toBe(201);
  const id = r.body.case.id;
  expect((await act(p, shequ, id, 'accept_dispute', { note: '受理' })).status).toBe(200);
  expect((await p.as(shequ).send('PUT', `/api/v1/disputes/${id}/assignment`, assignment())).status).toBe(200);
  expect((await act(p, shequ, id, 'route_dispute', {})).status).toBe(200);
  expect((await act(p, shequ, id, 'start_mediation', {})).status).toBe(200);
  return id as number;
}

async function agreeAndSign(id: number, obligations: Array<{ description: string; dueOn: string }>, followUpOn: string) {
  const v = await detail(id);
  // an obligation without its 义务人 is refused; each is owed by the respondent here
  const anonymous = await p.as(shequ).post(`/api/v1/disputes/${id}/agreements`, { content: '经调解，双方自愿达成协议。', followUpOn, obligations });
  expect(anonymous.status).toBe(400);
  const obligor = v.parties.find((x: any) => x.role === 'respondent').id;
  const a = await p.as(shequ).post(`/api/v1/disputes/${id}/agreements`, { content: '经调解，双方自愿达成协议。', signedPlace: '老赵调解室', followUpOn, obligations: obligations.map((o) => ({ ...o, obligorPartyId: obligor })) });
  expect(a.status, a.text).toBe(201);
  for (const party of v.parties) {
    const s = await p.as(shequ).post(`/api/v1/disputes/${id}/agreements/${a.body.id}/signatures`, { partyId: party.id, image: PNG });
    expect(s.status, s.text).toBe(201);
  }
  return a.body.id as number;
}

describe('agreement → performance → follow-up', () => {
  let id: number;
  it('registers a dispute with its GB/T 31000 record and masked parties, on the dispute workflow', async () => {
    const r = await p.as(shequ).post('/api/v1/disputes', neighbourDispute());
    expect(r.status, r.text).toBe(201);
    id = r.body.case.id;
    expect(r.body.case.caseNo).toMatch(/^TJ20261116\d{7}$/);
    expect(r.body.case.type).toBe('dispute');
    expect(r.body.case.stateLabel.zh).toBe('待受理');
    expect(r.body.record).toMatchObject({ categoryCode: '130102', occurredOn: '2026-11-10', peopleInvolved: 4, scale: 'ordinary', source: 'application', isOpen: true, success: null });
    expect(r.body.parties.map((x: any) => [x.role, x.nameMasked, x.phoneMasked])).toEqual([['applicant', '王**', '138****1234'], ['respondent', '李**', '138****5678']]);
    expect(r.text).not.toContain('13800001234');
    expect(r.text).not.toContain('500117198001011234');
    // the 76-year-old respondent is a vulnerable party: the risk says so
    expect(r.body.risk.reasons.map((x: any) => x.signal)).toContain('vulnerable_parties');
  });

  it('routes only once the organisation, the lead mediator and the 四包 roles are named', async () => {
    expect((await act(p, shequ, id, 'accept_dispute', { note: '当场受理' })).status).toBe(200);
    const early = await act(p, shequ, id, 'route_dispute', {});
    expect(early.status).toBe(422);
    expect(early.body.code).toBe('assignment_incomplete');
    // the refusal names what is missing in words, not columns, and the dispute says beforehand that routing waits for it
    const all = ['orgId', 'leadMediatorId', 'investigateBy', 'mediateBy', 'concludeBy', 'followUpBy'];
    expect(early.body.missing).toEqual(all);
    expect(early.body.zh).toBe('请先保存分流与四包：尚未指定调解组织、主办调解员、包调查、包调处、包办结、包回访。');
    expect(early.body.detail).not.toMatch(/org_id|lead_mediator_id|_by\b/);
    expect((await p.as(shequ).get(`/api/v1/disputes/${id}`)).body.blocked).toEqual({ route_dispute: { code: 'assignment_incomplete', missing: all } });
    const s = await p.as(shequ).get(`/api/v1/disputes/${id}/assignment/suggestion`);
    expect(s.body.level).toBe('community');
    expect(s.body.orgs[0]).toMatchObject({ id: orgs.roomId, specialist: true });
    // specialists by free capacity, 金牌 first on a tie
    expect(s.body.orgs[0].mediators[0]).toMatchObject({ id: orgs.mediators[0], gold: true, specialist: true, workload: 0 });
    // the assignment the console fills in, and why: the 金牌 specialist leads, the next two investigate and visit
    expect(s.body.proposal).toEqual({
      orgId: orgs.roomId, leadMediatorId: orgs.mediators[0], mediateBy: orgs.mediators[0], concludeBy: orgs.mediators[0],
      investigateBy: s.body.orgs[0].mediators[1].id, followUpBy: s.body.orgs[0].mediators[2].id,
    });
    expect(s.body.reasons).toEqual([
      { code: 'ordinary', level: 'community' },
      { code: 'specialist_org', org: '老赵调解室' },
      { code: 'lead', mediator: '赵建国', specialist: true, gold: true, workload: 0, maxLoad: 10 },
    ]);
    const put = await p.as(shequ).send('PUT', `/api/v1/disputes/${id}/assignment`, assignment());
    expect(put.status, put.text).toBe(200);
    expect(put.body.fourRoles.investigate.name).toBe('钱芳');
    expect(put.body.fourRoles.followUp.name).toBe('孙立');
    expect(put.body.record.level).toBe('community');
    expect(put.body.blocked).toEqual({});
    expect((await act(p, shequ, id, 'route_dispute', {})).status).toBe(200);
    const orgList = await p.as(shequ).get('/api/v1/mediation/orgs');
    const zhao = orgList.body.items.find((o: any) => o.id === orgs.roomId).mediators.find((m: any) => m.id === orgs.mediators[0]);
    expect(zhao.workload).toBe(1);
  });

  it('investigates, schedules a session with participants and a place, and records its minutes', async () => {
    const inv = await p.as(shequ).post(`/api/v1/disputes/${id}/investigations`, {
      investigatedAt: '2026-11-16T03:00:00Z', place: '3栋402室', investigator: '钱芳', interviewee: '王小明', content: '现场查看，402天花板有明显水渍。',
    });
    expect(inv.status, inv.text).toBe(201);
    expect((await act(p, shequ, id, 'start_mediation', {})).status).toBe(200);
    const v = await detail(id);
    const s = await p.as(shequ).post(`/api/v1/disputes/${id}/sessions`, {
      scheduledAt: '2026-11-17T06:00:00Z', place: '老赵调解室', mediatorIds: [orgs.mediators[0]],
      participants: v.parties.map((x: any) => ({ partyId: x.id, name: x.nameMasked, role: x.role })),
    });
    expect(s.status, s.text).toBe(201);
    const upcoming = await p.as(shequ).get('/api/v1/disputes/sessions');
    expect(upcoming.body.items.map((x: any) => x.id)).toContain(s.body.id);
    const noPlace = await p.as(shequ).post(`/api/v1/disputes/${id}/sessions`, { scheduledAt: '2026-11-18T06:00:00Z', participants: [{ name: '王小明' }] });
    expect(noPlace.status).toBe(400);
    // the minutes record a session that took place: not before its time (tomorrow 14:00 in 合川), in either language
    const early = await p.as(shequ).send('PUT', `/api/v1/disputes/${id}/sessions/${s.body.id}/minutes`, { minutes: '双方陈述意见。' }, { 'accept-language': 'zh-CN' });
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ code: 'session_not_started', scheduledAt: '2026-11-17T06:00:00.000Z', detail: '调解定于2026-11-17 14:00进行，尚未开始；调解开始后方可记录调解笔录。' });
    const earlyEn = await p.as(shequ).send('PUT', `/api/v1/disputes/${id}/sessions/${s.body.id}/minutes`, { minutes: '双方陈述意见。' }, { 'accept-language': 'en' });
    expect(earlyEn.body.detail).toBe('The session is scheduled for 2026-11-17 14:00 (China time) and has not begun; its minutes can be recorded once it has.');
    expect((await detail(id)).sessions[0]).toMatchObject({ id: s.body.id, status: 'scheduled', minutes: null, started: false });
    // a session held now (the parties came in today) takes its minutes
    const held = await p.as(shequ).post(`/api/v1/disputes/${id}/sessions`, { scheduledAt: p.clock.now.toISOString(), place: '老赵调解室', participants: [{ name: '王小明' }] });
    expect(held.status, held.text).toBe(201);
    const m = await p.as(shequ).send('PUT', `/api/v1/disputes/${id}/sessions/${held.body.id}/minutes`, { minutes: '双方陈述意见，李大海同意修复防水并赔偿。' });
    expect(m.status, m.text).toBe(200);
    const sessions = (await detail(id)).sessions;
    expect(sessions[0]).toMatchObject({ id: held.body.id, status: 'held', minutes: '双方陈述意见，李大海同意修复防水并赔偿。', started: true });
    expect(sessions[1]).toMatchObject({ id: s.body.id, status: 'scheduled', started: false });
  });

  it('concludes the agreement only when drafted and signed by both parties', async () => {
    const none = await act(p, shequ, id, 'reach_agreement', {});
    expect(none.body.code).toBe('no_agreement_draft');
    const v = await detail(id);
    // the detail says so beforehand, so that the console does not offer the step
    expect(v.blocked.reach_agreement).toEqual({ code: 'no_agreement_draft', missing: [] });
    const respondent = v.parties.find((x: any) => x.role === 'respondent');
    const a = await p.as(shequ).post(`/api/v1/disputes/${id}/agreements`, {
      content: '李大海修复卫生间防水并赔偿王小明装修损失。', signedPlace: '老赵调解室', followUpOn: chinaDay(p, 10),
      obligations: [
        { obligorPartyId: respondent.id, description: '修复502卫生间防水层', dueOn: chinaDay(p, 5) },
        { obligorPartyId: respondent.id, description: '赔偿402天花板修复费用', dueOn: chinaDay(p, 7), amount: 1500 },
      ],
    });
    expect(a.status, a.text).toBe(201);
    const unsigned = await act(p, shequ, id, 'reach_agreement', {});
    expect(unsigned.status).toBe(422);
    expect(unsigned.body).toMatchObject({ code: 'signatures_missing', missing: ['王**', '李**'] });
    expect((await detail(id)).blocked.reach_agreement).toEqual({ code: 'signatures_missing', missing: ['王**', '李**'] });
    const bad = await p.as(shequ).post(`/api/v1/disputes/${id}/agreements/${a.body.id}/signatures`, { partyId: respondent.id, image: 'data:image/png;base64,AAAA' });
    expect(bad.status).toBe(422);
    for (const party of v.parties) {
      const s = await p.as(shequ).post(`/api/v1/disputes/${id}/agreements/${a.body.id}/signatures`, { partyId: party.id, image: PNG });
      expect(s.status, s.text).toBe(201);
    }
    expect((await detail(id)).blocked.reach_agreement).toBeUndefined();
    const ok = await act(p, shequ, id, 'reach_agreement', { note: '双方签字' });
    expect(ok.status, ok.text).toBe(200);
    const after = await detail(id);
    expect(after.case.stateLabel.zh).toBe('协议履行中');
    expect(after.record.success).toBe(true);
    expect(after.agreements[0]).toMatchObject({ status: 'effective', signatures: [{ label: '申请人 王**' }, { label: '被申请人 李**' }] });
    // each party's drawn signature is shown on the agreement's page: the very PNG that was signed
    for (const s of after.agreements[0].signatures) {
      expect(s.imageUrl).toBe(`/api/v1/disputes/${id}/signatures/${s.id}`);
      const img = await p.http.inject({ method: 'GET', url: s.imageUrl, headers: { authorization: `Bearer ${shequ}` } });
      expect(img.statusCode).toBe(200);
      expect(img.headers['content-type']).toBe('image/png');
      expect(img.rawPayload.equals(Buffer.from(PNG.slice(PNG.indexOf(',') + 1), 'base64'))).toBe(true);
    }
    expect((await p.as(shequ).get(`/api/v1/disputes/${id}/signatures/999999`)).status).toBe(404);
    const pdf = await p.http.inject({ method: 'GET', url: `/api/v1/disputes/${id}/documents/agreement`, headers: { authorization: `Bearer ${shequ}` } });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    // 人民调解法 第29条: each party with their basic details, and the mediator's signature line; printing it
    // revealed the parties' sealed details, each with an audit row naming the purpose
    const dir = mkdtempSync(join(tmpdir(), 'gz-agreement-'));
    writeFileSync(join(dir, 'a.pdf'), pdf.rawPayload);
    const text = execFileSync('pdftotext', ['-layout', join(dir, 'a.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    for (const words of ['申请人：王小明，身份证件号码500117198001011234，住址嘉陵路12号3栋402', '被申请人：李', '调解员：']) expect(text).toContain(words);
    expect(text).not.toContain('王**');
    // one date format: the obligations' due dates and the follow-up plan in Chinese, as the signatures' dates, never ISO
    const cn = (d: string) => { const [y, m, dd] = d.split('-').map(Number); return `${y}年${m}月${dd}日`; };
    for (const d of [chinaDay(p, 5), chinaDay(p, 7), chinaDay(p, 10)]) expect(text).toContain(cn(d));
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    const audit = await p.ctx.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'mediation.party.reveal' AND detail->>'purpose' = '制作人民调解协议书' AND (detail->>'caseId')::bigint = $1`, [id]);
    expect(audit[0].n).toBe(2);
  });

  it('tracks performance obligation by obligation, then schedules the follow-up, which shows once due', async () => {
    const early = await act(p, shequ, id, 'complete_performance', {});
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ code: 'obligations_open', open: [1, 2] });
    const v = await detail(id);
    expect(v.blocked.complete_performance).toEqual({ code: 'obligations_open', missing: ['1', '2'] });
    for (const o of v.agreements[0].obligations) {
      expect((await p.as(shequ).send('PUT', `/api/v1/disputes/${id}/obligations/${o.id}`, { status: 'performed', note: '已核实' })).status).toBe(200);
    }
    expect((await detail(id)).blocked.complete_performance).toBeUndefined();
    expect((await act(p, shequ, id, 'complete_performance', { note: '履行完毕' })).status).toBe(200);
    const planned = (await detail(id)).followUps;
    expect(planned).toEqual([expect.objectContaining({ dueOn: chinaDay(p, 10), due: false, doneAt: null })]);
    expect((await p.as(shequ).get('/api/v1/disputes/follow-ups')).body.items.map((f: any) => f.caseId)).not.toContain(id);
    const notYet = await p.as(shequ).send('PUT', `/api/v1/disputes/${id}/follow-ups/${planned[0].id}`, { method: 'phone', content: '电话回访', satisfaction: 'satisfied' });
    expect(notYet.body.code).toBe('follow_up_not_due');
    p.clock.advance(10 * 24 * 60);
    await logIn();
    const due = await p.as(shequ).get('/api/v1/disputes/follow-ups');
    expect(due.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ caseId: id, id: planned[0].id })]));
    expect((await act(p, shequ, id, 'close_dispute', {})).body.code).toBe('follow_up_pending');
    const rec = await p.as(shequ).send('PUT', `/api/v1/disputes/${id}/follow-ups/${planned[0].id}`, { method: 'visit', content: '上门回访，双方关系缓和，防水已修复。', satisfaction: 'satisfied' });
    expect(rec.status, rec.text).toBe(200);
    expect((await act(p, shequ, id, 'close_dispute', { note: '结案' })).status).toBe(200);
    const done = await detail(id);
    expect(done.case).toMatchObject({ isOpen: false, outcome: 'resolved' });
    expect(done.record).toMatchObject({ isOpen: false, success: true });
    const timeline = (await p.as(shequ).get(`/api/v1/cases/${id}/timeline`)).body.items.map((f: any) => f.action);
    expect(timeline).toEqual(['report', 'accept_dispute', 'route_dispute', 'start_mediation', 'reach_agreement', 'complete_performance', 'close_dispute']);
    for (const kind of ['registration', 'investigation', 'session', 'follow_up']) {
      const r = await p.http.inject({ method: 'GET', url: `/api/v1/disputes/${id}/documents/${kind}`, headers: { authorization: `Bearer ${shequ}` } });
      expect(r.statusCode, kind).toBe(200);
      expect(r.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    }
  });
});

describe('failure → 诉调 docking', () => {
  it('docks a failed mediation to the court with its case file, then records the result', async () => {
    const id = await toMediation({ title: '宅基地边界纠纷', categoryCode: '130103' });
    const fail = await act(p, shequ, id, 'mediation_fails', { reason: '双方对边界认定分歧较大，调解不成' });
    expect(fail.status, fail.text).toBe(200);
    expect((await detail(id)).record).toMatchObject({ success: false, failureReason: '双方对边界认定分歧较大，调解不成' });
    expect((await act(p, shequ, id, 'dock_dispute', {})).body.code).toBe('no_docking_draft');
    const draft = await p.as(shequ).post(`/api/v1/disputes/${id}/dockings`, { kind: 'court', receiver: '合川区人民法院', note: '诉调对接，引导起诉' });
    expect(draft.status, draft.text).toBe(201);
    expect((await act(p, shequ, id, 'dock_dispute', { note: '移交法院' })).status).toBe(200);
    let v = await detail(id);
    expect(v.dockings[0]).toMatchObject({ kind: 'court', status: 'transferred', receiver: '合川区人民法院' });
    expect(v.dockings[0].fileManifest.map((d: any) => d.document)).toEqual(['registration']);
    const file = await p.http.inject({ method: 'GET', url: `/api/v1/disputes/${id}/case-file.pdf`, headers: { authorization: `Bearer ${shequ}` } });
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await act(p, shequ, id, 'close_docking', {})).status).toBe(400); // the result is required
    expect((await act(p, shequ, id, 'close_docking', { result: '法院立案受理，诉前调解成功' })).status).toBe(200);
    v = await detail(id);
    expect(v.dockings[0]).toMatchObject({ status: 'concluded', result: '法院立案受理，诉前调解成功' });
    expect(v.case.isOpen).toBe(false);
  });
});

describe('failure → 访调 docking', () => {
  it('docks a failed mediation to the petition office: a petition opens in the register with the parties and the case file, linked both ways', async () => {
    const id = await toMediation({ title: '拖欠装修款纠纷', categoryCode: '130201', description: '包工头拖欠装修工人工资两万元，多次调解未果，工人表示要去上访。' });
    const inv = await p.as(shequ).post(`/api/v1/disputes/${id}/investigations`, { investigatedAt: p.clock.now.toISOString(), investigator: '赵建国', interviewee: '王小明', content: '核实欠款清单，包工头承认欠款但称无力支付' });
    expect(inv.status, inv.text).toBe(201);
    const session = await p.as(shequ).post(`/api/v1/disputes/${id}/sessions`, { scheduledAt: p.clock.now.toISOString(), place: '老赵调解室', participants: [{ name: '王小明' }, { name: '包工头' }] });
    expect(session.status, session.text).toBe(201);
    p.clock.advance(60);
    const minutes = '包工头称无力支付，工人要求一次付清，双方分歧较大。';
    expect((await p.as(shequ).send('PUT', `/api/v1/disputes/${id}/sessions/${session.body.id}/minutes`, { minutes })).status).toBe(200);
    p.clock.advance(60);
    expect((await act(p, shequ, id, 'mediation_fails', { reason: '被申请人拒绝支付，调解不成' })).status).toBe(200);
    const draft = await p.as(shequ).post(`/api/v1/disputes/${id}/dockings`, { kind: 'petition', receiver: '合川区信访办', note: '访调对接' });
    expect(draft.status, draft.text).toBe(201);
    // before the transfer there is no petition
    expect((await detail(id)).dockings[0].petitionCaseId).toBeNull();
    expect((await act(p, shequ, id, 'dock_dispute', { note: '移交信访部门' })).status).toBe(200);
    const v = await detail(id);
    expect(v.dockings[0]).toMatchObject({ kind: 'petition', status: 'transferred', receiver: '合川区信访办' });
    const petitionId = v.dockings[0].petitionCaseId;
    expect(petitionId).toEqual(expect.any(Number));

    const pet = await p.as(jiedao).get(`/api/v1/petitions/${petitionId}`);
    expect(pet.status, pet.text).toBe(200);
    expect(pet.body.case).toMatchObject({ type: 'petition', title: '拖欠装修款纠纷', categoryCode: '140102', regionCode: v.case.regionCode });
    expect(pet.body.case.caseNo).toMatch(/^XF/);
    // the dispute names the petition by the number people read, not its internal id
    expect(v.dockings[0].petitionCaseNo).toBe(pet.body.case.caseNo);
    expect(pet.body.record).toMatchObject({ form: 'letter', petitioners: 1, isOpen: true });
    expect(pet.body.case.description).toContain(v.case.caseNo);
    expect(pet.body.dockedFrom).toMatchObject({ caseId: id, caseNo: v.case.caseNo, receiver: '合川区信访办', failureReason: '被申请人拒绝支付，调解不成' });
    expect(pet.body.dockedFrom.caseFile.map((d: any) => d.document)).toEqual(expect.arrayContaining(['registration', 'investigation']));
    // how the mediation went, step by step, for the petition office: who mediated, the investigation, the
    // session held, the failure and the docking (what was said stays in the case file, with masked names)
    const history = pet.body.dockedFrom.mediation;
    expect(history).toMatchObject({ organisation: { name: '老赵调解室', level: 'community' }, leadMediator: '赵建国' });
    expect(history.steps.map((x: any) => x.kind)).toEqual(['received', 'acceptance', 'investigation', 'session', 'failed', 'docked']);
    expect(history.steps.find((x: any) => x.kind === 'session')).toMatchObject({ status: 'held', place: '老赵调解室' });
    expect(history.steps.find((x: any) => x.kind === 'investigation')).toMatchObject({ investigator: '赵建国' });
    expect(history.steps.at(-2)).toMatchObject({ kind: 'failed', reason: '被申请人拒绝支付，调解不成' });
    expect(history.steps.at(-1)).toMatchObject({ kind: 'docked', receiver: '合川区信访办' });
    expect(JSON.stringify(history)).not.toContain(minutes);
    expect(JSON.stringify(history)).not.toContain('王小明');
    expect(pet.body.dockedFrom.mayOpen).toBe(true);
    // the parties came along, sealed: the applicant petitions, the respondent stays the respondent
    expect(pet.body.parties.map((x: any) => [x.role, x.nameMasked])).toEqual([['petitioner', '王**'], ['respondent', '李**']]);
    const petitioner = pet.body.parties[0];
    const shown = await p.as(jiedao).post(`/api/v1/petitions/${petitionId}/parties/${petitioner.id}/reveal`, { purpose: '联系信访人告知受理情况' });
    expect(shown.status, shown.text).toBe(200);
    expect(shown.body).toMatchObject({ name: '王小明', phone: '13800001234' });
    // the petition is on the petition office's list, with its acceptance deadline running
    const list = await p.as(jiedao).get('/api/v1/petitions?open=true&pageSize=100');
    expect(list.body.items.map((x: any) => x.id)).toContain(petitionId);
    expect(pet.body.deadlines.find((x: any) => x.name === 'acceptance')).toMatchObject({ days: 15, done: false });
    // a second docking step does not open a second petition
    expect((await act(p, shequ, id, 'close_docking', { result: '信访部门已受理' })).status).toBe(200);
    expect((await detail(id)).dockings[0].petitionCaseId).toBe(petitionId);
  });
});

describe('司法确认', () => {
  it('records the application and the court\'s confirmation, and the refusal that sends a dispute to docking', async () => {
    const ids = [await toMediation({ title: '装修噪音纠纷' }), await toMediation({ title: '停车位纠纷' })];
    for (const id of ids) await agreeAndSign(id, [{ description: '赔偿500元', dueOn: chinaDay(p, 15) }], chinaDay(p, 20));
    for (const id of ids) expect((await act(p, shequ, id, 'reach_agreement', {})).status).toBe(200);
    const [granted, refused] = ids;
    expect((await act(p, shequ, granted, 'apply_confirmation', {})).status).toBe(400); // the court is required
    expect((await act(p, shequ, granted, 'apply_confirmation', { court: '合川区人民法院', note: '双方共同申请' })).status).toBe(200);
    let v = await detail(granted);
    expect(v.case.stateLabel.zh).toBe('司法确认中');
    expect(v.agreements[0].judicial).toMatchObject({ status: 'applied', court: '合川区人民法院' });
    expect((await act(p, shequ, granted, 'confirmation_granted', {})).status).toBe(400); // 裁定书文号 is required
    expect((await act(p, shequ, granted, 'confirmation_granted', { rulingNo: '(2026)渝0117民特123号' })).status).toBe(200);
    v = await detail(granted);
    expect(v.case.stateLabel.zh).toBe('协议履行中');
    expect(v.agreements[0].judicial).toMatchObject({ status: 'confirmed', rulingNo: '(2026)渝0117民特123号' });
    expect(v.blocked.apply_confirmation).toEqual({ code: 'confirmation_exists', missing: [] });
    expect((await act(p, shequ, granted, 'apply_confirmation', { court: '合川区人民法院' })).body.code).toBe('confirmation_exists');
    expect((await detail(refused)).blocked.apply_confirmation).toBeUndefined();

    await act(p, shequ, refused, 'apply_confirmation', { court: '合川区人民法院' });
    expect((await act(p, shequ, refused, 'confirmation_refused', { reason: '协议内容违反法律规定' })).status).toBe(200);
    v = await detail(refused);
    expect(v.case.stateLabel.zh).toBe('调解不成');
    expect(v.agreements[0].judicial.status).toBe('refused');
    expect(v.record.success).toBe(false);
    expect(v.may.dock).toBe(true);
  });
});

describe('a 12345 ticket becomes a dispute', () => {
  it('keeps its number and history, and the caller becomes the applicant', async () => {
    const t = await p.as(rexian).post('/api/v1/cases', {
      categoryCode: '110101', title: '邻居装修噪音扰民', description: '楼上邻居每天晚上十点后装修，多次沟通无果，要求调解。',
      ...pointIn(homeGrid), reporter: { name: '周晓燕', phone: '13700001111' },
    });
    expect(t.status, t.text).toBe(201);
    await act(p, rexian, t.body.id, 'accept', {});
    const wrongCategory = await act(p, rexian, t.body.id, 'change_type', { toType: 'dispute', reason: '属邻里纠纷，转人民调解' });
    expect(wrongCategory.body.code).toBe('category_type_mismatch');
    const c = await act(p, rexian, t.body.id, 'change_type', { toType: 'dispute', categoryCode: '130102', reason: '属邻里纠纷，转人民调解' });
    expect(c.status, c.text).toBe(200);
    expect(c.body.case).toMatchObject({ id: t.body.id, caseNo: t.body.caseNo, type: 'dispute', categoryCode: '130102' });
    const timeline = (await p.as(shequ).get(`/api/v1/cases/${t.body.id}/timeline`)).body.items.map((f: any) => f.action);
    expect(timeline).toEqual(['report', 'accept', 'change_type']);
    const v = await detail(t.body.id);
    expect(v.record).toMatchObject({ convertedFrom: 'hotline', source: 'hotline', categoryCode: '130102', isOpen: true });
    expect(v.parties).toEqual([expect.objectContaining({ role: 'applicant', nameMasked: '周**', phoneMasked: '137****1111' })]);
    expect(v.case.actions).toContain('accept_dispute');
    // and it is in the dispute lists at once
    expect((await p.as(shequ).get('/api/v1/disputes?open=true&pageSize=100')).body.items.map((x: any) => x.id)).toContain(t.body.id);
  });
});

describe('statistics over these disputes', () => {
  it('counts received, resolved, concluded, the rates, the backlog, and exports them', async () => {
    // this file's disputes: resolved after follow-up; docked to the court after failure; docked to the petition
    // office after failure; confirmed by the court (performing); refused by the court (failed, open); the converted ticket (open)
    const r = await p.as(jiedao).get('/api/v1/mediation/stats?by=category');
    expect(r.status, r.text).toBe(200);
    expect(r.body.disputes.total).toMatchObject({ received: 6, resolved: 2, concluded: 5, successRate: 40, resolutionRate: 33.3, backlog: 3 });
    expect(r.body.petitions).toMatchObject({ received: 1, byForm: { letter: 1 }, open: 1 }); // the 访调 docking's
    expect(r.body.disputes.total.averageDays).toBeGreaterThan(0);
    const neighbour = r.body.disputes.groups.find((g: any) => g.key === '130102');
    expect(neighbour).toMatchObject({ name: '邻里纠纷', received: 4 });
    const trend = r.body.disputes.trend;
    expect(trend.at(-1).open).toBe(3);
    expect(trend.reduce((s: number, w: any) => s + w.received, 0)).toBe(6);
    const byOrg = await p.as(jiedao).get('/api/v1/mediation/stats?by=org');
    expect(byOrg.body.disputes.groups.find((g: any) => g.key === String(orgs.roomId))).toMatchObject({ name: '老赵调解室', received: 5 });
    const xlsx = await p.http.inject({ method: 'GET', url: '/api/v1/mediation/stats.xlsx?by=mediator', headers: { authorization: `Bearer ${jiedao}` } });
    expect(xlsx.statusCode).toBe(200);
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['总览', '按调解员', '积案趋势']);
    expect(wb.getWorksheet('总览')!.getRow(4).values).toEqual([undefined, '受理纠纷(件)', 6]);
  });
});

describe('靶向分流 beyond the community', () => {
  it('proposes the street centre for a land-requisition dispute, says why, and shares the 四包 when it has one mediator', async () => {
    const r = await p.as(shequ).post('/api/v1/disputes', neighbourDispute({ categoryCode: '130203', title: '征地补偿款分配纠纷' }));
    expect(r.status, r.text).toBe(201);
    const s = (await p.as(shequ).get(`/api/v1/disputes/${r.body.case.id}/assignment/suggestion`)).body;
    expect(s.level).toBe('street');
    expect(s.proposal).toEqual({ orgId: orgs.centreId, leadMediatorId: orgs.streetMediator, investigateBy: orgs.streetMediator, mediateBy: orgs.streetMediator, concludeBy: orgs.streetMediator, followUpBy: orgs.streetMediator });
    expect(s.reasons).toEqual([
      { code: 'category', categoryCode: '130203', level: 'street' },
      { code: 'specialist_org', org: expect.stringContaining('矛调中心') },
      { code: 'lead', mediator: '李正', specialist: true, gold: false, workload: 0, maxLoad: 10 },
      { code: 'shared_roles', mediators: ['李正'] },
    ]);
    // what it proposes is accepted as it stands
    const put = await p.as(shequ).send('PUT', `/api/v1/disputes/${r.body.case.id}/assignment`, s.proposal);
    expect(put.status, put.text).toBe(200);
    expect(put.body.record.level).toBe('street');
  });
});
