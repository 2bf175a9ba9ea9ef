// Who may do what in the registries (deny by default), and where: the region scope comes from
// platform/scope.ts — the same prefix gives the SQL filter for lists and the check for one record.
import type { Actor } from '../../platform/auth/actor.ts';
import { AppError, forbidden } from '../../platform/errors.ts';
import { inPrefixes, regionPrefixSql, scopePrefixes } from '../../platform/scope.ts';
import type { Queryable } from '../../platform/db/index.ts';

/** Staff who work with the registries: read masked records, collect and correct them, import. */
export const REGISTRY_ROLES: ReadonlySet<string> = new Set(['command_centre', 'street_centre', 'community', 'grid_worker']);
/** Removing a record is for the community and above; grid workers correct and add. */
const DELETE_ROLES: ReadonlySet<string> = new Set(['command_centre', 'street_centre', 'community']);

export function assertRegistryUser(actor: Actor): void {
  if (!REGISTRY_ROLES.has(actor.role)) {
    throw forbidden('The registries are for command centres, street centres, communities and grid workers.');
  }
}

export function assertDeleter(actor: Actor): void {
  assertRegistryUser(actor);
  if (!DELETE_ROLES.has(actor.role)) throw forbidden('Removing registry records is for communities, street centres and command centres.');
}

/** Dictionaries and reveal grants are administered by administrators; the audit is read by them and command centres. */
export function assertAdmin(actor: Actor): void {
  if (actor.role !== 'admin') throw forbidden('Only administrators may do this.');
}

export function assertAuditReader(actor: Actor): void {
  if (actor.role !== 'admin' && actor.role !== 'command_centre') throw forbidden('The reveal audit is for administrators and command centres.');
}

/** Dictionaries are platform-wide: edited by an administrator of the top-level region. */
export async function assertPlatformAdmin(q: Queryable, actor: Actor): Promise<void> {
  assertAdmin(actor);
  const [r] = await q.query<{ top: boolean }>('SELECT parent_code IS NULL AS top FROM region WHERE code = $1', [actor.regionCode]);
  if (!r?.top) throw new AppError(403, 'platform_admin_only', 'Dictionaries are edited by an administrator of the top-level region.');
}

/** SQL true for rows in the actor's territory (false for an actor without one). */
export function scopeSql(actor: Actor, alias: string, params: unknown[], leveled = true): string {
  const parts = scopePrefixes(actor).map((p) => regionPrefixSql(p, alias, params, leveled));
  return parts.length ? `(${parts.join(' OR ')})` : 'false';
}

export const inScope = (actor: Actor, code: string | null | undefined) => inPrefixes(code, scopePrefixes(actor));
