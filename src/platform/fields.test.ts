// Refusals in Chinese read as a person would say them: a length in characters, a count in items, a range in numbers.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { firstIssueZh } from './fields.ts';

const zh = (schema: z.ZodType, value: unknown) => firstIssueZh(schema, value)?.message;

describe('zodZh: sizes and ranges', () => {
  it('says how many characters a text may have, in Chinese only', () => {
    expect(zh(z.string().max(64), 'x'.repeat(65))).toBe('不能超过 64 个字符');
    expect(zh(z.string().trim().min(1), '   ')).toBe('不能为空');
    expect(zh(z.string().min(2), 'x')).toBe('至少 2 个字符');
  });

  it('says how many items a list may have', () => {
    expect(zh(z.array(z.number()).max(10), Array.from({ length: 11 }, (_, i) => i))).toBe('最多 10 项');
    expect(zh(z.array(z.number()).min(1), [])).toBe('至少 1 项');
  });

  it('says the range of a number, open or closed', () => {
    expect(zh(z.number().max(90), 91)).toBe('不能大于 90');
    expect(zh(z.number().min(-90), -91)).toBe('不能小于 -90');
    expect(zh(z.number().int().positive(), 0)).toBe('应大于 0');
    expect(zh(z.number().lt(5), 5)).toBe('应小于 5');
  });
});
