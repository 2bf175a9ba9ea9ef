// The mediation module's effects (named "mediation.…"): what each step of the dispute and petition
// workflows does to the module's own records, run by the case engine inside the transition's transaction,
// so the step and the record change together or not at all. An effect that finds its record incomplete
// (no signed agreement, obligations still open, a request outside its time limit) refuses the step.
import type { EffectDef, EffectInput, CaseRow } from '../cases/index.ts';
import type { Queryable } from '../../platform/db/index.ts';
import type { PersonalDataCipher } from '../../platform/crypto.ts';
import { maskName, maskPhone } from '../../platform/crypto.ts';
import { AppError, conflict, unprocessable } from '../../platform/errors.ts';
import { regionLevels } from '../../platform/scope.ts';
import { addressKey, recomputeRisk } from './risk.ts';
import { chinaDate, deadline, readPetitionLimits, type PetitionLimits } from './limits.ts';
import { normaliseName } from './parties.ts';

/** What 靶向分流 needs saved on the dispute first, by the assignment's field names (PUT …/assignment), named in both languages. */
const ROUTING_NEEDS = [
  { column: 'org_id', field: 'orgId', zh: '调解组织', en: 'the organisation' },
  { column: 'lead_mediator_id', field: 'leadMediatorId', zh: '主办调解员', en: 'the lead mediator' },
  { column: 'investigate_by', field: 'investigateBy', zh: '包调查', en: 'who investigates (包调查)' },
  { column: 'mediate_by', field: 'mediateBy', zh: '包调处', en: 'who mediates (包调处)' },
  { column: 'conclude_by', field: 'concludeBy', zh: '包办结', en: 'who concludes (包办结)' },
  { column: 'follow_up_by', field: 'followUpBy', zh: '包回访', en: 'who follows up (包回访)' },
] as const;

/** The parts of the assignment a dispute row still lacks before it can be routed (empty: it can be). */
export function routingMissing(d: Record<string, unknown>) {
  return ROUTING_NEEDS.filter((n) => d[n.column] == null);
}

/** 人民调解: a dispute is mediated within 30 days of acceptance unless a shorter time is set. */
export const MEDIATION_DAYS = 30;

/** Opens a dispute's record for a case that has none yet (intake by another path, a change of type). */
export async function ensureDispute(q: Queryable, c: CaseRow, now: Date, extra: { convertedFrom?: string; categoryCode?: string; source?: string } = {}): Promise<void> {
  const levels = regionLevels(c.region_code);
  await q.query(
    `INSERT INTO dispute (case_id, district_code, street_code, community_code, region_code, case_no, category_code, title, description,
       address, address_key, source, received_at, converted_from, created_by, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
     ON CONFLICT (case_id, district_code) DO NOTHING`,
    [c.id, c.district_code, levels.street, levels.community, c.region_code, c.case_no, extra.categoryCode ?? c.category_code, c.title, c.description,
      c.address, addressKey(c.address), extra.source ?? 'application', c.created_at, extra.convertedFrom ?? null, c.created_by, now]);
}

export async function ensurePetition(q: Queryable, c: CaseRow, limits: PetitionLimits, cal: EffectInput['calendar'], form = 'visit'): Promise<void> {
  const levels = regionLevels(c.region_code);
  await q.query(
    `INSERT INTO petition (case_id, district_code, street_code, community_code, region_code, case_no, category_code, title, description, form,
       received_at, accept_due_on, created_by, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $11)
     ON CONFLICT (case_id, district_code) DO NOTHING`,
    [c.id, c.district_code, levels.street, levels.community, c.region_code, c.case_no, c.category_code, c.title, c.description, form,
      c.created_at, deadline(new Date(c.created_at), limits.limits.acceptance.days, cal), c.created_by]);
}

const set = async (q: Queryable, table: 'dispute' | 'petition', caseId: number, patch: Record<string, unknown>) => {
  const keys = Object.keys(patch);
  await q.query(`UPDATE ${table} SET ${keys.map((k, i) => `${k} = $${i + 2}`).join(', ')} WHERE case_id = $1`, [caseId, ...keys.map((k) => patch[k])]);
};

async function disputeRow(x: EffectInput): Promise<any> {
  await ensureDispute(x.tx, x.c, x.now);
  const [d] = await x.tx.query<any>('SELECT * FROM dispute WHERE case_id = $1 FOR UPDATE', [x.c.id]);
  return d;
}

async function effectiveAgreement(q: Queryable, caseId: number): Promise<any> {
  const [a] = await q.query<any>(`SELECT * FROM dispute_agreement WHERE case_id = $1 AND status = 'effective' ORDER BY id DESC LIMIT 1 FOR UPDATE`, [caseId]);
  if (!a) throw conflict('no_agreement', { zh: `该纠纷没有已达成的调解协议。`, en: 'This dispute has no concluded agreement.' });
  return a;
}

const closeDispute = (now: Date) => ({ is_open: false, closed_at: now, updated_at: now });

export function mediationEffects(deps: { cipher: PersonalDataCipher; limits: PetitionLimits }): Record<string, EffectDef> {
  const { cipher, limits } = deps;
  const L = limits.limits;
  const eff = (run: (x: EffectInput) => Promise<void>): EffectDef => ({ needs: [], run: (x) => run(x) });
  return {
    /** A 12345 ticket or grid event becomes a dispute: its record opens, with the caller as the applicant. */
    'mediation.dispute_open': eff(async (x) => {
      const c = x.c;
      await ensureDispute(x.tx, c, x.now, { convertedFrom: c.type, categoryCode: x.input.categoryCode ?? c.category_code, source: c.type === 'hotline' ? 'hotline' : 'grid' });
      if (c.reporter_name) {
        const name = cipher.decrypt(c.reporter_name);
        const phone = c.reporter_phone ? cipher.decrypt(c.reporter_phone) : null;
        await x.tx.query(
          `INSERT INTO mediation_party (district_code, case_id, case_kind, role, kind, sealed, name_masked, phone_masked, name_hash, phone_hash)
           VALUES ($1, $2, 'dispute', 'applicant', 'person', $3, $4, $5, $6, $7)`,
          [c.district_code, c.id, cipher.encrypt(JSON.stringify({ name, idNumber: null, phone, address: c.address ?? null })), maskName(name),
            phone ? maskPhone(phone) : null, phone ? null : cipher.lookupHash(`person:${normaliseName(name)}`),
            phone ? cipher.lookupHash(`phone:${phone.replace(/[\s-]/g, '')}`) : null]);
      }
      await recomputeRisk(x.tx, Number(c.id), x.now);
    }),
    'mediation.dispute_accept': eff(async (x) => {
      const d = await disputeRow(x);
      await set(x.tx, 'dispute', x.c.id, { accepted_at: x.now, limit_on: d.limit_on ?? deadline(x.now, MEDIATION_DAYS, x.calendar), updated_at: x.now });
    }),
    'mediation.dispute_decline': eff(async (x) => {
      await disputeRow(x);
      await set(x.tx, 'dispute', x.c.id, { ...closeDispute(x.now), result_text: x.input.reason });
    }),
    /** 靶向分流: the organisation, the lead mediator and the 四包 roles must be named (saved) first. */
    'mediation.dispute_route': eff(async (x) => {
      const d = await disputeRow(x);
      const missing = routingMissing(d);
      if (missing.length) {
        throw unprocessable('assignment_incomplete',
          { zh: `分流前请先保存分流与四包信息；尚未指定：${missing.map((m) => m.zh).join('、')}。`, en: `Save the assignment (分流与四包) before routing; not yet named: ${missing.map((m) => m.en).join(', ')}.` },
          { missing: missing.map((m) => m.field), zh: `请先保存分流与四包：尚未指定${missing.map((m) => m.zh).join('、')}。` });
      }
    }),
    'mediation.mediation_start': eff(async (x) => { await disputeRow(x); }),
    /** 达成协议: the drafted agreement, signed by every applicant and respondent, takes effect. */
    'mediation.agreement_conclude': eff(async (x) => {
      await disputeRow(x);
      const [a] = await x.tx.query<any>(`SELECT * FROM dispute_agreement WHERE case_id = $1 AND status = 'draft' ORDER BY id DESC LIMIT 1 FOR UPDATE`, [x.c.id]);
      if (!a) throw unprocessable('no_agreement_draft', { zh: `请先起草调解协议书并列明履行义务。`, en: 'Draft the agreement (调解协议书) with its obligations first.' });
      const unsigned = await x.tx.query<{ name_masked: string }>(
        `SELECT p.name_masked FROM mediation_party p WHERE p.case_id = $1 AND p.role IN ('applicant', 'respondent')
         AND NOT EXISTS (SELECT 1 FROM dispute_signature s WHERE s.agreement_id = $2 AND s.party_id = p.id)`, [x.c.id, a.id]);
      if (unsigned.length) throw unprocessable('signatures_missing', { zh: `须各方当事人先在协议上签字；尚未签字：${unsigned.map((u) => u.name_masked).join('、')}。`, en: `Every party signs the agreement first; missing: ${unsigned.map((u) => u.name_masked).join('、')}.` }, { missing: unsigned.map((u) => u.name_masked) });
      await x.tx.query(`UPDATE dispute_agreement SET status = 'effective', concluded_at = $2 WHERE id = $1`, [a.id, x.now]);
      await set(x.tx, 'dispute', x.c.id, { success: true, agreed_at: x.now, updated_at: x.now });
      await recomputeRisk(x.tx, Number(x.c.id), x.now);
    }),
    'mediation.mediation_fail': eff(async (x) => {
      await disputeRow(x);
      await set(x.tx, 'dispute', x.c.id, { success: false, failed_at: x.now, failure_reason: x.input.reason, updated_at: x.now });
      await recomputeRisk(x.tx, Number(x.c.id), x.now);
    }),
    /** 履行完毕: every obligation performed; the planned follow-up visit is scheduled (due today at the earliest). */
    'mediation.performance_complete': eff(async (x) => {
      await disputeRow(x);
      const a = await effectiveAgreement(x.tx, x.c.id);
      const open = await x.tx.query<{ seq: number }>(`SELECT seq FROM dispute_obligation WHERE agreement_id = $1 AND status <> 'performed' ORDER BY seq`, [a.id]);
      if (open.length) throw conflict('obligations_open', { zh: `尚未履行的义务：第 ${open.map((o) => o.seq).join('、')} 项。`, en: `Obligations not yet performed: ${open.map((o) => o.seq).join(', ')}.` }, { open: open.map((o) => o.seq) });
      const today = chinaDate(x.now);
      const planned = a.follow_up_on instanceof Date ? chinaDate(a.follow_up_on) : String(a.follow_up_on).slice(0, 10);
      await x.tx.query('INSERT INTO dispute_follow_up (district_code, region_code, case_id, due_on) VALUES ($1, $2, $3, $4)',
        [x.c.district_code, x.c.region_code, x.c.id, planned < today ? today : planned]);
      await set(x.tx, 'dispute', x.c.id, { updated_at: x.now });
    }),
    'mediation.performance_breach': eff(async (x) => {
      await disputeRow(x);
      await effectiveAgreement(x.tx, x.c.id);
      await set(x.tx, 'dispute', x.c.id, { success: false, failed_at: x.now, failure_reason: x.input.reason, updated_at: x.now });
      await recomputeRisk(x.tx, Number(x.c.id), x.now);
    }),
    /** 申请司法确认 of the concluded agreement, at a named court. */
    'mediation.confirmation_apply': eff(async (x) => {
      await disputeRow(x);
      const a = await effectiveAgreement(x.tx, x.c.id);
      if (a.judicial_status === 'applied' || a.judicial_status === 'confirmed') throw conflict('confirmation_exists', { zh: `已申请司法确认。`, en: 'Judicial confirmation was already applied for.' });
      await x.tx.query(`UPDATE dispute_agreement SET judicial_status = 'applied', judicial_court = $2, judicial_applied_at = $3, judicial_note = $4 WHERE id = $1`,
        [a.id, x.input.court, x.now, x.input.note ?? null]);
    }),
    'mediation.confirmation_grant': eff(async (x) => {
      await disputeRow(x);
      const a = await effectiveAgreement(x.tx, x.c.id);
      await x.tx.query(`UPDATE dispute_agreement SET judicial_status = 'confirmed', judicial_ruled_at = $2, judicial_ruling_no = $3, judicial_note = coalesce($4, judicial_note) WHERE id = $1`,
        [a.id, x.now, x.input.rulingNo ?? null, x.input.note ?? null]);
    }),
    'mediation.confirmation_refuse': eff(async (x) => {
      await disputeRow(x);
      const a = await effectiveAgreement(x.tx, x.c.id);
      await x.tx.query(`UPDATE dispute_agreement SET judicial_status = 'refused', judicial_ruled_at = $2, judicial_ruling_no = $3, judicial_note = $4 WHERE id = $1`,
        [a.id, x.now, x.input.rulingNo ?? null, x.input.reason]);
      await set(x.tx, 'dispute', x.c.id, { success: false, failed_at: x.now, failure_reason: x.input.reason, updated_at: x.now });
    }),
    /** 回访完毕: every follow-up visit recorded, the dispute ends resolved. */
    'mediation.follow_up_close': eff(async (x) => {
      await disputeRow(x);
      const [f] = await x.tx.query<{ done: number; pending: number }>(
        `SELECT count(*) FILTER (WHERE done_at IS NOT NULL)::int AS done, count(*) FILTER (WHERE done_at IS NULL)::int AS pending
         FROM dispute_follow_up WHERE case_id = $1`, [x.c.id]);
      if (!f.done || f.pending) throw conflict('follow_up_pending', { zh: `结案前请先填写回访记录。`, en: 'Record the follow-up visit (回访记录) before closing.' });
      await set(x.tx, 'dispute', x.c.id, closeDispute(x.now));
    }),
    /** 对接移交: the prepared docking is sent, with the case file (its documents). */
    'mediation.docking_transfer': eff(async (x) => {
      await disputeRow(x);
      const [k] = await x.tx.query<any>(`SELECT * FROM dispute_docking WHERE case_id = $1 AND status = 'draft' ORDER BY id DESC LIMIT 1 FOR UPDATE`, [x.c.id]);
      if (!k) throw unprocessable('no_docking_draft', { zh: `请先准备对接：对接方式（诉调、仲调、访调、检调、警调）及接收机构。`, en: 'Prepare the docking first: to whom (诉调, 仲调, 访调, 检调, 警调) and which body receives it.' });
      const manifest = await caseFileManifest(x.tx, Number(x.c.id));
      await x.tx.query(`UPDATE dispute_docking SET status = 'transferred', transferred_at = $2, file_manifest = $3::jsonb WHERE id = $1`, [k.id, x.now, JSON.stringify(manifest)]);
      await set(x.tx, 'dispute', x.c.id, { updated_at: x.now });
    }),
    'mediation.docking_conclude': eff(async (x) => {
      await disputeRow(x);
      const [k] = await x.tx.query<any>(`SELECT id FROM dispute_docking WHERE case_id = $1 AND status = 'transferred' ORDER BY id DESC LIMIT 1 FOR UPDATE`, [x.c.id]);
      if (!k) throw conflict('no_docking', { zh: `该纠纷没有等待结果的对接。`, en: 'No docking of this dispute is waiting for its result.' });
      await x.tx.query(`UPDATE dispute_docking SET status = 'concluded', result = $2, concluded_at = $3 WHERE id = $1`, [k.id, x.input.result, x.now]);
      await set(x.tx, 'dispute', x.c.id, { ...closeDispute(x.now), result_text: x.input.result });
    }),
    'mediation.dispute_end': eff(async (x) => {
      await disputeRow(x);
      await set(x.tx, 'dispute', x.c.id, { ...closeDispute(x.now), result_text: x.input.reason });
    }),

    // -------------------------------------------------------------------------------------------
    // Petitions: deadlines in calendar days (limits.ts)

    'mediation.petition_accept': eff(async (x) => {
      await ensurePetition(x.tx, x.c, limits, x.calendar);
      await set(x.tx, 'petition', x.c.id, { accepted_at: x.now, handle_due_on: deadline(x.now, L.processing.days, x.calendar), updated_at: x.now });
    }),
    'mediation.petition_refuse': eff(async (x) => {
      await ensurePetition(x.tx, x.c, limits, x.calendar);
      await set(x.tx, 'petition', x.c.id, { is_open: false, concluded_at: x.now, updated_at: x.now });
    }),
    'mediation.petition_extend': eff(async (x) => {
      await ensurePetition(x.tx, x.c, limits, x.calendar);
      const [p] = await x.tx.query<any>('SELECT extended, handle_due_on FROM petition WHERE case_id = $1 FOR UPDATE', [x.c.id]);
      if (p.extended) throw conflict('already_extended', { zh: `办理期限已延长过；《信访工作条例》只允许延长一次，最长 ${L.processing.extendableDays} 天。`, en: `The time limit was already extended; 《信访工作条例》 allows one extension of up to ${L.processing.extendableDays} days.` });
      if (!p.handle_due_on) throw conflict('not_accepted', { zh: `该信访件尚未设定办理期限。`, en: 'The petition has no handling time limit yet.' });
      const due = p.handle_due_on instanceof Date ? chinaDate(p.handle_due_on) : String(p.handle_due_on).slice(0, 10);
      await set(x.tx, 'petition', x.c.id, { extended: true, handle_due_on: deadline(due, L.processing.extendableDays ?? 30, x.calendar), updated_at: x.now });
    }),
    'mediation.petition_answer': eff(async (x) => {
      await ensurePetition(x.tx, x.c, limits, x.calendar);
      await set(x.tx, 'petition', x.c.id, { answered_at: x.now, review_request_until: deadline(x.now, L.reviewRequest.days, x.calendar), updated_at: x.now });
    }),
    'mediation.petition_review_request': eff(async (x) => {
      const p = await petitionRow(x);
      requestInTime(x.now, p.review_request_until, '复查');
      await set(x.tx, 'petition', x.c.id, { review_requested_at: x.now, review_due_on: deadline(x.now, L.review.days, x.calendar), updated_at: x.now });
    }),
    'mediation.petition_review_answer': eff(async (x) => {
      await petitionRow(x);
      await set(x.tx, 'petition', x.c.id, { review_answered_at: x.now, recheck_request_until: deadline(x.now, L.recheckRequest.days, x.calendar), updated_at: x.now });
    }),
    'mediation.petition_recheck_request': eff(async (x) => {
      const p = await petitionRow(x);
      requestInTime(x.now, p.recheck_request_until, '复核');
      await set(x.tx, 'petition', x.c.id, { recheck_requested_at: x.now, recheck_due_on: deadline(x.now, L.recheck.days, x.calendar), updated_at: x.now });
    }),
    /** 办结: after the final 复核, when the petitioner accepts, or once the time to ask for review has passed. */
    'mediation.petition_conclude': eff(async (x) => {
      const p = await petitionRow(x);
      const final = p.recheck_requested_at != null;
      if (!final && x.input.petitionerAccepts !== true) {
        const until = p.review_answered_at ? p.recheck_request_until : p.review_request_until;
        const last = until instanceof Date ? chinaDate(until) : until ? String(until).slice(0, 10) : null;
        if (last && chinaDate(x.now) <= last) {
          throw conflict('review_window_open', { zh: `信访人在 ${last} 前仍可申请${p.review_answered_at ? '复核' : '复查'}；请在此之后办结，或在信访人接受答复后办结。`, en: `The petitioner may still ask for ${p.review_answered_at ? '复核' : '复查'} until ${last}; conclude after that, or when the petitioner accepts the answer.` }, { until: last });
        }
      }
      await set(x.tx, 'petition', x.c.id, { is_open: false, concluded_at: x.now, updated_at: x.now, ...(p.backlog ? { backlog_closed_at: x.now } : {}) });
    }),
  };

  async function petitionRow(x: EffectInput): Promise<any> {
    await ensurePetition(x.tx, x.c, limits, x.calendar);
    const [p] = await x.tx.query<any>('SELECT * FROM petition WHERE case_id = $1 FOR UPDATE', [x.c.id]);
    return p;
  }
}

function requestInTime(now: Date, until: unknown, what: string): void {
  const last = until instanceof Date ? chinaDate(until) : until ? String(until).slice(0, 10) : null;
  if (!last) throw conflict('no_answer', { zh: `尚无可申请复查的答复意见。`, en: 'There is no answer to ask a review of.' });
  if (chinaDate(now) > last) throw new AppError(409, 'request_too_late', { zh: `申请${what}须在 ${last} 前提出。`, en: `A request for ${what} had to be made by ${last}.` }, { until: last });
}

/** The documents of a dispute's case file (what transfers with a docking). */
export async function caseFileManifest(q: Queryable, caseId: number): Promise<Array<{ document: string; count: number }>> {
  const [r] = await q.query<any>(
    `SELECT (SELECT count(*)::int FROM dispute_investigation WHERE case_id = $1) AS investigations,
            (SELECT count(*)::int FROM dispute_session WHERE case_id = $1 AND status = 'held') AS sessions,
            (SELECT count(*)::int FROM dispute_agreement WHERE case_id = $1 AND status <> 'draft') AS agreements,
            (SELECT count(*)::int FROM dispute_follow_up WHERE case_id = $1 AND done_at IS NOT NULL) AS follow_ups`, [caseId]);
  return [
    { document: 'registration', count: 1 },
    { document: 'investigation', count: r.investigations },
    { document: 'session', count: r.sessions },
    { document: 'agreement', count: r.agreements },
    { document: 'follow_up', count: r.follow_ups },
  ].filter((d) => d.count > 0);
}

export { readPetitionLimits };
