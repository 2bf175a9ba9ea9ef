// Transitions (STYLE habit 4): one function changes a case. It locks the case row, decides by the case
// type's definition, applies the action's named effect, moves the step clock as the states declare,
// appends the flow record and writes the outbox event, all in one transaction; events go out after commit.
import type { Queryable } from '../../platform/db/index.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import { AppError, badRequest, notFound } from '../../platform/errors.ts';
import { fieldZh, firstIssueZh } from '../../platform/fields.ts';
import { appendEvent } from '../../platform/events/index.ts';
import { actionSchema, type ActionDef, type CaseTypeDef } from './definition.ts';
import { decide, decideSystem, type Decision } from './engine.ts';
import type { Effect } from './effects.ts';
import { clockFrom, elapsed, noClock, remainingMinutes, type StepClock } from './clock.ts';
import { appendFlowRecord } from './flow.ts';
import { loadCategory, stepClockFor } from './intake.ts';
import { visibilitySql } from './visibility.ts';
import { responsibleUnits } from './routing.ts';
import type { CaseFacts } from './facts.ts';
import type { CaseDeps } from './deps.ts';
import type { CaseRow } from './rows.ts';

/** The case as the actor may see it; the system (actor null) sees every case. */
export async function loadFor(q: Queryable, actor: Actor | null, id: number, lock: boolean): Promise<CaseRow> {
  if (actor) return loadVisible(q, actor, id, lock);
  const [row] = await q.query<CaseRow>(`SELECT c.* FROM "case" c WHERE c.id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  if (!row) throw notFound({ zh: `案件 ${id}`, en: `Case ${id}` });
  return row;
}

export async function loadVisible(q: Queryable, actor: Actor, id: number, lock: boolean): Promise<CaseRow> {
  const params: unknown[] = [id];
  const vis = visibilitySql(actor, params);
  const [row] = await q.query<CaseRow>(`SELECT c.* FROM "case" c WHERE c.id = $1 AND ${vis}${lock ? ' FOR UPDATE' : ''}`, params, { prepare: true });
  // Out of scope and absent look the same: the existence of a case is itself information.
  if (!row) throw notFound({ zh: `案件 ${id}`, en: `Case ${id}` });
  return row;
}

export async function loadAssignments(q: Queryable, caseId: number) {
  return q.query<any>('SELECT * FROM case_assignment WHERE case_id = $1 ORDER BY id', [caseId], { prepare: true });
}

export function factsOf(c: CaseRow, assignments: any[]): CaseFacts {
  return {
    state: c.state, prevState: c.prev_state, regionCode: c.region_code, leadUnitId: c.lead_unit_id,
    // the person who reported: a resident's account, or the staff member who filed it (a grid worker's own report)
    reporterUserId: c.reporter_user_id != null ? Number(c.reporter_user_id) : c.created_by != null ? Number(c.created_by) : null,
    whistleLevel: c.whistle_level,
    extensionPending: !!c.extension_request,
    dispatcherUnitId: c.dispatcher_unit_id ?? null,
    dispatchDepth: Array.isArray(c.dispatch_chain) ? c.dispatch_chain.length : 0,
    returnCount: c.return_count ?? 0,
    assignments: assignments.map((a) => ({
      unitId: a.unit_id, role: a.role, status: a.status,
      reportedInAt: a.reported_in_at ? new Date(a.reported_in_at) : null, repliedAt: a.replied_at ? new Date(a.replied_at) : null,
    })),
  };
}

const refusalStatus: Record<Exclude<Decision, { ok: true }>['reason'], [number, string]> = {
  unknown_action: [400, 'unknown_action'],
  invalid_transition: [409, 'invalid_transition'],
  forbidden_action: [403, 'forbidden_action'],
  not_party: [403, 'not_your_case'],
  precondition_failed: [409, 'precondition_failed'],
};

export interface TransitionResult { caseId: number; action: string; from: string; to: string; auto: string[] }

/** A user's action on a case. */
export async function transition(deps: CaseDeps, actor: Actor, caseId: number, action: string, input: Record<string, unknown>): Promise<TransitionResult> {
  let effect: string | null = null;
  const r = await applyTransition(deps, actor, caseId, (def, facts) => {
    const d = decide(def, facts, action, actor, input);
    if (d.ok) effect = d.action.effect ?? null;
    return d;
  }, input);
  for (const subscriber of deps.transitioned ?? []) {
    try {
      await subscriber({ caseId, action: r.action, effect, actor });
    } catch (err) {
      deps.ctx.log.warn({ caseId, action: r.action, err: (err as Error).message }, 'a step after an action failed; the action stands');
    }
  }
  return r;
}

/**
 * An action the system takes by itself (e.g. 自动派单): only edges the definition gives to the system,
 * picked by what they do, recorded with actor kind 'system'. Same locking, flow record and outbox.
 */
export async function systemTransition(deps: CaseDeps, caseId: number, pick: (a: ActionDef) => boolean, input: Record<string, unknown>): Promise<TransitionResult> {
  return applyTransition(deps, null, caseId, (def, facts) => decideSystem(def, facts, pick), input);
}

/** The action's input as its definition declares it: a 400 that names each missing or wrong field. */
export function checkedInput(a: Pick<ActionDef, 'name' | 'fields'>, input: unknown): Record<string, any> {
  const r = actionSchema(a.fields).safeParse(input);
  if (r.success) return r.data;
  const errors = r.error.issues.slice(0, 20).map((i) => ({ path: ['body', ...i.path.map(String)].join('.'), message: i.message }));
  const given = input && typeof input === 'object' ? input as Record<string, unknown> : {};
  const missing = r.error.issues.filter((i) => i.code === 'invalid_type' && i.path.length === 1 && given[String(i.path[0])] === undefined)
    .map((i) => String(i.path[0]));
  const labelOf = (name: string) => a.fields?.find((f) => f.name === name)?.label.zh ?? fieldZh(name);
  const actionZh = (a as Partial<ActionDef>).label?.zh ?? a.name;
  if (missing.length) throw badRequest('missing_field', { zh: `“${actionZh}”还需填写：${missing.map(labelOf).join('、')}。`, en: `"${a.name}" needs ${missing.join(', ')}.` }, { fields: missing, errors });
  const zh = firstIssueZh(actionSchema(a.fields), input);
  const zhWhat = r.error.issues[0].path.length ? labelOf(String(r.error.issues[0].path[0])) + (r.error.issues[0].path.length > 1 && zh ? ` › ${zh.path.split(' › ').slice(1).join(' › ')}` : '') : '请求内容';
  throw new AppError(400, 'validation_failed', { zh: `请求内容无效：${zhWhat} — ${zh?.message ?? '格式不正确'}`, en: `Invalid body: ${errors[0].path} — ${errors[0].message}` }, { errors });
}

async function applyTransition(
  deps: CaseDeps, actor: Actor | null, caseId: number,
  decideOn: (def: CaseTypeDef, facts: CaseFacts) => Decision, rawInput: Record<string, unknown>,
): Promise<TransitionResult> {
  const { ctx } = deps;
  const result = await ctx.db.transaction(async (tx) => {
    const c = await loadFor(tx, actor, caseId, true);
    const assignments = await loadAssignments(tx, caseId);
    const def = deps.types.get(c.type, c.workflow_version);
    const decision = decideOn(def, factsOf(c, assignments));
    if (!decision.ok) {
      const [status, code] = refusalStatus[decision.reason];
      throw new AppError(status, code, decision.message, { state: c.state });
    }
    const input = checkedInput(decision.action, rawInput);
    const now = ctx.now();
    const effect = await effectOf(deps, tx, c, assignments, decision.action, input, actor, now);
    const to = effect.enter ? effect.enter.initial : decision.to;
    await record(deps, tx, def, c, decision.action.name, to, effect, actor, now, input.attachmentIds ?? []);
    // States that act by themselves (不满意 → 重办) follow in the same transaction.
    const auto: string[] = [];
    let state = to;
    let current = effect.enter ?? def;
    let autoName = current.states[state]?.auto;
    while (autoName && auto.length < 3) {
      const fresh = await loadFor(tx, null, caseId, true);
      const freshAssignments = await loadAssignments(tx, caseId);
      current = deps.types.get(fresh.type, fresh.workflow_version);
      const name = autoName;
      const d = decideSystem(current, factsOf(fresh, freshAssignments), (a) => a.name === name);
      if (!d.ok) break;
      const eff = await effectOf(deps, tx, fresh, freshAssignments, d.action, {}, null, now);
      await record(deps, tx, current, fresh, d.action.name, d.to, eff, null, now, []);
      auto.push(d.action.name);
      state = d.to;
      autoName = current.states[state]?.auto;
    }
    return { caseId, action: decision.action.name, from: c.state, to: state, auto };
  });
  ctx.events.poke();
  return result;
}

async function effectOf(
  deps: CaseDeps, tx: Queryable, c: CaseRow, assignments: any[], action: ActionDef, input: Record<string, any>, actor: Actor | null, now: Date,
): Promise<Effect> {
  const e: Effect = { patch: {}, data: {}, clock: 'new', statements: [], note: input.note ?? input.reason ?? null };
  if (action.effect) {
    await deps.types.effects.get(action.effect)!.run({
      tx, c, assignments, input, actor, now, calendar: deps.ctx.calendar,
      latestType: (type) => deps.types.latest(type),
      visibility: (a, params) => visibilitySql(a, params),
      effect: (name) => deps.types.effects.get(name),
      responsible: async () => responsibleUnits(await deps.routing(), c),
    }, e);
  }
  return e;
}

/**
 * Writes an action's outcome: the effect's statements, attachment links, the step clock as the states
 * declare it (a paused state keeps the time left, returning to the state before the pause resumes it),
 * the case row, the flow record and the outbox event.
 */
async function record(
  deps: CaseDeps, tx: Queryable, def: CaseTypeDef, c: CaseRow, action: string, to: string, e: Effect, actor: Actor | null,
  now: Date, attachmentIds: number[],
): Promise<void> {
  const cal = deps.ctx.calendar;
  const target = e.enter ?? def;
  for (const [sql, params] of e.statements) await tx.query(sql, params);
  if (attachmentIds.length) {
    const linked = await tx.query<{ id: number }>(
      `UPDATE attachment SET case_id = $1, region_code = $2, district_code = $5 WHERE id = ANY($3::bigint[]) AND uploaded_by = $4 AND case_id IS NULL RETURNING id`,
      [c.id, c.region_code, attachmentIds, actor?.id ?? 0, c.district_code]);
    if (linked.length !== new Set(attachmentIds).size) throw new AppError(422, 'unknown_attachment', { zh: `部分附件不存在、不是您上传的，或已属于其他案件。`, en: 'Some attachments do not exist, are not yours, or belong to another case.' });
  }
  const stateChanged = to !== c.state || !!e.enter;
  const used = stateChanged && c.due_at ? elapsed(new Date(c.step_started_at), now, c.time_mode, cal) : null;
  const patch: Record<string, unknown> = { ...e.patch, state: to, updated_at: now, seq: c.seq + 1 };
  const clock = await stepClock(deps, tx, def, target, c, to, e, now, patch);
  if (clock) {
    patch.due_at = clock.dueAt;
    patch.yellow_at = clock.yellowAt;
    if (!('step_limit_minutes' in patch)) patch.step_limit_minutes = clock.limitMinutes;
    patch.step_started_at = now;
    patch.overdue_flagged = false;
  }
  const ending = target.states[to]?.terminal;
  if (ending && stateChanged) {
    patch.is_open = false;
    patch.closed_at = now;
    patch.outcome = ending;
    await endAssignments(tx, c);
  }
  const keys = Object.keys(patch);
  await tx.query(`UPDATE "case" SET ${keys.map((k, i) => `${k} = $${i + 2}`).join(', ')} WHERE id = $1`, [c.id, ...keys.map((k) => patch[k])]);
  await appendFlowRecord(tx, {
    caseId: c.id, districtCode: c.district_code, regionCode: c.region_code, seq: c.seq, action, fromState: c.state, toState: to,
    actorId: actor?.id ?? null, actorUnitId: actor?.unitId ?? null, actorKind: actor ? 'user' : 'system', at: now,
    dueAt: clock ? clock.dueAt : c.due_at, workingMinutesUsed: used, note: e.note ?? null, data: e.data, attachmentIds,
  });
  for (const f of e.facts ?? []) {
    await appendFlowRecord(tx, {
      caseId: f.caseRow.id, districtCode: f.caseRow.district_code, regionCode: f.caseRow.region_code, seq: f.caseRow.seq, action: f.fact,
      fromState: f.caseRow.state, toState: f.caseRow.state, actorId: actor?.id ?? null, actorUnitId: actor?.unitId ?? null,
      actorKind: actor ? 'user' : 'system', at: now, dueAt: null, data: f.data,
    });
    await tx.query('UPDATE "case" SET seq = seq + 1, updated_at = $2 WHERE id = $1', [f.caseRow.id, now]);
  }
  const lead = (patch.lead_unit_id as string | null | undefined) ?? c.lead_unit_id;
  const summoned = (e.data.summons as Array<{ unitId: string }> | undefined)?.map((s) => s.unitId) ?? [];
  await appendEvent(tx, {
    topic: `case.${action}`,
    regionCode: c.region_code,
    unitIds: [...new Set([lead, c.lead_unit_id, ...summoned].filter((u): u is string => !!u))],
    userIds: c.reporter_user_id ? [Number(c.reporter_user_id)] : [],
    payload: { caseId: Number(c.id), caseNo: c.case_no, action, from: c.state, to },
  });
}

/**
 * The case ends: its assignments still open end with it. A lead or assisting unit that acted on the case since it
 * was assigned (signed, replied …) is 'done'; one that never did — an assisting unit (协办) the lead finished
 * without, a summoned unit that never replied — is 'ended' (随案件办结), so no view reads it as 办理中 or 已完成.
 */
async function endAssignments(tx: Queryable, c: CaseRow): Promise<void> {
  await tx.query(
    `UPDATE case_assignment a SET status = CASE WHEN a.role <> 'summoned' AND EXISTS (
         SELECT 1 FROM flow_record f WHERE f.case_id = a.case_id AND f.district_code = a.district_code
           AND f.actor_unit_id = a.unit_id AND f.at >= a.assigned_at) THEN 'done' ELSE 'ended' END
     WHERE a.case_id = $1 AND a.district_code = $2 AND a.status = 'active'`, [c.id, c.district_code]);
}

/**
 * The clock after the action, or null to leave it: an effect's own clock (an approved extension); none
 * when the case ends; entering a paused state keeps the time left; returning from it to where it came
 * from runs that time on; any other change of state starts the target state's clock.
 */
async function stepClock(
  deps: CaseDeps, tx: Queryable, def: CaseTypeDef, target: CaseTypeDef, c: CaseRow, to: string, e: Effect, now: Date, patch: Record<string, unknown>,
): Promise<StepClock | null> {
  const cal = deps.ctx.calendar;
  if (typeof e.clock === 'object') return e.clock;
  if (to === c.state && !e.enter) return null;
  if (target.states[to]?.terminal) return noClock;
  const fromPaused = def.states[c.state]?.clock === 'paused';
  if (target.states[to]?.clock === 'paused') {
    patch.prev_state = c.state;
    patch.remaining_minutes = remainingMinutes(now, c.due_at, c.time_mode, cal);
    patch.step_limit_minutes = c.step_limit_minutes; // the limit survives the pause
    return noClock;
  }
  if (fromPaused) {
    patch.prev_state = null;
    patch.remaining_minutes = null;
    e.data.pausedMinutes = elapsed(new Date(c.step_started_at), now, 'continuous', cal);
    if (to === c.prev_state && !e.enter) {
      const limit = c.step_limit_minutes;
      const left = c.remaining_minutes ?? limit ?? 0;
      return clockFrom(now, limit, limit == null ? 0 : limit - left, c.time_mode, cal);
    }
  }
  if (e.clock !== 'new') return null;
  const category = await loadCategory(tx, (patch.category_code as string | undefined) ?? c.category_code);
  return stepClockFor(deps, target, to, category, now, c.time_mode);
}
