// Small planar geometry helpers over [lng, lat] coordinates, used to generate demo region
// polygons. Areas are in degrees² (ratios are what matter here: an affine map such as
// lng·cos(lat₀) keeps area ratios, so slicing in degrees gives the same shares as in metres).

/** A position [lng, lat]. */
export type LngLat = [number, number];

/** Signed area of a ring by the shoelace formula; positive when counter-clockwise. Open or closed rings. */
export function signedRingArea(ring: ReadonlyArray<ArrayLike<number>>): number {
  let twice = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    twice += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  }
  return twice / 2;
}

/** Area of GeoJSON Polygon coordinates: outer ring minus holes. */
export function polygonArea(polygon: ReadonlyArray<ReadonlyArray<ArrayLike<number>>>): number {
  let area = 0;
  polygon.forEach((ring, i) => {
    const a = Math.abs(signedRingArea(ring));
    area += i === 0 ? a : -a;
  });
  return area;
}

/** Area centroid of a simple ring (open or closed). */
export function ringCentroid(ring: ReadonlyArray<ArrayLike<number>>): LngLat {
  // Shift to the first vertex to keep the products small and precise.
  const ox = ring[0][0];
  const oy = ring[0][1];
  let twiceArea = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const xj = ring[j][0] - ox, yj = ring[j][1] - oy;
    const xi = ring[i][0] - ox, yi = ring[i][1] - oy;
    const cross = xj * yi - xi * yj;
    twiceArea += cross;
    cx += (xj + xi) * cross;
    cy += (yj + yi) * cross;
  }
  if (twiceArea === 0) return [ox, oy];
  return [ox + cx / (3 * twiceArea), oy + cy / (3 * twiceArea)];
}

/** The ring with its first position repeated at the end (GeoJSON linear ring). */
export function closeRing(ring: ReadonlyArray<LngLat>): LngLat[] {
  const out = ring.map((p): LngLat => [p[0], p[1]]);
  out.push([ring[0][0], ring[0][1]]);
  return out;
}

/** True when an open ring is convex and counter-clockwise (collinear vertices allowed). */
export function isConvexCcw(ring: ReadonlyArray<LngLat>): boolean {
  const n = ring.length;
  if (n < 3) return false;
  for (let i = 0; i < n; i++) {
    const a = ring[i], b = ring[(i + 1) % n], c = ring[(i + 2) % n];
    const cross = (b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0]);
    if (cross < 0) return false;
  }
  return signedRingArea(ring) > 0;
}

/**
 * Cuts a convex open ring by the line a·lng + b·lat = t. Returns [low, high]: the parts where the
 * linear form is ≤ t and ≥ t. Both parts receive the very same intersection points, so they share
 * their cut edge exactly. A part may have fewer than 3 vertices when the line misses the ring.
 */
export function splitConvex(ring: ReadonlyArray<LngLat>, a: number, b: number, t: number): [LngLat[], LngLat[]] {
  const low: LngLat[] = [];
  const high: LngLat[] = [];
  const n = ring.length;
  for (let i = 0; i < n; i++) {
    const p = ring[i];
    const q = ring[(i + 1) % n];
    const fp = a * p[0] + b * p[1] - t;
    const fq = a * q[0] + b * q[1] - t;
    if (fp <= 0) low.push(p);
    if (fp >= 0) high.push(p);
    if ((fp < 0 && fq > 0) || (fp > 0 && fq < 0)) {
      const s = fp / (fp - fq);
      const r: LngLat = [p[0] + (q[0] - p[0]) * s, p[1] + (q[1] - p[1]) * s];
      low.push(r);
      high.push(r);
    }
  }
  return [low, high];
}

/** Distance from point p to segment a–b, with lng scaled by kx (≈ cos lat) so that it is isotropic. */
export function segmentDistance(p: LngLat, a: LngLat, b: LngLat, kx: number): number {
  const px = p[0] * kx, ax = a[0] * kx, bx = b[0] * kx;
  const dx = bx - ax, dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  let s = len2 === 0 ? 0 : ((px - ax) * dx + (p[1] - a[1]) * dy) / len2;
  s = Math.max(0, Math.min(1, s));
  return Math.hypot(px - (ax + s * dx), p[1] - (a[1] + s * dy));
}

/** 32-bit FNV-1a hash of a string; used to derive deterministic choices from codes. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Deterministic PRNG (mulberry32) returning floats in [0, 1). */
export function seededRandom(seed: number | string): () => number {
  let state = (typeof seed === 'string' ? hashString(seed) : seed) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
}

/** A float in [0, 1) derived from a string key. */
export function unitHash(key: string): number {
  return seededRandom(key)();
}
