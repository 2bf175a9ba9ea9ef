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
}).strict()
  .refine((v) => v.householdId != null || v.houseId != null || v.personIds.length > 0, { message: 'name the household, house or persons visited', path: ['householdId'] })
  .refine((v) => (v.lat == null) === (v.lng == null), { message: 'give both lat and lng, or neither', path: ['lat'] });
export type VisitCreateT = z.infer<typeof VisitCreate>;

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
