// Request schemas of the grid worker's day and their inferred types, side by side.
import { z } from 'zod';
import { pathId } from '../../platform/http/params.ts';
import { checklistPurposes } from './checklists.ts';

const lat = z.number().min(-90).max(90);
const lng = z.number().min(-180).max(180);
const instant = z.iso.datetime({ offset: true });
const rowId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const regionCode = z.string().regex(/^\d{6,16}$/, 'region codes are 6–16 digits');
const text = (max: number) => z.string().trim().min(1).max(max);

export const IdParams = z.object({ id: pathId }).strict();

export const ResidentQuery = z.object({
  q: z.string().trim().min(1).max(40),
  region: regionCode.optional(),
}).strict();
export type ResidentQueryT = z.infer<typeof ResidentQuery>;

export const HouseholdQuery = z.object({
  region: regionCode.optional(),
  q: z.string().trim().min(1).max(60).optional(),
}).strict();
export type HouseholdQueryT = z.infer<typeof HouseholdQuery>;

export const FollowUpQuery = z.object({
  region: regionCode.optional(),
  overdue: z.enum(['true', 'false']).optional(),
}).strict();
export type FollowUpQueryT = z.infer<typeof FollowUpQuery>;

export const VisitCreate = z.object({
  purpose: z.enum(checklistPurposes),
  householdId: rowId.optional(),
  houseId: rowId.optional(),
  personIds: z.array(rowId).max(30).default([]),
  checklist: z.record(z.string().regex(/^[a-z_]{1,40}$/), z.enum(['yes', 'no', 'na'])).default({}),
  attachmentIds: z.array(rowId).max(10).default([]),
  lat: lat.optional(),
  lng: lng.optional(),
  accuracy: z.number().min(0).max(100_000).optional(),
  result: z.enum(['visited', 'not_home', 'refused', 'issue_found']),
  note: text(2000).optional(),
  visitedAt: instant.optional(),
  /** the visit plan this visit carries out (走访计划): it is then done */
  planId: rowId.optional(),
}).strict()
  .refine((v) => v.householdId != null || v.houseId != null || v.personIds.length > 0, { message: 'name the household, house or persons visited', path: ['householdId'] })
  .refine((v) => (v.lat == null) === (v.lng == null), { message: 'give both lat and lng, or neither', path: ['lat'] });
export type VisitCreateT = z.infer<typeof VisitCreate>;

const civilDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "dates are written 'YYYY-MM-DD'")
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'not a real day');

export const PlanCreate = z.object({
  householdId: rowId.optional(),
  personIds: z.array(rowId).max(30).default([]),
  purpose: z.enum(checklistPurposes),
  plannedOn: civilDate,
  note: text(500).optional(),
  /** who is to visit: oneself when absent; the 网格长 plans for the field staff of the territory */
  assigneeId: rowId.optional(),
}).strict()
  .refine((v) => v.householdId != null || v.personIds.length > 0, { message: 'name the household or the persons to visit', path: ['householdId'] });
export type PlanCreateT = z.infer<typeof PlanCreate>;

export const PlanPatch = z.object({
  plannedOn: civilDate.optional(),
  purpose: z.enum(checklistPurposes).optional(),
  note: text(500).nullable().optional(),
  assigneeId: rowId.optional(),
}).strict().refine((v) => Object.keys(v).length > 0, 'give at least one field to change');
export type PlanPatchT = z.infer<typeof PlanPatch>;

export const PlanCancel = z.object({ reason: text(200).optional() }).strict();
export type PlanCancelT = z.infer<typeof PlanCancel>;

export const PlanListQuery = z.object({
  mine: z.enum(['true', 'false']).optional(),
  /** open (default), done, cancelled or all */
  status: z.enum(['open', 'done', 'cancelled', 'all']).optional(),
  from: civilDate.optional(),
  to: civilDate.optional(),
  region: regionCode.optional(),
  householdId: z.string().regex(/^[1-9]\d{0,15}$/, 'ids are whole numbers').transform(Number).optional(),
  personId: z.string().regex(/^[1-9]\d{0,15}$/, 'ids are whole numbers').transform(Number).optional(),
}).strict();
export type PlanListQueryT = z.infer<typeof PlanListQuery>;

export const VisitCase = z.object({
  categoryCode: z.string().trim().regex(/^\d{2,12}$/, 'category codes are 2–12 digits'),
  title: text(200),
  description: text(5000),
  attachmentIds: z.array(rowId).max(10).optional(),
}).strict();
export type VisitCaseT = z.infer<typeof VisitCase>;

export const VisitListQuery = z.object({
  mine: z.enum(['true', 'false']).optional(),
}).strict();

const point = z.object({ lat, lng, at: instant, accuracy: z.number().min(0).max(100_000).optional() }).strict();
export const PatrolStart = z.object({ lat: lat.optional(), lng: lng.optional(), note: text(500).optional() }).strict()
  .refine((v) => (v.lat == null) === (v.lng == null), { message: 'give both lat and lng, or neither', path: ['lat'] });
export type PatrolStartT = z.infer<typeof PatrolStart>;
export const PatrolPoints = z.object({ points: z.array(point).min(1).max(500) }).strict();
export type PatrolPointsT = z.infer<typeof PatrolPoints>;
export const PatrolStop = z.object({ note: text(500).optional() }).strict();
export type PatrolStopT = z.infer<typeof PatrolStop>;
