// Reading cases: the detail view, the list item, the timeline. Labels, SLA lights and the actions on
// offer all come from the case's type definition.
import type { Actor } from '../../platform/auth/actor.ts';
import { maskName } from '../../platform/crypto.ts';
import { availableActions } from './engine.ts';
import { hiddenStateLabel, systemFacts, type CaseTypeDef, type Label } from './definition.ts';
import { lightAt, remainingMinutes } from './clock.ts';
import { responsibleUnits, suggestRoute } from './routing.ts';
import { dispatchKinds, HANDLER_KINDS } from './effects.ts';
import { dispatchReach } from './reach.ts';
import { unprocessable } from '../../platform/errors.ts';
import { factsOf, loadAssignments, loadVisible } from './transition.ts';
import type { CaseDeps } from './deps.ts';
import type { CaseRow } from './rows.ts';
import type { CaseTypeRegistry } from './registry.ts';

export const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);

/** A state's label, also for states of a type the case had before a change of type. */
export function stateLabel(types: CaseTypeRegistry, def: CaseTypeDef, state: string): Label {
  return def.states[state]?.label ?? types.all().find((d) => d.states[state])?.states[state].label ?? { zh: state, en: state };
}

/** An action's or a system fact's label, also for actions of a type the case had before. */
export function actionLabel(types: CaseTypeRegistry, def: CaseTypeDef, action: string): Label {
  const fact = (systemFacts as Record<string, { label: Label }>)[action];
  if (fact) return fact.label;
  return def.actions.find((a) => a.name === action)?.label
    ?? types.all().flatMap((d) => d.actions).find((a) => a.name === action)?.label ?? { zh: action, en: action };
}

/** An action's definition, also for actions of a type the case had before. */
export function actionDef(types: CaseTypeRegistry, def: CaseTypeDef, action: string) {
  return def.actions.find((a) => a.name === action) ?? types.all().flatMap((d) => d.actions).find((a) => a.name === action);
}

/** What a resident sees of a state: its label, or 办理中 for a state not shown to residents. */
export function publicStateLabel(types: CaseTypeRegistry, def: CaseTypeDef, state: string): Label {
  return def.states[state]?.public === false ? hiddenStateLabel : stateLabel(types, def, state);
}

type Sla = {
  light: string | null; dueAt: string | null; yellowAt: string | null; limitMinutes: number | null; timeMode: string; remainingMinutes: number | null;
  /** The step's clock is paused (挂账): remainingMinutes is the time it keeps. */
  paused: boolean;
};

export interface CaseView {
  id: number; caseNo: string; type: string; typeName: Label; workflowVersion: number; state: string;
  stateLabel: Label; categoryCode: string; title: string; description: string; channel: string;
  urgency: string; regionCode: string; lat: number | null; lng: number | null; address: string | null;
  /** 诉求类型 (consult, help, complaint, report, suggestion, praise), null for cases that have none. */
  appealKind: string | null;
  reporter: { nameMasked: string | null; phoneMasked: string | null; userId: number | null };
  leadUnitId: string | null; suggestion: { leadUnitId: string | null; assistUnitIds: string[]; source: string | null };
  sla: Sla;
  extensionRequest: unknown; supervised: boolean; urgeCount: number; redoCount: number; reworkCount: number; returnCount: number;
  whistleLevel: string | null; rating: string | null; mergedInto: number | null; isOpen: boolean; outcome: string | null;
  createdAt: string; updatedAt: string; closedAt: string | null;
  actions?: string[]; assignments?: unknown[]; trackingToken?: string;
  /** The case number of the case this one was merged into. */
  mergedIntoCaseNo?: string | null;
  /** Cases merged into this one: their callers are called back too (masked here; revealed with the reporter). */
  mergedCallers?: Array<{ id: number; caseNo: string; nameMasked: string | null; phoneMasked: string | null }>;
  /** The case's region by name, 区县 → 街道 → 社区 → 网格 (a retired or sibling grid too: the reader may not see it in the tree). */
  regionPath?: Array<{ code: string; name: string; shortName: string; level: string }>;
  /** regionPath below the district as one text of short names: 街道 / 社区 / 网格. */
  regionName?: string;
}

/** The SLA light and time left, from the stored instants; a paused state shows the time it keeps. */
function slaOf(deps: CaseDeps, def: CaseTypeDef, c: CaseRow, now: Date): Sla {
  const dueAt = c.due_at ? new Date(c.due_at) : null;
  const yellowAt = c.yellow_at ? new Date(c.yellow_at) : null;
  const paused = def.states[c.state]?.clock === 'paused';
  return {
    light: paused ? null : lightAt(now, { dueAt, yellowAt, isOpen: c.is_open }),
    dueAt: dueAt && dueAt.toISOString(), yellowAt: yellowAt && yellowAt.toISOString(), limitMinutes: c.step_limit_minutes, timeMode: c.time_mode,
    remainingMinutes: paused ? c.remaining_minutes : remainingMinutes(now, dueAt, c.time_mode, deps.ctx.calendar),
    paused,
  };
}

export function toView(deps: CaseDeps, c: CaseRow, now: Date): CaseView {
  const def = deps.types.get(c.type, c.workflow_version);
  let name: string | null = c.reporter_name_masked ?? null;
  if (!name && c.reporter_name) { try { name = maskName(deps.ctx.cipher.decrypt(c.reporter_name)); } catch { name = '***'; } }
  return {
    id: Number(c.id), caseNo: c.case_no, type: c.type, typeName: def.name, workflowVersion: c.workflow_version, state: c.state,
    stateLabel: stateLabel(deps.types, def, c.state), categoryCode: c.category_code,
    title: c.title, description: c.description, channel: c.channel, urgency: c.urgency, regionCode: c.region_code,
    lat: c.lat, lng: c.lng, address: c.address, appealKind: c.appeal_kind ?? null,
    reporter: { nameMasked: name, phoneMasked: c.reporter_phone_masked, userId: c.reporter_user_id == null ? null : Number(c.reporter_user_id) },
    leadUnitId: c.lead_unit_id,
    suggestion: { leadUnitId: c.suggested_unit_id, assistUnitIds: c.suggested_assist_unit_ids ?? [], source: c.suggestion_source },
    sla: slaOf(deps, def, c, now),
    extensionRequest: c.extension_request, supervised: c.supervised, urgeCount: c.urge_count, redoCount: c.redo_count,
    reworkCount: c.rework_count, returnCount: c.return_count, whistleLevel: c.whistle_level, rating: c.rating,
    mergedInto: c.merged_into == null ? null : Number(c.merged_into), isOpen: c.is_open, outcome: c.outcome ?? null,
    createdAt: iso(c.created_at)!, updatedAt: iso(c.updated_at)!, closedAt: iso(c.closed_at),
  };
}

/**
 * A case as a list shows it: what a row of the console's tables needs, without the description, the
 * reporter, the routing suggestion and the counters (those are in GET /api/v1/cases/:id). Built from
 * LIST_COLUMNS alone, so a page never reads ciphertexts or decrypts anything.
 */
export interface CaseListItem {
  id: number; caseNo: string; type: string; typeName: Label; workflowVersion: number; state: string;
  stateLabel: Label; categoryCode: string; title: string; channel: string; urgency: string;
  regionCode: string; lat: number | null; lng: number | null; address: string | null; leadUnitId: string | null;
  appealKind: string | null; sla: Sla; supervised: boolean; whistleLevel: string | null; isOpen: boolean;
  createdAt: string; updatedAt: string; closedAt: string | null;
}

/** The columns toListItem reads. */
export const LIST_COLUMNS = [
  'id', 'case_no', 'type', 'workflow_version', 'state', 'category_code', 'title', 'channel', 'urgency', 'region_code', 'lat', 'lng',
  'address', 'lead_unit_id', 'time_mode', 'step_limit_minutes', 'due_at', 'yellow_at', 'remaining_minutes', 'is_open', 'supervised',
  'whistle_level', 'created_at', 'updated_at', 'closed_at', 'appeal_kind',
].map((k) => `c.${k}`).join(', ');

export function toListItem(deps: CaseDeps, c: CaseRow, now: Date): CaseListItem {
  const def = deps.types.get(c.type, c.workflow_version);
  return {
    id: Number(c.id), caseNo: c.case_no, type: c.type, typeName: def.name, workflowVersion: c.workflow_version, state: c.state,
    stateLabel: stateLabel(deps.types, def, c.state), categoryCode: c.category_code,
    title: c.title, channel: c.channel, urgency: c.urgency, regionCode: c.region_code, lat: c.lat, lng: c.lng, address: c.address,
    leadUnitId: c.lead_unit_id, appealKind: c.appeal_kind ?? null, sla: slaOf(deps, def, c, now),
    supervised: c.supervised, whistleLevel: c.whistle_level, isOpen: c.is_open,
    createdAt: iso(c.created_at)!, updatedAt: iso(c.updated_at)!, closedAt: iso(c.closed_at),
  };
}

export async function getCase(deps: CaseDeps, actor: Actor, id: number): Promise<CaseView> {
  const c = await loadVisible(deps.ctx.db, actor, id, false);
  const view = detailView(deps, actor, c, await loadAssignments(deps.ctx.db, id));
  // the case numbers a person reads and types, and the callers of merged duplicates (called back too)
  const related = await deps.ctx.db.query<any>(
    `SELECT id, case_no, reporter_name_masked, reporter_phone_masked, merged_into FROM "case"
     WHERE merged_into = $1 OR id = $2 ORDER BY id`, [id, c.merged_into ?? 0]);
  view.mergedIntoCaseNo = related.find((r) => c.merged_into != null && Number(r.id) === Number(c.merged_into))?.case_no ?? null;
  view.mergedCallers = related.filter((r) => r.merged_into != null && Number(r.merged_into) === Number(id)).map((r) => ({
    id: Number(r.id), caseNo: r.case_no, nameMasked: r.reporter_name_masked, phoneMasked: r.reporter_phone_masked,
  }));
  view.regionPath = await regionPathOf(deps, c.region_code);
  view.regionName = view.regionPath.filter((r) => r.level !== 'district').map((r) => r.shortName).join(' / ');
  return view;
}

const LEVELS: Array<[number, string]> = [[6, 'district'], [9, 'street'], [12, 'community']];

/**
 * A region code's path by name, from the district down, with the regions module's system lookup: whoever may
 * open the case reads where it lies, also when its grid was retired by a split or lies outside their own grid.
 */
async function regionPathOf(deps: CaseDeps, code: string): Promise<Array<{ code: string; name: string; shortName: string; level: string }>> {
  const path = LEVELS.filter(([n]) => code.length > n).map(([n, level]) => ({ code: code.slice(0, n), level }));
  path.push({ code, level: code.length > 12 ? 'grid' : LEVELS.find(([n]) => n === code.length)?.[1] ?? 'region' });
  const codes = path.map((p) => p.code);
  const names = await deps.regions.namesOf(codes);
  const short = (await deps.regions.shortNamesOf?.(codes)) ?? names;
  // a level the tree does not hold (codes from before a re-division) is left out rather than shown as a code
  return path.filter((p) => names.has(p.code)).map((p) => ({ code: p.code, name: names.get(p.code)!, shortName: short.get(p.code) ?? names.get(p.code)!, level: p.level }));
}

/** The full view of a case: its row, its assignments and the actions open to the actor. */
export function detailView(deps: CaseDeps, actor: Actor, c: CaseRow, assignments: any[]): CaseView {
  const def = deps.types.get(c.type, c.workflow_version);
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
  const c = await loadVisible(deps.ctx.db, actor, id, false);
  const def = deps.types.get(c.type, c.workflow_version);
  const rows = await deps.ctx.db.query<any>(
    `SELECT f.*, u.display_name AS actor_name, un.name AS unit_name FROM flow_record f
     LEFT JOIN app_user u ON u.id = f.actor_id LEFT JOIN unit un ON un.id = f.actor_unit_id
     WHERE f.case_id = $1 ORDER BY f.seq`, [id]);
  return rows.map((f) => {
    const a = actionDef(deps.types, def, f.action);
    return {
      seq: f.seq, action: f.action, actionLabel: actionLabel(deps.types, def, f.action),
      // what the step did (the console describes its data by it) and how it reads: a refusal, an ending
      effect: a?.effect ?? null, style: a?.style ?? null,
      fromState: f.from_state, toState: f.to_state, toStateLabel: stateLabel(deps.types, def, f.to_state),
      toOutcome: (def.states[f.to_state] ?? anyStateDef(deps, f.to_state))?.terminal ?? null, actorKind: f.actor_kind,
      actor: f.actor_id ? { id: Number(f.actor_id), name: f.actor_name } : null,
      unit: f.actor_unit_id ? { id: f.actor_unit_id, name: f.unit_name } : null,
      at: iso(f.at), dueAt: iso(f.due_at), workingMinutesUsed: f.working_minutes_used, note: f.note, data: f.data,
      attachmentIds: (f.attachment_ids ?? []).map(Number),
    };
  });
}

/** A state of some version of some type, for records from before a change of type. */
function anyStateDef(deps: CaseDeps, state: string) {
  return deps.types.all().find((d) => d.states[state])?.states[state];
}

/** Reveals the reporter's contact for a stated purpose (e.g. a call-back), and audits it. */
export async function revealReporter(deps: CaseDeps, actor: Actor, id: number, purpose: string) {
  deps.policy.assert(actor, 'case.reveal_reporter');
  const c = await loadVisible(deps.ctx.db, actor, id, false);
  const { cipher } = deps.ctx;
  // merged duplicates' callers are called back with this case's outcome (their cases ended merged into it)
  const merged = await deps.ctx.db.query<any>(
    'SELECT id, case_no, reporter_name, reporter_phone FROM "case" WHERE merged_into = $1 AND reporter_phone IS NOT NULL ORDER BY id', [id]);
  await deps.ctx.db.query(
    `INSERT INTO audit_log (actor_id, action, target, region_code, detail) VALUES ($1, 'reveal_reporter', $2, $3, $4::jsonb)`,
    [actor.id, `case:${id}`, c.region_code, JSON.stringify({ purpose, ...(merged.length ? { mergedCaseIds: merged.map((m) => Number(m.id)) } : {}) })]);
  return {
    name: c.reporter_name ? cipher.decrypt(c.reporter_name) : null,
    phone: c.reporter_phone ? cipher.decrypt(c.reporter_phone) : null,
    // present when duplicates were merged into the case
    ...(merged.length ? {
      mergedCallers: merged.map((m) => ({
        caseId: Number(m.id), caseNo: m.case_no, name: m.reporter_name ? cipher.decrypt(m.reporter_name) : null, phone: cipher.decrypt(m.reporter_phone),
      })),
    } : {}),
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

/**
 * The units the actor may name as lead or assisting unit of `action` on the case (the console's unit picker):
 * the kinds the action's effect sends to, within the actor's reach (reach.ts), the check the effect itself makes.
 */
export async function dispatchTargets(deps: CaseDeps, actor: Actor, id: number, action: string) {
  const c = await loadVisible(deps.ctx.db, actor, id, false);
  const def = deps.types.get(c.type, c.workflow_version);
  const a = def.actions.find((x) => x.name === action && x.roles !== 'system');
  if (!a) throw unprocessable('unknown_action', { zh: `“${action.slice(0, 40)}”不是${def.name.zh}案件的操作。`, en: `"${action.slice(0, 40)}" is not an action of ${def.name.en} cases.` });
  if (!a.fields?.some((f) => f.kind === 'unit' || f.kind === 'units')) return { items: [] };
  const spec = dispatchKinds(a.effect, actor);
  const reach = dispatchReach(actor, c.district_code, responsibleUnits(await deps.routing(), c));
  const rows = await deps.ctx.db.query<any>(
    `SELECT id, name, name_en, kind, region_code, parent_id FROM unit
     WHERE active AND kind = ANY($1::text[]) AND region_code LIKE $2 ORDER BY kind, id LIMIT 5000`,
    [spec?.kinds ?? HANDLER_KINDS, `${c.district_code}%`]);
  return {
    items: rows.filter((u) => u.id !== spec?.not && reach.allows(u))
      .map((u) => ({ id: u.id, name: u.name, nameEn: u.name_en, kind: u.kind, regionCode: u.region_code, parentId: u.parent_id })),
  };
}
