// Geocoding accuracy on our own caller-style set (test/helpers/caller-addresses.ts) built from the
// division names: the demo district with its address library, and a whole real city's division tree
// (无锡市, many more names and namesakes) without one.
import { describe, expect, it } from 'vitest';
import { buildDemoRegions, buildDivisionTree, districtsFor, type DemoRegion } from '../regions/index.ts';
import { demoAddresses } from '../../seed/addresses.ts';
import { callerTexts } from '../../../test/helpers/caller-addresses.ts';
import { Geocoder, shortForms, type GeoAddress, type GeoRegion } from './geocoder.ts';
import { normalise } from './normalise.ts';

const toGeo = (rs: DemoRegion[]): GeoRegion[] => rs.map((r) => ({ code: r.code, parentCode: r.parentCode, level: r.level, name: r.name, shortName: r.shortName, centroid: r.centroid ?? null }));

function rates(geo: Geocoder, regions: DemoRegion[]) {
  const set = callerTexts(regions);
  const top = (text: string) => geo.search(text, { limit: 1 })[0]?.regionPath.map((p) => p.code) ?? [];
  const misses: string[] = [];
  let community = 0;
  let communityStreet = 0;
  for (const t of set.community) {
    const path = top(t.text);
    if (path.includes(t.communityCode!)) community++; else misses.push(t.text);
    if (path.includes(t.streetCode)) communityStreet++;
  }
  let street = 0;
  for (const t of set.street) if (top(t.text).includes(t.streetCode)) street++; else misses.push(t.text);
  return {
    community: community / set.community.length, communityStreet: communityStreet / set.community.length, street: street / set.street.length,
    n: set.community.length + set.street.length, misses,
  };
}

describe('normalise', () => {
  it('folds width, punctuation and Chinese numerals before counters', () => {
    expect(normalise('南津街 ３栋，二组')).toBe('南津街3栋2组');
    expect(normalise('十二栋一单元')).toBe('12栋1单元');
    expect(normalise('二十三号')).toBe('23号');
    expect(normalise('五一社区')).toBe('五一社区'); // 社区 is not a group
  });
  it('derives the short forms people use', () => {
    expect(shortForms('南津街街道', 'street')).toEqual(expect.arrayContaining(['南津街', '南津街道']));
    expect(shortForms('太和镇', 'street')).toContain('太和');
    expect(shortForms('马岭村村民委员会', 'community')).toEqual(expect.arrayContaining(['马岭村', '马岭']));
  });
});

describe('geocoding caller-style addresses', () => {
  const demo = buildDemoRegions();
  const geo = new Geocoder(toGeo(demo), demoAddresses(demo).map((a, i) => ({ ...a, id: i + 1, aliases: a.aliases ?? [], regionCode: a.regionCode!, lat: a.lat ?? null, lng: a.lng ?? null }) as GeoAddress));

  it('finds the community ≥ 93 % and the street ≥ 97 % in the demo district (合川区)', () => {
    const r = rates(geo, demo);
    console.log(`合川区: n=${r.n} community ${(r.community * 100).toFixed(1)} %, its street ${(r.communityStreet * 100).toFixed(1)} %, street only ${(r.street * 100).toFixed(1)} %; misses e.g. ${r.misses.slice(0, 8).join(' | ')}`);
    expect(r.community).toBeGreaterThanOrEqual(0.93);
    expect(r.communityStreet).toBeGreaterThanOrEqual(0.97);
    expect(r.street).toBeGreaterThanOrEqual(0.97);
  });

  it('trusts the street the caller names over a place of the same name elsewhere', () => {
    // 久长路菜市场 is the market of 久长路社区 in 钓鱼城街道; the caller says 合阳城街道
    const [best] = geo.search('合川区合阳城街道久长路菜市场门口');
    expect(best.regionPath.map((p) => p.name)).toEqual(['合川区', '合阳城街道']);
    const [market] = geo.search('钓鱼城街道久长路菜市场门口');
    expect(market).toMatchObject({ label: '久长路菜市场', kind: 'landmark' });
    expect(market.regionPath.map((p) => p.name).slice(0, 3)).toEqual(['合川区', '钓鱼城街道', '久长路社区']);
  });

  it('does as well on a whole city of real division names, without an address library (无锡市)', () => {
    const city = buildDivisionTree(districtsFor({ city: '3202' }));
    const r = rates(new Geocoder(toGeo(city), []), city);
    console.log(`无锡市: n=${r.n} community ${(r.community * 100).toFixed(1)} %, its street ${(r.communityStreet * 100).toFixed(1)} %, street only ${(r.street * 100).toFixed(1)} %; misses e.g. ${r.misses.slice(0, 8).join(' | ')}`);
    expect(r.community).toBeGreaterThanOrEqual(0.93);
    expect(r.communityStreet).toBeGreaterThanOrEqual(0.97);
    expect(r.street).toBeGreaterThanOrEqual(0.97);
  });
});
