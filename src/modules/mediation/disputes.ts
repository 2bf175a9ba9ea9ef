// Disputes (矛盾纠纷): registration with the GB/T 31000 record and the parties, the module's records along
// the workflow (四包 assignment, investigation, sessions, agreement with obligations and signatures,
// performance, follow-up visits, dockings), the dispute's view and lists. The workflow's steps are the
// case engine's actions (types/dispute.ts); a record may be written in the phases the definition implies.
import type { Actor } from '../../platform/auth/actor.ts';
import type { Queryable } from '../../platform/db/index.ts';
import { AppError, conflict, notFound, unprocessable } from '../../platform/errors.ts';
import { appendEvent } from '../../platform/events/index.ts';
import { checkPng } from '../../platform/documents/index.ts';
import { regionLevels, regionScope } from '../../platform/scope.ts';
import { caseItems, createCase, getCase, listCases, ListQuery, type CaseView } from '../cases/index.ts';
import type { MediationDeps } from './deps.ts';
import { mediationPolicy } from './policy.ts';
import { assertPhones, insertParties, partiesOf, partyView, revealParty } from './parties.ts';
import { addressKey, recomputeRisk } from './risk.ts';
import { caseFileManifest, ensureDispute, routingMissing } from './effects.ts';
import { dispute, disputeEffects, disputePhases, sessionPhase } from './types/index.ts';
import { chinaDate } from './limits.ts';
import { suggestAssignment } from './orgs.ts';
import type { DisputeCreateT } from './contracts.ts';

const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);
const chinaTime = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
const day = (d: unknown) => (d == null ? null : d instanceof Date ? chinaDate(d) : String(d).slice(0, 10));

/** The case of a dispute the actor may see (404 otherwise, and for a case of another type). */
export async function disputeCase(deps: MediationDeps, actor: Actor, id: number): Promise<CaseView> {
  mediationPolicy.assert(actor, 'mediation.read');
  const c = await getCase(deps.cases, actor, id);
  if (c.type !== 'dispute') throw notFound({ zh: `矛盾纠纷 ${id}`, en: `Dispute ${id}` });
  return c;
}

/** The case for a write: open, in a phase where the record may be written, by someone who handles disputes. */
async function writable(deps: MediationDeps, actor: Actor, id: number, phase?: Set<string>, what = 'this record'): Promise<CaseView> {
  const c = await disputeCase(deps, actor, id);
  mediationPolicy.assert(actor, 'mediation.handle');
  if (!c.isOpen) throw conflict('dispute_closed', { zh: `该纠纷已结案。`, en: 'The dispute has ended.' });
  if (phase && !phase.has(c.state)) throw conflict('wrong_phase', { zh: `纠纷处于“${c.stateLabel.zh}”状态时不能填写${what}。`, en: `${what} cannot be written while the dispute is ${c.stateLabel.en.toLowerCase()}.` }, { state: c.state });
  return c;
}

async function loadRow(q: Queryable, c: CaseView, deps: MediationDeps): Promise<any> {
  let [d] = await q.query<any>('SELECT * FROM dispute WHERE case_id = $1', [c.id]);
  if (!d) {
    const raw = { id: c.id, case_no: c.caseNo, region_code: c.regionCode, district_code: regionLevels(c.regionCode).district, category_code: c.categoryCode,
      title: c.title, description: c.description, address: c.address, created_at: c.createdAt, created_by: null } as any;
    await ensureDispute(q, raw, deps.ctx.now());
    [d] = await q.query<any>('SELECT * FROM dispute WHERE case_id = $1', [c.id]);
  }
  return d;
}

async function event(q: Queryable, c: CaseView, topic: string, payload: Record<string, unknown> = {}) {
  await appendEvent(q, { topic, regionCode: c.regionCode, unitIds: [], userIds: [], payload: { caseId: c.id, caseNo: c.caseNo, ...payload } });
}

// ---------------------------------------------------------------------------------------------
// Registration

export async function registerDispute(deps: MediationDeps, actor: Actor, b: DisputeCreateT, idempotencyKey?: string) {
  mediationPolicy.assert(actor, 'mediation.register');
  if (!b.parties.some((p) => p.role === 'applicant')) throw unprocessable('applicant_missing', { zh: `纠纷至少须有一名申请人。`, en: 'A dispute has at least one applicant (申请人).' });
  assertPhones(b.parties);
  const r = await createCase(deps.cases, actor, {
    type: 'dispute', categoryCode: b.categoryCode, title: b.title, description: b.description, regionCode: b.regionCode,
    address: b.address, urgency: b.urgency, channel: 'web',
  }, idempotencyKey);
  if (r.replayed) return r.caseId;
  const now = deps.ctx.now();
  await deps.ctx.db.transaction(async (tx) => {
    const c = r.row!;
    await ensureDispute(tx, c, now); // the subscription to new cases may have opened it already
    await tx.query(
      `UPDATE dispute SET occurred_on = $2, scale = $3, people_involved = $4, units_involved = $5, source = $6, method = $7, limit_on = $8,
         address = $9, address_key = $10, updated_at = $11 WHERE case_id = $1`,
      [r.caseId, b.occurredOn ?? null, b.scale ?? 'ordinary', b.peopleInvolved ?? Math.max(2, b.parties.length), b.unitsInvolved ?? null,
        b.source ?? 'application', b.method ?? 'people', b.limitOn ?? null, b.address ?? null, addressKey(b.address), now]);
    await insertParties(tx, deps.ctx.cipher, { caseId: r.caseId, districtCode: c.district_code, kind: 'dispute' }, b.parties);
    await recomputeRisk(tx, r.caseId, now);
  });
  return r.caseId;
}

// ---------------------------------------------------------------------------------------------
// The dispute's view

export async function disputeDetail(deps: MediationDeps, actor: Actor, id: number) {
  const c = await disputeCase(deps, actor, id);
  const q = deps.ctx.db;
  const d = await loadRow(q, c, deps);
  const [parties, investigations, sessions, agreements, obligations, signatures, followUps, dockings, mediators, org] = await Promise.all([
    partiesOf(q, id),
    q.query<any>('SELECT * FROM dispute_investigation WHERE case_id = $1 ORDER BY investigated_at', [id]),
    q.query<any>('SELECT * FROM dispute_session WHERE case_id = $1 ORDER BY scheduled_at', [id]),
    q.query<any>('SELECT * FROM dispute_agreement WHERE case_id = $1 ORDER BY id', [id]),
    q.query<any>('SELECT * FROM dispute_obligation WHERE case_id = $1 ORDER BY agreement_id, seq', [id]),
    q.query<any>('SELECT id, agreement_id, party_id, signer_role, signer_label, signed_at FROM dispute_signature WHERE case_id = $1 ORDER BY id', [id]),
    q.query<any>('SELECT * FROM dispute_follow_up WHERE case_id = $1 ORDER BY due_on', [id]),
    q.query<any>('SELECT k.*, pt.case_no AS petition_case_no FROM dispute_docking k LEFT JOIN petition pt ON pt.case_id = k.petition_case_id WHERE k.case_id = $1 ORDER BY k.id', [id]),
    q.query<any>(`SELECT id, name, gold FROM mediator WHERE id = ANY($1::bigint[])`,
      [[d.lead_mediator_id, d.investigate_by, d.mediate_by, d.conclude_by, d.follow_up_by].filter((x) => x != null)]),
    d.org_id ? q.query<any>('SELECT id, name, level, kind, brand, brand_name FROM mediation_org WHERE id = $1', [d.org_id]) : Promise.resolve([]),
  ]);
  const person = (mid: unknown) => {
    const m = mediators.find((x) => Number(x.id) === Number(mid));
    return m ? { id: Number(m.id), name: m.name, gold: m.gold } : null;
  };
  const today = chinaDate(deps.ctx.now());
  return {
    case: c,
    record: recordView(d),
    organisation: org[0] ? { id: Number(org[0].id), name: org[0].name, level: org[0].level, kind: org[0].kind, brand: org[0].brand, brandName: org[0].brand_name } : null,
    leadMediator: person(d.lead_mediator_id),
    fourRoles: { investigate: person(d.investigate_by), mediate: person(d.mediate_by), conclude: person(d.conclude_by), followUp: person(d.follow_up_by) },
    risk: { score: d.risk_score, level: d.risk_level, reasons: d.risk_reasons, at: iso(d.risk_at) },
    parties: parties.map(partyView),
    investigations: investigations.map((r) => ({ id: Number(r.id), investigatedAt: iso(r.investigated_at), place: r.place, investigator: r.investigator, interviewee: r.interviewee, content: r.content })),
    sessions: sessions.map((s) => ({
      id: Number(s.id), scheduledAt: iso(s.scheduled_at), place: s.place, onlineLink: s.online_link, participants: s.participants,
      mediatorIds: (s.mediator_ids ?? []).map(Number), status: s.status, heldAt: iso(s.held_at), minutes: s.minutes,
      /** whether its time has come: minutes are refused before it (session_not_started) */
      started: new Date(s.scheduled_at) <= deps.ctx.now(),
    })),
    agreements: agreements.map((a) => ({
      id: Number(a.id), status: a.status, content: a.content, signedPlace: a.signed_place, followUpOn: day(a.follow_up_on), createdAt: iso(a.created_at), concludedAt: iso(a.concluded_at),
      judicial: { status: a.judicial_status, court: a.judicial_court, appliedAt: iso(a.judicial_applied_at), ruledAt: iso(a.judicial_ruled_at), rulingNo: a.judicial_ruling_no, note: a.judicial_note },
      obligations: obligations.filter((o) => Number(o.agreement_id) === Number(a.id)).map((o) => ({
        id: Number(o.id), seq: o.seq, obligorPartyId: o.obligor_party_id == null ? null : Number(o.obligor_party_id), description: o.description,
        dueOn: day(o.due_on), amount: o.amount == null ? null : Number(o.amount), status: o.status, recordedAt: iso(o.recorded_at), note: o.note,
        overdue: o.status === 'pending' && day(o.due_on)! < today,
      })),
      signatures: signatures.filter((s) => Number(s.agreement_id) === Number(a.id)).map((s) => ({
        id: Number(s.id), partyId: s.party_id == null ? null : Number(s.party_id), signer: s.signer_role, label: s.signer_label, signedAt: iso(s.signed_at),
        /** the drawn signature as a PNG, for the agreement's page */
        imageUrl: `/api/v1/disputes/${id}/signatures/${Number(s.id)}`,
      })),
    })),
    followUps: followUps.map((f) => ({
      id: Number(f.id), dueOn: day(f.due_on), due: !f.done_at && day(f.due_on)! <= today, doneAt: iso(f.done_at), method: f.method, content: f.content, satisfaction: f.satisfaction,
    })),
    dockings: dockings.map((k) => ({
      id: Number(k.id), kind: k.kind, receiver: k.receiver, note: k.note, status: k.status, fileManifest: k.file_manifest,
      transferredAt: iso(k.transferred_at), result: k.result, concludedAt: iso(k.concluded_at),
      /** 访调对接: the petition it opened in the petitions register */
      petitionCaseId: k.petition_case_id == null ? null : Number(k.petition_case_id),
      petitionCaseNo: k.petition_case_no ?? null,
    })),
    /** Which of the module's records may be written now (from the definition's phases). */
    may: mayWrite(actor, c),
    /** The actions offered that would be refused now, each with why (靶向分流 before the assignment is saved). */
    blocked: blockedActions(c, d, { parties, agreements, obligations, signatures }),
  };
}

/** Why an offered action would be refused now: the same conditions its effect checks (effects.ts). */
export type Blocked = { code: 'assignment_incomplete' | 'no_agreement_draft' | 'signatures_missing' | 'no_agreement' | 'obligations_open' | 'confirmation_exists'; missing: string[] };

/**
 * Actions on the case that wait for something the module holds, as their effects check it: routing waits
 * for the saved organisation, lead and 四包; 达成调解协议 for a draft signed by every applicant and respondent;
 * 协议履行完毕 for every obligation performed; 申请司法确认 for an agreement not yet applied for or confirmed.
 */
function blockedActions(c: CaseView, d: Record<string, unknown>, r: { parties: any[]; agreements: any[]; obligations: any[]; signatures: any[] }): Record<string, Blocked> {
  const byEffect = (effect: string) => dispute.actions.filter((a) => a.effect === effect).map((a) => a.name);
  const why = new Map<string, Blocked>();
  const missing = routingMissing(d);
  if (missing.length) for (const a of byEffect(disputeEffects.route)) why.set(a, { code: 'assignment_incomplete', missing: missing.map((m) => m.field) });
  const draft = r.agreements.filter((a) => a.status === 'draft').at(-1);
  const conclude: Blocked | null = !draft ? { code: 'no_agreement_draft', missing: [] } : (() => {
    const signed = new Set(r.signatures.filter((s) => Number(s.agreement_id) === Number(draft.id) && s.party_id != null).map((s) => Number(s.party_id)));
    const unsigned = r.parties.filter((p) => (p.role === 'applicant' || p.role === 'respondent') && !signed.has(Number(p.id)));
    return unsigned.length ? { code: 'signatures_missing', missing: unsigned.map((p) => p.name_masked) } : null;
  })();
  if (conclude) for (const a of byEffect('mediation.agreement_conclude')) why.set(a, conclude);
  const effective = r.agreements.filter((a) => a.status === 'effective').at(-1);
  const open = effective ? r.obligations.filter((o) => Number(o.agreement_id) === Number(effective.id) && o.status !== 'performed').map((o) => String(o.seq)) : [];
  const perform: Blocked | null = !effective ? { code: 'no_agreement', missing: [] } : open.length ? { code: 'obligations_open', missing: open } : null;
  if (perform) for (const a of byEffect('mediation.performance_complete')) why.set(a, perform);
  const judicial: Blocked | null = !effective ? { code: 'no_agreement', missing: [] }
    : effective.judicial_status === 'applied' || effective.judicial_status === 'confirmed' ? { code: 'confirmation_exists', missing: [] } : null;
  if (judicial) for (const a of byEffect('mediation.confirmation_apply')) why.set(a, judicial);
  return Object.fromEntries((c.actions ?? []).filter((a) => why.has(a)).map((a) => [a, why.get(a)!]));
}

function mayWrite(actor: Actor, c: CaseView) {
  const handle = c.isOpen && mediationPolicy.can(actor, 'mediation.handle');
  return {
    editRecord: handle, addParties: handle,
    assign: handle, investigate: handle,
    schedule: handle && sessionPhase.has(c.state),
    draftAgreement: handle && disputePhases.mediating.has(c.state),
    perform: handle && disputePhases.performing.has(c.state),
    followUp: handle && disputePhases.followUp.has(c.state),
    dock: handle && disputePhases.docking.has(c.state),
    reveal: mediationPolicy.can(actor, 'mediation.reveal'),
  };
}

const recordView = (d: any) => ({
  caseNo: d.case_no, categoryCode: d.category_code, title: d.title, description: d.description, occurredOn: day(d.occurred_on), address: d.address,
  scale: d.scale, peopleInvolved: d.people_involved, unitsInvolved: d.units_involved, source: d.source, method: d.method, level: d.level,
  limitOn: day(d.limit_on), success: d.success, resultText: d.result_text, failureReason: d.failure_reason, evaluatedOn: day(d.evaluated_on),
  evaluation: d.evaluation, receivedAt: iso(d.received_at), acceptedAt: iso(d.accepted_at), agreedAt: iso(d.agreed_at), failedAt: iso(d.failed_at),
  closedAt: iso(d.closed_at), isOpen: d.is_open, convertedFrom: d.converted_from,
});

// ---------------------------------------------------------------------------------------------
// Lists: the engine's list of dispute cases (scope, inbox, SLA lights), with each dispute's risk and 四包

export async function listDisputes(deps: MediationDeps, actor: Actor, q: { open?: string; risk?: string; region?: string; page: number; pageSize: number }) {
  mediationPolicy.assert(actor, 'mediation.read');
  if (q.risk) return riskList(deps, actor, q);
  const page = await listCases(deps.cases, actor, { ...ListQuery.parse({ type: 'dispute', open: q.open, region: q.region }), page: q.page, pageSize: q.pageSize });
  const ids = page.items.map((i: any) => i.id);
  const rows = ids.length ? await deps.ctx.db.query<any>(
    `SELECT d.case_id, d.risk_score, d.risk_level, d.risk_reasons, d.level, d.success, o.name AS org_name, m.name AS mediator_name
     FROM dispute d LEFT JOIN mediation_org o ON o.id = d.org_id LEFT JOIN mediator m ON m.id = d.lead_mediator_id
     WHERE d.case_id = ANY($1::bigint[])`, [ids]) : [];
  const by = new Map(rows.map((r) => [Number(r.case_id), r]));
  return {
    ...page,
    items: page.items.map((i: any) => {
      const r = by.get(i.id);
      return { ...i, risk: r ? { score: r.risk_score, level: r.risk_level, reasons: r.risk_reasons } : null, level: r?.level ?? null, organisation: r?.org_name ?? null, mediator: r?.mediator_name ?? null, success: r?.success ?? null };
    }),
  };
}

/** Open disputes at or above a risk level, highest first (民转刑 watch list). */
async function riskList(deps: MediationDeps, actor: Actor, q: { risk?: string; region?: string; page: number; pageSize: number }) {
  const min = q.risk === 'critical' ? 75 : q.risk === 'high' ? 50 : 25;
  const params: unknown[] = [min];
  const where = ['d.is_open', 'd.risk_score >= $1', regionScope(actor).sql('d', params)];
  if (q.region) { params.push(`${q.region}%`); where.push(`d.region_code LIKE $${params.length}`); }
  params.push(q.pageSize + 1, (q.page - 1) * q.pageSize);
  const rows = await deps.ctx.db.query<any>(
    `SELECT d.case_id, d.case_no, d.title, d.category_code, d.region_code, d.received_at, d.risk_score, d.risk_level, d.risk_reasons,
       d.level, d.success, o.name AS org_name, m.name AS mediator_name
     FROM dispute d LEFT JOIN mediation_org o ON o.id = d.org_id LEFT JOIN mediator m ON m.id = d.lead_mediator_id
     WHERE ${where.join(' AND ')} ORDER BY d.risk_score DESC, d.received_at DESC LIMIT $${params.length - 1} OFFSET $${params.length}`, params);
  const page = rows.slice(0, q.pageSize);
  // the cases' own list items (state and its label, SLA light …), as the full list shows them; the rows are in scope already
  const cases = await caseItems(deps.cases, page.map((r) => Number(r.case_id)));
  return {
    page: q.page, pageSize: q.pageSize, hasMore: rows.length > q.pageSize,
    items: page.map((r) => ({
      ...(cases.get(Number(r.case_id)) ?? {}),
      id: Number(r.case_id), caseNo: r.case_no, title: r.title, categoryCode: r.category_code, regionCode: r.region_code, createdAt: iso(r.received_at),
      risk: { score: r.risk_score, level: r.risk_level, reasons: r.risk_reasons },
      level: r.level ?? null, organisation: r.org_name ?? null, mediator: r.mediator_name ?? null, success: r.success ?? null,
    })),
  };
}

/** Follow-up visits due by today (or by `until`), of open disputes in the actor's territory. */
export async function dueFollowUps(deps: MediationDeps, actor: Actor) {
  mediationPolicy.assert(actor, 'mediation.read');
  const params: unknown[] = [chinaDate(deps.ctx.now())];
  const rows = await deps.ctx.db.query<any>(
    `SELECT f.id, f.case_id, f.due_on, d.case_no, d.title, d.risk_level FROM dispute_follow_up f JOIN dispute d ON d.case_id = f.case_id
     WHERE f.done_at IS NULL AND f.due_on <= $1 AND d.is_open AND ${regionScope(actor).sql('d', params)}
     ORDER BY f.due_on, f.id LIMIT 200`, params);
  return { items: rows.map((r) => ({ id: Number(r.id), caseId: Number(r.case_id), caseNo: r.case_no, title: r.title, dueOn: day(r.due_on), riskLevel: r.risk_level })) };
}

/** Sessions scheduled from now on in the actor's territory. */
export async function upcomingSessions(deps: MediationDeps, actor: Actor) {
  mediationPolicy.assert(actor, 'mediation.read');
  const params: unknown[] = [deps.ctx.now()];
  const rows = await deps.ctx.db.query<any>(
    `SELECT s.id, s.case_id, s.scheduled_at, s.place, s.online_link, d.case_no, d.title FROM dispute_session s JOIN dispute d ON d.case_id = s.case_id
     WHERE s.status = 'scheduled' AND s.scheduled_at >= $1 AND ${regionScope(actor).sql('s', params, false)}
     ORDER BY s.scheduled_at LIMIT 100`, params);
  return { items: rows.map((r) => ({ id: Number(r.id), caseId: Number(r.case_id), caseNo: r.case_no, title: r.title, scheduledAt: iso(r.scheduled_at), place: r.place, onlineLink: r.online_link })) };
}

// ---------------------------------------------------------------------------------------------
// The record and the parties

export async function patchRecord(deps: MediationDeps, actor: Actor, id: number, b: any): Promise<void> {
  const c = await writable(deps, actor, id);
  const cols: Record<string, string> = {
    occurredOn: 'occurred_on', scale: 'scale', peopleInvolved: 'people_involved', unitsInvolved: 'units_involved', source: 'source', method: 'method',
    limitOn: 'limit_on', address: 'address', resultText: 'result_text', evaluatedOn: 'evaluated_on', evaluation: 'evaluation',
  };
  const keys = Object.keys(b).filter((k) => k in cols);
  const values = keys.map((k) => b[k]);
  if (keys.includes('address')) { keys.push('addressKey'); values.push(addressKey(b.address)); cols.addressKey = 'address_key'; }
  await deps.ctx.db.transaction(async (tx) => {
    await loadRow(tx, c, deps);
    await tx.query(`UPDATE dispute SET ${keys.map((k, i) => `${cols[k]} = $${i + 2}`).join(', ')}, updated_at = $${keys.length + 2} WHERE case_id = $1`, [id, ...values, deps.ctx.now()]);
    await recomputeRisk(tx, id, deps.ctx.now());
    await event(tx, c, 'dispute.record');
  });
}

export async function addParties(deps: MediationDeps, actor: Actor, id: number, parties: any[]): Promise<number[]> {
  const c = await writable(deps, actor, id);
  assertPhones(parties);
  return deps.ctx.db.transaction(async (tx) => {
    await loadRow(tx, c, deps);
    const ids = await insertParties(tx, deps.ctx.cipher, { caseId: id, districtCode: regionLevels(c.regionCode).district, kind: 'dispute' }, parties);
    await recomputeRisk(tx, id, deps.ctx.now());
    await event(tx, c, 'dispute.parties');
    return ids;
  });
}

export async function revealDisputeParty(deps: MediationDeps, actor: Actor, id: number, partyId: number, purpose: string) {
  const c = await disputeCase(deps, actor, id);
  mediationPolicy.assert(actor, 'mediation.reveal');
  const [row] = await deps.ctx.db.query<any>('SELECT * FROM mediation_party WHERE id = $1 AND case_id = $2', [partyId, id]);
  if (!row) throw notFound({ zh: `当事人 ${partyId}`, en: `Party ${partyId}` });
  return revealParty(deps.ctx.db, deps.ctx.cipher, actor, row, c.regionCode, purpose);
}

// ---------------------------------------------------------------------------------------------
// 靶向分流 and 四包

export async function assignmentSuggestion(deps: MediationDeps, actor: Actor, id: number) {
  const c = await disputeCase(deps, actor, id);
  const d = await loadRow(deps.ctx.db, c, deps);
  return suggestAssignment(deps.ctx.db, d);
}

export async function setAssignment(deps: MediationDeps, actor: Actor, id: number, b: { orgId: number; leadMediatorId: number; investigateBy: number; mediateBy: number; concludeBy: number; followUpBy: number }) {
  const c = await writable(deps, actor, id);
  await deps.ctx.db.transaction(async (tx) => {
    await loadRow(tx, c, deps);
    const [org] = await tx.query<any>('SELECT id, level, region_code FROM mediation_org WHERE id = $1 AND active', [b.orgId]);
    // the organisation serves the dispute's region: it sits at or above it
    if (!org || !c.regionCode.startsWith(org.region_code)) throw unprocessable('unknown_org', { zh: `调解组织 ${b.orgId} 不存在或不负责该纠纷所在区域。`, en: `Organisation ${b.orgId} does not exist or does not serve this dispute's region.` });
    const people = [...new Set([b.leadMediatorId, b.investigateBy, b.mediateBy, b.concludeBy, b.followUpBy])];
    const found = await tx.query<any>('SELECT id, region_code FROM mediator WHERE id = ANY($1::bigint[]) AND active', [people]);
    const serving = found.filter((m) => c.regionCode.startsWith(m.region_code) || m.region_code.startsWith(c.regionCode.slice(0, 6)));
    if (serving.length !== people.length) throw unprocessable('unknown_mediator', { zh: `指定的调解员不存在、已停用或不在本区县服务。`, en: 'A named mediator does not exist, is inactive or does not serve this district.' });
    const [lead] = await tx.query<any>('SELECT org_id FROM mediator WHERE id = $1', [b.leadMediatorId]);
    if (Number(lead.org_id) !== Number(org.id)) throw unprocessable('mediator_not_member', { zh: `首席调解员须为所选调解组织的成员。`, en: 'The lead mediator is a member of the chosen organisation.' });
    await tx.query(
      `UPDATE dispute SET org_id = $2, level = $3, lead_mediator_id = $4, investigate_by = $5, mediate_by = $6, conclude_by = $7, follow_up_by = $8, updated_at = $9
       WHERE case_id = $1`, [id, org.id, org.level, b.leadMediatorId, b.investigateBy, b.mediateBy, b.concludeBy, b.followUpBy, deps.ctx.now()]);
    await event(tx, c, 'dispute.assignment', { orgId: Number(org.id) });
  });
}

// ---------------------------------------------------------------------------------------------
// Investigation, sessions, agreement, signatures, performance, follow-ups, dockings

export async function addInvestigation(deps: MediationDeps, actor: Actor, id: number, b: any): Promise<number> {
  const c = await writable(deps, actor, id);
  return deps.ctx.db.transaction(async (tx) => {
    await loadRow(tx, c, deps);
    const [r] = await tx.query<{ id: number }>(
      `INSERT INTO dispute_investigation (district_code, case_id, investigated_at, place, investigator, interviewee, content, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [regionLevels(c.regionCode).district, id, b.investigatedAt, b.place ?? null, b.investigator, b.interviewee, b.content, actor.id]);
    await recomputeRisk(tx, id, deps.ctx.now());
    await event(tx, c, 'dispute.investigation');
    return Number(r.id);
  });
}

export async function scheduleSession(deps: MediationDeps, actor: Actor, id: number, b: any): Promise<number> {
  const c = await writable(deps, actor, id, sessionPhase, 'A session');
  const participants = b.participants as Array<{ partyId?: number; name: string; role?: string }>;
  return deps.ctx.db.transaction(async (tx) => {
    await loadRow(tx, c, deps);
    const partyIds = participants.map((p) => p.partyId).filter((p): p is number => p != null);
    if (partyIds.length) {
      const found = await tx.query('SELECT id FROM mediation_party WHERE case_id = $1 AND id = ANY($2::bigint[])', [id, partyIds]);
      if (found.length !== new Set(partyIds).size) throw unprocessable('unknown_party', { zh: `有参与人不是该纠纷的当事人。`, en: 'A participant is not a party of this dispute.' });
    }
    if (b.mediatorIds.length) {
      const found = await tx.query('SELECT id FROM mediator WHERE id = ANY($1::bigint[]) AND active', [b.mediatorIds]);
      if (found.length !== new Set(b.mediatorIds).size) throw unprocessable('unknown_mediator', { zh: `指定的调解员不存在。`, en: 'A named mediator does not exist.' });
    }
    const [r] = await tx.query<{ id: number }>(
      `INSERT INTO dispute_session (district_code, region_code, case_id, scheduled_at, place, online_link, participants, mediator_ids, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::bigint[], $9) RETURNING id`,
      [regionLevels(c.regionCode).district, c.regionCode, id, b.scheduledAt, b.place ?? null, b.onlineLink ?? null, JSON.stringify(participants), b.mediatorIds, actor.id]);
    await event(tx, c, 'dispute.session_scheduled', { sessionId: Number(r.id) });
    return Number(r.id);
  });
}

export async function recordSession(deps: MediationDeps, actor: Actor, id: number, sessionId: number, minutes: string): Promise<void> {
  const c = await writable(deps, actor, id);
  await deps.ctx.db.transaction(async (tx) => {
    const [s] = await tx.query<any>('SELECT status, scheduled_at FROM dispute_session WHERE id = $1 AND case_id = $2 FOR UPDATE', [sessionId, id]);
    if (!s) throw notFound({ zh: `调解会 ${sessionId}`, en: `Session ${sessionId}` });
    if (s.status === 'cancelled') throw conflict('session_cancelled', { zh: `该次调解已取消。`, en: 'The session was cancelled.' });
    // 调解笔录 record a session that took place: not before its scheduled time (as a meeting's minutes)
    if (deps.ctx.now() < new Date(s.scheduled_at)) {
      const when = chinaTime(new Date(s.scheduled_at));
      throw new AppError(409, 'session_not_started', {
        zh: `调解定于${when}进行，尚未开始；调解开始后方可记录调解笔录。`,
        en: `The session is scheduled for ${when} (China time) and has not begun; its minutes can be recorded once it has.`,
      }, { scheduledAt: iso(s.scheduled_at) });
    }
    await tx.query(`UPDATE dispute_session SET status = 'held', held_at = coalesce(held_at, $3), minutes = $2 WHERE id = $1`, [sessionId, minutes, deps.ctx.now()]);
    await recomputeRisk(tx, id, deps.ctx.now());
    await event(tx, c, 'dispute.session_held', { sessionId });
  });
}

export async function cancelSession(deps: MediationDeps, actor: Actor, id: number, sessionId: number): Promise<void> {
  const c = await writable(deps, actor, id);
  await deps.ctx.db.transaction(async (tx) => {
    const r = await tx.query(`UPDATE dispute_session SET status = 'cancelled' WHERE id = $1 AND case_id = $2 AND status = 'scheduled' RETURNING id`, [sessionId, id]);
    if (!r.length) throw conflict('session_not_scheduled', { zh: `调解会 ${sessionId} 不是该纠纷已安排的调解。`, en: `Session ${sessionId} is not a scheduled session of this dispute.` });
    await event(tx, c, 'dispute.session_cancelled', { sessionId });
  });
}

/** Drafts (or redrafts) the agreement: its text, the obligations with due dates, the planned follow-up. Signatures on an earlier draft lapse. */
export async function draftAgreement(deps: MediationDeps, actor: Actor, id: number, b: any): Promise<number> {
  const c = await writable(deps, actor, id, disputePhases.mediating, 'The agreement');
  const today = chinaDate(deps.ctx.now());
  if (b.followUpOn < today) throw unprocessable('follow_up_in_past', { zh: `回访日期须为今天或以后。`, en: 'The follow-up visit is planned for today or later.' });
  return deps.ctx.db.transaction(async (tx) => {
    await loadRow(tx, c, deps);
    const district = regionLevels(c.regionCode).district;
    const obligorIds = b.obligations.map((o: any) => o.obligorPartyId).filter((x: unknown) => x != null);
    if (obligorIds.length) {
      const found = await tx.query('SELECT id FROM mediation_party WHERE case_id = $1 AND id = ANY($2::bigint[])', [id, obligorIds]);
      if (found.length !== new Set(obligorIds).size) throw unprocessable('unknown_party', { zh: `有义务人不是该纠纷的当事人。`, en: 'An obligor is not a party of this dispute.' });
    }
    await tx.query(`UPDATE dispute_agreement SET status = 'void' WHERE case_id = $1 AND status = 'draft'`, [id]);
    const [a] = await tx.query<{ id: number }>(
      'INSERT INTO dispute_agreement (district_code, case_id, content, signed_place, follow_up_on, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id',
      [district, id, b.content, b.signedPlace ?? null, b.followUpOn, actor.id, deps.ctx.now()]);
    for (const [i, o] of b.obligations.entries()) {
      await tx.query(
        'INSERT INTO dispute_obligation (district_code, case_id, agreement_id, seq, obligor_party_id, description, due_on, amount) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
        [district, id, a.id, i + 1, o.obligorPartyId ?? null, o.description, o.dueOn, o.amount ?? null]);
    }
    await event(tx, c, 'dispute.agreement_drafted', { agreementId: Number(a.id) });
    return Number(a.id);
  });
}

export async function signAgreement(deps: MediationDeps, actor: Actor, id: number, agreementId: number, b: { partyId?: number; signer: 'party' | 'mediator'; image: string }) {
  const c = await writable(deps, actor, id, disputePhases.mediating, 'A signature');
  const png = Buffer.from(b.image.slice(b.image.indexOf(',') + 1), 'base64');
  const checked = checkPng(png, { maxSide: 2000 });
  if (!checked.ok) throw unprocessable('not_png', { zh: `签名不是可用的 PNG 图片：${checked.reason}。`, en: `The signature is not a usable PNG image: ${checked.reason}.` });
  const [a] = await deps.ctx.db.query<any>(`SELECT id FROM dispute_agreement WHERE id = $1 AND case_id = $2 AND status = 'draft'`, [agreementId, id]);
  if (!a) throw notFound({ zh: `调解协议草稿 ${agreementId}`, en: `Agreement draft ${agreementId}` });
  let label = actor.displayName;
  if (b.signer === 'party') {
    if (b.partyId == null) throw unprocessable('party_missing', { zh: `请指定签字的当事人（partyId）。`, en: 'Name the party who signs (partyId).' });
    const [p] = await deps.ctx.db.query<any>('SELECT role, name_masked FROM mediation_party WHERE id = $1 AND case_id = $2', [b.partyId, id]);
    if (!p) throw unprocessable('unknown_party', { zh: `${b.partyId} 不是该纠纷的当事人。`, en: `Party ${b.partyId} is not a party of this dispute.` });
    label = `${p.role === 'applicant' ? '申请人' : p.role === 'respondent' ? '被申请人' : '当事人'} ${p.name_masked}`;
  } else {
    label = `调解员 ${actor.displayName}`;
  }
  const now = deps.ctx.now();
  const saved = await deps.ctx.files.save({ uploadedBy: actor.id, filename: `signature-${agreementId}.png`, mime: 'image/png', content: png }, async (tx, attachmentId) => {
    await tx.query(`DELETE FROM dispute_signature WHERE agreement_id = $1 AND party_id IS NOT DISTINCT FROM $2 AND signer_role = $3`, [agreementId, b.signer === 'party' ? b.partyId : null, b.signer]);
    await tx.query(
      `INSERT INTO dispute_signature (district_code, case_id, agreement_id, party_id, signer_role, signer_label, attachment_id, sha256, signed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, (SELECT sha256 FROM attachment WHERE id = $7), $8)`,
      [regionLevels(c.regionCode).district, id, agreementId, b.signer === 'party' ? b.partyId : null, b.signer, label, attachmentId, now]);
    await event(tx, c, 'dispute.signed', { agreementId });
  });
  return { attachmentId: saved.id, label };
}

/** One drawn signature of a dispute the actor may read, as the PNG that was signed. */
export async function signatureImage(deps: MediationDeps, actor: Actor, id: number, signatureId: number): Promise<{ png: Buffer; sha256: string }> {
  await disputeCase(deps, actor, id);
  const [r] = await deps.ctx.db.query<any>('SELECT sha256 FROM dispute_signature WHERE id = $1 AND case_id = $2', [signatureId, id]);
  if (!r) throw notFound({ zh: `签名 ${signatureId}`, en: `Signature ${signatureId}` });
  const chunks: Buffer[] = [];
  for await (const chunk of await deps.ctx.files.store.get(r.sha256)) chunks.push(Buffer.from(chunk));
  return { png: Buffer.concat(chunks), sha256: r.sha256 };
}

/** The images of an agreement's signatures (for its PDF). */
export async function signatureImages(deps: MediationDeps, agreementId: number): Promise<Array<{ partyId: number | null; label: string; signedAt: Date; png: Buffer }>> {
  const rows = await deps.ctx.db.query<any>('SELECT party_id, signer_label, sha256, signed_at FROM dispute_signature WHERE agreement_id = $1 ORDER BY signer_role DESC, id', [agreementId]);
  const out = [];
  for (const r of rows) {
    const chunks: Buffer[] = [];
    for await (const chunk of await deps.ctx.files.store.get(r.sha256)) chunks.push(Buffer.from(chunk));
    out.push({ partyId: r.party_id == null ? null : Number(r.party_id), label: r.signer_label, signedAt: new Date(r.signed_at), png: Buffer.concat(chunks) });
  }
  return out;
}

export async function recordObligation(deps: MediationDeps, actor: Actor, id: number, obligationId: number, b: { status: string; note?: string }): Promise<void> {
  const c = await writable(deps, actor, id, disputePhases.performing, 'Performance');
  await deps.ctx.db.transaction(async (tx) => {
    const r = await tx.query(
      `UPDATE dispute_obligation o SET status = $3, note = $4, recorded_at = $5 FROM dispute_agreement a
       WHERE o.id = $1 AND o.case_id = $2 AND a.id = o.agreement_id AND a.status = 'effective' RETURNING o.id`,
      [obligationId, id, b.status, b.note ?? null, deps.ctx.now()]);
    if (!r.length) throw notFound({ zh: `履行义务 ${obligationId}`, en: `Obligation ${obligationId}` });
    await recomputeRisk(tx, id, deps.ctx.now());
    await event(tx, c, 'dispute.performance', { obligationId, status: b.status });
  });
}

export async function recordFollowUp(deps: MediationDeps, actor: Actor, id: number, followUpId: number, b: { method: string; content: string; satisfaction: string }): Promise<void> {
  const c = await writable(deps, actor, id, disputePhases.followUp, 'A follow-up visit');
  await deps.ctx.db.transaction(async (tx) => {
    const [f] = await tx.query<any>('SELECT due_on, done_at FROM dispute_follow_up WHERE id = $1 AND case_id = $2 FOR UPDATE', [followUpId, id]);
    if (!f) throw notFound({ zh: `回访 ${followUpId}`, en: `Follow-up ${followUpId}` });
    if (f.done_at) throw conflict('follow_up_done', { zh: `该次回访已记录。`, en: 'This follow-up visit is already recorded.' });
    if (day(f.due_on)! > chinaDate(deps.ctx.now())) throw conflict('follow_up_not_due', { zh: `该次回访应于 ${day(f.due_on)} 进行。`, en: `This follow-up visit is due on ${day(f.due_on)}.` });
    await tx.query('UPDATE dispute_follow_up SET done_at = $2, method = $3, content = $4, satisfaction = $5, recorded_by = $6 WHERE id = $1',
      [followUpId, deps.ctx.now(), b.method, b.content, b.satisfaction, actor.id]);
    await event(tx, c, 'dispute.followed_up', { followUpId });
  });
}

export async function draftDocking(deps: MediationDeps, actor: Actor, id: number, b: { kind: string; receiver: string; note?: string }): Promise<number> {
  const c = await writable(deps, actor, id, disputePhases.docking, 'A docking');
  return deps.ctx.db.transaction(async (tx) => {
    await tx.query(`DELETE FROM dispute_docking WHERE case_id = $1 AND status = 'draft'`, [id]);
    const [r] = await tx.query<{ id: number }>(
      'INSERT INTO dispute_docking (district_code, case_id, kind, receiver, note, file_manifest, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8) RETURNING id',
      [regionLevels(c.regionCode).district, id, b.kind, b.receiver, b.note ?? null, JSON.stringify(await caseFileManifest(tx, id)), actor.id, deps.ctx.now()]);
    await event(tx, c, 'dispute.docking_prepared', { dockingId: Number(r.id), kind: b.kind });
    return Number(r.id);
  });
}

export { AppError };
