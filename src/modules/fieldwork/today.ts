// 今日: the grid worker's day in due order. Cases waiting for them (assigned, returned), their own
// reports still open (they wait in the community's inbox, yet are the worker's to follow), key-person
// follow-ups due in their territory (the registry's schedule), the visits planned for them (走访计划), the
// households suggested for a visit (those not visited nor planned for the longest time, up to the day's
// target) and the patrol target with today's progress.
import type { Actor } from '../../platform/auth/actor.ts';
import { listCases, ListQuery, openReportsBy } from '../cases/index.ts';
import { followUpsDue, householdsOf, registryCarrier } from '../registry/index.ts';
import { accountMoves } from '../regions/index.ts';
import { targets } from './checklists.ts';
import { assertCan, chinaDate, chinaDayStart, iso, type FieldworkDeps } from './common.ts';
import { fieldworkPolicy } from './policy.ts';
import { patrolsToday } from './patrols.ts';
import { plansDue } from './plans.ts';

export type TodayKind = 'case' | 'report' | 'followup' | 'plan' | 'visit' | 'patrol';
export interface TodayItem {
  kind: TodayKind;
  /** When it is due (end of the day for day tasks); items are listed soonest first. */
  dueAt: string;
  overdue: boolean;
  title: string;
  detail: string | null;
  /** Where the item opens in the console. */
  link: string;
  ref: Record<string, unknown>;
}

const ORDER: TodayKind[] = ['case', 'report', 'followup', 'plan', 'visit', 'patrol'];

export async function today(deps: FieldworkDeps, actor: Actor) {
  assertCan(actor, 'fieldwork.day');
  const now = deps.ctx.now();
  const day = chinaDate(now);
  const dayStart = chinaDayStart(day);
  const dayEnd = new Date(dayStart.getTime() + 86_400_000 - 1);
  const items: TodayItem[] = [];

  const inbox = await listCases(deps.cases, actor, ListQuery.parse({ inbox: 'true', sort: 'due_at', pageSize: '50', count: 'true' }));
  for (const c of inbox.items) {
    items.push({ kind: 'case', dueAt: c.sla?.dueAt ?? iso(c.createdAt)!, overdue: c.sla?.light === 'red', title: c.title, detail: `${c.caseNo} · ${c.stateLabel?.zh ?? c.state}`, link: `/cases/${c.id}`, ref: { caseId: c.id, caseNo: c.caseNo, state: c.state, stateLabel: c.stateLabel } });
  }
  const inboxIds = new Set(inbox.items.map((c) => c.id));
  const reports = (await openReportsBy(deps.cases, actor, 50)).filter((c) => !inboxIds.has(c.id));
  for (const c of reports) {
    items.push({ kind: 'report', dueAt: c.sla?.dueAt ?? dayEnd.toISOString(), overdue: c.sla?.light === 'red', title: c.title, detail: `${c.caseNo} · ${c.stateLabel?.zh ?? c.state}`, link: `/cases/${c.id}`, ref: { caseId: c.id, caseNo: c.caseNo, state: c.state, stateLabel: c.stateLabel } });
  }

  const due = await followUpsDue(deps.ctx.db, { regionPrefix: actor.regionCode, asOf: now, withinDays: targets.followUpLookaheadDays, limit: 100 });
  for (const f of due) {
    items.push({
      kind: 'followup', dueAt: new Date(chinaDayStart(f.dueOn).getTime() + 86_400_000 - 1).toISOString(), overdue: f.overdueDays > 0,
      title: `${f.labelName.zh} ${f.nameMasked}`, detail: f.address, link: `/registry/persons/${f.personId}`,
      ref: { personId: f.personId, labelId: f.labelId, labelType: f.labelType, labelName: f.labelName, nameMasked: f.nameMasked, dueOn: f.dueOn, overdueDays: f.overdueDays, intervalDays: f.intervalDays },
    });
  }

  // visits planned (走访计划) for me: overdue ones, today's and those of the next days
  const plans = fieldworkPolicy.can(actor, 'fieldwork.plan') ? await plansDue(deps, actor, chinaDate(new Date(now.getTime() + targets.followUpLookaheadDays * 86_400_000))) : [];
  for (const pl of plans) {
    const who = pl.household ? (pl.household.address ?? (pl.household.householdNo ? `户号 ${pl.household.householdNo}` : `${pl.household.members.map((m) => m.nameMasked).join('、') || '—'}户`))
      : pl.persons.map((x) => x.nameMasked).join('、');
    items.push({
      kind: 'plan', dueAt: new Date(chinaDayStart(pl.plannedOn).getTime() + 86_400_000 - 1).toISOString(), overdue: pl.overdue, title: who,
      detail: pl.note, link: `/visit?plan=${pl.id}`,
      ref: { planId: pl.id, plannedOn: pl.plannedOn, purpose: pl.purpose, purposeName: pl.purposeName, householdId: pl.household?.id ?? null, personIds: pl.persons.map((x) => x.id), note: pl.note, createdBy: pl.createdBy },
    });
  }

  // suggested visits: the households of the territory not visited within the cycle (nor planned), the longest unvisited first
  const planned = await plannedVisits(deps, actor, now, new Set(plans.flatMap((pl) => (pl.household ? [pl.household.id] : []))));
  for (const h of planned) {
    items.push({ kind: 'visit', dueAt: dayEnd.toISOString(), overdue: false, title: h.address ?? (h.householdNo ? `户号 ${h.householdNo}` : `${h.memberNames || '—'}户`), detail: h.lastVisitedAt ? h.lastVisitedAt.slice(0, 10) : null, link: `/visit?household=${h.id}`, ref: h });
  }

  const patrol = await patrolsToday(deps, actor, dayStart);
  const patrolDone = patrol.minutes >= targets.patrolMinutesPerDay && (patrol.coverage == null || patrol.coverage >= targets.patrolCoverageShare);
  if (!patrolDone) {
    items.push({ kind: 'patrol', dueAt: dayEnd.toISOString(), overdue: false, title: '', detail: null, link: '/patrol', ref: { ...patrol, targetMinutes: targets.patrolMinutesPerDay, targetCoverage: targets.patrolCoverageShare } });
  }

  items.sort((a, b) => a.dueAt.localeCompare(b.dueAt) || ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
  // a grid split or merge that moved the worker: where she is now, and what of her old grid went to another
  // (her households and key persons gone from this list without a word otherwise)
  const gridChanges = await accountMoves(deps.ctx.db, [registryCarrier], actor.id, now);
  return {
    date: day, regionCode: actor.regionCode, regionName: deps.regions.nameOf(actor.regionCode) ?? null, gridChanges,
    counts: {
      /** 我的待办: what waits for the worker, their own open reports included */
      waitingForMe: (inbox.total ?? inbox.items.length) + reports.length,
      cases: inbox.total ?? inbox.items.length, reports: reports.length, followUps: due.length,
      overdueFollowUps: due.filter((f) => f.overdueDays > 0).length, plans: plans.length, overduePlans: plans.filter((pl) => pl.overdue).length,
      plannedVisits: planned.length,
    },
    patrol: { ...patrol, targetMinutes: targets.patrolMinutesPerDay, targetCoverage: targets.patrolCoverageShare, done: patrolDone },
    items,
  };
}

async function plannedVisits(deps: FieldworkDeps, actor: Actor, now: Date, alreadyPlanned: Set<number>) {
  const households = await householdsOf(deps.registry, actor, { regionCode: actor.regionCode, limit: 2000 });
  if (!households.length) return [];
  const since = new Date(now.getTime() - targets.visitCycleDays * 86_400_000);
  const last = new Map((await deps.ctx.db.query<{ household_id: number; at: Date }>(
    'SELECT household_id, max(visited_at) AS at FROM field_visit WHERE household_id = ANY($1::bigint[]) GROUP BY household_id',
    [households.map((h) => h.id)])).map((r) => [Number(r.household_id), new Date(r.at)]));
  return households
    .filter((h) => !(last.get(h.id)! >= since) && !alreadyPlanned.has(h.id))
    .sort((a, b) => (last.get(a.id)?.getTime() ?? 0) - (last.get(b.id)?.getTime() ?? 0) || a.id - b.id)
    .slice(0, targets.visitsPerDay)
    .map((h) => ({ id: h.id, householdNo: h.householdNo, address: h.address, members: h.members.length, memberNames: h.members.map((m) => m.nameMasked).join('、'), lastVisitedAt: last.get(h.id)?.toISOString() ?? null }));
}
