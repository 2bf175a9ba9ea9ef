// The geometry checks whose cost grows with the product of two polygons' sizes (validation's edge
// sweep, overlaps, "lies within", the union of tiles): plain functions over plain data, run in the
// geometry worker thread (geometry-worker.ts) so that no polygon holds up the event loop.
import { threadId } from 'node:worker_threads';
import {
  overlaps, pointNear, polygonsOf, unionOfTiles, validateAreaGeometry,
  type AreaGeometry, type PolygonGeometry, type Position, type Validated, type ValidateOptions,
} from './geometry.ts';

export interface ValidateJob { input: unknown; path: string; opts?: ValidateOptions }

export function validateMany(jobs: ValidateJob[]): Validated[] {
  return jobs.map((j) => validateAreaGeometry(j.input, j.path, j.opts));
}

/** The codes of the others whose interior overlaps g. */
export function overlapping(g: AreaGeometry, others: Array<{ code: string; geometry: AreaGeometry }>): string[] {
  return others.filter((o) => overlaps(g, o.geometry)).map((o) => o.code);
}

const positionsOf = (g: AreaGeometry): Position[] => polygonsOf(g).flatMap((rings) => rings.flat());

/** Every position of g lies within toleranceM of one of the targets. */
export function liesOn(g: AreaGeometry, targets: AreaGeometry[], toleranceM: number): boolean {
  return positionsOf(g).every((pos) => targets.some((t) => pointNear(t, pos, toleranceM)));
}

export type SplitProblem = { reason: 'part_outside_grid'; index: number } | { reason: 'parts_overlap'; indexes: [number, number] } | null;

/** The first reason the parts cannot split the grid: a part reaching outside it, or two parts overlapping. */
export function splitProblem(grid: AreaGeometry, parts: AreaGeometry[], toleranceM: number): SplitProblem {
  for (let i = 0; i < parts.length; i++) {
    if (!liesOn(parts[i], [grid], toleranceM)) return { reason: 'part_outside_grid', index: i };
    for (let j = 0; j < i; j++) if (overlaps(parts[i], parts[j])) return { reason: 'parts_overlap', indexes: [j, i] };
  }
  return null;
}

export function union(geometries: AreaGeometry[]): PolygonGeometry | null {
  return unionOfTiles(geometries);
}

/** Which thread runs the checks (0 is the main thread): lets a test see that the worker does. */
export function thread(): number {
  return threadId;
}

export const geometryOps = { validateMany, overlapping, liesOn, splitProblem, union, thread };
export type GeometryOps = typeof geometryOps;
