import { describe, expect, it } from 'vitest';
import { categories, isLeaf, UNITS } from './categories-data.ts';
import {
  generateCallbackText,
  generateCaseText,
  generateReplyText,
  mulberry32,
  PROFILED_CODES,
} from './case-texts.ts';

const leaves = categories.filter((c) => isLeaf(c.code));
const places = [
  { streetName: '合阳城街道', communityName: '营盘街社区' },
  { streetName: '钓鱼城街道', communityName: '东津沱社区' },
  { streetName: '南津街街道', communityName: '花园社区' },
  { streetName: '盐井街道', communityName: '江城社区' },
];
const PHONE = /^1[3-9]\d{9}$/;
const HAN = /[\u4e00-\u9fa5]/;

describe('mulberry32', () => {
  it('is deterministic and in [0,1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    for (const x of xs) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
    expect(mulberry32(43)()).not.toBe(mulberry32(42)());
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
  });
});

describe('generateCaseText', () => {
  it('has a hand-written profile for every leaf', () => {
    const missing = leaves.map((l) => l.code).filter((c) => !PROFILED_CODES.includes(c));
    expect(missing).toEqual([]);
    for (const c of PROFILED_CODES) expect(isLeaf(c), c).toBe(true);
  });

  it('produces well-formed text for every leaf across many seeds', () => {
    for (const leaf of leaves) {
      for (let seed = 0; seed < 60; seed++) {
        const rng = mulberry32(seed * 7919 + Number(leaf.code));
        const place = places[seed % places.length]!;
        const t = generateCaseText(rng, leaf.code, place);
        expect(t.title, leaf.code).toMatch(HAN);
        expect(t.title.length).toBeLessThanOrEqual(60);
        expect(t.title).toContain(place.communityName);
        expect(t.description.length, t.description).toBeGreaterThanOrEqual(40);
        expect(t.description.length, t.description).toBeLessThanOrEqual(200);
        expect(t.description).not.toMatch(/\{\w+\}|undefined|NaN|，，|。。|小区小区|巡查中巡查/);
        expect(t.title).not.toMatch(/小区小区/);
        expect(t.title).not.toMatch(/\{\w+\}|undefined/);
        expect(t.address.startsWith(`合川区${place.streetName}${place.communityName}`)).toBe(true);
        expect(t.address).not.toMatch(/\{\w+\}|undefined/);
        expect(t.reporterName).toMatch(/^[\u4e00-\u9fa5]{2,4}$/);
        expect(t.reporterPhone).toMatch(PHONE);
      }
    }
  });

  it('is deterministic for a seed', () => {
    for (const leaf of leaves) {
      const a = generateCaseText(mulberry32(2024), leaf.code, places[0]!);
      const b = generateCaseText(mulberry32(2024), leaf.code, places[0]!);
      expect(a).toEqual(b);
    }
    const seq = (seed: number) => {
      const rng = mulberry32(seed);
      return leaves.map((l) => generateCaseText(rng, l.code, places[1]!));
    };
    expect(seq(7)).toEqual(seq(7));
    expect(seq(7)).not.toEqual(seq(8));
  });

  it('mentions the place in titles and uses street + community in addresses', () => {
    const rng = mulberry32(1);
    const t = generateCaseText(rng, '020501', places[0]!);
    expect(t.title).toContain('营盘街社区');
    expect(t.title).toContain('占道经营');
    expect(t.address).toMatch(/^合川区合阳城街道营盘街社区.+(号|交叉口)/);
  });

  it('varies titles and descriptions', () => {
    const rng = mulberry32(99);
    const descs = new Set<string>();
    const titles = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const t = generateCaseText(rng, '020501', places[0]!);
      descs.add(t.description);
      titles.add(t.title);
    }
    expect(descs.size).toBeGreaterThan(40);
    expect(titles.size).toBeGreaterThan(10);
  });

  it('accepts a group code by picking one of its leaves, and rejects unknown codes', () => {
    const t = generateCaseText(mulberry32(5), '0205', places[0]!);
    expect(t.title).toContain('营盘街社区');
    expect(() => generateCaseText(mulberry32(5), '999999', places[0]!)).toThrow(/unknown category/);
  });
});

describe('generateReplyText', () => {
  it('produces a deterministic reply naming the department for every leaf', () => {
    const unitNames = Object.values(UNITS) as string[];
    for (const leaf of leaves) {
      for (let seed = 0; seed < 10; seed++) {
        const r = generateReplyText(mulberry32(seed), leaf.code);
        expect(r).toBe(generateReplyText(mulberry32(seed), leaf.code));
        expect(r).toMatch(/已于\d{1,2}月\d{1,2}日/);
        expect(unitNames.some((u) => r.startsWith(u))).toBe(true);
        expect(r).toContain(UNITS[leaf.defaultUnit as keyof typeof UNITS]);
        expect(r).not.toMatch(/\{\w+\}|undefined/);
        expect(r.length).toBeLessThanOrEqual(200);
      }
    }
  });
});

describe('generateCallbackText', () => {
  it('produces satisfied and unsatisfied callbacks deterministically', () => {
    for (let seed = 0; seed < 30; seed++) {
      const ok = generateCallbackText(mulberry32(seed), true);
      const ko = generateCallbackText(mulberry32(seed), false);
      expect(ok).toBe(generateCallbackText(mulberry32(seed), true));
      expect(ok).toMatch(/满意/);
      expect(ok).not.toMatch(/不满意/);
      expect(ko).toMatch(/不满意/);
    }
  });
});
