// The region pickers' labels (web/src/lib/region-labels.ts, used by RegionTreeSelect): staff read names, never a
// code in brackets; where two regions of the tree share a name (第1网格 in two communities) the parent's name
// tells them apart.
import { describe, expect, it } from 'vitest';

// the console's own module (web's tsconfig): loaded by name so the API's type check does not follow it
const load = async () => (await import(/* @vite-ignore */ `../web/src/lib/${'region-labels.ts'}`)) as {
  regionLabels(nodes: Array<{ id: string; pId: string | null; title: string }>): Map<string, string>;
};

describe('region picker labels', () => {
  it('are names, with the parent before a name that repeats, and no code', async () => {
    const { regionLabels } = await load();
    const labels = regionLabels([
      { id: '500117001', pId: null, title: '合阳城街道' },
      { id: '500117001005', pId: '500117001', title: '营盘街社区' },
      { id: '500117001006', pId: '500117001', title: '白塔坪社区' },
      { id: '50011700100501', pId: '500117001005', title: '第1网格' },
      { id: '50011700100601', pId: '500117001006', title: '第1网格' },
      { id: '50011700100502', pId: '500117001005', title: '营盘街社区第2网格' },
      { id: '50011700100602', pId: '500117001006', title: '营盘街社区第2网格' },
    ]);
    expect(labels.get('500117001')).toBe('合阳城街道');
    expect(labels.get('500117001005')).toBe('营盘街社区');
    expect(labels.get('50011700100501')).toBe('营盘街社区 · 第1网格');
    expect(labels.get('50011700100601')).toBe('白塔坪社区 · 第1网格');
    // a name that already starts with its parent's stays as it is
    expect(labels.get('50011700100502')).toBe('营盘街社区第2网格');
    expect(labels.get('50011700100602')).toBe('白塔坪社区 · 营盘街社区第2网格');
    for (const label of labels.values()) expect(label).not.toMatch(/\d{6,}/);
  });
});
