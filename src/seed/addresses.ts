// The demo city's standard address library (标准地址), generated from the demo region tree: per urban
// community its roads with door numbers, two 小区 with their buildings, a market, a clinic, a
// kindergarten and bus stops; per village its 村委会, its 村民小组 (1组 …) and a 卫生室; per street a
// 农贸市场, a school, a 卫生院 and a 派出所. Points lie inside the grid they name. The four communities
// of the registry's demo (REGISTRY_COMMUNITIES) use the registry's own road names, so the registry's
// buildings and the library agree. Deterministic; `doorsPerGrid` scales it (the benchmark's 100,000).
import type { DemoRegion } from '../modules/regions/index.ts';
import type { AddressInput } from '../modules/addresses/index.ts';
import { REGISTRY_COMMUNITIES } from './registry.ts';

const ROAD_STEMS = [
  '人民', '解放', '建设', '新华', '胜利', '和平', '朝阳', '文化', '学府', '滨江', '花园', '东风', '红旗', '振兴', '兴业',
  '富民', '育才', '体育', '沿江', '环城', '希望', '幸福', '光明', '长安', '民主', '健康', '工农', '迎宾', '金沙', '银河',
  '凤凰', '锦绣', '嘉陵', '涪江', '渠江', '白塔', '宝华', '云龙', '瑞山', '龙泉', '状元', '书院', '翠湖', '望江', '龙腾',
];
const ROAD_KINDS = ['路', '街', '大道', '巷'];
const ESTATE_STEMS = [
  '锦绣', '滨江', '金科', '龙湖', '阳光', '江南', '紫荆', '碧桂', '御景', '名都', '翡翠', '天和', '书香', '瑞景', '华府',
  '半岛', '世纪', '东方', '星河', '嘉园', '怡和', '泰和', '康居', '欣悦', '万和', '福瑞', '丽景', '君悦', '兰亭', '水岸',
];
const ESTATE_KINDS = ['花园', '小区', '家园', '苑', '雅居', '新城', '华庭', '公馆'];

export interface DemoAddressOptions { doorsPerGrid?: number; buildingsPerEstate?: number }

function random(seed: string): () => number {
  let h = 2166136261;
  for (const ch of seed) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A point inside a convex ring (a random point of a random fan triangle, pulled towards the centre). */
function pointIn(ring: number[][], rnd: () => number): [number, number] {
  const pts = ring.length > 1 && ring[0][0] === ring[ring.length - 1][0] && ring[0][1] === ring[ring.length - 1][1] ? ring.slice(0, -1) : ring;
  const cx = pts.reduce((s, p) => s + p[0], 0) / pts.length;
  const cy = pts.reduce((s, p) => s + p[1], 0) / pts.length;
  const i = Math.floor(rnd() * pts.length);
  const a = pts[i], b = pts[(i + 1) % pts.length];
  let u = rnd(), v = rnd();
  if (u + v > 1) { u = 1 - u; v = 1 - v; }
  const k = 0.85; // stay off the edges
  const x = cx + k * (u * (a[0] - cx) + v * (b[0] - cx));
  const y = cy + k * (u * (a[1] - cy) + v * (b[1] - cy));
  return [Math.round(x * 1e6) / 1e6, Math.round(y * 1e6) / 1e6];
}

const bare = (r: DemoRegion) => r.shortName.replace(/(社区|村)$/u, '');
const streetBare = (r: DemoRegion) => r.name.replace(/(街道|镇|乡)$/u, '');

/** The demo library: one row per address, each inside the grid it names. */
export function demoAddresses(regions: DemoRegion[], opts: DemoAddressOptions = {}): AddressInput[] {
  const doorsPerGrid = opts.doorsPerGrid ?? 4;
  const buildingsPerEstate = opts.buildingsPerEstate ?? 8;
  const out: AddressInput[] = [];
  const byParent = new Map<string, DemoRegion[]>();
  for (const r of regions) if (r.parentCode) byParent.set(r.parentCode, [...(byParent.get(r.parentCode) ?? []), r]);
  const names = new Set(regions.flatMap((r) => [r.name, r.shortName, bare(r)]));
  const registryRoads = new Map(REGISTRY_COMMUNITIES.map((c) => [c.code, c.roads]));
  // road and estate names unique in the district, never a division's name
  const roadNames: string[] = [];
  for (const k of ROAD_KINDS) for (const s of ROAD_STEMS) if (!names.has(s + k)) roadNames.push(s + k);
  for (const n of ['一', '二', '三']) for (const s of ROAD_STEMS) roadNames.push(`${s}${n}路`);
  const estateNames: string[] = [];
  for (const k of ESTATE_KINDS) for (const s of ESTATE_STEMS) estateNames.push(s + k);
  let nextRoad = 0;
  let nextEstate = 0;
  const used = new Set(REGISTRY_COMMUNITIES.flatMap((c) => c.roads));

  const streets = regions.filter((r) => r.level === 'street');
  for (const street of streets) {
    const communities = (byParent.get(street.code) ?? []).filter((c) => c.level === 'community' && c.polygon);
    if (!communities.length) continue;
    const rnd = random(`street:${street.code}`);
    const sb = streetBare(street);
    const town = street.kind !== 'street';
    // the street's own landmarks, in its first communities
    const host = (i: number) => communities[i % communities.length];
    const gridOf = (c: DemoRegion) => (byParent.get(c.code) ?? []).filter((g) => g.level === 'grid' && g.polygon && g.kind === 'comprehensive');
    const place = (c: DemoRegion, kind: AddressInput['kind'], label: string, aliases: string[]) => {
      const grids = gridOf(c);
      const g = grids.length ? grids[Math.floor(rnd() * grids.length)] : c;
      const [lng, lat] = pointIn(g.polygon![0], rnd);
      out.push({ kind, label, aliases, regionCode: g.code, lat, lng });
    };
    place(host(0), 'landmark', `${sb}农贸市场`, [`${sb}菜市场`, `${sb}市场`]);
    place(host(1), 'landmark', town ? `${sb}中心小学` : `${sb}小学`, [`${sb}小学校`]);
    place(host(2), 'landmark', `${sb}中学`, [`${sb}中学校`]);
    place(host(3), 'landmark', town ? `${sb}镇卫生院` : `${sb}社区卫生服务中心`, town ? [`${sb}卫生院`, `${sb}医院`] : [`${sb}卫生服务中心`, `${sb}医院`]);
    place(host(4), 'landmark', `${sb}派出所`, [`${sb}警务室`]);

    for (const c of communities) {
      const grids = gridOf(c);
      if (!grids.length) continue;
      const cb = bare(c);
      if (c.kind === 'village') {
        place(c, 'landmark', `${cb}村村委会`, ['村委会', '村委', '村办公室', `${cb}村委`]);
        place(c, 'landmark', `${cb}村卫生室`, ['卫生室', '村医务室']);
        const groups = 4 + Math.floor(rnd() * 5);
        for (let n = 1; n <= groups; n++) {
          const g = grids[(n - 1) % grids.length];
          const [lng, lat] = pointIn(g.polygon![0], rnd);
          out.push({ kind: 'group', label: `${cb}村${n}组`, aliases: [`${n}组`, `${n}社`, `${cb}${n}组`], regionCode: g.code, lat, lng });
          for (let d = 0; d < Math.max(0, doorsPerGrid - 3); d++) {
            const [x, y] = pointIn(g.polygon![0], rnd);
            const no = 1 + d * 3 + Math.floor(rnd() * 3);
            out.push({ kind: 'door', label: `${cb}村${n}组${no}号`, aliases: [`${cb}${n}组${no}号`], regionCode: g.code, lat: y, lng: x });
          }
        }
        continue;
      }
      // roads (the registry's where it has them), door numbers per grid
      let roads = registryRoads.get(c.code);
      if (!roads?.length) {
        roads = [];
        while (roads.length < 2 && nextRoad < roadNames.length * 4) {
          const name = roadNames[nextRoad++ % roadNames.length];
          if (!used.has(name)) { used.add(name); roads.push(name); }
          else if (nextRoad > roadNames.length) { roads.push(name); }
        }
      }
      for (const [ri, road] of roads.entries()) {
        place(c, 'road', road, []);
        grids.forEach((g, gi) => {
          for (let d = 0; d < doorsPerGrid; d++) {
            const [lng, lat] = pointIn(g.polygon![0], rnd);
            const no = 1 + (gi * doorsPerGrid + d) * 2 + ri;
            out.push({ kind: 'door', label: `${road}${no}号`, aliases: [], regionCode: g.code, lat, lng });
          }
        });
        place(c, 'landmark', `${road}站`, [`${road}公交站`, '公交站', '车站']);
      }
      // two 小区 with their buildings
      for (let e = 0; e < 2; e++) {
        const estate = estateNames[nextEstate++ % estateNames.length] + (nextEstate > estateNames.length ? `${Math.ceil(nextEstate / estateNames.length)}期` : '');
        const g = grids[(e * 2) % grids.length];
        const [lng, lat] = pointIn(g.polygon![0], rnd);
        out.push({ kind: 'compound', label: estate, aliases: [`${estate}小区`.replace(/小区小区$/u, '小区')], regionCode: g.code, lat, lng });
        for (let b = 1; b <= buildingsPerEstate; b++) {
          const [x, y] = pointIn(g.polygon![0], rnd);
          out.push({ kind: 'building', label: `${estate}${b}栋`, aliases: [`${estate}${b}幢`, `${estate}${b}号楼`, `${b}栋`, `${b}幢`, `${b}号楼`], regionCode: g.code, lat: y, lng: x });
        }
      }
      place(c, 'landmark', `${cb}菜市场`, ['菜市场', '农贸市场', '菜场']);
      place(c, 'landmark', `${cb}社区卫生服务站`, ['卫生服务站', '卫生站', '诊所']);
      place(c, 'landmark', `${cb}幼儿园`, ['幼儿园']);
      place(c, 'landmark', `${cb}社区服务中心`, ['社区服务中心', '居委会', '社区办公室']);
    }
  }
  return out;
}
