import { describe, expect, it } from 'vitest';
import { getPlatformWords, readPlatformWordList, segment } from './segment.ts';

describe('segment', () => {
  it('keeps platform words whole', () => {
    const tokens = segment('小区门口占道经营，晚上噪音扰民，油烟扰民，打了12345热线，网格员说物业费要涨。');
    for (const word of ['占道经营', '噪音扰民', '油烟扰民', '12345热线', '网格员', '物业费']) {
      expect(tokens).toContain(word);
    }
  });

  it('loads every word of the platform word list as one token', () => {
    for (const word of getPlatformWords()) expect(segment(`关于${word}的问题`)).toContain(word);
  });

  it('drops punctuation and whitespace and normalises full-width characters', () => {
    const tokens = segment('  投诉：１２３４５热线打不通！！ ');
    expect(tokens.slice(0, 2)).toEqual(['投诉', '12345热线']);
    expect(tokens.join('')).toBe('投诉12345热线打不通');
    expect(segment('，。！ ')).toEqual([]);
  });

  it('reads the word list format and rejects bad lines', () => {
    expect(readPlatformWordList('# comment\n网格员\n物业费 500 n\n')).toEqual([
      { word: '网格员', frequency: 20000, tag: 'n' },
      { word: '物业费', frequency: 500, tag: 'n' },
    ]);
    expect(() => readPlatformWordList('网格员 many')).toThrow(/bad line/);
  });
});
