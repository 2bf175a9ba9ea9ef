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
/** A place (籍贯, 户籍地, 现住地): a GB/T 2260 division code of 6 digits — a province, prefecture or county. */
const placeCode = () => z.string().trim().regex(/^\d{6}$/, PLACE_MESSAGE);
export const PLACE_MESSAGE = 'places are 6-digit GB/T 2260 division codes (a province, prefecture or county)';

/** Plain columns of a person (the personal ones — ID number, name, phone — are handled apart). */
export const personFields: FieldDef[] = [
  f('sex', 'sex', 'text', dictCode, '性别', { dict: 'sex', en: 'Sex' }),
  f('birthDate', 'birth_date', 'date', civilDate, '出生日期', { en: 'Date of birth' }),
  f('ethnicity', 'ethnicity', 'text', dictCode, '民族', { dict: 'ethnicity', en: 'Ethnicity' }),
  f('nativePlace', 'native_place', 'text', placeCode(), '籍贯', { en: 'Native place (GB/T 2260)', place: true }),
  f('maritalStatus', 'marital_status', 'text', dictCode, '婚姻状况', { dict: 'marital_status', en: 'Marital status' }),
  f('politicalStatus', 'political_status', 'text', dictCode, '政治面貌', { dict: 'political_status', en: 'Political status' }),
  f('education', 'education', 'text', dictCode, '学历', { dict: 'education', en: 'Education' }),
  f('religion', 'religion', 'text', dictCode, '宗教信仰', { dict: 'religion', en: 'Religion' }),
  f('occupationCategory', 'occupation_category', 'text', z.string().trim().regex(/^[0-9A-Za-z-]{1,8}$/, 'occupation categories are GB/T 6565 codes'), '职业类别', { en: 'Occupation category (GB/T 6565)' }),
  f('occupation', 'occupation', 'text', text(100), '职业', { en: 'Occupation' }),
  f('employer', 'employer', 'text', text(200), '服务处所', { en: 'Employer' }),
  f('householdConsistency', 'household_consistency', 'text', dictCode, '人户一致标识', { dict: 'household_consistency', en: 'Lives where registered' }),
  f('registeredPlace', 'registered_place', 'text', placeCode(), '户籍地', { en: 'Registered place (GB/T 2260)', place: true }),
  f('registeredAddress', 'registered_address', 'text', text(200), '户籍门(楼)详址', { en: 'Registered address' }),
  f('currentPlace', 'current_place', 'text', placeCode(), '现住地', { en: 'Current place (GB/T 2260)', place: true }),
  f('currentAddress', 'current_address', 'text', text(200), '现住门(楼)详址', { en: 'Current address' }),
  f('relationToHead', 'relation_to_head', 'text', dictCode, '与户主关系', { dict: 'relationship', en: 'Relation to the head of household' }),
];

/**
 * One field of a field set, as data: the console draws its form and shows its label from this (a code
 * field shows the dictionary's label, 缓刑 not 2), the import reads its cells by it, and its zod schema
 * is made from it. Personal kinds (name, phone, idNumber) are sealed and masked.
 */
export type FieldKind = 'text' | 'prose' | 'date' | 'bool' | 'int' | 'number' | 'code' | 'codes' | 'name' | 'phone' | 'idNumber' | 'place';
export interface FieldSpec {
  key: string; zh: string; en: string; kind: FieldKind;
  required?: boolean; dict?: string; max?: number; min?: number;
}

/** A set of typed fields stored as jsonb, with its personal parts sealed. */
export interface FieldSet {
  zh: string;
  en: string;
  /** the fields, in the order forms show them ([] for a custom label, whose fields are free) */
  fields: FieldSpec[];
  schema: z.ZodObject<any>;
  /** dictionary per field (arrays: each element) */
  dict: Record<string, string>;
  sensitive: SensitiveDef[];
  check?: (v: Record<string, any>, issues: Issue[]) => void;
}

const bool = z.boolean();

function specSchema(f: FieldSpec): z.ZodType {
  switch (f.kind) {
    case 'text': return text(f.max ?? 100);
    case 'prose': return prose(f.max ?? 1000);
    case 'date': return civilDate;
    case 'bool': return bool;
    case 'int': return z.number().int().min(f.min ?? 0).max(f.max ?? 1_000_000);
    case 'number': return z.number().min(f.min ?? 0).max(f.max ?? 100_000_000);
    case 'code': return dictCode;
    case 'codes': return z.array(dictCode).min(f.required ? 1 : 0).max(f.max ?? 10);
    case 'name': return personName;
    case 'phone': return phone;
    case 'idNumber': return documentNumber;
    case 'place': return placeCode();
  }
}
const SENSITIVE_KIND = { name: 'name', phone: 'phone', idNumber: 'id' } as const;

function fieldSet(zh: string, en: string, fields: FieldSpec[], check?: FieldSet['check']): FieldSet {
  const shape: Record<string, z.ZodType> = {};
  for (const f of fields) shape[f.key] = f.required ? specSchema(f) : specSchema(f).optional();
  return {
    zh, en, fields, schema: z.object(shape).strict(), check,
    dict: Object.fromEntries(fields.filter((f) => f.dict).map((f) => [f.key, f.dict!])),
    sensitive: fields.filter((f) => f.kind in SENSITIVE_KIND).map((f) => ({ api: f.key, kind: SENSITIVE_KIND[f.kind as 'name'], zh: f.zh })),
  };
}
/** A field: key, 中文, English, kind, and optionally the dictionary, required, bounds. */
const fd = (key: string, zh: string, en: string, kind: FieldKind, extra: Partial<FieldSpec> = {}): FieldSpec => ({ key, zh, en, kind, ...extra });
const code = (key: string, zh: string, en: string, dict: string, extra: Partial<FieldSpec> = {}) => fd(key, zh, en, 'code', { dict, ...extra });

const guardianFields = [
  code('guardianRelation', '与监护人关系', 'Relation to guardian', 'relationship'),
  fd('guardianName', '监护人姓名', "Guardian's name", 'name'),
  fd('guardianIdNumber', '监护人公民身份号码', "Guardian's ID number", 'idNumber'),
  fd('guardianPhone', '监护人联系方式', "Guardian's phone", 'phone'),
];
const helpFields = [
  fd('helperName', '帮扶人姓名', 'Helper', 'text', { max: 50 }),
  fd('helperPhone', '帮扶人联系方式', "Helper's phone", 'text', { max: 20 }),
  fd('helpRecord', '帮扶情况', 'Help given', 'prose'),
];
const dateOrder = (from: string, to: string) => (v: Record<string, any>, issues: Issue[]) => {
  if (v[from] && v[to] && v[to] < v[from]) issues.push({ path: to, code: 'date_order', message: `${to} is before ${from}` });
};
const both = (...checks: Array<FieldSet['check']>) => (v: Record<string, any>, issues: Issue[]) => { for (const c of checks) c?.(v, issues); };

export const populationDetails: Record<PopulationType, FieldSet> = {
  registered: fieldSet(populationTypeNames.registered.zh, populationTypeNames.registered.en, [
    fd('householdNo', '户号', 'Household number', 'text', { max: 30 }),
  ], (v, issues) => {
    if (v.householdNo != null && !/^[0-9A-Za-z-]{1,30}$/.test(v.householdNo)) issues.push({ path: 'householdNo', code: 'validation_failed', message: '户号 is letters, digits and dashes' });
  }),
  floating: fieldSet(populationTypeNames.floating.zh, populationTypeNames.floating.en, [
    code('inflowReason', '流入原因', 'Reason for moving in', 'inflow_reason'),
    code('residenceType', '住所类型', 'Type of residence', 'residence_type'),
    fd('registeredOn', '登记日期', 'Registered on', 'date'),
    fd('permitType', '证件类型', 'Permit type', 'text', { max: 50 }),
    fd('permitNo', '证件号码', 'Permit number', 'text', { max: 30 }),
    fd('permitExpiresOn', '证件有效期', 'Permit valid until', 'date'),
    fd('originAddress', '户籍地详址', 'Address of origin', 'text', { max: 200 }),
    fd('keyAttention', '是否重点关注人员', 'Key attention', 'bool'),
  ]),
  overseas: fieldSet(populationTypeNames.overseas.zh, populationTypeNames.overseas.en, [
    fd('foreignSurname', '外文姓', 'Surname', 'text', { max: 80 }),
    fd('foreignGivenName', '外文名', 'Given name', 'text', { max: 80 }),
    code('nationality', '国籍(地区)', 'Nationality', 'nationality', { required: true }),
    code('visitPurpose', '来华目的', 'Purpose of visit', 'visit_purpose'),
    fd('documentExpiresOn', '证件有效期', 'Document valid until', 'date'),
    fd('arrivedOn', '抵达日期', 'Arrived on', 'date'),
    fd('expectedDepartureOn', '预计离开日期', 'Expected departure', 'date'),
    fd('keyAttention', '是否重点关注人员', 'Key attention', 'bool'),
  ], dateOrder('arrivedOn', 'expectedDepartureOn')),
  left_behind: fieldSet(populationTypeNames.left_behind.zh, populationTypeNames.left_behind.en, [
    code('leftBehindType', '留守人员类型', 'Left-behind type', 'left_behind_type', { required: true }),
    code('healthStatus', '健康状况', 'Health', 'health_status'),
    fd('annualIncome', '个人年收入', 'Annual income', 'number'),
    fd('familyMemberName', '家庭主要成员姓名', 'Main family member', 'name'),
    fd('familyMemberPhone', '家庭主要成员联系方式', "Family member's phone", 'phone'),
    code('familyMemberRelation', '与留守人员关系', 'Relation', 'relationship'),
    fd('familyMemberWorkAddress', '家庭主要成员工作详址', "Family member's work address", 'text', { max: 200 }),
    fd('difficulties', '困难及诉求', 'Difficulties and needs', 'prose'),
    fd('assistance', '帮扶情况', 'Help given', 'prose'),
  ]),
};

export const labelTypes = {
  released_prisoner: fieldSet('刑满释放人员', 'Released prisoner', [
    fd('releasedOn', '释放日期', 'Released on', 'date', { required: true }),
    fd('isRecidivist', '是否累犯', 'Recidivist', 'bool'),
    fd('originalCharge', '原罪名', 'Original charge', 'text'),
    fd('originalSentence', '原判刑期', 'Original sentence', 'text', { max: 50 }),
    fd('prison', '服刑场所', 'Prison', 'text'),
    fd('riskAssessment', '危险性评估类型', 'Risk assessment', 'text', { max: 50 }),
    fd('handoverOn', '衔接日期', 'Handed over on', 'date'),
    code('placementStatus', '安置情况', 'Placement', 'placement_status'),
    fd('placementOn', '安置日期', 'Placed on', 'date'),
    fd('notPlacedReason', '未安置原因', 'Why not placed', 'text', { max: 200 }),
    fd('helpAndEducation', '帮教情况', 'Help and education', 'prose'),
    fd('reoffended', '是否重新犯罪', 'Reoffended', 'bool'),
    fd('reoffenceCharge', '重新犯罪罪名', 'New charge', 'text'),
  ]),
  community_correction: fieldSet('社区矫正人员', 'Person under community correction', [
    fd('correctionNo', '社区矫正人员编号', 'Correction number', 'text', { max: 30 }),
    fd('formerCustody', '原羁押场所', 'Former place of custody', 'text'),
    code('correctionCategory', '矫正类别', 'Correction category', 'correction_category', { required: true }),
    fd('caseCategory', '案件类别', 'Case category', 'text', { max: 50 }),
    fd('charge', '具体罪名', 'Charge', 'text'),
    fd('originalSentence', '原判刑期', 'Original sentence', 'text', { max: 50 }),
    fd('sentenceStartOn', '原判刑开始日期', 'Sentence started on', 'date'),
    fd('sentenceEndOn', '原判刑结束日期', 'Sentence ends on', 'date'),
    fd('correctionStartOn', '矫正开始日期', 'Correction starts on', 'date', { required: true }),
    fd('correctionEndOn', '矫正结束日期', 'Correction ends on', 'date', { required: true }),
    fd('receivingMethod', '接收方式', 'How received', 'text', { max: 50 }),
    fd('fourHistories', '"四史"情况', 'Four histories', 'text', { max: 200 }),
    fd('isRecidivist', '是否累惯犯', 'Recidivist', 'bool'),
    fd('threeInvolvements', '"三涉"情况', 'Three involvements', 'text', { max: 200 }),
    fd('hasCorrectionGroup', '是否建立矫正小组', 'Correction group set up', 'bool'),
    fd('correctionGroup', '矫正小组人员组成情况', 'Correction group members', 'text', { max: 200 }),
    fd('absconded', '是否有脱管', 'Absconded', 'bool'),
    fd('abscondReason', '脱管原因', 'Why absconded', 'text', { max: 200 }),
    fd('missedSupervision', '是否有漏管', 'Missed supervision', 'bool'),
    fd('rewardsAndPenalties', '奖惩情况', 'Rewards and penalties', 'text', { max: 200 }),
    fd('sentenceChange', '刑罚变更执行情况', 'Change of sentence', 'text', { max: 200 }),
    fd('reoffended', '是否重新犯罪', 'Reoffended', 'bool'),
    fd('reoffenceCharge', '重新犯罪罪名', 'New charge', 'text'),
    code('terminationType', '矫正解除(终止)类型', 'How correction ended (解矫)', 'correction_termination'),
    fd('terminatedOn', '解矫日期', 'Correction ended on', 'date'),
  ], both(dateOrder('correctionStartOn', 'correctionEndOn'), dateOrder('sentenceStartOn', 'sentenceEndOn'))),
  severe_mental_disorder: fieldSet('严重精神障碍患者', 'Person with a severe mental disorder', [
    code('diagnosis', '目前诊断类型', 'Diagnosis', 'mental_diagnosis'),
    fd('riskLevel', '危险性评估等级', 'Risk level (0–5)', 'int', { required: true, min: 0, max: 5 }),
    fd('firstOnsetOn', '初次发病日期', 'First onset', 'date'),
    fd('incidentHistory', '有无肇事肇祸史', 'History of incidents', 'bool'),
    fd('incidentCount', '肇事肇祸次数', 'Incidents', 'int', { max: 1000 }),
    fd('lastIncidentOn', '上次肇事肇祸日期', 'Last incident', 'date'),
    fd('treatment', '治疗情况', 'Treatment', 'text'),
    fd('hospital', '治疗医院名称', 'Hospital', 'text'),
    fd('familyEconomy', '家庭经济状况', 'Family finances', 'text', { max: 50 }),
    fd('lowIncomeSupport', '是否纳入低保', 'Receives 低保', 'bool'),
    fd('managementLevel', '管理等级', 'Management level', 'text', { max: 20 }),
    fd('managers', '参与管理人员', 'Managed by', 'text', { max: 200 }),
    ...guardianFields,
    fd('helpRecord', '帮扶情况', 'Help given', 'prose'),
  ]),
  drug_user: fieldSet('吸毒人员', 'Drug user', [
    fd('firstFoundOn', '初次发现日期', 'First found on', 'date'),
    code('controlStatus', '管控情况', 'Control status', 'control_status'),
    fd('controllerName', '管控人姓名', 'Controller', 'text', { max: 50 }),
    fd('controllerPhone', '管控人联系方式', "Controller's phone", 'text', { max: 20 }),
    fd('hasCriminalRecord', '有无犯罪史', 'Criminal record', 'bool'),
    fd('criminalRecord', '犯罪情况', 'Offences', 'prose', { max: 500 }),
    fd('drugReason', '吸毒原因', 'Why', 'text'),
    fd('consequence', '吸毒后果', 'Consequences', 'text'),
    ...helpFields,
  ]),
  key_youth: fieldSet('重点青少年', 'Key youth', [
    code('youthTypes', '人员类型', 'Type', 'key_youth_type', { kind: 'codes', required: true, max: 6 }),
    fd('familySituation', '家庭情况', 'Family situation', 'text'),
    ...guardianFields,
    fd('guardianAddress', '监护人居住详址', "Guardian's address", 'text', { max: 200 }),
    fd('offended', '是否违法犯罪', 'Offended', 'bool'),
    fd('offenceRecord', '违法犯罪情况', 'Offences', 'prose', { max: 500 }),
    fd('helpMethod', '帮扶手段', 'How helped', 'text'),
    ...helpFields,
  ]),
  hiv_risk: fieldSet('艾滋病危险人员', 'Person at risk of HIV', [
    code('infectionRoute', '感染途径', 'Route of infection', 'infection_route'),
    fd('hasCriminalRecord', '有无犯罪史', 'Criminal record', 'bool'),
    fd('criminalRecord', '犯罪情况', 'Offences', 'prose', { max: 500 }),
    fd('caseCategory', '案件类别', 'Case category', 'text', { max: 50 }),
    fd('attentionType', '关注类型', 'Attention type', 'text', { max: 50 }),
    fd('treatmentStatus', '收治情况', 'Treatment status', 'text', { max: 50 }),
    fd('treatmentInstitution', '收治机构名称', 'Treated at', 'text'),
    ...helpFields,
  ]),
  petitioner: fieldSet('上访人员', 'Petitioner', [
    fd('issue', '上访事由', 'Issue', 'prose', { required: true }),
    fd('firstPetitionOn', '首次上访日期', 'First petition', 'date'),
    fd('lastPetitionOn', '最近上访日期', 'Last petition', 'date'),
    fd('petitionCount', '上访次数', 'Petitions', 'int', { max: 10_000 }),
    code('highestLevel', '最高上访层级', 'Highest level', 'petition_level'),
    fd('collective', '是否集体访', 'Collective', 'bool'),
    fd('resolved', '是否化解', 'Resolved', 'bool'),
    fd('responsibleLeader', '包案领导', 'Responsible leader', 'text', { max: 50 }),
  ], dateOrder('firstPetitionOn', 'lastPetitionOn')),
  custom: {
    zh: '自定义标签', en: 'Custom label', fields: [],
    schema: z.object({}).catchall(z.union([text(500), z.number(), z.boolean()]))
      .refine((o) => Object.keys(o).length <= 30, 'at most 30 fields')
      .refine((o) => Object.keys(o).every((k) => /^[A-Za-z][A-Za-z0-9_]{0,39}$/.test(k)), 'field names are letters, digits and underscore') as unknown as z.ZodObject<any>,
    dict: {}, sensitive: [],
  },
} satisfies Record<string, FieldSet>;
export type LabelType = keyof typeof labelTypes;

/** The field sets as the console and import templates read them. */
export function fieldSets() {
  const view = (type: string, set: FieldSet) => ({ type, zh: set.zh, en: set.en, fields: set.fields });
  const person: FieldSpec[] = personFields.map((p) => ({
    // a place (籍贯 …) is picked from the division tree (GET /api/v1/divisions) and shown by its name
    key: p.api, zh: p.zh, en: p.en ?? p.api, kind: p.dict ? 'code' : p.pg === 'date' ? 'date' : p.place ? 'place' : 'text', ...(p.dict ? { dict: p.dict } : {}),
  }));
  return {
    person,
    populationTypes: Object.entries(populationDetails).map(([t, s]) => view(t, s)),
    labelTypes: Object.entries(labelTypes).map(([t, s]) => view(t, s)),
  };
}
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
    /** 曾用名: sealed like the name */
    formerName: create ? personName.optional() : personName.nullable().optional(),
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
