// The week's signals for the weekly risk assessment meeting (风险隐患周研判): what the meetings module draws
// the agenda from. Alerts raised and still pending, hazards registered, written off and still open (red
// and orange first), the roll call over the week, overdue follow-ups of key persons, decisions awaiting
// their 稳评. Each agenda item names what it is about, so the minutes' decisions can become cases of it.
import type { Actor } from '../../platform/auth/actor.ts';
import { notFound, unprocessable } from '../../platform/errors.ts';
import { regionPrefixSql, regionScope } from '../../platform/scope.ts';
import { caseReportsBetween, caseStepsBetween, type CaseDeps } from '../cases/index.ts';
import { followupsDue } from '../registry/index.ts';
import { alertCounts } from './alerts.ts';
import { dayStart } from './checks.ts';
import { levels } from './hazards.ts';
import { riskPolicy } from './policy.ts';

const DAY_MS = 86_400_000;

export interface AgendaItem {
  /** what the item is about: an alert, a hazard, or a figure of the week */
  ref: { kind: 'alert' | 'hazard' | 'followups' | 'checks' | 'decision'; id?: number };
  title: { zh: string; en: string };
  level: string | null;
}

export async function weeklySignals(cases: CaseDeps, actor: Actor | null, regionCode: string, weekStart: string) {
  if (actor) {
    riskPolicy.assert(actor, 'risk.check.read');
    if (!regionScope(actor).within(regionCode)) throw notFound(`Region ${regionCode}`);
  }
  if (new Date(`${weekStart}T00:00:00Z`).getUTCDay() !== 1) throw unprocessable('week_start', 'A week starts on a Monday.');
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
  const reports = await caseReportsBetween(cases, { regionPrefix: regionCode, from: new Date(from.getTime() - 1), to: new Date(to.getTime() - 1) });
  const steps = await caseStepsBetween(cases, { regionPrefix: regionCode, from: new Date(from.getTime() - 1), to: new Date(to.getTime() - 1) });
  const due = (await followupsDue(db, { regionPrefix: regionCode, asOf: new Date(to.getTime() - 1), intervalDays: 30 }))
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
      ref: { kind: 'hazard', id: Number(h.case_id) }, level: h.level,
      title: { zh: `未销号隐患：${h.title}（${h.case_no}）`, en: `Open hazard: ${h.title} (${h.case_no})` },
    })),
    ...(due.length ? [{ ref: { kind: 'followups' as const }, level: null, title: { zh: `重点人员跟踪帮扶超期${due.length}人`, en: `${due.length} key persons' follow-ups overdue` } }] : []),
    ...(grids && checks.filed < grids * 7 ? [{ ref: { kind: 'checks' as const }, level: null, title: { zh: `本周日排查缺报${grids * 7 - checks.filed}格次`, en: `${grids * 7 - checks.filed} daily checks missing this week` } }] : []),
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
    checks: { grids, filed: checks.filed, expected: grids * 7, findings: checks.findings },
    cases: { reported: reports.length, overdueSteps: steps.filter((s) => s.fact === 'overdue').length, returned: steps.filter((s) => s.fact === 'returned').length },
    keyPersons: { followupsOverdue: due.length },
    agenda,
  };
}
