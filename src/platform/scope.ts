// The region scope, written once (DESIGN rule 1; STYLE habit 6): the same prefix yields the SQL filter
// for lists and the check for a single record, so the two cannot drift.
import type { Actor } from './auth/actor.ts';
import { territorialRoles } from './auth/actor.ts';

/** Code prefixes the actor may see by territory; empty for roles that see by assignment or ownership. */
export function scopePrefixes(actor: Actor): string[] {
  return territorialRoles.has(actor.role) ? [actor.regionCode] : [];
}

export function inPrefixes(code: string | null | undefined, prefixes: readonly string[]): boolean {
  return !!code && prefixes.some((p) => code.startsWith(p));
}

/**
 * SQL for "row's region lies under prefix" on a table that carries its region at each level
 * (district_code, street_code, community_code, region_code): equality on the column of the prefix's
 * level uses a plain B-tree index; other lengths fall back to a prefix range on region_code.
 */
export function regionPrefixSql(prefix: string, alias: string, params: unknown[], leveled = true): string {
  params.push(prefix);
  const p = `$${params.length}`;
  if (leveled) {
    switch (prefix.length) {
      case 6: return `${alias}.district_code = ${p}`;
      case 9: return `${alias}.street_code = ${p}`;
      case 12: return `${alias}.community_code = ${p}`;
      case 14: return `${alias}.region_code = ${p}`;
    }
  }
  // text_pattern_ops index supports LIKE 'prefix%'; prefixes are digits only, so no escaping is needed.
  params[params.length - 1] = `${prefix.replace(/[^0-9]/g, '')}%`;
  return `${alias}.region_code LIKE ${p}`;
}

export interface RegionScope {
  /** Code prefixes under which rows are the actor's by territory (none for departments and residents). */
  readonly prefixes: readonly string[];
  /** A single record: its region lies in the actor's territory. */
  has(code: string | null | undefined): boolean;
  /**
   * The same for lists: SQL true for rows in the territory ('false' without one). `leveled` tables carry
   * district_code, street_code and community_code beside region_code (equality on the level's column).
   */
  sql(alias: string, params: unknown[], leveled?: boolean): string;
  /** The region tree the actor may read: their own region's subtree and its ancestors. */
  sees(code: string): boolean;
  /** The region a query is framed on lies at or under the actor's own region (whatever their role). */
  within(code: string): boolean;
}

/**
 * The one region scope (DESIGN rule 1): every module's lists and single records go through it, so the
 * filter of a list and the check of a record cannot drift apart.
 */
export function regionScope(actor: Actor): RegionScope {
  const prefixes = scopePrefixes(actor);
  return {
    prefixes,
    has: (code) => inPrefixes(code, prefixes),
    sql(alias, params, leveled = true) {
      const parts = prefixes.map((p) => regionPrefixSql(p, alias, params, leveled));
      return parts.length ? `(${parts.join(' OR ')})` : 'false';
    },
    sees: (code) => code.startsWith(actor.regionCode) || actor.regionCode.startsWith(code),
    within: (code) => code.startsWith(actor.regionCode),
  };
}

/** Region codes at each level, from the deepest code (for the leveled scope columns). */
export function regionLevels(code: string): { district: string; street: string | null; community: string | null } {
  return {
    district: code.slice(0, 6),
    street: code.length >= 9 ? code.slice(0, 9) : null,
    community: code.length >= 12 ? code.slice(0, 12) : null,
  };
}
