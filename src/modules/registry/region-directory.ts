// Region codes and levels in memory, for checking the grid of a record or of every row of an import
// without a query per row. The region table is small (a province: ~10^5 grids); refreshed every minute.
import type { Queryable } from '../../platform/db/index.ts';
import type { Issue } from './kinds.ts';

export type RegionLevels = Map<string, string>;

export class RegionDirectory {
  private levels: RegionLevels = new Map();
  private names = new Map<string, string>();
  private until = 0;

  constructor(private readonly db: Queryable, private readonly ttlMs = 60_000) {}

  async fresh(): Promise<this> {
    if (Date.now() < this.until) return this;
    const rows = await this.db.query<{ code: string; level: string; name: string }>('SELECT code, level, name FROM region');
    this.levels = new Map(rows.map((r) => [r.code, r.level]));
    this.names = new Map(rows.map((r) => [r.code, r.name]));
    this.until = Date.now() + this.ttlMs;
    return this;
  }

  /** Refreshes once when a code is missing: a grid added a moment ago is found. */
  async ensure(code: string): Promise<this> {
    if (!this.levels.has(code) && Date.now() - (this.until - this.ttlMs) > 1000) { this.until = 0; await this.fresh(); }
    return this;
  }

  level(code: string): string | undefined { return this.levels.get(code); }
  name(code: string): string | null { return this.names.get(code) ?? null; }
  /** Plain data for import workers. */
  snapshot(): Array<[string, string]> { return [...this.levels]; }
}

/** A record lives in a grid (the deepest region) inside the actor's scope. */
export function gridIssue(code: string | undefined, level: (code: string) => string | undefined, inScope: (code: string) => boolean): Issue | null {
  if (!code) return { path: 'regionCode', code: 'region_required', message: 'give the grid (regionCode) the record belongs to' };
  const l = level(code);
  if (!l) return { path: 'regionCode', code: 'unknown_region', message: `region ${code} does not exist` };
  if (l !== 'grid') return { path: 'regionCode', code: 'not_a_grid', message: `region ${code} is a ${l}; records belong to a grid` };
  if (!inScope(code)) return { path: 'regionCode', code: 'outside_scope', message: `grid ${code} is outside the region you work in` };
  return null;
}
