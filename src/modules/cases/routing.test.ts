import { describe, expect, it } from 'vitest';
import { suggestRoute, type ResponsibilityRule, type RoutingSuggestion, type RoutingTable } from './routing.ts';

/** The rule as the responsibility list states it: every rule compared with every other. */
function byDefinition(table: RoutingTable, categoryCode: string, regionCode: string): RoutingSuggestion {
  let best: ResponsibilityRule | null = null;
  for (const r of table.rules) {
    if (!categoryCode.startsWith(r.categoryCode) || !regionCode.startsWith(r.regionPrefix)) continue;
    if (!best || r.categoryCode.length > best.categoryCode.length
      || (r.categoryCode.length === best.categoryCode.length && r.regionPrefix.length > best.regionPrefix.length)) best = r;
  }
  if (best) return { leadUnitId: best.leadUnitId, assistUnitIds: best.assistUnitIds, source: 'responsibility_list' };
  for (const len of [9, 6]) {
    const unit = table.territorial.get(regionCode.slice(0, len));
    if (unit) return { leadUnitId: unit, assistUnitIds: [], source: 'territorial_fallback' };
  }
  return { leadUnitId: null, assistUnitIds: [], source: 'none' };
}

describe('routing by the responsibility list', () => {
  const table: RoutingTable = {
    rules: [
      { categoryCode: '01', regionPrefix: '500117', leadUnitId: 'dept-zhujian', assistUnitIds: [] },
      { categoryCode: '0101', regionPrefix: '500117', leadUnitId: 'dept-chengguan', assistUnitIds: ['dept-shizheng'] },
      { categoryCode: '0101', regionPrefix: '500117001', leadUnitId: 'street-001-cg', assistUnitIds: [] },
      { categoryCode: '0101', regionPrefix: '500117001', leadUnitId: 'street-001-second', assistUnitIds: [] },
      { categoryCode: '010101', regionPrefix: '500117002', leadUnitId: 'street-002-lights', assistUnitIds: [] },
    ],
    territorial: new Map([['500117001', 'street-001'], ['500117', 'district-centre']]),
  };

  it('the longest category wins over the longest region; the first rule among equals', () => {
    expect(suggestRoute(table, '010101', '50011700200101')).toMatchObject({ leadUnitId: 'street-002-lights', source: 'responsibility_list' });
    expect(suggestRoute(table, '010101', '50011700100101')).toMatchObject({ leadUnitId: 'street-001-cg' });
    expect(suggestRoute(table, '010102', '50011700300101')).toEqual({ leadUnitId: 'dept-chengguan', assistUnitIds: ['dept-shizheng'], source: 'responsibility_list' });
    expect(suggestRoute(table, '0102', '50011700300101')).toMatchObject({ leadUnitId: 'dept-zhujian' });
    expect(suggestRoute(table, '0201', '50011700100101')).toEqual({ leadUnitId: 'street-001', assistUnitIds: [], source: 'territorial_fallback' });
    expect(suggestRoute(table, '0201', '50011700300101')).toMatchObject({ leadUnitId: 'district-centre', source: 'territorial_fallback' });
    expect(suggestRoute(table, '0101', '11010100100101')).toEqual({ leadUnitId: null, assistUnitIds: [], source: 'none' });
  });

  it('agrees with the rule as stated on random lists', () => {
    let seed = 7;
    const rand = (n: number) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
    const code = (len: number) => Array.from({ length: len }, () => String(rand(3))).join('');
    for (let t = 0; t < 50; t++) {
      const rules: ResponsibilityRule[] = Array.from({ length: 1 + rand(60) }, (_, i) => ({
        categoryCode: code([0, 2, 4, 6][rand(4)]), regionPrefix: `500117${code([0, 3, 6][rand(3)])}`, leadUnitId: `u${i}`, assistUnitIds: [],
      }));
      const random: RoutingTable = { rules, territorial: new Map([[`500117${code(3)}`, 'street']]) };
      for (let q = 0; q < 40; q++) {
        const [category, region] = [code(6), `500117${code(8)}`];
        expect(suggestRoute(random, category, region)).toEqual(byDefinition(random, category, region));
      }
    }
  });
});
