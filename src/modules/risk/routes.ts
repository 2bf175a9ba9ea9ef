// The risk API: the register, alerts and their handling, rules and back-tests, sensors. Thin handlers
// over the services; every route checks the policy and the region scope in its service.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { route, toJsonSchema } from '../../platform/http/route.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { regionScope } from '../../platform/scope.ts';
import { getAlert, handleAlert, listAlerts } from './alerts.ts';
import { caseItems } from '../cases/index.ts';
import { getHazard, listHazards, patchHazard, registerHazard } from './hazards.ts';
import { riskPolicy } from './policy.ts';
import { paramSchemas, ruleKinds, watches } from './rules/kinds.ts';
import { addTemplateRules, checkParams, createRule, getRule, listRules, ruleForBacktest, ruleTemplates, updateRule } from './rules/service.ts';
import { convertAlert, type RiskService } from './service.ts';
import { ingestHttp, listSensors, sensorReadings } from './sensors/service.ts';
import { dailyReport, getTemplate, listChecks, rollCall, saveTemplate, submitCheck } from './checks.ts';
import {
  addNote, counsellorCandidates, endReferral, createCounsellor, createReferral, getReferral, listCounsellors, listNotes, listReferrals, patchCounsellor,
  referralCandidates, revealReferralPerson,
} from './counselling.ts';
import { registryDeps } from '../registry/index.ts';
import {
  addConsultation, addExpertReview, addRiskPoint, assessmentReportContent, completeAssessment, createDecision, decide, getDecision, listDecisions, startAssessment,
} from './assessments.ts';
import { assessmentReportPdf } from './report.ts';
import { conveneWeeklyReview, mondayOf, weeklySignals } from './weekly.ts';
import { chinaDate } from './rules/history.ts';
import {
  AlertAssign, AlertConvert, AlertDismiss, AlertListQuery, AlertNote, AssessmentComplete, AssessmentStart, CheckQuery, CheckSubmit, CheckTemplate,
  Consultation, CounsellorCreate, CounsellorPatch, DecisionCreate, DecisionDecide, DecisionQuery, DraftBacktest, ExpertReview, HazardCreate,
  HazardListQuery, HazardPatch, IdParams, NoteCreate, ReferralCreate, ReferralQuery, ReportQuery, RiskPoint, RuleBacktest, RuleCreate, RuleListQuery,
  RulePatch, SensorBatch, SensorListQuery, SensorReadingsQuery, TemplateQuery, WeekQuery, WeeklyReviewCreate, CandidateQuery, PersonSearchQuery, RevealPurpose,
} from './contracts.ts';

const tags = ['risk'];

export function riskRoutes(app: FastifyInstance, risk: RiskService): void {
  const { deps } = risk;
  const { ctx, cases } = deps;
  const caseNumbers = async (ids: number[]) => new Map([...(await caseItems(cases, ids))].map(([cid, c]) => [cid, c.caseNo]));
  const now = () => ctx.now();

  // ---- the register
  route(app, { method: 'GET', url: '/api/v1/risk/hazards', tags, summary: 'The risk register (隐患 and 不稳定因素) in your scope, red first', query: HazardListQuery,
    handler: async ({ query, actor }) => listHazards(cases, actor, query) });
  route(app, { method: 'POST', url: '/api/v1/risk/hazards', tags, status: 201, summary: 'Register a hazard (a hazard case with its register details)', body: HazardCreate,
    handler: async ({ body, actor }) => registerHazard(cases, actor, body) });
  route(app, { method: 'GET', url: '/api/v1/risk/hazards/:id', tags, summary: 'A register entry with its case state and its history', params: IdParams,
    handler: async ({ params, actor }) => getHazard(cases, actor, params.id) });
  route(app, { method: 'PATCH', url: '/api/v1/risk/hazards/:id', tags, summary: 'Edit a register entry (level, responsible person, measures …)', params: IdParams, body: HazardPatch,
    handler: async ({ params, body, actor }) => patchHazard(cases, actor, params.id, body) });

  // ---- alerts
  route(app, { method: 'GET', url: '/api/v1/risk/alerts', tags, summary: 'Alerts in your scope or for your unit, newest first (inbox=true: those waiting for a person, and those a rule turned into a case by itself lately)', query: AlertListQuery,
    handler: async ({ query, actor }) => listAlerts(ctx.db, actor, query, now()) });
  route(app, { method: 'GET', url: '/api/v1/risk/alerts/:id', tags, summary: 'An alert with its handling steps', params: IdParams,
    handler: async ({ params, actor }) => getAlert(ctx.db, actor, params.id, caseNumbers) });
  const step = (name: 'acknowledge' | 'assign' | 'dismiss', body: z.ZodType, summary: string) => route(app, {
    method: 'POST', url: `/api/v1/risk/alerts/:id/${name}`, tags, summary, params: IdParams, body,
    handler: async ({ params, body: b, actor }) => {
      await handleAlert(ctx.db, actor, params.id, { action: name, ...(b as object) } as never, now());
      ctx.events.poke();
      return getAlert(ctx.db, actor, params.id, caseNumbers);
    },
  });
  step('acknowledge', AlertNote, 'Acknowledge an alert (签收)');
  step('assign', AlertAssign, 'Assign an alert to a unit (交办)');
  step('dismiss', AlertDismiss, 'Dismiss an alert, with the reason (排除)');
  route(app, { method: 'POST', url: '/api/v1/risk/alerts/:id/convert', tags, status: 201, summary: 'Turn an alert into a hazard case (转为案件)', params: IdParams, body: AlertConvert,
    handler: async ({ params, body, actor }) => convertAlert(deps, actor, params.id, body) });

  // ---- rules
  route(app, { method: 'GET', url: '/api/v1/risk/rule-kinds', tags, summary: 'The kinds of rule, their parameters (JSON Schema) and ready-made rules',
    handler: async ({ actor }) => {
      riskPolicy.assert(actor, 'risk.rule.read');
      return {
        items: ruleKinds.map((k) => ({ kind: k, watches: watches[k], params: toJsonSchema(paramSchemas[k]) })),
        templates: ruleTemplates,
      };
    } });
  route(app, { method: 'GET', url: '/api/v1/risk/rules', tags, summary: 'Early-warning rules of your region and of the regions above it', query: RuleListQuery,
    handler: async ({ query, actor }) => listRules(ctx.db, actor, query) });
  route(app, { method: 'POST', url: '/api/v1/risk/rules', tags, status: 201, summary: 'Create a rule (version 1)', body: RuleCreate,
    handler: async ({ body, actor }) => createRule(ctx.db, actor, body, now()) });
  route(app, { method: 'POST', url: '/api/v1/risk/rules/from-templates', tags, status: 201, summary: 'Add ready-made rules to your region',
    body: z.object({ keys: z.array(z.string().regex(/^[a-z_]{2,40}$/)).min(1).max(30) }).strict(),
    handler: async ({ body, actor }) => {
      const unknown = body.keys.filter((k) => !ruleTemplates.some((t) => t.key === k));
      if (unknown.length) throw new AppError(422, 'unknown_template', { zh: `没有这些模板：${unknown.join('、')}。`, en: `No such template: ${unknown.join(', ')}.` });
      return { items: await addTemplateRules(ctx.db, actor, body.keys, now()) };
    } });
  route(app, { method: 'GET', url: '/api/v1/risk/rules/:id', tags, summary: 'A rule with every version', params: IdParams,
    handler: async ({ params, actor }) => getRule(ctx.db, actor, params.id) });
  route(app, { method: 'PATCH', url: '/api/v1/risk/rules/:id', tags, summary: 'Edit a rule: its next version', params: IdParams, body: RulePatch,
    handler: async ({ params, body, actor }) => updateRule(ctx.db, actor, params.id, body, now()) });
  route(app, { method: 'POST', url: '/api/v1/risk/rules/:id/backtest', tags, summary: 'What this rule (or one of its versions) would have raised in a past period', params: IdParams, body: RuleBacktest,
    handler: async ({ params, body, actor }) => risk.backtest(await ruleForBacktest(ctx.db, actor, params.id, body.version), new Date(body.from), new Date(body.to)) });
  route(app, { method: 'POST', url: '/api/v1/risk/rules/backtest', tags, summary: 'What a draft rule would have raised in a past period (nothing is saved)', body: DraftBacktest,
    handler: async ({ body, actor }) => {
      riskPolicy.assert(actor, 'risk.rule.read');
      const regionCode = body.regionCode ?? actor.regionCode;
      if (!regionScope(actor).within(regionCode)) throw notFound({ zh: `区划 ${regionCode}`, en: `Region ${regionCode}` });
      const params = checkParams(body.kind, body.params);
      return risk.backtest({ id: 0, version: 0, districtCode: regionCode.slice(0, 6), regionCode, kind: body.kind, level: body.level, params }, new Date(body.from), new Date(body.to));
    } });

  // ---- sensors
  route(app, { method: 'GET', url: '/api/v1/risk/sensors', tags, summary: 'Sensors in your scope with their last readings', query: SensorListQuery,
    handler: async ({ query, actor }) => listSensors(deps, actor, query) });
  route(app, { method: 'GET', url: '/api/v1/risk/sensors/:id/readings', tags, summary: 'A sensor\'s readings in a period', params: IdParams, query: SensorReadingsQuery,
    handler: async ({ params, query, actor }) => sensorReadings(deps, actor, params.id, query) });
  route(app, { method: 'POST', url: '/api/v1/risk/sensor-readings', tags, summary: 'Readings in a batch over HTTP (a device gateway); each bad item is reported and skipped', body: SensorBatch,
    handler: async ({ body, actor }) => ingestHttp(deps, actor, body) });
  route(app, { method: 'GET', url: '/api/v1/risk/sensors/ingest', tags, summary: 'The ingestion\'s counters in this process: received, accepted, stored, dropped by reason',
    handler: async ({ actor }) => {
      riskPolicy.assert(actor, 'risk.sensor.ingest');
      return { ...deps.ingest.stats(), mqtt: risk.mqttStatus(), rules: deps.rules.ruleCount, alertsRaised: deps.rules.raised, eventLoopDelayMs: risk.eventLoopDelay() };
    } });
}

/** Daily checks, key persons and counselling, 稳评, the week's signals. */
export function riskWorkRoutes(app: FastifyInstance, risk: RiskService): void {
  const { ctx, cases } = risk.deps;
  const now = () => ctx.now();
  // the registry's person search and reveal (through its index.ts), for referrals
  const registry = registryDeps(ctx);

  // ---- daily checks
  route(app, { method: 'GET', url: '/api/v1/risk/checks/template', tags, summary: 'The daily checklist in force for a grid or region', query: TemplateQuery,
    handler: async ({ query, actor }) => getTemplate(ctx.db, actor, query.region) });
  route(app, { method: 'PUT', url: '/api/v1/risk/checks/template', tags, summary: 'A new version of the checklist of your district or street', body: CheckTemplate,
    handler: async ({ body, actor }) => saveTemplate(ctx.db, actor, body, now()) });
  route(app, { method: 'POST', url: '/api/v1/risk/checks', tags, status: 201, summary: '日排查: a grid\'s daily check; findings may be registered as hazards at once', body: CheckSubmit,
    handler: async ({ body, actor }) => submitCheck(cases, actor, body) });
  route(app, { method: 'GET', url: '/api/v1/risk/checks', tags, summary: 'The daily checks of a day in your scope', query: CheckQuery,
    handler: async ({ query, actor }) => listChecks(ctx.db, actor, query, now()) });
  route(app, { method: 'GET', url: '/api/v1/risk/checks/roll-call', tags, summary: '日点名: the grids of a region, and which have not filed the day\'s check', query: CheckQuery,
    handler: async ({ query, actor }) => rollCall(cases, actor, query) });
  route(app, { method: 'GET', url: '/api/v1/risk/daily-report', tags, summary: '日报告: a street\'s day in figures (generated, kept, refreshed on each call)', query: ReportQuery,
    handler: async ({ query, actor }) => dailyReport(cases, actor, query.street, query.day ?? chinaDate(now()), risk.deps.followups) });
  route(app, { method: 'GET', url: '/api/v1/risk/weekly-signals', tags, summary: '周研判: the week\'s signals and a suggested agenda', query: WeekQuery,
    handler: async ({ query, actor }) => weeklySignals(cases, actor, query.region ?? actor.regionCode, query.week ?? mondayOf(now()), risk.deps.followups) });
  const meetings = risk.meetings;
  if (meetings) {
    route(app, { method: 'POST', url: '/api/v1/risk/weekly-reviews', tags, status: 201, body: WeeklyReviewCreate,
      summary: '周研判: convene the week\'s review meeting, its agenda drawn from the week\'s signals (decisions become hazard cases)',
      handler: async ({ body, actor }) => conveneWeeklyReview(cases, meetings, actor, body, risk.deps.followups) });
  }

  // ---- counsellors and referrals
  route(app, { method: 'GET', url: '/api/v1/risk/counsellors', tags, summary: 'Counsellors (心理人才库) serving your region',
    handler: async ({ actor }) => listCounsellors(ctx.db, actor) });
  route(app, { method: 'GET', url: '/api/v1/risk/counsellors/candidates', tags, summary: 'Staff accounts of your district to choose a counsellor or supervisor from', query: CandidateQuery,
    handler: async ({ query, actor }) => counsellorCandidates(ctx.db, actor, query) });
  route(app, { method: 'POST', url: '/api/v1/risk/counsellors', tags, status: 201, summary: 'Register a staff account as a counsellor, with its supervisor', body: CounsellorCreate,
    handler: async ({ body, actor }) => createCounsellor(ctx.db, actor, body, now()) });
  route(app, { method: 'PATCH', url: '/api/v1/risk/counsellors/:id', tags, summary: 'Change a counsellor\'s supervisor, details or availability', params: IdParams, body: CounsellorPatch,
    handler: async ({ params, body, actor }) => patchCounsellor(ctx.db, actor, params.id, body) });
  route(app, { method: 'GET', url: '/api/v1/risk/referrals', tags, summary: 'Referrals of key persons in your territory, or to you as counsellor or supervisor', query: ReferralQuery,
    handler: async ({ query, actor }) => listReferrals(ctx.db, actor, query) });
  route(app, { method: 'GET', url: '/api/v1/risk/referrals/persons', tags, summary: 'Persons of your territory to refer, found by full name, surname, address or ID number (names masked)', query: PersonSearchQuery,
    handler: async ({ query, actor }) => referralCandidates(registry, actor, query.q) });
  route(app, { method: 'POST', url: '/api/v1/risk/referrals', tags, status: 201, summary: 'Refer a key person to a counsellor', body: ReferralCreate,
    handler: async ({ body, actor }) => createReferral(ctx.db, actor, body, now()) });
  route(app, { method: 'GET', url: '/api/v1/risk/referrals/:id', tags, summary: 'A referral', params: IdParams,
    handler: async ({ params, actor }) => getReferral(ctx.db, actor, params.id) });
  route(app, { method: 'POST', url: '/api/v1/risk/referrals/:id/person/reveal', tags, summary: 'The referred person\'s name and phone, for a stated purpose (audited): the counsellor and supervisor, or those who may reveal personal data there', params: IdParams, body: RevealPurpose,
    handler: async ({ params, body, actor }) => revealReferralPerson(registry, actor, params.id, body.purpose) });
  route(app, { method: 'POST', url: '/api/v1/risk/referrals/:id/end', tags, summary: 'End a referral (its notes stay as they are)', params: IdParams,
    handler: async ({ params, actor }) => endReferral(ctx.db, actor, params.id, now()) });
  route(app, { method: 'GET', url: '/api/v1/risk/referrals/:id/notes', tags, summary: 'Counselling notes: for the counsellor and their supervisor only', params: IdParams,
    handler: async ({ params, actor }) => listNotes(ctx, actor, params.id) });
  route(app, { method: 'POST', url: '/api/v1/risk/referrals/:id/notes', tags, status: 201, summary: 'Add a counselling note (sealed)', params: IdParams, body: NoteCreate,
    handler: async ({ params, body, actor }) => addNote(ctx, actor, params.id, body) });

  // ---- 稳评
  route(app, { method: 'GET', url: '/api/v1/risk/decisions', tags, summary: 'Major decisions and the state of their stability risk assessments', query: DecisionQuery,
    handler: async ({ query, actor }) => listDecisions(ctx.db, actor, query) });
  route(app, { method: 'POST', url: '/api/v1/risk/decisions', tags, status: 201, summary: 'Register a major decision (a project, a policy) for 稳评', body: DecisionCreate,
    handler: async ({ body, actor }) => createDecision(ctx.db, actor, body, now()) });
  route(app, { method: 'GET', url: '/api/v1/risk/decisions/:id', tags, summary: 'A decision with its assessments', params: IdParams,
    handler: async ({ params, actor }) => getDecision(ctx.db, actor, params.id) });
  route(app, { method: 'POST', url: '/api/v1/risk/decisions/:id/assessment', tags, status: 201, summary: 'Start the decision\'s stability risk assessment', params: IdParams, body: AssessmentStart,
    handler: async ({ params, body, actor }) => startAssessment(ctx.db, actor, params.id, body, now()) });
  route(app, { method: 'POST', url: '/api/v1/risk/decisions/:id/assessment/risk-points', tags, status: 201, summary: 'A risk point, with its importance and urgency (1–5)', params: IdParams, body: RiskPoint,
    handler: async ({ params, body, actor }) => addRiskPoint(ctx.db, actor, params.id, body) });
  route(app, { method: 'POST', url: '/api/v1/risk/decisions/:id/assessment/consultations', tags, status: 201, summary: 'A public consultation (hearing, survey, forum …)', params: IdParams, body: Consultation,
    handler: async ({ params, body, actor }) => addConsultation(ctx.db, actor, params.id, body) });
  route(app, { method: 'POST', url: '/api/v1/risk/decisions/:id/assessment/expert-reviews', tags, status: 201, summary: 'An expert\'s review', params: IdParams, body: ExpertReview,
    handler: async ({ params, body, actor }) => addExpertReview(ctx.db, actor, params.id, body) });
  route(app, { method: 'POST', url: '/api/v1/risk/decisions/:id/assessment/complete', tags, summary: 'Rate and conclude the assessment', params: IdParams, body: AssessmentComplete,
    handler: async ({ params, body, actor }) => completeAssessment(ctx.db, actor, params.id, body, now()) });
  route(app, { method: 'POST', url: '/api/v1/risk/decisions/:id/decide', tags, summary: 'Approve (only after a completed assessment that lets it proceed), turn down or withdraw', params: IdParams, body: DecisionDecide,
    handler: async ({ params, body, actor }) => decide(ctx.db, actor, params.id, body, now()) });
  route(app, { method: 'GET', url: '/api/v1/risk/decisions/:id/report-content', tags, summary: 'The 稳评 report\'s content, in Chinese, for the report PDF', params: IdParams,
    handler: async ({ params, actor }) => assessmentReportContent(ctx.db, actor, params.id) });
  route(app, { method: 'GET', url: '/api/v1/risk/decisions/:id/report.pdf', tags, summary: 'The 稳评 report as a printable Chinese PDF', params: IdParams,
    handler: async ({ params, actor, reply }) => {
      const { filename, pdf } = await assessmentReportPdf(ctx.db, actor, params.id);
      reply.header('content-type', 'application/pdf').header('content-disposition', `inline; filename="${filename}"`);
      return reply.send(pdf);
    } });
}
