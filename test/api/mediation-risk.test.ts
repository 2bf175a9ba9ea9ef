// The 民转刑 risk score on real disputes: repeated parties and address, threat words in a session's
// minutes, escalation by a failed mediation and a petition of the same party, a vulnerable party; shown
// on the dispute and in the lists, and read by the risk module through the mediation module's index.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { homeGrid } from '../helpers/fixtures.ts';
import { disputeRisk, disputeRisksSince } from '../../src/modules/mediation/index.ts';
import { act, neighbourDispute, setUpOrgs } from './mediation-helpers.ts';

let p: TestPlatform;
let shequ: string, jiedao: string;
let orgs: Awaited<ReturnType<typeof setUpOrgs>>;
beforeAll(async () => {
  p = await testPlatform('2026-11-16T01:30:00Z');
  [shequ, jiedao] = await Promise.all([p.login('shequ'), p.login('jiedao')]);
  orgs = await setUpOrgs(p, jiedao);
});
afterAll(async () => { await p?.close(); });

const reasons = (v: any) => Object.fromEntries(v.risk.reasons.map((r: any) => [r.signal, r]));
const young = (extra: Record<string, unknown> = {}) => neighbourDispute({
  parties: [
    { role: 'applicant', name: '吴刚', phone: '13500001111', birthYear: 1985 },
    { role: 'respondent', name: '郑强', phone: '13500002222', birthYear: 1988 },
  ], ...extra,
});

describe('民转刑 risk signals', () => {
  let first: number, second: number;
  it('starts low for a first dispute between adults', async () => {
    const r = await p.as(shequ).post('/api/v1/disputes', young({ address: '嘉陵路88号5栋' }));
    expect(r.status, r.text).toBe(201);
    first = r.body.case.id;
    expect(r.body.risk).toMatchObject({ score: 0, level: 'low', reasons: [] });
  });

  it('rises for the same parties again at the same address', async () => {
    const r = await p.as(shequ).post('/api/v1/disputes', young({ title: '再次因噪音发生争执', address: '嘉陵路 88号 5栋' }));
    second = r.body.case.id;
    const why = reasons(r.body);
    expect(why.repeat_parties).toMatchObject({ points: 15, params: { count: 1, cases: [(await p.as(shequ).get(`/api/v1/disputes/${first}`)).body.case.caseNo] } });
    expect(why.same_address).toMatchObject({ points: 10, params: { count: 1 } });
    expect(r.body.risk).toMatchObject({ score: 25, level: 'medium' });
  });

  it('rises with threats in the minutes and escalation, and lists the dispute among the risky ones', async () => {
    await act(p, shequ, second, 'accept_dispute', {});
    const v = (await p.as(shequ).get(`/api/v1/disputes/${second}`)).body;
    const s = await p.as(shequ).post(`/api/v1/disputes/${second}/sessions`, { scheduledAt: '2026-11-16T01:00:00Z', place: '调解室', participants: v.parties.map((x: any) => ({ partyId: x.id, name: x.nameMasked })) });
    expect(s.status, s.text).toBe(201);
    await p.as(shequ).send('PUT', `/api/v1/disputes/${second}/sessions/${s.body.id}/minutes`, { minutes: '郑强情绪激动，扬言要同归于尽，调解员当场劝阻。' });
    let after = (await p.as(shequ).get(`/api/v1/disputes/${second}`)).body;
    expect(reasons(after).threat_words.params.words).toEqual(['同归于尽']);
    expect(reasons(after).violence_words.params.words).toEqual(['扬言']);
    // a petition by the same party is escalation
    const pet = await p.as(jiedao).post('/api/v1/petitions', {
      categoryCode: '140199', title: '邻居噪音纠纷调解无果', description: '多次调解无果，要求政府处理。', regionCode: homeGrid.code, form: 'visit',
      parties: [{ role: 'petitioner', name: '吴刚', phone: '13500001111' }],
    });
    expect(pet.status, pet.text).toBe(201);
    await p.as(shequ).send('PATCH', `/api/v1/disputes/${second}/record`, { scale: 'larger' }); // any change recomputes
    after = (await p.as(shequ).get(`/api/v1/disputes/${second}`)).body;
    expect(reasons(after).escalation.params.steps).toEqual(['petitioned']);
    expect(after.risk.score).toBe(15 + 10 + 20 + 10 + 15);
    expect(after.risk.level).toBe('high');
    const m = orgs.mediators[0];
    expect((await p.as(shequ).send('PUT', `/api/v1/disputes/${second}/assignment`, { orgId: orgs.roomId, leadMediatorId: m, investigateBy: m, mediateBy: m, concludeBy: m, followUpBy: m })).status).toBe(200);
    const risky = await p.as(shequ).get('/api/v1/disputes?risk=high');
    expect(risky.body.items.map((x: any) => x.id)).toEqual([second]);
    // the watch list shows what the full list shows: the state and the organisation that handles it
    const orgName = (await p.as(shequ).get(`/api/v1/disputes/${second}`)).body.organisation.name;
    expect(risky.body.items[0]).toMatchObject({ stateLabel: { zh: '待分流' }, isOpen: true, organisation: orgName, mediator: expect.any(String) });
    // the plain list carries the score too
    const list = await p.as(shequ).get('/api/v1/disputes?pageSize=50');
    expect(list.body.items.find((x: any) => x.id === second).risk.level).toBe('high');
  });

  it('is read by the risk module through index.ts', async () => {
    const one = await disputeRisk(p.ctx.db, second);
    expect(one).toMatchObject({ caseId: second, level: 'high', isOpen: true });
    expect(one!.reasons.map((r) => r.signal).sort()).toEqual(['escalation', 'repeat_parties', 'same_address', 'threat_words', 'violence_words']);
    const since = await disputeRisksSince(p.ctx.db, { regionPrefix: homeGrid.code.slice(0, 6), minScore: 50, since: new Date('2026-11-01T00:00:00Z') });
    expect(since.map((r) => r.caseId)).toEqual([second]);
    expect(await disputeRisk(p.ctx.db, 999999)).toBeNull();
  });
});
