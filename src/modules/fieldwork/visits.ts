// Household visits (入户走访) recorded against the registry: the household (户) and the persons met, a
// checklist for the visit's purpose, photos and the phone's location. The grid module's household_visit
// row is written too (巡查覆盖率 counts distinct households); a visit to a labelled key person is that
// label's follow-up (跟踪记录), so the follow-up schedule moves on. "发现问题" files a case from the visit.
import type { Queryable } from '../../platform/db/index.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import { AppError, conflict, notFound, unprocessable } from '../../platform/errors.ts';
import { inPrefixes, regionLevels, regionScope, scopePrefixes } from '../../platform/scope.ts';
import { createCase, getCase, Intake } from '../cases/index.ts';
import { createVisit, VisitCreate as GridVisitCreate } from '../regions/index.ts';
import { activeLabelsOf, createFollowup, FollowupCreate, householdsOf, personsBrief } from '../registry/index.ts';
import { purposes } from './checklists.ts';
import { assertCan, iso, once, replayOf, requestHash, type FieldworkDeps } from './common.ts';
import type { VisitCaseT, VisitCreateT } from './contracts.ts';
import { completePlan, planForVisit, planOfVisit } from './plans.ts';

const purposeOf = (key: string) => purposes.find((p) => p.key === key)!;

export async function createFieldVisit(deps: FieldworkDeps, actor: Actor, input: VisitCreateT, key?: string) {
  assertCan(actor, 'fieldwork.visit');
  const { db } = deps.ctx;
  // a retry of a visit already recorded gets its first answer, before any check of what has changed since (its plan is done)
  if (key) {
    const earlier = await replayOf<{ id: number }>(db, actor, key, requestHash('fieldwork.visit', input));
    if (earlier) return { ...(await getFieldVisit(deps, actor, earlier.id)), replayed: true as const };
  }
  const purpose = purposeOf(input.purpose);
  const unknownItems = Object.keys(input.checklist).filter((k) => !purpose.items.some((i) => i.key === k));
  if (unknownItems.length) throw unprocessable('unknown_checklist_item', { zh: `${unknownItems.join('、')} 不在“${purpose.zh}”的走访清单中。`, en: `${unknownItems.join(', ')} is not on the checklist of ${purpose.en}.` }, { items: unknownItems });
  const household = input.householdId != null ? (await householdsOf(deps.registry, actor, { id: input.householdId }))[0] : undefined;
  if (input.householdId != null && !household) throw notFound({ zh: `户 ${input.householdId}`, en: `Household ${input.householdId}` });
  const persons = await personsBrief(deps.registry, actor, input.personIds);
  const missing = input.personIds.filter((id) => !persons.some((p) => p.id === id));
  if (missing.length) throw notFound({ zh: `人员 ${missing[0]}`, en: `Person ${missing[0]}` });
  const houseId = input.houseId ?? household?.houseId ?? persons.find((p) => p.houseId != null)?.houseId ?? null;
  const grid = household?.regionCode ?? persons[0]?.regionCode;
  if (!grid) throw unprocessable('household_required', { zh: `请指定走访的户或人员。`, en: 'Name the household or the persons visited.' });
  if (!regionScope(actor).has(grid)) throw notFound({ zh: `户 ${input.householdId}`, en: `Household ${input.householdId}` });
  if (input.planId != null) await planForVisit(deps, actor, input.planId, input.householdId, input.personIds);
  const now = deps.ctx.now();
  const at = input.visitedAt ? new Date(input.visitedAt) : now;
  if (at.getTime() > now.getTime() + 5 * 60_000) throw unprocessable('in_the_future', { zh: `走访时间（visitedAt）不能晚于现在。`, en: 'visitedAt lies in the future.' });
  // the grid module's record (coverage): one household key per registry household
  const gridVisit = await createVisit(deps.grid, actor, GridVisitCreate.parse({
    householdRef: household ? `registry-household-${household.id}` : undefined,
    houseRef: !household ? (houseId != null ? `registry-house-${houseId}` : `registry-person-${persons[0].id}`) : undefined,
    gridCode: grid, result: input.result, visitedAt: at.toISOString(), note: input.note,
  }), key ? `${key}#grid` : undefined);
  const out = await once(db, actor, key, 'fieldwork.visit', input, async (tx) => {
    const [row] = await tx.query<{ id: number }>(
      `INSERT INTO field_visit (district_code, region_code, grid_visit_id, user_id, purpose, household_id, house_id, person_ids, checklist, attachment_ids,
         lat, lng, accuracy_m, result, note, visited_at, created_at, visited)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12, $13, $14, $15, $16, $17, $18::jsonb) RETURNING id`,
      [regionLevels(grid).district, grid, gridVisit.id, actor.id, input.purpose, household?.id ?? null, houseId, input.personIds,
        JSON.stringify(input.checklist), input.attachmentIds, input.lat ?? null, input.lng ?? null, input.accuracy ?? null, input.result, input.note ?? null, at, now,
        JSON.stringify(visitedSnapshot(household, input.personIds.map((id) => persons.find((p) => p.id === id)!)))]);
    // the plan it carries out is done (走访计划)
    if (input.planId != null) await completePlan(tx, input.planId, Number(row.id), now);
    return { id: Number(row.id) };
  });
  // a visit that met labelled key persons is their follow-up (跟踪记录): the schedule moves on
  if (!out.replayed && (input.result === 'visited' || input.result === 'issue_found')) {
    const met = [...new Set([...input.personIds, ...(input.personIds.length ? [] : household?.members.filter((m) => m.labels.length).map((m) => m.id) ?? [])])];
    for (const l of await activeLabelsOf(db, met)) {
      await createFollowup(deps.registry, actor, l.personId, l.labelId, FollowupCreate.parse({
        kind: 'track', method: 'visit', content: `${purpose.zh}：${input.note ?? resultText[input.result]}`.slice(0, 2000), occurredAt: at.toISOString(),
      }));
    }
  }
  const view = await getFieldVisit(deps, actor, out.id);
  return out.replayed ? { ...view, replayed: true as const } : view;
}

/** 走访对象 as it was when visited: the household's address and 户号, the masked names of the persons met. */
export interface VisitedSnapshot { address: string | null; householdNo: string | null; names: string[] }

function visitedSnapshot(household: { address: string | null; householdNo: string | null } | undefined, persons: Array<{ nameMasked: string }>): VisitedSnapshot {
  return { address: household?.address ?? null, householdNo: household?.householdNo ?? null, names: persons.map((p) => p.nameMasked) };
}

/** The snapshot stored with a visit (null only for rows the backfill could not name). */
function visitedOf(v: { visited: unknown }): VisitedSnapshot | null {
  const x = v.visited as Partial<VisitedSnapshot> | null;
  if (!x || typeof x !== 'object') return null;
  return { address: x.address ?? null, householdNo: x.householdNo ?? null, names: Array.isArray(x.names) ? x.names.map(String) : [] };
}

const resultText: Record<string, string> = { visited: '已走访', not_home: '不在家', refused: '拒绝', issue_found: '发现问题' };

/**
 * Warnings about a visit the phone shows: its saved location lies outside the household's grid (a wrong
 * fix, or the form filled in elsewhere). The visit is kept; a case filed from it is placed by its grid.
 */
function visitWarnings(deps: FieldworkDeps, v: { lat: number | null; lng: number | null; region_code: string }) {
  if (v.lat == null || v.lng == null || deps.regions.locate(v.lng, v.lat) === v.region_code) return [];
  return [{
    code: 'location_outside_grid' as const,
    message: 'The location saved with this visit lies outside the grid of the household; a case filed from it is placed in the household\'s grid.',
  }];
}

async function loadVisit(deps: FieldworkDeps, actor: Actor, id: number): Promise<any> {
  const [v] = await deps.ctx.db.query<any>(
    `SELECT v.*, u.display_name FROM field_visit v JOIN app_user u ON u.id = v.user_id WHERE v.id = $1`, [id]);
  // the author always sees their own visit (a grid split may have moved them, or left the visit's grid retired)
  if (!v || (!regionScope(actor).has(v.region_code) && Number(v.user_id) !== actor.id)) throw notFound({ zh: `走访记录 ${id}`, en: `Visit ${id}` });
  return v;
}

export async function getFieldVisit(deps: FieldworkDeps, actor: Actor, id: number) {
  assertCan(actor, 'fieldwork.visit');
  const v = await loadVisit(deps, actor, id);
  const household = v.household_id != null ? (await householdsOf(deps.registry, actor, { id: Number(v.household_id) }))[0] ?? null : null;
  const persons = await personsBrief(deps.registry, actor, (v.person_ids ?? []).map(Number));
  const purpose = purposeOf(v.purpose);
  let caseRef: { id: number; caseNo: string; state: string } | null = null;
  if (v.case_id != null) {
    try {
      const c = await getCase(deps.cases, actor, Number(v.case_id));
      caseRef = { id: c.id, caseNo: c.caseNo, state: c.state };
    } catch { caseRef = { id: Number(v.case_id), caseNo: '', state: '' }; }
  }
  return {
    id: Number(v.id), gridCode: v.region_code, gridName: deps.regions.nameOf(v.region_code) ?? null,
    user: { id: Number(v.user_id), name: v.display_name },
    purpose: v.purpose, purposeName: { zh: purpose.zh, en: purpose.en },
    checklist: purpose.items.map((i) => ({ ...i, answer: (v.checklist ?? {})[i.key] ?? null })),
    household, persons, houseId: v.house_id == null ? null : Number(v.house_id),
    // whom was visited, as recorded then: what the page shows when the household or persons are out of the reader's sight now
    visited: visitedOf(v),
    attachmentIds: (v.attachment_ids ?? []).map(Number), lat: v.lat, lng: v.lng, accuracyM: v.accuracy_m,
    result: v.result, note: v.note, visitedAt: iso(v.visited_at), case: caseRef, plan: await planOfVisit(deps.ctx.db, Number(v.id)),
    warnings: visitWarnings(deps, v),
  };
}

export async function listFieldVisits(deps: FieldworkDeps, actor: Actor, q: { mine?: string }) {
  assertCan(actor, 'fieldwork.visit');
  const params: unknown[] = [];
  const where: string[] = [];
  // my own visits wherever they lie now; otherwise those of my region
  if (q.mine === 'true') { params.push(actor.id); where.push(`v.user_id = $${params.length}`); } else where.push(regionScope(actor).sql('v', params, false));
  const rows = await deps.ctx.db.query<any>(
    `SELECT v.id, v.region_code, v.purpose, v.household_id, v.result, v.note, v.case_id, v.visited_at, v.visited, u.display_name
     FROM field_visit v JOIN app_user u ON u.id = v.user_id WHERE ${where.join(' AND ')} ORDER BY v.visited_at DESC, v.id DESC LIMIT 50`, params);
  const households = new Map((await householdsOf(deps.registry, actor, { ids: rows.map((r) => Number(r.household_id)).filter(Boolean) })).map((h) => [h.id, h]));
  return {
    items: rows.map((v) => {
      const h = v.household_id != null ? households.get(Number(v.household_id)) : undefined;
      const then = visitedOf(v);
      return {
        id: Number(v.id), gridCode: v.region_code, purpose: v.purpose, purposeName: { zh: purposeOf(v.purpose).zh, en: purposeOf(v.purpose).en },
        householdId: v.household_id == null ? null : Number(v.household_id),
        householdNo: h?.householdNo ?? then?.householdNo ?? null, address: h?.address ?? then?.address ?? null, visited: then,
        result: v.result, note: v.note, caseId: v.case_id == null ? null : Number(v.case_id), visitedAt: iso(v.visited_at), user: v.display_name,
      };
    }),
  };
}

/**
 * "发现问题": a case reported from the visit, where the visit was (its location; its grid when it has none,
 * or when the location lies outside the household's grid or the reporter's region), with the
 * visit's photos unless others are given; the visit then names the case. One case per visit: a second
 * request answers 409 (a retry with the same Idempotency-Key gets the first answer).
 */
export async function fileVisitCase(deps: FieldworkDeps, actor: Actor, id: number, input: VisitCaseT, key?: string) {
  assertCan(actor, 'fieldwork.visit');
  const v = await loadVisit(deps, actor, id);
  const household = v.household_id != null ? (await householdsOf(deps.registry, actor, { id: Number(v.household_id) }))[0] : undefined;
  const where = household ? `${household.address ?? ''}${household.householdNo ? `（户号 ${household.householdNo}）` : ''}` : '';
  // the visit named as a person reads it: when, by whom, where (not by its row number)
  const when = new Date(new Date(v.visited_at).getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
  const intake = Intake.parse({
    categoryCode: input.categoryCode, title: input.title,
    description: `${input.description}\n——入户走访发现（${v.display_name} ${when} ${purposeOf(v.purpose).zh}${where ? `，${where}` : ''}）`.slice(0, 5000),
    channel: 'grid_patrol', urgency: 'normal',
    ...(placeByPoint(deps, actor, v) ? { lat: v.lat, lng: v.lng } : { regionCode: v.region_code }),
    ...(household?.address ? { address: household.address.slice(0, 300) } : {}),
    attachmentIds: input.attachmentIds ?? (v.attachment_ids ?? []).map(Number),
  });
  if (v.case_id != null) {
    if (key) {
      // a retry of the request that filed it: the case engine replays its first answer
      const r = await createCase(deps.cases, actor, intake, key);
      if (r.replayed && r.caseId === Number(v.case_id)) return { ...(await caseRef(deps, actor, r.caseId)), visitId: id, replayed: true as const };
    }
    throw conflict('visit_has_case', { zh: `走访记录 ${id} 已上报案件 ${v.case_id}。`, en: `Visit ${id} already filed case ${v.case_id}.` }, { caseId: Number(v.case_id) });
  }
  const r = await createCase(deps.cases, actor, intake, key);
  const [linked] = await deps.ctx.db.query<{ id: number }>(
    `UPDATE field_visit SET case_id = $1, result = 'issue_found' WHERE district_code = $2 AND id = $3 AND (case_id IS NULL OR case_id = $1) RETURNING id`,
    [r.caseId, v.district_code, id]);
  if (!linked) throw new AppError(409, 'visit_has_case', { zh: `走访记录 ${id} 已同时上报了另一案件。`, en: `Visit ${id} filed another case meanwhile.` });
  return { ...(await caseRef(deps, actor, r.caseId)), visitId: id, ...(r.replayed ? { replayed: true as const } : {}) };
}

/** Whether a case from the visit goes where its location is: inside the household's grid, in the reporter's region. */
function placeByPoint(deps: FieldworkDeps, actor: Actor, v: { lat: number | null; lng: number | null; region_code: string }): boolean {
  if (v.lat == null || v.lng == null) return false;
  const code = deps.regions.locate(v.lng, v.lat);
  const prefixes = scopePrefixes(actor);
  return code === v.region_code && (!prefixes.length || inPrefixes(code, prefixes));
}

async function caseRef(deps: FieldworkDeps, actor: Actor, caseId: number) {
  const c = await getCase(deps.cases, actor, caseId);
  return { caseId: c.id, caseNo: c.caseNo, state: c.state };
}

/** The field visit recorded with each of the grid module's household_visit rows (its page: /visits/:id). */
export async function fieldVisitPages(db: Queryable, gridVisitIds: number[]): Promise<Map<number, number>> {
  if (!gridVisitIds.length) return new Map();
  const rows = await db.query<{ id: number; grid_visit_id: number }>('SELECT id, grid_visit_id FROM field_visit WHERE grid_visit_id = ANY($1::bigint[])', [gridVisitIds]);
  return new Map(rows.map((r) => [Number(r.grid_visit_id), Number(r.id)]));
}
