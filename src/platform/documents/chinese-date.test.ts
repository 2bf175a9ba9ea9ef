// Dates on printed documents are China's calendar days in Chinese, whatever the server's time zone.
import { describe, expect, it } from 'vitest';
import { chineseDate, chineseDateTime } from './index.ts';

describe('chineseDate', () => {
  it('prints an instant as its day in China, a civil date as it is, and nothing for none', () => {
    expect(chineseDate('2026-12-05T16:30:00Z')).toBe('2026年12月6日'); // 00:30 on the 6th in 合川, still the 5th in UTC
    expect(chineseDate(new Date('2026-12-06T15:59:59Z'))).toBe('2026年12月6日');
    expect(chineseDate('2026-12-06T16:00:00Z')).toBe('2026年12月7日');
    expect(chineseDate('2026-01-09')).toBe('2026年1月9日');
    expect(chineseDate(null)).toBe('');
    expect(chineseDate(undefined)).toBe('');
  });
});

describe('chineseDateTime', () => {
  it('prints an instant as its day and clock time in China', () => {
    expect(chineseDateTime('2026-12-05T16:30:00Z')).toBe('2026年12月6日 00:30');
    expect(chineseDateTime(new Date('2026-12-07T06:05:00Z'))).toBe('2026年12月7日 14:05');
    expect(chineseDateTime(null)).toBe('');
  });
});
