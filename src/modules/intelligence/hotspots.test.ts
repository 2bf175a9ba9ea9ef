import { describe, expect, it } from 'vitest';
import { findHotspots, heatIndex, type HotspotItem } from './hotspots.ts';
import { segment } from './segment.ts';

const now = new Date('2026-11-16T02:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
let nextId = 1;
const item = (text: string, over: Partial<HotspotItem> = {}): HotspotItem => ({
  id: nextId++, areaCode: '500117001005', categoryCode: '020501', tokens: segment(text), createdAt: daysAgo(1), reporterKey: `p${nextId}`, ...over,
});
const noise = ['滨江路菜市场门口流动摊贩占道经营', '滨江路菜市场门口又有摊贩占道经营，堵住了路', '滨江路菜市场摊贩占道经营问题反复出现'];

describe('findHotspots', () => {
  it('groups repeated complaints about one problem in one area, and not a lone complaint', () => {
    const found = findHotspots([...noise.map((t) => item(t)), item('学校门口红绿灯坏了')], now);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ count: 3, reporters: 3, areaCode: '500117001005' });
  });

  it('does not join the same words in different areas or categories', () => {
    const found = findHotspots([
      item(noise[0]!), item(noise[1]!, { areaCode: '500117002001' }), item(noise[2]!, { categoryCode: '020502' }),
    ], now);
    expect(found).toEqual([]);
  });

  it('does not join different problems of one category in one area', () => {
    const found = findHotspots([item(noise[0]!), item(noise[1]!), item('希尔安大道夜市烧烤油烟熏人，桌椅摆到马路上')], now, { minSimilarity: 0.35, minCases: 3, halfLifeDays: 7 });
    expect(found).toEqual([]);
  });

  it('heats up with more cases, more recent cases and more distinct reporters', () => {
    const base = heatIndex([daysAgo(1), daysAgo(1), daysAgo(1)], 3, now, 7);
    expect(heatIndex([daysAgo(1), daysAgo(1), daysAgo(1), daysAgo(1)], 3, now, 7)).toBeGreaterThan(base);
    expect(heatIndex([daysAgo(10), daysAgo(10), daysAgo(10)], 3, now, 7)).toBeLessThan(base);
    expect(heatIndex([daysAgo(1), daysAgo(1), daysAgo(1)], 1, now, 7)).toBeLessThan(base);
  });

  it('ranks a fresh hotspot of many people above a stale one of one caller', () => {
    const fresh = noise.map((t) => item(t));
    const stale = ['小区二期楼下烧烤店油烟扰民', '小区二期楼下烧烤店油烟很大扰民', '小区二期楼下烧烤店油烟扰民严重']
      .map((t) => item(t, { categoryCode: '020601', createdAt: daysAgo(20), reporterKey: 'same-caller' }));
    const found = findHotspots([...stale, ...fresh], now);
    expect(found.map((h) => h.categoryCode)).toEqual(['020501', '020601']);
    expect(found[1]!.reporters).toBe(1);
  });
});
