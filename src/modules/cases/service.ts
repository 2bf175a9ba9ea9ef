// Case use cases: intake, transitions, queries. No HTTP types; errors are AppErrors with stable codes.
import { createHash } from 'node:crypto';
import type { Queryable } from '../../platform/db/index.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError, badRequest, conflict, forbidden, notFound, unprocessable } from '../../platform/errors.ts';
import { inPrefixes, regionLevels, regionPrefixSql, scopePrefixes } from '../../platform/scope.ts';
import { maskName, maskPhone, randomToken } from '../../platform/crypto.ts';
import { appendEvent } from '../../platform/events/index.ts';
import type { TimeMode } from '../../platform/calendar/index.ts';
import { availableActions, decide, decideSystem, actorLevel, whistleLevels, type CaseFacts, type Decision, type WhistleLevel } from './engine.ts';
import { actionLabels, type ActionName, type CaseType, type WorkflowDef } from './workflow.ts';
import { clockFrom, elapsed, lightAt, noClock, remainingMinutes, type StepClock } from './clock.ts';
import { suggestRoute, type RoutingSuggestion, type RoutingTable } from './routing.ts';
import { requiredFields, type ActionInputT, type IntakeInput, type ListQueryT } from './contracts.ts';
import type { WorkflowRegistry } from './registry.ts';
import { intakeWriter } from './intake-batch.ts';

export interface CaseDeps {
  ctx: AppContext;
  workflows: WorkflowRegistry;
  routing: () => Promise<RoutingTable>;
  /** point → deepest region (grid) code, or null outside every grid */
  locate: (lng: number, lat: number) => string | null;
  /**
   * Runs after a case is written (e.g. 自动派单 by the intelligence module); returns true when it
   * changed the case. Its failure is logged and never fails the intake.
   */
  afterIntake?: (row: CaseRow) => Promise<boolean>;
}

export type CaseRow = Record<string, any> & {
  id: number; case_no: string; type: CaseType; workflow_version: number; state: string; prev_state: string | null;
  region_code: string; lead_unit_id: string | null; reporter_user_id: number | null; whistle_level: WhistleLevel | null;
  extension_request: { minutes: number; reason: string; requestedBy: number; at: string } | null;
  time_mode: TimeMode; step_started_at: Date; step_limit_minutes: number | null; due_at: Date | null; yellow_at: Date | null;
  remaining_minutes: number | null; is_open: boolean; seq: number; category_code: string;
};

// ---------------------------------------------------------------------------------------------
// Scope: one predicate for lists and for single records (STYLE habit 6)

/**
 * SQL that is true for the cases the actor may see: by territory, by their unit's assignments, or as reporter.
 * `probeAssignments`: check the unit's assignments row by row (an index probe for each case that is not in
 * the territory) instead of letting PostgreSQL hash all of the unit's assignments first — for a walk that
 * stops after a page (a street centre's unfiltered list: ≈ 300 probes against hashing 5,900 rows per query).
 * `OFFSET 0` keeps the planner from turning the EXISTS into a hashed subplan; the result is the same.
 */
export function visibilitySql(actor: Actor, params: unknown[], alias = 'c', probeAssignments = false): string {
  const parts: string[] = [];
  for (const prefix of scopePrefixes(actor)) parts.push(regionPrefixSql(prefix, alias, params));
  if (actor.unitId) {
    params.push(actor.unitId);
    parts.push(`EXISTS (SELECT 1 FROM case_assignment a WHERE a.case_id = ${alias}.id AND a.unit_id = $${params.length}${probeAssignments ? ' OFFSET 0' : ''})`);
  }
  params.push(actor.id);
  parts.push(`${alias}.reporter_user_id = $${params.length}`);
  return `(${parts.join(' OR ')})`;
}

/** The case as the actor may see it; the system (actor null) sees every case. */
async function loadFor(q: Queryable, actor: Actor | null, id: number, lock: boolean): Promise<CaseRow> {
  if (actor) return loadVisible(q, actor, id, lock);
  const [row] = await q.query<CaseRow>(`SELECT c.* FROM "case" c WHERE c.id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  if (!row) throw notFound(`Case ${id}`);
  return row;
}

async function loadVisible(q: Queryable, actor: Actor, id: number, lock: boolean): Promise<CaseRow> {
  const params: unknown[] = [id];
  const vis = visibilitySql(actor, params);
  const [row] = await q.query<CaseRow>(`SELECT c.* FROM "case" c WHERE c.id = $1 AND ${vis}${lock ? ' FOR UPDATE' : ''}`, params, { prepare: true });
  // Out of scope and absent look the same: the existence of a case is itself information.
  if (!row) throw notFound(`Case ${id}`);
  return row;
}

async function loadAssignments(q: Queryable, caseId: number) {
  return q.query<any>('SELECT * FROM case_assignment WHERE case_id = $1 ORDER BY id', [caseId], { prepare: true });
}

function factsOf(c: CaseRow, assignments: any[]): CaseFacts {
  return {
    state: c.state, prevState: c.prev_state, regionCode: c.region_code, leadUnitId: c.lead_unit_id,
    // the person who reported: a resident's account, or the staff member who filed it (a grid worker's own report)
    reporterUserId: c.reporter_user_id != null ? Number(c.reporter_user_id) : c.created_by != null ? Number(c.created_by) : null,
    whistleLevel: c.whistle_level,
    extensionPending: !!c.extension_request,
    assignments: assignments.map((a) => ({
      unitId: a.unit_id, role: a.role, status: a.status,
      reportedInAt: a.reported_in_at ? new Date(a.reported_in_at) : null, repliedAt: a.replied_at ? new Date(a.replied_at) : null,
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// Intake

const typePrefix: Record<CaseType, string> = { hotline: 'RX', grid_event: 'WG', urban: 'CG' };
const intakeRoles = new Set(['hotline_operator', 'grid_worker', 'community', 'street_centre', 'command_centre', 'resident']);

function defaultType(actor: Actor): CaseType {
  if (actor.role === 'grid_worker' || actor.role === 'community') return 'grid_event';
  if (actor.role === 'street_centre' || actor.role === 'command_centre') return 'urban';
  return 'hotline';
}

function defaultChannel(actor: Actor): string {
  switch (actor.role) {
    case 'hotline_operator': return 'hotline';
    case 'grid_worker': return 'grid_patrol';
    case 'resident': return 'resident_app';
    default: return 'web';
  }
}

function shanghaiDate(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
}

interface CategoryRow { code: string; case_types: string[]; limit_minutes: number | null; filing_condition: string | null; active: boolean }
const categoryCache = new Map<string, { row: CategoryRow | null; until: number }>();
async function loadCategory(q: Queryable, code: string): Promise<CategoryRow | null> {
  const hit = categoryCache.get(code);
  if (hit && hit.until > Date.now()) return hit.row;
  const [row] = await q.query<CategoryRow>('SELECT code, case_types, limit_minutes, filing_condition, active FROM category WHERE code = $1', [code]);
  categoryCache.set(code, { row: row ?? null, until: Date.now() + 30_000 });
  return row ?? null;
}
export function forgetCategory(code?: string): void { if (code) categoryCache.delete(code); else categoryCache.clear(); }

function stepClockFor(def: WorkflowDef, state: string, category: CategoryRow | null, now: Date, mode: TimeMode, deps: CaseDeps): StepClock {
  const limit = def.states[state]?.limit;
  if (limit == null) return noClock;
  const minutes = limit === 'category' ? (category?.limit_minutes ?? 5 * 420) : limit;
  return clockFrom(now, minutes, 0, mode, deps.ctx.calendar);
}

export interface IntakeResult {
  caseId: number; replayed: boolean; suggestion: RoutingSuggestion;
  /** The new case as written (absent on a replay, which re-reads it). */
  row?: CaseRow;
  /** True when a step after intake (自动派单) moved the case on; its view must be re-read. */
  movedOn?: boolean;
}

export async function createCase(deps: CaseDeps, actor: Actor, input: IntakeInput, idempotencyKey?: string): Promise<IntakeResult> {
  const { ctx } = deps;
  if (!intakeRoles.has(actor.role)) throw forbidden(`A ${actor.role} may not report cases.`);
  const requestHash = idempotencyKey ? createHash('sha256').update(JSON.stringify(input)).digest('hex') : null;
  if (idempotencyKey) {
    const replay = await findIdempotent(ctx.db, actor.id, idempotencyKey, requestHash!);
    if (replay) return { caseId: replay, replayed: true, suggestion: await routeFor(deps, replay) };
  }
  const type = input.type ?? defaultType(actor);
  const category = await loadCategory(ctx.db, input.categoryCode);
  if (!category || !category.active) throw unprocessable('unknown_category', `Category ${input.categoryCode} does not exist.`);
  if (category.limit_minutes == null) throw unprocessable('category_not_leaf', `Category ${input.categoryCode} is a group; choose one of its subcategories.`);
  if (!category.case_types.includes(type)) throw unprocessable('category_type_mismatch', `Category ${input.categoryCode} is not used for ${type} cases.`);

  const regionCode = await resolveRegion(deps, actor, input);
  const levels = regionLevels(regionCode);
  const now = ctx.now();
  const mode: TimeMode = input.urgency === 'emergency' ? 'continuous' : 'working';
  const def = deps.workflows.latest(type);
  const clock = stepClockFor(def, def.initial, category, now, mode, deps);
  const suggestion = suggestRoute(await deps.routing(), input.categoryCode, regionCode);

  if (input.attachmentIds?.length) {
    const [{ n }] = await ctx.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM attachment WHERE id = ANY($1::bigint[]) AND uploaded_by = $2 AND case_id IS NULL',
      [input.attachmentIds, actor.id]);
    if (n !== new Set(input.attachmentIds).size) throw unprocessable('unknown_attachment', 'Some attachments do not exist, are not yours, or belong to another case.');
  }
  const { cipher } = ctx;
  const phone = input.reporter?.phone;
  const name = input.reporter?.name;
  const params = [
    `${typePrefix[type]}${shanghaiDate(now)}`, randomToken(9), type, def.version, def.initial,
    input.categoryCode, input.title, input.description, input.channel ?? defaultChannel(actor), input.urgency,
    regionCode, levels.district, levels.street, levels.community, input.lat ?? null, input.lng ?? null, input.address ?? null,
    actor.role === 'resident' ? actor.id : null,
    name ? cipher.encrypt(name) : null, phone ? cipher.encrypt(phone) : null, phone ? cipher.lookupHash(phone) : null,
    phone ? maskPhone(phone) : null, name ? maskName(name) : null, suggestion.leadUnitId, suggestion.assistUnitIds, suggestion.source,
    mode, now, clock.limitMinutes, clock.yellowAt, clock.dueAt, actor.id, actor.unitId,
    JSON.stringify({ channel: input.channel ?? defaultChannel(actor), suggestion }), input.attachmentIds ?? [],
    idempotencyKey ?? null, requestHash,
  ];
  // One statement, one round trip, one implicit transaction: the case, its first flow record, the
  // outbox event, attachment links and the idempotency record are written together or not at all.
  const sql = `
    WITH c AS (
      INSERT INTO "case" (case_no, public_token, type, workflow_version, state, category_code, title, description, channel,
        urgency, region_code, district_code, street_code, community_code, lat, lng, address, reporter_user_id,
        reporter_name, reporter_phone, reporter_phone_hash, reporter_phone_masked, reporter_name_masked, suggested_unit_id,
        suggested_assist_unit_ids, suggestion_source, time_mode, step_started_at, step_limit_minutes, yellow_at, due_at,
        created_by, created_at, updated_at, seq)
      VALUES ($1 || lpad(nextval('case_no_seq')::text, 7, '0'), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,
        $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $28, $28, 1)
      RETURNING *
    ), f AS (
      INSERT INTO flow_record (case_id, region_code, seq, action, from_state, to_state, actor_id, actor_unit_id, actor_kind, at, due_at, data, attachment_ids)
      SELECT id, region_code, 0, 'report', NULL, state, $32, $33, 'user', created_at, due_at, $34::jsonb, $35::bigint[] FROM c
    ), o AS (
      INSERT INTO outbox (topic, region_code, user_ids, payload)
      SELECT 'case.reported', region_code, CASE WHEN $18::bigint IS NULL THEN '{}'::bigint[] ELSE ARRAY[$18::bigint] END,
        jsonb_build_object('caseId', id, 'caseNo', case_no, 'action', 'report', 'to', state) FROM c
    ), att AS (
      UPDATE attachment SET case_id = (SELECT id FROM c), region_code = (SELECT region_code FROM c)
      WHERE id = ANY($35::bigint[]) AND uploaded_by = $32 AND case_id IS NULL
    ), idem AS (
      INSERT INTO idempotency_key (user_id, key, request_hash, status_code, response)
      SELECT $32, $36, $37, 201, jsonb_build_object('caseId', id) FROM c WHERE $36::text IS NOT NULL
    )
    SELECT * FROM c`;
  try {
    // Without attachments, concurrent intakes share one statement and one commit (group commit,
    // intake-batch.ts); params keep this statement's order, which the batch writer names.
    const row = input.attachmentIds?.length
      ? (await ctx.db.query<CaseRow>(sql, params, { prepare: true }))[0]
      : await intakeWriter(ctx.db).write<CaseRow>(sql, params);
    ctx.events.poke();
    const movedOn = await runAfterIntake(deps, row);
    return { caseId: Number(row.id), replayed: false, suggestion, row, movedOn };
  } catch (err: any) {
    if (idempotencyKey && err?.code === '23505' && String(err?.constraint ?? err?.message).includes('idempotency_key')) {
      const replay = await findIdempotent(ctx.db, actor.id, idempotencyKey, requestHash!);
      if (replay) return { caseId: replay, replayed: true, suggestion: await routeFor(deps, replay) };
    }
    throw err;
  }
}

/** The intake has already succeeded: whatever follows may fail without undoing it. */
async function runAfterIntake(deps: CaseDeps, row: CaseRow): Promise<boolean> {
  if (!deps.afterIntake) return false;
  try {
    return await deps.afterIntake(row);
  } catch (err) {
    deps.ctx.log.warn({ caseId: Number(row.id), err: (err as Error).message }, 'after-intake step failed; the case stays as reported');
    return false;
  }
}

async function findIdempotent(q: Queryable, userId: number, key: string, hash: string): Promise<number | null> {
  const [row] = await q.query<{ request_hash: string; response: { caseId: number } }>(
    'SELECT request_hash, response FROM idempotency_key WHERE user_id = $1 AND key = $2', [userId, key]);
  if (!row) return null;
  if (row.request_hash !== hash) {
    throw unprocessable('idempotency_key_reused', 'This Idempotency-Key was already used with a different request body.');
  }
  return Number(row.response.caseId);
}

async function routeFor(deps: CaseDeps, caseId: number): Promise<RoutingSuggestion> {
  const [c] = await deps.ctx.db.query<any>('SELECT category_code, region_code FROM "case" WHERE id = $1', [caseId]);
  return suggestRoute(await deps.routing(), c.category_code, c.region_code);
}

async function resolveRegion(deps: CaseDeps, actor: Actor, input: IntakeInput): Promise<string> {
  let code: string | null;
  if (input.lat != null && input.lng != null) {
    code = deps.locate(input.lng, input.lat);
    if (!code) throw unprocessable('outside_area', 'The location is outside every grid of this platform.');
  } else {
    const [r] = await deps.ctx.db.query<{ code: string; level: string }>('SELECT code, level FROM region WHERE code = $1', [input.regionCode]);
    if (!r) throw unprocessable('unknown_region', `Region ${input.regionCode} does not exist.`);
    if (!['grid', 'community', 'street'].includes(r.level)) throw unprocessable('region_too_coarse', 'Give a street, community or grid, or a map location.');
    code = r.code;
  }
  const prefixes = scopePrefixes(actor);
  if (prefixes.length && !inPrefixes(code, prefixes)) {
    throw unprocessable('outside_scope', 'The location is outside the region you work in.');
  }
  return code;
}

// ---------------------------------------------------------------------------------------------
// Transitions

const refusalStatus: Record<Exclude<Decision, { ok: true }>['reason'], [number, string]> = {
  unknown_action: [400, 'unknown_action'],
  invalid_transition: [409, 'invalid_transition'],
  forbidden_action: [403, 'forbidden_action'],
  not_party: [403, 'not_your_case'],
  precondition_failed: [409, 'precondition_failed'],
};

interface Effect {
  patch: Record<string, unknown>;
  data: Record<string, unknown>;
  /** 'new' starts the clock of the target state; 'keep' leaves it; a StepClock sets it. */
  clock: 'new' | 'keep' | StepClock;
  statements: Array<[string, unknown[]]>;
  note?: string | null;
}

export interface TransitionResult { caseId: number; action: ActionName; from: string; to: string; auto: ActionName[] }

export async function transition(deps: CaseDeps, actor: Actor, caseId: number, action: string, input: ActionInputT): Promise<TransitionResult> {
  return applyTransition(deps, actor, caseId, action, input);
}

/**
 * A transition the system makes by itself (e.g. 自动派单): only edges the workflow gives to the system,
 * recorded with actor kind 'system'. Same locking, flow record and outbox as a user's transition.
 */
export async function systemTransition(deps: CaseDeps, caseId: number, action: ActionName, input: ActionInputT): Promise<TransitionResult> {
  return applyTransition(deps, null, caseId, action, input);
}

async function applyTransition(deps: CaseDeps, actor: Actor | null, caseId: number, action: string, input: ActionInputT): Promise<TransitionResult> {
  const { ctx } = deps;
  const missing = (requiredFields[action] ?? []).filter((f) => input[f] == null || (Array.isArray(input[f]) && !(input[f] as unknown[]).length));
  const result = await ctx.db.transaction(async (tx) => {
    const c = await loadFor(tx, actor, caseId, true);
    const assignments = await loadAssignments(tx, caseId);
    const def = deps.workflows.get(c.type, c.workflow_version);
    const decision = actor ? decide(def, factsOf(c, assignments), action, actor, input) : decideSystem(def, factsOf(c, assignments), action as ActionName);
    if (!decision.ok) {
      const [status, code] = refusalStatus[decision.reason];
      throw new AppError(status, code, decision.message, { state: c.state });
    }
    if (missing.length) throw badRequest('missing_field', `"${action}" needs ${missing.join(', ')}.`, { fields: missing });
    const act = decision.transition.action;
    const now = ctx.now();
    const effect = await effectOf(deps, tx, c, assignments, act, input, actor, now, decision.to);
    await record(deps, tx, c, act, decision.to, effect, actor, now, input.attachmentIds ?? []);
    // States that act by themselves (不满意 → 重办) follow in the same transaction.
    const auto: ActionName[] = [];
    let state = decision.to;
    let autoAction = def.states[state]?.auto;
    while (autoAction && auto.length < 3) {
      const fresh = await loadFor(tx, actor, caseId, true);
      const d = decideSystem(def, factsOf(fresh, await loadAssignments(tx, caseId)), autoAction);
      if (!d.ok) break;
      const eff = await effectOf(deps, tx, fresh, await loadAssignments(tx, caseId), autoAction, {}, null, now, d.to);
      await record(deps, tx, fresh, autoAction, d.to, eff, null, now, []);
      auto.push(autoAction);
      state = d.to;
      autoAction = def.states[state]?.auto;
    }
    return { caseId, action: act, from: c.state, to: state, auto };
  });
  ctx.events.poke();
  return result;
}

const CLOSING = new Set(['closed', 'rejected', 'merged']);

async function effectOf(
  deps: CaseDeps, tx: Queryable, c: CaseRow, assignments: any[], action: ActionName, input: ActionInputT,
  actor: Actor | null, now: Date, to: string,
): Promise<Effect> {
  const e: Effect = { patch: {}, data: {}, clock: to === c.state ? 'keep' : 'new', statements: [], note: input.note ?? input.reason ?? null };
  const cal = deps.ctx.calendar;
  switch (action) {
    case 'dispatch': {
      const ids = [input.leadUnitId!, ...(input.assistUnitIds ?? [])];
      if (new Set(ids).size !== ids.length) throw unprocessable('duplicate_unit', 'A unit cannot be both lead and assisting, or listed twice.');
      const units = await tx.query<{ id: string }>(
        `SELECT id FROM unit WHERE id = ANY($1::text[]) AND active AND kind IN ('department','street_centre','community','district_gov')`, [ids]);
      if (units.length !== ids.length) throw unprocessable('unknown_unit', 'The lead or an assisting unit does not exist or cannot handle cases.');
      e.patch.lead_unit_id = input.leadUnitId;
      e.statements.push([
        `UPDATE case_assignment SET status = 'withdrawn' WHERE case_id = $1 AND role IN ('lead','assist') AND status = 'active'`, [c.id]]);
      for (const [i, u] of ids.entries()) {
        e.statements.push([
          `INSERT INTO case_assignment (case_id, region_code, unit_id, role, assigned_at) VALUES ($1, $2, $3, $4, $5)`,
          [c.id, c.region_code, u, i === 0 ? 'lead' : 'assist', now]]);
      }
      e.data = {
        leadUnitId: input.leadUnitId, assistUnitIds: input.assistUnitIds ?? [],
        followedSuggestion: input.leadUnitId === c.suggested_unit_id,
      };
      break;
    }
    case 'return':
      e.patch.lead_unit_id = null;
      e.patch.return_count = (c.return_count ?? 0) + 1;
      e.statements.push([`UPDATE case_assignment SET status = 'returned' WHERE case_id = $1 AND role IN ('lead','assist') AND status = 'active'`, [c.id]]);
      e.data = { returnedBy: c.lead_unit_id };
      break;
    case 'request_extension':
      e.patch.extension_request = JSON.stringify({ minutes: input.extensionMinutes, reason: input.reason, requestedBy: actor?.id, at: now.toISOString() });
      e.data = { minutes: input.extensionMinutes };
      break;
    case 'approve_extension': {
      const req = c.extension_request!;
      const minutes = input.extensionMinutes ?? req.minutes;
      const limit = (c.step_limit_minutes ?? 0) + minutes;
      const left = remainingMinutes(now, c.due_at, c.time_mode, cal) ?? 0;
      const used = limit - left - minutes;
      e.clock = clockFrom(now, limit, Math.max(0, used), c.time_mode, cal);
      e.patch.extension_request = null;
      e.patch.overdue_flagged = false;
      e.data = { minutes, previousDueAt: c.due_at };
      break;
    }
    case 'reject_extension':
      e.patch.extension_request = null;
      break;
    case 'suspend':
      e.patch.prev_state = c.state;
      e.patch.remaining_minutes = remainingMinutes(now, c.due_at, c.time_mode, cal);
      e.clock = noClock;
      e.patch.step_limit_minutes = c.step_limit_minutes; // the limit survives the pause
      break;
    case 'resume': {
      const limit = c.step_limit_minutes;
      const left = c.remaining_minutes ?? limit ?? 0;
      e.clock = clockFrom(now, limit, limit == null ? 0 : limit - left, c.time_mode, cal);
      e.patch.prev_state = null;
      e.patch.remaining_minutes = null;
      e.data = { pausedMinutes: elapsed(new Date(c.step_started_at), now, 'continuous', cal) };
      break;
    }
    case 'verify_fail':
      e.patch.rework_count = (c.rework_count ?? 0) + 1;
      break;
    case 'call_back': case 'rate':
      e.patch.rating = input.rating;
      e.data = { rating: input.rating };
      break;
    case 'redo':
      e.patch.redo_count = (c.redo_count ?? 0) + 1;
      e.patch.rating = null;
      e.statements.push([`UPDATE case_assignment SET status = 'active' WHERE id = (
        SELECT id FROM case_assignment WHERE case_id = $1 AND role = 'lead' AND unit_id = $2 ORDER BY id DESC LIMIT 1)`, [c.id, c.lead_unit_id]]);
      e.data = { leadUnitId: c.lead_unit_id };
      break;
    case 'supervise':
      e.patch.supervised = true;
      break;
    case 'urge':
      e.patch.urge_count = (c.urge_count ?? 0) + 1;
      break;
    case 'file': {
      if (input.conditionMet !== true) throw unprocessable('filing_condition_not_met', 'Filing (立案) needs the category\'s filing condition to hold: send conditionMet: true.');
      const [cat] = await tx.query<{ filing_condition: string | null }>('SELECT filing_condition FROM category WHERE code = $1', [c.category_code]);
      e.data = { filingCondition: cat?.filing_condition ?? null };
      break;
    }
    case 'merge': {
      if (input.intoCaseId === c.id) throw unprocessable('merge_into_self', 'A case cannot be merged into itself.');
      const params: unknown[] = [input.intoCaseId];
      const target = actor ? (await tx.query<any>(`SELECT c.id, c.state, c.is_open, c.seq, c.region_code FROM "case" c WHERE c.id = $1 AND ${visibilitySql(actor, params)} FOR UPDATE`, params))[0] : null;
      if (!target) throw unprocessable('unknown_case', `Case ${input.intoCaseId} does not exist or is outside your scope.`);
      if (!target.is_open) throw unprocessable('target_closed', `Case ${input.intoCaseId} is no longer open.`);
      e.patch.merged_into = target.id;
      e.data = { intoCaseId: target.id };
      // the surviving case records what it absorbed
      e.statements.push([`INSERT INTO flow_record (case_id, region_code, seq, action, from_state, to_state, actor_id, actor_unit_id, actor_kind, at, data)
        VALUES ($1, $2, $3, 'merged_in', $4, $4, $5, $6, 'user', $7, $8::jsonb)`,
        [target.id, target.region_code, target.seq, target.state, actor?.id ?? null, actor?.unitId ?? null, now, JSON.stringify({ mergedCaseId: c.id })]]);
      e.statements.push(['UPDATE "case" SET seq = seq + 1, updated_at = $2 WHERE id = $1', [target.id, now]]);
      break;
    }
    case 'whistle': {
      const units = input.units!;
      const ids = units.map((u) => u.unitId);
      if (new Set(ids).size !== ids.length) throw unprocessable('duplicate_unit', 'Each unit can be summoned once per whistle.');
      const found = await tx.query<{ id: string }>('SELECT id FROM unit WHERE id = ANY($1::text[]) AND active', [ids]);
      if (found.length !== ids.length) throw unprocessable('unknown_unit', 'A summoned unit does not exist.');
      const already = assignments.filter((a) => a.role === 'summoned' && a.status === 'active').map((a) => a.unit_id);
      const again = ids.filter((id) => already.includes(id));
      if (again.length) throw conflict('already_summoned', `Already summoned and not yet done: ${again.join(', ')}.`);
      const level = actorLevel(actor!);
      const summons = units.map((u) => {
        const reportIn = u.reportInMinutes ?? 60;
        const limit = u.limitMinutes ?? 420;
        return {
          unitId: u.unitId,
          reportInDueAt: clockFrom(now, reportIn, 0, c.time_mode, cal).dueAt,
          dueAt: clockFrom(now, limit, 0, c.time_mode, cal).dueAt,
        };
      });
      for (const s of summons) {
        e.statements.push([`INSERT INTO case_assignment (case_id, region_code, unit_id, role, whistle_level, assigned_at, report_in_due_at, due_at)
          VALUES ($1, $2, $3, 'summoned', $4, $5, $6, $7)`, [c.id, c.region_code, s.unitId, level, now, s.reportInDueAt, s.dueAt]]);
      }
      e.patch.whistle_level = level;
      e.data = { level, summons };
      break;
    }
    case 'escalate': {
      const from = (c.whistle_level ?? actorLevel(actor!)) as WhistleLevel;
      const next = whistleLevels[whistleLevels.indexOf(from) + 1];
      e.patch.whistle_level = next;
      e.data = { fromLevel: from, toLevel: next };
      break;
    }
    case 'report_in': {
      const a = assignments.find((x) => x.role === 'summoned' && x.status === 'active' && x.unit_id === actor!.unitId);
      const onTime = !a.report_in_due_at || now.getTime() <= new Date(a.report_in_due_at).getTime();
      e.statements.push(['UPDATE case_assignment SET reported_in_at = $2 WHERE id = $1', [a.id, now]]);
      e.data = { unitId: a.unit_id, onTime, dueAt: a.report_in_due_at, minutesTaken: elapsed(new Date(a.assigned_at), now, c.time_mode, cal) };
      break;
    }
    case 'whistle_reply': {
      const a = assignments.find((x) => x.role === 'summoned' && x.status === 'active' && x.unit_id === actor!.unitId);
      const onTime = !a.due_at || now.getTime() <= new Date(a.due_at).getTime();
      e.statements.push([`UPDATE case_assignment SET replied_at = $2, status = 'done' WHERE id = $1`, [a.id, now]]);
      e.data = { unitId: a.unit_id, onTime, dueAt: a.due_at };
      break;
    }
    default:
      break;
  }
  if (CLOSING.has(to) && to !== c.state) {
    e.patch.is_open = false;
    e.patch.closed_at = now;
    e.clock = noClock;
    e.statements.push([`UPDATE case_assignment SET status = 'done' WHERE case_id = $1 AND status = 'active'`, [c.id]]);
  }
  return e;
}

async function record(
  deps: CaseDeps, tx: Queryable, c: CaseRow, action: ActionName, to: string, e: Effect, actor: Actor | null,
  now: Date, attachmentIds: number[],
): Promise<void> {
  const def = deps.workflows.get(c.type, c.workflow_version);
  for (const [sql, params] of e.statements) await tx.query(sql, params);
  if (attachmentIds.length) {
    const linked = await tx.query<{ id: number }>(
      `UPDATE attachment SET case_id = $1, region_code = $2 WHERE id = ANY($3::bigint[]) AND uploaded_by = $4 AND case_id IS NULL RETURNING id`,
      [c.id, c.region_code, attachmentIds, actor?.id ?? 0]);
    if (linked.length !== new Set(attachmentIds).size) throw unprocessable('unknown_attachment', 'Some attachments do not exist, are not yours, or belong to another case.');
  }
  const stateChanged = to !== c.state;
  const used = stateChanged && c.due_at ? elapsed(new Date(c.step_started_at), now, c.time_mode, deps.ctx.calendar) : null;
  let clock: StepClock | null = null;
  if (e.clock === 'new') {
    const category = await loadCategory(tx, c.category_code);
    clock = stepClockFor(def, to, category, now, c.time_mode, deps);
  } else if (e.clock !== 'keep') {
    clock = e.clock;
  }
  const patch: Record<string, unknown> = { ...e.patch, state: to, updated_at: now, seq: c.seq + 1 };
  if (clock) {
    patch.due_at = clock.dueAt;
    patch.yellow_at = clock.yellowAt;
    if (!('step_limit_minutes' in patch)) patch.step_limit_minutes = clock.limitMinutes;
    patch.step_started_at = now;
    patch.overdue_flagged = false;
  }
  const keys = Object.keys(patch);
  await tx.query(
    `UPDATE "case" SET ${keys.map((k, i) => `${k} = $${i + 2}`).join(', ')} WHERE id = $1`,
    [c.id, ...keys.map((k) => patch[k])],
  );
  await tx.query(
    `INSERT INTO flow_record (case_id, region_code, seq, action, from_state, to_state, actor_id, actor_unit_id, actor_kind, at,
       due_at, working_minutes_used, note, data, attachment_ids)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::jsonb, $15::bigint[])`,
    [c.id, c.region_code, c.seq, action, c.state, to, actor?.id ?? null, actor?.unitId ?? null, actor ? 'user' : 'system', now,
      clock ? clock.dueAt : c.due_at, used, e.note ?? null, JSON.stringify(e.data), attachmentIds],
  );
  const lead = (patch.lead_unit_id as string | undefined) ?? c.lead_unit_id;
  const summoned = (e.data.summons as Array<{ unitId: string }> | undefined)?.map((s) => s.unitId) ?? [];
  await appendEvent(tx, {
    topic: `case.${action}`,
    regionCode: c.region_code,
    unitIds: [...new Set([lead, c.lead_unit_id, ...summoned].filter((u): u is string => !!u))],
    userIds: c.reporter_user_id ? [Number(c.reporter_user_id)] : [],
    payload: { caseId: c.id, caseNo: c.case_no, action, from: c.state, to },
  });
}

// ---------------------------------------------------------------------------------------------
// Queries

export interface CaseView {
  id: number; caseNo: string; type: CaseType; typeName: { zh: string; en: string }; state: string;
  stateLabel: { zh: string; en: string }; categoryCode: string; title: string; description: string; channel: string;
  urgency: string; regionCode: string; lat: number | null; lng: number | null; address: string | null;
  reporter: { nameMasked: string | null; phoneMasked: string | null; userId: number | null };
  leadUnitId: string | null; suggestion: { leadUnitId: string | null; assistUnitIds: string[]; source: string | null };
  sla: { light: string | null; dueAt: string | null; yellowAt: string | null; limitMinutes: number | null; timeMode: string; remainingMinutes: number | null };
  extensionRequest: unknown; supervised: boolean; urgeCount: number; redoCount: number; reworkCount: number; returnCount: number;
  whistleLevel: string | null; rating: string | null; mergedInto: number | null; isOpen: boolean;
  createdAt: string; updatedAt: string; closedAt: string | null;
  actions?: ActionName[]; assignments?: unknown[]; trackingToken?: string;
}

const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);

export function toView(deps: CaseDeps, c: CaseRow, now: Date): CaseView {
  const def = deps.workflows.get(c.type, c.workflow_version);
  let name: string | null = c.reporter_name_masked ?? null;
  if (!name && c.reporter_name) { try { name = maskName(deps.ctx.cipher.decrypt(c.reporter_name)); } catch { name = '***'; } }
  return {
    id: Number(c.id), caseNo: c.case_no, type: c.type, typeName: def.name, state: c.state,
    stateLabel: def.states[c.state]?.label ?? { zh: c.state, en: c.state }, categoryCode: c.category_code,
    title: c.title, description: c.description, channel: c.channel, urgency: c.urgency, regionCode: c.region_code,
    lat: c.lat, lng: c.lng, address: c.address,
    reporter: { nameMasked: name, phoneMasked: c.reporter_phone_masked, userId: c.reporter_user_id == null ? null : Number(c.reporter_user_id) },
    leadUnitId: c.lead_unit_id,
    suggestion: { leadUnitId: c.suggested_unit_id, assistUnitIds: c.suggested_assist_unit_ids ?? [], source: c.suggestion_source },
    sla: {
      light: lightAt(now, { dueAt: c.due_at ? new Date(c.due_at) : null, yellowAt: c.yellow_at ? new Date(c.yellow_at) : null, isOpen: c.is_open, state: c.state }),
      dueAt: iso(c.due_at), yellowAt: iso(c.yellow_at), limitMinutes: c.step_limit_minutes, timeMode: c.time_mode,
      remainingMinutes: c.state === 'suspended' ? c.remaining_minutes : remainingMinutes(now, c.due_at ? new Date(c.due_at) : null, c.time_mode, deps.ctx.calendar),
    },
    extensionRequest: c.extension_request, supervised: c.supervised, urgeCount: c.urge_count, redoCount: c.redo_count,
    reworkCount: c.rework_count, returnCount: c.return_count, whistleLevel: c.whistle_level, rating: c.rating,
    mergedInto: c.merged_into == null ? null : Number(c.merged_into), isOpen: c.is_open,
    createdAt: iso(c.created_at)!, updatedAt: iso(c.updated_at)!, closedAt: iso(c.closed_at),
  };
}

/**
 * A case as a list shows it: what a row of the console's tables needs, without the description, the
 * reporter, the routing suggestion and the counters (those are in GET /api/v1/cases/:id). Built from
 * LIST_COLUMNS alone, so a page never reads ciphertexts or decrypts anything.
 */
export interface CaseListItem {
  id: number; caseNo: string; type: CaseType; typeName: { zh: string; en: string }; state: string;
  stateLabel: { zh: string; en: string }; categoryCode: string; title: string; channel: string; urgency: string;
  regionCode: string; lat: number | null; lng: number | null; address: string | null; leadUnitId: string | null;
  sla: CaseView['sla']; supervised: boolean; whistleLevel: string | null; isOpen: boolean;
  createdAt: string; updatedAt: string; closedAt: string | null;
}

/** The columns toListItem reads. */
export const LIST_COLUMNS = [
  'id', 'case_no', 'type', 'workflow_version', 'state', 'category_code', 'title', 'channel', 'urgency', 'region_code', 'lat', 'lng',
  'address', 'lead_unit_id', 'time_mode', 'step_limit_minutes', 'due_at', 'yellow_at', 'remaining_minutes', 'is_open', 'supervised',
  'whistle_level', 'created_at', 'updated_at', 'closed_at',
].map((k) => `c.${k}`).join(', ');

export function toListItem(deps: CaseDeps, c: CaseRow, now: Date): CaseListItem {
  const def = deps.workflows.get(c.type, c.workflow_version);
  const dueAt = c.due_at ? new Date(c.due_at) : null;
  const yellowAt = c.yellow_at ? new Date(c.yellow_at) : null;
  return {
    id: Number(c.id), caseNo: c.case_no, type: c.type, typeName: def.name, state: c.state,
    stateLabel: def.states[c.state]?.label ?? { zh: c.state, en: c.state }, categoryCode: c.category_code,
    title: c.title, channel: c.channel, urgency: c.urgency, regionCode: c.region_code, lat: c.lat, lng: c.lng, address: c.address,
    leadUnitId: c.lead_unit_id,
    sla: {
      light: lightAt(now, { dueAt, yellowAt, isOpen: c.is_open, state: c.state }),
      dueAt: dueAt && dueAt.toISOString(), yellowAt: yellowAt && yellowAt.toISOString(), limitMinutes: c.step_limit_minutes, timeMode: c.time_mode,
      remainingMinutes: c.state === 'suspended' ? c.remaining_minutes : remainingMinutes(now, dueAt, c.time_mode, deps.ctx.calendar),
    },
    supervised: c.supervised, whistleLevel: c.whistle_level, isOpen: c.is_open,
    createdAt: iso(c.created_at)!, updatedAt: iso(c.updated_at)!, closedAt: iso(c.closed_at),
  };
}

export async function getCase(deps: CaseDeps, actor: Actor, id: number): Promise<CaseView> {
  const c = await loadVisible(deps.ctx.db, actor, id, false);
  return detailView(deps, actor, c, await loadAssignments(deps.ctx.db, id));
}

/** The full view of a case: its row, its assignments and the actions open to the actor. */
export function detailView(deps: CaseDeps, actor: Actor, c: CaseRow, assignments: any[]): CaseView {
  const def = deps.workflows.get(c.type, c.workflow_version);
  const view = toView(deps, c, deps.ctx.now());
  view.actions = availableActions(def, factsOf(c, assignments), actor);
  view.assignments = assignments.map((a) => ({
    unitId: a.unit_id, role: a.role, status: a.status, whistleLevel: a.whistle_level, assignedAt: iso(a.assigned_at),
    reportInDueAt: iso(a.report_in_due_at), dueAt: iso(a.due_at), reportedInAt: iso(a.reported_in_at), repliedAt: iso(a.replied_at),
  }));
  if (c.reporter_user_id != null && Number(c.reporter_user_id) === actor.id) view.trackingToken = c.public_token;
  return view;
}

export async function timeline(deps: CaseDeps, actor: Actor, id: number) {
  await loadVisible(deps.ctx.db, actor, id, false);
  const rows = await deps.ctx.db.query<any>(
    `SELECT f.*, u.display_name AS actor_name, un.name AS unit_name FROM flow_record f
     LEFT JOIN app_user u ON u.id = f.actor_id LEFT JOIN unit un ON un.id = f.actor_unit_id
     WHERE f.case_id = $1 ORDER BY f.seq`, [id]);
  return rows.map((f) => ({
    seq: f.seq, action: f.action, actionLabel: actionLabels[f.action as ActionName] ?? { zh: f.action, en: f.action },
    fromState: f.from_state, toState: f.to_state, actorKind: f.actor_kind,
    actor: f.actor_id ? { id: Number(f.actor_id), name: f.actor_name } : null,
    unit: f.actor_unit_id ? { id: f.actor_unit_id, name: f.unit_name } : null,
    at: iso(f.at), dueAt: iso(f.due_at), workingMinutesUsed: f.working_minutes_used, note: f.note, data: f.data,
    attachmentIds: (f.attachment_ids ?? []).map(Number),
  }));
}

/** The inbox: what waits for the actor or their unit. States come from the workflow definitions. */
function inboxSql(deps: CaseDeps, actor: Actor, params: unknown[]): string {
  const parts: string[] = [];
  const byType = deps.workflows.inboxStatesByType(actor.role);
  for (const [type, states] of byType) {
    if (!states.length) continue;
    params.push(type, states);
    parts.push(`(c.type = $${params.length - 1} AND c.state = ANY($${params.length}::text[]))`);
  }
  if (actor.unitId) {
    params.push(actor.unitId);
    const u = `$${params.length}`;
    parts.push(`(c.lead_unit_id = ${u} AND c.state IN ('dispatched','handling'))`);
    parts.push(`EXISTS (SELECT 1 FROM case_assignment a WHERE a.case_id = c.id AND a.unit_id = ${u} AND a.role = 'summoned' AND a.status = 'active')`);
  }
  if (actor.role === 'resident') {
    params.push(actor.id);
    parts.push(`(c.reporter_user_id = $${params.length} AND c.state = 'awaiting_callback')`);
  }
  return parts.length ? `c.is_open AND (${parts.join(' OR ')})` : 'false';
}

/**
 * The scope of a list (and, for the inbox, what waits for the actor) as branches whose union is exactly
 * visibilitySql (AND inboxSql): each branch is sargable on its own index in list order, where their OR
 * is not (a grid worker's inbox walked every open case for a few matches). The inbox's states are
 * crossed with each visibility branch, so a case seen only through an assignment is listed exactly
 * as today.
 */
function scopeBranches(deps: CaseDeps, actor: Actor, inbox: boolean, params: unknown[]): string[] {
  const vis: string[] = [];
  for (const prefix of scopePrefixes(actor)) vis.push(regionPrefixSql(prefix, 'c', params));
  if (actor.unitId) {
    params.push(actor.unitId);
    vis.push(`c.id IN (SELECT a.case_id FROM case_assignment a WHERE a.unit_id = $${params.length})`);
  }
  params.push(actor.id);
  vis.push(`c.reporter_user_id = $${params.length}`);
  if (!inbox) return vis;
  const anyVis = `(${vis.join(' OR ')})`;
  const out: string[] = [];
  const typeStates: string[] = [];
  for (const [type, states] of deps.workflows.inboxStatesByType(actor.role)) {
    if (!states.length) continue;
    params.push(type, states);
    typeStates.push(`(c.type = $${params.length - 1} AND c.state = ANY($${params.length}::text[]))`);
  }
  if (typeStates.length) for (const v of vis) out.push(`c.is_open AND ${v} AND (${typeStates.join(' OR ')})`);
  if (actor.unitId) {
    params.push(actor.unitId);
    const u = `$${params.length}`;
    out.push(`c.is_open AND c.lead_unit_id = ${u} AND c.state IN ('dispatched','handling') AND ${anyVis}`);
    out.push(`c.is_open AND c.id IN (SELECT a.case_id FROM case_assignment a WHERE a.unit_id = ${u} AND a.role = 'summoned' AND a.status = 'active') AND ${anyVis}`);
  }
  if (actor.role === 'resident') {
    params.push(actor.id);
    out.push(`c.is_open AND c.reporter_user_id = $${params.length} AND c.state = 'awaiting_callback' AND ${anyVis}`);
  }
  return out;
}

/**
 * @param opts.branches use the union of scopeBranches for an unfiltered newest/oldest-first page, or a
 *   soonest-due inbox page, of an actor with a small territory (default);
 *   false forces the single OR query (bench/proposals/compare-listcases.ts checks both give the same pages)
 */
export async function listCases(deps: CaseDeps, actor: Actor, q: ListQueryT, opts: { branches?: boolean } = {}) {
  const now = deps.ctx.now();
  const unfiltered = !(q.state?.length || q.type?.length || q.category || q.region || q.open || q.unit || q.from || q.to || q.q || q.sla);
  const params: unknown[] = [];
  const where: string[] = [];
  // Pages that walk an index in list order and stop after the page: newest/oldest first over all cases
  // (case_created_idx), the inbox soonest-due first over open cases (case_open_due_idx).
  const ordered = q.sort.endsWith('created_at') || (q.sort === 'due_at' && q.inbox === 'true');
  // unfiltered pages stop after a short walk: probe the assignments row by row (see visibilitySql)
  const probeAssignments = unfiltered && ordered;
  // A department's list starts from its assignments; everyone else's from their territory.
  if (actor.role === 'department' && actor.unitId) {
    params.push(actor.unitId);
    where.push(`c.id IN (SELECT case_id FROM case_assignment WHERE unit_id = $${params.length})`);
  } else {
    where.push(visibilitySql(actor, params, 'c', probeAssignments));
  }
  if (q.inbox === 'true') where.push(inboxSql(deps, actor, params));
  if (q.state?.length) { params.push(q.state); where.push(`c.state = ANY($${params.length}::text[])`); }
  if (q.type?.length) { params.push(q.type); where.push(`c.type = ANY($${params.length}::text[])`); }
  if (q.category) { params.push(`${q.category}%`); where.push(`c.category_code LIKE $${params.length}`); }
  if (q.region) where.push(regionPrefixSql(q.region, 'c', params, true));
  if (q.open) { where.push(q.open === 'true' ? 'c.is_open' : 'NOT c.is_open'); }
  if (q.unit) { params.push(q.unit); where.push(`c.lead_unit_id = $${params.length}`); }
  if (q.from) { params.push(new Date(q.from)); where.push(`c.created_at >= $${params.length}`); }
  if (q.to) { params.push(new Date(q.to)); where.push(`c.created_at < $${params.length}`); }
  if (q.q) {
    params.push(`%${q.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
    const p = `$${params.length}`;
    where.push(`(c.title ILIKE ${p} OR c.description ILIKE ${p} OR c.case_no ILIKE ${p} OR c.address ILIKE ${p})`);
  }
  if (q.sla) {
    params.push(now);
    const n = `$${params.length}`;
    const light = {
      red: `c.due_at < ${n}`,
      yellow: `c.yellow_at <= ${n} AND c.due_at >= ${n}`,
      green: `c.due_at >= ${n} AND (c.yellow_at IS NULL OR c.yellow_at > ${n})`,
    }[q.sla];
    where.push(`c.is_open AND c.state <> 'suspended' AND ${light}`);
  }
  const order = {
    'created_at': 'c.created_at ASC, c.id ASC', '-created_at': 'c.created_at DESC, c.id DESC',
    'due_at': 'c.due_at ASC NULLS LAST, c.id ASC', '-due_at': 'c.due_at DESC NULLS LAST, c.id DESC',
  }[q.sort];
  const whereSql = where.join(' AND ');
  const limit = q.pageSize;
  const offset = (q.page - 1) * limit;
  let rows: CaseRow[];
  // Branches win for small territories (community, grid: the OR walked every open case of the district
  // for a few matches) and lose for a street or district, whose OR query already walks a short way.
  const smallTerritory = scopePrefixes(actor).every((prefix) => prefix.length >= 12);
  if ((opts.branches ?? true) && unfiltered && smallTerritory && actor.role !== 'department' && ordered && offset + limit <= 1000) {
    // Each branch walks its index in list order and stops after the page; the union holds at most
    // branches × (offset + limit + 1) ids, which are then ordered and paged (ties broken by id, as today).
    const bp: unknown[] = [];
    const branches = scopeBranches(deps, actor, q.inbox === 'true', bp);
    const k = offset + limit + 1;
    const union = branches.map((b) => `(SELECT c.id FROM "case" c WHERE ${b} ORDER BY ${order} LIMIT ${k})`).join(' UNION ALL ');
    rows = await deps.ctx.db.query<CaseRow>(
      `SELECT ${LIST_COLUMNS} FROM "case" c WHERE ${branches.length ? `c.id IN (${union})` : 'false'} ORDER BY ${order} LIMIT ${limit + 1} OFFSET ${offset}`, bp);
  } else {
    // The first pages of a street's or the district's unfiltered list and inbox walk an index in list order,
    // whichever street: one plan fits every such actor, and planning the OR/EXISTS query cost PostgreSQL
    // more than running it (0.4–0.6 ms against 0.1–2.5 ms), so those statements are prepared (named).
    // Not for departments (a generic plan fits 城管's 269k assignments and a small unit's 100 alike badly),
    // filtered lists (too many shapes) or deep pages (LIMIT and OFFSET are part of the text).
    const prepare = probeAssignments && actor.role !== 'department' && q.page <= 5;
    rows = await deps.ctx.db.query<CaseRow>(
      `SELECT ${LIST_COLUMNS} FROM "case" c WHERE ${whereSql} ORDER BY ${order} LIMIT ${limit + 1} OFFSET ${offset}`, params, { prepare });
  }
  let total: number | undefined;
  if (q.count === 'true') {
    // The count walks every match, where the hashed assignment subplan wins: the same scope without the
    // probe (same parameters, so the same placeholders).
    const countScope = probeAssignments && actor.role !== 'department' ? visibilitySql(actor, [], 'c', false) : where[0];
    const countWhere = [countScope, ...where.slice(1)].join(' AND ');
    const [r] = await deps.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "case" c WHERE ${countWhere}`, params);
    total = r.n;
  }
  return {
    items: rows.slice(0, limit).map((r) => toListItem(deps, r, now)),
    page: q.page, pageSize: limit, hasMore: rows.length > limit, ...(total != null ? { total } : {}),
  };
}

/** Reveals the reporter's contact for a stated purpose (e.g. a call-back), and audits it. */
export async function revealReporter(deps: CaseDeps, actor: Actor, id: number, purpose: string) {
  if (!['hotline_operator', 'street_centre', 'command_centre', 'community', 'admin'].includes(actor.role)) {
    throw forbidden('Your role may not reveal reporters\' contact details.');
  }
  const c = await loadVisible(deps.ctx.db, actor, id, false);
  const { cipher } = deps.ctx;
  await deps.ctx.db.query(
    `INSERT INTO audit_log (actor_id, action, target, region_code, detail) VALUES ($1, 'reveal_reporter', $2, $3, $4::jsonb)`,
    [actor.id, `case:${id}`, c.region_code, JSON.stringify({ purpose })]);
  return {
    name: c.reporter_name ? cipher.decrypt(c.reporter_name) : null,
    phone: c.reporter_phone ? cipher.decrypt(c.reporter_phone) : null,
  };
}

export async function routingSuggestion(deps: CaseDeps, actor: Actor, id: number) {
  const c = await loadVisible(deps.ctx.db, actor, id, false);
  const s = suggestRoute(await deps.routing(), c.category_code, c.region_code);
  const ids = [s.leadUnitId, ...s.assistUnitIds].filter((x): x is string => !!x);
  const units = ids.length ? await deps.ctx.db.query<{ id: string; name: string; kind: string }>(
    'SELECT id, name, kind FROM unit WHERE id = ANY($1::text[])', [ids]) : [];
  const byId = new Map(units.map((u) => [u.id, u]));
  return { ...s, lead: s.leadUnitId ? byId.get(s.leadUnitId) ?? null : null, assists: s.assistUnitIds.map((u) => byId.get(u)).filter(Boolean) };
}
