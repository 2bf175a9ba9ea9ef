// Request schemas of the risk API and their inferred types, side by side.
import { z } from 'zod';
import { ruleKinds, type RuleKind } from './rules/kinds.ts';

const text = (max: number) => z.string().trim().min(1).max(max);
const csv = <T extends z.ZodType>(item: T) => z.preprocess(
  (v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v), z.array(item).max(20));
export const unitId = z.string().trim().min(1).max(64).regex(/^[\w.-]+$/, 'unit ids are letters, digits, dot, dash or underscore');
export const regionCode = z.string().regex(/^\d{6,16}$/, 'region codes are 6–16 digits');
const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export const IdParams = z.object({ id }).strict();
const civilDate = z.iso.date();
const level = z.enum(['red', 'orange', 'yellow', 'blue']);
const page = { page: z.coerce.number().int().min(1).max(10_000).default(1), pageSize: z.coerce.number().int().min(1).max(200).default(50) };

// ---------------------------------------------------------------------------------------------
// The register

const registerFields = {
  kind: z.enum(['hazard', 'instability']).optional(),
  source: z.enum(['daily_check', 'grid_report', 'alert', 'hotline', 'sensor', 'inspection', 'petition', 'weekly_review', 'other']).default('inspection'),
  level: level.default('yellow'),
  responsibleUnitId: unitId.optional(),
  responsibleUserId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  responsibleName: text(50).optional(),
  measures: text(2000).optional(),
  rectifyBy: civilDate.optional(),
};
export const HazardCreate = z.object({
  categoryCode: z.string().trim().regex(/^\d{6}$/, 'a hazard category code (6 digits)'),
  title: text(200),
  description: text(5000),
  channel: z.enum(['web', 'grid_patrol', 'sensor', 'hotline', 'petition']).optional(),
  lat: z.number().min(-90).max(90).optional(),
  lng: z.number().min(-180).max(180).optional(),
  regionCode: regionCode.optional(),
  address: z.string().trim().max(300).optional(),
  attachmentIds: z.array(z.number().int().positive()).max(10).optional(),
  ...registerFields,
}).strict().refine((v) => (v.lat == null) === (v.lng == null), { message: 'give both lat and lng, or neither', path: ['lat'] })
  .refine((v) => v.lat != null || v.regionCode, { message: 'give a location (lat and lng) or a regionCode', path: ['regionCode'] });
export type HazardCreateT = z.infer<typeof HazardCreate>;

export const HazardPatch = z.object({
  kind: z.enum(['hazard', 'instability']).optional(),
  level: level.optional(),
  location: text(300).nullable().optional(),
  responsibleUnitId: unitId.nullable().optional(),
  responsibleUserId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).nullable().optional(),
  responsibleName: text(50).nullable().optional(),
  measures: text(2000).nullable().optional(),
  rectifyBy: civilDate.nullable().optional(),
}).strict().refine((v) => Object.keys(v).length > 0, 'give at least one field to change');
export type HazardPatchT = z.infer<typeof HazardPatch>;

export const HazardListQuery = z.object({
  region: regionCode.optional(),
  level: csv(level).optional(),
  kind: csv(z.enum(['hazard', 'instability'])).optional(),
  source: csv(z.enum(['daily_check', 'grid_report', 'alert', 'hotline', 'sensor', 'inspection', 'petition', 'weekly_review', 'other'])).optional(),
  hazardType: z.string().regex(/^\d{2,6}$/).optional(),
  open: z.enum(['true', 'false']).optional(),
  ...page,
}).strict();
export type HazardListQueryT = z.infer<typeof HazardListQuery>;

// ---------------------------------------------------------------------------------------------
// Alerts

export const AlertListQuery = z.object({
  region: regionCode.optional(),
  status: csv(z.enum(['open', 'acknowledged', 'assigned', 'converted', 'dismissed'])).optional(),
  pending: z.enum(['true', 'false']).optional(),
  /** the inbox: pending alerts, and those a rule turned into a case by itself in the last 7 days */
  inbox: z.enum(['true', 'false']).optional(),
  level: csv(level).optional(),
  kind: csv(z.enum(ruleKinds as [RuleKind, ...RuleKind[]])).optional(),
  ruleId: id.optional(),
  deviceId: id.optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  ...page,
}).strict();
export type AlertListQueryT = z.infer<typeof AlertListQuery>;

export const AlertNote = z.object({ note: z.string().trim().max(2000).optional() }).strict();
export const AlertAssign = z.object({ unitId, note: z.string().trim().max(2000).optional() }).strict();
export const AlertDismiss = z.object({ reason: text(2000) }).strict();
export const AlertConvert = z.object({
  categoryCode: z.string().trim().regex(/^\d{6}$/, 'a hazard category code (6 digits)'),
  title: text(200).optional(),
  description: text(5000).optional(),
  level: level.optional(),
  note: z.string().trim().max(2000).optional(),
}).strict();
export type AlertConvertT = z.infer<typeof AlertConvert>;

// ---------------------------------------------------------------------------------------------
// Rules

export const RuleCreate = z.object({
  name: text(100),
  kind: z.enum(ruleKinds as [RuleKind, ...RuleKind[]]),
  level,
  regionCode: regionCode.optional(),
  params: z.record(z.string().max(40), z.unknown()).refine((o) => Object.keys(o).length <= 20, 'at most 20 parameters'),
  unitId: unitId.optional(),
  enabled: z.boolean().default(true),
  note: z.string().trim().max(500).optional(),
}).strict();
export type RuleCreateT = z.input<typeof RuleCreate>;

export const RulePatch = z.object({
  name: text(100).optional(),
  level: level.optional(),
  params: z.record(z.string().max(40), z.unknown()).refine((o) => Object.keys(o).length <= 20, 'at most 20 parameters').optional(),
  unitId: unitId.nullable().optional(),
  enabled: z.boolean().optional(),
  note: z.string().trim().max(500).optional(),
  /** The version being edited: a change made meanwhile by someone else is refused rather than overwritten. */
  version: z.number().int().min(1).optional(),
}).strict().refine((v) => Object.keys(v).some((k) => k !== 'note' && k !== 'version'), 'give at least one field to change');
export type RulePatchT = z.infer<typeof RulePatch>;

export const RuleListQuery = z.object({ kind: z.enum(ruleKinds as [RuleKind, ...RuleKind[]]).optional(), enabled: z.enum(['true', 'false']).optional() }).strict();

const period = {
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
};
const checkPeriod = (v: { from: string; to: string }) => Date.parse(v.from) < Date.parse(v.to) && Date.parse(v.to) - Date.parse(v.from) <= 92 * 86_400_000;
const periodMessage = { message: 'the period runs forward and spans at most 92 days', path: ['to'] };

/** A back-test of a saved rule (optionally an earlier version) over a period. */
export const RuleBacktest = z.object({ ...period, version: z.number().int().min(1).optional() }).strict().refine(checkPeriod, periodMessage);
/** A back-test of a draft: a rule as it would be saved. */
export const DraftBacktest = z.object({
  ...period,
  kind: z.enum(ruleKinds as [RuleKind, ...RuleKind[]]),
  regionCode: regionCode.optional(),
  params: z.record(z.string().max(40), z.unknown()).refine((o) => Object.keys(o).length <= 20, 'at most 20 parameters'),
  level: level.default('yellow'),
}).strict().refine(checkPeriod, periodMessage);
export type DraftBacktestT = z.infer<typeof DraftBacktest>;

// ---------------------------------------------------------------------------------------------
// Sensors

export const SensorListQuery = z.object({
  region: regionCode.optional(),
  sensorType: z.string().regex(/^[0-9A-Za-z_]{1,20}$/).optional(),
  online: z.enum(['true', 'false']).optional(),
  q: z.string().trim().min(1).max(50).optional(),
  limit: z.coerce.number().int().min(1).max(2000).default(500),
}).strict();
export type SensorListQueryT = z.infer<typeof SensorListQuery>;

export const SensorReadingsQuery = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(2000),
}).strict();
export type SensorReadingsQueryT = z.infer<typeof SensorReadingsQuery>;

/** Readings over HTTP: the schema checks the envelope; each reading's time and values are checked one by one. */
export const SensorBatch = z.object({
  readings: z.array(z.object({
    deviceCode: z.string().regex(/^[0-9A-Za-z_-]{4,40}$/, 'device codes are 4–40 letters, digits, dash or underscore'),
    at: z.union([z.string().max(40), z.number()]).optional(),
    values: z.record(z.string().max(40), z.unknown()),
  }).strict()).min(1).max(5000),
}).strict();
export type SensorBatchT = z.infer<typeof SensorBatch>;

// ---------------------------------------------------------------------------------------------
// Daily checks

const itemKey = z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, 'item keys are lower-case letters, digits and underscores');
export const CheckTemplate = z.object({
  regionCode: regionCode.optional(),
  items: z.array(z.object({
    key: itemKey, zh: text(100), en: text(100), hazardCategory: z.string().regex(/^\d{6}$/).optional(),
  }).strict()).min(1).max(50),
}).strict();
export type CheckTemplateT = z.infer<typeof CheckTemplate>;

export const CheckSubmit = z.object({
  regionCode: regionCode,
  day: civilDate.optional(),
  answers: z.record(itemKey, z.object({ ok: z.boolean(), note: z.string().trim().max(500).optional() }).strict())
    .refine((o) => Object.keys(o).length <= 50, 'at most 50 answers'),
  note: z.string().trim().max(2000).optional(),
  lat: z.number().min(-90).max(90).optional(),
  lng: z.number().min(-180).max(180).optional(),
  hazards: z.array(z.object({
    itemKey, categoryCode: z.string().regex(/^\d{6}$/).optional(), title: text(200), description: text(5000), level: level.default('yellow'),
  }).strict()).max(20).optional(),
}).strict().refine((v) => (v.lat == null) === (v.lng == null), { message: 'give both lat and lng, or neither', path: ['lat'] });
export type CheckSubmitT = z.infer<typeof CheckSubmit>;

export const CheckQuery = z.object({ region: regionCode.optional(), day: civilDate.optional() }).strict();
export const TemplateQuery = z.object({ region: regionCode.optional() }).strict();
export const ReportQuery = z.object({ street: z.string().regex(/^\d{9}$/, 'a street code (9 digits)'), day: civilDate.optional() }).strict();
export const WeekQuery = z.object({ region: regionCode.optional(), week: civilDate.optional() }).strict();

/** 周研判: convene the week's review meeting; its agenda is drawn from the week's signals. */
export const WeeklyReviewCreate = z.object({
  regionCode: regionCode.optional(),
  week: civilDate.optional(),
  title: text(200).optional(),
  scheduledAt: z.iso.datetime({ offset: true }),
  place: text(200).optional(),
  onlineLink: z.url({ protocol: /^https?$/ }).max(500).optional(),
  attendees: z.array(z.object({
    name: text(50), organisation: z.string().trim().max(100).optional(), userId: id.optional(), unitId: unitId.optional(),
  }).strict()).max(200).default([]),
  /** Items added by hand after those drawn from the signals. */
  extraAgenda: z.array(text(300)).max(20).default([]),
}).strict().refine((v) => v.place || v.onlineLink, { message: 'give a place or an online link', path: ['place'] });
export type WeeklyReviewCreateT = z.infer<typeof WeeklyReviewCreate>;

// ---------------------------------------------------------------------------------------------
// Key persons and counsellors

const userId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export const CounsellorCreate = z.object({
  userId, supervisorUserId: userId.optional(), regionCode: regionCode.optional(),
  qualification: text(100).optional(), specialties: z.array(text(30)).max(10).default([]),
}).strict();
export type CounsellorCreateT = z.infer<typeof CounsellorCreate>;
export const CounsellorPatch = z.object({
  supervisorUserId: userId.nullable().optional(), qualification: text(100).nullable().optional(),
  specialties: z.array(text(30)).max(10).optional(), active: z.boolean().optional(),
}).strict().refine((v) => Object.keys(v).length > 0, 'give at least one field to change');
export type CounsellorPatchT = z.infer<typeof CounsellorPatch>;
export const CandidateQuery = z.object({ q: z.string().trim().min(1).max(30).optional() }).strict();
export const ReferralCreate = z.object({
  personId: userId, labelId: userId.optional(), counsellorId: userId, reason: text(1000),
}).strict();
export type ReferralCreateT = z.infer<typeof ReferralCreate>;
export const ReferralQuery = z.object({ personId: id.optional(), status: z.enum(['open', 'ended']).optional(), mine: z.enum(['true', 'false']).optional() }).strict();
export const PersonSearchQuery = z.object({ q: z.string().trim().min(1).max(40) }).strict();
export const RevealPurpose = z.object({ purpose: text(200).refine((s) => s.length >= 2, 'state the purpose in at least two characters') }).strict();
export const NoteCreate = z.object({ text: text(5000) }).strict();
export type NoteCreateT = z.infer<typeof NoteCreate>;

// ---------------------------------------------------------------------------------------------
// 稳评

export const DecisionCreate = z.object({
  title: text(200), kind: z.enum(['project', 'policy', 'reform', 'other']), description: text(5000),
  regionCode: regionCode.optional(), ownerUnitId: unitId.optional(),
}).strict();
export type DecisionCreateT = z.infer<typeof DecisionCreate>;
export const DecisionQuery = z.object({ status: z.enum(['draft', 'approved', 'turned_down', 'withdrawn']).optional() }).strict();
export const AssessmentStart = z.object({ assessorUnitId: unitId.optional() }).strict();
const score = z.number().int().min(1).max(5);
export const RiskPoint = z.object({
  description: text(1000), category: text(50), importance: score, urgency: score, measures: text(2000).optional(), owner: text(100).optional(),
}).strict();
export type RiskPointT = z.infer<typeof RiskPoint>;
const count = z.number().int().min(0).max(10_000_000);
export const Consultation = z.object({
  method: z.enum(['hearing', 'survey', 'forum', 'publication', 'visit']), heldOn: civilDate, participants: count,
  support: count.default(0), oppose: count.default(0), summary: text(5000),
}).strict();
export type ConsultationT = z.infer<typeof Consultation>;
export const ExpertReview = z.object({
  expertName: text(50), field: text(100), opinion: text(5000), recommendation: z.enum(['agree', 'agree_with_conditions', 'disagree']), reviewedOn: civilDate,
}).strict();
export type ExpertReviewT = z.infer<typeof ExpertReview>;
export const AssessmentComplete = z.object({
  rating: z.enum(['low', 'medium', 'high']), conclusion: z.enum(['proceed', 'proceed_with_measures', 'postpone', 'abandon']), conclusionText: text(5000),
}).strict();
export type AssessmentCompleteT = z.infer<typeof AssessmentComplete>;
export const DecisionDecide = z.object({ status: z.enum(['approved', 'turned_down', 'withdrawn']), note: z.string().trim().max(2000).optional() }).strict();
export type DecisionDecideT = z.infer<typeof DecisionDecide>;
