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

/** Region codes at each level, from the deepest code (for the leveled scope columns). */
export function regionLevels(code: string): { district: string; street: string | null; community: string | null } {
  return {
    district: code.slice(0, 6),
    street: code.length >= 9 ? code.slice(0, 9) : null,
    community: code.length >= 12 ? code.slice(0, 12) : null,
  };
}
