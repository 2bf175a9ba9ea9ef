// The risk module's public surface (DESIGN §3 risk): the risk register as the hazard case type, the
// platform's one alert mechanism (rules as data, delivery, handling), sensor ingestion, daily checks,
// key-person counselling and stability risk assessments. Other code uses only what is exported here.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.ts';
import type { Meetings } from '../../platform/meetings/index.ts';
import type { CaseEngine } from '../cases/index.ts';
import { ensureHazardCategories } from './hazards.ts';
import { riskRoutes, riskWorkRoutes } from './routes.ts';
import { RiskService } from './service.ts';

export { hazardCaseTypes } from './types/hazard.ts';
export { riskEffects } from './effects.ts';
export { riskPolicy } from './policy.ts';
export { RiskService, type StartOptions } from './service.ts';
export type { DisputeRiskSource } from './rules/backtest.ts';
export { registryFollowups, type FollowupSource, type FollowupQuery, type FollowupDue } from './followups.ts';
export type { DisputeRiskScore } from './rules/history.ts';
export { ruleTemplates, addTemplateRules } from './rules/service.ts';
export { seedRiskDemo, seedRiskRegister } from './demo.ts';
// For the shared meetings and documents (built apart): the week's signals for a 周研判 agenda, and the
// content of a 稳评 report for its Chinese PDF.
export { weeklySignals, weeklyReviewKind, WEEKLY_REVIEW, type AgendaItem } from './weekly.ts';
export { assessmentReportContent } from './assessments.ts';
export { topicFilter as sensorTopicFilter, parsePayload as parseSensorPayload } from './sensors/ingest.ts';

/**
 * The module's services over the case engine (which must have been created with hazardCaseTypes and
 * riskEffects): the register's categories are added when missing, the rules are loaded. With the platform's
 * meetings, the weekly risk review (周研判) is registered as a kind of meeting.
 */
export async function createRisk(ctx: AppContext, engine: CaseEngine, meetings?: Meetings): Promise<RiskService> {
  await ensureHazardCategories(ctx.db);
  const risk = new RiskService(ctx, engine, meetings);
  await risk.init();
  return risk;
}

export function riskModule(app: FastifyInstance, risk: RiskService): void {
  riskRoutes(app, risk);
  riskWorkRoutes(app, risk);
}
