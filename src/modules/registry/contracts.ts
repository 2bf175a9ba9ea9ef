// Request schemas of the registry API and their inferred types, side by side. Schemas check shape;
// checks that need data (ID checksums with today's date, dictionary codes, regions, scope) live in
// prepare.ts so the API and the bulk import share them.
import { z } from 'zod';

import { line, prose as anyProse, searchTerm } from '../../platform/http/text.ts';
import { usablePhone } from '../../platform/text.ts';

// Text shown in many places: no control characters and nothing that looks like markup.
export const text = line;
export const prose = (max: number) => anyProse(max, 1);

export const isCivilDate = (s: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s && s >= '1900-01-01' && s <= '2199-12-31';
};
export const civilDate = z.string().refine(isCivilDate, "dates are real days written 'YYYY-MM-DD'");
export const dictCode = z.string().trim().min(1).max(20).regex(/^[A-Za-z0-9_]+$/, 'codes are letters, digits or underscore');
export const gridCode = z.string().regex(/^\d{6,16}$/, 'region codes are 6–16 digits');
export const regionPrefix = z.string().regex(/^\d{2,16}$/, 'region codes are 2–16 digits');
/** What a refused phone number is told (Chinese beside it in the import's messages and the API's field map). */
export const PHONE_MESSAGE = 'give an 11-digit mobile number or a fixed line with its area code (e.g. 023-42812345)';
export const phone = z.string().trim().max(30).refine(usablePhone, PHONE_MESSAGE);
export const documentNumber = z.string().trim().min(4).max(30).regex(/^[0-9A-Za-z-]+$/, 'document numbers are letters, digits and dashes');
export const personName = text(50);
export const recordId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export const lat = z.number().min(-90).max(90);
export const lng = z.number().min(-180).max(180);
export const count = (max: number) => z.number().int().min(0).max(max);
export const area = z.number().min(0).max(10_000_000);

export const IdParams = z.object({ id: z.string().regex(/^\d{1,15}$/, 'ids are whole numbers').transform(Number) }).strict();
export const LabelParams = z.object({
  id: z.string().regex(/^\d{1,15}$/, 'ids are whole numbers').transform(Number),
  labelId: z.string().regex(/^\d{1,15}$/, 'ids are whole numbers').transform(Number),
}).strict();

const pageParam = z.string().regex(/^\d{1,5}$/, 'expected a whole number').transform(Number).pipe(z.number().int().min(1).max(10_000));
const pageSizeParam = z.string().regex(/^\d{1,3}$/, 'expected a whole number').transform(Number).pipe(z.number().int().min(1).max(200));
const search = searchTerm();
const boolParam = z.enum(['true', 'false']);
const idParam = z.string().regex(/^\d{1,15}$/, 'ids are whole numbers').transform(Number);

/** Paging and the region filter every list has. */
export const listBase = {
  regionCode: regionPrefix.optional(),
  q: search.optional(),
  page: pageParam.default(1),
  pageSize: pageSizeParam.default(20),
  count: boolParam.optional(),
};
export interface ListBaseT { regionCode?: string; q?: string; page: number; pageSize: number; count?: 'true' | 'false' }

export const listQueries = {
  persons: z.object({
    ...listBase,
    populationType: z.enum(['registered', 'floating', 'overseas', 'left_behind']).optional(),
    label: z.string().regex(/^[a-z_]{2,40}$/).optional(),
    idType: dictCode.optional(),
    idNumber: documentNumber.optional(),
    phone: phone.optional(),
    houseId: idParam.optional(),
    householdId: idParam.optional(),
  }).strict(),
  households: z.object({ ...listBase, houseId: idParam.optional(), householdNo: text(30).optional() }).strict(),
  buildings: z.object({ ...listBase, useType: dictCode.optional() }).strict(),
  houses: z.object({ ...listBase, buildingId: idParam.optional(), rented: boolParam.optional(), useType: dictCode.optional() }).strict(),
  rooms: z.object({ ...listBase, houseId: idParam.optional(), rented: boolParam.optional() }).strict(),
  places: z.object({ ...listBase, kind: dictCode.optional(), buildingId: idParam.optional() }).strict(),
  facilities: z.object({
    ...listBase,
    major: z.string().regex(/^\d{2}$/).optional(), minor: z.string().regex(/^\d{2}$/).optional(),
    state: z.enum(['intact', 'damaged', 'lost', 'scrapped']).optional(), code: z.string().regex(/^\d{16}$/).optional(),
  }).strict(),
  things: z.object({
    ...listBase,
    kind: z.enum(['camera', 'sensor']).optional(), status: z.enum(['online', 'offline', 'fault', 'retired']).optional(),
    sensorType: dictCode.optional(), facilityId: idParam.optional(),
  }).strict(),
  organisations: z.object({
    ...listBase,
    kind: z.enum(['enterprise', 'social', 'party']).optional(), creditCode: z.string().trim().min(1).max(18).optional(),
    typeCode: dictCode.optional(), parentId: idParam.optional(),
  }).strict(),
};

export const RevealBody = z.object({
  purpose: prose(200).refine((s) => s.length >= 2, 'state the purpose in at least two characters'),
  /** which personal fields to reveal; all when omitted */
  fields: z.array(z.string().regex(/^[a-zA-Z]{2,40}$/)).min(1).max(20).optional(),
}).strict();
export type RevealBodyT = z.infer<typeof RevealBody>;

export const DictionaryParams = z.object({ name: z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, 'dictionary names are lower-case letters, digits and underscore') }).strict();
export const DictionaryQuery = z.object({ all: boolParam.optional() }).strict();
export const DictionaryPatch = z.object({
  entries: z.array(z.object({
    code: dictCode,
    labelZh: text(100).optional(),
    labelEn: text(200).nullable().optional(),
    parentCode: dictCode.nullable().optional(),
    aliases: z.array(text(50)).max(10).optional(),
    active: z.boolean().optional(),
  }).strict()).min(1).max(500),
}).strict();
export type DictionaryPatchT = z.infer<typeof DictionaryPatch>;

export const GrantCreate = z.object({
  userId: recordId,
  reason: prose(500),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
}).strict();
export type GrantCreateT = z.infer<typeof GrantCreate>;

export const AuditRevealQuery = z.object({
  actorId: idParam.optional(),
  /** the viewer: a user name, or part of a display name */
  viewer: searchTerm().optional(),
  /** the person whose data was revealed: full name, surname (one character, or a 复姓) or ID number (found by keyed hash, never compared in clear) */
  person: z.string().trim().min(1).max(40).regex(/^[^<>\u0000-\u001f]+$/, 'a name or an ID number').optional(),
  target: z.string().regex(/^[a-z_]+:\d{1,15}$/, "targets look like 'person:12'").optional(),
  regionCode: regionPrefix.optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  page: pageParam.default(1),
  pageSize: pageSizeParam.default(50),
}).strict();
export type AuditRevealQueryT = z.infer<typeof AuditRevealQuery>;

export const importKinds = ['persons', 'houses', 'organisations', 'facilities'] as const;
export type ImportKind = (typeof importKinds)[number];
export const ImportQuery = z.object({
  kind: z.enum(importKinds),
  mode: z.enum(['all_or_nothing', 'valid_rows']).default('all_or_nothing'),
  /** answer when the import has finished instead of at once with 202 */
  wait: boolParam.optional(),
}).strict();
export const TemplateParams = z.object({ kind: z.enum(importKinds) }).strict();
export const ExportParams = z.object({ kind: z.enum(importKinds) }).strict();
export const ExportQuery = z.object({ regionCode: regionPrefix.optional() }).strict();

export const FollowupCreate = z.object({
  kind: z.enum(['track', 'assist']),
  method: z.enum(['visit', 'phone', 'video', 'meeting', 'other']),
  content: prose(2000),
  occurredAt: z.iso.datetime({ offset: true }),
  nextDueOn: civilDate.optional(),
}).strict();
export type FollowupCreateT = z.infer<typeof FollowupCreate>;

export const LabelCreate = z.object({
  type: z.string().regex(/^[a-z_]{2,40}$/, 'label types are lower-case words'),
  customName: text(30).optional(),
  attentionLevel: dictCode.optional(),
  startedOn: civilDate.optional(),
  endedOn: civilDate.optional(),
  fields: z.record(z.string().max(40), z.unknown()).refine((o) => Object.keys(o).length <= 40, 'at most 40 fields').default({}),
}).strict();
export type LabelCreateT = z.infer<typeof LabelCreate>;

export const LabelPatch = z.object({
  /** why the label changes (kept in its history) */
  reason: prose(500).optional(),
  customName: text(30).optional(),
  attentionLevel: dictCode.nullable().optional(),
  startedOn: civilDate.nullable().optional(),
  endedOn: civilDate.nullable().optional(),
  active: z.boolean().optional(),
  /** changes the label's fields by key; null clears one */
  fields: z.record(z.string().max(40), z.unknown()).refine((o) => Object.keys(o).length <= 40, 'at most 40 fields').optional(),
}).strict().refine((v) => Object.keys(v).length > 0, 'give at least one field to change');
export type LabelPatchT = z.infer<typeof LabelPatch>;

/** How a supervisor settles a duplicate registration (duplicates.ts). */
export const DuplicateResolveBody = z.object({
  resolution: z.enum(['move', 'discard']),
  note: z.string().trim().min(1).max(500).optional(),
}).strict();

/** Ending a label: end (the term is over: 解矫, 期满) or lift (解除: no longer a key person), with the date and reason. */
export const LabelEnd = z.object({
  kind: z.enum(['end', 'lift']),
  on: civilDate,
  reason: prose(500).refine((s) => s.length >= 2, 'give the reason in at least two characters'),
  /** fields of the label to set as it ends (社区矫正: terminationType, terminatedOn) */
  fields: z.record(z.string().max(40), z.unknown()).refine((o) => Object.keys(o).length <= 10, 'at most 10 fields').optional(),
}).strict();
export type LabelEndT = z.infer<typeof LabelEnd>;

/** A tenancy (以房管人): a registered person renting the house, or one room of it. */
export const TenancyCreate = z.object({
  personId: recordId,
  roomId: recordId.optional(),
  /** the household renting with the tenant; the tenant's own household when absent */
  householdId: recordId.optional(),
  rentalUse: dictCode.optional(),
  leaseStart: civilDate.optional(),
  leaseEnd: civilDate.optional(),
  note: prose(500).optional(),
}).strict();
export type TenancyCreateT = z.infer<typeof TenancyCreate>;
export const TenancyParams = z.object({
  id: z.string().regex(/^\d{1,15}$/, 'ids are whole numbers').transform(Number),
  tenancyId: z.string().regex(/^\d{1,15}$/, 'ids are whole numbers').transform(Number),
}).strict();
export const TenancyEnd = z.object({ endedOn: civilDate }).strict();
