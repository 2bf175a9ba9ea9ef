// Households per grid (网格内总户数): the denominator of 巡查覆盖率. The grid module keeps a table of
// counts (seeded, imported, shared on split, summed on merge); a registry of houses and households can
// take over by providing a HouseholdSource to gridRoutes.
import type { Queryable } from '../../../platform/db/index.ts';
import { hashString } from '../geometry.ts';

export interface HouseholdSource {
  /** Households of every grid whose code starts with `prefix`; grids without a count are absent. */
  countsUnder(prefix: string): Promise<Map<string, number>>;
}

/** Counts from grid_household_count. */
export function tableHouseholds(db: Queryable): HouseholdSource {
  return {
    async countsUnder(prefix) {
      const rows = await db.query<{ region_code: string; households: number }>(
        'SELECT region_code, households FROM grid_household_count WHERE region_code LIKE $1', [`${prefix.replace(/[^0-9]/g, '')}%`]);
      return new Map(rows.map((r) => [r.region_code, Number(r.households)]));
    },
  };
}

/** Plausible demo count for a comprehensive grid: 300–500 households in a 社区, 250–350 in a 村 (GB guidance). */
export function demoHouseholds(gridCode: string, village: boolean): number {
  const u = hashString(`households:${gridCode}`) / 0x100000000;
  return village ? 250 + Math.floor(u * 101) : 300 + Math.floor(u * 201);
}

const DEDICATED_BY_NAME: Array<[RegExp, string]> = [
  [/学校|校/, 'school'], [/医院/, 'hospital'], [/园区/, 'industrial_park'], [/公园/, 'park'], [/机关/, 'government'],
  [/企业/, 'enterprise'], [/市场|商圈/, 'market'], [/景区/, 'scenic'],
];

/**
 * Demo base data for grid management, idempotent: household counts for every current comprehensive
 * grid that has none, and the type of every dedicated grid (from its name). Call after the regions
 * are seeded (seedBase); returns how many rows it added.
 */
export async function seedGridBase(db: Queryable, at = new Date()): Promise<{ households: number; dedicated: number }> {
  const grids = await db.query<{ code: string; kind: string; name: string; community_kind: string }>(
    `SELECT g.code, g.kind, g.name, c.kind AS community_kind FROM region g JOIN region c ON c.code = g.parent_code
     WHERE g.level = 'grid' AND g.retired_at IS NULL ORDER BY g.code`);
  const counts = grids.filter((g) => g.kind === 'comprehensive');
  const dedicated = grids.filter((g) => g.kind === 'dedicated');
  const [h] = await db.query<{ n: number }>(
    `WITH ins AS (
       INSERT INTO grid_household_count (region_code, households, source, updated_at)
       SELECT code, n, 'seed', $3 FROM unnest($1::text[], $2::int[]) AS t(code, n)
       ON CONFLICT (region_code) DO NOTHING RETURNING 1)
     SELECT count(*)::int AS n FROM ins`,
    [counts.map((g) => g.code), counts.map((g) => demoHouseholds(g.code, g.community_kind === 'village')), at]);
  const [d] = await db.query<{ n: number }>(
    `WITH ins AS (
       INSERT INTO grid_profile (region_code, dedicated_type, updated_at)
       SELECT code, t, $3 FROM unnest($1::text[], $2::text[]) AS x(code, t)
       ON CONFLICT (region_code) DO NOTHING RETURNING 1)
     SELECT count(*)::int AS n FROM ins`,
    [dedicated.map((g) => g.code), dedicated.map((g) => DEDICATED_BY_NAME.find(([re]) => re.test(g.name))?.[1] ?? 'other'), at]);
  return { households: h.n, dedicated: d.n };
}
