// Request schemas of the case API and their inferred types, side by side.
import { z } from 'zod';
import { inboxGroups, ratings } from './definition.ts';
import { pathId, queryInt } from '../../platform/http/params.ts';

/** 诉求类型 of a 12345 ticket: 咨询, 求助, 投诉, 举报, 建议, 表扬. */
export const appealKinds = ['consult', 'help', 'complaint', 'report', 'suggestion', 'praise'] as const;
export const channels = ['hotline', 'web', 'grid_patrol', 'resident_app', 'open311', 'sensor', 'petition', 'wechat'] as const;
export { ratings };
const caseType = z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, 'case types are lower-case letters, digits and underscores');

const text = (max: number) => z.string().trim().min(1).max(max);
const unitId = z.string().trim().min(1).max(64).regex(/^[\w.-]+$/, 'unit ids are letters, digits, dot, dash or underscore');

export const Intake = z.object({
  type: caseType.optional(),
  categoryCode: z.string().trim().regex(/^\d{2,12}$/, 'category codes are 2–12 digits'),
  title: text(200),
  description: text(5000),
  channel: z.enum(channels).optional(),
  urgency: z.enum(['normal', 'urgent', 'emergency']).default('normal'),
  lat: z.number().min(-90).max(90).optional(),
  lng: z.number().min(-180).max(180).optional(),
  regionCode: z.string().regex(/^\d{6,16}$/, 'region codes are 6–16 digits').optional(),
  address: z.string().trim().max(300).optional(),
  reporter: z.object({
    name: z.string().trim().max(50).optional(),
    phone: z.string().trim().regex(/^\+?[\d\s-]{5,24}$/, 'phone numbers are 5–20 digits').optional(),
  }).strict().optional(),
  attachmentIds: z.array(z.number().int().positive()).max(10).optional(),
  appealKind: z.enum(appealKinds).optional(),
  /**
   * 即时办结: the question was answered on the call. The case is filed and closed in one step by the
   * type's on-call action; without a location it belongs to the reporter's own region (the hotline's).
   */
  answerOnCall: z.object({
    note: text(2000),
  }).strict().optional(),
}).strict().refine((v) => (v.lat == null) === (v.lng == null), { message: 'give both lat and lng, or neither', path: ['lat'] })
  .refine((v) => v.lat != null || v.regionCode || v.address || v.answerOnCall, { message: 'give a location (lat and lng), a regionCode or an address', path: ['regionCode'] });
export type IntakeInput = z.infer<typeof Intake>;

const csv = <T extends z.ZodType>(item: T) => z.preprocess(
  (v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v), z.array(item).max(20));

export const ListQuery = z.object({
  inbox: z.enum(['true', 'false']).optional(),
  state: csv(z.string().regex(/^[a-z_]{2,32}$/)).optional(),
  type: csv(caseType).optional(),
  /** An inbox group (待派遣, 待审核 …) across every case type. */
  group: z.enum(Object.keys(inboxGroups) as [keyof typeof inboxGroups]).optional(),
  category: z.string().regex(/^\d{2,12}$/).optional(),
  region: z.string().regex(/^\d{2,16}$/).optional(),
  sla: z.enum(['green', 'yellow', 'red']).optional(),
  open: z.enum(['true', 'false']).optional(),
  unit: unitId.optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  q: z.string().trim().min(1).max(100).optional(),
  appealKind: csv(z.enum(appealKinds)).optional(),
  /** Open cases overdue by at least this many hours (超期时长). */
  overdueHours: z.string().regex(/^\d{1,5}$/, 'expected a whole number of hours').transform(Number).pipe(z.number().int().min(0).max(24 * 365)).optional(),
  sort: z.enum(['created_at', '-created_at', 'due_at', '-due_at']).default('-created_at'),
  page: queryInt(1, 10_000, 1),
  pageSize: queryInt(1, 200, 20),
  count: z.enum(['true', 'false']).optional(),
}).strict();
export type ListQueryT = z.infer<typeof ListQuery>;

export const CaseIdParams = z.object({ id: pathId }).strict();
export const ActionParams = z.object({
  id: pathId,
  action: z.string().max(40),
}).strict();

// Response of GET /api/v1/cases: documents the list item and lets Fastify serialize pages with
// fast-json-stringify (properties not listed here are not sent).
const label = z.object({ zh: z.string(), en: z.string() });
const str = z.string().nullable();
const num = z.number().nullable();
export const CaseListItemSchema = z.object({
  id: z.number(), caseNo: z.string(), type: z.string(), typeName: label, workflowVersion: z.number(), state: z.string(), stateLabel: label,
  categoryCode: z.string(), title: z.string(), channel: z.string(), urgency: z.string(), regionCode: z.string(),
  lat: num, lng: num, address: str, leadUnitId: str,
  sla: z.object({ light: str, dueAt: str, yellowAt: str, limitMinutes: num, timeMode: z.string(), remainingMinutes: num, paused: z.boolean() }),
  appealKind: str, supervised: z.boolean(), whistleLevel: str, isOpen: z.boolean(), createdAt: z.string(), updatedAt: z.string(), closedAt: str,
});
export const CaseListResponse = z.object({
  items: z.array(CaseListItemSchema), page: z.number(), pageSize: z.number(), hasMore: z.boolean(), total: z.number().optional(),
});

export const CallerHistoryBody = z.object({
  phone: z.string().trim().regex(/^\+?[\d\s-]{5,24}$/, 'phone numbers are 5–20 digits'),
}).strict();
