// Visit plans (走访计划): a grid worker plans a visit to a registry household or persons on a day with a
// purpose; the 网格长 (community) plans them for the field staff of the territory too. 今日 lists the open
// plans due, overdue first; the visit recorded from a plan completes it. A plan is moved or cancelled,
// never deleted.
import type { Actor } from '../../platform/auth/actor.ts';
import type { Queryable } from '../../platform/db/index.ts';
import { AppError, conflict, notFound, roleZh, unprocessable } from '../../platform/errors.ts';
import { regionLevels, regionScope } from '../../platform/scope.ts';
import { householdsOf, personsBrief } from '../registry/index.ts';
import { purposes } from './checklists.ts';
import { assertCan, chinaDate, iso, once, type FieldworkDeps } from './common.ts';
import type { PlanCancelT, PlanCreateT, PlanListQueryT, PlanPatchT } from './contracts.ts';
import { fieldworkPolicy } from './policy.ts';

/** How far ahead a plan may be made. */
const MAX_DAYS_AHEAD = 366;

const purposeOf = (key: string) => purposes.find((p) => p.key === key)!;
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

export type PlanStatus = 'open' | 'done' | 'cancelled';
const statusOf = (r: any): PlanStatus => (r.done_at ? 'done' : r.cancelled_at ? 'cancelled' : 'open');

const planSelect = `SELECT v.id, v.region_code, v.household_id, v.person_ids, v.purpose, to_char(v.planned_on, 'YYYY-MM-DD') AS planned_on, v.note,
  v.assignee_id, a.display_name AS assignee_name, v.created_by, c.display_name AS creator_name, v.created_at, v.visit_id, v.done_at, v.cancelled_at
  FROM visit_plan v JOIN app_user a ON a.id = v.assignee_id JOIN app_user c ON c.id = v.created_by`;

/** Plans as the phone and the console show them: the household and persons named (masked), never by id alone. */
async function views(deps: FieldworkDeps, actor: Actor, rows: any[]) {
  if (!rows.length) return [];
  const today = chinaDate(deps.ctx.now());
  const households = new Map((await householdsOf(deps.registry, actor, { ids: [...new Set(rows.map((r) => Number(r.household_id)).filter(Boolean))] })).map((h) => [h.id, h]));
  const persons = new Map((await personsBrief(deps.registry, actor, [...new Set(rows.flatMap((r) => (r.person_ids ?? []).map(Number)))])).map((p) => [p.id, p]));
  return rows.map((r) => {
    const h = r.household_id != null ? households.get(Number(r.household_id)) : undefined;
    const status = statusOf(r);
    const purpose = purposeOf(r.purpose);
    return {
      id: Number(r.id), gridCode: r.region_code, gridName: deps.regions.nameOf(r.region_code) ?? null,
      household: h ? { id: h.id, householdNo: h.householdNo, address: h.address, houseId: h.houseId, members: h.members } : null,
      persons: ((r.person_ids ?? []) as unknown[]).map(Number).flatMap((id) => {
        const p = persons.get(id);
        return p ? [{ id: p.id, nameMasked: p.nameMasked, labels: p.labels, householdId: p.householdId }] : [];
      }),
      purpose: r.purpose, purposeName: { zh: purpose.zh, en: purpose.en }, plannedOn: r.planned_on, note: r.note ?? null,
      assignee: { id: Number(r.assignee_id), name: r.assignee_name }, createdBy: { id: Number(r.created_by), name: r.creator_name },
      createdAt: iso(r.created_at), status, overdue: status === 'open' && r.planned_on < today,
      visitId: r.visit_id == null ? null : Number(r.visit_id), doneAt: iso(r.done_at), cancelledAt: iso(r.cancelled_at),
    };
  });
}
export type PlanView = Awaited<ReturnType<typeof views>>[number];

/** Where a plan goes: the household's grid, else the first person's; both must be the actor's to see. */
async function placeOf(deps: FieldworkDeps, actor: Actor, householdId: number | undefined, personIds: number[]) {
  const household = householdId != null ? (await householdsOf(deps.registry, actor, { id: householdId }))[0] : undefined;
  if (householdId != null && !household) throw notFound({ zh: `户 ${householdId}`, en: `Household ${householdId}` });
  const persons = await personsBrief(deps.registry, actor, personIds);
  const missing = personIds.filter((id) => !persons.some((p) => p.id === id));
  if (missing.length) throw notFound({ zh: `人员 ${missing[0]}`, en: `Person ${missing[0]}` });
  const grid = household?.regionCode ?? persons[0]?.regionCode;
  if (!grid || !regionScope(actor).has(grid)) throw notFound(householdId != null ? { zh: `户 ${householdId}`, en: `Household ${householdId}` } : { zh: `人员 ${personIds[0]}`, en: `Person ${personIds[0]}` });
  return grid;
}

/**
 * Who is to visit: oneself, or (with fieldwork.plan.assign) a field worker whose territory holds the grid
 * and lies in the actor's. Anyone else is refused with the reason.
 */
async function assigneeOf(q: Queryable, actor: Actor, assigneeId: number | undefined, grid: string): Promise<number> {
  if (assigneeId == null || assigneeId === actor.id) {
    if (!regionScope(actor).has(grid)) throw notFound({ zh: `网格 ${grid}`, en: `Grid ${grid}` });
    return actor.id;
  }
  assertCan(actor, 'fieldwork.plan.assign');
  const [u] = await q.query<{ id: number; role: string; region_code: string; active: boolean; is_system: boolean }>(
    'SELECT id, role, region_code, active, is_system FROM app_user WHERE id = $1', [assigneeId]);
  if (!u || u.is_system || !regionScope(actor).within(u.region_code)) throw unprocessable('unknown_assignee', { zh: `用户 ${assigneeId} 不在您的辖区内工作。`, en: `User ${assigneeId} does not work in your territory.` });
  if (!u.active) throw unprocessable('assignee_inactive', { zh: `该用户已停用。`, en: 'The user is deactivated.' });
  if (!fieldworkPolicy.rolesWith('fieldwork.visit').includes(u.role as Actor['role'])) throw unprocessable('assignee_not_field_staff', { zh: `${roleZh(u.role)}用户不负责入户走访。`, en: `A ${u.role} user does not visit households.` });
  if (!grid.startsWith(u.region_code)) throw unprocessable('assignee_outside_grid', { zh: `该户或人员不在用户 ${assigneeId} 的负责区域内。`, en: `The household or person lies outside the territory of user ${assigneeId}.` });
  return Number(u.id);
}

function checkDay(deps: FieldworkDeps, day: string): void {
  const today = chinaDate(deps.ctx.now());
  if (day < today) throw unprocessable('in_the_past', { zh: `计划日期 ${day} 早于今天（${today}）。`, en: `plannedOn ${day} lies before today (${today}).` });
  if (day > addDays(today, MAX_DAYS_AHEAD)) throw unprocessable('too_far_ahead', { zh: `计划日期最多只能在 ${MAX_DAYS_AHEAD} 天以后。`, en: `plannedOn may lie at most ${MAX_DAYS_AHEAD} days ahead.` });
}

async function loadPlan(q: Queryable, actor: Actor, id: number, lock = false): Promise<any> {
  const [r] = await q.query<any>(`${planSelect} WHERE v.id = $1${lock ? ' FOR UPDATE OF v' : ''}`, [id]);
  if (!r || !regionScope(actor).has(r.region_code)) throw notFound({ zh: `走访计划 ${id}`, en: `Plan ${id}` });
  return r;
}

/** A plan is changed by its assignee or creator, or by whoever plans for others in the territory. */
function assertMayChange(actor: Actor, r: any): void {
  if (Number(r.assignee_id) === actor.id || Number(r.created_by) === actor.id) return;
  if (fieldworkPolicy.can(actor, 'fieldwork.plan.assign')) return;
  throw new AppError(403, 'not_your_plan', { zh: `只有计划对应的网格员、计划制定人或网格长可以修改该计划。`, en: 'Only the worker the plan is for, its author or the 网格长 may change it.' });
}

function assertOpen(r: any): void {
  const s = statusOf(r);
  if (s === 'done') throw conflict('plan_done', { zh: `该计划的走访已记录。`, en: 'The visit of this plan has been recorded already.' }, { visitId: Number(r.visit_id) });
  if (s === 'cancelled') throw conflict('plan_cancelled', { zh: `该计划已取消。`, en: 'The plan was cancelled.' });
}

export async function createPlan(deps: FieldworkDeps, actor: Actor, input: PlanCreateT, key?: string) {
  assertCan(actor, 'fieldwork.plan');
  const { db } = deps.ctx;
  checkDay(deps, input.plannedOn);
  const grid = await placeOf(deps, actor, input.householdId, input.personIds);
  const assignee = await assigneeOf(db, actor, input.assigneeId, grid);
  const out = await once(db, actor, key, 'fieldwork.plan', input, async (tx) => {
    // one open plan per household (or person) and worker and day: a second is the same plan
    const [same] = await tx.query<{ id: number }>(
      `SELECT id FROM visit_plan WHERE assignee_id = $1 AND planned_on = $2 AND done_at IS NULL AND cancelled_at IS NULL
         AND (household_id = $3 OR ($3::bigint IS NULL AND household_id IS NULL AND person_ids = $4::bigint[]))`,
      [assignee, input.plannedOn, input.householdId ?? null, input.personIds]);
    if (same) throw conflict('plan_exists', { zh: `当天已有该走访计划。`, en: 'This visit is planned for that day already.' }, { planId: Number(same.id) });
    const [row] = await tx.query<{ id: number }>(
      `INSERT INTO visit_plan (district_code, region_code, household_id, person_ids, purpose, planned_on, note, assignee_id, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [regionLevels(grid).district, grid, input.householdId ?? null, input.personIds, input.purpose, input.plannedOn, input.note ?? null, assignee, actor.id, deps.ctx.now()]);
    return { id: Number(row.id) };
  });
  const view = await getPlan(deps, actor, out.id);
  return out.replayed ? { ...view, replayed: true as const } : view;
}

export async function getPlan(deps: FieldworkDeps, actor: Actor, id: number) {
  assertCan(actor, 'fieldwork.plan');
  const [v] = await views(deps, actor, [await loadPlan(deps.ctx.db, actor, id)]);
  return v;
}

export async function listPlans(deps: FieldworkDeps, actor: Actor, q: PlanListQueryT) {
  assertCan(actor, 'fieldwork.plan');
  if (q.region && !regionScope(actor).has(q.region)) throw notFound({ zh: `区划 ${q.region}`, en: `Region ${q.region}` });
  const params: unknown[] = [];
  const where = [regionScope(actor).sql('v', params, false)];
  const add = (sql: string, v: unknown) => { params.push(v); where.push(sql.replace('?', `$${params.length}`)); };
  if (q.region) add("v.region_code LIKE ? || '%'", q.region);
  if (q.mine === 'true') add('v.assignee_id = ?', actor.id);
  const status = q.status ?? 'open';
  if (status === 'open') where.push('v.done_at IS NULL AND v.cancelled_at IS NULL');
  if (status === 'done') where.push('v.done_at IS NOT NULL');
  if (status === 'cancelled') where.push('v.cancelled_at IS NOT NULL');
  if (q.from) add('v.planned_on >= ?::date', q.from);
  if (q.to) add('v.planned_on <= ?::date', q.to);
  if (q.householdId) add('v.household_id = ?', q.householdId);
  if (q.personId) add('? = ANY(v.person_ids)', q.personId);
  const rows = await deps.ctx.db.query<any>(`${planSelect} WHERE ${where.join(' AND ')} ORDER BY v.planned_on, v.id LIMIT 200`, params);
  return { items: await views(deps, actor, rows) };
}

/** The open plans assigned to the actor up to a day (今日: overdue ones and those due soon). */
export async function plansDue(deps: FieldworkDeps, actor: Actor, until: string) {
  const params: unknown[] = [actor.id, until];
  const rows = await deps.ctx.db.query<any>(
    `${planSelect} WHERE v.assignee_id = $1 AND v.planned_on <= $2::date AND v.done_at IS NULL AND v.cancelled_at IS NULL
       AND ${regionScope(actor).sql('v', params, false)} ORDER BY v.planned_on, v.id LIMIT 100`, params);
  return views(deps, actor, rows);
}

export async function patchPlan(deps: FieldworkDeps, actor: Actor, id: number, patch: PlanPatchT) {
  assertCan(actor, 'fieldwork.plan');
  const { db } = deps.ctx;
  const r = await loadPlan(db, actor, id);
  assertMayChange(actor, r);
  assertOpen(r);
  if (patch.plannedOn !== undefined) checkDay(deps, patch.plannedOn);
  const assignee = patch.assigneeId !== undefined && patch.assigneeId !== Number(r.assignee_id)
    ? await assigneeOf(db, actor, patch.assigneeId, r.region_code) : Number(r.assignee_id);
  await db.transaction(async (tx) => {
    const [row] = await tx.query(
      `UPDATE visit_plan SET planned_on = $2, purpose = $3, note = $4, assignee_id = $5
       WHERE id = $1 AND done_at IS NULL AND cancelled_at IS NULL RETURNING id`,
      [id, patch.plannedOn ?? r.planned_on, patch.purpose ?? r.purpose, patch.note === undefined ? r.note : patch.note, assignee]);
    if (!row) assertOpen(await loadPlan(tx, actor, id));
  });
  return getPlan(deps, actor, id);
}

export async function cancelPlan(deps: FieldworkDeps, actor: Actor, id: number, input: PlanCancelT) {
  assertCan(actor, 'fieldwork.plan');
  const { db } = deps.ctx;
  const r = await loadPlan(db, actor, id);
  assertMayChange(actor, r);
  if (statusOf(r) === 'cancelled') return getPlan(deps, actor, id); // cancelling twice changes nothing
  assertOpen(r);
  await db.transaction(async (tx) => {
    const [row] = await tx.query(
      `UPDATE visit_plan SET cancelled_at = $2, cancelled_by = $3, note = coalesce($4, note)
       WHERE id = $1 AND done_at IS NULL AND cancelled_at IS NULL RETURNING id`,
      [id, deps.ctx.now(), actor.id, input.reason ? `${r.note ? `${r.note}\n` : ''}取消：${input.reason}`.slice(0, 1000) : null]);
    if (!row) assertOpen(await loadPlan(tx, actor, id));
  });
  return getPlan(deps, actor, id);
}

/**
 * The plan a visit carries out, checked before anything is written: in the actor's territory, open, and
 * for the household (or persons) visited.
 */
export async function planForVisit(deps: FieldworkDeps, actor: Actor, planId: number, householdId: number | undefined, personIds: number[]) {
  const r = await loadPlan(deps.ctx.db, actor, planId);
  assertOpen(r);
  const sameHousehold = r.household_id != null ? Number(r.household_id) === householdId : householdId == null;
  const planned = (r.person_ids ?? []).map(Number);
  if (!sameHousehold || (r.household_id == null && !planned.some((p: number) => personIds.includes(p)))) {
    throw unprocessable('plan_mismatch', { zh: `走访计划 ${planId} 对应的是其他户或其他人员。`, en: `Plan ${planId} is for another household or other persons.` });
  }
  return r;
}

/** Marks the plan done by the visit, in the visit's transaction; a plan closed meanwhile undoes the visit. */
export async function completePlan(tx: Queryable, planId: number, visitId: number, at: Date): Promise<void> {
  const [row] = await tx.query('UPDATE visit_plan SET visit_id = $2, done_at = $3 WHERE id = $1 AND done_at IS NULL AND cancelled_at IS NULL RETURNING id', [planId, visitId, at]);
  if (!row) throw conflict('plan_closed', { zh: `走访计划 ${planId} 已同时被完成或取消。`, en: `Plan ${planId} was completed or cancelled meanwhile.` });
}

/** The plan a visit completed, for the visit's page. */
export async function planOfVisit(q: Queryable, visitId: number): Promise<{ id: number; plannedOn: string } | null> {
  const [r] = await q.query<any>(`SELECT id, to_char(planned_on, 'YYYY-MM-DD') AS planned_on FROM visit_plan WHERE visit_id = $1`, [visitId]);
  return r ? { id: Number(r.id), plannedOn: r.planned_on } : null;
}

/** Field staff one may plan for: active grid workers and community staff of the territory. */
export async function planAssignees(deps: FieldworkDeps, actor: Actor) {
  assertCan(actor, 'fieldwork.plan.assign');
  const rows = await deps.ctx.db.query<any>(
    `SELECT id, display_name, role, region_code FROM app_user
     WHERE active AND NOT is_system AND role = ANY($1::text[]) AND region_code LIKE $2 ORDER BY region_code, display_name, id LIMIT 500`,
    [fieldworkPolicy.rolesWith('fieldwork.visit'), `${actor.regionCode}%`]);
  return {
    items: rows.map((u) => ({ id: Number(u.id), name: u.display_name, role: u.role, regionCode: u.region_code, regionName: deps.regions.nameOf(u.region_code) ?? null })),
  };
}
