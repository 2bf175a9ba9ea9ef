// Regions: the tree, grid polygons, and point → grid lookup from an in-memory index.
import type { Queryable } from '../../platform/db/index.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import { notFound } from '../../platform/errors.ts';
import { regionScope } from '../../platform/scope.ts';
import { LocateIndex } from './locate-index.ts';

export interface PlacedAddress { regionCode: string; lat: number | null; lng: number | null }

export interface RegionView {
  code: string; parentCode: string | null; level: string; kind: string; name: string; shortName: string;
  officialCode: string | null; centroid: [number, number] | null;
}

const toView = (r: any): RegionView => ({
  code: r.code, parentCode: r.parent_code, level: r.level, kind: r.kind, name: r.name, shortName: r.short_name,
  officialCode: r.official_code, centroid: r.centroid_lng == null ? null : [r.centroid_lng, r.centroid_lat],
});

/** A region is visible to a user when it lies in their subtree, or is an ancestor of their own region. */
export function regionVisible(actor: Actor, code: string): boolean {
  return regionScope(actor).sees(code);
}

export class RegionService {
  private index: LocateIndex = LocateIndex.build([]);
  private names = new Map<string, string>();

  private placer: ((address: string) => PlacedAddress | null) | null = null;

  constructor(private db: Queryable) {}

  /** The address → place lookup (the addresses module's geocoder), wired in by the app. */
  setPlacer(placer: (address: string) => PlacedAddress | null): void { this.placer = placer; }

  /** Where a typed address lies (region and point), or null when nothing matches or no geocoder is wired in. */
  place(address: string): PlacedAddress | null { return this.placer ? this.placer(address) : null; }

  /** Builds the point → grid index from the current version of every grid polygon. */
  async load(): Promise<void> {
    const rows = await this.db.query<{ region_code: string; geometry: { type: string; coordinates: any } }>(
      `SELECT region_code, geometry FROM grid_polygon WHERE valid_to IS NULL`);
    this.index = LocateIndex.build(rows.map((r) => ({ code: r.region_code, polygon: r.geometry.coordinates })));
    const regions = await this.db.query<{ code: string; short_name: string }>('SELECT code, short_name FROM region');
    this.names = new Map(regions.map((r) => [r.code, r.short_name]));
  }

  get gridCount(): number { return this.index.size; }

  // System lookups (no actor): what other modules need of the tree, so that none reads the region table.

  async find(code: string): Promise<{ code: string; name: string; level: string } | null> {
    const [r] = await this.db.query<{ code: string; name: string; level: string }>('SELECT code, name, level FROM region WHERE code = $1', [code]);
    return r ?? null;
  }

  async childrenOf(code: string): Promise<Array<{ code: string; name: string; level: string }>> {
    return this.db.query('SELECT code, name, level FROM region WHERE parent_code = $1 ORDER BY code', [code]);
  }

  async gridsUnder(code: string): Promise<string[]> {
    const rows = await this.db.query<{ code: string }>(`SELECT code FROM region WHERE level = 'grid' AND code LIKE $1 ORDER BY code LIMIT 20000`, [`${code.replace(/[^0-9]/g, '')}%`]);
    return rows.map((r) => r.code);
  }

  async namesOf(codes: string[]): Promise<Map<string, string>> {
    if (!codes.length) return new Map();
    const rows = await this.db.query<{ code: string; name: string }>('SELECT code, name FROM region WHERE code = ANY($1::text[])', [codes]);
    return new Map(rows.map((r) => [r.code, r.name]));
  }

  locate(lng: number, lat: number): string | null { return this.index.locate(lng, lat); }

  nameOf(code: string): string | undefined { return this.names.get(code); }

  async get(actor: Actor, code: string): Promise<RegionView> {
    if (!regionVisible(actor, code)) throw notFound(`Region ${code}`);
    const [r] = await this.db.query('SELECT * FROM region WHERE code = $1', [code]);
    if (!r) throw notFound(`Region ${code}`);
    return toView(r);
  }

  async children(actor: Actor, code: string): Promise<RegionView[]> {
    await this.get(actor, code);
    const rows = await this.db.query('SELECT * FROM region WHERE parent_code = $1 ORDER BY code', [code]);
    return rows.map(toView).filter((r) => regionVisible(actor, r.code));
  }

  async ancestors(actor: Actor, code: string): Promise<RegionView[]> {
    await this.get(actor, code);
    const prefixes: string[] = [];
    for (const len of [2, 4, 6, 9, 12]) if (code.length > len) prefixes.push(code.slice(0, len));
    const rows = await this.db.query('SELECT * FROM region WHERE code = ANY($1::text[]) ORDER BY length(code)', [prefixes]);
    return rows.map(toView);
  }

  /** Every current grid outline with its public name: administrative geography, shown on the resident portal. */
  async publicGrids() {
    const rows = await this.db.query<any>(
      `SELECT r.code, r.short_name, g.geometry FROM grid_polygon g JOIN region r ON r.code = g.region_code
       WHERE g.valid_to IS NULL ORDER BY r.code LIMIT 20000`);
    return {
      type: 'FeatureCollection',
      features: rows.map((r) => ({ type: 'Feature', id: r.code, geometry: r.geometry, properties: { code: r.code, name: r.short_name } })),
    };
  }

  /** Grid polygons under a region as a GeoJSON FeatureCollection. */
  async grids(actor: Actor, code: string) {
    await this.get(actor, code);
    const under = regionScope(actor).within(code) ? code : actor.regionCode;
    const rows = await this.db.query<any>(
      `SELECT r.code, r.name, r.short_name, r.kind, r.parent_code, g.version, g.geometry FROM grid_polygon g
       JOIN region r ON r.code = g.region_code WHERE g.valid_to IS NULL AND g.region_code LIKE $1 ORDER BY r.code LIMIT 20000`,
      [`${under}%`]);
    return {
      type: 'FeatureCollection',
      features: rows.map((r) => ({
        type: 'Feature', id: r.code, geometry: r.geometry,
        properties: { code: r.code, name: r.name, shortName: r.short_name, kind: r.kind, community: r.parent_code, version: r.version },
      })),
    };
  }
}
