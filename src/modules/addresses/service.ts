// The standard address library and the geocoder over it. The in-memory index is rebuilt from the region
// tree, the library and the registry's buildings at start, after every import, and when the library or
// the registry's buildings changed (checked at most every 30 s, on the next lookup).
import type { AppContext } from '../../platform/context.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import type { Queryable } from '../../platform/db/index.ts';
import { AppError, unprocessable } from '../../platform/errors.ts';
import { regionScope } from '../../platform/scope.ts';
import { buildingAddresses, buildingsVersion } from '../registry/index.ts';
import { Geocoder, type Candidate, type GeoAddress, type GeoRegion, type ReverseResult } from './geocoder.ts';
import { addressPolicy } from './policy.ts';
import { parseAddressFile, type RowError } from './import.ts';
import type { AddressImportT, AddressInput, AddressListQueryT } from './contracts.ts';

/** What the geocoder needs of the regions module: point → grid. */
export interface PointLocator { locate(lng: number, lat: number): string | null }

const REFRESH_MS = 30_000;

export interface AddressView {
  id: number; kind: string; label: string; aliases: string[]; regionCode: string; communityCode: string;
  lat: number | null; lng: number | null; source: string;
}
const toView = (r: any): AddressView => ({
  id: Number(r.id), kind: r.kind, label: r.label, aliases: r.aliases ?? [], regionCode: r.region_code, communityCode: r.community_code,
  lat: r.lat, lng: r.lng, source: r.source,
});

export class AddressService {
  private geo = new Geocoder([], []);
  private version = '';
  private checkedAt = 0;
  private refreshing: Promise<void> | null = null;

  constructor(readonly ctx: AppContext, private readonly locator: PointLocator) {}

  get geocoder(): Geocoder { return this.geo; }

  /** Rebuilds the index from the database. */
  async load(): Promise<void> {
    const db = this.ctx.db;
    const version = await this.currentVersion();
    const regions = await db.query<any>('SELECT code, parent_code, level, name, short_name, centroid_lng, centroid_lat FROM region');
    const geoRegions: GeoRegion[] = regions.map((r) => ({
      code: r.code, parentCode: r.parent_code, level: r.level, name: r.name, shortName: r.short_name,
      centroid: r.centroid_lng == null ? null : [Number(r.centroid_lng), Number(r.centroid_lat)],
    }));
    const rows = await db.query<any>('SELECT id, kind, label, aliases, region_code, lat, lng FROM standard_address ORDER BY id');
    const addresses: GeoAddress[] = rows.map((r) => ({
      id: Number(r.id), kind: r.kind, label: r.label, aliases: r.aliases ?? [], regionCode: r.region_code, lat: r.lat, lng: r.lng,
    }));
    const seen = new Set(addresses.map((a) => a.label));
    for (const b of await buildingAddresses(db)) {
      if (seen.has(b.name)) continue;
      const aliases = b.address && b.address !== b.name ? [b.address] : [];
      addresses.push({ id: -b.id, kind: 'building', label: b.name, aliases, regionCode: b.regionCode, lat: b.lat, lng: b.lng });
    }
    this.geo = new Geocoder(geoRegions, addresses);
    this.version = version;
    this.checkedAt = Date.now();
  }

  private async currentVersion(): Promise<string> {
    const [r] = await this.ctx.db.query<{ n: number; t: string | null }>('SELECT count(*)::int AS n, max(updated_at)::text AS t FROM standard_address');
    const [g] = await this.ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM region');
    return `${r.n}:${r.t ?? ''}|${await buildingsVersion(this.ctx.db)}|${g.n}`;
  }

  /** Re-reads the library in the background when it (or the registry's buildings) changed; lookups never wait for it. */
  private maybeRefresh(): void {
    if (this.refreshing || Date.now() - this.checkedAt < REFRESH_MS) return;
    this.checkedAt = Date.now();
    this.refreshing = (async () => {
      if ((await this.currentVersion()) !== this.version) await this.load();
    })().catch((err) => this.ctx.log.warn({ err }, 'the address index could not be refreshed; the previous one stays in use'))
      .finally(() => { this.refreshing = null; });
  }

  // ---- system lookups (no actor): intake, the portal

  /** Candidates for a free-text address, best first. */
  search(q: string, near?: { lat: number; lng: number }, limit = 5): Candidate[] {
    this.maybeRefresh();
    return this.geo.search(q, { near, limit });
  }

  /**
   * Where a typed address puts a case: the best candidate's grid (located by its point, when the point
   * lies in the candidate's region) or its street/community, with its point. Null when nothing matches.
   */
  place(address: string, near?: { lat: number; lng: number }): { regionCode: string; lat: number | null; lng: number | null; candidate: Candidate } | null {
    const [best] = this.search(address, near, 1);
    if (!best) return null;
    const level = best.regionPath.at(-1)?.level;
    if (!level || !['street', 'community', 'grid'].includes(level)) return null;
    let regionCode = best.regionCode;
    if (best.lat != null && best.lng != null && best.kind !== 'region') {
      const grid = this.locator.locate(best.lng, best.lat);
      if (grid && grid.startsWith(regionCode.slice(0, 12))) regionCode = grid;
    }
    return { regionCode, lat: best.lat, lng: best.lng, candidate: best };
  }

  reverse(lat: number, lng: number): ReverseResult {
    this.maybeRefresh();
    return this.geo.reverse(lat, lng, this.locator.locate(lng, lat));
  }

  // ---- with an actor

  geocode(actor: Actor, q: string, near?: { lat: number; lng: number }, limit = 5): { candidates: Candidate[] } {
    addressPolicy.assert(actor, 'address.geocode');
    return { candidates: this.search(q, near, limit) };
  }

  reverseFor(actor: Actor, lat: number, lng: number): ReverseResult {
    addressPolicy.assert(actor, 'address.geocode');
    return this.reverse(lat, lng);
  }

  /** The library in the actor's scope (or all of it, for roles that see by assignment): for lists and maps. */
  async list(actor: Actor, q: AddressListQueryT): Promise<{ items: AddressView[]; total: number }> {
    addressPolicy.assert(actor, 'address.geocode');
    const params: unknown[] = [];
    const where: string[] = [];
    const scope = regionScope(actor);
    if (scope.prefixes.length) where.push(`(${scope.prefixes.map((p) => { params.push(`${p}%`); return `a.region_code LIKE $${params.length}`; }).join(' OR ')})`);
    if (q.region) { params.push(`${q.region}%`); where.push(`a.region_code LIKE $${params.length}`); }
    if (q.kind) { params.push(q.kind); where.push(`a.kind = $${params.length}`); }
    if (q.q) { params.push(`%${q.q.replace(/[%_\\]/g, '\\$&')}%`); where.push(`(a.label ILIKE $${params.length} OR array_to_string(a.aliases, ' ') ILIKE $${params.length})`); }
    if (q.bbox) {
      const [w, s, e, n] = q.bbox;
      params.push(w, s, e, n);
      where.push(`a.lng BETWEEN $${params.length - 3} AND $${params.length - 1} AND a.lat BETWEEN $${params.length - 2} AND $${params.length}`);
    }
    const sqlWhere = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ n }] = await this.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM standard_address a ${sqlWhere}`, params);
    params.push(q.pageSize, (q.page - 1) * q.pageSize);
    const rows = await this.ctx.db.query(`SELECT * FROM standard_address a ${sqlWhere} ORDER BY a.region_code, a.kind, a.label LIMIT $${params.length - 1} OFFSET $${params.length}`, params);
    return { items: rows.map(toView), total: n };
  }

  /** Imports a file into the library, in the actor's scope; then rebuilds the index. */
  async importFile(actor: Actor, body: AddressImportT): Promise<{ inserted: number; updated: number; errors: RowError[] }> {
    addressPolicy.assert(actor, 'address.manage');
    const parsed = await parseAddressFile(body.format, body.content);
    const checked = await this.check(actor, parsed.rows, parsed.errors);
    if (parsed.errors.length && body.mode === 'all_or_nothing') {
      throw new AppError(422, 'import_rejected', { zh: `有 ${parsed.errors.length} 行数据无效，未导入任何数据。`, en: `${parsed.errors.length} row(s) are invalid; nothing was imported.` }, {
        zh: `${parsed.errors.length} 行有误，未导入任何数据。`, errors: parsed.errors.slice(0, 200),
      });
    }
    const r = await writeAddresses(this.ctx.db, checked, { source: 'import', userId: actor.id });
    await this.load();
    return { ...r, errors: parsed.errors.slice(0, 200) };
  }

  /** Resolves each row's grid and community, and checks that it lies in the actor's scope. */
  private async check(actor: Actor, rows: Array<{ row: number; input: AddressInput }>, errors: RowError[]): Promise<ResolvedAddress[]> {
    const scope = regionScope(actor);
    const out: ResolvedAddress[] = [];
    for (const { row, input } of rows) {
      const resolved = resolveAddress(input, (code) => this.geo.region(code)?.level ?? null, this.locator);
      if ('error' in resolved) { errors.push({ row, ...resolved.error }); continue; }
      if (!scope.has(resolved.regionCode)) {
        errors.push({ row, message: `region ${resolved.regionCode} is outside the region you work in`, messageZh: `区划 ${resolved.regionCode} 不在您的管辖范围内` });
        continue;
      }
      out.push(resolved);
    }
    return out;
  }
}

export interface ResolvedAddress {
  kind: string; label: string; aliases: string[]; regionCode: string; communityCode: string; districtCode: string;
  lat: number | null; lng: number | null;
}

/** An input row's grid (by its point, when it lies in the named community) and community, or why it has none. */
export function resolveAddress(input: AddressInput, levelOf: (code: string) => string | null, locator: PointLocator):
  ResolvedAddress | { error: { message: string; messageZh: string } } {
  const lat = input.lat ?? null;
  const lng = input.lng ?? null;
  let regionCode = input.regionCode ?? null;
  if (regionCode) {
    const level = levelOf(regionCode);
    if (level !== 'community' && level !== 'grid') {
      return { error: { message: `${regionCode} is not a community or grid of this platform`, messageZh: `${regionCode} 不是本平台的社区或网格` } };
    }
  }
  if (lat != null && lng != null) {
    const grid = locator.locate(lng, lat);
    if (grid && (!regionCode || grid.startsWith(regionCode.slice(0, 12)))) regionCode = grid;
    else if (!regionCode) return { error: { message: 'the point lies outside every grid', messageZh: '该坐标不在任何网格内' } };
  }
  if (!regionCode) return { error: { message: 'give a region code or a point', messageZh: '须填写区划代码或经纬度' } };
  return {
    kind: input.kind, label: input.label.trim(), aliases: [...new Set((input.aliases ?? []).map((a) => a.replace(/\u001f/g, '').trim()).filter(Boolean))],
    regionCode, communityCode: regionCode.slice(0, 12), districtCode: regionCode.slice(0, 6), lat, lng,
  };
}

/** Upserts addresses (one statement per 2,000 rows): a row with the same community, kind and label is updated. */
export async function writeAddresses(q: Queryable, rows: ResolvedAddress[], opts: { source: string; userId?: number | null }): Promise<{ inserted: number; updated: number }> {
  let inserted = 0;
  let updated = 0;
  // the last row wins among duplicates within the file
  const unique = [...new Map(rows.map((r) => [`${r.communityCode}|${r.kind}|${r.label}`, r])).values()];
  for (let i = 0; i < unique.length; i += 2000) {
    const chunk = unique.slice(i, i + 2000);
    const res = await q.query<{ inserted: boolean }>(
      `INSERT INTO standard_address (district_code, community_code, region_code, kind, label, aliases, lat, lng, source, created_by)
       SELECT d, c, r, k, l, coalesce(string_to_array(a, chr(31)), '{}'), la, ln, $9, $10
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::float8[], $8::float8[]) AS t(d, c, r, k, l, a, la, ln)
       ON CONFLICT (district_code, community_code, kind, label) DO UPDATE
         SET region_code = EXCLUDED.region_code, aliases = EXCLUDED.aliases, lat = EXCLUDED.lat, lng = EXCLUDED.lng, updated_at = now()
       RETURNING (xmax = 0) AS inserted`,
      [chunk.map((r) => r.districtCode), chunk.map((r) => r.communityCode), chunk.map((r) => r.regionCode), chunk.map((r) => r.kind),
        chunk.map((r) => r.label), chunk.map((r) => r.aliases.join('\u001f')), chunk.map((r) => r.lat), chunk.map((r) => r.lng),
        opts.source, opts.userId ?? null]);
    for (const r of res) if (r.inserted) inserted++; else updated++;
  }
  return { inserted, updated };
}

export function noAddressMatch(): AppError {
  return unprocessable('address_not_found', { zh: `本平台没有与该地址匹配的地点，请在地图上选点或选择所属区域。`, en: 'No place of this platform matches the address; give a map location or a region.' }, {
    zh: '未能根据地址找到对应位置，请在地图上选点或选择所属区域。',
  });
}
