import { describe, expect, it } from 'vitest';
import { buildDemoRegions } from '../demo-region-data.ts';
import { splitConvex, type LngLat } from '../geometry.ts';
import {
  areaM2, distanceToBoundaryM, labelPoint, overlaps, pointInGeometry, unionOfTiles, validateAreaGeometry,
  type AreaGeometry, type Position,
} from './geometry.ts';

const square = (x: number, y: number, s: number): Position[] => [[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]];
const poly = (...rings: Position[][]): AreaGeometry => ({ type: 'Polygon', coordinates: rings });
const reasons = (g: unknown) => {
  const v = validateAreaGeometry(g);
  return v.ok ? [] : v.problems.map((p) => p.reason);
};

describe('validateAreaGeometry', () => {
  it('accepts polygons in either orientation, with holes and altitudes, and drops repeated positions', () => {
    expect(reasons(poly(square(106, 30, 0.01)))).toEqual([]);
    expect(reasons(poly(square(106, 30, 0.01).reverse()))).toEqual([]);
    expect(reasons(poly(square(106, 30, 0.01), square(106.002, 30.002, 0.002)))).toEqual([]);
    const v = validateAreaGeometry({ type: 'Polygon', coordinates: [[[106, 30, 5], [106, 30, 5], [106.01, 30, 5], [106.01, 30.01, 5], [106, 30, 5]]] });
    expect(v.ok && v.geometry.coordinates).toEqual([[[106, 30], [106.01, 30], [106.01, 30.01], [106, 30]]]);
  });

  it('names what is wrong', () => {
    expect(reasons({ type: 'Point', coordinates: [106, 30] })).toEqual(['unsupported_geometry_type']);
    expect(reasons({ type: 'Polygon', coordinates: 'x' })).toEqual(['bad_coordinates']);
    expect(reasons({ type: 'Polygon', coordinates: [[[106, 30], [106.01, 30], [106.01, 30.01], [106, 30.01]]] })).toEqual(['ring_not_closed']);
    expect(reasons({ type: 'Polygon', coordinates: [[[106, 30], [106.01, 30], [106, 30]]] })).toEqual(['too_few_positions']);
    expect(reasons({ type: 'Polygon', coordinates: [[[30, 106], [30, 106.01], [30.01, 106.01], [30, 106]]] })).toEqual(['coordinate_out_of_range']);
    expect(reasons({ type: 'Polygon', coordinates: [[[106, 30], ['106.01', 30], [106.01, 30.01], [106, 30]]] })).toEqual(['bad_coordinates']);
    expect(reasons({ type: 'Polygon', coordinates: [[[106, 30], [106.01, 30], [106.02, 30], [106, 30]]] })).toEqual(['self_intersection']);
    expect(reasons({ type: 'Polygon', coordinates: [[[106, 30], [106 + 1e-8, 30], [106, 30 + 1e-8], [106, 30]]] })).toEqual(['no_area']);
    // bow tie
    expect(reasons({ type: 'Polygon', coordinates: [[[106, 30], [106.01, 30.01], [106.01, 30], [106, 30.01], [106, 30]]] })).toEqual(['self_intersection']);
    // a hole poking out of its exterior, a hole entirely outside
    expect(reasons(poly(square(106, 30, 0.01), square(106.008, 30.002, 0.005)))).toEqual(['self_intersection']);
    expect(reasons(poly(square(106, 30, 0.01), square(106.1, 30.1, 0.005)))).toEqual(['hole_outside']);
    // a ring that touches itself at a corner (figure eight)
    expect(reasons({ type: 'Polygon', coordinates: [[[106, 30], [106.01, 30], [106.005, 30.005], [106.01, 30.01], [106, 30.01], [106.005, 30.005], [106, 30]]] })).toEqual(['self_intersection']);
    expect(reasons(poly(square(106, 30, 2)))).toEqual(['too_large']);
    expect(reasons({ type: 'MultiPolygon', coordinates: [[square(106, 30, 0.01)], [square(106.002, 30.002, 0.002)]] })).toEqual(['parts_overlap']);
  });
});

describe('measures', () => {
  it('computes areas in m², distances and interior points', () => {
    // 0.01° × 0.01° at 30° N ≈ 1112 m × 963 m
    expect(areaM2(poly(square(106, 30, 0.01))) / 1e6).toBeCloseTo(1.071, 2);
    const u: AreaGeometry = poly([[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1], [1, 3], [0, 3], [0, 0]]);
    const p = labelPoint(u); // the centroid of a U lies in its notch
    expect(pointInGeometry(u, p)).toBe(true);
    expect(distanceToBoundaryM(poly(square(106, 30, 0.01)), [106.005, 30.02])).toBeCloseTo(0.01 * 111_195, -1);
  });

  it('tells overlapping shapes from neighbours that share an edge', () => {
    expect(overlaps(poly(square(106, 30, 0.01)), poly(square(106.01, 30, 0.01)))).toBe(false);
    expect(overlaps(poly(square(106, 30, 0.01)), poly(square(106.005, 30, 0.01)))).toBe(true);
    expect(overlaps(poly(square(106, 30, 0.01)), poly(square(106.002, 30.002, 0.002)))).toBe(true);
  });
});

describe('unionOfTiles', () => {
  it('merges two halves back into the whole, across a T-junction', () => {
    const ring: LngLat[] = [[106, 30], [106.02, 30], [106.02, 30.01], [106, 30.01]];
    const [left, right] = splitConvex(ring, 1, 0, 106.01);
    const [rightLow, rightHigh] = splitConvex(right, 0, 1, 30.004); // its corner lies on the left piece's edge
    const close = (r: LngLat[]): Position[] => [...r, r[0]];
    const union = unionOfTiles([poly(close(left)), poly(close(rightLow)), poly(close(rightHigh))]);
    expect(union).not.toBeNull();
    expect(areaM2(union!)).toBeCloseTo(areaM2(poly(close(ring))), 3);
    expect(union!.coordinates[0]).toHaveLength(5); // four corners, closed: the cut corners are gone
  });

  it('refuses pieces that do not touch along an edge', () => {
    expect(unionOfTiles([poly(square(106, 30, 0.01)), poly(square(106.02, 30, 0.01))])).toBeNull();
    expect(unionOfTiles([poly(square(106, 30, 0.01)), poly(square(106.01, 30.01, 0.01))])).toBeNull(); // corner only
  });

  it('merges every community of the demo district from its generated grids', () => {
    const regions = buildDemoRegions();
    const communities = regions.filter((r) => r.level === 'community').slice(0, 60);
    for (const c of communities) {
      const grids = regions.filter((g) => g.parentCode === c.code && g.kind === 'comprehensive');
      const union = unionOfTiles(grids.map((g) => poly(...(g.polygon as Position[][]))));
      expect(union, c.code).not.toBeNull();
      expect(areaM2(union!)).toBeCloseTo(areaM2(poly(...(c.polygon as Position[][]))), 0);
    }
  });
});
