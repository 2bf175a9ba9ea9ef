import { describe, expect, it } from 'vitest';
import { keywordSuggestions, matchOf, type KeywordCategory } from './keywords.ts';
import { readCatalog } from '../cases/index.ts';

// the category tree as the file ships it
const catalog = readCatalog();
const parents = new Set(catalog.categories.map((c) => c.parentCode).filter(Boolean));
const byCode = new Map(catalog.categories.map((c) => [c.code, c]));
const tree: KeywordCategory[] = catalog.categories.map((c) => {
  const p = c.parentCode ? byCode.get(c.parentCode) : null;
  return {
    code: c.code, name: c.nameZh, caseTypes: c.caseTypes, keywords: c.keywords ?? [], active: true, leaf: !parents.has(c.code),
    parent: p ? { name: p.nameZh, keywords: p.keywords ?? [] } : null,
  };
});
const top = (text: string, type = 'hotline') => keywordSuggestions(tree, text, { type })[0]?.categoryCode;

describe('matchOf', () => {
  it('finds a word exactly, or spread with a few characters between', () => {
    expect(matchOf('垃圾好几天没人收了', '垃圾没人收')).toBe(0.8);
    expect(matchOf('井盖不见了', '井盖')).toBe(1);
    expect(matchOf('垃圾桶旁边有很多人都不知道应该收', '垃圾没人收')).toBe(0);
    expect(matchOf('井不见盖', '井盖')).toBe(0); // short words only exactly
  });
});

describe('keyword suggestions from the category tree', () => {
  it('finds what residents say on the first day, without a model', () => {
    expect(top('小区门口的井盖不见了，晚上很危险')).toBe('030104');
    expect(top('路上有个大坑，电动车差点摔了')).toBe('030101');
    expect(top('楼下广场舞噪音太大')).toBe('040101');
    expect(top('垃圾好几天没人清运了，垃圾清运太不及时')).toBe('040203');
    expect(top('路边有一堆暴露垃圾')).toBe('020101');
    expect(top('家里停水一整天了')).toBe('030201');
    // a keyword with words of the caller's in between
    expect(top('垃圾好几天没人收了')).toBe('040203');
  });

  it('gives up to three candidates with a confidence that sums to less than one', () => {
    const s = keywordSuggestions(tree, '楼上漏水，天花板渗水', { type: 'hotline' });
    expect(s.length).toBeGreaterThanOrEqual(1);
    expect(s.length).toBeLessThanOrEqual(3);
    expect(s[0].categoryCode).toBe('030302');
    expect(s.reduce((a, x) => a + x.confidence, 0)).toBeLessThan(1);
    expect(s[0].words.map((w) => w.term)).toContain('天花板渗水');
  });

  it('keeps to the case type, and says nothing about a text with no known word', () => {
    // the same words, another type's tree: 部件 categories for 数字城管, the 12345 one for the hotline
    expect(top('污水井盖破损了', 'urban')).toBe('010102');
    expect(top('污水井盖破损了', 'hotline')).toBe('030104');
    expect(keywordSuggestions(tree, '今天天气不错', { type: 'hotline' })).toEqual([]);
  });
});
