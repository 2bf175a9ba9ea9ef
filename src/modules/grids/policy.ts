// Who may do what in grid management. Deny by default (STYLE habit 6): a role not listed for an
// ability gets 403; a resource outside the actor's region gets 404, as if it did not exist.
//
// Grid geometry (import, edit, split, merge) is written by administrators, command centres and street
// centres (综治中心), each within their own region: in practice the street draws and adjusts grids with
// its communities, and the district signs off. Communities staff their grids and register party
// members; grid workers and community staff (网格长) check in, patrol and visit households.
import type { Actor, Role } from '../../platform/auth/actor.ts';
import { forbidden, notFound } from '../../platform/errors.ts';
import { regionVisible } from '../regions/service.ts';

export type Ability =
  | 'grid.read' | 'grid.write' | 'households.write'
  | 'layer.read' | 'layer.write'
  | 'staff.read' | 'staff.write' | 'staff.reveal' | 'party.service'
  | 'patrol.write' | 'patrol.read';

const STAFF: Role[] = ['admin', 'command_centre', 'street_centre', 'community', 'grid_worker', 'hotline_operator'];
const MANAGERS: Role[] = ['admin', 'command_centre', 'street_centre', 'community'];

const allowed: Record<Ability, readonly Role[]> = {
  'grid.read': STAFF,
  'grid.write': ['admin', 'command_centre', 'street_centre'],
  'households.write': MANAGERS,
  // Departments run professional layers (城管, 消防 …) and may read them.
  'layer.read': [...STAFF, 'department'],
  'layer.write': ['admin', 'command_centre'],
  'staff.read': STAFF,
  'staff.write': MANAGERS,
  'staff.reveal': MANAGERS,
  'party.service': [...MANAGERS, 'grid_worker'],
  'patrol.write': ['grid_worker', 'community'],
  'patrol.read': [...MANAGERS, 'grid_worker'],
};

const describeAbility: Record<Ability, string> = {
  'grid.read': 'read grids', 'grid.write': 'change grid geometry', 'households.write': 'set household counts', 'layer.read': 'read grid layers', 'layer.write': 'change grid layers',
  'staff.read': 'read grid staff', 'staff.write': 'change grid staff and party members', 'staff.reveal': 'reveal phone numbers',
  'party.service': 'record party members’ services', 'patrol.write': 'check in, patrol or visit households', 'patrol.read': 'read patrols and visits',
};

export function can(actor: Actor, ability: Ability): boolean {
  return allowed[ability].includes(actor.role);
}

export function assertCan(actor: Actor, ability: Ability): void {
  if (!can(actor, ability)) throw forbidden(`Your role (${actor.role}) may not ${describeAbility[ability]}.`);
}

/** The region lies in the actor's subtree: where they may act, and what lists show them. */
export function underScope(actor: Actor, code: string): boolean {
  return code.startsWith(actor.regionCode);
}

/** Reads: the actor's subtree or an ancestor of their region (regions' own rule). */
export function assertVisible(actor: Actor, code: string, what: string): void {
  if (!regionVisible(actor, code)) throw notFound(what);
}

/** Writes and single records: only the actor's subtree. */
export function assertUnder(actor: Actor, code: string, what: string): void {
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
  if (code.startsWith(actor.regionCode)) return code;
  if (actor.regionCode.startsWith(code)) return actor.regionCode;
  throw notFound(`Region ${code}`);
}
