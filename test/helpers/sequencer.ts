// Starts the slowest test files first, so that two workers finish together instead of one of them starting a
// long file when the other has nothing left (without a results cache, as on CI's fresh clone, vitest orders
// files by size, and the slowest files are small ones). The rest keep vitest's own order.
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** The files that take longest, slowest first (from the durations of a full run). */
const SLOWEST = [
  // API
  'test/api/hostile-generated.test.ts', 'test/api/mediation-stats.test.ts', 'test/api/hostile-sweep.test.ts',
  // browser
  'test/browser/menus.test.ts', 'test/browser/participation.test.ts', 'test/browser/risk.test.ts',
  'test/browser/registry-work.test.ts', 'test/browser/registry.test.ts', 'test/browser/grid-console.test.ts',
];

export default class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const i = SLOWEST.findIndex((s) => f.moduleId.endsWith(s));
      return i < 0 ? SLOWEST.length : i;
    };
    return sorted.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i).map(({ f }) => f);
  }
}
