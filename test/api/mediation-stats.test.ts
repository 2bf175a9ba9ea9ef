// Statistics read from the counters (dispute_tally, petition_tally, kept by triggers in the writing
// transaction) equal the same figures computed from the rows, after random operations: disputes registered,
// accepted, routed, reassigned, failed, docked, agreed, performed and closed, petitions registered,
// accepted, answered, concluded and made 积案, through the API over five weeks that cross a month's end; then
// multi-row changes straight in SQL (dates moved, categories, bodies and mediators changed, risk re-scored,
// rows copied and deleted), as any other code path might write them. Compared for every dimension, for the
// district and streets (from the counters) and for a community and grids (counted from their rows), over
// periods of whole months, 旬 and single days.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { homeCommunity, homeGrid, homeStreet, neighbourGrid, otherGrid, otherStreet } from '../helpers/fixtures.ts';
import { act, chinaDay, neighbourDispute, PNG, setUpOrgs, type MediationSetup } from './mediation-helpers.ts';
import { bucketsOf, disputeStats, disputeStatsFromRows, petitionStats, petitionStatsFromRows } from '../../src/modules/mediation/stats.ts';
import { readPetitionLimits } from '../../src/modules/mediation/limits.ts';
import type { Actor } from '../../src/platform/auth/actor.ts';
import type { MediationDeps } from '../../src/modules/mediation/deps.ts';

let p: TestPlatform;
let shequ: string, jiedao: string;
let orgs: MediationSetup;
async function logIn() { [shequ, jiedao] = await Promise.all(['shequ', 'jiedao'].map((u) => p.login(u))); }

/** A small seeded generator, so a failure can be replayed. */
function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rnd = mulberry32(14);
const pick = <T,>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)];

beforeAll(async () => {
  p = await testPlatform('2026-10-12T02:00:00Z'); // a Monday, 10:00 in 合川
  await logIn();
  orgs = await setUpOrgs(p, jiedao);
}, 120_000);
afterAll(async () => { await p?.close(); });

const district = homeStreet.code.slice(0, 6);
const actor: Actor = { id: 0, username: 'stats-test', displayName: '统计核对', role: 'command_centre', unitId: null, unitKind: null, regionCode: district, locale: 'zh-CN' };
const deps = (): MediationDeps => ({ ctx: p.ctx, cases: p.cases, limits: readPetitionLimits() });

async function randomDispute(i: number) {
  const grid = pick([homeGrid.code, homeGrid.code, neighbourGrid.code]);
  const r = await p.as(shequ).post('/api/v1/disputes', neighbourDispute({ title: `纠纷${i}`, categoryCode: pick(['130102', '130101', '130103']), regionCode: grid }));
  expect(r.status, r.text).toBe(201);
  const id: number = r.body.case.id;
  const depth = Math.floor(rnd() * 7);
  if (depth < 1) return;
  expect((await act(p, shequ, id, 'accept_dispute', {})).status).toBe(200);
  const m = () => pick(orgs.mediators);
  const assignment = () => ({ orgId: orgs.roomId, leadMediatorId: m(), investigateBy: m(), mediateBy: m(), concludeBy: m(), followUpBy: m() });
  const a = await p.as(shequ).send('PUT', `/api/v1/disputes/${id}/assignment`, assignment());
  expect(a.status, a.text).toBe(200);
  if (rnd() < 0.5) expect((await p.as(shequ).send('PUT', `/api/v1/disputes/${id}/assignment`, assignment())).status).toBe(200); // reassigned
  if (depth < 2) return;
  expect((await act(p, shequ, id, 'route_dispute', {})).status).toBe(200);
  expect((await act(p, shequ, id, 'start_mediation', {})).status).toBe(200);
  if (depth < 3) return;
  if (depth <= 4) {
    expect((await act(p, shequ, id, 'mediation_fails', { reason: '调解不成' })).status).toBe(200);
    if (depth === 4) {
      expect((await p.as(shequ).post(`/api/v1/disputes/${id}/dockings`, { kind: 'court', receiver: '合川区人民法院' })).status).toBe(201);
      expect((await act(p, shequ, id, 'dock_dispute', {})).status).toBe(200);
      if (rnd() < 0.5) expect((await act(p, shequ, id, 'close_docking', { result: '已立案' })).status).toBe(200);
    }
    return;
  }
  const v = (await p.as(shequ).get(`/api/v1/disputes/${id}`)).body;
  const ag = await p.as(shequ).post(`/api/v1/disputes/${id}/agreements`, { content: '双方自愿达成协议。', followUpOn: chinaDay(p, 0), obligations: [{ obligorPartyId: v.parties.find((x: any) => x.role === 'respondent').id, description: '赔偿200元', dueOn: chinaDay(p, 5) }] });
  expect(ag.status, ag.text).toBe(201);
  for (const party of v.parties) expect((await p.as(shequ).post(`/api/v1/disputes/${id}/agreements/${ag.body.id}/signatures`, { partyId: party.id, image: PNG })).status).toBe(201);
  expect((await act(p, shequ, id, 'reach_agreement', {})).status).toBe(200);
  if (depth < 6) return;
  const d = (await p.as(shequ).get(`/api/v1/disputes/${id}`)).body;
  for (const o of d.agreements[0].obligations) expect((await p.as(shequ).send('PUT', `/api/v1/disputes/${id}/obligations/${o.id}`, { status: 'performed' })).status).toBe(200);
  expect((await act(p, shequ, id, 'complete_performance', {})).status).toBe(200);
  const f = (await p.as(shequ).get(`/api/v1/disputes/${id}`)).body.followUps[0];
  expect((await p.as(shequ).send('PUT', `/api/v1/disputes/${id}/follow-ups/${f.id}`, { method: 'phone', content: '电话回访，满意', satisfaction: 'satisfied' })).status).toBe(200);
  expect((await act(p, shequ, id, 'close_dispute', {})).status).toBe(200);
}

async function randomPetition(i: number) {
  const r = await p.as(jiedao).post('/api/v1/petitions', {
    categoryCode: pick(['140102', '140101']), title: `信访事项${i % 3}`, description: pick(['工地拖欠工资三个月，要求支付。', '小区噪音扰民，要求处理。', '征地补偿款未到位。']),
    regionCode: pick([homeGrid.code, neighbourGrid.code]), form: pick(['letter', 'visit', 'call', 'online']), petitioners: pick([1, 1, 6]),
    parties: [{ role: 'petitioner', name: pick(['刘大勇', '陈小红']), phone: pick(['13600001111', '13600002222']) }],
  });
  expect(r.status, r.text).toBe(201);
  const id: number = r.body.case.id;
  const depth = Math.floor(rnd() * 4);
  if (rnd() < 0.2) {
    // the third petition of a person on one matter is a backlog case from its registration: marking it again is refused
    const b = await p.as(jiedao).post(`/api/v1/petitions/${id}/backlog`, { reason: '久拖未决' });
    if (r.body.record.backlog) expect([b.status, b.body.code]).toEqual([409, 'already_backlog']);
    else expect(b.status, b.text).toBeLessThan(300);
  }
  if (depth < 1) return;
  expect((await act(p, jiedao, id, 'accept_petition', {})).status).toBe(200);
  if (depth < 2) return;
  expect((await act(p, jiedao, id, 'assign_petition', { leadUnitId: 'dept-renshe' })).status).toBe(200);
  const renshe = await p.login('renshe');
  expect((await act(p, renshe, id, 'sign_petition', {})).status).toBe(200);
  expect((await act(p, renshe, id, 'answer_petition', { note: '已责成支付' })).status).toBe(200);
  if (depth < 3) return;
  expect((await act(p, jiedao, id, 'conclude_petition', { petitionerAccepts: true })).status).toBe(200);
}

const periods = (today: string) => {
  const out: Array<[string | undefined, string | undefined]> = [[undefined, undefined], ['2026-10-01', today], ['2026-10-11', '2026-10-31'], ['2026-10-12', today], ['2026-10-20', '2026-11-03']];
  for (let i = 0; i < 4; i++) {
    const a = `2026-${pick(['09', '10', '11'])}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`;
    const b = `2026-${pick(['10', '11'])}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`;
    out.push(a <= b ? [a, b] : [b, a]);
  }
  return out;
};

async function expectCountersEqualRows(label: string) {
  const today = chinaDay(p, 0);
  const regions = [district, homeStreet.code, homeCommunity.code, homeGrid.code, neighbourGrid.code, otherStreet.code, otherGrid.code];
  let compared = 0;
  for (const region of regions) {
    for (const [from, to] of periods(today)) {
      for (const by of ['category', 'level', 'org', 'mediator', 'region'] as const) {
        const q = { region, from, to, by };
        const [fast, slow] = await Promise.all([disputeStats(deps(), actor, q), disputeStatsFromRows(deps(), actor, q)]);
        expect(fast, `${label}: disputes ${JSON.stringify(q)}`).toEqual(slow);
        compared++;
      }
      const q = { region, from, to, by: 'category' as const };
      expect(await petitionStats(deps(), actor, q), `${label}: petitions ${JSON.stringify(q)}`).toEqual(await petitionStatsFromRows(deps(), actor, q));
    }
  }
  return compared;
}

describe('statistics from the counters', () => {
  it('cover a period with whole months, then 旬, then days', () => {
    expect(bucketsOf('2026-09-28', '2026-11-14')).toEqual({ m: ['2026-10-01'], x: ['2026-11-01'], d: ['2026-09-28', '2026-09-29', '2026-09-30', '2026-11-11', '2026-11-12', '2026-11-13', '2026-11-14'] });
    expect(bucketsOf('2026-02-21', '2026-02-28')).toEqual({ m: [], x: ['2026-02-21'], d: [] }); // the last 旬 of February ends on the 28th
    expect(bucketsOf('2026-10-05', '2026-10-04')).toEqual({ m: [], x: [], d: [] });
  });

  it('equal the figures computed from the rows after random operations through the API', async () => {
    for (let i = 0; i < 18; i++) {
      p.clock.advance(Math.floor(rnd() * 3 * 24 * 60));
      await logIn();
      if (rnd() < 0.65) await randomDispute(i); else await randomPetition(i);
    }
    const counted = await p.ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM dispute');
    expect(counted[0].n).toBeGreaterThan(5);
    const fast = await disputeStats(deps(), actor, { region: district, by: 'category' });
    expect(fast.total.received).toBe(counted[0].n); // all within the default 90 days
    expect(await expectCountersEqualRows('after the API')).toBeGreaterThan(200);
  }, 300_000);

  it('stay equal, and nothing deadlocks, when workflows run at the same time (separate connections on PostgreSQL)', async () => {
    await Promise.all(Array.from({ length: 6 }, (_, i) => randomDispute(100 + i)));
    await Promise.all(Array.from({ length: 3 }, (_, i) => randomPetition(100 + i)));
    expect(await expectCountersEqualRows('after concurrent workflows')).toBeGreaterThan(200);
  }, 300_000);

  it('stay equal after multi-row changes written straight in SQL', async () => {
    const db = p.ctx.db;
    const room = orgs.roomId, centre = orgs.centreId;
    await db.query(`UPDATE dispute SET received_at = received_at - interval '17 days 5 hours', accepted_at = accepted_at - interval '17 days' WHERE case_id % 3 = 0`);
    await db.query(`UPDATE dispute SET category_code = '130104', level = 'street', org_id = $1, lead_mediator_id = $2 WHERE case_id % 4 = 1`, [centre, orgs.streetMediator]);
    await db.query(`UPDATE dispute SET risk_score = (case_id * 37) % 100 WHERE is_open`);
    await db.query(`UPDATE dispute SET region_code = $1, street_code = $2, community_code = left($1, 12) WHERE case_id % 5 = 2`, [otherGrid.code, otherStreet.code]);
    // closed in SQL, its dates in order (received ≤ agreed or failed ≤ closed)
    await db.query(`UPDATE dispute SET is_open = false, success = coalesce(success, false),
        failed_at = CASE WHEN agreed_at IS NULL THEN coalesce(failed_at, received_at + interval '1 day') END,
        closed_at = greatest(received_at + interval '1 day', agreed_at, failed_at) + interval '1 day 3 hours' WHERE is_open AND case_id % 2 = 0`);
    await db.query(`INSERT INTO dispute SELECT 900000 + case_id AS case_id, district_code, street_code, community_code, region_code, 'COPY' || case_no, category_code, title, description,
        occurred_on, address, address_key, scale, people_involved, units_involved, source, method, level, org_id, lead_mediator_id, investigate_by, mediate_by, conclude_by,
        follow_up_by, limit_on, is_open, success, result_text, failure_reason, evaluated_on, evaluation, received_at - interval '31 days', accepted_at, agreed_at, failed_at, closed_at,
        converted_from, risk_score, risk_level, risk_reasons, risk_at, created_by, updated_at FROM dispute WHERE case_id < 900000`);
    await db.query(`DELETE FROM dispute WHERE case_id IN (SELECT case_id FROM dispute ORDER BY case_id DESC LIMIT 2)`);
    await db.query(`UPDATE dispute SET org_id = $1, lead_mediator_id = NULL, level = NULL WHERE case_id % 7 = 3`, [room]);
    await db.query(`UPDATE petition SET received_at = received_at - interval '9 days', form = 'letter' WHERE case_id % 2 = 0`);
    await db.query(`UPDATE petition SET accepted_at = received_at + interval '20 days' WHERE accepted_at IS NOT NULL AND case_id % 3 = 0`);
    await db.query(`UPDATE petition SET backlog = true, backlog_at = received_at WHERE case_id % 4 = 1`);
    await db.query(`DELETE FROM petition WHERE case_id = (SELECT max(case_id) FROM petition)`);
    expect(await expectCountersEqualRows('after SQL')).toBeGreaterThan(200);
  }, 300_000);

  it('are what the endpoint reads', async () => {
    const before = await p.as(jiedao).get('/api/v1/mediation/stats?by=category');
    expect(before.status, before.text).toBe(200);
    expect(before.body.disputes.total.received).toBeGreaterThan(0);
    await p.ctx.db.query('UPDATE dispute_tally SET received = 0');
    const after = await p.as(jiedao).get('/api/v1/mediation/stats?by=category');
    expect(after.body.disputes.total.received).toBe(0);
  });
});
