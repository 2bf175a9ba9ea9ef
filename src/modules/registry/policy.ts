// Who may do what in the registries (deny by default), and where: the region scope comes from
// platform/scope.ts — the same prefix gives the SQL filter for lists and the check for one record.
import { administersPlatform } from '../../platform/auth/platform-admin.ts';
import type { Actor, Role } from '../../platform/auth/actor.ts';
import { AppError } from '../../platform/errors.ts';
import { definePolicy } from '../../platform/policy.ts';
import { regionScope } from '../../platform/scope.ts';
import type { Queryable } from '../../platform/db/index.ts';

/** Staff who work with the registries: read masked records, collect and correct them, import. */
const REGISTRY: Role[] = ['command_centre', 'street_centre', 'community', 'grid_worker'];

export const registryPolicy = definePolicy({
  // read masked records, add and correct them, import and export
  'registry.use': { roles: REGISTRY, what: { zh: '使用基础信息（限指挥中心、街道综治中心、社区和网格员）', en: 'use the registries (command centres, street centres, communities and grid workers)' } },
  // removing a record is for the community and above; grid workers correct and add
  'registry.delete': { roles: ['command_centre', 'street_centre', 'community'], what: { zh: '删除基础信息记录', en: 'remove registry records' } },
  // revealing by role; others may hold a personal grant (protect.ts)
  'registry.reveal': { roles: ['command_centre', 'street_centre', 'community'], what: { zh: '按角色查看个人信息明文', en: 'reveal personal data by role' } },
  // ending or lifting (解除) a special-population label takes a key person off the lists: the community and above decide
  'registry.label.end': { roles: ['command_centre', 'street_centre', 'community'], what: { zh: '结束或解除特殊人群标签', en: 'end or lift special-population labels' } },
  'registry.administer': { roles: ['admin'], what: { zh: '编辑数据字典或授权查看个人信息', en: 'edit dictionaries or grant reveals' } },
  // a street centre (综治中心) answers for its street's reveals too: the audit, scoped to its street
  'registry.audit': { roles: ['admin', 'command_centre', 'street_centre'], what: { zh: '查阅个人信息查看记录', en: 'read the reveal audit' } },
});

export const REGISTRY_ROLES: ReadonlySet<string> = new Set(REGISTRY);

export const assertRegistryUser = (actor: Actor): void => registryPolicy.assert(actor, 'registry.use');
export const assertLabelEnder = (actor: Actor): void => registryPolicy.assert(actor, 'registry.label.end');
export const assertDeleter = (actor: Actor): void => registryPolicy.assert(actor, 'registry.delete');
/** Dictionaries and reveal grants are administered by administrators. */
export const assertAdmin = (actor: Actor): void => registryPolicy.assert(actor, 'registry.administer');
export const assertAuditReader = (actor: Actor): void => registryPolicy.assert(actor, 'registry.audit');

/** Dictionaries are platform-wide: edited by an administrator of the top-level region. */
export async function assertPlatformAdmin(q: Queryable, actor: Actor): Promise<void> {
  assertAdmin(actor);
  if (!(await administersPlatform(q, actor))) {
    throw new AppError(403, 'platform_admin_only', { zh: `数据字典只能由顶级区划（或初始化时设置的区县、市）的系统管理员修改。`, en: 'Dictionaries are edited by an administrator of the top-level region (or of the district or city that init set up).' });
  }
}

/** SQL true for rows in the actor's territory (false for an actor without one). */
export const scopeSql = (actor: Actor, alias: string, params: unknown[], leveled = true): string => regionScope(actor).sql(alias, params, leveled);

export const inScope = (actor: Actor, code: string | null | undefined) => regionScope(actor).has(code);
