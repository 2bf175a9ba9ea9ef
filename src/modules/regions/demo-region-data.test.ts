import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildDemoRegions, communityKindOf, communityShortName, streetKindOf, type DemoRegion, type RegionLevel,
} from './demo-region-data.ts';
import { polygonArea, seededRandom } from './geometry.ts';
import { LocateIndex } from './locate-index.ts';

let regions: DemoRegion[];
let byCode: Map<string, DemoRegion>;
const ofLevel = (level: RegionLevel) => regions.filter((r) => r.level === level);
const childrenOf = (code: string) => regions.filter((r) => r.parentCode === code);
const indexOf = (list: DemoRegion[]) => LocateIndex.build(list.map((r) => ({ code: r.code, polygon: r.polygon! })));

/** A point drawn uniformly from the region's polygon (rejection sampling in its box). */
function pointIn(region: DemoRegion, random: () => number): [number, number] {
  const ring = region.polygon![0];
  const xs = ring.map((p) => p[0]), ys = ring.map((p) => p[1]);
  const own = indexOf([region]);
  for (;;) {
    const x = Math.min(...xs) + random() * (Math.max(...xs) - Math.min(...xs));
    const y = Math.min(...ys) + random() * (Math.max(...ys) - Math.min(...ys));
    if (own.locate(x, y) !== null) return [x, y];
  }
}

beforeAll(() => {
  regions = buildDemoRegions();
  byCode = new Map(regions.map((r) => [r.code, r]));
});

describe('demo region tree of 重庆市合川区', () => {
  it('has the province, city and district on top', () => {
    expect(byCode.get('50')).toMatchObject({ parentCode: null, level: 'province', name: '重庆市', officialCode: '500000' });
    expect(byCode.get('5001')).toMatchObject({ parentCode: '50', level: 'city', name: '重庆市', officialCode: '500100' });
    expect(byCode.get('500117')).toMatchObject({ parentCode: '5001', level: 'district', name: '合川区', officialCode: '500117' });
  });

  it('has the 30 real streets and towns and 419 real communities and villages', () => {
    const streets = ofLevel('street');
    expect(streets).toHaveLength(30);
    expect(streets.filter((s) => s.kind === 'street')).toHaveLength(7);
    expect(streets.filter((s) => s.kind === 'town')).toHaveLength(23);
    expect(byCode.get('500117001')).toMatchObject({ name: '合阳城街道', kind: 'street', parentCode: '500117', officialCode: '500117001' });
    expect(byCode.get('500117002')).toMatchObject({ name: '钓鱼城街道', kind: 'street' });
    expect(byCode.get('500117102')).toMatchObject({ name: '涞滩镇', kind: 'town' });

    const communities = ofLevel('community');
    expect(communities).toHaveLength(419);
    expect(communities.filter((c) => c.kind === 'community')).toHaveLength(97);
    expect(communities.filter((c) => c.kind === 'village')).toHaveLength(322);
    expect(byCode.get('500117001005')).toMatchObject({
      name: '营盘街社区居民委员会', shortName: '营盘街社区', kind: 'community', parentCode: '500117001', officialCode: '500117001005',
    });
    expect(byCode.get('500117001200')).toMatchObject({ name: '马岭村村民委员会', shortName: '马岭村', kind: 'village' });
    const village = communities.find((c) => c.name === '白云村村民委员会' && c.parentCode === '500117102');
    expect(village).toMatchObject({ shortName: '白云村', kind: 'village' });
  });

  it('codes form a prefix hierarchy with the GB/T lengths, and every parent exists', () => {
    const lengths: Record<RegionLevel, number> = { province: 2, city: 4, district: 6, street: 9, community: 12, grid: 14 };
    const parentLevel: Partial<Record<RegionLevel, RegionLevel>> = { city: 'province', district: 'city', street: 'district', community: 'street', grid: 'community' };
    expect(new Set(regions.map((r) => r.code)).size).toBe(regions.length);
    for (const region of regions) {
      expect(region.code).toMatch(new RegExp(`^\\d{${lengths[region.level]}}$`));
      if (region.parentCode === null) {
        expect(region.level).toBe('province');
        continue;
      }
      const parent = byCode.get(region.parentCode);
      expect(parent?.level).toBe(parentLevel[region.level]);
      expect(region.code.startsWith(region.parentCode)).toBe(true);
    }
    // Sorted by code, so parents come before their children.
    expect(regions.map((r) => r.code)).toEqual([...regions.map((r) => r.code)].sort());
  });

  it('gives every community 2–6 comprehensive grids numbered from 01, and a few urban ones dedicated grids', () => {
    for (const community of ofLevel('community')) {
      const grids = childrenOf(community.code);
      const comprehensive = grids.filter((g) => g.kind === 'comprehensive');
      expect(comprehensive.length).toBeGreaterThanOrEqual(2);
      expect(comprehensive.length).toBeLessThanOrEqual(6);
      expect(grids.map((g) => g.code.slice(12))).toEqual(grids.map((_, i) => String(i + 1).padStart(2, '0')));
      expect(comprehensive[0].name).toBe(`${community.shortName}第1网格`);
    }
    const dedicated = ofLevel('grid').filter((g) => g.kind === 'dedicated');
    expect(dedicated.length).toBeGreaterThanOrEqual(5);
    for (const grid of dedicated) {
      const community = byCode.get(grid.parentCode!)!;
      expect(community.kind).toBe('community');
      expect(byCode.get(community.parentCode!)!.kind).toBe('street');
      expect(grid.name).toMatch(/专属网格$/);
    }
  });

  it('places the district around 合川 and the urban streets near its centre', () => {
    const district = byCode.get('500117')!;
    const [lng, lat] = district.centroid!;
    expect(lng).toBeGreaterThan(106.1);
    expect(lng).toBeLessThan(106.45);
    expect(lat).toBeGreaterThan(29.85);
    expect(lat).toBeLessThan(30.2);
    for (const street of ofLevel('street').filter((s) => s.kind === 'street')) {
      expect(Math.abs(street.centroid![0] - 106.27)).toBeLessThan(0.15);
      expect(Math.abs(street.centroid![1] - 29.99)).toBeLessThan(0.15);
    }
    // Urban communities are smaller than rural villages (median area).
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1];
    const area = (r: DemoRegion) => polygonArea(r.polygon!);
    const communities = ofLevel('community');
    expect(median(communities.filter((c) => c.kind === 'community').map(area)))
      .toBeLessThan(median(communities.filter((c) => c.kind === 'village').map(area)) / 2);
  });

  it('tiles each level: children areas add up to the parent area', () => {
    const check = (parent: DemoRegion, children: DemoRegion[]) => {
      const sum = children.reduce((s, c) => s + polygonArea(c.polygon!), 0);
      expect(Math.abs(sum - polygonArea(parent.polygon!)) / polygonArea(parent.polygon!)).toBeLessThan(1e-9);
    };
    check(byCode.get('500117')!, ofLevel('street'));
    for (const street of ofLevel('street')) check(street, childrenOf(street.code));
    for (const community of ofLevel('community')) check(community, childrenOf(community.code).filter((g) => g.kind === 'comprehensive'));
  });

  it('locates random points of the district consistently at every level', () => {
    const streets = indexOf(ofLevel('street'));
    const communities = indexOf(ofLevel('community'));
    const grids = indexOf(ofLevel('grid'));
    const random = seededRandom('district-points');
    const district = byCode.get('500117')!;
    for (let k = 0; k < 2000; k++) {
      const [x, y] = pointIn(district, random);
      const street = streets.locate(x, y);
      const community = communities.locate(x, y);
      const grid = grids.locate(x, y);
      expect(street).not.toBeNull();
      expect(community?.startsWith(street!)).toBe(true);
      expect(grid?.startsWith(community!)).toBe(true);
    }
  });

  it("locates every grid's centroid to that grid", () => {
    const grids = ofLevel('grid');
    const index = indexOf(grids);
    expect(index.size).toBe(grids.length);
    const wrong = grids.filter((g) => index.locate(g.centroid![0], g.centroid![1]) !== g.code).map((g) => g.code);
    expect(wrong).toEqual([]);
  });

  it('locates points inside a community to one of its grids, dedicated grids included', () => {
    const index = indexOf(ofLevel('grid'));
    const random = seededRandom('community-points');
    const withDedicated = ofLevel('grid').filter((g) => g.kind === 'dedicated').map((g) => byCode.get(g.parentCode!)!);
    const sample = [...ofLevel('community').filter((_, i) => i % 37 === 0), ...withDedicated];
    for (const community of sample) {
      const grids = new Set(childrenOf(community.code).map((g) => g.code));
      for (let k = 0; k < 50; k++) {
        const [x, y] = pointIn(community, random);
        expect(grids.has(index.locate(x, y)!)).toBe(true);
      }
    }
    for (const dedicated of ofLevel('grid').filter((g) => g.kind === 'dedicated')) {
      const [x, y] = pointIn(dedicated, random);
      expect(index.locate(x, y)).toBe(dedicated.code);
    }
  });

  it('finds no grid for points outside the district', () => {
    const index = indexOf(ofLevel('grid'));
    expect(index.locate(105.5, 29.5)).toBeNull(); // south-west of 合川
    expect(index.locate(106.58, 30.30)).toBeNull(); // inside the district's box, outside its outline
    expect(index.locate(116.397, 39.909)).toBeNull(); // Beijing
  });

  it('is deterministic', () => {
    expect(JSON.stringify(buildDemoRegions())).toBe(JSON.stringify(regions));
  });
});

describe('division names', () => {
  it('classifies streets, towns and townships', () => {
    expect(streetKindOf('合阳城街道')).toBe('street');
    expect(streetKindOf('涞滩镇')).toBe('town');
    expect(streetKindOf('某某乡')).toBe('township');
  });

  it('classifies communities and villages and shortens their names', () => {
    expect(communityKindOf('营盘街社区居民委员会')).toBe('community');
    expect(communityKindOf('马岭村村民委员会')).toBe('village');
    expect(communityKindOf('多福巷社区居委会')).toBe('community');
    expect(communityShortName('营盘街社区居民委员会')).toBe('营盘街社区');
    expect(communityShortName('马岭村村民委员会')).toBe('马岭村');
    expect(communityShortName('多福巷社区居委会')).toBe('多福巷社区');
  });
});
