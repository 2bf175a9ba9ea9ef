// Petitions (信访): intake of letters, visits, calls and online petitions with their petitioners; repeat
// detection (the same person by keyed hash, the same matter by text similarity from the intelligence module
// and by the body complained about), 初信初访 and 重复信访 marked; backlog cases (积案) with 领导包案; leader
// reception days with bookings; calendar-day deadlines from 《信访工作条例》; joint meetings (联席会议) whose
// decisions become cases.
import type { Actor } from '../../platform/auth/actor.ts';
import type { Queryable } from '../../platform/db/index.ts';
import { AppError, conflict, notFound, unprocessable } from '../../platform/errors.ts';
import { appendEvent } from '../../platform/events/index.ts';
import { maskName, maskPhone } from '../../platform/crypto.ts';
import { regionLevels, regionScope } from '../../platform/scope.ts';
import type { MeetingKind } from '../../platform/meetings/index.ts';
import { caseItems, createCase, getCase, listCases, ListQuery, type CaseView } from '../cases/index.ts';
import { segment, textSimilarity } from '../intelligence/index.ts';
import type { MediationDeps } from './deps.ts';
import { mediationPolicy } from './policy.ts';
import { assertPhones, insertParties, normaliseName, partiesOf, partyView, revealParty } from './parties.ts';
import { ensurePetition } from './effects.ts';
import { petition } from './types/index.ts';
import { chinaDate, deadlineLight } from './limits.ts';
import type { PetitionCreateT } from './contracts.ts';

const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);
const day = (d: unknown) => (d == null ? null : d instanceof Date ? chinaDate(d) : String(d).slice(0, 10));

export async function petitionCase(deps: MediationDeps, actor: Actor, id: number): Promise<CaseView> {
  mediationPolicy.assert(actor, 'petition.read');
  const c = await getCase(deps.cases, actor, id);
  if (c.type !== 'petition') throw notFound({ zh: `信访件 ${id}`, en: `Petition ${id}` });
  return c;
}

async function event(q: Queryable, c: CaseView, topic: string, payload: Record<string, unknown> = {}) {
  await appendEvent(q, { topic, regionCode: c.regionCode, unitIds: c.leadUnitId ? [c.leadUnitId] : [], userIds: [], payload: { caseId: c.id, caseNo: c.caseNo, ...payload } });
}

// ---------------------------------------------------------------------------------------------
// Intake and repeat detection

export async function registerPetition(deps: MediationDeps, actor: Actor, b: PetitionCreateT, idempotencyKey?: string) {
  mediationPolicy.assert(actor, 'petition.register');
  if (!b.parties.some((p) => p.role === 'petitioner')) throw unprocessable('petitioner_missing', { zh: `信访件至少须有一名信访人。`, en: 'A petition has at least one petitioner (信访人).' });
  assertPhones(b.parties);
  const r = await createCase(deps.cases, actor, {
    type: 'petition', categoryCode: b.categoryCode, title: b.title, description: b.description, regionCode: b.regionCode,
    address: b.address, urgency: 'normal', channel: 'petition',
  }, idempotencyKey);
  if (r.replayed) return r.caseId;
  const now = deps.ctx.now();
  await deps.ctx.db.transaction(async (tx) => {
    const c = r.row!;
    await ensurePetition(tx, c, deps.limits, deps.ctx.calendar, b.form);
    await tx.query('UPDATE petition SET form = $2, petitioners = $3, respondent = $4, updated_at = $5 WHERE case_id = $1',
      [r.caseId, b.form, b.petitioners, b.respondent ?? null, now]);
    await insertParties(tx, deps.ctx.cipher, { caseId: r.caseId, districtCode: c.district_code, kind: 'petition' }, b.parties);
    await markRepeats(deps, tx, r.caseId, now);
  });
  return r.caseId;
}

export interface RepeatMatch { caseId: number; caseNo: string; samePerson: boolean; similarity: number; sameRespondent: boolean; sameMatter: boolean; receivedAt: string | null }

/** Earlier petitions by the same person (keyed hashes) or on the same matter (text similarity, same body complained about). */
export async function findRepeats(deps: MediationDeps, q: Queryable, caseId: number, now: Date): Promise<RepeatMatch[]> {
  const [p] = await q.query<any>('SELECT * FROM petition WHERE case_id = $1', [caseId]);
  if (!p) return [];
  const since = new Date(now.getTime() - deps.limits.repeat.lookbackDays * 86_400_000);
  const parties = await q.query<any>(`SELECT id_hash, phone_hash, name_hash FROM mediation_party WHERE case_id = $1 AND role = 'petitioner'`, [caseId]);
  const keys = parties.flatMap((x) => [x.id_hash, x.phone_hash, x.name_hash]).filter((k): k is string => !!k);
  const samePerson = new Set((keys.length ? await q.query<{ case_id: number }>(
    `SELECT DISTINCT case_id FROM mediation_party WHERE case_kind = 'petition' AND role = 'petitioner' AND case_id <> $1
     AND (id_hash = ANY($2::text[]) OR phone_hash = ANY($2::text[]) OR name_hash = ANY($2::text[]))`, [caseId, keys]) : []).map((r) => Number(r.case_id)));
  // candidates: the same person's petitions, and recent petitions of the same category in the district
  const candidates = await q.query<any>(
    `SELECT case_id, case_no, title, description, respondent, received_at FROM petition
     WHERE case_id <> $1 AND district_code = $2 AND received_at >= $3 AND received_at <= $4
       AND (case_id = ANY($5::bigint[]) OR category_code = $6)
     ORDER BY received_at DESC LIMIT 300`, [caseId, p.district_code, since, p.received_at, [...samePerson], p.category_code]);
  const mine = segment(`${p.title} ${p.description}`);
  const respondent = p.respondent ? normaliseName(p.respondent) : null;
  const threshold = deps.limits.repeat.similarity;
  const out: RepeatMatch[] = [];
  for (const c of candidates) {
    const similarity = textSimilarity(mine, segment(`${c.title} ${c.description}`));
    const sameRespondent = !!respondent && !!c.respondent && normaliseName(c.respondent) === respondent;
    // the same body complained about lowers the bar for the same matter
    const sameMatter = similarity >= threshold || (sameRespondent && similarity >= threshold * 0.6);
    const person = samePerson.has(Number(c.case_id));
    if (person || sameMatter) {
      out.push({ caseId: Number(c.case_id), caseNo: c.case_no, samePerson: person, similarity: Math.round(similarity * 1000) / 1000, sameRespondent, sameMatter, receivedAt: iso(c.received_at) });
    }
  }
  return out.sort((a, b) => Number(b.samePerson && b.sameMatter) - Number(a.samePerson && a.sameMatter) || b.similarity - a.similarity);
}

/** 初信初访 unless an earlier petition was on the same matter; 重复信访 when the same person petitions it again. */
export async function markRepeats(deps: MediationDeps, tx: Queryable, caseId: number, now: Date): Promise<void> {
  const matches = await findRepeats(deps, tx, caseId, now);
  const sameMatter = matches.filter((m) => m.sameMatter);
  const repeat = matches.filter((m) => m.samePerson && m.sameMatter);
  const kind = repeat.length ? 'same_person_and_matter' : sameMatter.length ? 'same_matter' : matches.length ? 'same_person' : null;
  const original = [...(repeat.length ? repeat : sameMatter)].sort((a, b) => (a.receivedAt ?? '').localeCompare(b.receivedAt ?? ''))[0];
  const count = repeat.length;
  const backlog = count + 1 >= deps.limits.backlog.repeatCount;
  await tx.query(
    `UPDATE petition SET first_time = $2, repeat_kind = $3, repeat_of = $4, repeat_count = $5, similarity = $6,
       backlog = backlog OR $7, backlog_reason = CASE WHEN $7 AND NOT backlog THEN $8 ELSE backlog_reason END,
       backlog_at = CASE WHEN $7 AND NOT backlog THEN $9::timestamptz ELSE backlog_at END
     WHERE case_id = $1`,
    [caseId, sameMatter.length === 0, kind, original?.caseId ?? null, count, original?.similarity ?? null, backlog,
      `同一信访人就同一事项第${count + 1}次信访`, now]);
}

// ---------------------------------------------------------------------------------------------
// The petition's view and lists

/** 批准延长办理期限: once only, and only with a handling time limit (mediation.petition_extend). */
const extendActions = petition.actions.filter((a) => a.effect === 'mediation.petition_extend').map((a) => a.name);

export async function petitionDetail(deps: MediationDeps, actor: Actor, id: number) {
  const c = await petitionCase(deps, actor, id);
  const q = deps.ctx.db;
  let [p] = await q.query<any>('SELECT * FROM petition WHERE case_id = $1', [id]);
  if (!p) {
    await ensurePetition(q, { id: c.id, case_no: c.caseNo, region_code: c.regionCode, district_code: regionLevels(c.regionCode).district, category_code: c.categoryCode, title: c.title, description: c.description, created_at: c.createdAt, created_by: null } as any, deps.limits, deps.ctx.calendar);
    [p] = await q.query<any>('SELECT * FROM petition WHERE case_id = $1', [id]);
  }
  const [parties, leaders, repeats, bookings, docked] = await Promise.all([
    partiesOf(q, id),
    q.query<any>(
      `SELECT l.*, u.display_name AS user_name, un.name AS unit_name FROM petition_leader l
       LEFT JOIN app_user u ON u.id = l.user_id LEFT JOIN unit un ON un.id = l.unit_id WHERE l.case_id = $1 ORDER BY l.id`, [id]),
    findRepeats(deps, q, id, deps.ctx.now()),
    q.query<any>('SELECT b.id, b.status, b.outcome, d.day, d.leader_name, d.leader_title FROM reception_booking b JOIN reception_day d ON d.id = b.day_id WHERE b.case_id = $1 ORDER BY d.day', [id]),
    p.docked_from == null ? [] : q.query<any>(
      `SELECT d.case_id, d.case_no, d.title, d.category_code, d.failure_reason, k.id AS docking_id, k.receiver, k.transferred_at, k.file_manifest
       FROM dispute d JOIN dispute_docking k ON k.case_id = d.case_id AND k.petition_case_id = $2 WHERE d.case_id = $1`, [p.docked_from, id]),
  ]);
  const mediation = docked[0] ? await mediationHistory(q, Number(docked[0].case_id), Number(docked[0].docking_id)) : null;
  return {
    case: c,
    record: { ...petitionRecord(p), ...overdueOf(deps, p) },
    deadlines: deadlinesOf(deps, p),
    parties: parties.map(partyView),
    repeats,
    /** 包案 leaders, each a user of the platform shown by their current name and unit */
    leaders: leaders.map((l) => ({
      role: l.role, userId: l.user_id == null ? null : Number(l.user_id), name: l.user_name ?? l.name, title: l.title,
      unitId: l.unit_id, unitName: l.unit_name ?? null, responsibility: l.responsibility, assignedAt: iso(l.assigned_at),
    })),
    bookings: bookings.map((b) => ({ id: Number(b.id), day: day(b.day), leader: `${b.leader_title} ${b.leader_name}`, status: b.status, outcome: b.outcome })),
    /** 访调对接: the failed mediation this petition came from, with the case file that was transferred */
    dockedFrom: docked[0] ? {
      caseId: Number(docked[0].case_id), caseNo: docked[0].case_no, title: docked[0].title, categoryCode: docked[0].category_code,
      failureReason: docked[0].failure_reason, dockingId: Number(docked[0].docking_id), receiver: docked[0].receiver,
      transferredAt: iso(docked[0].transferred_at), caseFile: docked[0].file_manifest,
      /** how the mediation went before it was docked here (the dispute's own records, names left out) */
      mediation,
      /** whether this user may open the dispute itself (its page needs the mediation read right) */
      mayOpen: mediationPolicy.can(actor, 'mediation.read'),
    } : null,
    /** The actions offered that would be refused now, each with why (as the effects check it). */
    blocked: Object.fromEntries((c.actions ?? []).filter((a) => extendActions.includes(a) && (p.extended || !p.handle_due_on))
      .map((a) => [a, { code: p.extended ? 'already_extended' : 'not_accepted', missing: [] as string[] }])),
    may: {
      manage: c.isOpen && mediationPolicy.can(actor, 'petition.manage'),
      reveal: mediationPolicy.can(actor, 'mediation.reveal'),
    },
  };
}

/** One step of the mediation a petition was docked from, in the order they happened. */
export type MediationStep =
  | { kind: 'received' | 'acceptance'; at: string }
  | { kind: 'investigation'; at: string; investigator: string; place: string | null }
  | { kind: 'session'; at: string; status: 'scheduled' | 'held' | 'cancelled'; place: string | null; online: boolean }
  | { kind: 'agreement'; at: string; status: 'draft' | 'void' | 'effective' }
  | { kind: 'failed'; at: string; reason: string | null }
  | { kind: 'docked'; at: string; receiver: string };

/**
 * 访调对接: the mediation a petition came from, as the petition office reads it — the organisation and lead
 * mediator, and each step from the dispute's records (received, accepted, investigations, sessions, agreements
 * drafted, the failure and the docking). Who was interviewed and what the minutes say stay in the transferred
 * case file (its PDF), where the parties' names are masked.
 */
async function mediationHistory(q: Queryable, disputeId: number, dockingId: number) {
  const [[d], investigations, sessions, agreements, [k]] = await Promise.all([
    q.query<any>(
      `SELECT d.received_at, d.accepted_at, d.failed_at, d.failure_reason, o.name AS org_name, o.level AS org_level, m.name AS mediator_name
       FROM dispute d LEFT JOIN mediation_org o ON o.id = d.org_id LEFT JOIN mediator m ON m.id = d.lead_mediator_id WHERE d.case_id = $1`, [disputeId]),
    q.query<any>('SELECT investigated_at, investigator, place FROM dispute_investigation WHERE case_id = $1', [disputeId]),
    q.query<any>('SELECT scheduled_at, held_at, status, place, online_link FROM dispute_session WHERE case_id = $1', [disputeId]),
    q.query<any>('SELECT created_at, status FROM dispute_agreement WHERE case_id = $1', [disputeId]),
    q.query<any>('SELECT transferred_at, receiver FROM dispute_docking WHERE id = $1', [dockingId]),
  ]);
  if (!d) return null;
  const steps: MediationStep[] = [{ kind: 'received', at: iso(d.received_at)! }];
  if (d.accepted_at) steps.push({ kind: 'acceptance', at: iso(d.accepted_at)! });
  for (const r of investigations) steps.push({ kind: 'investigation', at: iso(r.investigated_at)!, investigator: r.investigator, place: r.place ?? null });
  for (const s of sessions) steps.push({ kind: 'session', at: iso(s.held_at ?? s.scheduled_at)!, status: s.status, place: s.place ?? null, online: !s.place && !!s.online_link });
  for (const a of agreements) steps.push({ kind: 'agreement', at: iso(a.created_at)!, status: a.status });
  if (d.failed_at) steps.push({ kind: 'failed', at: iso(d.failed_at)!, reason: d.failure_reason ?? null });
  if (k?.transferred_at) steps.push({ kind: 'docked', at: iso(k.transferred_at)!, receiver: k.receiver });
  const order = ['received', 'acceptance', 'investigation', 'session', 'agreement', 'failed', 'docked'];
  steps.sort((a, b) => a.at.localeCompare(b.at) || order.indexOf(a.kind) - order.indexOf(b.kind));
  return {
    organisation: d.org_name ? { name: d.org_name as string, level: d.org_level as string } : null,
    leadMediator: (d.mediator_name as string | null) ?? null,
    steps,
  };
}

const petitionRecord = (p: any) => ({
  caseNo: p.case_no, categoryCode: p.category_code, title: p.title, form: p.form, petitioners: p.petitioners, collective: p.petitioners >= 5,
  respondent: p.respondent, firstTime: p.first_time, repeatOf: p.repeat_of == null ? null : Number(p.repeat_of), repeatKind: p.repeat_kind,
  repeat: p.repeat_kind === 'same_person_and_matter', repeatCount: p.repeat_count, similarity: p.similarity, isOpen: p.is_open,
  backlog: p.backlog, backlogReason: p.backlog_reason, backlogAt: iso(p.backlog_at), backlogClosedAt: iso(p.backlog_closed_at),
  receivedAt: iso(p.received_at), acceptedAt: iso(p.accepted_at), answeredAt: iso(p.answered_at), concludedAt: iso(p.concluded_at), extended: p.extended,
});

/** Each time limit with its last day and light (calendar days, holidays moved past). */
function deadlinesOf(deps: MediationDeps, p: any) {
  const today = chinaDate(deps.ctx.now());
  const L = deps.limits.limits;
  const item = (name: keyof typeof L, due: unknown, done: unknown) => {
    const d = day(due);
    return d ? { name, days: L[name].days + (name === 'processing' && p.extended ? L.processing.extendableDays ?? 0 : 0), dueOn: d, done: !!done, light: done ? null : deadlineLight(today, d, L[name].days), rule: { zh: L[name].zh, en: L[name].en } } : null;
  };
  return [
    item('acceptance', p.accept_due_on, p.accepted_at ?? (!p.is_open ? p.concluded_at : null)),
    item('processing', p.handle_due_on, p.answered_at),
    item('reviewRequest', p.review_request_until, p.review_requested_at ?? p.concluded_at),
    item('review', p.review_due_on, p.review_answered_at),
    item('recheckRequest', p.recheck_request_until, p.recheck_requested_at ?? p.concluded_at),
    item('recheck', p.recheck_due_on, p.concluded_at),
  ].filter((x) => x !== null);
}

/**
 * 超期: an open petition past the last day of its current step (受理 15 days, 办理 60 (+30), a requested 复查 or
 * 复核 30), counted in calendar days with a last day on a holiday moved to the next working day.
 */
export function overdueOf(deps: MediationDeps, p: any): { overdue: boolean; dueOn: string | null; dueStep: string | null; daysOver: number } {
  const dueOn = day(p.due_on);
  const today = chinaDate(deps.ctx.now());
  const overdue = !!p.is_open && !!dueOn && dueOn < today;
  return { overdue, dueOn, dueStep: p.due_step ?? null, daysOver: overdue ? Math.round((Date.parse(today) - Date.parse(dueOn!)) / 86_400_000) : 0 };
}

export async function listPetitions(deps: MediationDeps, actor: Actor, q: { open?: string; repeat?: string; backlog?: string; overdue?: string; region?: string; page: number; pageSize: number }) {
  mediationPolicy.assert(actor, 'petition.read');
  if (q.repeat || q.backlog || q.overdue) return flaggedList(deps, actor, q);
  const page = await listCases(deps.cases, actor, { ...ListQuery.parse({ type: 'petition', open: q.open, region: q.region }), page: q.page, pageSize: q.pageSize });
  const ids = page.items.map((i: any) => i.id);
  const rows = ids.length ? await deps.ctx.db.query<any>('SELECT * FROM petition WHERE case_id = ANY($1::bigint[])', [ids]) : [];
  const by = new Map(rows.map((r) => [Number(r.case_id), r]));
  return { ...page, items: page.items.map((i: any) => { const p = by.get(i.id); return { ...i, petition: p ? { ...petitionRecord(p), ...overdueOf(deps, p), deadlines: deadlinesOf(deps, p) } : null }; }) };
}

/** Repeat petitions, backlog cases or overdue petitions in the territory, newest first (overdue: longest overdue first). */
async function flaggedList(deps: MediationDeps, actor: Actor, q: { repeat?: string; backlog?: string; overdue?: string; open?: string; region?: string; page: number; pageSize: number }) {
  if (!regionScope(actor).prefixes.length) return { items: [], page: q.page, pageSize: q.pageSize, hasMore: false };
  const params: unknown[] = [];
  const where = [regionScope(actor).sql('p', params)];
  if (q.repeat) where.push(q.repeat === 'true' ? `p.repeat_kind = 'same_person_and_matter'` : `p.repeat_kind IS DISTINCT FROM 'same_person_and_matter'`);
  if (q.backlog) where.push(q.backlog === 'true' ? 'p.backlog' : 'NOT p.backlog');
  if (q.open) where.push(q.open === 'true' ? 'p.is_open' : 'NOT p.is_open');
  if (q.overdue) { params.push(chinaDate(deps.ctx.now())); where.push(`p.is_open AND p.due_on < $${params.length}::date`); }
  if (q.region) { params.push(`${q.region}%`); where.push(`p.region_code LIKE $${params.length}`); }
  params.push(q.pageSize + 1, (q.page - 1) * q.pageSize);
  const rows = (await deps.ctx.db.query<any>(`SELECT * FROM petition p WHERE ${where.join(' AND ')} ORDER BY ${q.overdue ? 'p.due_on, ' : ''}p.received_at DESC LIMIT $${params.length - 1} OFFSET $${params.length}`, params));
  const page = rows.slice(0, q.pageSize);
  // the cases' own list items (state and its label, SLA light …), as the unfiltered list shows them; the rows are in scope already
  const cases = await caseItems(deps.cases, page.map((p) => Number(p.case_id)));
  return {
    page: q.page, pageSize: q.pageSize, hasMore: rows.length > q.pageSize,
    items: page.map((p) => ({
      ...(cases.get(Number(p.case_id)) ?? {}),
      id: Number(p.case_id), caseNo: p.case_no, title: p.title, regionCode: p.region_code, createdAt: iso(p.received_at),
      petition: { ...petitionRecord(p), ...overdueOf(deps, p), deadlines: deadlinesOf(deps, p) },
    })),
  };
}

export async function revealPetitionParty(deps: MediationDeps, actor: Actor, id: number, partyId: number, purpose: string) {
  const c = await petitionCase(deps, actor, id);
  mediationPolicy.assert(actor, 'mediation.reveal');
  const [row] = await deps.ctx.db.query<any>('SELECT * FROM mediation_party WHERE id = $1 AND case_id = $2', [partyId, id]);
  if (!row) throw notFound({ zh: `当事人 ${partyId}`, en: `Party ${partyId}` });
  return revealParty(deps.ctx.db, deps.ctx.cipher, actor, row, c.regionCode, purpose);
}

// ---------------------------------------------------------------------------------------------
// 积案 and 领导包案

async function managed(deps: MediationDeps, actor: Actor, id: number): Promise<CaseView> {
  const c = await petitionCase(deps, actor, id);
  mediationPolicy.assert(actor, 'petition.manage');
  if (!c.isOpen) throw conflict('petition_closed', { zh: `该信访件已办结。`, en: 'The petition has been concluded.' });
  return c;
}

export async function markBacklog(deps: MediationDeps, actor: Actor, id: number, reason: string): Promise<void> {
  const c = await managed(deps, actor, id);
  await deps.ctx.db.transaction(async (tx) => {
    const r = await tx.query(`UPDATE petition SET backlog = true, backlog_reason = $2, backlog_at = $3, updated_at = $3 WHERE case_id = $1 AND NOT backlog RETURNING case_id`, [id, reason, deps.ctx.now()]);
    if (!r.length) throw conflict('already_backlog', { zh: `该信访件已列为积案。`, en: 'The petition is already a backlog case.' });
    await event(tx, c, 'petition.backlog');
  });
}

/**
 * Who may be named a 包案 leader of a petition: the platform's people (active accounts, not residents) on
 * the petition's line in its district — the district's leaders and departments, the street's and the
 * community's staff above it, and those below it. Shown with their unit and region.
 */
function candidateSql(params: unknown[], regionCode: string): string {
  params.push(`${regionLevels(regionCode).district}%`, regionCode);
  const [d, r] = [params.length - 1, params.length];
  return `u.active AND NOT u.is_system AND u.role <> 'resident' AND u.region_code LIKE $${d}
    AND ($${r} LIKE u.region_code || '%' OR u.region_code LIKE $${r} || '%')`;
}

const CANDIDATE_SELECT = `SELECT u.id, u.display_name, u.role, u.region_code, g.name AS region_name, u.unit_id, un.name AS unit_name
  FROM app_user u LEFT JOIN unit un ON un.id = u.unit_id LEFT JOIN region g ON g.code = u.region_code`;

const candidateView = (u: any) => ({
  id: Number(u.id), name: u.display_name, role: u.role,
  unit: u.unit_id ? { id: u.unit_id, name: u.unit_name ?? u.unit_id } : null,
  region: { code: u.region_code, name: u.region_name ?? u.region_code },
});

/** The people who may be named 包案 leaders of this petition (searched by name or unit). */
export async function leaderCandidates(deps: MediationDeps, actor: Actor, id: number, q: { q?: string; pageSize: number }) {
  const c = await managed(deps, actor, id);
  const params: unknown[] = [];
  const where = [candidateSql(params, c.regionCode)];
  if (q.q) {
    params.push(`%${q.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
    where.push(`(u.display_name ILIKE $${params.length} OR un.name ILIKE $${params.length})`);
  }
  params.push(q.pageSize);
  const rows = await deps.ctx.db.query<any>(
    `${CANDIDATE_SELECT} WHERE ${where.join(' AND ')} ORDER BY length(u.region_code), un.name NULLS LAST, u.display_name, u.id LIMIT $${params.length}`, params);
  return { items: rows.map(candidateView) };
}

/** 领导包案: one county-level leader, one department, one township and one police officer, each a user of the platform, with what they answer for. */
export async function assignLeaders(deps: MediationDeps, actor: Actor, id: number, leaders: Array<{ role: string; userId: number; title?: string; responsibility?: string }>): Promise<void> {
  const c = await managed(deps, actor, id);
  await deps.ctx.db.transaction(async (tx) => {
    const [p] = await tx.query<any>('SELECT backlog FROM petition WHERE case_id = $1 FOR UPDATE', [id]);
    if (!p?.backlog) throw conflict('not_backlog', { zh: `包案领导只能分配给积案，请先将该信访件标记为积案。`, en: 'Leaders are assigned to backlog cases (积案): mark the petition as one first.' });
    const ids = [...new Set(leaders.map((l) => l.userId))];
    const params: unknown[] = [ids];
    const found = await tx.query<any>(`${CANDIDATE_SELECT} WHERE u.id = ANY($1::bigint[]) AND ${candidateSql(params, c.regionCode)}`, params);
    const byId = new Map(found.map((u) => [Number(u.id), u]));
    const missing = ids.filter((u) => !byId.has(u));
    if (missing.length) {
      throw unprocessable('leader_not_candidate', {
        zh: `包案领导须从本信访事项所在辖区的平台用户中选定；以下用户不可选：${missing.join('、')}。`,
        en: `包案 leaders are picked from the platform's users of this petition's region; these cannot be named: ${missing.join(', ')}.`,
      }, { userIds: missing });
    }
    await tx.query('DELETE FROM petition_leader WHERE case_id = $1', [id]);
    for (const l of leaders) {
      const u = byId.get(l.userId);
      await tx.query(
        `INSERT INTO petition_leader (district_code, case_id, role, name, title, unit_id, user_id, responsibility, assigned_at, assigned_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [regionLevels(c.regionCode).district, id, l.role, u.display_name, l.title ?? null, u.unit_id ?? null, l.userId,
          l.responsibility ?? deps.limits.leaders[l.role as keyof typeof deps.limits.leaders]?.responsibility ?? '', deps.ctx.now(), actor.id]);
    }
    await event(tx, c, 'petition.leaders');
  });
}

// ---------------------------------------------------------------------------------------------
// Leader reception days (领导接访日) and bookings

export async function createReceptionDay(deps: MediationDeps, actor: Actor, b: any): Promise<number> {
  mediationPolicy.assert(actor, 'petition.reception');
  if (!regionScope(actor).has(b.regionCode)) throw unprocessable('outside_scope', { zh: `接访日只能安排在您的辖区内。`, en: 'A reception day is held in your territory.' });
  const [r] = await deps.ctx.db.query('SELECT 1 FROM region WHERE code = $1', [b.regionCode]);
  if (!r) throw unprocessable('unknown_region', { zh: `区划 ${b.regionCode} 不存在。`, en: `Region ${b.regionCode} does not exist.` });
  if (b.day < chinaDate(deps.ctx.now())) throw unprocessable('day_in_past', { zh: `接访日须安排在今天或以后。`, en: 'A reception day is scheduled for today or later.' });
  const [row] = await deps.ctx.db.query<{ id: number }>(
    `INSERT INTO reception_day (district_code, region_code, leader_name, leader_title, day, starts_at, ends_at, place, topics, capacity, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
    [regionLevels(b.regionCode).district, b.regionCode, b.leaderName, b.leaderTitle, b.day, b.startsAt, b.endsAt, b.place, b.topics ?? null, b.capacity, actor.id]);
  return Number(row.id);
}

export async function listReceptionDays(deps: MediationDeps, actor: Actor) {
  mediationPolicy.assert(actor, 'petition.read');
  if (!regionScope(actor).prefixes.length) return { items: [] };
  const params: unknown[] = [chinaDate(deps.ctx.now())];
  const rows = await deps.ctx.db.query<any>(
    `SELECT d.*, (SELECT count(*)::int FROM reception_booking b WHERE b.day_id = d.id AND b.status <> 'cancelled') AS booked
     FROM reception_day d WHERE d.day >= $1 AND ${regionScope(actor).sql('d', params, false)} ORDER BY d.day, d.starts_at LIMIT 200`, params);
  const ids = rows.map((r) => Number(r.id));
  const bookings = ids.length ? await deps.ctx.db.query<any>('SELECT * FROM reception_booking WHERE day_id = ANY($1::bigint[]) ORDER BY id', [ids]) : [];
  return {
    items: rows.map((d) => ({
      id: Number(d.id), regionCode: d.region_code, leaderName: d.leader_name, leaderTitle: d.leader_title, day: day(d.day), startsAt: d.starts_at, endsAt: d.ends_at,
      place: d.place, topics: d.topics, capacity: d.capacity, booked: d.booked,
      bookings: bookings.filter((b) => Number(b.day_id) === Number(d.id)).map((b) => ({
        id: Number(b.id), nameMasked: b.name_masked, phoneMasked: b.phone_masked, matter: b.matter, caseId: b.case_id == null ? null : Number(b.case_id), status: b.status, outcome: b.outcome,
      })),
    })),
  };
}

async function receptionDay(q: Queryable, actor: Actor, id: number, lock = false): Promise<any> {
  const [d] = await q.query<any>(`SELECT * FROM reception_day WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  if (!d || !regionScope(actor).has(d.region_code)) throw notFound({ zh: `接访日 ${id}`, en: `Reception day ${id}` });
  return d;
}

export async function bookReception(deps: MediationDeps, actor: Actor, dayId: number, b: { name: string; phone?: string; matter: string; caseId?: number }): Promise<number> {
  mediationPolicy.assert(actor, 'petition.reception');
  if (b.caseId != null) await petitionCase(deps, actor, b.caseId).catch(() => { throw unprocessable('unknown_petition', { zh: `信访件 ${b.caseId} 不存在或不在您的权限范围内。`, en: `Petition ${b.caseId} does not exist or is outside your scope.` }); });
  return deps.ctx.db.transaction(async (tx) => {
    const d = await receptionDay(tx, actor, dayId, true);
    if (day(d.day)! < chinaDate(deps.ctx.now())) throw conflict('day_passed', { zh: `该接访日已过。`, en: 'This reception day has passed.' });
    const [{ n }] = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM reception_booking WHERE day_id = $1 AND status <> 'cancelled'`, [dayId]);
    if (n >= d.capacity) throw conflict('fully_booked', { zh: `该接访日已约满（${d.capacity} 人）。`, en: `This reception day is fully booked (${d.capacity}).` });
    const { cipher } = deps.ctx;
    const [row] = await tx.query<{ id: number }>(
      `INSERT INTO reception_booking (district_code, day_id, sealed, name_masked, phone_masked, phone_hash, matter, case_id, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [d.district_code, dayId, cipher.encrypt(JSON.stringify({ name: b.name, phone: b.phone ?? null })), maskName(b.name), b.phone ? maskPhone(b.phone) : null,
        b.phone ? cipher.lookupHash(`phone:${b.phone.replace(/[\s-]/g, '')}`) : null, b.matter, b.caseId ?? null, actor.id]);
    return Number(row.id);
  });
}

export async function updateBooking(deps: MediationDeps, actor: Actor, id: number, b: { status: string; outcome?: string }): Promise<void> {
  mediationPolicy.assert(actor, 'petition.reception');
  await deps.ctx.db.transaction(async (tx) => {
    const [bk] = await tx.query<any>('SELECT day_id, status FROM reception_booking WHERE id = $1 FOR UPDATE', [id]);
    if (!bk) throw notFound({ zh: `预约 ${id}`, en: `Booking ${id}` });
    await receptionDay(tx, actor, Number(bk.day_id));
    if (bk.status !== 'booked') throw conflict('booking_closed', { zh: `该预约已接待或已取消。`, en: 'This booking was already received or cancelled.' });
    await tx.query('UPDATE reception_booking SET status = $2, outcome = $3 WHERE id = $1', [id, b.status, b.outcome ?? null]);
  });
}

// ---------------------------------------------------------------------------------------------
// 联席会议: the platform's meetings, with decisions that become cases through the case engine

export function jointMeetingKind(deps: MediationDeps): MeetingKind {
  return {
    kind: 'mediation.joint_meeting',
    label: { zh: '信访联席会议', en: 'Petition joint meeting' },
    mayRead: (actor) => mediationPolicy.can(actor, 'mediation.read'),
    mayHold: (actor) => mediationPolicy.can(actor, 'petition.manage'),
    async toCase(actor, c) {
      const r = await createCase(deps.cases, actor, { ...c, urgency: 'normal', channel: 'web' });
      if (!r.row) throw new AppError(409, 'decision_replayed', { zh: `该决定对应的案件已创建。`, en: 'The decision\'s case was already created.' });
      return { caseId: r.caseId, caseNo: r.row.case_no };
    },
  };
}
