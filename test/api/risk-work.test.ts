// The daily work of risk prevention: daily checks on the phone (日排查) with findings registered as hazards,
// the roll call of grids that have not reported (日点名), the street's daily report (日报告), overdue
// key-person follow-ups raising alerts, referral to a counsellor whose notes only they and their supervisor
// read, the 稳评 gate on major decisions, and the week's signals for the weekly assessment meeting.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblemStatus, testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { grids, homeCommunity, homeGrid, homeStreet, neighbourGrid, otherGrid, otherStreet } from '../helpers/fixtures.ts';
import { idNumber } from './registry-helpers.ts';
import { defaultChecklist } from '../../src/modules/risk/checks.ts';
import { registryFollowups } from '../../src/modules/risk/index.ts';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the report's PDF and its page images are left to look at. */
const OUT = 'test-results/risk';

/** Dark pixels in a band of a grey page image (PGM from pdftoppm -gray): ink, not an empty page. */
function inkIn(pgm: Buffer, fromRow: number, toRow: number): number {
  const header = pgm.toString('latin1', 0, 40).split(/\s+/);
  const [w, h] = [Number(header[1]), Number(header[2])];
  const start = pgm.length - w * h;
  let dark = 0;
  for (let y = Math.floor(fromRow * h); y < Math.floor(toRow * h); y++) for (let x = 0; x < w; x++) if (pgm[start + y * w + x] < 128) dark++;
  return dark;
}

let p: TestPlatform;
const t: Record<string, string> = {};
const ids: Record<string, number> = {};
const allOk = () => Object.fromEntries(defaultChecklist.map((i) => [i.key, { ok: true }]));
const TODAY = '2026-11-16';

beforeAll(async () => {
  p = await testPlatform('2026-11-16T01:00:00Z');
  for (const u of ['zhihui', 'jiedao', 'shequ', 'wangge', 'weijian', 'minzheng', 'jumin', 'chengguan', `jd${otherStreet.code}`, `wg${neighbourGrid.code}`]) {
    t[u] = await p.login(u);
    ids[u] = (await p.as(t[u]).get('/api/v1/auth/me')).body.id;
  }
  t.otherStreet = t[`jd${otherStreet.code}`];
  t.neighbour = t[`wg${neighbourGrid.code}`];
  await p.risk.start({ ticks: false, mqtt: false });
});
afterAll(async () => { await p?.close(); });

describe('daily checks (日排查), roll call (日点名), daily report (日报告)', () => {
  it('a grid worker files the day\'s check of their grid on the phone', async () => {
    const tpl = (await p.as(t.wangge).get(`/api/v1/risk/checks/template?region=${homeGrid.code}`)).body;
    expect(tpl.items.map((i: any) => i.key)).toEqual(defaultChecklist.map((i) => i.key));
    const r = await p.as(t.wangge).post('/api/v1/risk/checks', { regionCode: homeGrid.code, answers: allOk(), note: '巡查正常' });
    expect(r.status, r.text).toBe(201);
    expect(r.body).toMatchObject({ regionCode: homeGrid.code, day: TODAY, findings: 0, revisions: 0 });
    // filing again the same day replaces the answers
    const again = await p.as(t.wangge).post('/api/v1/risk/checks', { regionCode: homeGrid.code, answers: allOk(), note: '下午复查正常' });
    expect(again.body).toMatchObject({ id: r.body.id, revisions: 1, note: '下午复查正常' });
  });

  it('refuses checks that are not the checklist, not today, or not the worker\'s grid', async () => {
    const { fire_lanes: _drop, ...partial } = allOk();
    const missing = await p.as(t.wangge).post('/api/v1/risk/checks', { regionCode: homeGrid.code, answers: partial });
    expectProblemStatus(missing, 422, 'checklist_mismatch');
    expect(missing.body.missing).toEqual(['fire_lanes']);
    expectProblemStatus(await p.as(t.wangge).post('/api/v1/risk/checks', { regionCode: homeGrid.code, answers: { ...allOk(), extra_item: { ok: true } } }), 422, 'checklist_mismatch');
    expectProblemStatus(await p.as(t.wangge).post('/api/v1/risk/checks', { regionCode: homeGrid.code, day: '2026-11-17', answers: allOk() }), 422, 'check_day');
    expectProblemStatus(await p.as(t.wangge).post('/api/v1/risk/checks', { regionCode: homeGrid.code, day: '2026-11-10', answers: allOk() }), 422, 'check_day');
    expectProblemStatus(await p.as(t.wangge).post('/api/v1/risk/checks', { regionCode: neighbourGrid.code, answers: allOk() }), 404);
    expectProblemStatus(await p.as(t.wangge).post('/api/v1/risk/checks', { regionCode: homeGrid.code, answers: { fire_lanes: { ok: 'yes' } } }), 400, 'validation_failed');
    expectProblemStatus(await p.as(t.wangge).post('/api/v1/risk/checks', {
      regionCode: homeGrid.code, answers: allOk(), hazards: [{ itemKey: 'gas', title: '燃气', description: '问题' }],
    }), 422, 'finding_not_reported');
    expectProblemStatus(await p.as(t.jiedao).post('/api/v1/risk/checks', { regionCode: homeGrid.code, answers: allOk() }), 403);
  });

  it('a finding becomes a hazard of the register, source 日排查', async () => {
    const r = await p.as(t.neighbour).post('/api/v1/risk/checks', {
      regionCode: neighbourGrid.code, day: '2026-11-15',
      answers: { ...allOk(), ebike_charging: { ok: false, note: '5栋楼道飞线充电' } },
      hazards: [{ itemKey: 'ebike_charging', title: '5栋楼道电动车飞线充电', description: '5栋2单元楼道电动车飞线充电3处', level: 'orange' }],
    });
    expect(r.status, r.text).toBe(201);
    expect(r.body.findings).toBe(1);
    expect(r.body.hazardCaseIds).toHaveLength(1);
    const h = (await p.as(t.shequ).get(`/api/v1/risk/hazards/${r.body.hazardCaseIds[0]}`)).body;
    expect(h).toMatchObject({ source: 'daily_check', level: 'orange', hazardType: '600104', regionCode: neighbourGrid.code });
    await p.as(t.neighbour).post('/api/v1/risk/checks', { regionCode: neighbourGrid.code, answers: allOk() });
  });

  it('the roll call names the grids that have not reported, with who works them', async () => {
    const rc = (await p.as(t.shequ).get(`/api/v1/risk/checks/roll-call?region=${homeCommunity.code}`)).body;
    const inCommunity = grids.filter((g) => g.parentCode === homeCommunity.code).map((g) => g.code).sort();
    expect(rc.items.map((i: any) => i.regionCode).sort()).toEqual(expect.arrayContaining(inCommunity));
    expect(rc.checked).toBe(2);
    expect(rc.missing).toBe(rc.total - 2);
    const missing = rc.items.find((i: any) => !i.checked);
    expect(missing.workers.length).toBeGreaterThan(0);
    expect(rc.items.find((i: any) => i.regionCode === homeGrid.code)).toMatchObject({ checked: true, findings: 0 });
    const yesterday = (await p.as(t.jiedao).get(`/api/v1/risk/checks/roll-call?region=${homeStreet.code}&day=2026-11-15`)).body;
    expect(yesterday.checked).toBe(1);
    expectProblemStatus(await p.as(t.otherStreet).get(`/api/v1/risk/checks/roll-call?region=${homeCommunity.code}`), 404);
    expectProblemStatus(await p.as(t.wangge).get(`/api/v1/risk/checks/roll-call?region=${homeGrid.code}`), 403);
  });

  it('the street\'s daily report is generated from the day, and made by the platform after midnight', async () => {
    const r = await p.as(t.jiedao).get(`/api/v1/risk/daily-report?street=${homeStreet.code}&day=2026-11-15`);
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ day: '2026-11-15', street: { code: homeStreet.code }, checks: { checked: 1, findings: 1, hazardsRegistered: 1 } });
    // the hazard was registered today (a late check of yesterday): today's report counts it, and both see it open
    expect(r.body.hazards.registered.orange).toBe(0);
    expect(r.body.hazards.open.orange).toBe(1);
    expect((await p.as(t.jiedao).get(`/api/v1/risk/daily-report?street=${homeStreet.code}`)).body.hazards).toMatchObject({ registered: { orange: 1 }, open: { orange: 1 } });
    expect(r.body.checks.grids).toBeGreaterThan(r.body.checks.checked);
    expectProblemStatus(await p.as(t.otherStreet).get(`/api/v1/risk/daily-report?street=${homeStreet.code}&day=2026-11-15`), 404);
    expectProblemStatus(await p.as(t.shequ).get(`/api/v1/risk/daily-report?street=${homeStreet.code}`), 404);
    expectProblemStatus(await p.as(t.jiedao).get(`/api/v1/risk/daily-report?street=${homeCommunity.code}`), 400);
    // the platform's own: every street with activity on the day
    expect(await p.risk.dailyReports('2026-11-15')).toBe(1);
  });

  it('a street\'s own checklist replaces the district\'s, version by version', async () => {
    const items = [{ key: 'flood_walls', zh: '防洪墙完好', en: 'Flood walls intact', hazardCategory: '600107' }, { key: 'gas', zh: '燃气安全', en: 'Gas safe' }];
    const r = await p.as(t.jiedao).send('PUT', '/api/v1/risk/checks/template', { items });
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ regionCode: homeStreet.code, version: 1 });
    expect((await p.as(t.wangge).get('/api/v1/risk/checks/template')).body.items.map((i: any) => i.key)).toEqual(['flood_walls', 'gas']);
    expectProblemStatus(await p.as(t.wangge).post('/api/v1/risk/checks', { regionCode: homeGrid.code, answers: allOk() }), 422, 'checklist_mismatch');
    expect((await p.as(t.wangge).post('/api/v1/risk/checks', { regionCode: homeGrid.code, answers: { flood_walls: { ok: true }, gas: { ok: true } } })).status).toBe(201);
    expectProblemStatus(await p.as(t.jiedao).send('PUT', '/api/v1/risk/checks/template', { items: [...items, items[0]] }), 422, 'duplicate_item');
    expectProblemStatus(await p.as(t.shequ).send('PUT', '/api/v1/risk/checks/template', { items }), 403);
  });
});

describe('key persons', () => {
  let personId = 0;
  let labelId = 0;
  it('an overdue follow-up raises an alert for the community', async () => {
    personId = (await p.as(t.shequ).post('/api/v1/persons', { regionCode: homeGrid.code, populationType: 'registered', idNumber: idNumber(), name: '某甲' })).body.id;
    labelId = (await p.as(t.shequ).post(`/api/v1/persons/${personId}/labels`, { type: 'community_correction', startedOn: '2026-09-01', fields: { correctionCategory: '1', correctionStartOn: '2026-09-01', correctionEndOn: '2027-09-01' } })).body.id;
    expect(labelId).toBeGreaterThan(0);
    const other = (await p.as(t.zhihui).post('/api/v1/persons', { regionCode: otherGrid.code, populationType: 'registered', idNumber: idNumber(), name: '某乙' })).body.id;
    const ol = (await p.as(t.zhihui).post(`/api/v1/persons/${other}/labels`, { type: 'custom', customName: '关注', startedOn: '2026-11-01', fields: {} })).body.id;
    await p.as(t.zhihui).post(`/api/v1/persons/${other}/labels/${ol}/followups`, { kind: 'track', method: 'visit', content: '走访', occurredAt: '2026-11-10T02:00:00Z', nextDueOn: '2026-12-10' });
    const rule = await p.as(t.zhihui).post('/api/v1/risk/rules', { name: '重点人员跟踪超期', kind: 'followup_overdue', level: 'orange', params: { graceDays: 3, intervalDays: 30 } });
    expect(rule.status, rule.text).toBe(201);
    await p.risk.settle();
    p.risk.tick();
    await p.risk.settle();
    const alerts = (await p.as(t.shequ).get('/api/v1/risk/alerts?kind=followup_overdue')).body.items;
    expect(alerts).toHaveLength(1);
    // due 30 days after 1 September, overdue since then: 46 days on 16 November
    expect(alerts[0]).toMatchObject({ labelId, regionCode: homeGrid.code, facts: { labelType: 'community_correction', dueOn: '2026-10-01', daysOverdue: 46 } });
    // a later tick raises nothing new; a follow-up ends it
    p.risk.tick();
    await p.risk.settle();
    expect((await p.as(t.zhihui).get('/api/v1/risk/alerts?kind=followup_overdue')).body.total).toBe(1);
  });

  it('the rule reads the follow-ups due through a source that can be replaced (where label schedules plug in)', async () => {
    const asked: unknown[] = [];
    // a schedule source as the label follow-up schedules will give it: one label 6 days overdue, one within the grace days
    p.risk.connectFollowups({
      async due(q) {
        asked.push(q);
        return [
          { labelId, personId, labelType: 'community_correction', regionCode: homeGrid.code, dueOn: '2026-11-10', lastFollowupAt: null },
          { labelId: labelId + 1000, personId, labelType: 'community_correction', regionCode: homeGrid.code, dueOn: '2026-11-14', lastFollowupAt: null },
        ].filter((d) => d.regionCode.startsWith(q.regionPrefix));
      },
    });
    try {
      p.risk.tick();
      await p.risk.settle();
      expect(asked.length).toBeGreaterThan(0);
      const alerts = (await p.as(t.shequ).get('/api/v1/risk/alerts?kind=followup_overdue')).body.items;
      // the registry's alert of before, and the schedule's overdue label; the one within 3 grace days raises nothing
      expect(alerts.map((a: any) => a.facts.dueOn).sort()).toEqual(['2026-10-01', '2026-11-10']);
      expect(alerts.find((a: any) => a.facts.dueOn === '2026-11-10')).toMatchObject({ labelId, facts: { daysOverdue: 6 } });
      // the daily report counts from the same source
      const report = (await p.as(t.jiedao).get(`/api/v1/risk/daily-report?street=${homeStreet.code}&day=${TODAY}`)).body;
      expect(report.keyPersons.followupsOverdue).toBe(2);
    } finally {
      p.risk.connectFollowups(registryFollowups(p.ctx.db));
    }
  });

  it('a referral to a counsellor: the notes are for the counsellor and the supervisor only', async () => {
    const c = await p.as(t.jiedao).post('/api/v1/risk/counsellors', { userId: ids.weijian, supervisorUserId: ids.minzheng, qualification: '二级心理咨询师', specialties: ['青少年', '家庭'] });
    expect(c.status, c.text).toBe(201);
    expectProblemStatus(await p.as(t.jiedao).post('/api/v1/risk/counsellors', { userId: ids.weijian }), 409, 'duplicate_counsellor');
    expectProblemStatus(await p.as(t.jiedao).post('/api/v1/risk/counsellors', { userId: ids.jumin }), 422, 'unknown_user');
    expectProblemStatus(await p.as(t.shequ).post('/api/v1/risk/counsellors', { userId: ids.chengguan }), 403);
    expect((await p.as(t.shequ).get('/api/v1/risk/counsellors')).body.items.map((x: any) => x.id)).toContain(c.body.id);
    // the referrer finds the person by name or surname (keyed hashes; the name comes back masked), not by an id
    const byName = await p.as(t.shequ).get(`/api/v1/risk/referrals/persons?q=${encodeURIComponent('某甲')}`);
    expect(byName.status, byName.text).toBe(200);
    expect(byName.body.items).toEqual([expect.objectContaining({ id: personId, nameMasked: '某*', matched: 'name', labels: [expect.objectContaining({ type: 'community_correction' })] })]);
    expect(byName.text).not.toContain('某甲');
    expect((await p.as(t.shequ).get(`/api/v1/risk/referrals/persons?q=${encodeURIComponent('某')}`)).body.items.map((x: any) => x.id)).toContain(personId);
    expect((await p.as(t.otherStreet).get(`/api/v1/risk/referrals/persons?q=${encodeURIComponent('某甲')}`)).body.items).toEqual([]);
    expectProblemStatus(await p.as(t.wangge).get(`/api/v1/risk/referrals/persons?q=${encodeURIComponent('某甲')}`), 403);
    expectProblemStatus(await p.as(t.shequ).get('/api/v1/risk/referrals/persons?q='), 400);
    const ref = await p.as(t.shequ).post('/api/v1/risk/referrals', { personId, labelId, counsellorId: c.body.id, reason: '近期情绪低落，与家人矛盾' });
    expect(ref.status, ref.text).toBe(201);
    // the referral names its person as the registry masks them, for the counsellor too (who has no registry access)
    expect(ref.body.person.nameMasked).toBe('某*');
    expect((await p.as(t.weijian).get('/api/v1/risk/referrals?mine=true')).body.items.find((x: any) => x.id === ref.body.id)?.person.nameMasked).toBe('某*');
    const rid = ref.body.id;
    // the counsellor sees the person by masked name, and reveals the name and phone for a stated purpose (audited)
    const seen = (await p.as(t.weijian).get(`/api/v1/risk/referrals/${rid}`)).body;
    expect(seen).toMatchObject({ person: { nameMasked: '某*', labels: ['community_correction'] }, mayRevealPerson: true });
    expect((await p.as(t.weijian).get('/api/v1/risk/referrals?mine=true')).body.items[0].person.nameMasked).toBe('某*');
    expectProblemStatus(await p.as(t.weijian).post(`/api/v1/risk/referrals/${rid}/person/reveal`, {}), 400);
    const shown = await p.as(t.weijian).post(`/api/v1/risk/referrals/${rid}/person/reveal`, { purpose: '电话预约首次心理疏导' });
    expect(shown.status, shown.text).toBe(200);
    expect(shown.body).toMatchObject({ id: personId, name: '某甲' });
    const [audit] = await p.ctx.db.query<any>(`SELECT actor_id, target, detail FROM audit_log WHERE action = 'registry.reveal' AND target = $1 ORDER BY id DESC LIMIT 1`, [`person:${personId}`]);
    expect(audit).toMatchObject({ actor_id: ids.weijian, detail: { purpose: '电话预约首次心理疏导', via: 'referral', referralId: rid } });
    // the referrer reveals through the registry's own right; staff who are neither see no referral at all
    expect((await p.as(t.shequ).post(`/api/v1/risk/referrals/${rid}/person/reveal`, { purpose: '核实转介对象' })).body.name).toBe('某甲');
    expectProblemStatus(await p.as(t.chengguan).post(`/api/v1/risk/referrals/${rid}/person/reveal`, { purpose: '查看' }), 404);
    expectProblemStatus(await p.as(t.otherStreet).post(`/api/v1/risk/referrals/${rid}/person/reveal`, { purpose: '查看' }), 404);
    expectProblemStatus(await p.as(t.otherStreet).post('/api/v1/risk/referrals', { personId, counsellorId: c.body.id, reason: 'x' }), 404);
    expectProblemStatus(await p.as(t.shequ).post('/api/v1/risk/referrals', { personId, labelId: 999999, counsellorId: c.body.id, reason: 'x' }), 404);
    expectProblemStatus(await p.as(t.shequ).post('/api/v1/risk/referrals', { personId, counsellorId: 999999, reason: 'x' }), 422, 'unknown_counsellor');
    const secret = '来访者自述失眠两周，有轻生念头，已约定每周面谈';
    const note = await p.as(t.weijian).post(`/api/v1/risk/referrals/${rid}/notes`, { text: secret });
    expect(note.status, note.text).toBe(201);
    expect((await p.as(t.weijian).get(`/api/v1/risk/referrals/${rid}/notes`)).body.items.map((n: any) => n.text)).toEqual([secret]);
    expect((await p.as(t.minzheng).post(`/api/v1/risk/referrals/${rid}/notes`, { text: '督导意见：注意危机干预' })).status).toBe(201);
    expect((await p.as(t.minzheng).get(`/api/v1/risk/referrals/${rid}/notes`)).body.items).toHaveLength(2);
    // the referrer, the street, the command centre see the referral, never the notes
    for (const who of ['shequ', 'jiedao', 'zhihui']) {
      const r = await p.as(t[who]).get(`/api/v1/risk/referrals/${rid}`);
      expect(r.status, who).toBe(200);
      expect(r.body).toMatchObject({ notes: 2, mayReadNotes: false });
      expect(r.text).not.toContain('失眠');
      expectProblemStatus(await p.as(t[who]).get(`/api/v1/risk/referrals/${rid}/notes`), 404);
      expectProblemStatus(await p.as(t[who]).post(`/api/v1/risk/referrals/${rid}/notes`, { text: '看看' }), 404);
    }
    expect((await p.as(t.weijian).get(`/api/v1/risk/referrals/${rid}`)).body.mayReadNotes).toBe(true);
    expectProblemStatus(await p.as(t.otherStreet).get(`/api/v1/risk/referrals/${rid}`), 404);
    expectProblemStatus(await p.as(t.chengguan).get(`/api/v1/risk/referrals/${rid}/notes`), 404);
    expectProblemStatus(await p.as(t.jumin).get(`/api/v1/risk/referrals/${rid}/notes`), 403);
    // sealed at rest
    const rows = await p.ctx.db.query<{ sealed: string }>('SELECT sealed FROM counselling_note');
    expect(rows).toHaveLength(2);
    for (const r of rows) expect(r.sealed).not.toContain('失眠');
    // the counsellor's list; ending the referral keeps the notes as they are
    expect((await p.as(t.weijian).get('/api/v1/risk/referrals?mine=true')).body.items.map((x: any) => x.id)).toEqual([rid]);
    expect((await p.as(t.weijian).post(`/api/v1/risk/referrals/${rid}/end`, {})).body.status).toBe('ended');
    expectProblemStatus(await p.as(t.weijian).post(`/api/v1/risk/referrals/${rid}/notes`, { text: '补充' }), 409, 'referral_ended');
    // a supervisor changed: the former one reads nothing more
    await p.as(t.jiedao).send('PATCH', `/api/v1/risk/counsellors/${c.body.id}`, { supervisorUserId: ids.chengguan });
    expectProblemStatus(await p.as(t.minzheng).get(`/api/v1/risk/referrals/${rid}/notes`), 404);
    expect((await p.as(t.chengguan).get(`/api/v1/risk/referrals/${rid}/notes`)).body.items).toHaveLength(2);
  });
});

describe('稳评: no major decision approved without its stability risk assessment', () => {
  let id = 0;
  const point = { description: '征地补偿标准低于周边项目，可能引发群体上访', category: '征地拆迁', importance: 5, urgency: 4, measures: '按新标准补偿并公示', owner: '区住建委' };
  const consultation = { method: 'hearing', heldOn: '2026-11-10', participants: 120, support: 96, oppose: 12, summary: '多数群众支持，部分关注补偿标准' };
  const review = { expertName: '王教授', field: '社会学', opinion: '风险可控，需落实补偿', recommendation: 'agree_with_conditions', reviewedOn: '2026-11-12' };

  it('refuses approval before a completed assessment, and a completion without its parts', async () => {
    const d = await p.as(t.jiedao).post('/api/v1/risk/decisions', { title: '合阳城老旧小区成片改造项目', kind: 'project', description: '涉及居民1200户的成片改造', ownerUnitId: 'dept-zhujian' });
    expect(d.status, d.text).toBe(201);
    id = d.body.id;
    expectProblemStatus(await p.as(t.zhihui).post(`/api/v1/risk/decisions/${id}/decide`, { status: 'approved' }), 409, 'assessment_required');
    expect((await p.as(t.jiedao).post(`/api/v1/risk/decisions/${id}/assessment`, {})).status).toBe(201);
    expectProblemStatus(await p.as(t.jiedao).post(`/api/v1/risk/decisions/${id}/assessment`, {}), 409, 'assessment_under_way');
    expectProblemStatus(await p.as(t.zhihui).post(`/api/v1/risk/decisions/${id}/decide`, { status: 'approved' }), 409, 'assessment_required');
    const early = await p.as(t.jiedao).post(`/api/v1/risk/decisions/${id}/assessment/complete`, { rating: 'medium', conclusion: 'proceed', conclusionText: '可以实施' });
    expectProblemStatus(early, 409, 'assessment_incomplete');
    expect(early.body.missing).toEqual(['risk_points', 'consultation', 'expert_review']);
    expectProblemStatus(await p.as(t.jiedao).post(`/api/v1/risk/decisions/${id}/assessment/risk-points`, { ...point, importance: 6 }), 400, 'validation_failed');
    expectProblemStatus(await p.as(t.jiedao).post(`/api/v1/risk/decisions/${id}/assessment/consultations`, { ...consultation, support: 100, oppose: 30 }), 422, 'consultation_counts');
  });

  it('approves after the assessment lets it proceed; the report content is assembled in Chinese', async () => {
    for (const [path, body] of [['risk-points', point], ['risk-points', { ...point, description: '施工噪音扰民', importance: 2, urgency: 3 }], ['consultations', consultation], ['expert-reviews', review]] as const) {
      const r = await p.as(t.jiedao).post(`/api/v1/risk/decisions/${id}/assessment/${path}`, body);
      expect(r.status, r.text).toBe(201);
    }
    expectProblemStatus(await p.as(t.jiedao).post(`/api/v1/risk/decisions/${id}/assessment/complete`, { rating: 'high', conclusion: 'proceed', conclusionText: 'x' }), 422, 'conclusion_rating_mismatch');
    const done = await p.as(t.jiedao).post(`/api/v1/risk/decisions/${id}/assessment/complete`, { rating: 'medium', conclusion: 'proceed_with_measures', conclusionText: '落实补偿和施工降噪措施后实施' });
    expect(done.status, done.text).toBe(200);
    expect(done.body.assessments[0]).toMatchObject({ status: 'completed', rating: 'medium' });
    // the street assesses; the command centre decides
    expectProblemStatus(await p.as(t.jiedao).post(`/api/v1/risk/decisions/${id}/decide`, { status: 'approved' }), 403);
    const ok = await p.as(t.zhihui).post(`/api/v1/risk/decisions/${id}/decide`, { status: 'approved', note: '同意实施' });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.status).toBe('approved');
    expectProblemStatus(await p.as(t.zhihui).post(`/api/v1/risk/decisions/${id}/decide`, { status: 'turned_down' }), 409, 'decision_decided');
    const report = (await p.as(t.zhihui).get(`/api/v1/risk/decisions/${id}/report-content`)).body;
    expect(report.title).toBe('关于“合阳城老旧小区成片改造项目”的社会稳定风险评估报告');
    expect(report.riskPoints.map((x: any) => x.priority)).toEqual([20, 6]);
    expect(report).toMatchObject({ rating: { label: '中风险' }, conclusion: { label: '落实风险防范化解措施后实施' }, consultations: [{ method: '听证会', supportRate: 80 }] });
    expect(report.expertReviews[0].recommendation).toBe('有条件同意');
    expectProblemStatus(await p.as(t.otherStreet).get(`/api/v1/risk/decisions/${id}`), 404);
    expectProblemStatus(await p.as(t.jumin).get('/api/v1/risk/decisions'), 403);
  });

  it('prints the report as a Chinese PDF: decision, consultation, expert review, risk points by priority, rating, conclusion', async () => {
    const res = await p.http.inject({ method: 'GET', url: `/api/v1/risk/decisions/${id}/report.pdf`, headers: { authorization: `Bearer ${t.zhihui}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    mkdirSync(OUT, { recursive: true });
    const file = join(OUT, 'wp-report.pdf');
    writeFileSync(file, res.rawPayload);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/[ \t]+/g, ' ');
    for (const words of ['社会稳定风险评估报告', '合阳城老旧小区成片改造项目', '重大项目', '区住建委', '听证会', '80%', '王教授', '有条件同意',
      '征地补偿标准低于周边项目', '施工噪音扰民', '风险等级为：中风险', '落实风险防范化解措施后实施', '落实补偿和施工降噪措施后实施']) expect(text).toContain(words);
    // the risk points by priority: 5 × 4 = 20 before 2 × 3 = 6
    expect(text.indexOf('征地补偿标准低于周边项目')).toBeLessThan(text.indexOf('施工噪音扰民'));
    expect(text).toMatch(/征地补偿标准低于周边项目.*征地拆迁 5 4 20/);
    // rendered, the page carries ink where the title and the tables are (CJK glyphs drawn, not empty boxes)
    execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', file, join(OUT, 'wp-report-page')]);
    execFileSync('pdftoppm', ['-gray', '-r', '40', '-f', '1', '-l', '1', file, join(OUT, 'wp-report-grey')]);
    const pgm = readFileSync(join(OUT, 'wp-report-grey-1.pgm'));
    expect(inkIn(pgm, 0.05, 0.15)).toBeGreaterThan(150);
    expect(inkIn(pgm, 0.3, 0.9)).toBeGreaterThan(1500);
    // no report before a completed assessment, none outside the territory
    const draft = (await p.as(t.jiedao).post('/api/v1/risk/decisions', { title: '夜市选址', kind: 'project', description: '夜市选址于滨江路' })).body.id;
    expectProblemStatus(await p.as(t.jiedao).get(`/api/v1/risk/decisions/${draft}/report.pdf`), 409, 'assessment_required');
    expectProblemStatus(await p.as(t.otherStreet).get(`/api/v1/risk/decisions/${id}/report.pdf`), 404);
    expectProblemStatus(await p.as(t.shequ).get(`/api/v1/risk/decisions/${id}/report.pdf`), 403);
  });

  it('prints the report\'s dates as Chinese dates of China time, also just after midnight there (still the day before in UTC)', async () => {
    const was = p.clock.now.toISOString();
    p.clock.set('2026-12-05T16:30:00Z'); // 2026-12-06 00:30 in 合川
    try {
      const street = p.as(await p.login('jiedao'));
      const d = (await street.post('/api/v1/risk/decisions', { title: '滨江路夜市设置', kind: 'project', description: '在滨江路设置夜间经营区' })).body.id;
      expect((await street.post(`/api/v1/risk/decisions/${d}/assessment`, {})).status).toBe(201);
      for (const [path, body] of [['risk-points', point], ['consultations', { ...consultation, heldOn: '2026-12-01' }], ['expert-reviews', { ...review, reviewedOn: '2026-12-03' }]] as const) {
        expect((await street.post(`/api/v1/risk/decisions/${d}/assessment/${path}`, body)).status).toBe(201);
      }
      expect((await street.post(`/api/v1/risk/decisions/${d}/assessment/complete`, { rating: 'medium', conclusion: 'proceed_with_measures', conclusionText: '落实措施后实施' })).status).toBe(200);
      const res = await p.http.inject({ method: 'GET', url: `/api/v1/risk/decisions/${d}/report.pdf`, headers: { authorization: `Bearer ${await p.login('zhihui')}` } });
      expect(res.statusCode).toBe(200);
      mkdirSync(OUT, { recursive: true });
      const file = join(OUT, 'wp-report-dates.pdf');
      writeFileSync(file, res.rawPayload);
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
      expect(text).toContain('评估时间：2026年12月6日至2026年12月6日');
      expect(text).toContain('报告日期：2026年12月6日');
      expect(text).toContain('稳评〔2026〕');
      // the consultation's and the review's civil dates, as they were entered
      expect(text).toMatch(/座谈会|听证会/);
      expect(text).toContain('2026年12月1日');
      expect(text).toContain('2026年12月3日');
      // neither ISO dates nor the UTC day
      expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
      expect(text).not.toContain('2026年12月5日');
    } finally {
      p.clock.set(was);
    }
  });

  it('an assessment that concludes against the decision blocks its approval', async () => {
    const d = (await p.as(t.jiedao).post('/api/v1/risk/decisions', { title: '垃圾中转站选址', kind: 'project', description: '选址于居民区旁' })).body.id;
    await p.as(t.jiedao).post(`/api/v1/risk/decisions/${d}/assessment`, {});
    for (const [path, body] of [['risk-points', point], ['consultations', { ...consultation, support: 10, oppose: 100 }], ['expert-reviews', { ...review, recommendation: 'disagree' }]] as const) {
      await p.as(t.jiedao).post(`/api/v1/risk/decisions/${d}/assessment/${path}`, body);
    }
    await p.as(t.jiedao).post(`/api/v1/risk/decisions/${d}/assessment/complete`, { rating: 'high', conclusion: 'postpone', conclusionText: '群众反对强烈，暂缓实施' });
    expectProblemStatus(await p.as(t.zhihui).post(`/api/v1/risk/decisions/${d}/decide`, { status: 'approved' }), 409, 'assessment_against');
    expect((await p.as(t.jiedao).post(`/api/v1/risk/decisions/${d}/decide`, { status: 'withdrawn', note: '另行选址' })).body.status).toBe('withdrawn');
  });
});

describe('周研判: the week\'s signals for the agenda', () => {
  it('gathers the week and suggests an agenda: pending alerts, open red and orange hazards, overdue follow-ups, decisions awaiting 稳评', async () => {
    await p.as(t.jiedao).post('/api/v1/risk/decisions', { title: '菜市场改造', kind: 'project', description: '菜市场搬迁改造' });
    const r = await p.as(t.jiedao).get(`/api/v1/risk/weekly-signals?region=${homeStreet.code}&week=2026-11-16`);
    expect(r.status, r.text).toBe(200);
    const w = r.body;
    expect(w.hazards.open.orange).toBeGreaterThanOrEqual(1);
    expect(w.keyPersons.followupsOverdue).toBeGreaterThanOrEqual(1);
    expect(w.checks.filed).toBeGreaterThanOrEqual(2);
    // on the week's Monday, one day of checks is expected of each grid (not seven)
    expect(w.checks).toMatchObject({ days: 1, expected: w.checks.grids });
    const kinds = w.agenda.map((a: any) => a.ref.kind);
    expect(kinds).toEqual(expect.arrayContaining(['alert', 'hazard', 'followups', 'checks', 'decision']));
    expect(w.agenda.filter((a: any) => a.ref.kind === 'decision').map((a: any) => a.title.zh)).toContain('待决策事项稳评：菜市场改造');
    expectProblemStatus(await p.as(t.jiedao).get(`/api/v1/risk/weekly-signals?region=${homeStreet.code}&week=2026-11-17`), 422, 'week_start');
    expectProblemStatus(await p.as(t.otherStreet).get(`/api/v1/risk/weekly-signals?region=${homeStreet.code}`), 404);
  });

  it('convenes the weekly review with that agenda; a decision in its minutes becomes a hazard case of the register', async () => {
    const kinds = (await p.as(t.jiedao).get('/api/v1/meeting-kinds')).body.items;
    expect(kinds).toEqual(expect.arrayContaining([{ kind: 'risk.weekly_review', label: { zh: '风险隐患周研判', en: 'Weekly risk review' }, mayHold: true }]));
    const body = { week: '2026-11-16', scheduledAt: '2026-11-16T00:30:00Z', place: '街道综治中心会议室', attendees: [{ name: '张主任', organisation: '街道综治中心' }], extraAgenda: ['汛期准备'] };
    const r = await p.as(t.jiedao).post('/api/v1/risk/weekly-reviews', body);
    expect(r.status, r.text).toBe(201);
    const w = (await p.as(t.jiedao).get(`/api/v1/risk/weekly-signals?region=${homeStreet.code}&week=2026-11-16`)).body;
    const m = r.body.meeting;
    expect(m).toMatchObject({ kind: 'risk.weekly_review', regionCode: homeStreet.code, status: 'scheduled', mayHold: true });
    expect(m.title).toContain('风险隐患周研判（2026-11-16起一周）');
    // the week in figures, then one item per signal in the signals' order, then the items added by hand
    expect(m.agenda).toHaveLength(1 + w.agenda.length + 1);
    expect(m.agenda[0].title).toBe('本周风险态势概况');
    expect(m.agenda[0].note).toContain(`日排查${w.checks.filed}/${w.checks.expected}格次`);
    expect(m.agenda.slice(1, -1).map((a: any) => a.title)).toEqual(w.agenda.map((a: any) => a.title.zh));
    expect(m.agenda.at(-1).title).toBe('汛期准备');
    const hazardItem = w.agenda.findIndex((a: any) => a.ref.kind === 'hazard');
    expect(m.agenda[1 + hazardItem].caseId).toBe(w.agenda[hazardItem].ref.id);
    // each item's note says what it is about in words: a hazard by its case number, never 「隐患#309」 or 「预警#1」
    expect(m.agenda[1 + hazardItem].note).toMatch(/^(红色|橙色) · 隐患 YH\d+$/);
    for (const a of m.agenda) expect(a.note ?? '').not.toMatch(/#\d/);
    // who may convene: the street and the community hold it; a grid worker reads the register but does not
    expectProblemStatus(await p.as(t.wangge).post('/api/v1/risk/weekly-reviews', body), 403);
    expectProblemStatus(await p.as(t.jumin).post('/api/v1/risk/weekly-reviews', body), 403);
    expectProblemStatus(await p.as(t.otherStreet).post('/api/v1/risk/weekly-reviews', { ...body, regionCode: homeStreet.code }), 404);
    expectProblemStatus(await p.as(t.jiedao).post('/api/v1/risk/weekly-reviews', { ...body, week: '2026-11-18' }), 422, 'week_start');
    expectProblemStatus(await p.as(t.otherStreet).get(`/api/v1/meetings/${m.id}`), 404);
    // decisions wait for the minutes; then one becomes a hazard case through the engine's intake
    const decision = { text: '对合阳城片区电动车集中充电问题挂牌督办', case: { type: 'hazard', categoryCode: '600104', title: '合阳城片区电动车飞线充电', description: '周研判议定：片区内多处楼道飞线充电，限期整改', urgency: 'urgent' } };
    expectProblemStatus(await p.as(t.jiedao).post(`/api/v1/meetings/${m.id}/decisions`, decision), 409, 'meeting_not_held');
    expect((await p.as(t.jiedao).send('PUT', `/api/v1/meetings/${m.id}/minutes`, { minutes: '会议逐项研判本周预警和隐患。' })).status).toBe(200);
    expectProblemStatus(await p.as(t.jiedao).post(`/api/v1/meetings/${m.id}/decisions`, { ...decision, case: { ...decision.case, type: 'grid_event' } }), 422, 'hazard_only');
    const d = await p.as(t.jiedao).post(`/api/v1/meetings/${m.id}/decisions`, decision);
    expect(d.status, d.text).toBe(201);
    expect(d.body.caseNo).toMatch(/^YH/);
    const hazard = (await p.as(t.jiedao).get(`/api/v1/risk/hazards/${d.body.caseId}`)).body;
    expect(hazard).toMatchObject({ caseNo: d.body.caseNo, title: '合阳城片区电动车飞线充电', source: 'weekly_review', level: 'orange', hazardType: '600104', regionCode: homeStreet.code, state: 'logged', isOpen: true });
    const held = (await p.as(t.jiedao).get(`/api/v1/meetings/${m.id}`)).body;
    expect(held.decisions).toEqual([expect.objectContaining({ seq: 1, caseId: d.body.caseId, caseNo: d.body.caseNo })]);
    // a decision that stays text, and the minutes printed
    expect((await p.as(t.jiedao).post(`/api/v1/meetings/${m.id}/decisions`, { text: '下周重点核查燃气隐患' })).body).toMatchObject({ seq: 2, caseId: null });
    const pdf = await p.http.inject({ method: 'GET', url: `/api/v1/meetings/${m.id}/minutes.pdf`, headers: { authorization: `Bearer ${t.jiedao}` } });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });
});
