import { describe, expect, it } from 'vitest';
import { segment } from './segment.ts';
import { nearDuplicateGroups, textSimilarity } from './similarity.ts';

describe('textSimilarity', () => {
  const a = segment('幸福小区东门的烧烤摊每天晚上油烟扰民，请城管处理');
  it('is 1 for the same text, even segmented differently', () => {
    expect(textSimilarity(a, a)).toBeCloseTo(1, 10);
    expect(textSimilarity(a, [a.join('')])).toBeCloseTo(1, 10);
  });

  it('scores a reworded repeat far above an unrelated message', () => {
    const repeat = segment('再次反映：幸福小区东门烧烤摊晚上油烟扰民，请城管尽快处理！');
    const other = segment('孩子学校违规补课收费，请教育局调查');
    const similar = textSimilarity(a, repeat);
    const unrelated = textSimilarity(a, other);
    expect(similar).toBeGreaterThan(0.6);
    expect(unrelated).toBeLessThan(0.15);
    expect(textSimilarity(repeat, a)).toBeCloseTo(similar, 12);
  });

  it('is 0 when either side is empty', () => {
    expect(textSimilarity([], a)).toBe(0);
    expect(textSimilarity(['，'], a)).toBe(0);
  });
});

describe('nearDuplicateGroups', () => {
  it('puts repeats of a message in one group and leaves others alone', () => {
    const messages = [
      '幸福小区东门的烧烤摊每天晚上油烟扰民，请城管处理',
      '孩子学校违规补课收费，请教育局调查',
      '再次反映：幸福小区东门烧烤摊晚上油烟扰民，请城管尽快处理！',
      '公交23路班次太少，早上等车要一个小时',
      '孩子学校违规补课收费，请教育局调查！！',
    ].map(segment);
    expect(nearDuplicateGroups(messages, 0.6)).toEqual([0, 1, 0, 3, 1]);
    expect(nearDuplicateGroups(messages, 0.99)).toEqual([0, 1, 2, 3, 1]);
    expect(nearDuplicateGroups([])).toEqual([]);
  });
});
