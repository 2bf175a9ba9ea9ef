import { describe, expect, it } from 'vitest';
import { textFault } from './text.ts';

describe('text PostgreSQL cannot store', () => {
  it('finds a NUL and a lone surrogate anywhere, and passes whole pairs', () => {
    expect(textFault('每天晚上有商贩在小区门口摆摊')).toBeNull();
    expect(textFault('𠮷田 😀')).toBeNull();
    expect(textFault('')).toBeNull();
    expect(textFault('a\u0000b')).toBe('nul');
    for (const s of ['a\uD800', '\uDC00a', '\uDE00\uD83D', '\uD800\uD800\uDC00', '田\uDBFF']) expect(textFault(s), JSON.stringify(s)).toBe('lone_surrogate');
  });
});
