// What the engine shows the public (the resident portal): a case found by its number and tracking token,
// its state and the steps its type's definition marks public, and the actions open to its reporter.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Actor } from '../../platform/auth/actor.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { systemFacts } from './definition.ts';
import { availableActions } from './engine.ts';
import { factsOf, loadAssignments, transition } from './transition.ts';
import { actionLabel, publicStateLabel } from './views.ts';
import type { CaseDeps } from './deps.ts';
import type { CaseRow } from './rows.ts';

const sha256 = (s: string) => createHash('sha256').update(s).digest();
const sameSecret = (a: string, b: string) => timingSafeEqual(sha256(a), sha256(b));

/** A case by its number and tracking token; a wrong token and an unknown number answer alike. */
async function findTracked(deps: CaseDeps, caseNo: string, token: string | null): Promise<CaseRow & { name_zh: string; name_en: string }> {
  const [c] = await deps.ctx.db.query<any>(
    `SELECT c.*, cat.name_zh, cat.name_en FROM "case" c JOIN category cat ON cat.code = c.category_code WHERE c.case_no = $1`, [caseNo]);
  // query codes are upper case and accepted in any case (older base64url tokens exactly as issued)
  // token null: the caller vouches for the reader (a resident who joined the case, with a code of their own)
  if (!c || (token !== null && !(sameSecret(c.public_token, token) || sameSecret(c.public_token, token.toUpperCase())))) throw notFound({ zh: `案件 ${caseNo}`, en: `Case ${caseNo}` });
  return c;
}

/** The reporter's actions that take a rating (评价), open to `reporter` now. */
function ratingActions(deps: CaseDeps, c: CaseRow, assignments: any[], reporter: Actor): string[] {
  const def = deps.types.get(c.type, c.workflow_version);
  const open = new Set(availableActions(def, factsOf(c, assignments), reporter));
  return def.actions.filter((a) => open.has(a.name) && a.fields?.some((f) => f.kind === 'rating')).map((a) => a.name);
}

/** The public view: state, public steps (with the notes written for the public), and whether it can be rated. */
export async function publicCase(deps: CaseDeps, caseNo: string, token: string | null, reporter: Actor) {
  const c = await findTracked(deps, caseNo, token);
  const def = deps.types.get(c.type, c.workflow_version);
  const flow = await deps.ctx.db.query<any>('SELECT seq, action, to_state, at, note, data, attachment_ids FROM flow_record WHERE case_id = $1 ORDER BY seq', [c.id]);
  // what the type declares public (a record from before a change of type: what its old type declared)
  const publicOf = (action: string): boolean | 'with_note' => {
    const fact = (systemFacts as Record<string, { public: boolean }>)[action];
    if (fact) return fact.public;
    return (def.actions.find((a) => a.name === action) ?? deps.types.all().flatMap((d) => d.actions).find((a) => a.name === action))?.public ?? false;
  };
  const [unit] = c.lead_unit_id ? await deps.ctx.db.query<{ name: string; name_en: string | null }>('SELECT name, name_en FROM unit WHERE id = $1', [c.lead_unit_id]) : [];
  const open = !def.states[c.state]?.terminal;
  return {
    caseNo: c.case_no,
    title: c.title,
    /** The unit handling it (主办单位), once dispatched. */
    handlingUnit: unit ? { zh: unit.name, en: unit.name_en ?? unit.name } : null,
    /** When the current step is due (the expected completion while it is being handled). */
    expectedBy: open && c.due_at ? new Date(c.due_at).toISOString() : null,
    /** What expectedBy is the deadline of: acceptance (受理时限) while the report waits to be accepted, else completion (预计办结). */
    expectedKind: !open || !c.due_at ? null : c.state === def.initial ? 'acceptance' as const : 'completion' as const,
    category: { code: c.category_code, name: { zh: c.name_zh, en: c.name_en } },
    state: c.state,
    stateLabel: publicStateLabel(deps.types, def, c.state),
    /** Set once the case has ended: resolved, declined or duplicate. */
    outcome: def.states[c.state]?.terminal ?? null,
    createdAt: new Date(c.created_at).toISOString(),
    closedAt: c.closed_at ? new Date(c.closed_at).toISOString() : null,
    rating: c.rating ?? null,
    canRate: Number(c.reporter_user_id) === reporter.id && ratingActions(deps, c, await loadAssignments(deps.ctx.db, c.id), reporter).length > 0,
    timeline: flow.filter((f) => publicOf(f.action)).map((f) => {
      const data = typeof f.data === 'string' ? JSON.parse(f.data) : f.data ?? {};
      const visibility = publicOf(f.action);
      return {
        action: f.action,
        label: actionLabel(deps.types, def, f.action),
        state: def.states[f.to_state]?.public === false ? null : f.to_state,
        stateLabel: publicStateLabel(deps.types, def, f.to_state),
        outcome: def.states[f.to_state]?.terminal ?? null,
        at: new Date(f.at).toISOString(),
        ...(visibility === 'with_note' && f.note ? { note: f.note } : {}),
        // photos of a step whose note is public (the reply's 处置后 photos)
        ...(visibility === 'with_note' && f.attachment_ids?.length ? { photos: f.attachment_ids.map(Number) } : {}),
        ...(data.rating ? { rating: data.rating } : {}),
      };
    }),
  };
}

/** 评价 by the reporter: the rating action the case's type offers its reporter now. */
export async function rateAsReporter(deps: CaseDeps, caseNo: string, token: string, reporter: Actor, input: { rating: string; comment?: string }) {
  const c = await findTracked(deps, caseNo, token);
  if (Number(c.reporter_user_id) !== reporter.id) {
    throw conflict('not_rateable_here', { zh: `该案件不是通过群众门户上报的，满意度评价由12345热线回访采集。`, en: 'This case was not reported through the portal; its rating is taken by the hotline call-back.' });
  }
  const [action] = ratingActions(deps, c, await loadAssignments(deps.ctx.db, c.id), reporter);
  if (!action) {
    const def = deps.types.get(c.type, c.workflow_version);
    throw conflict('invalid_transition', { zh: `案件办理完毕、等待您评价时才能评价；当前状态为“${publicStateLabel(deps.types, def, c.state).zh}”。`, en: `The case can be rated only once it has been handled and awaits your rating; it is ${publicStateLabel(deps.types, def, c.state).en.toLowerCase()} now.` }, { state: c.state });
  }
  await transition(deps, reporter, Number(c.id), action, { rating: input.rating, ...(input.comment ? { note: input.comment } : {}) });
}

/** The categories a role's default case type uses, for a public report form. */
export async function categoriesForIntake(deps: CaseDeps, role: Actor['role']) {
  const def = deps.types.defaultTypeFor(role);
  if (!def) return { items: [] };
  const rows = await deps.ctx.db.query<any>(
    `SELECT code, parent_code, name_zh, name_en, limit_minutes FROM category WHERE active AND $1 = ANY(case_types) ORDER BY code`, [def.type]);
  return { items: rows.map((c) => ({ code: c.code, parentCode: c.parent_code, name: { zh: c.name_zh, en: c.name_en }, leaf: c.limit_minutes != null })) };
}

/** The case id and the attachment ids the public may see of a tracked case (photos of its public steps). */
export async function publicPhotoIds(deps: CaseDeps, caseNo: string, token: string | null): Promise<{ caseId: number; ids: Set<number> }> {
  const view = await publicCase(deps, caseNo, token, { id: -1 } as Actor);
  const [c] = await deps.ctx.db.query<{ id: string }>('SELECT id FROM "case" WHERE case_no = $1', [caseNo]);
  return { caseId: Number(c.id), ids: new Set(view.timeline.flatMap((e) => ('photos' in e ? (e.photos as number[]) : []))) };
}

/** An open case by its number, for a resident to join (+1): its id, district, region and category; null when unknown or closed. */
export async function joinableCase(deps: CaseDeps, caseNo: string): Promise<{ id: number; districtCode: string; regionCode: string; categoryCode: string; reporterUserId: number | null } | null> {
  const [c] = await deps.ctx.db.query<any>('SELECT id, district_code, region_code, category_code, reporter_user_id FROM "case" WHERE case_no = $1 AND is_open', [caseNo]);
  return c ? { id: Number(c.id), districtCode: c.district_code, regionCode: c.region_code, categoryCode: c.category_code, reporterUserId: c.reporter_user_id == null ? null : Number(c.reporter_user_id) } : null;
}
