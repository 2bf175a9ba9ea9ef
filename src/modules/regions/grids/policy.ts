// Who may do what in grid management. Deny by default (STYLE habit 6): a role not listed for an
// ability gets 403; a resource outside the actor's region gets 404, as if it did not exist.
//
// Grid geometry (import, edit, split, merge) is written by administrators, command centres and street
// centres (综治中心), each within their own region: in practice the street draws and adjusts grids with
// its communities, and the district signs off. Communities staff their grids and register party
// members; grid workers and community staff (网格长) check in, patrol and visit households.
import type { Actor, Role } from '../../../platform/auth/actor.ts';
import { notFound, type Bilingual } from '../../../platform/errors.ts';
import { definePolicy } from '../../../platform/policy.ts';
import { regionScope } from '../../../platform/scope.ts';

const STAFF: Role[] = ['admin', 'command_centre', 'street_centre', 'community', 'grid_worker', 'hotline_operator'];
const MANAGERS: Role[] = ['admin', 'command_centre', 'street_centre', 'community'];

export const gridPolicy = definePolicy({
  'grid.read': { roles: STAFF, what: { zh: '查看网格', en: 'read grids' } },
  'grid.write': { roles: ['admin', 'command_centre', 'street_centre'], what: { zh: '调整网格边界', en: 'change grid geometry' } },
  'grid.households': { roles: MANAGERS, what: { zh: '设置网格户数', en: 'set household counts' } },
  // Departments run professional layers (城管, 消防 …) and may read them.
  'grid.layer.read': { roles: [...STAFF, 'department'], what: { zh: '查看专业网格', en: 'read grid layers' } },
  'grid.layer.write': { roles: ['admin', 'command_centre'], what: { zh: '修改专业网格', en: 'change grid layers' } },
  'grid.staff.read': { roles: STAFF, what: { zh: '查看网格人员', en: 'read grid staff' } },
  'grid.staff.write': { roles: MANAGERS, what: { zh: '调整网格人员和党员', en: 'change grid staff and party members' } },
  'grid.staff.reveal': { roles: MANAGERS, what: { zh: '查看完整电话号码', en: 'reveal phone numbers' } },
  'grid.party_service': { roles: [...MANAGERS, 'grid_worker'], what: { zh: '登记党员服务', en: 'record party members’ services' } },
  'grid.patrol.write': { roles: ['grid_worker', 'community'], what: { zh: '签到、巡查或入户走访', en: 'check in, patrol or visit households' } },
  'grid.patrol.read': { roles: [...MANAGERS, 'grid_worker'], what: { zh: '查看巡查和走访记录', en: 'read patrols and visits' } },
});
export type Ability = keyof typeof gridPolicy.abilities;

export const can = (actor: Actor, ability: Ability): boolean => gridPolicy.can(actor, ability);
export const assertCan = (actor: Actor, ability: Ability): void => gridPolicy.assert(actor, ability);

/** The region lies in the actor's subtree: where they may act, and what lists show them. */
export function underScope(actor: Actor, code: string): boolean {
  return regionScope(actor).within(code);
}

/** Reads: the actor's subtree or an ancestor of their region (regions' own rule). */
export function assertVisible(actor: Actor, code: string, what: Bilingual): void {
  if (!regionScope(actor).sees(code)) throw notFound(what);
}

/** Writes and single records: only the actor's subtree. */
export function assertUnder(actor: Actor, code: string, what: Bilingual): void {
  if (!underScope(actor, code)) throw notFound(what);
}

/** SQL prefix pattern for "region_code lies under the actor's region" (codes are digits; no escaping). */
export function scopeLike(code: string): string {
  return `${code.replace(/[^0-9]/g, '')}%`;
}

/**
 * The prefix a list over `region` may show the actor: the region itself when it lies in their
 * subtree, their own region when `region` is an ancestor of it, otherwise 404.
 */
export function listPrefix(actor: Actor, region: string | undefined): string {
  const code = region ?? actor.regionCode;
  const scope = regionScope(actor);
  if (scope.within(code)) return code;
  if (scope.sees(code)) return actor.regionCode;
  throw notFound({ zh: `区划 ${code}`, en: `Region ${code}` });
}
