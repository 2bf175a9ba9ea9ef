import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.ts';
import { seededRandom } from './geometry.ts';
import { LocateIndex, type LocateItem } from './locate-index.ts';

const square = (x0: number, y0: number, x1: number, y1: number): number[][] => [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];

/** Independent oracle: even–odd test over every ring, smallest area wins, then the smaller code. */
function bruteForce(items: LocateItem[]): (x: number, y: number) => string | null {
  const ringArea = (ring: number[][]) => Math.abs(ring.reduce((sum, p, i) => {
    const q = ring[(i + 1) % ring.length];
    return sum + p[0] * q[1] - q[0] * p[1];
  }, 0)) / 2;
  const prepared = items.map((item) => {
    const parts = typeof item.polygon[0][0][0] === 'number' ? [item.polygon as number[][][]] : (item.polygon as number[][][][]);
    const area = parts.reduce((sum, part) => sum + part.reduce((t, ring, r) => t + (r === 0 ? 1 : -1) * ringArea(ring), 0), 0);
    return { code: item.code, rings: parts.flat(), area };
  });
  return (x, y) => {
    let best: (typeof prepared)[number] | null = null;
    for (const item of prepared) {
      let inside = false;
      for (const ring of item.rings) {
        for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
          const [xi, yi] = ring[i];
          const [xj, yj] = ring[j];
          if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
        }
      }
      if (inside && (!best || item.area < best.area || (item.area === best.area && item.code < best.code))) best = item;
    }
    return best?.code ?? null;
  };
}

/** Whether some lookups of this index go through the R-tree rather than the cell table (white-box). */
const usesTreeCells = (index: LocateIndex) =>
  (index as unknown as { cellStart: Uint32Array }).cellStart.some((start) => start >= 0x80000000);

/** A jittered lattice of cols × rows quads tiling [0, cols] × [0, rows]; border vertices stay put. */
function jitteredTiles(cols: number, rows: number, seed: string): LocateItem[] {
  const random = seededRandom(seed);
  const v: number[][][] = [];
  for (let i = 0; i <= cols; i++) {
    v.push([]);
    for (let j = 0; j <= rows; j++) {
      const inner = i > 0 && i < cols && j > 0 && j < rows;
      v[i].push([i + (inner ? (random() - 0.5) * 0.6 : 0), j + (inner ? (random() - 0.5) * 0.6 : 0)]);
    }
  }
  const items: LocateItem[] = [];
  for (let i = 0; i < cols; i++) {
    for (let j = 0; j < rows; j++) {
      items.push({ code: `T${i}-${j}`, polygon: [[v[i][j], v[i + 1][j], v[i + 1][j + 1], v[i][j + 1], v[i][j]]] });
    }
  }
  return items;
}

describe('LocateIndex', () => {
  it('finds the polygon that contains a point and returns null elsewhere', () => {
    const index = LocateIndex.build([
      { code: 'A', polygon: [square(0, 0, 1, 1)] },
      { code: 'B', polygon: [square(1, 0, 2, 1)] },
      { code: 'T', polygon: [[[3, 0], [4, 0], [3.5, 1]]] }, // open ring, triangle
    ]);
    expect(index.size).toBe(3);
    expect(index.locate(0.5, 0.5)).toBe('A');
    expect(index.locate(1.5, 0.5)).toBe('B');
    expect(index.locate(3.5, 0.5)).toBe('T');
    expect(index.locate(3.1, 0.9)).toBeNull(); // inside the triangle's box, outside the triangle
    expect(index.locate(2.5, 0.5)).toBeNull();
    expect(index.locate(-1, -1)).toBeNull();
    expect(index.locate(Number.NaN, 0.5)).toBeNull();
  });

  it('gives a point on an edge shared by two tiles to exactly one of them', () => {
    const index = LocateIndex.build([
      { code: 'A', polygon: [square(0, 0, 1, 1)] },
      { code: 'B', polygon: [square(1, 0, 2, 1)] },
      { code: 'C', polygon: [square(0, 1, 2, 2)] },
    ]);
    expect(['A', 'B']).toContain(index.locate(1, 0.5));
    expect(['A', 'C']).toContain(index.locate(0.5, 1));
    expect(['A', 'B', 'C']).toContain(index.locate(1, 1));
  });

  it('leaves the hole of a polygon out, and finds a polygon inside the hole', () => {
    const ring = square(0, 0, 10, 10);
    const hole = square(4, 4, 6, 6).reverse();
    const withHole = LocateIndex.build([{ code: 'DONUT', polygon: [ring, hole] }]);
    expect(withHole.locate(2, 2)).toBe('DONUT');
    expect(withHole.locate(5, 5)).toBeNull();
    expect(withHole.locate(5, 8)).toBe('DONUT');

    const withIsland = LocateIndex.build([
      { code: 'DONUT', polygon: [ring, hole] },
      { code: 'ISLAND', polygon: [square(4.5, 4.5, 5.5, 5.5)] },
    ]);
    expect(withIsland.locate(5, 5)).toBe('ISLAND');
    expect(withIsland.locate(4.2, 4.2)).toBeNull();
    expect(withIsland.locate(1, 1)).toBe('DONUT');
  });

  it('supports MultiPolygons, including a part with a hole', () => {
    const index = LocateIndex.build([
      { code: 'MULTI', polygon: [[square(0, 0, 1, 1)], [square(5, 5, 9, 9), square(6, 6, 8, 8)]] },
      { code: 'OTHER', polygon: [square(2, 0, 3, 1)] },
    ]);
    expect(index.locate(0.5, 0.5)).toBe('MULTI');
    expect(index.locate(5.5, 5.5)).toBe('MULTI');
    expect(index.locate(7, 7)).toBeNull(); // in the hole of the second part
    expect(index.locate(3.5, 3.5)).toBeNull(); // between the parts
    expect(index.locate(2.5, 0.5)).toBe('OTHER');
  });

  it('prefers the smaller polygon where polygons overlap, deterministically', () => {
    const big = { code: 'B-COMPREHENSIVE', polygon: [square(0, 0, 10, 10)] };
    const small = { code: 'Z-DEDICATED', polygon: [square(2, 2, 3, 3)] };
    const twinA = { code: 'A-TWIN', polygon: [square(6, 6, 7, 7)] };
    const twinB = { code: 'C-TWIN', polygon: [square(6, 6, 7, 7)] };
    for (const items of [[big, small, twinA, twinB], [twinB, twinA, small, big]]) {
      const index = LocateIndex.build(items);
      expect(index.locate(2.5, 2.5)).toBe('Z-DEDICATED');
      expect(index.locate(5, 5)).toBe('B-COMPREHENSIVE');
      expect(index.locate(6.5, 6.5)).toBe('A-TWIN'); // equal areas: the smaller code
    }
  });

  it('accepts rings in either orientation, open or closed', () => {
    const ccw = square(0, 0, 1, 1);
    const cw = [...ccw].reverse();
    const open = ccw.slice(0, 4);
    for (const ring of [ccw, cw, open]) {
      const index = LocateIndex.build([{ code: 'X', polygon: [ring] }]);
      expect(index.locate(0.5, 0.5)).toBe('X');
      expect(index.locate(1.5, 0.5)).toBeNull();
    }
  });

  it('agrees with a brute-force scan on a jittered tiling with overlapping extras', () => {
    const items = jitteredTiles(30, 25, 'tiles');
    const random = seededRandom('extras');
    for (let e = 0; e < 60; e++) {
      const x = random() * 28, y = random() * 23, s = 0.2 + random() * 2;
      items.push({ code: `E${e}`, polygon: [[[x, y], [x + s, y + 0.1], [x + s * 0.8, y + s], [x - 0.1, y + s * 0.7]]] });
    }
    const index = LocateIndex.build(items);
    const expected = bruteForce(items);
    for (let k = 0; k < 2000; k++) {
      const x = -1 + random() * 32, y = -1 + random() * 27;
      expect(index.locate(x, y)).toBe(expected(x, y));
    }
  });

  it('stays correct under a polygon so large that lookups walk the R-tree', () => {
    const tiles = jitteredTiles(40, 40, 'under-a-district');
    const district = { code: 'DISTRICT', polygon: [[[-5, -5], [45, -5], [45, 45], [-5, 45], [-5, -5]], square(20, 20, 25, 25)] };
    const items = [...tiles, district];
    const index = LocateIndex.build(items);
    expect(usesTreeCells(index)).toBe(true);
    const expected = bruteForce(items);
    const random = seededRandom('district');
    for (let k = 0; k < 2000; k++) {
      const x = -8 + random() * 56, y = -8 + random() * 56;
      expect(index.locate(x, y)).toBe(expected(x, y));
    }
    expect(index.locate(22, 22)).toMatch(/^T/); // the district's hole still has its tiles
    expect(index.locate(-4, -4)).toBe('DISTRICT');
  });

  it('stays correct where a pile of overlapping polygons sends lookups through the R-tree', () => {
    const random = seededRandom('pile');
    const pile: LocateItem[] = Array.from({ length: 40 }, (_, p) => {
      const s = 0.3 + random() * 0.7;
      return { code: `P${p}`, polygon: [square(20 - s, 20 - s, 20 + s, 20 + s)] };
    });
    const items = [...jitteredTiles(40, 40, 'pile-tiles'), ...pile];
    const index = LocateIndex.build(items);
    expect(usesTreeCells(index)).toBe(true);
    const expected = bruteForce(items);
    for (let k = 0; k < 2000; k++) {
      const near = k % 2 === 0;
      const x = near ? 19 + random() * 2 : random() * 40, y = near ? 19 + random() * 2 : random() * 40;
      expect(index.locate(x, y)).toBe(expected(x, y));
    }
  });

  it('handles an index large enough for 32-bit tree entries', () => {
    const side = 130; // 16,900 unit squares → more than 16,384 tree entries
    const items: LocateItem[] = [];
    for (let i = 0; i < side; i++) for (let j = 0; j < side; j++) items.push({ code: `${i}:${j}`, polygon: [square(i, j, i + 1, j + 1)] });
    const index = LocateIndex.build(items);
    expect(index.size).toBe(side * side);
    const random = seededRandom('big');
    for (let k = 0; k < 5000; k++) {
      const x = random() * side, y = random() * side;
      expect(index.locate(x, y)).toBe(`${Math.floor(x)}:${Math.floor(y)}`);
    }
    expect(index.locate(side + 0.5, 1)).toBeNull();
  });

  it('builds an empty index that finds nothing', () => {
    const index = LocateIndex.build([]);
    expect(index.size).toBe(0);
    expect(index.locate(106.27, 29.99)).toBeNull();
  });

  it.each([
    ['an empty code', { code: '', polygon: [square(0, 0, 1, 1)] }],
    ['a ring of two positions', { code: 'X', polygon: [[[0, 0], [1, 1], [0, 0]]] }],
    ['a non-finite coordinate', { code: 'X', polygon: [[[0, 0], [1, Number.NaN], [1, 1], [0, 0]]] }],
    ['a polygon without area', { code: 'X', polygon: [[[0, 0], [1, 1], [2, 2], [0, 0]]] }],
    ['something that is not coordinates', { code: 'X', polygon: [['a', 'b']] as unknown as number[][][] }],
  ])('rejects %s with a 422 invalid_polygon error', (_label, item) => {
    let error: unknown;
    try {
      LocateIndex.build([{ code: 'OK', polygon: [square(0, 0, 1, 1)] }, item as LocateItem]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(422);
    expect((error as AppError).code).toBe('invalid_polygon');
    expect((error as AppError).message).toContain('item 1');
  });
});
