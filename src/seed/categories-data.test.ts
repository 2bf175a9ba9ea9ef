import { describe, expect, it } from 'vitest';
import { categories, categoryPath, getCategory, isLeaf, leafCategories, UNIT_KEYS, UNITS } from './categories-data.ts';

const leaves = categories.filter((c) => !categories.some((o) => o.parentCode === c.code));
const urbanTops = ['01', '02'];

describe('category tree', () => {
  it('has unique codes', () => {
    const codes = categories.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('uses hierarchical codes: 2-digit tops, 4-digit middles, 6-digit leaves, each prefixed by its parent', () => {
    for (const c of categories) {
      expect(c.code).toMatch(/^(\d{2}){1,3}$/);
      if (c.code.length === 2) {
        expect(c.parentCode).toBeNull();
      } else {
        expect(c.parentCode).not.toBeNull();
        const parent = getCategory(c.parentCode!);
        expect(parent, `parent of ${c.code}`).toBeDefined();
        expect(c.code.startsWith(c.parentCode!)).toBe(true);
        expect(c.code.length).toBe(parent!.code.length + 2);
      }
    }
    for (const l of leaves) expect(l.code).toHaveLength(6);
  });

  it('lists parents before children', () => {
    const seen = new Set<string>();
    for (const c of categories) {
      if (c.parentCode) expect(seen.has(c.parentCode), c.code).toBe(true);
      seen.add(c.code);
    }
  });

  it('has 80–150 leaves and leaf helpers agree', () => {
    expect(leaves.length).toBeGreaterThanOrEqual(80);
    expect(leaves.length).toBeLessThanOrEqual(150);
    expect(leafCategories.map((c) => c.code)).toEqual(leaves.map((c) => c.code));
    for (const l of leaves) expect(isLeaf(l.code)).toBe(true);
    expect(isLeaf('01')).toBe(false);
    expect(isLeaf('nope')).toBe(false);
    expect(categoryPath('010101').map((c) => c.code)).toEqual(['01', '0101', '010101']);
  });

  it('gives every leaf a positive limit and a known default unit', () => {
    for (const l of leaves) {
      expect(l.limitHours, l.code).toBeGreaterThan(0);
      expect(Number.isInteger(l.limitHours)).toBe(true);
      expect(UNIT_KEYS).toContain(l.defaultUnit);
      expect(l.caseTypes.length, l.code).toBeGreaterThan(0);
    }
    for (const c of categories) {
      expect(UNIT_KEYS).toContain(c.defaultUnit);
      expect(c.nameZh).toMatch(/[\u4e00-\u9fa5]/);
      expect(c.nameEn.length).toBeGreaterThan(0);
    }
    expect(Object.keys(UNITS).sort()).toEqual(
      ['chengguan', 'zhujian', 'shengtai', 'gongan', 'shuiwu', 'jiaotong', 'shichang', 'renshe', 'jiaowei', 'weijian', 'minzheng', 'ranqi', 'dianli', 'wuye', 'street'].sort(),
    );
  });

  it('only leaves carry limits', () => {
    for (const c of categories) if (!isLeaf(c.code)) expect(c.limitHours, c.code).toBeUndefined();
  });

  it('gives 部件/事件 leaves 立案条件 and 结案条件', () => {
    const urban = leaves.filter((l) => urbanTops.includes(l.code.slice(0, 2)));
    expect(urban.length).toBeGreaterThan(50);
    for (const l of urban) {
      expect(l.filingCondition, l.code).toMatch(/[\u4e00-\u9fa5]{4,}/);
      expect(l.closingCondition, l.code).toMatch(/[\u4e00-\u9fa5]{4,}/);
      expect(l.caseTypes).toContain('urban');
    }
  });

  it('covers the GB/T 30428.2 classes and hotline classes', () => {
    const names = new Set(categories.map((c) => c.nameZh));
    for (const n of [
      '公用设施类', '道路交通类', '市容环境类', '园林绿化类', '房屋土地类', '其他设施类',
      '市容环境', '宣传广告', '施工管理', '突发事件', '街面秩序',
      '上水井盖', '路灯', '公交站亭', '果皮箱', '行道树', '暴露垃圾', '占道经营', '施工扰民', '道路积水', '机动车乱停放',
      '城乡建设', '环境保护', '劳动和社会保障', '交通运输', '商贸旅游', '卫生计生', '教育文体', '民政', '物业管理',
      '噪音扰民', '油烟污染', '拖欠工资', '邻里纠纷',
    ]) {
      expect(names.has(n), n).toBe(true);
    }
  });

  it('uses 35 working hours (5 days × 7 h) for typical hotline items and 2–4 h for urgent ones', () => {
    const byName = (n: string) => categories.find((c) => c.nameZh === n)!;
    for (const n of ['燃气泄漏', '供水管道破裂', '路面塌陷']) {
      expect(byName(n).limitHours).toBeGreaterThanOrEqual(2);
      expect(byName(n).limitHours).toBeLessThanOrEqual(4);
      expect(byName(n).caseTypes).toContain('hotline');
    }
    const hotline = leaves.filter((l) => l.caseTypes.includes('hotline'));
    const std = hotline.filter((l) => l.limitHours === 35).length;
    expect(std / hotline.length).toBeGreaterThan(0.5);
    for (const l of hotline) expect(l.limitHours).toBeLessThanOrEqual(35);
  });

  it('derives group case types from their leaves', () => {
    for (const c of categories) {
      if (isLeaf(c.code)) continue;
      const below = leaves.filter((l) => l.code.startsWith(c.code));
      expect(below.length, c.code).toBeGreaterThan(0);
      const union = new Set(below.flatMap((l) => l.caseTypes));
      expect(new Set(c.caseTypes)).toEqual(union);
    }
  });
});
