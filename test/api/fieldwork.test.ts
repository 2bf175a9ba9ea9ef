// The grid worker's day (fieldwork): the follow-up schedule puts the right key persons in 今日, the
// worker's own open report counts as 我的待办, a visit to a registry household files a case with
// "发现问题" (once, whatever the retries), a patrol records its track and grid coverage, and residents are
// found by full name, surname, ID number and address while names stay sealed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblemStatus as problem, testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { homeGrid, neighbourGrid, otherStreet, pointIn } from '../helpers/fixtures.ts';
import { idNumber } from './registry-helpers.ts';

let p: TestPlatform;
const t: Record<string, string> = {};
const as = (who: string) => p.as(t[who]);
const day = (offset: number) => new Date(Date.parse('2026-11-16T00:00:00Z') + offset * 86_400_000).toISOString().slice(0, 10);
const ids: Record<string, number> = {};
const idNo: Record<string, string> = {};

async function person(who: string, name: string, grid: string, extra: Record<string, unknown> = {}) {
  idNo[who] = idNumber();
  const r = await as('shequ').post('/api/v1/persons', { regionCode: grid, populationType: 'registered', idNumber: idNo[who], name, ethnicity: '01', currentAddress: `营盘街${who}号`, ...extra });
  expect(r.status, r.text).toBe(201);
  ids[who] = r.body.id;
}
async function label(who: string, body: Record<string, unknown>) {
  const r = await as('shequ').post(`/api/v1/persons/${ids[who]}/labels`, body);
  expect(r.status, r.text).toBe(201);
  return r.body.id as number;
}

beforeAll(async () => {
  p = await testPlatform('2026-11-16T01:30:00Z'); // 09:30 on Monday 16 November in China
  for (const u of ['zhihui', 'jiedao', 'shequ', 'wangge', 'rexian']) t[u] = await p.login(u);
  t.otherStreet = await p.login(`wg${(await p.ctx.db.query<{ code: string }>(`SELECT code FROM region WHERE level = 'grid' AND code LIKE $1 ORDER BY code LIMIT 1`, [`${otherStreet.code}%`]))[0].code}`);
  const hh = await as('shequ').post('/api/v1/households', { regionCode: homeGrid.code, householdNo: 'YP-0001', address: '营盘街12号3单元501' });
  expect(hh.status, hh.text).toBe(201);
  ids.household = hh.body.id;
  // A: 社区矫正, 严重 (every 7 days), started 10 days ago, never visited → overdue
  await person('A', '罗小明', homeGrid.code, { householdId: ids.household, relationToHead: '02' });
  ids.labelA = await label('A', { type: 'community_correction', attentionLevel: '3', startedOn: day(-10),
    fields: { correctionCategory: '2', correctionStartOn: day(-10), correctionEndOn: day(300) } });
  // B: 刑满释放, 一般 (every 90 days), started 10 days ago → not due
  await person('B', '罗大伟', homeGrid.code, { householdId: ids.household, relationToHead: '10' });
  await label('B', { type: 'released_prisoner', attentionLevel: '1', startedOn: day(-10), fields: { releasedOn: day(-10) } });
  // C: 吸毒, 中等 (every 14 days), followed up yesterday → not due
  await person('C', '张三丰', homeGrid.code);
  const lc = await label('C', { type: 'drug_user', attentionLevel: '2', startedOn: day(-60) });
  expect((await as('shequ').post(`/api/v1/persons/${ids.C}/labels/${lc}/followups`, { kind: 'track', method: 'visit', content: '走访', occurredAt: `${day(-1)}T02:00:00Z` })).status).toBe(201);
  // D: 严重精神障碍, risk level 3 (every 14 days whatever the attention level), started 20 days ago → overdue
  await person('D', '李四', homeGrid.code);
  await label('D', { type: 'severe_mental_disorder', attentionLevel: '1', startedOn: day(-20), fields: { riskLevel: 3 } });
  // E: the neighbour grid's overdue person: the community sees them, the worker of the home grid does not
  await person('E', '王五', neighbourGrid.code);
  await label('E', { type: 'community_correction', attentionLevel: '3', startedOn: day(-10),
    fields: { correctionCategory: '1', correctionStartOn: day(-10), correctionEndOn: day(300) } });
}, 180_000);
afterAll(async () => { await p?.close(); });

describe('今日', () => {
  it('lists the key persons the follow-up schedule makes due, in due order', async () => {
    const r = await as('wangge').get('/api/v1/fieldwork/today');
    expect(r.status, r.text).toBe(200);
    const follow = r.body.items.filter((i: any) => i.kind === 'followup');
    expect(follow.map((i: any) => i.ref.personId)).toEqual([ids.D, ids.A]); // D due 6 days ago, A 3 days ago
    expect(follow.map((i: any) => [i.ref.dueOn, i.ref.intervalDays, i.overdue])).toEqual([[day(-6), 14, true], [day(-3), 7, true]]);
    expect(follow[1].title).toBe('社区矫正人员 罗**');
    // the whole day is in due order
    const due = r.body.items.map((i: any) => i.dueAt);
    expect(due).toEqual([...due].sort());
    // the household is planned for a visit, the patrol target is open
    expect(r.body.items.some((i: any) => i.kind === 'visit' && i.ref.id === ids.household)).toBe(true);
    expect(r.body.items.at(-1)).toMatchObject({ kind: 'patrol', ref: { targetMinutes: 60, minutes: 0 } });
    // the community sees its other grid's overdue person too
    const community = await as('shequ').get('/api/v1/fieldwork/follow-ups?overdue=true');
    expect(community.body.items.map((i: any) => i.personId).sort()).toEqual([ids.A, ids.D, ids.E].sort());
    problem(await as('rexian').get('/api/v1/fieldwork/today'), 403, 'forbidden');
  });

  it('counts the worker\'s own open report as 我的待办', async () => {
    const before = (await as('wangge').get('/api/v1/fieldwork/today')).body.counts;
    const c = await as('wangge').post('/api/v1/cases', { categoryCode: '020501', title: '占道经营', description: '营盘街口摆摊', regionCode: homeGrid.code });
    expect(c.status, c.text).toBe(201);
    const r = (await as('wangge').get('/api/v1/fieldwork/today')).body;
    expect(r.counts.waitingForMe).toBe(before.waitingForMe + 1);
    expect(r.items.find((i: any) => i.kind === 'report' || i.kind === 'case')).toBeTruthy();
    expect(r.items.some((i: any) => i.ref.caseId === c.body.id)).toBe(true);
  });
});

describe('visits', () => {
  let visitId = 0;
  it('records a visit to a registry household, which is the key person\'s follow-up', async () => {
    const purposes = (await as('wangge').get('/api/v1/fieldwork/visit-purposes')).body.items;
    expect(purposes.find((x: any) => x.key === 'key_person').items.length).toBeGreaterThan(2);
    const body = {
      purpose: 'key_person', householdId: ids.household, personIds: [ids.A], checklist: { seen_in_person: 'yes', stable_mood: 'no' },
      result: 'visited', note: '本人情绪低落，与邻居有矛盾', ...pointIn(homeGrid), accuracy: 10,
    };
    const r = await as('wangge').send('POST', '/api/v1/fieldwork/visits', body, { 'idempotency-key': 'visit-1' });
    expect(r.status, r.text).toBe(201);
    visitId = r.body.id;
    expect(r.body).toMatchObject({ gridCode: homeGrid.code, purpose: 'key_person', household: { id: ids.household, householdNo: 'YP-0001' }, persons: [{ id: ids.A, nameMasked: '罗**' }] });
    expect(r.body.household.members.map((m: any) => m.id).sort()).toEqual([ids.A, ids.B].sort());
    expect(r.body.checklist.find((i: any) => i.key === 'stable_mood').answer).toBe('no');
    // a retry makes no second visit
    const again = await as('wangge').send('POST', '/api/v1/fieldwork/visits', body, { 'idempotency-key': 'visit-1' });
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(visitId);
    const [{ n }] = await p.ctx.db.query<any>('SELECT count(*)::int AS n FROM field_visit');
    expect(n).toBe(1);
    // A was followed up today: no longer due; D still is
    const follow = (await as('wangge').get('/api/v1/fieldwork/today')).body.items.filter((i: any) => i.kind === 'followup');
    expect(follow.map((i: any) => i.ref.personId)).toEqual([ids.D]);
    // the grid module counts the household as visited (巡查覆盖率)
    const cov = (await as('wangge').get('/api/v1/grids/coverage')).body;
    expect(cov.items.find((g: any) => g.gridCode === homeGrid.code).visited).toBe(1);
    // unknown checklist items and households elsewhere are refused
    problem(await as('wangge').post('/api/v1/fieldwork/visits', { ...body, checklist: { gas_safe: 'yes' } }), 422, 'unknown_checklist_item');
    problem(await as('otherStreet').post('/api/v1/fieldwork/visits', { ...body, personIds: [] }), 404);
  });

  it('files one case from the visit with 发现问题, however often the phone retries', async () => {
    const body = { categoryCode: '020501', title: '邻里矛盾', description: '与楼下邻居因噪音争执' };
    const first = await as('wangge').send('POST', `/api/v1/fieldwork/visits/${visitId}/case`, body, { 'idempotency-key': 'case-1' });
    expect(first.status, first.text).toBe(201);
    expect(first.body.caseNo).toMatch(/^WG/);
    const retry = await as('wangge').send('POST', `/api/v1/fieldwork/visits/${visitId}/case`, body, { 'idempotency-key': 'case-1' });
    expect(retry.status).toBe(201);
    expect(retry.body.caseId).toBe(first.body.caseId);
    problem(await as('wangge').post(`/api/v1/fieldwork/visits/${visitId}/case`, body), 409, 'visit_has_case');
    const visit = (await as('wangge').get(`/api/v1/fieldwork/visits/${visitId}`)).body;
    expect(visit).toMatchObject({ result: 'issue_found', case: { id: first.body.caseId, caseNo: first.body.caseNo } });
    const c = (await as('wangge').get(`/api/v1/cases/${first.body.caseId}`)).body;
    // the case names the visit as a person reads it: the worker, the day, the purpose and the household's address
    expect(c.description).toMatch(/——入户走访发现（.+ 2026-11-16 \d\d:\d\d 重点人员走访，营盘街12号3单元501（户号 YP-0001））$/);
    expect(c.description).not.toMatch(/#\d/);
    expect(c.regionCode).toBe(homeGrid.code);
    problem(await as('otherStreet').get(`/api/v1/fieldwork/visits/${visitId}`), 404);
  });
});

describe('visit plans (走访计划)', () => {
  const plan = (who: string, body: Record<string, unknown>, key?: string) => as(who).send('POST', '/api/v1/fieldwork/plans', body, key ? { 'idempotency-key': key } : {});
  const todayPlans = async () => (await as('wangge').get('/api/v1/fieldwork/today')).body;
  let worker = 0;

  it('a worker plans visits to a household and a person; 今日 lists them in due order', async () => {
    worker = (await as('wangge').get('/api/v1/auth/me')).body.id;
    const h = await plan('wangge', { householdId: ids.household, purpose: 'routine', plannedOn: day(0), note: '复查噪音纠纷' }, 'plan-1');
    expect(h.status, h.text).toBe(201);
    expect(h.body).toMatchObject({ status: 'open', plannedOn: day(0), purposeName: { zh: '日常走访' }, household: { id: ids.household, address: '营盘街12号3单元501' }, assignee: { id: worker }, overdue: false });
    // a retry is the same plan; the same visit planned twice for a day is refused
    const again = await plan('wangge', { householdId: ids.household, purpose: 'routine', plannedOn: day(0), note: '复查噪音纠纷' }, 'plan-1');
    expect([again.status, again.body.id, again.headers['idempotent-replayed']]).toEqual([201, h.body.id, 'true']);
    problem(await plan('wangge', { householdId: ids.household, purpose: 'safety', plannedOn: day(0) }), 409, 'plan_exists');
    const d = await plan('wangge', { personIds: [ids.D], purpose: 'key_person', plannedOn: day(1) });
    expect(d.status, d.text).toBe(201);
    expect(d.body).toMatchObject({ household: null, persons: [{ id: ids.D, nameMasked: '李*' }] });
    const r = await todayPlans();
    const plans = r.items.filter((i: any) => i.kind === 'plan');
    expect(plans.map((i: any) => [i.ref.planId, i.title, i.overdue])).toEqual([[h.body.id, '营盘街12号3单元501', false], [d.body.id, '李*', false]]);
    expect(plans[0]).toMatchObject({ detail: '复查噪音纠纷', link: `/visit?plan=${h.body.id}`, ref: { plannedOn: day(0), purposeName: { zh: '日常走访' } } });
    expect(r.counts.plans).toBe(2);
    const due = r.items.map((i: any) => i.dueAt);
    expect(due).toEqual([...due].sort());
    // today's plan comes before tomorrow's, and the planned household is no longer only suggested
    expect(r.items.findIndex((i: any) => i.ref.planId === h.body.id)).toBeLessThan(r.items.findIndex((i: any) => i.ref.planId === d.body.id));
    expect(r.items.some((i: any) => i.kind === 'visit' && i.ref.id === ids.household)).toBe(false);
    // a day gone by, a day too far, someone else's household are refused
    problem(await plan('wangge', { householdId: ids.household, purpose: 'routine', plannedOn: day(-1) }), 422, 'in_the_past');
    problem(await plan('wangge', { householdId: ids.household, purpose: 'routine', plannedOn: day(400) }), 422, 'too_far_ahead');
    problem(await plan('otherStreet', { householdId: ids.household, purpose: 'routine', plannedOn: day(0) }), 404);
    problem(await plan('wangge', { personIds: [ids.E], purpose: 'routine', plannedOn: day(0) }), 404);
    problem(await plan('rexian', { householdId: ids.household, purpose: 'routine', plannedOn: day(0) }), 403, 'forbidden');
    problem(await as('otherStreet').get(`/api/v1/fieldwork/plans/${h.body.id}`), 404);
  });

  it('the 网格长 plans visits for a worker of the grid; a worker plans only for themselves', async () => {
    const other = (await as('otherStreet').get('/api/v1/auth/me')).body.id;
    const staff = (await as('shequ').get('/api/v1/fieldwork/plan-assignees')).body.items;
    expect(staff.map((u: any) => u.id)).toContain(worker);
    expect(staff.map((u: any) => u.id)).not.toContain(other);
    const r = await plan('shequ', { householdId: ids.household, purpose: 'safety', plannedOn: day(2), assigneeId: worker, note: '燃气检查' });
    expect(r.status, r.text).toBe(201);
    expect(r.body.assignee.id).toBe(worker);
    expect(r.body.createdBy.id).not.toBe(worker);
    expect((await todayPlans()).items.filter((i: any) => i.kind === 'plan').map((i: any) => i.ref.planId)).toContain(r.body.id);
    // the community's list shows it; the worker changes their own plans only
    expect((await as('shequ').get(`/api/v1/fieldwork/plans?from=${day(2)}&to=${day(2)}`)).body.items.map((x: any) => x.id)).toEqual([r.body.id]);
    const shequ = (await as('shequ').get('/api/v1/auth/me')).body.id;
    problem(await plan('wangge', { householdId: ids.household, purpose: 'routine', plannedOn: day(3), assigneeId: shequ }), 403, 'forbidden');
    problem(await plan('shequ', { householdId: ids.household, purpose: 'routine', plannedOn: day(3), assigneeId: other }), 422, 'unknown_assignee');
    problem(await plan('shequ', { personIds: [ids.E], purpose: 'routine', plannedOn: day(3), assigneeId: worker }), 422, 'assignee_outside_grid');
    // moved beyond the next days it leaves 今日; cancelled it stays in the list as cancelled
    const moved = await as('wangge').send('PATCH', `/api/v1/fieldwork/plans/${r.body.id}`, { plannedOn: day(6) });
    expect(moved.status, moved.text).toBe(200);
    expect((await todayPlans()).items.some((i: any) => i.ref.planId === r.body.id)).toBe(false);
    const cancelled = await as('wangge').post(`/api/v1/fieldwork/plans/${r.body.id}/cancel`, { reason: '住户外出务工' });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', note: '燃气检查\n取消：住户外出务工' });
    expect((await as('wangge').post(`/api/v1/fieldwork/plans/${r.body.id}/cancel`, {})).status).toBe(200);
    problem(await as('wangge').send('PATCH', `/api/v1/fieldwork/plans/${r.body.id}`, { plannedOn: day(3) }), 409, 'plan_cancelled');
    expect((await as('shequ').get('/api/v1/fieldwork/plans?status=cancelled')).body.items.map((x: any) => x.id)).toEqual([r.body.id]);
  });

  it('the visit recorded from a plan completes it, once', async () => {
    const [h, d] = (await as('wangge').get('/api/v1/fieldwork/plans?mine=true')).body.items;
    expect([h.household?.id, d.persons[0]?.id]).toEqual([ids.household, ids.D]);
    const body = { purpose: 'routine', householdId: ids.household, planId: h.id, checklist: { members_match: 'yes' }, result: 'visited', note: '噪音问题已缓和' };
    problem(await as('wangge').post('/api/v1/fieldwork/visits', { ...body, householdId: undefined, personIds: [ids.C] }), 422, 'plan_mismatch');
    const v = await as('wangge').send('POST', '/api/v1/fieldwork/visits', body, { 'idempotency-key': 'plan-visit-1' });
    expect(v.status, v.text).toBe(201);
    expect(v.body.plan).toEqual({ id: h.id, plannedOn: day(0) });
    expect((await as('wangge').get(`/api/v1/fieldwork/plans/${h.id}`)).body).toMatchObject({ status: 'done', visitId: v.body.id });
    // the phone's retry gets the first answer; another visit cannot carry out the same plan
    const retry = await as('wangge').send('POST', '/api/v1/fieldwork/visits', body, { 'idempotency-key': 'plan-visit-1' });
    expect([retry.status, retry.body.id]).toEqual([201, v.body.id]);
    problem(await as('wangge').post('/api/v1/fieldwork/visits', body), 409, 'plan_done');
    // the person's plan, carried out by a visit that met them
    const dv = await as('wangge').post('/api/v1/fieldwork/visits', { purpose: 'key_person', personIds: [ids.D], planId: d.id, result: 'visited' });
    expect(dv.status, dv.text).toBe(201);
    expect((await todayPlans()).items.filter((i: any) => i.kind === 'plan')).toEqual([]);
    expect((await as('wangge').get('/api/v1/fieldwork/plans?status=done')).body.items.map((x: any) => x.visitId).sort()).toEqual([v.body.id, dv.body.id].sort());
  });
});

describe('patrols', () => {
  it('records the track posted while walking and the share of the grid it covered', async () => {
    const c = pointIn(homeGrid);
    const start = await as('wangge').post('/api/v1/fieldwork/patrols', c);
    expect(start.status, start.text).toBe(201);
    expect(start.body).toMatchObject({ open: true, started: true, pointCount: 1 });
    const id = start.body.id;
    // a second start answers the open patrol
    expect((await as('wangge').post('/api/v1/fieldwork/patrols', {})).body).toMatchObject({ id, started: false });
    const pts = Array.from({ length: 10 }, (_, i) => ({ lat: c.lat + i * 0.0004, lng: c.lng + i * 0.0002, at: new Date(Date.parse('2026-11-16T01:31:00Z') + i * 20_000).toISOString() }));
    p.clock.advance(5);
    expect((await as('wangge').post(`/api/v1/fieldwork/patrols/${id}/points`, { points: pts.slice(0, 6) })).body).toMatchObject({ added: 6, pointCount: 7 });
    // a repeat of points already stored (a retry after a lost answer) adds only the new ones
    expect((await as('wangge').post(`/api/v1/fieldwork/patrols/${id}/points`, { points: pts.slice(4) })).body).toMatchObject({ added: 4, pointCount: 11 });
    problem(await as('shequ').post(`/api/v1/fieldwork/patrols/${id}/points`, { points: pts }), 409, 'not_your_patrol');
    const stop = await as('wangge').post(`/api/v1/fieldwork/patrols/${id}/stop`, { note: '营盘街沿线' });
    expect(stop.status, stop.text).toBe(200);
    expect(stop.body).toMatchObject({ open: false, pointCount: 11, grid: { code: homeGrid.code } });
    expect(stop.body.patrolId).toBeGreaterThan(0);
    expect(stop.body.distanceM).toBeGreaterThan(300);
    expect(stop.body.coverage.covered).toBeGreaterThan(0);
    expect(stop.body.coverage.share).toBeGreaterThan(0);
    expect(stop.body.coverage.share).toBeLessThan(1);
    // the grid module's patrol record holds the track
    const rec = (await as('wangge').get(`/api/v1/patrols/${stop.body.patrolId}`)).body;
    expect(rec.track).toHaveLength(11);
    problem(await as('wangge').post(`/api/v1/fieldwork/patrols/${id}/points`, { points: pts }), 409, 'patrol_ended');
    expect((await as('wangge').get('/api/v1/fieldwork/patrols/current')).body.patrol).toBeNull();
    problem(await as('otherStreet').get(`/api/v1/fieldwork/patrols/${id}`), 404);
  });
});

describe('finding residents', () => {
  it('finds by full name, surname, ID number and address; names stay sealed', async () => {
    const find = async (q: string) => (await as('wangge').get(`/api/v1/fieldwork/residents?q=${encodeURIComponent(q)}`)).body.items;
    expect((await find('罗')).map((x: any) => x.id).sort()).toEqual([ids.A, ids.B].sort());
    expect((await find('罗小明')).map((x: any) => [x.id, x.nameMasked, x.matched])).toEqual([[ids.A, '罗**', 'name']]);
    expect((await find(idNo.C)).map((x: any) => [x.id, x.matched])).toEqual([[ids.C, 'id_number']]);
    expect((await find('营盘街D号')).map((x: any) => [x.id, x.matched])).toEqual([[ids.D, 'address']]);
    // the worker's grid only: the neighbour grid's 王五 is not found by the home grid's worker, the community finds them
    expect(await find('王五')).toEqual([]);
    expect((await as('shequ').get(`/api/v1/fieldwork/residents?q=${encodeURIComponent('王')}`)).body.items.map((x: any) => x.id)).toEqual([ids.E]);
    // a renamed person is found by the new name at once
    expect((await as('shequ').send('PATCH', `/api/v1/persons/${ids.B}`, { name: '罗伟' })).status).toBe(200);
    expect((await find('罗伟')).map((x: any) => x.id)).toEqual([ids.B]);
    // nothing in clear
    const keys = await p.ctx.db.query<any>('SELECT * FROM person_search_key');
    expect(JSON.stringify(keys)).not.toMatch(/罗|张|李|王/);
    problem(await as('rexian').get('/api/v1/fieldwork/residents?q=%E7%BD%97'), 403, 'forbidden');
  });
});

describe('a visit whose location lies outside the grid', () => {
  it('warns when the visit is saved, and 发现问题 still files its case, placed in the household\'s grid', async () => {
    const body = { purpose: 'key_person', householdId: ids.household, personIds: [], checklist: {}, result: 'not_home', ...pointIn(otherStreet), accuracy: 30 };
    const r = await as('wangge').send('POST', '/api/v1/fieldwork/visits', body, { 'idempotency-key': 'visit-far' });
    expect(r.status, r.text).toBe(201);
    expect(r.body.gridCode).toBe(homeGrid.code);
    expect(r.body.warnings).toEqual([{ code: 'location_outside_grid', message: expect.stringContaining('outside the grid') }]);
    // the retry's answer and the visit's page say so too; a visit placed in its grid has none
    expect((await as('wangge').send('POST', '/api/v1/fieldwork/visits', body, { 'idempotency-key': 'visit-far' })).body.warnings).toHaveLength(1);
    expect((await as('wangge').get(`/api/v1/fieldwork/visits/${r.body.id}`)).body.warnings).toHaveLength(1);
    const near = await as('wangge').post('/api/v1/fieldwork/visits', { ...body, ...pointIn(homeGrid) });
    expect(near.body.warnings).toEqual([]);

    const c = await as('wangge').post(`/api/v1/fieldwork/visits/${r.body.id}/case`, { categoryCode: '020501', title: '邻里矛盾', description: '住户不在家，邻居反映有争执' });
    expect(c.status, c.text).toBe(201);
    const filed = (await as('wangge').get(`/api/v1/cases/${c.body.caseId}`)).body;
    expect(filed.regionCode).toBe(homeGrid.code);
    expect((await as('wangge').get(`/api/v1/fieldwork/visits/${r.body.id}`)).body.case).toMatchObject({ id: c.body.caseId });
  });
});
