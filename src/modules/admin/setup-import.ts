// Set-up imports: units, users and the responsibility list (权责清单) from a table (CSV or XLSX read by
// the caller), in the scope of the importing administrator (or a command centre for its region). Every
// row is checked and every problem of a row reported, in Chinese or English; by default nothing is
// written unless every row is right (all_or_nothing), like the registry imports. Writes go through the
// owners: units here in administration, accounts through auth, rules through the case engine's catalogue.
import type { Db, Queryable } from '../../platform/db/index.ts';
import type { Actor, Role } from '../../platform/auth/actor.ts';
import { roles } from '../../platform/auth/actor.ts';
import { createUser, hashPassword, MIN_PASSWORD_LENGTH } from '../../platform/auth/service.ts';
import { generatePassword } from '../../platform/auth/bootstrap.ts';
import { AppError } from '../../platform/errors.ts';
import { insertResponsibilities, listCategoryRecords, responsibilityKeys } from '../cases/index.ts';
import { insertUnits, type UnitSeed } from './units.ts';
import { xlsxTable } from '../../platform/spreadsheet.ts';
import { assertDirectoryReader, HANDLING_KINDS, RESERVED_USERNAMES, territorialUnitsOf } from './service.ts';
import { name as nameSchema, unitId as unitIdSchema, username as usernameSchema } from './contracts.ts';

export const setupKinds = ['units', 'users', 'responsibilities'] as const;
export type SetupKind = (typeof setupKinds)[number];
export type Lang = 'zh' | 'en';
export type ImportMode = 'all_or_nothing' | 'valid_rows';

export interface SetupColumn { key: string; zh: string; en: string; required?: boolean; example: string }

const unitKindLabels: Record<string, [string, string]> = {
  command_centre: ['指挥中心', 'command centre'], street_centre: ['街道综治中心', 'street centre'], community: ['社区居委会', 'community'],
  department: ['职能部门', 'department'], hotline: ['12345热线中心', 'hotline centre'], grid_team: ['网格工作组', 'grid team'],
  district_gov: ['区县政府', 'district government'], city_gov: ['市政府', 'city government'],
};
const roleLabels: Record<Role, [string, string]> = {
  admin: ['系统管理员', 'administrator'], command_centre: ['指挥中心', 'command centre'], street_centre: ['街道综治中心', 'street centre'],
  community: ['社区', 'community'], grid_worker: ['网格员', 'grid worker'], hotline_operator: ['12345话务员', 'hotline operator'],
  department: ['职能部门', 'department'], resident: ['居民', 'resident'],
};

export const setupColumns: Record<SetupKind, SetupColumn[]> = {
  units: [
    { key: 'id', zh: '单位编码', en: 'unit id', required: true, example: 'hs-chengguan' },
    { key: 'name', zh: '单位名称', en: 'name', required: true, example: '惠山区城市管理局' },
    { key: 'nameEn', zh: '英文名称', en: 'English name', example: 'Huishan Urban Management Bureau' },
    { key: 'kind', zh: '单位类型', en: 'kind', required: true, example: '职能部门' },
    { key: 'regionCode', zh: '所属区划编码', en: 'region code', required: true, example: '320206' },
    { key: 'parentId', zh: '上级单位编码', en: 'parent unit id', example: '' },
  ],
  users: [
    { key: 'username', zh: '用户名', en: 'username', required: true, example: 'hs.chengguan.li' },
    { key: 'displayName', zh: '姓名', en: 'display name', required: true, example: '李明' },
    { key: 'role', zh: '角色', en: 'role', required: true, example: '职能部门' },
    { key: 'unitId', zh: '所属单位', en: 'unit', example: 'hs-chengguan' },
    { key: 'regionCode', zh: '所属区划编码', en: 'region code', required: true, example: '320206' },
    { key: 'locale', zh: '语言', en: 'language', example: 'zh-CN' },
    { key: 'password', zh: '初始密码', en: 'initial password', example: '' },
  ],
  responsibilities: [
    { key: 'categoryCode', zh: '事项分类', en: 'category', required: true, example: '020501' },
    { key: 'regionPrefix', zh: '适用区划编码', en: 'region code', required: true, example: '320206' },
    { key: 'leadUnit', zh: '牵头单位', en: 'lead unit', required: true, example: 'hs-chengguan' },
    { key: 'assistUnits', zh: '协办单位', en: 'assisting units', example: 'hs-shichang' },
    { key: 'note', zh: '备注', en: 'note', example: '区级职能部门牵头' },
  ],
};

/** The template's header: 单位编码(id), as the registry templates write it; the title or the key alone is read too. */
export const headerTitle = (c: SetupColumn) => `${c.zh}(${c.key})`;

/** What the template's instructions list of the database it is made for: the units and regions to refer to. */
export interface TemplateContext {
  units: Array<{ id: string; name: string; kind: string; regionCode: string }>;
  regions: Array<{ code: string; name: string; level: string }>;
  /** the category tree (active categories, parents before children): the responsibility list's 事项分类 sheet */
  categories?: TemplateCategory[];
}
export interface TemplateCategory { code: string; parentCode: string | null; nameZh: string; nameEn: string }

/** The name of the responsibility template's sheet that lists every category code. */
export const CATEGORY_SHEET = '事项分类';
const levelNames = ['一级 (level 1)', '二级 (level 2)', '三级 (level 3)', '四级 (level 4)'];

/** Every category with its level (1 = a top group, as 01 管理部件) and its parent, for the administrator to pick codes from. */
export function categorySheet(categories: TemplateCategory[]): string[][] {
  const byCode = new Map(categories.map((c) => [c.code, c]));
  const depth = (c: TemplateCategory): number => {
    let d = 1;
    for (let p = c.parentCode; p && byCode.has(p) && d < 10; p = byCode.get(p)!.parentCode) d++;
    return d;
  };
  return [
    ['分类代码(code)', '分类名称(name)', '英文名称(English name)', '层级(level)', '上级分类(parent)'],
    ...categories.map((c) => {
      const parent = c.parentCode ? byCode.get(c.parentCode) : undefined;
      return [c.code, c.nameZh, c.nameEn, levelNames[depth(c) - 1] ?? String(depth(c)), parent ? `${parent.code} ${parent.nameZh}` : ''];
    }),
  ];
}

const levelZh: Record<string, string> = { province: '省', city: '市', district: '区县', street: '街道/镇', community: '社区/村', grid: '网格' };

/**
 * Header and one example row (rows whose first cell starts with # are skipped, so the example row is
 * marked so); for XLSX also the drop-downs of the columns with fixed values and the instructions sheet:
 * every column, the allowed values, and (given the database) the units and regions to refer to.
 */
export function setupTemplate(kind: SetupKind, context?: TemplateContext): {
  header: string[]; example: string[]; choices: Record<number, string[]>; sheets: Array<{ name: string; rows: string[][] }>;
} {
  const cols = setupColumns[kind];
  const fixed: Record<string, Record<string, [string, string]>> = kind === 'units' ? { kind: unitKindLabels } : kind === 'users' ? { role: roleLabels } : {};
  const choices: Record<number, string[]> = {};
  cols.forEach((c, i) => { if (fixed[c.key]) choices[i] = Object.values(fixed[c.key]).map(([zh]) => zh); });
  const instructions: string[][] = [
    ['列 (column)', '必填 (required)', '说明 (what to enter)'],
    ...cols.map((c) => [headerTitle(c), c.required ? '是 yes' : '', columnHelp(kind, c.key)]),
    [],
    ['以 # 开头的行不导入（示例行即是）。Rows starting with # are not imported (as the example row).'],
  ];
  for (const [key, labels] of Object.entries(fixed)) {
    const c = cols.find((x) => x.key === key)!;
    instructions.push([], [`${headerTitle(c)} 可选值 (allowed values)`, '中文', 'English / token']);
    for (const [token, [zh, en]] of Object.entries(labels)) instructions.push(['', zh, `${en} / ${token}`]);
  }
  const sheets = [{ name: '说明', rows: instructions }];
  if (context?.units.length) {
    sheets.push({
      name: '已有单位',
      rows: [['单位编码(id)', '单位名称(name)', '单位类型(kind)', '所属区划编码(regionCode)'],
        ...context.units.map((u) => [u.id, u.name, unitKindLabels[u.kind]?.[0] ?? u.kind, u.regionCode])],
    });
  }
  if (context?.regions.length) {
    sheets.push({
      name: '区划',
      rows: [['区划编码(code)', '名称(name)', '层级(level)'], ...context.regions.map((r) => [r.code, r.name, levelZh[r.level] ?? r.level])],
    });
  }
  if (kind === 'responsibilities' && context?.categories?.length) sheets.push({ name: CATEGORY_SHEET, rows: categorySheet(context.categories) });
  return { header: cols.map(headerTitle), example: cols.map((c, i) => (i === 0 ? `#${c.example}` : c.example)), choices, sheets };
}

/**
 * The XLSX template of a set-up import for the console (系统管理 → 下载导入模板): the template the CLI writes, with
 * the units and regions of the caller's territory and the whole active category tree.
 */
export async function setupTemplateXlsx(q: Queryable, actor: Actor, kind: SetupKind): Promise<Buffer> {
  assertDirectoryReader(actor);
  const under = `${actor.regionCode}%`;
  const units = await q.query<{ id: string; name: string; kind: string; region_code: string }>(
    `SELECT id, name, kind, region_code FROM unit WHERE active AND (region_code LIKE $1 OR $2 LIKE region_code || '%') ORDER BY region_code, id`,
    [under, actor.regionCode]);
  const regions = await q.query<{ code: string; name: string; level: string }>(
    `SELECT code, name, level FROM region WHERE retired_at IS NULL AND level NOT IN ('province', 'city') AND code LIKE $1 ORDER BY code`, [under]);
  const categories = (await listCategoryRecords(q, { active: true }))
    .map((c) => ({ code: c.code, parentCode: c.parent_code, nameZh: c.name_zh, nameEn: c.name_en }));
  const t = setupTemplate(kind, { units: units.map((u) => ({ id: u.id, name: u.name, kind: u.kind, regionCode: u.region_code })), regions, categories });
  return xlsxTable(t.header, [t.example], { choices: t.choices, sheets: t.sheets });
}

function columnHelp(kind: SetupKind, key: string): string {
  const help: Record<string, string> = {
    'units.id': '单位编码：字母、数字、点、横线、下划线，全平台唯一，如 hs-chengguan',
    'units.kind': '见下方可选值（中文或英文均可）',
    'units.regionCode': '单位所在区划的编码，见“区划”表',
    'units.parentId': '上级单位的编码：本文件中的单位，或“已有单位”表中的单位（如区指挥中心 cmd-区县代码）',
    'users.role': '见下方可选值（中文或英文均可）',
    'users.unitId': '职能部门用户必填：“已有单位”表或单位导入中的单位编码；街道综治中心、社区、12345话务员、指挥中心用户不填时为其区划的本级单位',
    'users.regionCode': '用户的管辖范围：区划编码，见“区划”表',
    'users.locale': 'zh-CN 或 en，留空为 zh-CN',
    'users.password': '留空则生成初始密码并写入 .passwords.csv；无论哪种，用户首次登录都须修改密码',
    'responsibilities.categoryCode': '事项分类代码（GB/T 30428.2），如 020501 占道经营；全部代码见“事项分类”表',
    'responsibilities.regionPrefix': '规则适用的区划编码（含其下级），见“区划”表',
    'responsibilities.leadUnit': '牵头单位编码：“已有单位”表或单位导入中的单位',
    'responsibilities.assistUnits': '协办单位编码，多个用分号分隔',
  };
  return help[`${kind}.${key}`] ?? '';
}

// ---------------------------------------------------------------------------------------------
// Messages (zh default, en)

export interface RowError { row: number; column: string | null; value: string; code: string; vars?: Record<string, string | number> }

const messages: Record<string, { zh: string; en: string }> = {
  required: { zh: '必填', en: 'is required' },
  too_long: { zh: '超过 {max} 个字符', en: 'is longer than {max} characters' },
  invalid_text: { zh: '含有控制字符或标记', en: 'contains control characters or markup' },
  invalid_unit_id: { zh: '只能由字母、数字、点、横线、下划线组成，最长 64 位', en: 'may hold letters, digits, dot, dash or underscore, at most 64' },
  invalid_username: { zh: '须为 3–64 位字母、数字、点、横线、下划线，以字母或数字开头', en: 'must be 3–64 letters, digits, dot, dash or underscore, starting with a letter or digit' },
  invalid_choice: { zh: '不是可选值，可选：{choices}', en: 'is not one of: {choices}' },
  unit_exists: { zh: '已存在', en: 'exists already' },
  username_taken: { zh: '已被使用', en: 'is taken' },
  username_reserved: { zh: '为系统保留', en: 'is reserved' },
  duplicate_in_file: { zh: '与第 {first} 行重复', en: 'repeats row {first}' },
  unknown_region: { zh: '区划不存在', en: 'no such region' },
  outside_scope: { zh: '不在您管理的区划（{scope}）内', en: 'lies outside the region you administer ({scope})' },
  unknown_unit: { zh: '单位不存在、已停用或不在您的范围内', en: 'no such active unit in your scope' },
  ambiguous_unit: { zh: '有多个单位同名，请填写单位编码', en: 'several units have this name; give the unit id' },
  unit_cycle: { zh: '上级单位形成循环', en: 'the parent units form a cycle' },
  parent_refused: { zh: '上级单位所在行有错误', en: 'the row of this parent unit has errors' },
  unit_required: { zh: '职能部门用户须填写所属单位', en: 'a department user needs the unit they work for' },
  role_not_allowed: { zh: '指挥中心不能导入系统管理员账号', en: 'a command centre cannot import administrator accounts' },
  password_too_short: { zh: '至少 {min} 位', en: 'needs at least {min} characters' },
  unknown_category: { zh: '事项分类不存在', en: 'no such category' },
  ambiguous_category: { zh: '有多个事项分类同名，请填写分类编码', en: 'several categories have this name; give the code' },
  unit_cannot_handle: { zh: '该类型的单位不能承办案件', en: 'a unit of this kind cannot handle cases' },
  duplicate_unit: { zh: '重复出现（牵头单位不能同时协办）', en: 'appears twice (a lead unit cannot also assist)' },
  responsibility_exists: { zh: '该分类在区划 {value} 已有权责规则，请先在系统管理中删除', en: 'there is already a rule for this category in {value}; delete it in the console first' },
};

const fill = (s: string, vars: Record<string, string | number>) => s.replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ''));

export function columnLabel(kind: SetupKind, key: string | null, lang: Lang): string {
  if (!key) return lang === 'zh' ? '整行' : 'row';
  const c = setupColumns[kind].find((x) => x.key === key);
  return c ? (lang === 'zh' ? c.zh : c.en) : key;
}

export function errorMessage(e: RowError, lang: Lang): string {
  const m = messages[e.code];
  return m ? fill(m[lang], { value: e.value, ...e.vars }) : e.code;
}

/** One problem: 单位类型“部门”：不是可选值… / kind "部门": is not one of … */
export function problemText(kind: SetupKind, e: RowError, lang: Lang): string {
  const label = columnLabel(kind, e.column, lang);
  const value = e.value && e.column ? (lang === 'zh' ? `“${e.value}”` : ` "${e.value}"`) : '';
  return `${label}${value}${lang === 'zh' ? '：' : ': '}${errorMessage(e, lang)}`;
}

/** Every problem of a row in one line: 第 4 行：单位编码“x”：已存在；所属区划编码“320299”：区划不存在 */
export function rowReport(kind: SetupKind, row: number, errors: RowError[], lang: Lang): string {
  const parts = errors.map((e) => problemText(kind, e, lang));
  return lang === 'zh' ? `第 ${row} 行：${parts.join('；')}` : `row ${row}: ${parts.join('; ')}`;
}

// ---------------------------------------------------------------------------------------------
// Header

export class FileProblem extends Error {
  constructor(readonly problems: Array<{ zh: string; en: string }>) { super(problems.map((p) => p.en).join('; ')); }
  text(lang: Lang): string { return this.problems.map((p) => p[lang]).join(lang === 'zh' ? '；' : '; '); }
}

const norm = (s: string) => s.replace(/\s+/g, '').toLowerCase();

/** Column index per key. Headers may be the key, the Chinese or English title, or 单位编码(id). */
function mapHeader(kind: SetupKind, header: string[]): Map<string, number> {
  const cols = setupColumns[kind];
  const map = new Map<string, number>();
  const problems: Array<{ zh: string; en: string }> = [];
  header.forEach((raw, i) => {
    const h = norm(raw.replace(/^\uFEFF/, ''));
    if (!h) return;
    const inParens = /\(([^)]*)\)$/.exec(h)?.[1];
    const c = cols.find((x) => [norm(x.key), norm(x.zh), norm(x.en), norm(headerTitle(x))].includes(h) || (inParens && norm(x.key) === inParens));
    if (!c) problems.push({ zh: `未知的列“${raw}”`, en: `unknown column "${raw}"` });
    else if (map.has(c.key)) problems.push({ zh: `列“${raw}”重复`, en: `column "${raw}" appears twice` });
    else map.set(c.key, i);
  });
  for (const c of cols) {
    if (c.required && !map.has(c.key)) problems.push({ zh: `缺少必填列 ${headerTitle(c)}`, en: `the required column ${headerTitle(c)} is missing` });
  }
  if (problems.length) throw new FileProblem(problems);
  return map;
}

// ---------------------------------------------------------------------------------------------
// Checks shared by the kinds


interface Row { n: number; get(key: string): string }

class RowCheck {
  readonly errors: RowError[] = [];
  constructor(readonly row: Row) {}
  fail(column: string | null, code: string, value = '', vars?: Record<string, string | number>): void {
    this.errors.push({ row: this.row.n, column, value, code, vars });
  }
  /** A required or optional text, within max characters, without control characters or markup. */
  text(key: string, max: number, required = false): string | null {
    const v = this.row.get(key);
    if (!v) { if (required) this.fail(key, 'required'); return null; }
    if (v.length > max) this.fail(key, 'too_long', v, { max });
    else if (!nameSchema(max).safeParse(v).success) this.fail(key, 'invalid_text', v); // the administration API's rule
    return v;
  }
  /** A token from labels (zh / en / the token itself, case-insensitive). */
  choice<T extends string>(key: string, labels: Record<T, [string, string]>, lang: Lang, required = true): T | null {
    const v = this.row.get(key);
    if (!v) { if (required) this.fail(key, 'required'); return null; }
    for (const [token, [zh, en]] of Object.entries(labels) as Array<[T, [string, string]]>) {
      if ([token, zh, en].some((x) => x.toLowerCase() === v.toLowerCase())) return token;
    }
    const choices = Object.values<[string, string]>(labels).map(([zh, en]) => (lang === 'zh' ? zh : en)).join(lang === 'zh' ? '、' : ', ');
    this.fail(key, 'invalid_choice', v, { choices });
    return null;
  }
}

interface Lookups {
  regions: Map<string, true>;
  /** lower-case id → unit */
  units: Map<string, { id: string; name: string; kind: string; region_code: string; active: boolean }>;
}

async function loadLookups(q: Queryable): Promise<Lookups> {
  const regions = new Map((await q.query<{ code: string }>('SELECT code FROM region WHERE retired_at IS NULL')).map((r) => [r.code, true as const]));
  const units = new Map((await q.query<any>('SELECT id, name, kind, region_code, active FROM unit')).map((u) => [u.id.toLowerCase(), u]));
  return { regions, units };
}

const within = (scope: string, code: string) => code.startsWith(scope);
/** A unit may be referred to when it lies in the scope or above it (a city unit for a district). */
const reachable = (scope: string, code: string) => code.startsWith(scope) || scope.startsWith(code);

function checkRegion(c: RowCheck, key: string, scope: string, look: Lookups): string | null {
  const v = c.row.get(key);
  if (!v) { c.fail(key, 'required'); return null; }
  if (!look.regions.has(v)) { c.fail(key, 'unknown_region', v); return null; }
  if (!within(scope, v)) { c.fail(key, 'outside_scope', v, { scope }); return null; }
  return v;
}

/** A unit of the database by id, or by its exact name when one active unit in reach has it. */
function findUnit(c: RowCheck, key: string, value: string, scope: string, look: Lookups, opts: { handling?: boolean; above: boolean }): string | null {
  let u = look.units.get(value.toLowerCase());
  if (!u) {
    const named = [...look.units.values()].filter((x) => x.name === value && x.active && reachable(scope, x.region_code));
    if (named.length > 1) { c.fail(key, 'ambiguous_unit', value); return null; }
    u = named[0];
  }
  const visible = u && u.active && (opts.above ? reachable(scope, u.region_code) : within(scope, u.region_code));
  if (!u || !visible) { c.fail(key, 'unknown_unit', value); return null; }
  if (opts.handling && !HANDLING_KINDS.includes(u.kind)) { c.fail(key, 'unit_cannot_handle', value); return null; }
  return u.id;
}

function firstSeen(c: RowCheck, key: string, value: string, seen: Map<string, number>): void {
  const k = value.toLowerCase();
  const first = seen.get(k);
  if (first !== undefined) c.fail(key, 'duplicate_in_file', value, { first });
  else seen.set(k, c.row.n);
}

// ---------------------------------------------------------------------------------------------
// The three kinds

interface Checked<T> { row: number; value: T | null; errors: RowError[] }

function checkUnits(rows: Row[], scope: string, look: Lookups, lang: Lang): Array<Checked<UnitSeed>> {
  const seen = new Map<string, number>();
  const out = rows.map((row): Checked<UnitSeed> => {
    const c = new RowCheck(row);
    const id = row.get('id');
    if (!id) c.fail('id', 'required');
    else if (!unitIdSchema.safeParse(id).success) c.fail('id', 'invalid_unit_id', id);
    else {
      if (look.units.has(id.toLowerCase())) c.fail('id', 'unit_exists', id);
      firstSeen(c, 'id', id, seen);
    }
    const name = c.text('name', 100, true);
    const nameEn = c.text('nameEn', 200);
    const kind = c.choice('kind', unitKindLabels, lang);
    const regionCode = checkRegion(c, 'regionCode', scope, look);
    const parentId = row.get('parentId') || null;
    const value = c.errors.length ? null : { id, name: name!, nameEn, kind: kind!, regionCode: regionCode!, parentId };
    return { row: row.n, value, errors: c.errors };
  });
  // Parents: a unit of the database in reach, or another row of this file — without a cycle back to the row.
  const inFile = new Map<string, number>();
  rows.forEach((r, i) => { if (!inFile.has(r.get('id').toLowerCase())) inFile.set(r.get('id').toLowerCase(), i); });
  out.forEach((o, i) => {
    const parent = rows[i].get('parentId');
    if (!parent) return;
    const c = new RowCheck(rows[i]);
    if (look.units.has(parent.toLowerCase()) || !inFile.has(parent.toLowerCase())) {
      const id = findUnit(c, 'parentId', parent, scope, look, { above: true });
      if (id && o.value) o.value.parentId = id; // as the database spells it
    } else if (leadsBackTo(i, rows, inFile)) {
      c.fail('parentId', 'unit_cycle', parent);
    }
    if (c.errors.length) { o.errors.push(...c.errors); o.value = null; }
  });
  return out;
}

/** Following parent ids through the file's rows from row i comes back to row i. */
function leadsBackTo(i: number, rows: Row[], inFile: Map<string, number>): boolean {
  const seen = new Set<number>();
  for (let j = inFile.get(rows[i].get('parentId').toLowerCase()); j !== undefined && !seen.has(j);) {
    if (j === i) return true;
    seen.add(j);
    const p = rows[j].get('parentId').toLowerCase();
    j = p ? inFile.get(p) : undefined;
  }
  return false;
}

function checkUsers(rows: Row[], actor: Actor, scope: string, look: Lookups, taken: Set<string>, lang: Lang): Array<Checked<UserRow>> {
  const seen = new Map<string, number>();
  const roleChoices = Object.fromEntries(roles.map((r) => [r, roleLabels[r]])) as Record<Role, [string, string]>;
  return rows.map((row): Checked<UserRow> => {
    const c = new RowCheck(row);
    const username = row.get('username');
    if (!username) c.fail('username', 'required');
    else if (!usernameSchema.safeParse(username).success) c.fail('username', 'invalid_username', username);
    else if (RESERVED_USERNAMES.has(username.toLowerCase())) c.fail('username', 'username_reserved', username);
    else {
      if (taken.has(username.toLowerCase())) c.fail('username', 'username_taken', username);
      firstSeen(c, 'username', username, seen);
    }
    const displayName = c.text('displayName', 100, true);
    const role = c.choice('role', roleChoices, lang);
    if (role === 'admin' && actor.role !== 'admin') c.fail('role', 'role_not_allowed', row.get('role'));
    const unitValue = row.get('unitId');
    const unitId = unitValue ? findUnit(c, 'unitId', unitValue, scope, look, { above: false }) : null;
    if (role === 'department' && !unitValue) c.fail('unitId', 'unit_required');
    const regionCode = checkRegion(c, 'regionCode', scope, look);
    const locale = row.get('locale')
      ? c.choice('locale', { 'zh-CN': ['中文', 'zh'], en: ['English', 'en'] } as Record<'zh-CN' | 'en', [string, string]>, lang)
      : 'zh-CN';
    const password = row.get('password') || null;
    if (password && password.length < MIN_PASSWORD_LENGTH) c.fail('password', 'password_too_short', '', { min: MIN_PASSWORD_LENGTH });
    const value = c.errors.length ? null : { username, displayName: displayName!, role: role!, unitId, regionCode: regionCode!, locale: locale!, password };
    return { row: row.n, value, errors: c.errors };
  });
}

interface UserRow { username: string; displayName: string; role: Role; unitId: string | null; regionCode: string; locale: string; password: string | null }
interface RuleRow { categoryCode: string; regionPrefix: string; leadUnitId: string; assistUnitIds: string[]; note: string | null }

function checkRules(rows: Row[], scope: string, look: Lookups, categories: Map<string, string[]>, existing: Set<string>): Array<Checked<RuleRow>> {
  const seen = new Map<string, number>();
  return rows.map((row): Checked<RuleRow> => {
    const c = new RowCheck(row);
    const cat = row.get('categoryCode');
    let categoryCode: string | null = null;
    if (!cat) c.fail('categoryCode', 'required');
    else if (categories.has(cat) && /^\d+$/.test(cat)) categoryCode = cat;
    else {
      const named = [...categories].filter(([, names]) => names.includes(cat)).map(([code]) => code);
      if (named.length > 1) c.fail('categoryCode', 'ambiguous_category', cat);
      else if (!named.length) c.fail('categoryCode', 'unknown_category', cat);
      else categoryCode = named[0];
    }
    const regionPrefix = checkRegion(c, 'regionPrefix', scope, look);
    const lead = row.get('leadUnit');
    const leadUnitId = lead ? findUnit(c, 'leadUnit', lead, scope, look, { handling: true, above: true }) : null;
    if (!lead) c.fail('leadUnit', 'required');
    const assistUnitIds: string[] = [];
    for (const a of row.get('assistUnits').split(/[,，;；、\s]+/).filter(Boolean)) {
      const id = findUnit(c, 'assistUnits', a, scope, look, { handling: true, above: true });
      if (!id) continue;
      if (id === leadUnitId || assistUnitIds.includes(id)) c.fail('assistUnits', 'duplicate_unit', a);
      else assistUnitIds.push(id);
    }
    const note = c.text('note', 500);
    if (categoryCode && regionPrefix) {
      const key = `${categoryCode}@${regionPrefix}`;
      if (existing.has(key)) c.fail(null, 'responsibility_exists', regionPrefix);
      firstSeen(c, 'categoryCode', key, seen);
    }
    const value = c.errors.length ? null : { categoryCode: categoryCode!, regionPrefix: regionPrefix!, leadUnitId: leadUnitId!, assistUnitIds, note };
    return { row: row.n, value, errors: c.errors };
  });
}

// ---------------------------------------------------------------------------------------------
// The import

export interface SetupImportResult {
  kind: SetupKind;
  status: 'done' | 'failed' | 'partial';
  /** data rows read (the header and # rows not counted) */
  rows: number;
  written: number;
  errors: RowError[];
  /** users: generated passwords, to hand out once */
  passwords: Array<{ username: string; password: string }>;
}

/** Who may import set-up data: administrators, and command centres for their own region (not admins). */
export function assertSetupImporter(actor: Actor): void {
  if (actor.role !== 'admin' && actor.role !== 'command_centre') {
    throw new AppError(403, 'forbidden', { zh: `只有系统管理员和指挥中心可以导入单位、用户和职责清单。`, en: 'Only administrators and command centres may import units, users and responsibilities.' });
  }
}

export async function runSetupImport(
  db: Db, actor: Actor, kind: SetupKind, table: Array<{ n: number; cells: string[] }>, opts: { mode?: ImportMode; lang?: Lang; source?: string } = {},
): Promise<SetupImportResult> {
  assertSetupImporter(actor);
  const mode = opts.mode ?? 'all_or_nothing';
  const lang = opts.lang ?? 'zh';
  if (!table.length) throw new FileProblem([{ zh: '文件是空的', en: 'the file is empty' }]);
  const header = mapHeader(kind, table[0].cells);
  const rows: Row[] = table.slice(1)
    .filter((r) => !(r.cells[0] ?? '').startsWith('#'))
    .map((r) => ({ n: r.n, get: (key: string) => { const i = header.get(key); return i === undefined ? '' : (r.cells[i] ?? '').trim(); } }));
  const scope = actor.regionCode;
  const look = await loadLookups(db);
  const result = (checked: Array<Checked<unknown>>, written: number, passwords: SetupImportResult['passwords'] = []): SetupImportResult => {
    const errors = checked.flatMap((c) => c.errors);
    const status = errors.length === 0 ? 'done' : written > 0 ? 'partial' : 'failed';
    return { kind, status, rows: rows.length, written, errors, passwords };
  };
  const toWrite = <T>(checked: Array<Checked<T>>): T[] | null => {
    if (checked.some((c) => c.errors.length) && mode === 'all_or_nothing') return null;
    return checked.filter((c) => c.value).map((c) => c.value!);
  };
  const source = opts.source ?? null;

  if (kind === 'units') {
    const checked = checkUnits(rows, scope, look, lang);
    if (mode === 'valid_rows') refuseOrphans(checked, rows, look);
    const units = toWrite(checked);
    if (!units?.length) return result(checked, 0);
    await db.transaction(async (tx) => {
      await insertUnits(tx, parentsFirst(units));
      await auditRows(tx, actor, 'unit.create', units.map((u) => [`unit:${u.id}`, u.regionCode, { ...u, source }]));
    });
    return result(checked, units.length);
  }

  if (kind === 'users') {
    const taken = new Set((await db.query<{ u: string }>('SELECT lower(username) AS u FROM app_user')).map((r) => r.u));
    const checked = checkUsers(rows, actor, scope, look, taken, lang);
    const users = toWrite(checked);
    if (!users?.length) return result(checked, 0);
    // a territorial account without a unit works for its region's own (综治中心, 居委会/村委会, 12345 centre, 指挥中心)
    const own = await territorialUnitsOf(db, users.filter((u) => !u.unitId));
    for (const u of users) if (!u.unitId) u.unitId = own.get(`${u.role}|${u.regionCode}`) ?? null;
    const withPasswords = users.map((u) => ({ ...u, generated: !u.password, plain: u.password ?? generatePassword(), passwordHash: '' }));
    const passwords = withPasswords.filter((u) => u.generated).map((u) => ({ username: u.username, password: u.plain }));
    for (let i = 0; i < withPasswords.length; i += 8) { // argon2id on the thread pool, outside the transaction
      await Promise.all(withPasswords.slice(i, i + 8).map(async (u) => { u.passwordHash = await hashPassword(u.plain); }));
    }
    const prepared = withPasswords;
    await db.transaction(async (tx) => {
      const audits: Array<[string, string, Record<string, unknown>]> = [];
      for (const u of prepared) {
        const id = await createUser(tx, {
          username: u.username, displayName: u.displayName, passwordHash: u.passwordHash, role: u.role, unitId: u.unitId,
          regionCode: u.regionCode, locale: u.locale,
          // generated or typed into the file, the administrator knows it: replaced at the first login
          passwordChangeRequired: true,
        });
        audits.push([`user:${id}`, u.regionCode, { username: u.username, role: u.role, unitId: u.unitId, regionCode: u.regionCode, source }]);
      }
      await auditRows(tx, actor, 'user.create', audits);
    });
    return result(checked, users.length, passwords);
  }

  const categories = new Map<string, string[]>();
  for (const cat of await listCategoryRecords(db, { active: true })) categories.set(cat.code, [cat.code, cat.name_zh, cat.name_en]);
  const existing = new Set((await responsibilityKeys(db)).map(([category, prefix]) => `${category}@${prefix}`));
  const checked = checkRules(rows, scope, look, categories, existing);
  const rules = toWrite(checked);
  if (!rules?.length) return result(checked, 0);
  await db.transaction(async (tx) => {
    const ids = await insertResponsibilities(tx, rules);
    await auditRows(tx, actor, 'responsibility.create', rules.map((r, i) => [`responsibility:${ids[i]}`, r.regionPrefix, { ...r, source }]));
  });
  return result(checked, rules.length);
}

/** valid_rows: a unit whose parent row (not a unit of the database) was refused is refused too, down the chain. */
function refuseOrphans(checked: Array<Checked<UnitSeed>>, rows: Row[], look: Lookups): void {
  const refused = () => new Set(checked.flatMap((c, i) => (c.value ? [] : [rows[i].get('id').toLowerCase()])));
  for (let changed = true; changed;) {
    changed = false;
    const bad = refused();
    checked.forEach((c, i) => {
      const parent = rows[i].get('parentId');
      if (c.value && parent && bad.has(parent.toLowerCase()) && !look.units.has(parent.toLowerCase())) {
        c.errors.push({ row: c.row, column: 'parentId', value: parent, code: 'parent_refused' });
        c.value = null;
        changed = true;
      }
    });
  }
}

/** Units ordered so that a parent from the same file comes before its children. */
function parentsFirst(units: UnitSeed[]): UnitSeed[] {
  const byId = new Map(units.map((u) => [u.id.toLowerCase(), u]));
  const out: UnitSeed[] = [];
  const placed = new Set<string>();
  const place = (u: UnitSeed) => {
    const k = u.id.toLowerCase();
    if (placed.has(k)) return;
    placed.add(k);
    const parent = u.parentId ? byId.get(u.parentId.toLowerCase()) : undefined;
    if (parent) place(parent);
    // a parent named by a different spelling of its id: store the id as the parent row has it
    if (parent) u.parentId = parent.id;
    out.push(u);
  };
  units.forEach(place);
  return out;
}

async function auditRows(tx: Queryable, actor: Actor, action: string, rows: Array<[string, string, Record<string, unknown>]>): Promise<void> {
  if (!rows.length) return;
  await tx.query(
    `INSERT INTO audit_log (actor_id, action, target, region_code, detail)
     SELECT $1, $2, t.target, t.region, t.detail FROM jsonb_to_recordset($3::jsonb) AS t(target text, region text, detail jsonb)`,
    [actor.id, action, JSON.stringify(rows.map(([target, region, detail]) => ({ target, region, detail })))]);
}
