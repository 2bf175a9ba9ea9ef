// The record kinds of the registries as data: columns, their API names and schemas, dictionaries,
// personal fields (sealed and masked), the parent a record hangs under, filters and cross-field checks.
// One generic service turns a kind into create/read/update/delete/list/reveal; persons add their own
// rules on top (persons.ts).
import { z } from 'zod';
import {
  area, civilDate, count, dictCode, documentNumber, gridCode, lat, lng, listQueries, personName, phone, prose, recordId, text,
} from './contracts.ts';
import { checkCreditCode, creditCodeReason } from './credit-code.ts';
import { checkIdNumber, idNumberReason } from './id-number.ts';

export type PgType = 'text' | 'int4' | 'int8' | 'float8' | 'bool' | 'date' | 'text[]' | 'jsonb';

export interface FieldDef {
  api: string;
  col: string;
  pg: PgType;
  schema: z.ZodType;
  zh: string;
  /** the English name, where the console shows it */
  en?: string;
  required?: boolean;
  /** dictionary the value (or each element of an array) must be an active code of */
  dict?: string;
  /** a place: a GB/T 2260 division code, picked from the division tree and shown by its name */
  place?: boolean;
  /** default on create */
  default?: unknown;
  /** the id of another record, which must be in the actor's scope */
  ref?: 'persons';
}

/** A personal field: stored only sealed (AES-256-GCM), shown masked. */
export interface SensitiveDef { api: string; kind: 'name' | 'phone' | 'id'; zh: string }

export interface Issue { path: string; code: string; message: string }

export interface CheckEnv {
  has(dict: string, code: string): boolean;
  today: Date;
}

export type KindName = 'buildings' | 'houses' | 'rooms' | 'households' | 'places' | 'facilities' | 'things' | 'organisations';

export interface KindDef {
  name: KindName;
  table: string;
  /** singular, for audit targets and messages */
  resource: string;
  zh: string;
  fields: FieldDef[];
  sensitive: SensitiveDef[];
  /** a record under a parent takes the parent's grid */
  parent?: { api: string; col: string; kind: KindName; required?: boolean };
  /** columns the q filter searches */
  search: string[];
  listQuery: z.ZodType;
  filters: (q: Record<string, any>, params: unknown[], alias: string) => string[];
  /** cross-field and data checks on the merged record (create, or the record after a patch) */
  check?: (rec: Record<string, any>, env: CheckEnv, issues: Issue[]) => void;
  /** a unique index violation means this */
  conflict?: { code: string; message: string; zh: string };
  /** the column that names a record of this kind in lists and links (a house by its address) */
  title: string;
  /** more columns a read shows (joined): [select expression, API name, join] */
  extra?: Array<{ select: string; api: string; join?: string }>;
}

const f = (api: string, col: string, pg: PgType, schema: z.ZodType, zh: string, extra: Partial<FieldDef> = {}): FieldDef =>
  ({ api, col, pg, schema, zh, ...extra });
const eq = (col: string, value: unknown, params: unknown[], alias: string, cast = '') => {
  params.push(value);
  return `${alias}.${col} = $${params.length}${cast}`;
};
const where = (pairs: Array<[unknown, string, string?]>, params: unknown[], alias: string) =>
  pairs.filter(([v]) => v !== undefined).map(([v, col, cast]) => eq(col, v, params, alias, cast));

const common = { note: f('note', 'note', 'text', prose(1000), '备注'), lat: f('lat', 'lat', 'float8', lat, '纬度'), lng: f('lng', 'lng', 'float8', lng, '经度') };
const rentalFields = [
  f('rented', 'rented', 'bool', z.boolean(), '是否出租', { default: false }),
  f('rentalUse', 'rental_use', 'text', dictCode, '出租用途', { dict: 'rental_use' }),
  f('tenantCount', 'tenant_count', 'int4', count(500), '承租人数'),
  f('leaseStart', 'lease_start', 'date', civilDate, '租赁开始日期'),
  f('leaseEnd', 'lease_end', 'date', civilDate, '租赁结束日期'),
];
/** The current tenants of a house or room, registry persons by their masked names (以房管人). */
const currentTenants = (col: 'house_id' | 'room_id') => ({
  select: `(SELECT string_agg(tp.name_masked, '、' ORDER BY y.id) FROM tenancy y JOIN person tp ON tp.id = y.person_id WHERE y.${col} = t.id AND y.ended_on IS NULL)`,
  api: 'tenantsMasked',
});
/** Tenants written as text (older imports and systems); the console links registry persons instead (tenancy). */
const tenant: SensitiveDef[] = [
  { api: 'tenantName', kind: 'name', zh: '承租人姓名' },
  { api: 'tenantIdNumber', kind: 'id', zh: '承租人公民身份号码' },
  { api: 'tenantPhone', kind: 'phone', zh: '承租人联系方式' },
];

/** Rental details only on a let house or room, with a lease that ends after it starts. */
function checkRental(rec: Record<string, any>, _env: CheckEnv, issues: Issue[]): void {
  const tenantGiven = rec.tenantName != null || rec.tenantIdNumber != null || rec.tenantPhone != null || rec.rentalUse != null;
  if (tenantGiven && !rec.rented) issues.push({ path: 'rented', code: 'not_rented', message: 'rental details need rented: true' });
  if (rec.leaseStart && rec.leaseEnd && rec.leaseEnd < rec.leaseStart) issues.push({ path: 'leaseEnd', code: 'lease_order', message: 'the lease ends before it starts' });
}

export const kinds: Record<KindName, KindDef> = {
  buildings: {
    name: 'buildings', table: 'building', resource: 'building', zh: '楼栋', title: 'name',
    fields: [
      f('name', 'name', 'text', text(100), '楼栋名称', { required: true }),
      f('code', 'code', 'text', z.string().trim().regex(/^[0-9A-Za-z-]{1,30}$/, 'building codes are letters, digits and dashes'), '楼栋编码'),
      f('address', 'address', 'text', text(200), '地址'),
      f('useType', 'use_type', 'text', dictCode, '建筑用途', { dict: 'building_use' }),
      f('floors', 'floors', 'int4', z.number().int().min(1).max(200), '层数'),
      f('units', 'units', 'int4', z.number().int().min(1).max(100), '单元数'),
      common.lat, common.lng, common.note,
    ],
    sensitive: [],
    search: ['name', 'address', 'code'],
    listQuery: listQueries.buildings,
    filters: (q, params, a) => where([[q.useType, 'use_type']], params, a),
  },
  houses: {
    name: 'houses', table: 'house', resource: 'house', zh: '房屋', title: 'address',
    parent: { api: 'buildingId', col: 'building_id', kind: 'buildings' },
    fields: [
      f('address', 'address', 'text', text(200), '房屋地址', { required: true }),
      f('unitNo', 'unit_no', 'text', text(20), '单元号'),
      f('floor', 'floor', 'int4', z.number().int().min(-10).max(200), '楼层'),
      f('doorNo', 'door_no', 'text', text(20), '门牌号'),
      f('area', 'area', 'float8', area, '建筑面积(m²)'),
      f('useType', 'use_type', 'text', dictCode, '房屋用途', { dict: 'house_use' }),
      f('hazardTypes', 'hazard_types', 'text[]', z.array(dictCode).max(10), '隐患类型', { dict: 'hazard_type', default: [] }),
      ...rentalFields,
      common.lat, common.lng, common.note,
    ],
    sensitive: [
      { api: 'ownerName', kind: 'name', zh: '房主姓名' },
      { api: 'ownerIdNumber', kind: 'id', zh: '房主公民身份号码' },
      { api: 'ownerPhone', kind: 'phone', zh: '房主联系方式' },
      ...tenant,
    ],
    search: ['address', 'door_no'],
    listQuery: listQueries.houses,
    extra: [currentTenants('house_id')],
    filters: (q, params, a) => where([[q.buildingId, 'building_id'], [q.rented === undefined ? undefined : q.rented === 'true', 'rented'], [q.useType, 'use_type']], params, a),
    check: checkRental,
  },
  rooms: {
    name: 'rooms', table: 'room', resource: 'room', zh: '房间', title: 'name',
    parent: { api: 'houseId', col: 'house_id', kind: 'houses', required: true },
    fields: [
      f('name', 'name', 'text', text(50), '房间号', { required: true }),
      f('area', 'area', 'float8', area, '面积(m²)'),
      ...rentalFields,
      common.note,
    ],
    sensitive: tenant,
    search: ['name'],
    listQuery: listQueries.rooms,
    extra: [currentTenants('room_id')],
    filters: (q, params, a) => where([[q.houseId, 'house_id'], [q.rented === undefined ? undefined : q.rented === 'true', 'rented']], params, a),
    check: checkRental,
  },
  households: {
    name: 'households', table: 'household', resource: 'household', zh: '户', title: 'household_no',
    parent: { api: 'houseId', col: 'house_id', kind: 'houses' },
    fields: [
      f('householdNo', 'household_no', 'text', z.string().trim().regex(/^[0-9A-Za-z-]{1,30}$/, 'household numbers are letters, digits and dashes'), '户号'),
      f('kind', 'kind', 'text', z.enum(['family', 'collective']), '户类型', { default: 'family' }),
      f('address', 'address', 'text', text(200), '地址'),
      f('headPersonId', 'head_person_id', 'int8', recordId, '户主', { ref: 'persons' }),
      common.note,
    ],
    sensitive: [],
    search: ['household_no', 'address'],
    listQuery: listQueries.households,
    extra: [
      { select: 'hp.name_masked', api: 'headNameMasked', join: 'LEFT JOIN person hp ON hp.id = t.head_person_id' },
      { select: '(SELECT count(*)::int FROM person m WHERE m.household_id = t.id)', api: 'memberCount' },
    ],
    filters: (q, params, a) => where([[q.houseId, 'house_id'], [q.householdNo, 'household_no']], params, a),
  },
  places: {
    name: 'places', table: 'place', resource: 'place', zh: '场所', title: 'name',
    parent: { api: 'buildingId', col: 'building_id', kind: 'buildings' },
    fields: [
      f('kind', 'kind', 'text', dictCode, '场所类型', { required: true, dict: 'place_type' }),
      f('name', 'name', 'text', text(100), '场所名称', { required: true }),
      f('address', 'address', 'text', text(200), '地址'),
      f('attentionLevel', 'attention_level', 'text', dictCode, '关注程度', { dict: 'attention_level' }),
      common.lat, common.lng, common.note,
    ],
    sensitive: [{ api: 'managerName', kind: 'name', zh: '负责人姓名' }, { api: 'managerPhone', kind: 'phone', zh: '负责人联系方式' }],
    search: ['name', 'address'],
    listQuery: listQueries.places,
    filters: (q, params, a) => where([[q.kind, 'kind'], [q.buildingId, 'building_id']], params, a),
  },
  facilities: {
    name: 'facilities', table: 'facility', resource: 'facility', zh: '部件', title: 'name',
    fields: [
      f('major', 'major', 'text', z.string().regex(/^\d{2}$/, '大类 is two digits'), '大类', { required: true }),
      f('minor', 'minor', 'text', z.string().regex(/^\d{2}$/, '小类 is two digits'), '小类', { required: true }),
      f('code', 'code', 'text', z.string().regex(/^\d{16}$/, 'facility codes are 16 digits: 6 region + 2 大类 + 2 小类 + 6 serial'), '部件标识码'),
      f('name', 'name', 'text', text(100), '部件名称', { required: true }),
      f('state', 'state', 'text', z.enum(['intact', 'damaged', 'lost', 'scrapped']), '部件状态', { default: 'intact' }),
      f('competentUnit', 'competent_unit', 'text', text(100), '主管部门'),
      f('ownerUnit', 'owner_unit', 'text', text(100), '权属单位'),
      f('maintainerUnit', 'maintainer_unit', 'text', text(100), '养护单位'),
      f('address', 'address', 'text', text(200), '地址'),
      f('installedOn', 'installed_on', 'date', civilDate, '初始日期'),
      common.lat, common.lng, common.note,
    ],
    sensitive: [],
    search: ['name', 'code', 'address', 'owner_unit', 'maintainer_unit'],
    listQuery: listQueries.facilities,
    filters: (q, params, a) => where([[q.major, 'major'], [q.minor, 'minor'], [q.state, 'state'], [q.code, 'code']], params, a),
    check: (rec, env, issues) => {
      if (!env.has('facility_class', rec.major)) issues.push({ path: 'major', code: 'unknown_code', message: `${rec.major} is not a 大类 of facility_class` });
      else if (!env.has('facility_class', `${rec.major}${rec.minor}`)) issues.push({ path: 'minor', code: 'unknown_code', message: `${rec.minor} is not a 小类 of 大类 ${rec.major}` });
      if (rec.code && (rec.code.slice(6, 8) !== rec.major || rec.code.slice(8, 10) !== rec.minor)) {
        issues.push({ path: 'code', code: 'facility_code_mismatch', message: 'digits 7–10 of the code must be the 大类 and 小类' });
      }
      if (rec.code && rec.regionCode && rec.code.slice(0, 6) !== rec.regionCode.slice(0, 6)) {
        issues.push({ path: 'code', code: 'facility_code_mismatch', message: 'the first 6 digits of the code must be the district of the grid' });
      }
    },
    conflict: { code: 'duplicate_facility_code', message: 'A facility with this code exists already.', zh: '该编码的部件已登记。' },
  },
  things: {
    name: 'things', table: 'thing', resource: 'thing', zh: '感知设备', title: 'name',
    parent: { api: 'facilityId', col: 'facility_id', kind: 'facilities' },
    fields: [
      f('kind', 'kind', 'text', z.enum(['camera', 'sensor']), '设备类型', { required: true }),
      f('name', 'name', 'text', text(100), '设备名称', { required: true }),
      f('deviceCode', 'device_code', 'text', z.string().trim().regex(/^[0-9A-Za-z_-]{4,40}$/, 'device codes are 4–40 letters, digits, dash or underscore'), '设备编码', { required: true }),
      f('sensorType', 'sensor_type', 'text', dictCode, '传感器类型', { dict: 'sensor_type' }),
      f('status', 'status', 'text', z.enum(['online', 'offline', 'fault', 'retired']), '状态', { default: 'online' }),
      f('vendor', 'vendor', 'text', text(100), '厂商'),
      f('model', 'model', 'text', text(100), '型号'),
      f('address', 'address', 'text', text(200), '地址'),
      f('installedOn', 'installed_on', 'date', civilDate, '安装日期'),
      f('properties', 'properties', 'jsonb', z.record(z.string().max(40), z.union([z.string().max(500), z.number(), z.boolean()]))
        .refine((o) => Object.keys(o).length <= 30, 'at most 30 properties'), '属性', { default: {} }),
      common.lat, common.lng, common.note,
    ],
    sensitive: [],
    search: ['name', 'device_code', 'address'],
    listQuery: listQueries.things,
    filters: (q, params, a) => where([[q.kind, 'kind'], [q.status, 'status'], [q.sensorType, 'sensor_type'], [q.facilityId, 'facility_id']], params, a),
    check: (rec, _env, issues) => {
      if (rec.kind === 'camera' && rec.sensorType != null) issues.push({ path: 'sensorType', code: 'not_a_sensor', message: 'cameras have no sensor type' });
      if (rec.kind === 'sensor' && rec.sensorType == null) issues.push({ path: 'sensorType', code: 'sensor_type_required', message: 'a sensor needs its sensor type' });
    },
    conflict: { code: 'duplicate_device_code', message: 'A device with this code exists already.', zh: '该编码的设备已登记。' },
  },
  organisations: {
    name: 'organisations', table: 'organisation', resource: 'organisation', zh: '组织', title: 'name',
    parent: { api: 'parentId', col: 'parent_id', kind: 'organisations' },
    fields: [
      f('kind', 'kind', 'text', z.enum(['enterprise', 'social', 'party']), '组织类别', { required: true }),
      f('name', 'name', 'text', text(200), '名称', { required: true }),
      f('creditCode', 'credit_code', 'text', z.string().trim().toUpperCase().max(18), '统一社会信用代码'),
      f('typeCode', 'type_code', 'text', dictCode, '类型'),
      f('address', 'address', 'text', text(200), '地址'),
      f('employees', 'employees', 'int4', count(10_000_000), '员工数'),
      f('members', 'members', 'int4', count(10_000_000), '党员数'),
      f('hazardousChemicals', 'hazardous_chemicals', 'bool', z.boolean(), '是否危化企业', { default: false }),
      f('attentionLevel', 'attention_level', 'text', dictCode, '关注程度', { dict: 'attention_level' }),
      f('establishedOn', 'established_on', 'date', civilDate, '成立日期'),
      common.lat, common.lng, common.note,
    ],
    sensitive: [
      { api: 'legalRepName', kind: 'name', zh: '法定代表人姓名' },
      { api: 'legalRepIdNumber', kind: 'id', zh: '法定代表人公民身份号码' },
      { api: 'legalRepPhone', kind: 'phone', zh: '法定代表人联系方式' },
      { api: 'securityContactName', kind: 'name', zh: '治保负责人姓名' },
      { api: 'securityContactPhone', kind: 'phone', zh: '治保负责人联系方式' },
    ],
    search: ['name', 'address', 'credit_code'],
    listQuery: listQueries.organisations,
    filters: (q, params, a) => where([[q.kind, 'kind'], [q.creditCode?.toUpperCase(), 'credit_code'], [q.typeCode, 'type_code'], [q.parentId, 'parent_id']], params, a),
    check: (rec, env, issues) => {
      if (rec.creditCode != null) {
        const c = checkCreditCode(rec.creditCode);
        if (!c.ok) issues.push({ path: 'creditCode', code: 'invalid_credit_code', message: creditCodeReason(c.problem) });
      } else if (rec.kind !== 'party') {
        issues.push({ path: 'creditCode', code: 'credit_code_required', message: 'enterprises and social organisations need their unified social credit code' });
      }
      const dict = { enterprise: 'enterprise_type', social: 'social_org_type', party: 'party_org_type' }[rec.kind as 'enterprise'];
      if (rec.typeCode != null && dict && !env.has(dict, rec.typeCode)) {
        issues.push({ path: 'typeCode', code: 'unknown_code', message: `${rec.typeCode} is not a code of ${dict}` });
      }
    },
    conflict: { code: 'duplicate_credit_code', message: 'An organisation with this unified social credit code exists already.', zh: '该统一社会信用代码的组织已登记。' },
  },
};

/** Checks on personal fields that need more than a pattern: ID numbers by their checksum and birth date. */
export function checkSensitive(defs: SensitiveDef[], rec: Record<string, any>, env: CheckEnv, issues: Issue[]): void {
  for (const s of defs) {
    const v = rec[s.api];
    if (v == null || s.kind !== 'id') continue;
    const c = checkIdNumber(v, env.today);
    if (!c.ok) issues.push({ path: s.api, code: 'invalid_id_number', message: idNumberReason(c.problem) });
  }
}

export function checkDictFields(fields: FieldDef[], rec: Record<string, any>, env: CheckEnv, issues: Issue[], prefix = '', override?: Record<string, unknown>): void {
  for (const fd of fields) {
    if (!fd.dict) continue;
    const v = override && fd.api in override ? override[fd.api] : rec[fd.api];
    if (v == null) continue;
    if (!Array.isArray(v)) {
      if (!env.has(fd.dict, v as string)) issues.push({ path: prefix + fd.api, code: 'unknown_code', message: `${v} is not a code of ${fd.dict}` });
      continue;
    }
    for (const code of v) {
      if (!env.has(fd.dict, code)) issues.push({ path: prefix + fd.api, code: 'unknown_code', message: `${code} is not a code of ${fd.dict}` });
    }
  }
}

const sensitiveSchema = (s: SensitiveDef) => (s.kind === 'name' ? personName : s.kind === 'phone' ? phone : documentNumber);

/** The create schema of a kind: required fields required, the rest optional; unknown fields refused. */
export function createSchema(k: KindDef): z.ZodType {
  const shape: Record<string, z.ZodType> = { regionCode: gridCode.optional() };
  if (k.parent) shape[k.parent.api] = k.parent.required ? recordId : recordId.optional();
  for (const fd of k.fields) shape[fd.api] = fd.required ? fd.schema : fd.schema.optional();
  for (const s of k.sensitive) shape[s.api] = sensitiveSchema(s).optional();
  return z.object(shape).strict();
}

/** The patch schema: any subset; optional fields may be cleared with null. */
export function patchSchema(k: KindDef): z.ZodType {
  const shape: Record<string, z.ZodType> = { regionCode: gridCode.optional() };
  if (k.parent) shape[k.parent.api] = k.parent.required ? recordId.optional() : recordId.nullable().optional();
  for (const fd of k.fields) shape[fd.api] = fd.required ? fd.schema.optional() : fd.schema.nullable().optional();
  for (const s of k.sensitive) shape[s.api] = sensitiveSchema(s).nullable().optional();
  return z.object(shape).strict().refine((v) => Object.keys(v).length > 0, 'give at least one field to change');
}
