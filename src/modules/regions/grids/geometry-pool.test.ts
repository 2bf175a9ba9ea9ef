import { describe, expect, it } from 'vitest';
import { geometryWorker } from './geometry-pool.ts';
import { MAX_POSITIONS } from './geometry.ts';

describe('the geometry worker', () => {
  it('runs the checks in a thread of its own, not on the event loop', async () => {
    expect(await geometryWorker.thread()).not.toBe(0);
  });

  it('bounds a geometry at MAX_POSITIONS positions, fewer than the 20,000 that held the event loop 0.8 s', async () => {
    expect(MAX_POSITIONS).toBeLessThan(20_000);
    const ring = Array.from({ length: MAX_POSITIONS + 1 }, (_, i) => [106 + Math.cos(i) * 0.001, 30 + Math.sin(i) * 0.001]);
    const v = await geometryWorker.validate({ type: 'Polygon', coordinates: [ring] }, 'geometry');
    expect(v.ok).toBe(false);
    expect(!v.ok && v.problems[0].reason).toBe('too_many_positions');
  });
});
