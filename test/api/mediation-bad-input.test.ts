// Bad input on the mediation module's writes: a clear 4xx problem with a stable code, and nothing written.
// (The generic hostile sweep in hostile-sweep.test.ts also covers every one of these endpoints.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblemStatus, testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { homeStreet, otherGrid } from '../helpers/fixtures.ts';
import { act, chinaDay, neighbourDispute, PNG, setUpOrgs, type MediationSetup } from './mediation-helpers.ts';

let p: TestPlatform;
let shequ: string, jiedao: string, other: string;
let orgs: MediationSetup;
let id: number;
const counts = async () => (await p.ctx.db.query<any>(`SELECT (SELECT count(*)::int FROM "case") AS cases, (SELECT count(*)::int FROM dispute) AS disputes,
  (SELECT count(*)::int FROM mediation_party) AS parties, (SELECT count(*)::int FROM dispute_agreement) AS agreements, (SELECT count(*)::int FROM petition) AS petitions`))[0];

beforeAll(async () => {
  p = await testPlatform('2026-11-16T01:30:00Z');
  [shequ, jiedao, other] = await Promise.all(['shequ', 'jiedao', 'jd' + otherGrid.code.slice(0, 9)].map((u) => p.login(u)));
  orgs = await setUpOrgs(p, jiedao);
  id = (await p.as(shequ).post('/api/v1/disputes', neighbourDispute())).body.case.id;
  await act(p, shequ, id, 'accept_dispute', {});
});
afterAll(async () => { await p?.close(); });

describe('registration', () => {
  it('refuses bad records and parties before anything is written', async () => {
    const before = await counts();
    const bad: Array<[Record<string, unknown>, number, string]> = [
      [neighbourDispute({ parties: [{ role: 'applicant', name: '王', idNumber: 'x!@' }] }), 400, 'validation_failed'],
      [neighbourDispute({ parties: [{ role: 'respondent', name: '李' }] }), 422, 'applicant_missing'],
      [neighbourDispute({ parties: [] }), 400, 'validation_failed'],
      [neighbourDispute({ categoryCode: '110101' }), 422, 'category_type_mismatch'],
      [neighbourDispute({ categoryCode: '1301' }), 422, 'category_not_leaf'],
      [neighbourDispute({ regionCode: otherGrid.code }), 422, 'outside_scope'],
      [neighbourDispute({ occurredOn: '2026-02-30' }), 400, 'validation_failed'],
      [neighbourDispute({ peopleInvolved: 0 }), 400, 'validation_failed'],
      [neighbourDispute({ scale: 'huge' }), 400, 'validation_failed'],
      [{ ...neighbourDispute(), role: 'admin' }, 400, 'validation_failed'],
    ];
    for (const [body, status, code] of bad) expectProblemStatus(await p.as(shequ).post('/api/v1/disputes', body), status, code);
    // a phone is an 11-digit mobile number or a fixed line with its area code; others are refused, in Chinese for a Chinese user
    for (const phone of ['12345', '1380000123', '138000012345', '23800001234', '000-0000']) {
      const r = await p.as(shequ).send('POST', '/api/v1/disputes', neighbourDispute({ parties: [{ role: 'applicant', name: '王小明', phone }] }), { 'accept-language': 'zh-CN' });
      expectProblemStatus(r, 422, 'phone_invalid');
      expect(r.body.detail).toBe(`联系电话「${phone}」无效：请填写11位手机号码，或带区号的固定电话（如 023-42812345）。`);
    }
    expect(await counts()).toEqual(before);
    for (const phone of ['13800001234', '+8613800001234', '023-42812345', '02342812345', '42812345']) {
      expect((await p.as(shequ).post('/api/v1/disputes', neighbourDispute({ parties: [{ role: 'applicant', name: '王小明', phone }] }))).status, phone).toBe(201);
    }
  });

  it('refuses a petition without a petitioner or with an unknown form', async () => {
    const before = await counts();
    const pet = { categoryCode: '140102', title: '讨薪', description: '拖欠工资', regionCode: homeStreet.code, form: 'visit', parties: [{ role: 'petitioner', name: '刘' }] };
    expectProblemStatus(await p.as(jiedao).post('/api/v1/petitions', { ...pet, form: 'fax' }), 400, 'validation_failed');
    expectProblemStatus(await p.as(jiedao).post('/api/v1/petitions', { ...pet, parties: [{ role: 'agent', name: '代理人' }] }), 422, 'petitioner_missing');
    expectProblemStatus(await p.as(jiedao).post('/api/v1/petitions', { ...pet, parties: [{ role: 'petitioner', name: '刘', phone: '555-1234' }] }), 422, 'phone_invalid');
    expectProblemStatus(await p.as(jiedao).post('/api/v1/petitions', { ...pet, categoryCode: '130102' }), 422, 'category_type_mismatch');
    expect(await counts()).toEqual(before);
  });
});

describe('records along the way', () => {
  it('refuses assignments that do not fit', async () => {
    const base = { orgId: orgs.roomId, leadMediatorId: orgs.mediators[0], investigateBy: orgs.mediators[0], mediateBy: orgs.mediators[0], concludeBy: orgs.mediators[0], followUpBy: orgs.mediators[0] };
    expectProblemStatus(await p.as(shequ).send('PUT', `/api/v1/disputes/${id}/assignment`, { ...base, orgId: 999999 }), 422, 'unknown_org');
    expectProblemStatus(await p.as(shequ).send('PUT', `/api/v1/disputes/${id}/assignment`, { ...base, mediateBy: 999999 }), 422, 'unknown_mediator');
    expectProblemStatus(await p.as(shequ).send('PUT', `/api/v1/disputes/${id}/assignment`, { ...base, leadMediatorId: orgs.streetMediator }), 422, 'mediator_not_member');
    expectProblemStatus(await p.as(shequ).send('PUT', `/api/v1/disputes/${id}/assignment`, { ...base, followUpBy: undefined }), 400, 'validation_failed');
    const v = (await p.as(shequ).get(`/api/v1/disputes/${id}`)).body;
    expect(v.organisation).toBeNull();
  });

  it('keeps each record to its phase', async () => {
    // not yet mediating: no agreement, no signature, no performance, no follow-up, no docking
    const before = await counts();
    expectProblemStatus(await p.as(shequ).post(`/api/v1/disputes/${id}/agreements`, { content: '协议', followUpOn: chinaDay(p, 3), obligations: [] }), 409, 'wrong_phase');
    expectProblemStatus(await p.as(shequ).post(`/api/v1/disputes/${id}/dockings`, { kind: 'court', receiver: '法院' }), 409, 'wrong_phase');
    expectProblemStatus(await p.as(shequ).send('PUT', `/api/v1/disputes/${id}/obligations/1`, { status: 'performed' }), 409, 'wrong_phase');
    expect(await counts()).toEqual(before);
  });

  it('refuses bad agreements and signatures', async () => {
    const base = { orgId: orgs.roomId, leadMediatorId: orgs.mediators[0], investigateBy: orgs.mediators[0], mediateBy: orgs.mediators[0], concludeBy: orgs.mediators[0], followUpBy: orgs.mediators[0] };
    await p.as(shequ).send('PUT', `/api/v1/disputes/${id}/assignment`, base);
    await act(p, shequ, id, 'route_dispute', {});
    await act(p, shequ, id, 'start_mediation', {});
    const before = await counts();
    expectProblemStatus(await p.as(shequ).post(`/api/v1/disputes/${id}/agreements`, { content: '协议', followUpOn: '2026-01-01', obligations: [] }), 422, 'follow_up_in_past');
    expectProblemStatus(await p.as(shequ).post(`/api/v1/disputes/${id}/agreements`, { content: '协议', followUpOn: chinaDay(p, 3), obligations: [{ description: '赔偿', dueOn: chinaDay(p, 3), obligorPartyId: 999999 }] }), 422, 'unknown_party');
    expectProblemStatus(await p.as(shequ).post(`/api/v1/disputes/${id}/agreements`, { content: '协议', followUpOn: chinaDay(p, 3), obligations: [{ description: '赔偿', dueOn: chinaDay(p, 3), obligorPartyId: 999999, amount: -5 }] }), 400, 'validation_failed');
    // every obligation names its 义务人
    expectProblemStatus(await p.as(shequ).post(`/api/v1/disputes/${id}/agreements`, { content: '协议', followUpOn: chinaDay(p, 3), obligations: [{ description: '赔偿', dueOn: chinaDay(p, 3) }] }), 400, 'validation_failed');
    expect(await counts()).toEqual(before);
    const a = await p.as(shequ).post(`/api/v1/disputes/${id}/agreements`, { content: '协议', followUpOn: chinaDay(p, 3), obligations: [] });
    const party = (await p.as(shequ).get(`/api/v1/disputes/${id}`)).body.parties[0].id;
    const sign = (body: Record<string, unknown>) => p.as(shequ).post(`/api/v1/disputes/${id}/agreements/${a.body.id}/signatures`, body);
    expectProblemStatus(await sign({ partyId: party, image: 'data:image/jpeg;base64,AAAA' }), 400, 'validation_failed');
    // a PNG cut short, and one whose image data is damaged: never handed to the PDF printer
    const png = Buffer.from(PNG.slice(PNG.indexOf(',') + 1), 'base64');
    expectProblemStatus(await sign({ partyId: party, image: `data:image/png;base64,${png.subarray(0, png.length - 20).toString('base64')}` }), 422, 'not_png');
    const damaged = Buffer.from(png);
    damaged[damaged.length - 30] ^= 0xff;
    expectProblemStatus(await sign({ partyId: party, image: `data:image/png;base64,${damaged.toString('base64')}` }), 422, 'not_png');
    expectProblemStatus(await sign({ partyId: 999999, image: PNG }), 422, 'unknown_party');
    expectProblemStatus(await sign({ image: PNG }), 422, 'party_missing');
    expect((await p.as(shequ).get(`/api/v1/disputes/${id}`)).body.agreements[0].signatures).toEqual([]);
  });
});

describe('petition office and meetings', () => {
  it('refuses reception days in the past or upside down, and meetings outside the territory', async () => {
    const day = { regionCode: homeStreet.code, leaderName: '陈', leaderTitle: '书记', day: '2026-11-01', startsAt: '09:00', endsAt: '11:00', place: '接待室' };
    expectProblemStatus(await p.as(jiedao).post('/api/v1/reception-days', day), 422, 'day_in_past');
    expectProblemStatus(await p.as(jiedao).post('/api/v1/reception-days', { ...day, day: '2026-12-01', endsAt: '08:00' }), 400, 'validation_failed');
    expectProblemStatus(await p.as(jiedao).post('/api/v1/reception-days', { ...day, day: '2026-12-01', startsAt: '25:00' }), 400, 'validation_failed');
    const meeting = { kind: 'mediation.joint_meeting', title: '联席会议', scheduledAt: '2026-11-20T06:00:00Z', regionCode: homeStreet.code, place: '会议室', agenda: [{ title: '议题' }] };
    expectProblemStatus(await p.as(other).post('/api/v1/meetings', meeting), 422, 'outside_scope');
    expectProblemStatus(await p.as(jiedao).post('/api/v1/meetings', { ...meeting, kind: 'risk.weekly' }), 422, 'unknown_meeting_kind');
    expectProblemStatus(await p.as(jiedao).post('/api/v1/meetings', { ...meeting, place: undefined }), 400, 'validation_failed');
    expectProblemStatus(await p.as(jiedao).post('/api/v1/meetings', { ...meeting, onlineLink: 'javascript:alert(1)', place: undefined }), 400, 'validation_failed');
    expectProblemStatus(await p.as(jiedao).post('/api/v1/meetings', { ...meeting, attendees: [{ name: '某', unitId: 'no-such-unit' }] }), 422, 'unknown_unit');
    expect((await p.as(jiedao).get('/api/v1/meetings')).body.items).toEqual([]);
  });
});
