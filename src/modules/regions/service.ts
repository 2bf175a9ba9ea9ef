// Regions: the tree, grid polygons, and point → grid lookup from an in-memory index.
import type { Queryable } from '../../platform/db/index.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import { notFound } from '../../platform/errors.ts';
import { regionScope } from '../../platform/scope.ts';
import { LocateIndex } from './locate-index.ts';
import { polygonsOf, unionOfTiles, type AreaGeometry } from './grids/geometry.ts';

export interface OutlineCollection {
  type: 'FeatureCollection';
  features: Array<{ type: 'Feature'; id: string; geometry: AreaGeometry; properties: { code: string; level: string; name: string; label: [number, number] } }>;
}

/** A point to hang a name on: the area-weighted centroid of the largest part's outer ring. */
function labelPoint(g: AreaGeometry): [number, number] {
  let best: number[][] = [];
  let bestArea = -1;
  for (const poly of polygonsOf(g)) {
    const ring = poly[0];
    let a = 0;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
    if (Math.abs(a) > bestArea) { bestArea = Math.abs(a); best = ring; }
  }
  let cx = 0, cy = 0, area = 0;
  for (let i = 0, j = best.length - 1; i < best.length; j = i++) {
    const f = best[j][0] * best[i][1] - best[i][0] * best[j][1];
    cx += (best[j][0] + best[i][0]) * f;
    cy += (best[j][1] + best[i][1]) * f;
    area += f;
  }
  if (area === 0) return [best[0]?.[0] ?? 0, best[0]?.[1] ?? 0];
  return [Math.round((cx / (3 * area)) * 1e6) / 1e6, Math.round((cy / (3 * area)) * 1e6) / 1e6];
}

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
    this.outlineCache = new Map();
    const rows = await this.db.query<{ region_code: string; geometry: { type: string; coordinates: any } }>(
      `SELECT region_code, geometry FROM grid_polygon WHERE valid_to IS NULL`);
    this.index = LocateIndex.build(rows.map((r) => ({ code: r.region_code, polygon: r.geometry.coordinates })));
    const regions = await this.db.query<{ code: string; short_name: string }>('SELECT code, short_name FROM region');
    this.names = new Map(regions.map((r) => [r.code, r.short_name]));
  }

  get gridCount(): number { return this.index.size; }

  private outlineCache = new Map<string, Promise<OutlineCollection>>();

  /**
   * Street and community outlines under a region, dissolved from their comprehensive grids (the union of
   * tiles; where grids do not tile cleanly, the grids themselves as a MultiPolygon), each with its name and
   * a label point: what maps draw without a tile server. Cached until the grids change.
   */
  outlinesUnder(code: string): Promise<OutlineCollection> {
    let hit = this.outlineCache.get(code);
    if (!hit) {
      hit = this.buildOutlines(code);
      this.outlineCache.set(code, hit);
      hit.catch(() => this.outlineCache.delete(code));
    }
    return hit;
  }

  private async buildOutlines(code: string): Promise<OutlineCollection> {
    const rows = await this.db.query<{ code: string; geometry: AreaGeometry }>(
      `SELECT r.code, g.geometry FROM grid_polygon g JOIN region r ON r.code = g.region_code
       WHERE g.valid_to IS NULL AND r.kind <> 'dedicated' AND g.region_code LIKE $1 ORDER BY r.code LIMIT 20000`, [`${code.replace(/[^0-9]/g, '')}%`]);
    const byCommunity = new Map<string, AreaGeometry[]>();
    for (const r of rows) {
      const key = r.code.slice(0, 12);
      byCommunity.set(key, [...(byCommunity.get(key) ?? []), r.geometry]);
    }
    const dissolve = (parts: AreaGeometry[]): AreaGeometry =>
      unionOfTiles(parts) ?? { type: 'MultiPolygon', coordinates: parts.flatMap((g) => polygonsOf(g)) };
    const communities = new Map<string, AreaGeometry>();
    for (const [c, parts] of byCommunity) communities.set(c, dissolve(parts));
    const byStreet = new Map<string, AreaGeometry[]>();
    for (const [c, g] of communities) byStreet.set(c.slice(0, 9), [...(byStreet.get(c.slice(0, 9)) ?? []), g]);
    const names = await this.namesOf([...communities.keys(), ...byStreet.keys()]);
    const shortNames = new Map((await this.db.query<{ code: string; short_name: string }>('SELECT code, short_name FROM region WHERE code = ANY($1::text[])',
      [[...communities.keys(), ...byStreet.keys()]])).map((r) => [r.code, r.short_name]));
    const feature = (c: string, level: string, geometry: AreaGeometry) => ({
      type: 'Feature' as const, id: c, geometry,
      properties: { code: c, level, name: shortNames.get(c) ?? names.get(c) ?? c, label: labelPoint(geometry) },
    });
    return {
      type: 'FeatureCollection',
      features: [
        ...[...byStreet].map(([st, parts]) => feature(st, 'street', dissolve(parts))),
        ...[...communities].map(([c, g]) => feature(c, 'community', g)),
      ],
    };
  }

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

  /** Short names (第1网格, 凉亭子社区) as paths show them; the full name where a region has none. */
  async shortNamesOf(codes: string[]): Promise<Map<string, string>> {
    if (!codes.length) return new Map();
    const rows = await this.db.query<{ code: string; name: string }>(
      `SELECT code, COALESCE(NULLIF(short_name, ''), name) AS name FROM region WHERE code = ANY($1::text[])`, [codes]);
    return new Map(rows.map((r) => [r.code, r.name]));
  }

  locate(lng: number, lat: number): string | null { return this.index.locate(lng, lat); }

  nameOf(code: string): string | undefined { return this.names.get(code); }

  async get(actor: Actor, code: string): Promise<RegionView> {
    if (!regionVisible(actor, code)) throw notFound({ zh: `区划 ${code}`, en: `Region ${code}` });
    const [r] = await this.db.query('SELECT * FROM region WHERE code = $1', [code]);
    if (!r) throw notFound({ zh: `区划 ${code}`, en: `Region ${code}` });
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

  /** Street and community outlines with their names under a region in the actor's view. */
  async outlines(actor: Actor, code: string): Promise<OutlineCollection> {
    await this.get(actor, code);
    return this.outlinesUnder(regionScope(actor).within(code) ? code : actor.regionCode);
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
