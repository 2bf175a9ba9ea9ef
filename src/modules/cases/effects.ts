// The closed libraries a case-type definition names: guards (what must hold beyond state, role and party)
// and effects (what an action does besides moving the state). Definitions refer to them by name, so a
// definition stays plain data; validateDefinition checks every name and the fields each effect needs.
import type { Actor } from '../../platform/auth/actor.ts';
import type { Queryable } from '../../platform/db/index.ts';
import { conflict, unprocessable, type Bilingual } from '../../platform/errors.ts';
import type { CaseTypeDef, DefinitionLibraries, FieldKind, SystemFact } from './definition.ts';
import { actorLevel, whistleLevels, type CaseFacts, type WhistleLevel } from './facts.ts';
import { clockFrom, remainingMinutes, elapsed, type StepClock } from './clock.ts';
import type { CalendarConfig } from '../../platform/calendar/index.ts';
import type { CaseRow } from './rows.ts';
import { dispatchReach, type ResponsibleRule, type UnitPlace } from './reach.ts';

// ---------------------------------------------------------------------------------------------
// Guards: a message when the guard fails, null when it holds

type Guard = (facts: CaseFacts, actor: Actor, def?: Pick<CaseTypeDef, 'returnLimit'>) => Bilingual | null;
const levelZh: Record<string, string> = { city: '市级', district: '区县级', street: '街道级', community: '社区级', grid: '网格级' };
const atLevel = (level: string) => levelZh[level] ?? level;

/** Returns (退回) a case may have when its type names no limit. */
export const DEFAULT_RETURN_LIMIT = 2;

const levelIndex = (l: WhistleLevel) => whistleLevels.indexOf(l);
const mySummons = (facts: CaseFacts, actor: Actor) =>
  facts.assignments.find((a) => a.role === 'summoned' && a.status === 'active' && a.unitId === actor.unitId);

export const guards: Record<string, Guard> = {
  no_pending_extension: (f) => (f.extensionPending ? { zh: '已有延期申请在等待审批。', en: 'An extension request is already waiting for a decision.' } : null),
  pending_extension: (f) => (f.extensionPending ? null : { zh: '没有待审批的延期申请。', en: 'There is no extension request to decide.' }),
  whistle_level: (f, actor) => {
    const current = f.whistleLevel;
    if (current && levelIndex(actorLevel(actor)) < levelIndex(current)) {
      return { zh: `吹哨已升至${atLevel(current)}，只有该级或更高层级可以吹哨。`, en: `The whistle is already at ${current} level; only that level or above may whistle now.` };
    }
    return null;
  },
  escalation_level: (f, actor) => {
    const mine = actorLevel(actor);
    const current = f.whistleLevel ?? mine;
    if (current !== mine) return { zh: `吹哨当前在${atLevel(current)}，只有该级可以上升一级。`, en: `The whistle is at ${current} level; only that level may escalate it.` };
    if (mine === 'city') return { zh: '市级已是最高层级，不能再上升。', en: 'The city level is the top; there is no level to escalate to.' };
    return null;
  },
  summons_open: (f, actor) => {
    const s = mySummons(f, actor);
    return s && !s.reportedInAt ? null : { zh: '您的单位已报到，或未被召集。', en: 'Your unit has already reported in, or was not summoned.' };
  },
  return_limit: (f, _actor, def) => {
    const limit = def?.returnLimit ?? DEFAULT_RETURN_LIMIT;
    return (f.returnCount ?? 0) >= limit
      ? {
        zh: `该案件已退回 ${f.returnCount} 次，达到该类案件的退回上限（${limit} 次），请办理或联系派单中心。`,
        en: `This case has been returned ${f.returnCount} times, the limit for its type (${limit}); handle it or ask the dispatching centre.`,
      }
      : null;
  },
  /** The case was dispatched once, by the district level: an approved return goes back to be dispatched again. */
  dispatched_once: (f) => ((f.dispatchDepth ?? 0) <= 1 ? null : { zh: '该案件已在第一级以下再次派发。', en: 'The case was re-dispatched below the first level.' }),
  /** The case was re-dispatched by a street: an approved return goes back to that street. */
  dispatched_down: (f) => ((f.dispatchDepth ?? 0) >= 2 ? null : { zh: '该案件只在第一级派发过。', en: 'The case was dispatched at the first level only.' }),
  summons_reported: (f, actor) => {
    const s = mySummons(f, actor);
    if (!s?.reportedInAt) return { zh: '请先报到，再进行吹哨反馈。', en: 'Report in (报到) before replying to the whistle.' };
    return s.repliedAt ? { zh: '您的单位已对本次吹哨作出反馈。', en: 'Your unit has already replied to this whistle.' } : null;
  },
};

// ---------------------------------------------------------------------------------------------
// Effects

/** What an action changes besides the state; record() writes it with the flow record in one transaction. */
export interface Effect {
  patch: Record<string, unknown>;
  data: Record<string, unknown>;
  /** 'new' starts the clock of the target state; 'keep' leaves it; a StepClock sets it. */
  clock: 'new' | 'keep' | StepClock;
  statements: Array<[string, unknown[]]>;
  note?: string | null;
  /** A change of type: the definition the case continues on, from its entry state. */
  enter?: CaseTypeDef;
  /** System facts on other cases, recorded in the same transaction (a merge's 并入重复件 on the target). */
  facts?: Array<{ caseRow: { id: number; district_code: string; region_code: string; state: string; seq: number }; fact: SystemFact; data: Record<string, unknown> }>;
}

export interface EffectInput {
  tx: Queryable;
  c: CaseRow;
  assignments: any[];
  input: Record<string, any>;
  actor: Actor | null;
  now: Date;
  calendar: CalendarConfig;
  /** The latest definition of a type, for a change of type. */
  latestType(type: string): CaseTypeDef | undefined;
  /** SQL that is true for the cases the actor may see (merge targets). */
  visibility(actor: Actor, params: unknown[]): string;
  /** An effect by name, built-in or a module's (a type's onEnter effect run by a change of type). */
  effect(name: string): EffectDef | undefined;
  /** The responsibility list's (权责清单) rule for the case (its units and region), for the dispatch reach. */
  responsible?(): Promise<ResponsibleRule | null>;
}

export interface EffectDef {
  needs: Array<{ name: string; kind: FieldKind }>;
  run(x: EffectInput, e: Effect): Promise<void> | void;
}

/** The kinds of unit that handle cases (派遣 names one of these). */
export const HANDLER_KINDS = ['department', 'street_centre', 'community', 'district_gov'];
/** 三级派单: whom the district dispatches to, and whom a street passes a ticket on to. */
const FIRST_LEVEL_KINDS = ['street_centre', 'department', 'district_gov'];
const DOWNSTREAM_KINDS = ['community', 'grid_team', 'department'];

/** What a dispatch effect sends to: the kinds of unit, a unit it may not name (a street passing on: itself), the refusal. */
export interface DispatchKinds { kinds: string[]; not: string | null; code: string; refusal: Bilingual }

/** The kinds of unit each dispatch effect names (null: not a dispatch effect); where they may lie is reach.ts's. */
export function dispatchKinds(effect: string | undefined, actor: Actor | null): DispatchKinds | null {
  const street = !!actor && actorLevel(actor) === 'street';
  switch (effect) {
    case 'assign':
      return { kinds: HANDLER_KINDS, not: null, code: 'unknown_unit', refusal: { zh: `主办单位或协办单位不存在，或不能承办案件。`, en: 'The lead or an assisting unit does not exist or cannot handle cases.' } };
    case 'tiered_assign':
      return street ? passOn(actor) : {
        kinds: FIRST_LEVEL_KINDS, not: null, code: 'unit_not_dispatchable',
        refusal: { zh: '区级只能派发给街道综治中心或职能部门（由街道综治中心再派发给社区）。', en: 'The district level dispatches to a street centre or a department (a street centre dispatches on to its communities).' },
      };
    case 'pass_on':
      return passOn(actor);
    default:
      return null;
  }
}

const passOn = (actor: Actor | null): DispatchKinds => ({
  kinds: DOWNSTREAM_KINDS, not: actor?.unitId ?? null, code: 'unit_not_dispatchable',
  refusal: { zh: '街道综治中心只能派发给社区、网格和职能部门，不能派给自己。', en: 'A street centre dispatches on to communities, grids and departments, not to itself.' },
});

/** Makes ids the lead and assisting units (earlier active ones withdrawn, or done for `doneUnit`). */
function placeUnits(c: CaseRow, ids: string[], now: Date, e: Effect, doneUnit: string | null = null): void {
  e.statements.push([
    `UPDATE case_assignment SET status = CASE WHEN unit_id = $2 THEN 'done' ELSE 'withdrawn' END
     WHERE case_id = $1 AND role IN ('lead','assist') AND status = 'active'`, [c.id, doneUnit]]);
  for (const [i, u] of ids.entries()) {
    e.statements.push([
      'INSERT INTO case_assignment (case_id, district_code, region_code, unit_id, role, assigned_at) VALUES ($1, $2, $3, $4, $5, $6)',
      [c.id, c.district_code, c.region_code, u, i === 0 ? 'lead' : 'assist', now]]);
  }
}

/** One step of the dispatch chain (三级派单): who dispatched, at which level, to which unit, when. */
export interface DispatchStep { by: string | null; level: WhistleLevel; to: string; at: string }

/**
 * The units of a dispatch: distinct, existing, active, of the kinds the effect sends to, and within the actor's
 * reach (派遣的范围, reach.ts) — refused with 422 unit_out_of_reach otherwise.
 */
async function checkTargets(x: EffectInput, effect: string, ids: string[]): Promise<void> {
  const { tx, c, actor } = x;
  if (new Set(ids).size !== ids.length) throw unprocessable('duplicate_unit', { zh: `同一单位不能既是主办单位又是协办单位，也不能重复列出。`, en: 'A unit cannot be both lead and assisting, or listed twice.' });
  const spec = dispatchKinds(effect, actor)!;
  const units = await tx.query<UnitPlace & { name: string }>('SELECT id, name, kind, region_code FROM unit WHERE id = ANY($1::text[]) AND active', [ids]);
  if (units.length !== ids.length) throw unprocessable('unknown_unit', { zh: `主办单位或协办单位不存在。`, en: 'The lead or an assisting unit does not exist.' });
  if (units.some((u) => !spec.kinds.includes(u.kind) || u.id === spec.not)) throw unprocessable(spec.code, spec.refusal);
  const reach = dispatchReach(actor, c.district_code, (await x.responsible?.()) ?? null);
  const outside = units.find((u) => !reach.allows(u));
  if (outside) throw unprocessable('unit_out_of_reach', reach.refusal(outside.name));
}

export const effects: Record<string, EffectDef> = {
  /** 派遣: the lead and assisting units; earlier ones are withdrawn. */
  assign: {
    needs: [{ name: 'leadUnitId', kind: 'unit' }, { name: 'assistUnitIds', kind: 'units' }],
    async run(x, e) {
      const { c, input, now } = x;
      const ids: string[] = [input.leadUnitId, ...(input.assistUnitIds ?? [])];
      await checkTargets(x, 'assign', ids);
      e.patch.lead_unit_id = input.leadUnitId;
      e.statements.push([
        `UPDATE case_assignment SET status = 'withdrawn' WHERE case_id = $1 AND role IN ('lead','assist') AND status = 'active'`, [c.id]]);
      for (const [i, u] of ids.entries()) {
        e.statements.push([
          'INSERT INTO case_assignment (case_id, district_code, region_code, unit_id, role, assigned_at) VALUES ($1, $2, $3, $4, $5, $6)',
          [c.id, c.district_code, c.region_code, u, i === 0 ? 'lead' : 'assist', now]]);
      }
      e.data = { leadUnitId: input.leadUnitId, assistUnitIds: input.assistUnitIds ?? [], followedSuggestion: input.leadUnitId === c.suggested_unit_id };
    },
  },
  /**
   * 派遣 at the first level (三级派单): the district centre (or the system) dispatches to a street centre or a
   * department; the dispatch chain starts again with this step.
   */
  tiered_assign: {
    needs: [{ name: 'leadUnitId', kind: 'unit' }, { name: 'assistUnitIds', kind: 'units' }],
    async run(x, e) {
      const { c, input, actor, now } = x;
      const ids: string[] = [input.leadUnitId, ...(input.assistUnitIds ?? [])];
      await checkTargets(x, 'tiered_assign', ids);
      e.patch.lead_unit_id = input.leadUnitId;
      const step: DispatchStep = { by: actor?.unitId ?? null, level: actor ? actorLevel(actor) : 'district', to: input.leadUnitId, at: now.toISOString() };
      e.patch.dispatch_chain = JSON.stringify([step]);
      e.patch.dispatcher_unit_id = step.by;
      placeUnits(c, ids, now, e);
      e.data = { leadUnitId: input.leadUnitId, assistUnitIds: input.assistUnitIds ?? [], followedSuggestion: input.leadUnitId === c.suggested_unit_id, level: step.level };
    },
  },
  /** 再派遣: the street centre that leads a case passes it on to a community, grid or unit of its street. */
  pass_on: {
    needs: [{ name: 'leadUnitId', kind: 'unit' }, { name: 'assistUnitIds', kind: 'units' }],
    async run(x, e) {
      const { c, input, actor, now } = x;
      if (!actor?.unitId || actorLevel(actor) !== 'street') throw unprocessable('not_a_street_centre', { zh: `只有街道综治中心可以将案件再派发给所属社区。`, en: 'Only a street centre re-dispatches a case to its communities.' });
      const ids: string[] = [input.leadUnitId, ...(input.assistUnitIds ?? [])];
      await checkTargets(x, 'pass_on', ids);
      const chain: DispatchStep[] = Array.isArray(c.dispatch_chain) ? c.dispatch_chain : [];
      const step: DispatchStep = { by: actor.unitId, level: 'street', to: input.leadUnitId, at: now.toISOString() };
      e.patch.lead_unit_id = input.leadUnitId;
      e.patch.dispatch_chain = JSON.stringify([...chain, step]);
      e.patch.dispatcher_unit_id = actor.unitId;
      placeUnits(c, ids, now, e, actor.unitId);
      e.data = { leadUnitId: input.leadUnitId, assistUnitIds: input.assistUnitIds ?? [], level: 'street', from: actor.unitId };
    },
  },
  /** 申请退回: the handling unit asks to give the case back; the dispatching unit reviews it. */
  return_request: {
    needs: [],
    run({ c }, e) {
      e.patch.return_count = (c.return_count ?? 0) + 1;
      e.data = { returnedBy: c.lead_unit_id, reviewer: c.dispatcher_unit_id ?? null };
    },
  },
  /**
   * 退回审核通过: the case goes back one level: to the district to dispatch again, or to the street that
   * re-dispatched it (which handles it or passes it on again).
   */
  return_to_dispatcher: {
    needs: [],
    run({ c }, e) {
      const chain: DispatchStep[] = Array.isArray(c.dispatch_chain) ? [...c.dispatch_chain] : [];
      const undone = chain.pop();
      const back = chain.length && undone?.by ? undone.by : null;
      e.patch.lead_unit_id = back;
      e.patch.dispatch_chain = JSON.stringify(chain);
      e.patch.dispatcher_unit_id = chain.length ? chain[chain.length - 1].by : null;
      e.statements.push([`UPDATE case_assignment SET status = 'returned' WHERE case_id = $1 AND role IN ('lead','assist') AND status = 'active'`, [c.id]]);
      if (back) {
        e.statements.push([`UPDATE case_assignment SET status = 'active' WHERE id = (
          SELECT id FROM case_assignment WHERE case_id = $1 AND role = 'lead' AND unit_id = $2 ORDER BY id DESC LIMIT 1)`, [c.id, back]]);
      }
      e.data = { returnedBy: c.lead_unit_id, backTo: back };
    },
  },
  /** 督办 with a deadline: the level of whoever supervises, the deadline in working time; counted on the case. */
  supervision_with_deadline: {
    needs: [{ name: 'superviseMinutes', kind: 'minutes' }],
    run({ c, input, actor, now, calendar }, e) {
      const level = actor ? actorLevel(actor) : 'district';
      const due = clockFrom(now, Number(input.superviseMinutes), 0, c.time_mode, calendar).dueAt;
      e.patch.supervised = true;
      e.patch.supervise_count = (c.supervise_count ?? 0) + 1;
      e.patch.supervision = JSON.stringify({ level, dueAt: due?.toISOString() ?? null, by: actor?.unitId ?? null, at: now.toISOString() });
      e.data = { level, dueAt: due?.toISOString() ?? null, count: (c.supervise_count ?? 0) + 1 };
    },
  },
  /** 退回: the case goes back to whoever dispatched it, without a lead. */
  unassign: {
    needs: [],
    run({ c }, e) {
      e.patch.lead_unit_id = null;
      e.patch.return_count = (c.return_count ?? 0) + 1;
      e.statements.push([`UPDATE case_assignment SET status = 'returned' WHERE case_id = $1 AND role IN ('lead','assist') AND status = 'active'`, [c.id]]);
      e.data = { returnedBy: c.lead_unit_id };
    },
  },
  extension_request: {
    needs: [{ name: 'extensionMinutes', kind: 'minutes' }],
    run({ input, actor, now }, e) {
      e.patch.extension_request = JSON.stringify({ minutes: input.extensionMinutes, reason: input.reason, requestedBy: actor?.id, at: now.toISOString() });
      e.data = { minutes: input.extensionMinutes };
    },
  },
  extension_grant: {
    needs: [{ name: 'extensionMinutes', kind: 'minutes' }],
    run({ c, input, now, calendar }, e) {
      const req = c.extension_request!;
      const minutes: number = input.extensionMinutes ?? req.minutes;
      const limit = (c.step_limit_minutes ?? 0) + minutes;
      const left = remainingMinutes(now, c.due_at, c.time_mode, calendar) ?? 0;
      const used = limit - left - minutes;
      e.clock = clockFrom(now, limit, Math.max(0, used), c.time_mode, calendar);
      e.patch.extension_request = null;
      e.patch.overdue_flagged = false;
      e.data = { minutes, previousDueAt: c.due_at };
    },
  },
  extension_refusal: { needs: [], run(_x, e) { e.patch.extension_request = null; } },
  count_rework: { needs: [], run({ c }, e) { e.patch.rework_count = (c.rework_count ?? 0) + 1; } },
  /** 回访/评价: the rating is kept on the case and in the flow record (满意率 reads the records). */
  record_rating: {
    needs: [{ name: 'rating', kind: 'rating' }],
    run({ input }, e) { e.patch.rating = input.rating; e.data = { rating: input.rating }; },
  },
  /** 重办: the last lead unit gets the case again. */
  reassign_last_lead: {
    needs: [],
    run({ c }, e) {
      e.patch.redo_count = (c.redo_count ?? 0) + 1;
      e.patch.rating = null;
      e.statements.push([`UPDATE case_assignment SET status = 'active' WHERE id = (
        SELECT id FROM case_assignment WHERE case_id = $1 AND role = 'lead' AND unit_id = $2 ORDER BY id DESC LIMIT 1)`, [c.id, c.lead_unit_id]]);
      e.data = { leadUnitId: c.lead_unit_id };
    },
  },
  mark_supervised: { needs: [], run(_x, e) { e.patch.supervised = true; } },
  count_urge: { needs: [], run({ c }, e) { e.patch.urge_count = (c.urge_count ?? 0) + 1; } },
  /** 立案: only when the category's filing condition holds (GB/T 30428.8). */
  check_filing_condition: {
    needs: [{ name: 'conditionMet', kind: 'confirm' }],
    async run({ tx, c, input }, e) {
      if (input.conditionMet !== true) throw unprocessable('filing_condition_not_met', { zh: `立案须满足该分类的立案条件：请发送 conditionMet: true。`, en: 'Filing (立案) needs the category\'s filing condition to hold: send conditionMet: true.' });
      const [cat] = await tx.query<{ filing_condition: string | null }>('SELECT filing_condition FROM category WHERE code = $1', [c.category_code]);
      e.data = { filingCondition: cat?.filing_condition ?? null };
    },
  },
  /** 合并: the case ends merged; the surviving case records what it absorbed. */
  merge_into: {
    needs: [{ name: 'intoCaseId', kind: 'case' }],
    async run({ tx, c, input, actor, now, visibility }, e) {
      // the target by its case number (what a person reads and types) or by its id
      const byNo = typeof input.intoCaseId === 'string';
      const key = byNo ? String(input.intoCaseId).toUpperCase() : Number(input.intoCaseId);
      if (byNo ? key === c.case_no : key === Number(c.id)) throw unprocessable('merge_into_self', { zh: `案件不能合并到自身。`, en: 'A case cannot be merged into itself.' });
      const params: unknown[] = [key];
      const target = actor ? (await tx.query<any>(
        `SELECT c.id, c.case_no, c.state, c.is_open, c.seq, c.region_code, c.district_code FROM "case" c
         WHERE ${byNo ? 'c.case_no = $1' : 'c.id = $1'} AND ${visibility(actor, params)} FOR UPDATE`, params))[0] : null;
      if (!target) throw unprocessable('unknown_case', { zh: `案件 ${key} 不存在或不在您的权限范围内。`, en: `Case ${key} does not exist or is outside your scope.` });
      if (!target.is_open) throw unprocessable('target_closed', { zh: `案件 ${target.case_no} 已不在办理中。`, en: `Case ${target.case_no} is no longer open.` });
      e.patch.merged_into = target.id;
      e.data = { intoCaseId: Number(target.id), intoCaseNo: target.case_no };
      e.facts = [{ caseRow: target, fact: 'merged_in', data: { mergedCaseId: Number(c.id), mergedCaseNo: c.case_no } }];
    },
  },
  /** 吹哨: summon units, each with its report-in and handling deadline. */
  summon_units: {
    needs: [{ name: 'units', kind: 'summons' }],
    async run({ tx, c, assignments, input, actor, now, calendar }, e) {
      const units = input.units as Array<{ unitId: string; reportInMinutes?: number; limitMinutes?: number }>;
      const ids = units.map((u) => u.unitId);
      if (new Set(ids).size !== ids.length) throw unprocessable('duplicate_unit', { zh: `每次吹哨同一单位只能召集一次。`, en: 'Each unit can be summoned once per whistle.' });
      const found = await tx.query<{ id: string }>('SELECT id FROM unit WHERE id = ANY($1::text[]) AND active', [ids]);
      if (found.length !== ids.length) throw unprocessable('unknown_unit', { zh: `被召集的单位不存在。`, en: 'A summoned unit does not exist.' });
      const already = assignments.filter((a) => a.role === 'summoned' && a.status === 'active').map((a) => a.unit_id);
      const again = ids.filter((id) => already.includes(id));
      if (again.length) throw conflict('already_summoned', { zh: `以下单位已召集且尚未报到办结：${again.join('、')}。`, en: `Already summoned and not yet done: ${again.join(', ')}.` });
      const level = actorLevel(actor!);
      const summons = units.map((u) => ({
        unitId: u.unitId,
        reportInDueAt: clockFrom(now, u.reportInMinutes ?? 60, 0, c.time_mode, calendar).dueAt,
        dueAt: clockFrom(now, u.limitMinutes ?? 420, 0, c.time_mode, calendar).dueAt,
      }));
      for (const s of summons) {
        e.statements.push([`INSERT INTO case_assignment (case_id, district_code, region_code, unit_id, role, whistle_level, assigned_at, report_in_due_at, due_at)
          VALUES ($1, $2, $3, $4, 'summoned', $5, $6, $7, $8)`, [c.id, c.district_code, c.region_code, s.unitId, level, now, s.reportInDueAt, s.dueAt]]);
      }
      e.patch.whistle_level = level;
      e.data = { level, summons };
    },
  },
  raise_whistle_level: {
    needs: [],
    run({ c, actor }, e) {
      const from = (c.whistle_level ?? actorLevel(actor!)) as WhistleLevel;
      const next = whistleLevels[whistleLevels.indexOf(from) + 1];
      e.patch.whistle_level = next;
      e.data = { fromLevel: from, toLevel: next };
    },
  },
  /** 报到: the summoned unit reports in, on time or not. */
  summons_report_in: {
    needs: [],
    run({ c, assignments, actor, now, calendar }, e) {
      const a = assignments.find((x) => x.role === 'summoned' && x.status === 'active' && x.unit_id === actor!.unitId);
      const onTime = !a.report_in_due_at || now.getTime() <= new Date(a.report_in_due_at).getTime();
      e.statements.push(['UPDATE case_assignment SET reported_in_at = $2 WHERE id = $1', [a.id, now]]);
      e.data = { unitId: a.unit_id, onTime, dueAt: a.report_in_due_at, minutesTaken: elapsed(new Date(a.assigned_at), now, c.time_mode, calendar) };
    },
  },
  summons_reply: {
    needs: [],
    run({ assignments, actor, now }, e) {
      const a = assignments.find((x) => x.role === 'summoned' && x.status === 'active' && x.unit_id === actor!.unitId);
      const onTime = !a.due_at || now.getTime() <= new Date(a.due_at).getTime();
      e.statements.push([`UPDATE case_assignment SET replied_at = $2, status = 'done' WHERE id = $1`, [a.id, now]]);
      e.data = { unitId: a.unit_id, onTime, dueAt: a.due_at };
    },
  },
  /** A change of type: the case keeps its number and history and continues on the new type's latest workflow. */
  switch_type: {
    needs: [{ name: 'toType', kind: 'case_type' }, { name: 'categoryCode', kind: 'category' }],
    async run(x, e) {
      const { tx, c, input, latestType } = x;
      const target = latestType(input.toType);
      if (!target || target.type === c.type) throw unprocessable('unknown_case_type', { zh: `“${String(input.toType).slice(0, 40)}”不是本案件可转换的案件类型。`, en: `"${String(input.toType).slice(0, 40)}" is not a case type this case can become.` });
      if (!target.intake.convertFrom?.includes(c.type)) {
        throw unprocessable('conversion_not_allowed', { zh: `${latestType(c.type)?.name.zh ?? c.type}案件不能转为${target.name.zh}案件。`, en: `A ${c.type} case cannot become a ${target.type} case.` });
      }
      const code: string = input.categoryCode ?? c.category_code;
      const [cat] = await tx.query<{ case_types: string[]; limit_minutes: number | null; active: boolean }>(
        'SELECT case_types, limit_minutes, active FROM category WHERE code = $1', [code]);
      if (!cat || !cat.active || cat.limit_minutes == null) throw unprocessable('unknown_category', { zh: `事项分类 ${code} 不存在或是分组。`, en: `Category ${code} does not exist or is a group.` });
      if (!cat.case_types.includes(target.type)) {
        throw unprocessable('category_type_mismatch', { zh: `事项分类 ${code} 不适用于${target.name.zh}案件，请另选分类。`, en: `Category ${code} is not used for ${target.type} cases; choose one that is.` });
      }
      e.enter = target;
      e.patch.type = target.type;
      e.patch.workflow_version = target.version;
      e.patch.category_code = code;
      e.patch.lead_unit_id = null;
      e.patch.prev_state = null;
      e.patch.remaining_minutes = null;
      e.statements.push([`UPDATE case_assignment SET status = 'withdrawn' WHERE case_id = $1 AND role IN ('lead','assist') AND status = 'active'`, [c.id]]);
      e.data = { fromType: c.type, fromVersion: c.workflow_version, toType: target.type, toVersion: target.version, fromCategory: c.category_code, toCategory: code };
      // the new type's module opens its own record for the case, in this transaction
      if (target.intake.onEnter) await x.effect(target.intake.onEnter)!.run(x, e);
    },
  },
};

export const libraries: DefinitionLibraries = { guards: new Set(Object.keys(guards)), effects: new Map(Object.entries(effects)) };

/**
 * The built-in effects with a module's own added (a module that brings case types — mediation, risk —
 * brings the effects its actions name, namespaced as "module.effect", run in the same transaction).
 */
export function effectLibrary(extra: Record<string, EffectDef> = {}): Map<string, EffectDef> {
  for (const name of Object.keys(extra)) {
    if (!/^[a-z]+\.[a-z_]+$/.test(name)) throw new Error(`A module's effect is named "module.effect": ${name}`);
  }
  return new Map([...Object.entries(effects), ...Object.entries(extra)]);
}
