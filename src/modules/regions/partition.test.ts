import { describe, expect, it } from 'vitest';
import { isConvexCcw, ringCentroid, seededRandom, signedRingArea, splitConvex, type LngLat } from './geometry.ts';
import { partitionConvex } from './partition.ts';

const hexagon: LngLat[] = [[0, 0], [2, -0.5], [4, 0], [4.5, 2], [2, 3.5], [-0.5, 2]];

describe('splitConvex', () => {
  it('cuts a convex ring into two convex parts sharing the cut', () => {
    const [low, high] = splitConvex(hexagon, 1, 0.3, 2);
    expect(isConvexCcw(low)).toBe(true);
    expect(isConvexCcw(high)).toBe(true);
    expect(signedRingArea(low) + signedRingArea(high)).toBeCloseTo(signedRingArea(hexagon), 12);
    const shared = low.filter((p) => high.some((q) => q[0] === p[0] && q[1] === p[1]));
    expect(shared).toHaveLength(2);
  });
});

describe('partitionConvex', () => {
  it('splits a convex ring into convex pieces with areas proportional to the weights', () => {
    const weights = [1, 5, 2, 2, 8, 1, 3];
    const pieces = partitionConvex(hexagon, weights, { kx: 1, random: seededRandom('t') });
    const total = weights.reduce((a, b) => a + b, 0);
    expect(pieces).toHaveLength(weights.length);
    pieces.forEach((piece, i) => {
      expect(isConvexCcw(piece)).toBe(true);
      expect(signedRingArea(piece) / signedRingArea(hexagon)).toBeCloseTo(weights[i] / total, 9);
    });
  });

  it('puts earlier weights west of later ones when cutting a wide ring', () => {
    const wide: LngLat[] = [[0, 0], [10, 0], [10, 1], [0, 1]];
    const [west, east] = partitionConvex(wide, [1, 1], { kx: 1, random: () => 0.5 });
    expect(ringCentroid(west)[0]).toBeLessThan(ringCentroid(east)[0]);
  });
});
