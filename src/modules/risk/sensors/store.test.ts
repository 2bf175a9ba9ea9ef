// The ISO times of readings, formatted a second at a time for COPY, are the times themselves.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isoOf } from './store.ts';

describe('isoOf', () => {
  it('formats any instant as Date.toISOString does, in any order', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 4_102_444_800_000 }), { minLength: 1, maxLength: 50 }), (times) => {
      for (const t of times) expect(isoOf(t)).toBe(new Date(t).toISOString());
    }));
  });
});
