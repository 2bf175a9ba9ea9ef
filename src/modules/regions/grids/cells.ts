// Patrol coverage of a grid (巡查网格覆盖): the grid is laid over with square cells (about `cellM`
// metres a side; cells whose centre lies inside the grid count), and a patrol covers every cell its
// track passes through or comes within one cell of: a walker sees both sides of the street. The share
// is covered cells ÷ the grid's cells.
import type { Queryable } from '../../../platform/db/index.ts';
import { bboxOf, METRES_PER_DEGREE, pointInGeometry, type AreaGeometry, type Position } from './geometry.ts';

/** How many grids under the region have a current outline (a new district's placeholder grids have none). */
export async function countGridOutlines(db: Queryable, regionPrefix: string): Promise<number> {
  const [{ n }] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM grid_polygon p WHERE p.valid_to IS NULL AND p.region_code LIKE $1`, [`${regionPrefix.replace(/[^0-9]/g, '')}%`]);
  return n;
}

/** The current outline of a grid (null: no such grid or no outline). */
export async function gridOutline(db: Queryable, code: string): Promise<{ code: string; name: string; geometry: AreaGeometry } | null> {
  const [r] = await db.query<{ code: string; name: string; geometry: AreaGeometry }>(
    `SELECT r.code, r.name, p.geometry FROM region r JOIN grid_polygon p ON p.region_code = r.code AND p.valid_to IS NULL WHERE r.code = $1`, [code]);
  return r ?? null;
}

export interface CellCoverage {
  cellM: number;
  cells: number;
  covered: number;
  share: number | null;
  /** Covered cells as [west, south, east, north] boxes, for the map. */
  boxes: Array<[number, number, number, number]>;
}

/** At most this many cells per grid: bigger grids get bigger cells. */
const MAX_CELLS = 4000;

export function cellCoverage(g: AreaGeometry, track: ReadonlyArray<Position>, cellM = 50): CellCoverage {
  const [minX, minY, maxX, maxY] = bboxOf(g);
  const lat = (minY + maxY) / 2;
  const kx = Math.cos((lat * Math.PI) / 180);
  const widthM = (maxX - minX) * METRES_PER_DEGREE * kx;
  const heightM = (maxY - minY) * METRES_PER_DEGREE;
  let size = cellM;
  while ((widthM / size) * (heightM / size) > MAX_CELLS) size *= 1.5;
  const dx = size / (METRES_PER_DEGREE * kx);
  const dy = size / METRES_PER_DEGREE;
  const nx = Math.max(1, Math.ceil((maxX - minX) / dx));
  const ny = Math.max(1, Math.ceil((maxY - minY) / dy));
  const inside = new Set<number>();
  for (let i = 0; i < nx; i++) {
    for (let j = 0; j < ny; j++) {
      if (pointInGeometry(g, [minX + (i + 0.5) * dx, minY + (j + 0.5) * dy])) inside.add(i * ny + j);
    }
  }
  const hit = new Set<number>();
  const mark = (p: Position) => {
    const i = Math.floor((p[0] - minX) / dx);
    const j = Math.floor((p[1] - minY) / dy);
    for (let a = i - 1; a <= i + 1; a++) {
      for (let b = j - 1; b <= j + 1; b++) {
        if (a >= 0 && b >= 0 && a < nx && b < ny && inside.has(a * ny + b)) hit.add(a * ny + b);
      }
    }
  };
  // sample each leg of the track every half cell, so fast legs between far points still count the way between
  for (let k = 0; k < track.length; k++) {
    mark(track[k]);
    if (k === 0) continue;
    const [x0, y0] = track[k - 1];
    const [x1, y1] = track[k];
    const legM = Math.hypot((x1 - x0) * METRES_PER_DEGREE * kx, (y1 - y0) * METRES_PER_DEGREE);
    const steps = Math.min(2000, Math.floor(legM / (size / 2)));
    for (let s = 1; s < steps; s++) mark([x0 + ((x1 - x0) * s) / steps, y0 + ((y1 - y0) * s) / steps]);
  }
  const boxes = [...hit].sort((a, b) => a - b).map((c): [number, number, number, number] => {
    const i = Math.floor(c / ny); const j = c % ny;
    return [minX + i * dx, minY + j * dy, minX + (i + 1) * dx, minY + (j + 1) * dy];
  });
  return { cellM: Math.round(size), cells: inside.size, covered: hit.size, share: inside.size ? Math.round((hit.size / inside.size) * 1000) / 1000 : null, boxes };
}
