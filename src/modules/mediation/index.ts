// The mediation module (矛盾纠纷多元化解 and 信访): its public surface. Other modules and the app use only
// what is exported here: the case types and effects the app gives the case engine, the module's wiring,
// its policy, and the dispute risk scores the risk module's alert rules read.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/index.ts';
import type { Meetings } from '../../platform/meetings/index.ts';
import type { CaseEngine, EffectDef } from '../cases/index.ts';
import type { MediationDeps } from './deps.ts';
import { mediationEffects, readPetitionLimits, ensureDispute, ensurePetition } from './effects.ts';
import { mediationRoutes } from './routes.ts';
import { jointMeetingKind } from './petitions.ts';
import { followDockings } from './docking.ts';
import { dispute, petition } from './types/index.ts';
import { reasonText, RISK_SCORED, type RiskReason } from './risk.ts';

export { mediationCaseTypes } from './types/index.ts';
export { mediationPolicy } from './policy.ts';
export { scoreRisk, THREAT_WORDS, VIOLENCE_WORDS, type RiskScore, type RiskReason, type RiskSignal } from './risk.ts';
export { deadline, readPetitionLimits, type PetitionLimits } from './limits.ts';
export type { MediationDeps } from './deps.ts';
export { seedMediationDemo, seedMediationCases } from './demo.ts';

/** The effects the module's case types name ("mediation.…"), for createCaseEngine. */
export function mediationCaseEffects(ctx: AppContext): Record<string, EffectDef> {
  return mediationEffects({ cipher: ctx.cipher, limits: readPetitionLimits() });
}

/**
 * Wires the module to the case engine: a dispute or petition reported through any path gets its record
 * at once, and joint meetings (联席会议) are registered with the platform's meetings.
 */
export function createMediation(engine: CaseEngine, meetings: Meetings): MediationDeps {
  const deps: MediationDeps = { ctx: engine.deps.ctx, cases: engine.deps, limits: readPetitionLimits() };
  engine.onReported(async (row) => {
    if (row.type === dispute.type) await ensureDispute(deps.ctx.db, row, deps.ctx.now());
    else if (row.type === petition.type) await ensurePetition(deps.ctx.db, row, deps.limits, deps.ctx.calendar);
    return false;
  });
  engine.onTransitioned(followDockings(deps));
  meetings.register(jointMeetingKind(deps));
  return deps;
}

export function mediationModule(app: FastifyInstance, deps: MediationDeps): void {
  mediationRoutes(app, deps);
}

export interface DisputeRisk {
  caseId: number; caseNo: string; districtCode: string; regionCode: string; categoryCode: string; isOpen: boolean;
  score: number; level: 'low' | 'medium' | 'high' | 'critical'; reasons: RiskReason[]; at: string | null;
}

const riskOf = (r: any): DisputeRisk => ({
  caseId: Number(r.case_id), caseNo: r.case_no, districtCode: r.district_code, regionCode: r.region_code, categoryCode: r.category_code,
  isOpen: r.is_open, score: r.risk_score, level: r.risk_level, reasons: r.risk_reasons, at: r.risk_at ? new Date(r.risk_at).toISOString() : null,
});
const RISK_COLUMNS = 'case_id, case_no, district_code, region_code, category_code, is_open, risk_score, risk_level, risk_reasons, risk_at';

/** One dispute's 民转刑 risk score with its reasons (null when the case is not a dispute). For the risk module's alert rules. */
export async function disputeRisk(q: Queryable, caseId: number): Promise<DisputeRisk | null> {
  const [r] = await q.query<any>(`SELECT ${RISK_COLUMNS} FROM dispute WHERE case_id = $1`, [caseId]);
  return r ? riskOf(r) : null;
}

/** A dispute's score as the risk module's rules read it: reasons in one line each. */
export interface DisputeRiskScore { caseId: number; caseNo: string; regionCode: string; score: number; reasons: string[]; at: Date }

/**
 * The feed of 民转刑 scores for the risk module's dispute_risk rule (src/app.ts connects them): the scores
 * computed in a period, for back-tests (each dispute's latest score only: earlier scores are not kept), and
 * every changed score as it commits (the dispute.risk_scored event).
 */
export function disputeRiskFeed(ctx: AppContext) {
  return {
    async scoresBetween(regionPrefix: string, from: Date, to: Date): Promise<DisputeRiskScore[]> {
      const rows = await ctx.db.query<any>(
        `SELECT case_id, case_no, region_code, risk_score, risk_reasons, risk_at FROM dispute
         WHERE risk_at > $1 AND risk_at <= $2 AND region_code LIKE $3 ORDER BY risk_at, case_id LIMIT 10000`,
        [from, to, `${regionPrefix.replace(/[^0-9]/g, '')}%`]);
      return rows.map((r) => ({
        caseId: Number(r.case_id), caseNo: r.case_no, regionCode: r.region_code, score: r.risk_score,
        reasons: (r.risk_reasons as RiskReason[]).map(reasonText), at: new Date(r.risk_at),
      }));
    },
    subscribe(onScore: (s: DisputeRiskScore) => void): () => void {
      return ctx.events.subscribe((e) => {
        if (e.topic !== RISK_SCORED) return;
        const p = e.payload as { caseId: number; caseNo: string; score: number; reasons: string[]; at: string };
        onScore({ caseId: p.caseId, caseNo: p.caseNo, regionCode: e.regionCode, score: p.score, reasons: p.reasons, at: new Date(p.at) });
      });
    },
  };
}

/**
 * Open disputes at or above a score whose risk was (re)computed since a moment, under a region prefix:
 * what an alert rule over dispute risk reads ("score ≥ 50 since the last run").
 */
export async function disputeRisksSince(q: Queryable, opts: { regionPrefix: string; minScore: number; since: Date; limit?: number }): Promise<DisputeRisk[]> {
  const rows = await q.query<any>(
    `SELECT ${RISK_COLUMNS} FROM dispute WHERE is_open AND risk_score >= $1 AND risk_at >= $2 AND region_code LIKE $3
     ORDER BY risk_at, case_id LIMIT $4`,
    [opts.minScore, opts.since, `${opts.regionPrefix.replace(/[^0-9]/g, '')}%`, Math.min(opts.limit ?? 1000, 10_000)]);
  return rows.map(riskOf);
}
