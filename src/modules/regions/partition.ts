// Weighted partition of a convex polygon into convex pieces that tile it (no gaps, no overlaps):
// recursive slicing by straight cuts, each cut across the longer side with a small random tilt.
// Used to generate demo streets, communities and grids; deterministic for a given PRNG.
import { signedRingArea, splitConvex, type LngLat } from './geometry.ts';

export interface PartitionOptions {
  /** Scale of lng relative to lat (≈ cos of the latitude) so that "longer side" means metres. */
  kx: number;
  /** PRNG in [0, 1) for the cut tilt. */
  random: () => number;
  /** Largest tilt of a cut away from perpendicular, in radians (default 0.3). */
  maxTilt?: number;
}

/**
 * Splits a convex counter-clockwise open ring into weights.length convex open rings whose areas
 * are proportional to the weights. Piece i belongs to weights[i]; earlier weights lie on the
 * west/south side of each cut.
 */
export function partitionConvex(ring: ReadonlyArray<LngLat>, weights: ReadonlyArray<number>, options: PartitionOptions): LngLat[][] {
  if (weights.length === 0) return [];
  if (weights.some((w) => !(w > 0))) throw new RangeError('partition weights must be positive');
  const pieces: LngLat[][] = new Array(weights.length);
  const maxTilt = options.maxTilt ?? 0.3;
  const slice = (part: LngLat[], lo: number, hi: number): void => {
    if (hi - lo === 1) {
      pieces[lo] = part;
      return;
    }
    const { split, fraction } = balancedSplit(weights, lo, hi);
    const [low, high] = cutByAreaFraction(part, fraction, options.kx, (options.random() * 2 - 1) * maxTilt);
    slice(low, lo, split);
    slice(high, split, hi);
  };
  slice(ring.map((p): LngLat => [p[0], p[1]]), 0, weights.length);
  return pieces;
}

/** Index k in (lo, hi) where the running weight is closest to half, and the share left of k. */
function balancedSplit(weights: ReadonlyArray<number>, lo: number, hi: number): { split: number; fraction: number } {
  let total = 0;
  for (let i = lo; i < hi; i++) total += weights[i];
  let running = 0;
  let split = lo + 1;
  let bestGap = Infinity;
  let bestLeft = 0;
  for (let k = lo + 1; k < hi; k++) {
    running += weights[k - 1];
    const gap = Math.abs(running - total / 2);
    if (gap < bestGap) {
      bestGap = gap;
      split = k;
      bestLeft = running;
    }
  }
  return { split, fraction: bestLeft / total };
}

/**
 * Cuts a convex ring across its longer side (measured with lng·kx) tilted by `tilt` radians, at the
 * position where the low (west/south) part holds `fraction` of the area.
 */
function cutByAreaFraction(ring: LngLat[], fraction: number, kx: number, tilt: number): [LngLat[], LngLat[]] {
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (const [x, y] of ring) {
    minX = Math.min(minX, x); maxX = Math.max(maxX, x);
    minY = Math.min(minY, y); maxY = Math.max(maxY, y);
  }
  const angle = ((maxX - minX) * kx >= maxY - minY ? 0 : Math.PI / 2) + tilt;
  // Linear form measured in isotropic units: cos·(lng·kx) + sin·lat.
  const a = Math.cos(angle) * kx;
  const b = Math.sin(angle);
  let lo = Infinity, hi = -Infinity;
  for (const [x, y] of ring) {
    const f = a * x + b * y;
    lo = Math.min(lo, f); hi = Math.max(hi, f);
  }
  const total = signedRingArea(ring);
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    const [low] = splitConvex(ring, a, b, mid);
    const share = low.length >= 3 ? signedRingArea(low) / total : 0;
    if (share < fraction) lo = mid;
    else hi = mid;
  }
  return splitConvex(ring, a, b, (lo + hi) / 2);
}
