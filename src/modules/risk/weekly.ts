// The week's signals for the weekly risk assessment meeting (风险隐患周研判): what the meetings module draws
// the agenda from. Alerts raised and still pending, hazards registered, written off and still open (red
// and orange first), the roll call over the week, overdue follow-ups of key persons, decisions awaiting
// their 稳评. Each agenda item names what it is about, so the minutes' decisions can become cases of it.
import type { Actor } from '../../platform/auth/actor.ts';
import { notFound, unprocessable } from '../../platform/errors.ts';
import { regionPrefixSql, regionScope } from '../../platform/scope.ts';
import { caseReportsBetween, caseStepsBetween, type CaseDeps } from '../cases/index.ts';
import { registryFollowups, type FollowupSource } from './followups.ts';
import { alertCounts } from './alerts.ts';
import { dayStart } from './checks.ts';
import { levels } from './hazards.ts';
import { riskPolicy } from './policy.ts';
import { HAZARD_TYPE, registerHazard } from './hazards.ts';
import { chinaDate } from './rules/history.ts';
import type { MeetingKind, Meetings } from '../../platform/meetings/index.ts';
import type { WeeklyReviewCreateT } from './contracts.ts';

const DAY_MS = 86_400_000;

export interface AgendaItem {
  /** what the item is about: an alert, a hazard, or a figure of the week */
  ref: { kind: 'alert' | 'hazard' | 'followups' | 'checks' | 'decision'; id?: number; /** a hazard's case number */ caseNo?: string };
  title: { zh: string; en: string };
  level: string | null;
}

export async function weeklySignals(cases: CaseDeps, actor: Actor | null, regionCode: string, weekStart: string, followups: FollowupSource = registryFollowups(cases.ctx.db)) {
  if (actor) {
    riskPolicy.assert(actor, 'risk.check.read');
    if (!regionScope(actor).within(regionCode)) throw notFound({ zh: `区划 ${regionCode}`, en: `Region ${regionCode}` });
  }
  if (new Date(`${weekStart}T00:00:00Z`).getUTCDay() !== 1) throw unprocessable('week_start', { zh: `周报须从星期一开始。`, en: 'A week starts on a Monday.' });
  const { db } = cases.ctx;
  const from = dayStart(weekStart);
  const to = new Date(from.getTime() + 7 * DAY_MS);
  const alerts = await alertCounts(db, regionCode, from, to);
  const params: unknown[] = [to];
  const scope = regionPrefixSql(regionCode, 'a', params, true);
  const pending = await db.query<any>(
    `SELECT a.id, a.kind, a.level, a.facts, a.raised_at, r.name AS region_name, ru.name AS rule_name FROM alert a
     LEFT JOIN region r ON r.code = a.region_code LEFT JOIN alert_rule ru ON ru.id = a.rule_id AND ru.district_code = a.district_code
     WHERE a.raised_at < $1 AND a.status IN ('open', 'acknowledged', 'assigned') AND ${scope}
     ORDER BY array_position(ARRAY['red','orange','yellow','blue'], a.level), a.raised_at LIMIT 20`, params);
  const hp: unknown[] = [from, to];
  const hscope = regionPrefixSql(regionCode, 'h', hp, true);
  const hazards = await db.query<any>(
    `SELECT h.case_id, h.case_no, h.title, h.level, h.kind, h.is_open, h.created_at, h.written_off_at, r.name AS region_name FROM hazard h
     LEFT JOIN region r ON r.code = h.region_code WHERE ${hscope} AND (h.is_open OR (h.written_off_at >= $1 AND h.written_off_at < $2) OR (h.created_at >= $1 AND h.created_at < $2))
     ORDER BY array_position(ARRAY['red','orange','yellow','blue'], h.level), h.case_id LIMIT 2000`, hp);
  const openHazards = hazards.filter((h) => h.is_open);
  const lastDay = new Date(Date.parse(`${weekStart}T00:00:00Z`) + 6 * DAY_MS).toISOString().slice(0, 10);
  const cp: unknown[] = [weekStart, lastDay];
  const cscope = regionPrefixSql(regionCode, 'c', cp, true);
  const [checks] = await db.query<{ filed: number; findings: number }>(
    `SELECT count(*)::int AS filed, coalesce(sum(findings), 0)::int AS findings FROM daily_check c WHERE c.day >= $1::date AND c.day <= $2::date AND ${cscope}`, cp);
  const grids = (await cases.regions.gridsUnder(regionCode)).length;
  // checks are expected for the days of the week gone by (today included), not for days to come
  const daysSoFar = Math.min(7, Math.max(0, Math.floor((Date.parse(`${chinaDate(cases.ctx.now())}T00:00:00Z`) - Date.parse(`${weekStart}T00:00:00Z`)) / DAY_MS) + 1));
  const expected = grids * daysSoFar;
  const reports = await caseReportsBetween(cases, { regionPrefix: regionCode, from: new Date(from.getTime() - 1), to: new Date(to.getTime() - 1) });
  const steps = await caseStepsBetween(cases, { regionPrefix: regionCode, from: new Date(from.getTime() - 1), to: new Date(to.getTime() - 1) });
  const due = (await followups.due({ regionPrefix: regionCode, asOf: new Date(to.getTime() - 1), intervalDays: 30 }))
    .filter((d) => d.dueOn < lastDay);
  const dp: unknown[] = [];
  const decisions = await db.query<any>(
    `SELECT d.id, d.title FROM major_decision d WHERE d.status = 'draft' AND ${regionPrefixSql(regionCode, 'd', dp, false)} ORDER BY d.id LIMIT 20`, dp);

  const agenda: AgendaItem[] = [
    ...pending.map((a): AgendaItem => ({
      ref: { kind: 'alert', id: Number(a.id) }, level: a.level,
      title: { zh: `待处置预警：${a.rule_name ?? a.kind}${a.region_name ? `（${a.region_name}）` : ''}`, en: `Pending alert: ${a.rule_name ?? a.kind}${a.region_name ? ` (${a.region_name})` : ''}` },
    })),
    ...openHazards.filter((h) => h.level === 'red' || h.level === 'orange').slice(0, 20).map((h): AgendaItem => ({
      ref: { kind: 'hazard', id: Number(h.case_id), caseNo: h.case_no }, level: h.level,
      title: { zh: `未销号隐患：${h.title}（${h.case_no}）`, en: `Open hazard: ${h.title} (${h.case_no})` },
    })),
    ...(due.length ? [{ ref: { kind: 'followups' as const }, level: null, title: { zh: `重点人员跟踪帮扶超期${due.length}人`, en: `${due.length} key persons' follow-ups overdue` } }] : []),
    ...(checks.filed < expected ? [{ ref: { kind: 'checks' as const }, level: null, title: { zh: `本周日排查缺报${expected - checks.filed}格次`, en: `${expected - checks.filed} daily checks missing this week` } }] : []),
    ...decisions.map((d): AgendaItem => ({ ref: { kind: 'decision', id: Number(d.id) }, level: null, title: { zh: `待决策事项稳评：${d.title}`, en: `Decision awaiting its assessment: ${d.title}` } })),
  ];
  return {
    regionCode, weekStart, from: from.toISOString(), to: to.toISOString(),
    alerts: {
      raised: alerts.reduce((n, a) => n + a.raised, 0), pending: pending.length,
      byLevel: Object.fromEntries(levels.map((l) => [l, alerts.filter((a) => a.level === l).reduce((n, a) => n + a.raised, 0)])),
      byKind: Object.fromEntries([...new Set(alerts.map((a) => a.kind))].map((k) => [k, alerts.filter((a) => a.kind === k).reduce((n, a) => n + a.raised, 0)])),
    },
    hazards: {
      registered: hazards.filter((h) => new Date(h.created_at) >= from && new Date(h.created_at) < to).length,
      writtenOff: hazards.filter((h) => h.written_off_at && new Date(h.written_off_at) >= from).length,
      open: Object.fromEntries(levels.map((l) => [l, openHazards.filter((h) => h.level === l).length])),
    },
    checks: { grids, days: daysSoFar, filed: checks.filed, expected, findings: checks.findings },
    cases: { reported: reports.length, overdueSteps: steps.filter((s) => s.fact === 'overdue').length, returned: steps.filter((s) => s.fact === 'returned').length },
    keyPersons: { followupsOverdue: due.length },
    agenda,
  };
}

// ---------------------------------------------------------------------------------------------
// 周研判 as a meeting: the platform's meetings hold it; its agenda is drawn from the week's signals and
// the decisions in its minutes become hazard cases through the case engine's intake (source 周研判).

export const WEEKLY_REVIEW = 'risk.weekly_review';

/** The meeting kind: read by whoever reads the register, held by the territory's centres and communities. */
export function weeklyReviewKind(cases: CaseDeps): MeetingKind {
  return {
    kind: WEEKLY_REVIEW,
    label: { zh: '风险隐患周研判', en: 'Weekly risk review' },
    mayRead: (actor) => riskPolicy.can(actor, 'risk.read'),
    mayHold: (actor) => riskPolicy.can(actor, 'risk.check.read') && riskPolicy.can(actor, 'risk.register.write'),
    async toCase(actor, c) {
      if (c.type !== HAZARD_TYPE) throw unprocessable('hazard_only', { zh: `每周风险研判的决定以隐患案件（类型 hazard）办理。`, en: 'A decision of the weekly risk review becomes a hazard case (type "hazard").' });
      if (!/^\d{6}$/.test(c.categoryCode)) throw unprocessable('hazard_category', { zh: `隐患案件须选择6位隐患分类编码。`, en: 'A hazard case takes a 6-digit hazard category.' });
      const level = c.urgency === 'emergency' ? 'red' : c.urgency === 'urgent' ? 'orange' : 'yellow';
      const h = await registerHazard(cases, actor, {
        categoryCode: c.categoryCode, title: c.title, description: c.description, regionCode: c.regionCode, source: 'weekly_review', level,
      });
      return { caseId: h.caseId, caseNo: h.caseNo };
    },
  };
}

/** The Monday of the China week an instant falls in. */
export function mondayOf(d: Date): string {
  const day = new Date(`${chinaDate(d)}T00:00:00Z`);
  return new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Convenes the week's review: the first agenda item is the week in figures, then one item per signal
 * (pending alerts, open red and orange hazards with their case, overdue follow-ups, missing checks,
 * decisions awaiting 稳评), then the items added by hand.
 */
export async function conveneWeeklyReview(cases: CaseDeps, meetings: Meetings, actor: Actor, input: WeeklyReviewCreateT, followups?: FollowupSource) {
  const regionCode = input.regionCode ?? actor.regionCode;
  const week = input.week ?? mondayOf(cases.ctx.now());
  const s = await weeklySignals(cases, actor, regionCode, week, followups);
  const region = await cases.regions.find(regionCode);
  const name = region?.name ?? regionCode;
  const overview = {
    title: '本周风险态势概况',
    note: `预警${s.alerts.raised}条（待处置${s.alerts.pending}条）；新登记隐患${s.hazards.registered}处，销号${s.hazards.writtenOff}处，`
      + `在册未销号红${s.hazards.open.red}、橙${s.hazards.open.orange}、黄${s.hazards.open.yellow}、蓝${s.hazards.open.blue}处；`
      + `日排查${s.checks.filed}/${s.checks.expected}格次，发现问题${s.checks.findings}项；案件${s.cases.reported}件，超期${s.cases.overdueSteps}件次，退回${s.cases.returned}件次；`
      + `重点人员跟踪超期${s.keyPersons.followupsOverdue}人。`,
  };
  const levelZh: Record<string, string> = { red: '红色', orange: '橙色', yellow: '黄色', blue: '蓝色' };
  const refNote: Record<AgendaItem['ref']['kind'], string> = { alert: '预警', hazard: '隐患', followups: '重点人员', checks: '日排查', decision: '稳评' };
  const agenda = [
    overview,
    ...s.agenda.map((a) => ({
      title: a.title.zh.slice(0, 300),
      // what it is about, in words (its title names it; a hazard by its case number, never a raw id)
      note: [a.level ? levelZh[a.level] : null, a.ref.caseNo ? `${refNote[a.ref.kind]} ${a.ref.caseNo}` : refNote[a.ref.kind]].filter(Boolean).join(' · '),
      ...(a.ref.kind === 'hazard' && a.ref.id != null ? { caseId: a.ref.id } : {}),
    })),
    ...input.extraAgenda.map((title) => ({ title })),
  ].slice(0, 50);
  const id = await meetings.create(actor, {
    kind: WEEKLY_REVIEW, title: input.title ?? `${name}风险隐患周研判（${week}起一周）`, scheduledAt: input.scheduledAt, regionCode,
    place: input.place, onlineLink: input.onlineLink, agenda, attendees: input.attendees,
  });
  return { meeting: await meetings.get(actor, id), signals: s };
}
