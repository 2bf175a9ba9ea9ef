// 社会稳定风险评估 (稳评): a major decision and its stability risk assessment — risk points with importance
// and urgency, public consultation, expert review, a rating (low/medium/high) and a conclusion. The field
// reports make it "a required step before major decisions" (刚性门槛): a decision is approved only with a
// completed assessment whose conclusion lets it go ahead. The report's content is assembled here; the
// shared documents module renders it as a Chinese PDF.
import type { Actor } from '../../platform/auth/actor.ts';
import type { Db, Queryable } from '../../platform/db/index.ts';
import { AppError, conflict, notFound, unprocessable } from '../../platform/errors.ts';
import { regionScope } from '../../platform/scope.ts';
import { riskPolicy } from './policy.ts';
import type {
  AssessmentCompleteT, ConsultationT, DecisionCreateT, DecisionDecideT, ExpertReviewT, RiskPointT,
} from './contracts.ts';

const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);

/** What a completed assessment must hold before it can conclude. */
export function missingForCompletion(a: { riskPoints: number; consultations: number; reviews: number }): string[] {
  const out: string[] = [];
  if (!a.riskPoints) out.push('risk_points');
  if (!a.consultations) out.push('consultation');
  if (!a.reviews) out.push('expert_review');
  return out;
}

/** The conclusions that let a decision go ahead. */
export const proceeding = ['proceed', 'proceed_with_measures'];

/** A risk point's priority: importance × urgency (1–25), the order the report lists them in. */
export const priority = (p: { importance: number; urgency: number }) => p.importance * p.urgency;

/** Decisions the actor may see: its territory's, and those of the owner unit for a department. */
function decisionVisible(actor: Actor, params: unknown[], alias = 'd'): string {
  const parts = [regionScope(actor).sql(alias, params, false)];
  if (actor.unitId) { params.push(actor.unitId); parts.push(`${alias}.owner_unit_id = $${params.length}`); }
  return `(${parts.join(' OR ')})`;
}

async function loadDecision(q: Queryable, actor: Actor, id: number, lock = false): Promise<any> {
  const params: unknown[] = [id];
  const [d] = await q.query<any>(`SELECT d.* FROM major_decision d WHERE d.id = $1 AND ${decisionVisible(actor, params)}${lock ? ' FOR UPDATE' : ''}`, params);
  if (!d) throw notFound({ zh: `重大决策 ${id}`, en: `Decision ${id}` });
  return d;
}

export async function createDecision(q: Queryable, actor: Actor, input: DecisionCreateT, now: Date) {
  riskPolicy.assert(actor, 'risk.assessment.write');
  const region = input.regionCode ?? actor.regionCode;
  if (!regionScope(actor).within(region)) throw notFound({ zh: `区划 ${region}`, en: `Region ${region}` });
  const [r] = await q.query<{ level: string }>('SELECT level FROM region WHERE code = $1', [region]);
  if (!r) throw unprocessable('unknown_region', { zh: `区划 ${region} 不存在。`, en: `Region ${region} does not exist.` });
  if (input.ownerUnitId) {
    const [u] = await q.query('SELECT 1 FROM unit WHERE id = $1 AND active', [input.ownerUnitId]);
    if (!u) throw unprocessable('unknown_unit', { zh: `单位 ${input.ownerUnitId} 不存在。`, en: `Unit ${input.ownerUnitId} does not exist.` });
  }
  const [d] = await q.query<{ id: number }>(
    `INSERT INTO major_decision (district_code, region_code, title, kind, description, owner_unit_id, created_by, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
    [region.slice(0, 6), region, input.title, input.kind, input.description, input.ownerUnitId ?? actor.unitId ?? null, actor.id, now]);
  return getDecision(q, actor, Number(d.id));
}

export async function listDecisions(q: Queryable, actor: Actor, query: { status?: string }) {
  riskPolicy.assert(actor, 'risk.assessment.read');
  const params: unknown[] = [];
  const where = [decisionVisible(actor, params)];
  if (query.status) { params.push(query.status); where.push(`d.status = $${params.length}`); }
  const rows = await q.query<any>(
    `SELECT d.*, r.name AS region_name, u.name AS unit_name,
       (SELECT a.status FROM stability_assessment a WHERE a.decision_id = d.id AND a.district_code = d.district_code ORDER BY a.id DESC LIMIT 1) AS assessment_status,
       (SELECT a.rating FROM stability_assessment a WHERE a.decision_id = d.id AND a.district_code = d.district_code ORDER BY a.id DESC LIMIT 1) AS assessment_rating
     FROM major_decision d LEFT JOIN region r ON r.code = d.region_code LEFT JOIN unit u ON u.id = d.owner_unit_id
     WHERE ${where.join(' AND ')} ORDER BY d.id DESC LIMIT 500`, params);
  return { items: rows.map((d) => ({ ...decisionView(d), assessmentStatus: d.assessment_status ?? null, assessmentRating: d.assessment_rating ?? null })) };
}

function decisionView(d: any) {
  return {
    id: Number(d.id), regionCode: d.region_code, regionName: d.region_name ?? null, title: d.title, kind: d.kind, description: d.description,
    ownerUnitId: d.owner_unit_id, ownerUnitName: d.unit_name ?? null, status: d.status, decidedBy: d.decided_by == null ? null : Number(d.decided_by),
    decidedAt: iso(d.decided_at), decisionNote: d.decision_note, createdAt: iso(d.created_at),
  };
}

async function assessmentsOf(q: Queryable, decisionId: number, district: string) {
  const rows = await q.query<any>('SELECT * FROM stability_assessment WHERE decision_id = $1 AND district_code = $2 ORDER BY id', [decisionId, district]);
  const out = [];
  for (const a of rows) {
    const points = await q.query<any>('SELECT * FROM assessment_risk_point WHERE assessment_id = $1 AND district_code = $2 ORDER BY importance * urgency DESC, id', [a.id, district]);
    const consultations = await q.query<any>(`SELECT *, to_char(held_on, 'YYYY-MM-DD') AS held FROM assessment_consultation WHERE assessment_id = $1 AND district_code = $2 ORDER BY held_on, id`, [a.id, district]);
    const reviews = await q.query<any>(`SELECT *, to_char(reviewed_on, 'YYYY-MM-DD') AS reviewed FROM assessment_expert_review WHERE assessment_id = $1 AND district_code = $2 ORDER BY reviewed_on, id`, [a.id, district]);
    out.push({
      id: Number(a.id), status: a.status, assessorUnitId: a.assessor_unit_id, rating: a.rating, conclusion: a.conclusion, conclusionText: a.conclusion_text,
      startedAt: iso(a.started_at), completedAt: iso(a.completed_at),
      riskPoints: points.map((p) => ({ id: Number(p.id), description: p.description, category: p.category, importance: p.importance, urgency: p.urgency, priority: priority(p), measures: p.measures, owner: p.owner })),
      consultations: consultations.map((c) => ({ id: Number(c.id), method: c.method, heldOn: c.held, participants: c.participants, support: c.support, oppose: c.oppose, summary: c.summary })),
      expertReviews: reviews.map((r) => ({ id: Number(r.id), expertName: r.expert_name, field: r.field, opinion: r.opinion, recommendation: r.recommendation, reviewedOn: r.reviewed })),
    });
  }
  return out;
}

export async function getDecision(q: Queryable, actor: Actor, id: number) {
  riskPolicy.assert(actor, 'risk.assessment.read');
  const d = await loadDecision(q, actor, id);
  const [names] = await q.query<any>('SELECT (SELECT name FROM region WHERE code = $1) AS region_name, (SELECT name FROM unit WHERE id = $2) AS unit_name', [d.region_code, d.owner_unit_id]);
  return { ...decisionView({ ...d, ...names }), assessments: await assessmentsOf(q, id, d.district_code) };
}

/** Starts the decision's assessment (one under way at a time). */
export async function startAssessment(db: Db, actor: Actor, decisionId: number, input: { assessorUnitId?: string }, now: Date) {
  riskPolicy.assert(actor, 'risk.assessment.write');
  await db.transaction(async (tx) => {
    const d = await loadDecision(tx, actor, decisionId, true);
    if (d.status !== 'draft') throw conflict('decision_decided', { zh: `该决策当前状态为“${d.status}”，稳评须在决策作出前进行。`, en: `The decision is ${d.status}; it is assessed before it is decided.` });
    const [open] = await tx.query('SELECT 1 FROM stability_assessment WHERE decision_id = $1 AND district_code = $2 AND status = $3', [decisionId, d.district_code, 'in_progress']);
    if (open) throw conflict('assessment_under_way', { zh: `该决策的风险评估已在进行中。`, en: 'An assessment of this decision is under way already.' });
    await tx.query(`INSERT INTO stability_assessment (district_code, decision_id, assessor_unit_id, started_by, started_at) VALUES ($1, $2, $3, $4, $5)`,
      [d.district_code, decisionId, input.assessorUnitId ?? actor.unitId ?? null, actor.id, now]);
  });
  return getDecision(db, actor, decisionId);
}

/** The assessment under way of a decision the actor may write to. */
async function openAssessment(tx: Queryable, actor: Actor, decisionId: number): Promise<{ id: number; district: string }> {
  riskPolicy.assert(actor, 'risk.assessment.write');
  const d = await loadDecision(tx, actor, decisionId, true);
  const [a] = await tx.query<any>('SELECT id FROM stability_assessment WHERE decision_id = $1 AND district_code = $2 AND status = $3 FOR UPDATE',
    [decisionId, d.district_code, 'in_progress']);
  if (!a) throw conflict('no_assessment_under_way', { zh: `请先启动该决策的风险评估。`, en: 'Start an assessment of this decision first.' });
  return { id: Number(a.id), district: d.district_code };
}

export async function addRiskPoint(db: Db, actor: Actor, decisionId: number, p: RiskPointT) {
  await db.transaction(async (tx) => {
    const a = await openAssessment(tx, actor, decisionId);
    await tx.query(`INSERT INTO assessment_risk_point (district_code, assessment_id, description, category, importance, urgency, measures, owner)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [a.district, a.id, p.description, p.category, p.importance, p.urgency, p.measures ?? null, p.owner ?? null]);
  });
  return getDecision(db, actor, decisionId);
}

export async function addConsultation(db: Db, actor: Actor, decisionId: number, c: ConsultationT) {
  if (c.support + c.oppose > c.participants) throw unprocessable('consultation_counts', { zh: `赞成和反对人数之和不能超过参与人数。`, en: 'Those for and against cannot outnumber the participants.' });
  await db.transaction(async (tx) => {
    const a = await openAssessment(tx, actor, decisionId);
    await tx.query(`INSERT INTO assessment_consultation (district_code, assessment_id, method, held_on, participants, support, oppose, summary)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [a.district, a.id, c.method, c.heldOn, c.participants, c.support, c.oppose, c.summary]);
  });
  return getDecision(db, actor, decisionId);
}

export async function addExpertReview(db: Db, actor: Actor, decisionId: number, r: ExpertReviewT) {
  await db.transaction(async (tx) => {
    const a = await openAssessment(tx, actor, decisionId);
    await tx.query(`INSERT INTO assessment_expert_review (district_code, assessment_id, expert_name, field, opinion, recommendation, reviewed_on)
      VALUES ($1, $2, $3, $4, $5, $6, $7)`, [a.district, a.id, r.expertName, r.field, r.opinion, r.recommendation, r.reviewedOn]);
  });
  return getDecision(db, actor, decisionId);
}

/** Rates and concludes the assessment: only with risk points, a consultation and an expert review on record. */
export async function completeAssessment(db: Db, actor: Actor, decisionId: number, input: AssessmentCompleteT, now: Date) {
  await db.transaction(async (tx) => {
    const a = await openAssessment(tx, actor, decisionId);
    const [n] = await tx.query<{ p: number; c: number; r: number; disagree: number }>(
      `SELECT (SELECT count(*)::int FROM assessment_risk_point WHERE assessment_id = $1 AND district_code = $2) AS p,
              (SELECT count(*)::int FROM assessment_consultation WHERE assessment_id = $1 AND district_code = $2) AS c,
              (SELECT count(*)::int FROM assessment_expert_review WHERE assessment_id = $1 AND district_code = $2) AS r,
              (SELECT count(*)::int FROM assessment_expert_review WHERE assessment_id = $1 AND district_code = $2 AND recommendation = 'disagree') AS disagree`,
      [a.id, a.district]);
    const missing = missingForCompletion({ riskPoints: n.p, consultations: n.c, reviews: n.r });
    if (missing.length) throw new AppError(409, 'assessment_incomplete', { zh: `评估还缺少：${missing.join('、')}。`, en: `The assessment lacks: ${missing.join(', ')}.` }, { missing });
    // a high rating cannot simply proceed: at most with measures, as the field reports' 稳评 rules have it
    if (input.rating === 'high' && input.conclusion === 'proceed') {
      throw unprocessable('conclusion_rating_mismatch', { zh: `风险等级为高时，评估结论不能为“可以实施”，请选择采取措施后实施、暂缓或不实施。`, en: 'A high risk rating cannot conclude "proceed"; conclude with measures, postpone or abandon.' });
    }
    await tx.query(
      `UPDATE stability_assessment SET status = 'completed', rating = $3, conclusion = $4, conclusion_text = $5, completed_by = $6, completed_at = $7
       WHERE id = $1 AND district_code = $2`, [a.id, a.district, input.rating, input.conclusion, input.conclusionText, actor.id, now]);
  });
  return getDecision(db, actor, decisionId);
}

/** The gate: approving needs a completed assessment that lets the decision go ahead; turning it down or withdrawing does not. */
export async function decide(db: Db, actor: Actor, decisionId: number, input: DecisionDecideT, now: Date) {
  riskPolicy.assert(actor, input.status === 'approved' ? 'risk.decision.approve' : 'risk.assessment.write');
  await db.transaction(async (tx) => {
    const d = await loadDecision(tx, actor, decisionId, true);
    if (d.status !== 'draft') throw conflict('decision_decided', { zh: `该决策已处于“${d.status}”状态。`, en: `The decision is ${d.status} already.` });
    if (input.status === 'approved') {
      const [a] = await tx.query<any>(
        `SELECT status, conclusion FROM stability_assessment WHERE decision_id = $1 AND district_code = $2 ORDER BY id DESC LIMIT 1`, [decisionId, d.district_code]);
      if (!a || a.status !== 'completed') {
        throw conflict('assessment_required', { zh: `重大决策须在社会稳定风险评估（稳评）完成后才能批准。`, en: 'A major decision is approved only after its stability risk assessment (稳评) is completed.' });
      }
      if (!proceeding.includes(a.conclusion)) {
        throw conflict('assessment_against', { zh: `评估结论为“${a.conclusion}”，不能据此批准该决策。`, en: `The assessment concluded "${a.conclusion}"; the decision cannot be approved on it.` }, { conclusion: a.conclusion });
      }
    }
    await tx.query('UPDATE major_decision SET status = $3, decided_by = $4, decided_at = $5, decision_note = $6, updated_at = $5 WHERE id = $1 AND district_code = $2',
      [decisionId, d.district_code, input.status, actor.id, now, input.note ?? null]);
  });
  return getDecision(db, actor, decisionId);
}

/**
 * What the 稳评 report says, in order (for the documents module's Chinese PDF): the decision, the
 * assessment's method (consultations, experts), the risk points by priority with their measures, the
 * rating and the conclusion. Every label is Chinese: the report is an official document.
 */
export async function assessmentReportContent(q: Queryable, actor: Actor, decisionId: number) {
  const d = await getDecision(q, actor, decisionId);
  const a = [...d.assessments].reverse().find((x) => x.status === 'completed');
  if (!a) throw conflict('assessment_required', { zh: `只有已完成的评估才能生成报告。`, en: 'The report is made of a completed assessment.' });
  const kinds: Record<string, string> = { project: '重大项目', policy: '重大政策', reform: '重大改革', other: '其他重大事项' };
  const methods: Record<string, string> = { hearing: '听证会', survey: '问卷调查', forum: '座谈会', publication: '公示', visit: '走访' };
  const ratings: Record<string, string> = { low: '低风险', medium: '中风险', high: '高风险' };
  const conclusions: Record<string, string> = { proceed: '可以实施', proceed_with_measures: '落实风险防范化解措施后实施', postpone: '暂缓实施', abandon: '不予实施' };
  const recs: Record<string, string> = { agree: '同意', agree_with_conditions: '有条件同意', disagree: '不同意' };
  return {
    title: `关于“${d.title}”的社会稳定风险评估报告`,
    decision: { title: d.title, kind: kinds[d.kind], region: d.regionName, ownerUnit: d.ownerUnitName, description: d.description },
    assessment: { startedAt: a.startedAt, completedAt: a.completedAt },
    assessorUnit: a.assessorUnitId ? (await q.query<{ name: string }>('SELECT name FROM unit WHERE id = $1', [a.assessorUnitId]))[0]?.name ?? null : null,
    consultations: a.consultations.map((c) => ({
      method: methods[c.method], heldOn: c.heldOn, participants: c.participants, support: c.support, oppose: c.oppose,
      supportRate: c.participants ? Math.round((c.support / c.participants) * 1000) / 10 : null, summary: c.summary,
    })),
    expertReviews: a.expertReviews.map((r) => ({ expert: r.expertName, field: r.field, recommendation: recs[r.recommendation], opinion: r.opinion, reviewedOn: r.reviewedOn })),
    riskPoints: a.riskPoints.map((p, i) => ({ no: i + 1, description: p.description, category: p.category, importance: p.importance, urgency: p.urgency, priority: p.priority, measures: p.measures, owner: p.owner })),
    rating: { code: a.rating, label: ratings[a.rating ?? ''] },
    conclusion: { code: a.conclusion, label: conclusions[a.conclusion ?? ''], text: a.conclusionText },
  };
}
