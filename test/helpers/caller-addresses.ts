// A caller-style address set built from a region tree's division names (our own set; the held-out set
// that measures the geocoder is not ours). Each text names a community or village — with or without its
// street and district, full or short names, in either order — or only a street/town, wrapped in what
// callers say around it (我家在…, …旁边, …门口, 二组, 公路边 …).
import type { DemoRegion } from '../../src/modules/regions/index.ts';

export interface CallerText { text: string; communityCode: string | null; streetCode: string }

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LEADS = ['', '', '', '我家在', '我住在', '师傅你好，', '位置是', '就在', '你好我要反映，'];
const COMMUNITY_TAILS = [
  '', '附近', '菜市场旁边', '3栋门口', '二组公路边', '村委会对面', '小区门口', '公交站旁边', '学校后面', '一带', '五社',
  '路口那里', '超市对面', '幼儿园门口', '十二组', '老房子旁边', '河边', '桥下面', '停车场', '卫生室旁边', '3号楼下',
];
const STREET_TAILS = ['', '', '场镇上', '老街', '菜市场旁边', '政府门口', '中学对面', '附近', '街上', '汽车站旁边', '医院后面', '广场'];

/** 营盘街社区 → 营盘街, 马岭村 → 马岭 */
const bare = (s: string) => s.replace(/(社区|村)$/u, '');
const streetBare = (s: string) => s.replace(/(街道|镇|乡)$/u, '');

/** About `perCommunity` texts per community and `perStreet` per street, deterministic for a seed. */
export function callerTexts(regions: DemoRegion[], opts: { perCommunity?: number; perStreet?: number; seed?: number } = {}): { community: CallerText[]; street: CallerText[] } {
  const r = rng(opts.seed ?? 12);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  const byCode = new Map(regions.map((x) => [x.code, x]));
  const community: CallerText[] = [];
  const street: CallerText[] = [];
  for (const c of regions.filter((x) => x.level === 'community')) {
    const s = byCode.get(c.parentCode!)!;
    const d = byCode.get(s.parentCode!)!;
    for (let i = 0; i < (opts.perCommunity ?? 3); i++) {
      const cName = r() < 0.6 ? c.shortName : bare(c.shortName).length >= 2 ? bare(c.shortName) : c.shortName;
      const withStreet = r() < 0.5;
      const sName = r() < 0.6 ? s.name : streetBare(s.name).length >= 2 ? streetBare(s.name) : s.name;
      const dName = withStreet && r() < 0.5 ? (r() < 0.5 ? d.name : d.name.replace(/区$/u, '')) : '';
      const tail = pick(COMMUNITY_TAILS);
      const text = withStreet && r() < 0.25
        ? `${pick(LEADS)}${cName}${tail}，${dName}${sName}`
        : `${pick(LEADS)}${dName}${withStreet ? sName : ''}${cName}${tail}`;
      community.push({ text, communityCode: c.code, streetCode: s.code });
    }
  }
  for (const s of regions.filter((x) => x.level === 'street')) {
    const d = byCode.get(s.parentCode!)!;
    for (let i = 0; i < (opts.perStreet ?? 5); i++) {
      const sName = r() < 0.5 ? s.name : streetBare(s.name).length >= 2 ? streetBare(s.name) : s.name;
      const dName = r() < 0.3 ? d.name : '';
      street.push({ text: `${pick(LEADS)}${dName}${sName}${pick(STREET_TAILS)}`, communityCode: null, streetCode: s.code });
    }
  }
  return { community, street };
}
