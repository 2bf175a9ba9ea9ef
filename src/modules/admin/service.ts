// Administration use cases: users, units, categories and time limits, the responsibility list (权责清单)
// and the working calendar. Every write is checked against the administrator's region scope and leaves
// an audit_log row in the same transaction. No HTTP types here.
import { administersPlatform } from '../../platform/auth/platform-admin.ts';
import type { Queryable } from '../../platform/db/index.ts';
import { definePolicy } from '../../platform/policy.ts';
import { regionScope } from '../../platform/scope.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError, conflict, forbidden, notFound, unprocessable } from '../../platform/errors.ts';
import { createUser, forgetCachedActors, hashPassword } from '../../platform/auth/service.ts';
import { createCalendar, defaultCalendarConfig, type CalendarConfig } from '../../platform/calendar/index.ts';
import {
  categoriesChanged, deleteResponsibilityRule, findCategory, findResponsibility, findResponsibilityFor, insertCategory, insertResponsibilities,
  listCategoryRecords, listResponsibilityViews, responsibilityView, rulesNamingUnit, updateCategory, updateResponsibilityRule, type CategoryRecord,
} from '../cases/index.ts';
import { insertUnits } from './units.ts';
import type {
  CalendarPutT, CategoryCreateT, CategoryPatchT, ResponsibilityCreateT, ResponsibilityPatchT, UnitCreateT, UnitListQueryT, UnitPatchT,
  UserCreateT, UserListQueryT, UserPatchT,
} from './contracts.ts';

export interface AdminDeps {
  ctx: AppContext;
  /** Makes the running platform pick up the change (routing cache, calendar, region index). */
  reload: () => Promise<void>;
  /** Names of the case types in force (categories may name only these). */
  caseTypes: () => string[];
}

/** Usernames the platform keeps for its own accounts. */
export const RESERVED_USERNAMES = new Set(['portal', 'system', 'root', 'anonymous']);
/** Unit kinds that can lead or assist in handling a case (the same set dispatch accepts). */
export const HANDLING_KINDS = ['department', 'street_centre', 'community', 'district_gov'];

// ---------------------------------------------------------------------------------------------
// Policy: deny by default

export const adminPolicy = definePolicy({
  'admin.manage': { roles: ['admin'], what: { zh: '管理用户、单位、事项分类、权责清单和工作日历', en: 'administer users, units, categories, the responsibility list and the calendar' } },
  // units, categories and the responsibility list are readable by command centres too
  'admin.directory.read': { roles: ['admin', 'command_centre'], what: { zh: '查看单位、事项分类和权责清单', en: 'read the administration\'s units, categories and responsibility list' } },
});

export const assertAdmin = (actor: Actor): void => adminPolicy.assert(actor, 'admin.manage');
export const assertDirectoryReader = (actor: Actor): void => adminPolicy.assert(actor, 'admin.directory.read');

const within = (actor: Actor, code: string | null | undefined) => !!code && regionScope(actor).within(code);
/** A unit the actor may refer to: in their scope, or above it (a city unit for a district admin). */
const reachable = (actor: Actor, code: string) => regionScope(actor).sees(code);

/** Categories and the calendar are platform-wide: only an administrator of the whole platform edits them. */
async function assertPlatformAdmin(q: Queryable, actor: Actor): Promise<void> {
  assertAdmin(actor);
  if (!(await administersPlatform(q, actor))) {
    throw new AppError(403, 'platform_admin_only', { zh: `平台级设置只能由顶级区划（或初始化时设置的区县、市）的系统管理员修改。`, en: 'Platform-wide settings are edited by an administrator of the top-level region (or of the district or city that init set up).' });
  }
}

async function audit(tx: Queryable, actor: Actor, action: string, target: string, regionCode: string | null, detail: Record<string, unknown>) {
  await tx.query(
    'INSERT INTO audit_log (actor_id, action, target, region_code, detail) VALUES ($1, $2, $3, $4, $5::jsonb)',
    [actor.id, action, target, regionCode, JSON.stringify(detail)]);
}

const isUniqueViolation = (err: any) => err?.code === '23505';
const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);

async function checkRegion(q: Queryable, actor: Actor, code: string): Promise<void> {
  const [r] = await q.query('SELECT code FROM region WHERE code = $1', [code]);
  if (!r) throw unprocessable('unknown_region', { zh: `区划 ${code} 不存在。`, en: `Region ${code} does not exist.` });
  if (!within(actor, code)) throw unprocessable('outside_scope', { zh: `区划 ${code} 不在您管理的区域内。`, en: `Region ${code} is outside the region you administer.` });
}

/** An active unit the actor may refer to: in their scope, or (with `above`) one above it. */
async function checkUnit(q: Queryable, actor: Actor, id: string, opts: { handling?: boolean; above?: boolean } = {}) {
  const [u] = await q.query<{ id: string; kind: string; region_code: string; active: boolean }>(
    'SELECT id, kind, region_code, active FROM unit WHERE id = $1', [id]);
  const visible = u && (opts.above ? reachable(actor, u.region_code) : within(actor, u.region_code));
  if (!u || !u.active || !visible) throw unprocessable('unknown_unit', { zh: `单位 ${id} 不存在或已停用。`, en: `Unit ${id} does not exist or is inactive.` });
  if (opts.handling && !HANDLING_KINDS.includes(u.kind)) throw unprocessable('unit_cannot_handle', { zh: `单位 ${id} 的类型为“${u.kind}”，不能承办案件。`, en: `Unit ${id} is a ${u.kind}; it cannot handle cases.` });
  return u;
}

// ---------------------------------------------------------------------------------------------
// Users

const userSelect = `SELECT u.id, u.username, u.display_name, u.role, u.unit_id, un.name AS unit_name, u.region_code,
  r.name AS region_name, u.locale, u.active, u.created_at
  FROM app_user u LEFT JOIN unit un ON un.id = u.unit_id LEFT JOIN region r ON r.code = u.region_code`;

const userView = (u: any) => ({
  id: Number(u.id), username: u.username, displayName: u.display_name, role: u.role, unitId: u.unit_id, unitName: u.unit_name,
  regionCode: u.region_code, regionName: u.region_name, locale: u.locale, active: u.active, createdAt: iso(u.created_at),
});

/**
 * The SET clause, parameters and audit changes of a partial update: fields left undefined are untouched.
 * `$1` is the row's key; `emptyAsNull` stores '' as NULL (clearing an optional text).
 */
function patchOf(columns: Record<string, [string, unknown]>, before: Record<string, unknown>, key: unknown, opts: { emptyAsNull?: boolean } = {}) {
  const set: string[] = [];
  const params: unknown[] = [key];
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const [field, [col, value]] of Object.entries(columns)) {
    if (value === undefined) continue;
    params.push(opts.emptyAsNull && value === '' ? null : value);
    set.push(`${col} = $${params.length}`);
    changes[field] = { from: before[col], to: value };
  }
  return { set, params, changes };
}

export async function listUsers(deps: AdminDeps, actor: Actor, query: UserListQueryT) {
  assertAdmin(actor);
  const params: unknown[] = [`${actor.regionCode}%`];
  const where = ['NOT u.is_system', 'u.region_code LIKE $1'];
  if (query.role) { params.push(query.role); where.push(`u.role = $${params.length}`); }
  if (query.q) {
    params.push(`%${likeEscape(query.q)}%`);
    where.push(`(u.username ILIKE $${params.length} OR u.display_name ILIKE $${params.length})`);
  }
  const w = where.join(' AND ');
  const offset = (query.page - 1) * query.pageSize;
  const rows = await deps.ctx.db.query<any>(`${userSelect} WHERE ${w} ORDER BY u.username LIMIT ${query.pageSize} OFFSET ${offset}`, params);
  const [{ n }] = await deps.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM app_user u WHERE ${w}`, params);
  return { items: rows.map(userView), page: query.page, pageSize: query.pageSize, total: n };
}

async function getUserInScope(q: Queryable, actor: Actor, id: number, lock = false) {
  const [u] = await q.query<any>(
    `SELECT id, username, display_name, role, unit_id, region_code, locale, active, is_system FROM app_user WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  if (!u || !within(actor, u.region_code)) throw notFound({ zh: `用户 ${id}`, en: `User ${id}` });
  if (u.is_system) throw new AppError(403, 'system_account', { zh: `系统内置账号不能修改。`, en: 'Built-in system accounts cannot be edited.' });
  return u;
}

async function userById(q: Queryable, id: number) {
  const [u] = await q.query<any>(`${userSelect} WHERE u.id = $1`, [id]);
  return userView(u);
}

function checkRoleUnit(role: string, unitId: string | null | undefined): void {
  if (role === 'department' && !unitId) throw unprocessable('unit_required', { zh: `职能部门用户须指定所属单位（unitId）。`, en: 'A department user needs the unit they work for (unitId).' });
}

/** The kind of unit a territorial role works for: its region's 综治中心, 居委会/村委会, 12345 centre or 指挥中心. */
const territorialUnitKind: Readonly<Record<string, string>> = {
  street_centre: 'street_centre', community: 'community', hotline_operator: 'hotline', command_centre: 'command_centre',
};

/**
 * The unit an account of a territorial role works for when none is given: the one unit of that kind in its own
 * region (as `gongzhi init` creates them). Cases wait for a unit — the street it was dispatched to, the hotline
 * that must verify — so an account without one never sees them in its inbox. Null when there is no such unit,
 * or more than one to choose from.
 */
export async function territorialUnitOf(q: Queryable, role: string, regionCode: string): Promise<string | null> {
  return (await territorialUnitsOf(q, [{ role, regionCode }])).get(`${role}|${regionCode}`) ?? null;
}

/** territorialUnitOf for many accounts in one query (an import): `role|regionCode` → the unit, absent when none or several. */
export async function territorialUnitsOf(q: Queryable, accounts: Array<{ role: string; regionCode: string }>): Promise<Map<string, string>> {
  const wanted = accounts.filter((a) => territorialUnitKind[a.role]);
  if (!wanted.length) return new Map();
  const rows = await q.query<{ kind: string; region_code: string; ids: string[] }>(
    `SELECT kind, region_code, array_agg(id ORDER BY id) AS ids FROM unit
     WHERE active AND (kind, region_code) IN (SELECT * FROM unnest($1::text[], $2::text[])) GROUP BY kind, region_code`,
    [wanted.map((a) => territorialUnitKind[a.role]), wanted.map((a) => a.regionCode)]);
  const only = new Map(rows.filter((r) => r.ids.length === 1).map((r) => [`${r.kind}|${r.region_code}`, r.ids[0]]));
  const out = new Map<string, string>();
  for (const a of wanted) {
    const id = only.get(`${territorialUnitKind[a.role]}|${a.regionCode}`);
    if (id) out.set(`${a.role}|${a.regionCode}`, id);
  }
  return out;
}

export async function createUserAccount(deps: AdminDeps, actor: Actor, input: UserCreateT) {
  assertAdmin(actor);
  const { db } = deps.ctx;
  if (RESERVED_USERNAMES.has(input.username.toLowerCase())) throw conflict('username_taken', { zh: `用户名 ${input.username} 为系统保留，不能使用。`, en: `The username ${input.username} is reserved.` });
  await checkRegion(db, actor, input.regionCode);
  if (input.unitId) await checkUnit(db, actor, input.unitId);
  else input = { ...input, unitId: (await territorialUnitOf(db, input.role, input.regionCode)) ?? undefined };
  checkRoleUnit(input.role, input.unitId);
  const taken = await db.query('SELECT 1 FROM app_user WHERE lower(username) = lower($1)', [input.username]);
  if (taken.length) throw conflict('username_taken', { zh: `用户名 ${input.username} 已被占用。`, en: `The username ${input.username} is taken.` });
  const passwordHash = await hashPassword(input.password); // outside the transaction: argon2id takes a while
  try {
    const id = await db.transaction(async (tx) => {
      // the administrator knows the password they typed: the user chooses their own at the first login
      const id = await createUser(tx, { ...input, passwordHash, unitId: input.unitId ?? null, passwordChangeRequired: true });
      await audit(tx, actor, 'user.create', `user:${id}`, input.regionCode, {
        username: input.username, role: input.role, unitId: input.unitId ?? null, regionCode: input.regionCode,
      });
      return id;
    });
    return userById(db, id);
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('username_taken', { zh: `用户名 ${input.username} 已被占用。`, en: `The username ${input.username} is taken.` });
    throw err;
  }
}

export async function patchUser(deps: AdminDeps, actor: Actor, id: number, input: UserPatchT) {
  assertAdmin(actor);
  const { db } = deps.ctx;
  const before = await getUserInScope(db, actor, id);
  if (id === actor.id && (input.active === false || (input.role && input.role !== before.role) || (input.regionCode && input.regionCode !== before.region_code))) {
    throw conflict('cannot_change_self', { zh: `不能停用自己的账号，也不能修改自己的角色或区域，请联系其他管理员。`, en: 'You cannot deactivate yourself or change your own role or region; ask another administrator.' });
  }
  if (input.regionCode) await checkRegion(db, actor, input.regionCode);
  if (input.unitId) await checkUnit(db, actor, input.unitId);
  checkRoleUnit(input.role ?? before.role, input.unitId === undefined ? before.unit_id : input.unitId);
  const passwordHash = input.password ? await hashPassword(input.password) : null;

  const columns: Record<string, [string, unknown]> = {
    displayName: ['display_name', input.displayName], role: ['role', input.role], unitId: ['unit_id', input.unitId],
    regionCode: ['region_code', input.regionCode], locale: ['locale', input.locale], active: ['active', input.active],
  };
  const { set, params, changes } = patchOf(columns, before, id);
  if (passwordHash) {
    params.push(passwordHash);
    set.push(`password_hash = $${params.length}`);
    // a password reset by an administrator is known to them: its owner replaces it at the next login
    // (an administrator setting their own password here has chosen it)
    set.push(`password_change_required = ${id === actor.id ? 'false' : 'true'}`);
    set.push('password_public = false');
  }
  await db.transaction(async (tx) => {
    await getUserInScope(tx, actor, id, true);
    await tx.query(`UPDATE app_user SET ${set.join(', ')} WHERE id = $1`, params);
    // A new password or a deactivation ends the user's sessions everywhere.
    if (passwordHash || input.active === false) {
      await tx.query('UPDATE session SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL', [id, deps.ctx.now()]);
    }
    await audit(tx, actor, 'user.update', `user:${id}`, input.regionCode ?? before.region_code, { changes, passwordChanged: !!passwordHash });
  });
  forgetCachedActors(id); // the user's next request sees the new role, unit, region or activation
  return userById(db, id);
}

// ---------------------------------------------------------------------------------------------
// Units

const unitView = (u: any) => ({
  id: u.id, name: u.name, nameEn: u.name_en, kind: u.kind, regionCode: u.region_code, regionName: u.region_name ?? null,
  parentId: u.parent_id, active: u.active, createdAt: iso(u.created_at),
});
const unitSelect = 'SELECT u.*, r.name AS region_name FROM unit u LEFT JOIN region r ON r.code = u.region_code';

export async function listUnits(deps: AdminDeps, actor: Actor, query: UnitListQueryT) {
  assertDirectoryReader(actor);
  const params: unknown[] = [`${actor.regionCode}%`];
  const where = ['u.region_code LIKE $1'];
  if (query.kind) { params.push(query.kind); where.push(`u.kind = $${params.length}`); }
  if (query.active) where.push(query.active === 'true' ? 'u.active' : 'NOT u.active');
  if (query.q) {
    params.push(`%${likeEscape(query.q)}%`);
    where.push(`(u.id ILIKE $${params.length} OR u.name ILIKE $${params.length} OR u.name_en ILIKE $${params.length})`);
  }
  const rows = await deps.ctx.db.query<any>(`${unitSelect} WHERE ${where.join(' AND ')} ORDER BY u.kind, u.id LIMIT 5000`, params);
  return { items: rows.map(unitView) };
}

async function unitInScope(q: Queryable, actor: Actor, id: string, lock = false) {
  const [u] = await q.query<any>(`SELECT * FROM unit WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  if (!u || !within(actor, u.region_code)) throw notFound({ zh: `单位 ${id}`, en: `Unit ${id}` });
  return u;
}

async function checkParentUnit(q: Queryable, actor: Actor, unitId: string, parentId: string): Promise<void> {
  if (parentId === unitId) throw unprocessable('unit_cycle', { zh: `单位不能以自身为上级单位。`, en: 'A unit cannot be its own parent.' });
  await checkUnit(q, actor, parentId, { above: true });
  // Walk up from the new parent: meeting the unit itself would make a cycle.
  let cur: string | null = parentId;
  for (let i = 0; cur && i < 50; i++) {
    const rows: Array<{ parent_id: string | null }> = await q.query('SELECT parent_id FROM unit WHERE id = $1', [cur]);
    cur = rows[0]?.parent_id ?? null;
    if (cur === unitId) throw unprocessable('unit_cycle', { zh: `单位 ${parentId} 隶属于 ${unitId}，不能作为其上级单位。`, en: `Unit ${parentId} lies under ${unitId}; it cannot be its parent.` });
  }
}

export async function createUnit(deps: AdminDeps, actor: Actor, input: UnitCreateT) {
  assertAdmin(actor);
  const { db } = deps.ctx;
  const [exists] = await db.query('SELECT 1 FROM unit WHERE lower(id) = lower($1)', [input.id]);
  if (exists) throw conflict('unit_exists', { zh: `编码为 ${input.id} 的单位已存在。`, en: `A unit with id ${input.id} exists already.` });
  await checkRegion(db, actor, input.regionCode);
  if (input.parentId) await checkParentUnit(db, actor, input.id, input.parentId);
  try {
    await db.transaction(async (tx) => {
      await insertUnits(tx, [{ id: input.id, name: input.name, nameEn: input.nameEn ?? null, kind: input.kind, regionCode: input.regionCode, parentId: input.parentId ?? null }]);
      await audit(tx, actor, 'unit.create', `unit:${input.id}`, input.regionCode, { ...input });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('unit_exists', { zh: `编码为 ${input.id} 的单位已存在。`, en: `A unit with id ${input.id} exists already.` });
    throw err;
  }
  await deps.reload();
  const [u] = await db.query(`${unitSelect} WHERE u.id = $1`, [input.id]);
  return unitView(u);
}

export async function patchUnit(deps: AdminDeps, actor: Actor, id: string, input: UnitPatchT) {
  assertAdmin(actor);
  const { db } = deps.ctx;
  const before = await unitInScope(db, actor, id);
  if (input.regionCode) await checkRegion(db, actor, input.regionCode);
  if (input.parentId) await checkParentUnit(db, actor, id, input.parentId);
  // Routing must never suggest a unit that dispatch would refuse: no deactivating, or turning into a
  // kind that cannot handle cases, while the responsibility list names the unit.
  const leavesRouting = (input.active === false && before.active) || (input.kind && !HANDLING_KINDS.includes(input.kind));
  if (leavesRouting) {
    const n = await rulesNamingUnit(db, id);
    if (n) {
      throw conflict('unit_in_use', {
        zh: `权责清单中有 ${n} 条规则由「${before.name}」承办或协办，请先在权责清单中改派这些规则，再停用或更改单位类型。`,
        en: `${before.name_en || before.name} is named in ${n} rule(s) of the responsibility list; reassign them there first.`,
      }, { rules: n });
    }
  }
  const columns: Record<string, [string, unknown]> = {
    name: ['name', input.name], nameEn: ['name_en', input.nameEn], kind: ['kind', input.kind],
    regionCode: ['region_code', input.regionCode], parentId: ['parent_id', input.parentId], active: ['active', input.active],
  };
  const { set, params, changes } = patchOf(columns, before, id);
  await db.transaction(async (tx) => {
    await unitInScope(tx, actor, id, true);
    await tx.query(`UPDATE unit SET ${set.join(', ')} WHERE id = $1`, params);
    await audit(tx, actor, 'unit.update', `unit:${id}`, input.regionCode ?? before.region_code, { changes });
  });
  if (input.kind !== undefined) forgetCachedActors(); // actors carry their unit's kind
  await deps.reload();
  const [u] = await db.query(`${unitSelect} WHERE u.id = $1`, [id]);
  return unitView(u);
}

// ---------------------------------------------------------------------------------------------
// Categories and time limits: the case engine's catalogue (cases/catalog.ts) keeps the tree; here are
// who may change it, the checks and the audit.

const categoryView = (c: CategoryRecord) => ({
  code: c.code, parentCode: c.parent_code, name: { zh: c.name_zh, en: c.name_en }, caseTypes: c.case_types,
  leaf: c.limit_minutes != null, limitMinutes: c.limit_minutes, filingCondition: c.filing_condition,
  closingCondition: c.closing_condition, active: c.active,
});

export async function listCategories(deps: AdminDeps, actor: Actor, query: { type?: string; active?: 'true' | 'false' }) {
  assertDirectoryReader(actor);
  const rows = await listCategoryRecords(deps.ctx.db, { type: query.type, active: query.active ? query.active === 'true' : undefined });
  return { items: rows.map(categoryView) };
}

export async function patchCategory(deps: AdminDeps, actor: Actor, code: string, input: CategoryPatchT) {
  const { db } = deps.ctx;
  await assertPlatformAdmin(db, actor);
  const before = await findCategory(db, code);
  if (!before) throw notFound({ zh: `事项分类 ${code}`, en: `Category ${code}` });
  if (input.limitMinutes !== undefined && before.limit_minutes == null) {
    throw unprocessable('category_not_leaf', { zh: `事项分类 ${code} 是分组，办理时限应设置在其子分类上。`, en: `Category ${code} is a group; time limits are set on its subcategories.` });
  }
  const columns: Record<string, [string, unknown]> = {
    nameZh: ['name_zh', input.nameZh], nameEn: ['name_en', input.nameEn], limitMinutes: ['limit_minutes', input.limitMinutes],
    filingCondition: ['filing_condition', input.filingCondition], closingCondition: ['closing_condition', input.closingCondition],
    active: ['active', input.active],
  };
  const { changes } = patchOf(columns, before as unknown as Record<string, unknown>, code, { emptyAsNull: true });
  const text = (v: string | null | undefined) => (v === undefined ? undefined : v || null);
  await db.transaction(async (tx) => {
    await updateCategory(tx, code, {
      nameZh: input.nameZh, nameEn: input.nameEn, limitMinutes: input.limitMinutes, active: input.active,
      filingCondition: text(input.filingCondition), closingCondition: text(input.closingCondition),
    });
    await audit(tx, actor, 'category.update', `category:${code}`, null, { changes });
  });
  categoriesChanged(code);
  return categoryView((await findCategory(db, code))!);
}

export async function createCategory(deps: AdminDeps, actor: Actor, input: CategoryCreateT) {
  const { db } = deps.ctx;
  await assertPlatformAdmin(db, actor);
  const parent = await findCategory(db, input.parentCode);
  if (!parent) throw unprocessable('unknown_category', { zh: `事项分类 ${input.parentCode} 不存在。`, en: `Category ${input.parentCode} does not exist.` });
  if (parent.limit_minutes != null) throw unprocessable('parent_is_leaf', { zh: `事项分类 ${input.parentCode} 是已设置办理时限的末级分类，只能在分组下添加子分类。`, en: `Category ${input.parentCode} is a leaf with a time limit; add children to a group.` });
  if (!input.code.startsWith(input.parentCode) || input.code.length <= input.parentCode.length) {
    throw unprocessable('code_not_under_parent', { zh: `子分类编码须以上级分类编码（${input.parentCode}）开头，且长度更长。`, en: `A child's code starts with its parent's code (${input.parentCode}) and is longer.` });
  }
  if (await findCategory(db, input.code)) throw conflict('category_exists', { zh: `事项分类 ${input.code} 已存在。`, en: `Category ${input.code} exists already.` });
  const caseTypes = input.caseTypes ?? parent.case_types;
  const unknown = caseTypes.filter((t: string) => !deps.caseTypes().includes(t));
  if (unknown.length) throw unprocessable('unknown_case_type', { zh: `以下不是本平台的案件类型：${unknown.join('、')}。`, en: `Not case types of this platform: ${unknown.join(', ')}.` });
  try {
    await db.transaction(async (tx) => {
      await insertCategory(tx, {
        code: input.code, parentCode: input.parentCode, nameZh: input.nameZh, nameEn: input.nameEn, caseTypes,
        limitMinutes: input.limitMinutes ?? null, filingCondition: input.filingCondition || null,
        closingCondition: input.closingCondition || null, defaultUnitKey: parent.default_unit_key,
      });
      await audit(tx, actor, 'category.create', `category:${input.code}`, null, { ...input, caseTypes });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('category_exists', { zh: `事项分类 ${input.code} 已存在。`, en: `Category ${input.code} exists already.` });
    throw err;
  }
  categoriesChanged();
  return categoryView((await findCategory(db, input.code))!);
}

// ---------------------------------------------------------------------------------------------
// Responsibility list (权责清单), kept by the case engine's catalogue

export async function listResponsibilities(deps: AdminDeps, actor: Actor, query: { category?: string; region?: string }) {
  assertDirectoryReader(actor);
  return { items: await listResponsibilityViews(deps.ctx.db, actor.regionCode, query) };
}

export async function createResponsibility(deps: AdminDeps, actor: Actor, input: ResponsibilityCreateT) {
  assertAdmin(actor);
  const { db } = deps.ctx;
  if (!(await findCategory(db, input.categoryCode))) throw unprocessable('unknown_category', { zh: `事项分类 ${input.categoryCode} 不存在。`, en: `Category ${input.categoryCode} does not exist.` });
  await checkRegion(db, actor, input.regionPrefix);
  const ids = [input.leadUnitId, ...input.assistUnitIds];
  if (new Set(ids).size !== ids.length) throw unprocessable('duplicate_unit', { zh: `同一单位不能既是主办单位又是协办单位，也不能重复列出。`, en: 'A unit cannot be both lead and assisting, or listed twice.' });
  for (const u of ids) await checkUnit(db, actor, u, { handling: true, above: true });
  const dup = await findResponsibilityFor(db, input.categoryCode, input.regionPrefix);
  if (dup) throw ruleExists(input.categoryCode, input.regionPrefix, dup);
  let id: number;
  try {
    id = await db.transaction(async (tx) => {
      const [ruleId] = await insertResponsibilities(tx, [{
        categoryCode: input.categoryCode, regionPrefix: input.regionPrefix, leadUnitId: input.leadUnitId,
        assistUnitIds: input.assistUnitIds, note: input.note || null,
      }]);
      await audit(tx, actor, 'responsibility.create', `responsibility:${ruleId}`, input.regionPrefix, { ...input });
      return ruleId;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw ruleExists(input.categoryCode, input.regionPrefix, null);
    throw err;
  }
  await deps.reload();
  return (await responsibilityView(db, id))!;
}

/** Another rule holds this category × region: the console names it and offers to edit it (extra.id). */
function ruleExists(categoryCode: string, regionPrefix: string, id: number | null) {
  return conflict('responsibility_exists',
    { zh: `${regionPrefix} 已有 ${categoryCode} 的职责规则，请修改该规则。`, en: `There is already a rule for ${categoryCode} in ${regionPrefix}; edit that rule instead.` },
    { categoryCode, regionPrefix, ...(id != null ? { id } : {}) });
}

/** Changes a rule in place (its units, note, or its category × region); routing follows at once. */
export async function patchResponsibility(deps: AdminDeps, actor: Actor, id: number, input: ResponsibilityPatchT) {
  assertAdmin(actor);
  const { db } = deps.ctx;
  const before = await findResponsibility(db, id);
  if (!before || !within(actor, before.region_prefix)) throw notFound({ zh: `职责规则 ${id}`, en: `Responsibility rule ${id}` });
  const next = {
    categoryCode: input.categoryCode ?? before.category_code,
    regionPrefix: input.regionPrefix ?? before.region_prefix,
    leadUnitId: input.leadUnitId ?? before.lead_unit_id,
    assistUnitIds: input.assistUnitIds ?? before.assist_unit_ids,
    note: input.note === undefined ? before.note : input.note || null,
  };
  if (input.categoryCode && !(await findCategory(db, input.categoryCode))) throw unprocessable('unknown_category', { zh: `事项分类 ${input.categoryCode} 不存在。`, en: `Category ${input.categoryCode} does not exist.` });
  if (input.regionPrefix) await checkRegion(db, actor, input.regionPrefix);
  const ids = [next.leadUnitId, ...next.assistUnitIds];
  if (new Set(ids).size !== ids.length) throw unprocessable('duplicate_unit', { zh: `同一单位不能既是主办单位又是协办单位，也不能重复列出。`, en: 'A unit cannot be both lead and assisting, or listed twice.' });
  for (const u of [input.leadUnitId, ...(input.assistUnitIds ?? [])]) if (u) await checkUnit(db, actor, u, { handling: true, above: true });
  const holder = await findResponsibilityFor(db, next.categoryCode, next.regionPrefix);
  if (holder != null && holder !== id) throw ruleExists(next.categoryCode, next.regionPrefix, holder);
  try {
    await db.transaction(async (tx) => {
      const r = await findResponsibility(tx, id, true);
      if (!r) throw notFound({ zh: `职责规则 ${id}`, en: `Responsibility rule ${id}` });
      await updateResponsibilityRule(tx, id, next);
      await audit(tx, actor, 'responsibility.update', `responsibility:${id}`, next.regionPrefix, {
        from: { categoryCode: r.category_code, regionPrefix: r.region_prefix, leadUnitId: r.lead_unit_id, assistUnitIds: r.assist_unit_ids, note: r.note },
        to: next,
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw ruleExists(next.categoryCode, next.regionPrefix, null);
    throw err;
  }
  await deps.reload();
  return (await responsibilityView(db, id))!;
}

export async function deleteResponsibility(deps: AdminDeps, actor: Actor, id: number): Promise<void> {
  assertAdmin(actor);
  const { db } = deps.ctx;
  await db.transaction(async (tx) => {
    const r = await findResponsibility(tx, id, true);
    if (!r || !within(actor, r.region_prefix)) throw notFound({ zh: `职责规则 ${id}`, en: `Responsibility rule ${id}` });
    await deleteResponsibilityRule(tx, id);
    await audit(tx, actor, 'responsibility.delete', `responsibility:${id}`, r.region_prefix, {
      categoryCode: r.category_code, regionPrefix: r.region_prefix, leadUnitId: r.lead_unit_id, assistUnitIds: r.assist_unit_ids,
    });
  });
  await deps.reload();
}

// ---------------------------------------------------------------------------------------------
// Working calendar

async function readCalendar(q: Queryable): Promise<Required<CalendarConfig>> {
  const rows = await q.query<{ key: string; value: any }>(`SELECT key, value FROM setting WHERE key IN ('calendar.hours', 'calendar.overrides')`);
  const by = new Map(rows.map((r) => [r.key, typeof r.value === 'string' ? JSON.parse(r.value) : r.value]));
  return { hours: by.get('calendar.hours') ?? defaultCalendarConfig.hours, overrides: by.get('calendar.overrides') ?? {} };
}

export async function getCalendar(deps: AdminDeps, actor: Actor) {
  assertAdmin(actor);
  return readCalendar(deps.ctx.db);
}

export async function putCalendar(deps: AdminDeps, actor: Actor, input: CalendarPutT) {
  const { db } = deps.ctx;
  await assertPlatformAdmin(db, actor);
  const current = await readCalendar(db);
  const next = { hours: input.hours ?? current.hours, overrides: input.overrides ?? current.overrides };
  try {
    createCalendar(next); // the calendar's own validation, as the scheduler will see it
  } catch (err: any) {
    throw new AppError(400, 'validation_failed', { zh: `请求内容无效：${err instanceof AppError ? err.zh : '工作日历配置有误'}`, en: `Invalid body: ${err?.message ?? 'calendar configuration'}` });
  }
  await db.transaction(async (tx) => {
    for (const [key, value] of [['calendar.hours', input.hours], ['calendar.overrides', input.overrides]] as const) {
      if (value === undefined) continue;
      await tx.query(
        `INSERT INTO setting (key, value, updated_at) VALUES ($1, $2::jsonb, $3)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
        [key, JSON.stringify(value), deps.ctx.now()]);
    }
    await audit(tx, actor, 'calendar.update', 'setting:calendar', null, { before: current, after: next });
  });
  await deps.reload();
  return readCalendar(db);
}
