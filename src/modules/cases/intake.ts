// Intake (上报): any channel, any case type. One statement writes the case, its first flow record, its
// event, its attachment links and its idempotency record, so a case is there whole or not at all.
import { normalizePhone } from '../../platform/text.ts';
import { createHash } from 'node:crypto';
import type { Queryable } from '../../platform/db/index.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import { forbidden, roleZh, unprocessable } from '../../platform/errors.ts';
import { inPrefixes, regionLevels, scopePrefixes } from '../../platform/scope.ts';
import { maskName, maskPhone, queryCode } from '../../platform/crypto.ts';
import type { TimeMode } from '../../platform/calendar/index.ts';
import type { CaseTypeDef } from './definition.ts';
import { clockFrom, noClock, type StepClock } from './clock.ts';
import { suggestRoute, type RoutingSuggestion } from './routing.ts';
import type { IntakeInput } from './contracts.ts';
import { intakeRow, intakeWriter, type WrittenIntake } from './intake-batch.ts';
import { appendFlowRecordsSql } from './flow.ts';
import type { CaseDeps } from './deps.ts';
import type { CaseRow } from './rows.ts';
import { transition } from './transition.ts';

function defaultChannel(actor: Actor): string {
  switch (actor.role) {
    case 'hotline_operator': return 'hotline';
    case 'grid_worker': return 'grid_patrol';
    case 'resident': return 'resident_app';
    default: return 'web';
  }
}

const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3600_000;
/** The China day last formatted (every intake of a day asks for the same one). */
let lastDay = { day: NaN, text: '' };
export function shanghaiDate(d: Date): string {
  const day = Math.floor((d.getTime() + CHINA_OFFSET_MS) / DAY_MS);
  if (day !== lastDay.day) lastDay = { day, text: new Date(day * DAY_MS).toISOString().slice(0, 10).replace(/-/g, '') };
  return lastDay.text;
}

export interface CategoryRow { code: string; case_types: string[]; limit_minutes: number | null; filing_condition: string | null; active: boolean }
const categoryCache = new Map<string, { row: CategoryRow | null; until: number }>();
export async function loadCategory(q: Queryable, code: string): Promise<CategoryRow | null> {
  const hit = categoryCache.get(code);
  if (hit && hit.until > Date.now()) return hit.row;
  const [row] = await q.query<CategoryRow>('SELECT code, case_types, limit_minutes, filing_condition, active FROM category WHERE code = $1', [code]);
  categoryCache.set(code, { row: row ?? null, until: Date.now() + 30_000 });
  return row ?? null;
}
/** After an administrator edits a category, this process sees the change at once (others within 30 s). */
export function forgetCategory(code?: string): void { if (code) categoryCache.delete(code); else categoryCache.clear(); }

/** The clock of the step that starts when a case enters `state` (none for paused or clockless states). */
export function stepClockFor(deps: CaseDeps, def: CaseTypeDef, state: string, category: CategoryRow | null, now: Date, mode: TimeMode): StepClock {
  const clock = def.states[state]?.clock;
  if (clock == null || clock === 'paused') return noClock;
  const minutes = clock.limit === 'category' ? (category?.limit_minutes ?? 5 * 420) : clock.limit;
  return clockFrom(now, minutes, 0, mode, deps.ctx.calendar);
}

export interface IntakeResult {
  caseId: number; replayed: boolean; suggestion: RoutingSuggestion;
  /** The new case as written (absent on a replay, which re-reads it). */
  row?: CaseRow;
  /** True when a step after intake (自动派单) moved the case on; its view must be re-read. */
  movedOn?: boolean;
}

/** The case type of an intake: the one named, or the role's default; the role must be allowed to report it. */
function intakeType(deps: CaseDeps, actor: Actor, named?: string): CaseTypeDef {
  deps.policy.assert(actor, 'case.report');
  if (named) {
    const def = deps.types.latest(named);
    if (!def) throw unprocessable('unknown_case_type', { zh: `“${named.slice(0, 40)}”不是本平台的案件类型。`, en: `"${named.slice(0, 40)}" is not a case type of this platform.` });
    if (!def.intake.roles.includes(actor.role)) throw forbidden({ zh: `${roleZh(actor.role)}无权上报${def.name.zh}案件。`, en: `A ${actor.role} may not report ${def.name.en} cases.` });
    return def;
  }
  const def = deps.types.defaultTypeFor(actor.role);
  if (!def) throw forbidden({ zh: `${roleZh(actor.role)}无权上报案件。`, en: `A ${actor.role} may not report cases.` });
  return def;
}

export async function createCase(deps: CaseDeps, actor: Actor, input: IntakeInput, idempotencyKey?: string, opts: { followUps?: boolean } = {}): Promise<IntakeResult> {
  const { ctx } = deps;
  const def = intakeType(deps, actor, input.type);
  const requestHash = idempotencyKey ? createHash('sha256').update(JSON.stringify(input)).digest('hex') : null;
  if (idempotencyKey) {
    const replay = await findIdempotent(ctx.db, actor.id, idempotencyKey, requestHash!);
    if (replay) return { caseId: replay, replayed: true, suggestion: await routeFor(deps, replay) };
  }
  const category = await loadCategory(ctx.db, input.categoryCode);
  if (!category || !category.active) throw unprocessable('unknown_category', { zh: `事项分类 ${input.categoryCode} 不存在。`, en: `Category ${input.categoryCode} does not exist.` });
  if (category.limit_minutes == null) throw unprocessable('category_not_leaf', { zh: `事项分类 ${input.categoryCode} 是分组，请选择其下的子分类。`, en: `Category ${input.categoryCode} is a group; choose one of its subcategories.` });
  if (!category.case_types.includes(def.type)) throw unprocessable('category_type_mismatch', { zh: `事项分类 ${input.categoryCode} 不适用于${def.name.zh}案件。`, en: `Category ${input.categoryCode} is not used for ${def.type} cases.` });

  // 即时办结: the type's on-call action must be open to this reporter before anything is written
  const onCall = input.answerOnCall ? onCallAction(def, actor) : null;
  const { code: regionCode, lat, lng } = onCall && input.lat == null && !input.regionCode
    ? { code: ownRegion(actor), lat: null, lng: null }
    : await resolveRegion(deps, actor, input);
  const levels = regionLevels(regionCode);
  const now = ctx.now();
  const mode: TimeMode = input.urgency === 'emergency' ? 'continuous' : 'working';
  const clock = stepClockFor(deps, def, def.initial, category, now, mode);
  const suggestion = suggestRoute(await deps.routing(), input.categoryCode, regionCode);

  if (input.attachmentIds?.length) {
    const [{ n }] = await ctx.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM attachment WHERE id = ANY($1::bigint[]) AND uploaded_by = $2 AND case_id IS NULL',
      [input.attachmentIds, actor.id]);
    if (n !== new Set(input.attachmentIds).size) throw unprocessable('unknown_attachment', { zh: `部分附件不存在、不是您上传的，或已属于其他案件。`, en: 'Some attachments do not exist, are not yours, or belong to another case.' });
  }
  const { cipher } = ctx;
  // one caller, one number: 139-1234-5678 and 139 1234 5678 are stored and hashed as 13912345678
  const phone = input.reporter?.phone ? normalizePhone(input.reporter.phone) : undefined;
  const name = input.reporter?.name;
  const channel = input.channel ?? defaultChannel(actor);
  const params = [
    `${def.intake.prefix}${shanghaiDate(now)}`, queryCode(12), def.type, def.version, def.initial,
    input.categoryCode, input.title, input.description, channel, input.urgency,
    regionCode, levels.district, levels.street, levels.community, lat, lng, input.address ?? null,
    actor.role === 'resident' ? actor.id : null,
    name ? cipher.encrypt(name) : null, phone ? cipher.encrypt(phone) : null, phone ? cipher.lookupHash(phone) : null,
    phone ? maskPhone(phone) : null, name ? maskName(name) : null, suggestion.leadUnitId, suggestion.assistUnitIds, suggestion.source,
    mode, now, clock.limitMinutes, clock.yellowAt, clock.dueAt, actor.id, actor.unitId,
    JSON.stringify({ channel, suggestion }), input.attachmentIds ?? [],
    idempotencyKey ?? null, requestHash, input.appealKind ?? null,
  ];
  // One statement, one round trip, one implicit transaction: the case, its first flow record, the
  // outbox event, attachment links and the idempotency record are written together or not at all.
  const sql = `
    WITH c AS (
      INSERT INTO "case" (case_no, public_token, type, workflow_version, state, category_code, title, description, channel,
        urgency, region_code, district_code, street_code, community_code, lat, lng, address, reporter_user_id,
        reporter_name, reporter_phone, reporter_phone_hash, reporter_phone_masked, reporter_name_masked, suggested_unit_id,
        suggested_assist_unit_ids, suggestion_source, time_mode, step_started_at, step_limit_minutes, yellow_at, due_at,
        created_by, created_at, updated_at, seq, appeal_kind)
      VALUES ($1 || lpad(nextval('case_no_seq')::text, 7, '0'), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,
        $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $28, $28, 1, $38)
      RETURNING id, case_no, public_token, district_code, region_code, state, created_at, due_at
    ), f AS (
      ${appendFlowRecordsSql(`SELECT id, district_code, region_code, 0, 'report', NULL, state, $32, $33, 'user', created_at, due_at, NULL::int, NULL, $34::jsonb, $35::bigint[] FROM c`)}
    ), o AS (
      INSERT INTO outbox (topic, region_code, user_ids, payload)
      SELECT 'case.reported', region_code, CASE WHEN $18::bigint IS NULL THEN '{}'::bigint[] ELSE ARRAY[$18::bigint] END,
        jsonb_build_object('caseId', id, 'caseNo', case_no, 'action', 'report', 'to', state) FROM c
    ), att AS (
      UPDATE attachment SET case_id = (SELECT id FROM c), district_code = (SELECT district_code FROM c), region_code = (SELECT region_code FROM c)
      WHERE id = ANY($35::bigint[]) AND uploaded_by = $32 AND case_id IS NULL
    ), idem AS (
      INSERT INTO idempotency_key (user_id, key, request_hash, status_code, response)
      SELECT $32, $36, $37, 201, jsonb_build_object('caseId', id) FROM c WHERE $36::text IS NOT NULL
    )
    SELECT id, case_no, public_token FROM c`;
  try {
    // Without attachments, concurrent intakes share one statement and one commit (group commit,
    // intake-batch.ts); params keep this statement's order, which the batch writer names.
    const written = input.attachmentIds?.length
      ? (await ctx.db.query<WrittenIntake>(sql, params, { prepare: true }))[0]
      : await intakeWriter(ctx.db).write(sql, params);
    // the row as the database now holds it, from what was written (not read back: intake-batch.ts)
    const row = intakeRow<CaseRow>(written, params);
    ctx.events.poke();
    if (onCall) {
      // answered on the call: closed (or waiting for its callback) by the definition's on-call action, no 自动派单
      await transition(deps, actor, Number(row.id), onCall, { note: input.answerOnCall!.note });
      return { caseId: Number(row.id), replayed: false, suggestion, movedOn: true };
    }
    const movedOn = opts.followUps === false ? false : await runSubscribers(deps, row);
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
async function runSubscribers(deps: CaseDeps, row: CaseRow): Promise<boolean> {
  let moved = false;
  for (const subscriber of deps.reported) {
    try {
      moved = (await subscriber(row)) || moved;
    } catch (err) {
      deps.ctx.log.warn({ caseId: Number(row.id), err: (err as Error).message }, 'a step after intake failed; the case stays as reported');
    }
  }
  return moved;
}

async function findIdempotent(q: Queryable, userId: number, key: string, hash: string): Promise<number | null> {
  const [row] = await q.query<{ request_hash: string; response: { caseId: number } }>(
    'SELECT request_hash, response FROM idempotency_key WHERE user_id = $1 AND key = $2', [userId, key]);
  if (!row) return null;
  if (row.request_hash !== hash) {
    throw unprocessable('idempotency_key_reused', { zh: `该幂等键（Idempotency-Key）已用于内容不同的请求。`, en: 'This Idempotency-Key was already used with a different request body.' });
  }
  return Number(row.response.caseId);
}

async function routeFor(deps: CaseDeps, caseId: number): Promise<RoutingSuggestion> {
  const [c] = await deps.ctx.db.query<any>('SELECT category_code, region_code FROM "case" WHERE id = $1', [caseId]);
  return suggestRoute(await deps.routing(), c.category_code, c.region_code);
}

const PLACEABLE_LEVELS = new Set(['grid', 'community', 'street']);

/** The type's on-call action (即时办结), refused when the type has none or the reporter's role may not take it. */
function onCallAction(def: CaseTypeDef, actor: Actor): string {
  const name = def.intake.onCall;
  const a = name ? def.actions.find((x) => x.name === name && x.from.includes(def.initial)) : undefined;
  if (!a) throw unprocessable('no_answer_on_call', { zh: `${def.name.zh}案件不能在通话中直接办结。`, en: `${def.name.en} cases cannot be answered on the call.` });
  if (a.roles === 'system' || !a.roles.includes(actor.role)) throw forbidden({ zh: `${roleZh(actor.role)}无权在通话中直接办结案件。`, en: `A ${actor.role} may not close a case on the call.` });
  return a.name;
}

/** Where a case answered on the call belongs when no location was given: the reporter's own region (the hotline's). */
function ownRegion(actor: Actor): string {
  const [prefix] = scopePrefixes(actor);
  if (!prefix) throw unprocessable('region_required', { zh: `请提供位置（经纬度）或区划编码。`, en: 'Give a location (lat and lng) or a regionCode.' });
  return prefix;
}

async function resolveRegion(deps: CaseDeps, actor: Actor, input: IntakeInput): Promise<{ code: string; lat: number | null; lng: number | null }> {
  let code: string | null;
  let lat = input.lat ?? null;
  let lng = input.lng ?? null;
  if (input.lat != null && input.lng != null) {
    code = deps.regions.locate(input.lng, input.lat);
    if (!code) throw unprocessable('outside_area', { zh: `该位置不在本平台任何网格内。`, en: 'The location is outside every grid of this platform.' });
  } else if (!input.regionCode) {
    // only a typed address: placed by the geocoder (region and point)
    const placed = input.address ? deps.regions.place?.(input.address) ?? null : null;
    if (!placed) {
      throw unprocessable('address_not_found', { zh: `本平台没有与该地址匹配的地点，请在地图上选点或选择所属区域。`, en: 'No place of this platform matches the address; give a map location or a region.' }, { zh: '未能根据地址找到对应位置，请在地图上选点或选择所属区域。' });
    }
    ({ regionCode: code, lat, lng } = placed);
  } else {
    const r = await deps.regions.find(input.regionCode!);
    if (!r) throw unprocessable('unknown_region', { zh: `区划 ${input.regionCode} 不存在。`, en: `Region ${input.regionCode} does not exist.` });
    if (!PLACEABLE_LEVELS.has(r.level)) throw unprocessable('region_too_coarse', { zh: `请选择街道、社区或网格，或在地图上选点。`, en: 'Give a street, community or grid, or a map location.' });
    code = r.code;
  }
  const prefixes = scopePrefixes(actor);
  if (prefixes.length && !inPrefixes(code, prefixes)) {
    throw unprocessable('outside_scope', { zh: `该位置不在您的工作区域内。`, en: 'The location is outside the region you work in.' });
  }
  return { code, lat, lng };
}
