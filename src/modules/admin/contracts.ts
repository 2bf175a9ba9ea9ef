// Request schemas of the administration API and their inferred types, side by side.
import { z } from 'zod';
import { roles } from '../../platform/auth/actor.ts';

export const unitKinds = ['command_centre', 'street_centre', 'community', 'department', 'hotline', 'grid_team', 'district_gov', 'city_gov'] as const;

// Names are shown in many places; they carry no control characters and nothing that looks like markup.
import { line as name, prose, searchTerm } from '../../platform/http/text.ts';

export { name, prose };

export const regionCode = z.string().regex(/^\d{2,16}$/, 'region codes are 2–16 digits');
export const unitId = z.string().trim().min(1).max(64).regex(/^[\w.-]+$/, 'unit ids are letters, digits, dot, dash or underscore');
export const categoryCode = z.string().regex(/^\d{2,12}$/, 'category codes are 2–12 digits');
export const username = z.string().trim().min(3).max(64).regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'usernames are letters, digits, dot, dash or underscore');
const password = z.string().min(10, 'passwords have at least 10 characters').max(256);
const locale = z.enum(['zh-CN', 'en']);
const page = z.string().regex(/^\d{1,5}$/, 'expected a whole number').transform(Number).pipe(z.number().int().min(1).max(10_000));
const q = searchTerm();

export const UserListQuery = z.object({
  q: q.optional(),
  role: z.enum(roles).optional(),
  page: page.default(1),
  pageSize: z.string().regex(/^\d{1,3}$/).transform(Number).pipe(z.number().int().min(1).max(200)).default(50),
}).strict();
export type UserListQueryT = z.infer<typeof UserListQuery>;

export const UserCreate = z.object({
  username,
  displayName: name(100),
  password,
  role: z.enum(roles),
  unitId: unitId.nullable().optional(),
  regionCode,
  locale: locale.optional(),
}).strict();
export type UserCreateT = z.infer<typeof UserCreate>;

export const UserPatch = z.object({
  displayName: name(100).optional(),
  role: z.enum(roles).optional(),
  unitId: unitId.nullable().optional(),
  regionCode: regionCode.optional(),
  locale: locale.optional(),
  active: z.boolean().optional(),
  password: password.optional(),
}).strict().refine((v) => Object.keys(v).length > 0, 'give at least one field to change');
export type UserPatchT = z.infer<typeof UserPatch>;

export const IdParams = z.object({ id: z.string().regex(/^\d{1,15}$/, 'ids are whole numbers').transform(Number) }).strict();
export const UnitParams = z.object({ id: unitId }).strict();
/** A set-up import's template: units, users or the responsibility list, as XLSX. */
export const SetupTemplateParams = z.object({ kind: z.enum(['units', 'users', 'responsibilities']) }).strict();
export const CategoryParams = z.object({ code: categoryCode }).strict();

export const UnitListQuery = z.object({
  q: q.optional(),
  kind: z.enum(unitKinds).optional(),
  active: z.enum(['true', 'false']).optional(),
}).strict();
export type UnitListQueryT = z.infer<typeof UnitListQuery>;

export const UnitCreate = z.object({
  id: unitId,
  name: name(100),
  nameEn: name(200).nullable().optional(),
  kind: z.enum(unitKinds),
  regionCode,
  parentId: unitId.nullable().optional(),
}).strict();
export type UnitCreateT = z.infer<typeof UnitCreate>;

export const UnitPatch = z.object({
  name: name(100).optional(),
  nameEn: name(200).nullable().optional(),
  kind: z.enum(unitKinds).optional(),
  regionCode: regionCode.optional(),
  parentId: unitId.nullable().optional(),
  active: z.boolean().optional(),
}).strict().refine((v) => Object.keys(v).length > 0, 'give at least one field to change');
export type UnitPatchT = z.infer<typeof UnitPatch>;

/** A case type's name; which types exist is checked against the definitions in force. */
const caseType = z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, 'case types are lower-case letters, digits and underscores');

const limitMinutes = z.number().int().min(1).max(60 * 24 * 365);

export const CategoryListQuery = z.object({
  type: caseType.optional(),
  active: z.enum(['true', 'false']).optional(),
}).strict();

export const CategoryPatch = z.object({
  nameZh: name(100).optional(),
  nameEn: name(200).optional(),
  limitMinutes: limitMinutes.optional(),
  filingCondition: prose(2000).nullable().optional(),
  closingCondition: prose(2000).nullable().optional(),
  active: z.boolean().optional(),
}).strict().refine((v) => Object.keys(v).length > 0, 'give at least one field to change');
export type CategoryPatchT = z.infer<typeof CategoryPatch>;

export const CategoryCreate = z.object({
  code: categoryCode,
  parentCode: categoryCode,
  nameZh: name(100),
  nameEn: name(200),
  caseTypes: z.array(caseType).min(1).max(20).optional(),
  /** Working minutes to handle a case of this category; omit to add a group that gets children of its own. */
  limitMinutes: limitMinutes.optional(),
  filingCondition: prose(2000).optional(),
  closingCondition: prose(2000).optional(),
}).strict();
export type CategoryCreateT = z.infer<typeof CategoryCreate>;

export const ResponsibilityListQuery = z.object({
  category: categoryCode.optional(),
  region: regionCode.optional(),
}).strict();

export const ResponsibilityCreate = z.object({
  categoryCode,
  regionPrefix: regionCode,
  leadUnitId: unitId,
  assistUnitIds: z.array(unitId).max(10).default([]),
  note: prose(500).optional(),
}).strict();
export type ResponsibilityCreateT = z.infer<typeof ResponsibilityCreate>;

/** A rule's units and note change in place; its key (category × region) too, unless another rule holds it. */
export const ResponsibilityPatch = z.object({
  categoryCode: categoryCode.optional(),
  regionPrefix: regionCode.optional(),
  leadUnitId: unitId.optional(),
  assistUnitIds: z.array(unitId).max(10).optional(),
  note: z.union([prose(500), z.literal('')]).optional(),
}).strict().refine((v) => Object.keys(v).length > 0, 'give at least one field to change');
export type ResponsibilityPatchT = z.infer<typeof ResponsibilityPatch>;

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const minutesOf = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3));
const isCivilDate = (s: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
};

export const WorkingHours = z.object({
  periods: z.array(z.object({
    start: z.string().regex(HHMM, "times are 'HH:MM' from 00:00 to 24:00"),
    end: z.string().regex(HHMM, "times are 'HH:MM' from 00:00 to 24:00"),
  }).strict()).min(1).max(8),
}).strict().superRefine((h, ctx) => {
  const sorted = h.periods.map((p, i) => ({ ...p, i, s: minutesOf(p.start), e: minutesOf(p.end) })).sort((a, b) => a.s - b.s);
  for (const [k, p] of sorted.entries()) {
    if (p.s >= p.e) ctx.addIssue({ code: 'custom', path: ['periods', p.i], message: `${p.start}–${p.end} must end after it starts` });
    const prev = sorted[k - 1];
    if (prev && p.s < prev.e) ctx.addIssue({ code: 'custom', path: ['periods', p.i], message: `${p.start}–${p.end} overlaps ${prev.start}–${prev.end}` });
  }
});

export const CalendarPut = z.object({
  hours: WorkingHours.optional(),
  /** The complete set of overrides: dates not listed lose their override. */
  overrides: z.record(z.string().refine(isCivilDate, "dates are real 'YYYY-MM-DD' days"), z.enum(['workday', 'holiday']))
    .refine((o) => Object.keys(o).length <= 2000, 'at most 2000 overrides').optional(),
}).strict().refine((v) => v.hours !== undefined || v.overrides !== undefined, 'give hours, overrides or both');
export type CalendarPutT = z.infer<typeof CalendarPut>;
