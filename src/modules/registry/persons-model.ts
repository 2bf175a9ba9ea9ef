// 实有人口 (GB/T 31000 §1.2–1.3): the person's base fields, the fields of each population type
// (户籍, 流动, 境外, 留守), and the labels for special populations with the fields of each label type.
// Each set of fields is a strict zod object plus the dictionaries its codes come from and the
// personal fields in it (sealed and masked like the person's own ID number, name and phone).
import { z } from 'zod';
import {
  civilDate, count, dictCode, documentNumber, gridCode, personName, phone, prose, recordId, text,
} from './contracts.ts';
import type { CheckEnv, FieldDef, Issue, SensitiveDef } from './kinds.ts';
import { checkIdNumber, idNumberReason } from './id-number.ts';

export const populationTypes = ['registered', 'floating', 'overseas', 'left_behind'] as const;
export type PopulationType = (typeof populationTypes)[number];
export const populationTypeNames: Record<PopulationType, { zh: string; en: string }> = {
  registered: { zh: '户籍人口', en: 'Registered resident' },
  floating: { zh: '流动人口', en: 'Floating population' },
  overseas: { zh: '境外人员', en: 'Overseas person' },
  left_behind: { zh: '留守人员', en: 'Left-behind person' },
};

/** ID document types whose numbers are 公民身份号码 (GB 11643) and checked as such. */
export const RESIDENT_ID_TYPES = new Set(['111', '112']);

const f = (api: string, col: string, pg: FieldDef['pg'], schema: z.ZodType, zh: string, extra: Partial<FieldDef> = {}): FieldDef =>
  ({ api, col, pg, schema, zh, ...extra });

/** Plain columns of a person (the personal ones — ID number, name, phone — are handled apart). */
export const personFields: FieldDef[] = [
  f('sex', 'sex', 'text', dictCode, '性别', { dict: 'sex' }),
  f('birthDate', 'birth_date', 'date', civilDate, '出生日期'),
  f('ethnicity', 'ethnicity', 'text', dictCode, '民族', { dict: 'ethnicity' }),
  f('nativePlace', 'native_place', 'text', z.string().regex(/^\d{6}$/, 'native place is a 6-digit GB/T 2260 code'), '籍贯'),
  f('maritalStatus', 'marital_status', 'text', dictCode, '婚姻状况', { dict: 'marital_status' }),
  f('politicalStatus', 'political_status', 'text', dictCode, '政治面貌', { dict: 'political_status' }),
  f('education', 'education', 'text', dictCode, '学历', { dict: 'education' }),
  f('religion', 'religion', 'text', dictCode, '宗教信仰', { dict: 'religion' }),
  f('occupation', 'occupation', 'text', text(100), '职业'),
  f('employer', 'employer', 'text', text(200), '服务处所'),
  f('householdConsistency', 'household_consistency', 'text', dictCode, '人户一致标识', { dict: 'household_consistency' }),
  f('registeredAddress', 'registered_address', 'text', text(200), '户籍门(楼)详址'),
  f('currentAddress', 'current_address', 'text', text(200), '现住门(楼)详址'),
  f('relationToHead', 'relation_to_head', 'text', dictCode, '与户主关系', { dict: 'relationship' }),
];

/** A set of typed fields stored as jsonb, with its personal parts sealed. */
export interface FieldSet {
  zh: string;
  en: string;
  schema: z.ZodObject<any>;
  /** dictionary per field (arrays: each element) */
  dict: Record<string, string>;
  sensitive: SensitiveDef[];
  check?: (v: Record<string, any>, issues: Issue[]) => void;
}

const bool = z.boolean();
const guardian: SensitiveDef[] = [
  { api: 'guardianName', kind: 'name', zh: '监护人姓名' },
  { api: 'guardianIdNumber', kind: 'id', zh: '监护人公民身份号码' },
  { api: 'guardianPhone', kind: 'phone', zh: '监护人联系方式' },
];
const guardianShape = { guardianName: personName.optional(), guardianIdNumber: documentNumber.optional(), guardianPhone: phone.optional() };
const dateOrder = (from: string, to: string) => (v: Record<string, any>, issues: Issue[]) => {
  if (v[from] && v[to] && v[to] < v[from]) issues.push({ path: to, code: 'date_order', message: `${to} is before ${from}` });
};

export const populationDetails: Record<PopulationType, FieldSet> = {
  registered: {
    ...populationTypeNames.registered,
    schema: z.object({ householdNo: z.string().trim().regex(/^[0-9A-Za-z-]{1,30}$/, '户号 is letters, digits and dashes').optional() }).strict(),
    dict: {}, sensitive: [],
  },
  floating: {
    ...populationTypeNames.floating,
    schema: z.object({
      inflowReason: dictCode.optional(), residenceType: dictCode.optional(), registeredOn: civilDate.optional(),
      permitType: text(50).optional(), permitNo: text(30).optional(), permitExpiresOn: civilDate.optional(),
      originAddress: text(200).optional(), keyAttention: bool.optional(),
    }).strict(),
    dict: { inflowReason: 'inflow_reason', residenceType: 'residence_type' }, sensitive: [],
  },
  overseas: {
    ...populationTypeNames.overseas,
    schema: z.object({
      foreignSurname: text(80).optional(), foreignGivenName: text(80).optional(), nationality: dictCode,
      visitPurpose: dictCode.optional(), documentExpiresOn: civilDate.optional(), arrivedOn: civilDate.optional(),
      expectedDepartureOn: civilDate.optional(), keyAttention: bool.optional(),
    }).strict(),
    dict: { nationality: 'nationality', visitPurpose: 'visit_purpose' }, sensitive: [],
    check: dateOrder('arrivedOn', 'expectedDepartureOn'),
  },
  left_behind: {
    ...populationTypeNames.left_behind,
    schema: z.object({
      leftBehindType: dictCode, healthStatus: dictCode.optional(), annualIncome: z.number().min(0).max(100_000_000).optional(),
      familyMemberName: personName.optional(), familyMemberPhone: phone.optional(), familyMemberRelation: dictCode.optional(),
      familyMemberWorkAddress: text(200).optional(), difficulties: prose(1000).optional(), assistance: prose(1000).optional(),
    }).strict(),
    dict: { leftBehindType: 'left_behind_type', healthStatus: 'health_status', familyMemberRelation: 'relationship' },
    sensitive: [{ api: 'familyMemberName', kind: 'name', zh: '家庭主要成员姓名' }, { api: 'familyMemberPhone', kind: 'phone', zh: '家庭主要成员联系方式' }],
  },
};

export const labelTypes = {
  released_prisoner: {
    zh: '刑满释放人员', en: 'Released prisoner',
    schema: z.object({
      releasedOn: civilDate, isRecidivist: bool.optional(), originalCharge: text(100).optional(), originalSentence: text(50).optional(),
      prison: text(100).optional(), riskAssessment: text(50).optional(), handoverOn: civilDate.optional(),
      placementStatus: dictCode.optional(), placementOn: civilDate.optional(), notPlacedReason: text(200).optional(),
      helpAndEducation: prose(1000).optional(), reoffended: bool.optional(), reoffenceCharge: text(100).optional(),
    }).strict(),
    dict: { placementStatus: 'placement_status' }, sensitive: [],
  },
  community_correction: {
    zh: '社区矫正人员', en: 'Person under community correction',
    schema: z.object({
      correctionNo: text(30).optional(), correctionCategory: dictCode, caseCategory: text(50).optional(), charge: text(100).optional(),
      originalSentence: text(50).optional(), correctionStartOn: civilDate, correctionEndOn: civilDate,
      receivingMethod: text(50).optional(), hasCorrectionGroup: bool.optional(), absconded: bool.optional(), reoffended: bool.optional(),
    }).strict(),
    dict: { correctionCategory: 'correction_category' }, sensitive: [],
    check: dateOrder('correctionStartOn', 'correctionEndOn'),
  },
  severe_mental_disorder: {
    zh: '严重精神障碍患者', en: 'Person with a severe mental disorder',
    schema: z.object({
      diagnosis: dictCode.optional(), riskLevel: z.number().int().min(0).max(5), firstOnsetOn: civilDate.optional(),
      incidentHistory: bool.optional(), incidentCount: count(1000).optional(), lastIncidentOn: civilDate.optional(),
      treatment: text(100).optional(), hospital: text(100).optional(), lowIncomeSupport: bool.optional(),
      managementLevel: text(20).optional(), guardianRelation: dictCode.optional(), ...guardianShape,
    }).strict(),
    dict: { diagnosis: 'mental_diagnosis', guardianRelation: 'relationship' }, sensitive: guardian,
  },
  drug_user: {
    zh: '吸毒人员', en: 'Drug user',
    schema: z.object({
      firstFoundOn: civilDate.optional(), controlStatus: dictCode.optional(), controllerName: text(50).optional(),
      helperName: text(50).optional(), hasCriminalRecord: bool.optional(), criminalRecord: prose(500).optional(),
      drugReason: text(100).optional(), consequence: text(100).optional(),
    }).strict(),
    dict: { controlStatus: 'control_status' }, sensitive: [],
  },
  key_youth: {
    zh: '重点青少年', en: 'Key youth',
    schema: z.object({
      youthTypes: z.array(dictCode).min(1).max(6), familySituation: text(100).optional(), guardianRelation: dictCode.optional(),
      guardianAddress: text(200).optional(), offended: bool.optional(), offenceRecord: prose(500).optional(),
      helperName: text(50).optional(), helpMethod: text(100).optional(), helpRecord: prose(1000).optional(), ...guardianShape,
    }).strict(),
    dict: { youthTypes: 'key_youth_type', guardianRelation: 'relationship' }, sensitive: guardian,
  },
  hiv_risk: {
    zh: '艾滋病危险人员', en: 'Person at risk of HIV',
    schema: z.object({
      infectionRoute: dictCode.optional(), hasCriminalRecord: bool.optional(), criminalRecord: prose(500).optional(),
      attentionType: text(50).optional(), treatmentStatus: text(50).optional(), treatmentInstitution: text(100).optional(),
      helperName: text(50).optional(), helpRecord: prose(1000).optional(),
    }).strict(),
    dict: { infectionRoute: 'infection_route' }, sensitive: [],
  },
  petitioner: {
    zh: '上访人员', en: 'Petitioner',
    schema: z.object({
      issue: prose(1000), firstPetitionOn: civilDate.optional(), lastPetitionOn: civilDate.optional(),
      petitionCount: count(10_000).optional(), highestLevel: dictCode.optional(), collective: bool.optional(),
      resolved: bool.optional(), responsibleLeader: text(50).optional(),
    }).strict(),
    dict: { highestLevel: 'petition_level' }, sensitive: [],
    check: dateOrder('firstPetitionOn', 'lastPetitionOn'),
  },
  custom: {
    zh: '自定义标签', en: 'Custom label',
    schema: z.object({}).catchall(z.union([text(500), z.number(), z.boolean()]))
      .refine((o) => Object.keys(o).length <= 30, 'at most 30 fields')
      .refine((o) => Object.keys(o).every((k) => /^[A-Za-z][A-Za-z0-9_]{0,39}$/.test(k)), 'field names are letters, digits and underscore') as unknown as z.ZodObject<any>,
    dict: {}, sensitive: [],
  },
} satisfies Record<string, FieldSet>;
export type LabelType = keyof typeof labelTypes;
export const isLabelType = (t: string): t is LabelType => Object.hasOwn(labelTypes, t);

/** Validates a field set: shape, codes, ID numbers, cross-field rules. Paths are prefixed. */
const emptyOk = new WeakMap<FieldSet, boolean>();
const isEmpty = (v: unknown) => v == null || (typeof v === 'object' && Object.keys(v as object).length === 0);

export function checkFieldSet(set: FieldSet, value: unknown, env: CheckEnv, prefix: string): { value: Record<string, any>; issues: Issue[] } {
  // most rows of a bulk import have no fields here: answer without a parse when no field is required
  if (isEmpty(value)) {
    if (!emptyOk.has(set)) emptyOk.set(set, set.schema.safeParse({}).success);
    if (emptyOk.get(set)) return { value: {}, issues: [] };
  }
  const r = set.schema.safeParse(value ?? {});
  if (!r.success) {
    const issues = r.error.issues.slice(0, 20).flatMap((i): Issue[] => (i.code === 'unrecognized_keys'
      ? i.keys.map((k) => ({ path: [prefix, ...i.path.map(String), k].join('.'), code: 'validation_failed', message: `${k} is not a field of ${set.zh}` }))
      : [{ path: [prefix, ...i.path.map(String)].join('.'), code: 'validation_failed', message: i.message }]));
    return { value: {}, issues };
  }
  const v = r.data as Record<string, any>;
  const issues: Issue[] = [];
  for (const [key, dict] of Object.entries(set.dict)) {
    const x = v[key];
    if (x == null) continue;
    for (const code of Array.isArray(x) ? x : [x]) {
      if (!env.has(dict, code)) issues.push({ path: `${prefix}.${key}`, code: 'unknown_code', message: `${code} is not a code of ${dict}` });
    }
  }
  for (const s of set.sensitive) {
    if (s.kind !== 'id' || v[s.api] == null) continue;
    const c = checkIdNumber(v[s.api], env.today);
    if (!c.ok) issues.push({ path: `${prefix}.${s.api}`, code: 'invalid_id_number', message: idNumberReason(c.problem) });
  }
  const crossIssues: Issue[] = [];
  set.check?.(v, crossIssues);
  for (const i of crossIssues) issues.push({ ...i, path: `${prefix}.${i.path}` });
  return { value: v, issues };
}

const detailsShape = z.record(z.string().max(40), z.unknown()).refine((o) => Object.keys(o).length <= 40, 'at most 40 fields');

const personShape = (create: boolean) => {
  const shape: Record<string, z.ZodType> = {
    regionCode: gridCode.optional(),
    houseId: create ? recordId.optional() : recordId.nullable().optional(),
    householdId: create ? recordId.optional() : recordId.nullable().optional(),
    populationType: create ? z.enum(populationTypes) : z.enum(populationTypes).optional(),
    idType: dictCode.optional(),
    idNumber: create ? documentNumber : documentNumber.optional(),
    name: create ? personName : personName.optional(),
    phone: create ? phone.optional() : phone.nullable().optional(),
    details: create ? detailsShape.optional() : detailsShape.optional(),
  };
  for (const fd of personFields) shape[fd.api] = create ? fd.schema.optional() : fd.schema.nullable().optional();
  return shape;
};

export const PersonCreate = z.object(personShape(true)).strict();
export type PersonCreateT = z.infer<typeof PersonCreate> & Record<string, any>;
export const PersonPatch = z.object(personShape(false)).strict().refine((v) => Object.keys(v).length > 0, 'give at least one field to change');
export type PersonPatchT = z.infer<typeof PersonPatch> & Record<string, any>;
