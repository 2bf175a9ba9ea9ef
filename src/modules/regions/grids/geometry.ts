// Planar geometry for grid polygons in WGS-84/CGCS2000 [lng, lat]: GeoJSON validation, point tests,
// areas and distances in metres (local equirectangular scale, fine at grid size), an interior label
// point, and the union of tiles that share edges (to merge grids). No clipping library is installed;
// these are the few operations grid management needs, each cheap enough to run per request.
import { ringCentroid, segmentDistance, signedRingArea } from '../geometry.ts';

export type Position = [number, number];
/** A closed ring: the first position repeated at the end. */
export type Ring = Position[];
export interface PolygonGeometry { type: 'Polygon'; coordinates: Ring[] }
export interface MultiPolygonGeometry { type: 'MultiPolygon'; coordinates: Ring[][] }
export type AreaGeometry = PolygonGeometry | MultiPolygonGeometry;

export interface GeometryProblem { path: string; reason: string; message: string }
export type Validated = { ok: true; geometry: AreaGeometry } | { ok: false; problems: GeometryProblem[] };

/** Metres per degree of latitude (mean Earth radius 6,371.0088 km). */
export const METRES_PER_DEGREE = 111_195.08;
const MAX_PROBLEMS = 5;

/**
 * Most positions in one geometry. A surveyed grid outline has hundreds; 10,000 leaves room for
 * detailed boundaries while keeping the worst-case checks (validation's sweep, overlaps with the
 * neighbours) to a bounded time in the geometry worker (bench/geometry-loop.ts).
 */
export const MAX_POSITIONS = 10_000;

export interface ValidateOptions {
  /** Most positions in the whole geometry (default MAX_POSITIONS). */
  maxPositions?: number;
  /** Largest width or height in degrees (default 1°, about 100 km: no grid is larger). */
  maxSpanDegrees?: number;
}

/** The polygons of a geometry (a Polygon is one polygon). */
export function polygonsOf(g: AreaGeometry): Ring[][] {
  return g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
}

// ---------------------------------------------------------------------------------------------
// Validation

/**
 * Checks a GeoJSON Polygon or MultiPolygon: positions are [lng, lat] (an altitude is dropped) of
 * finite numbers in range; every ring is closed with at least 4 positions and has an area; no ring
 * crosses itself or another ring, no edge runs back over the previous one; holes lie inside their
 * exterior; parts of a MultiPolygon do not overlap. Consecutive repeated positions are removed.
 * Either orientation is accepted (RFC 7946 §3.1.6 asks parsers not to reject the other one).
 */
export function validateAreaGeometry(input: unknown, path = 'geometry', opts: ValidateOptions = {}): Validated {
  const maxPositions = opts.maxPositions ?? MAX_POSITIONS;
  const maxSpan = opts.maxSpanDegrees ?? 1;
  const problems: GeometryProblem[] = [];
  const fail = (p: string, reason: string, message: string): Validated => {
    problems.push({ path: p, reason, message });
    return { ok: false, problems };
  };
  if (!isObject(input)) return fail(path, 'not_a_geometry', 'geometry must be a GeoJSON Polygon or MultiPolygon object');
  const type = input.type;
  if (type !== 'Polygon' && type !== 'MultiPolygon') {
    return fail(`${path}.type`, 'unsupported_geometry_type', `geometry type must be Polygon or MultiPolygon, not ${describe(type)}`);
  }
  const raw = input.coordinates;
  const rawPolygons: unknown[] = type === 'Polygon' ? [raw] : Array.isArray(raw) ? raw : [];
  if (!Array.isArray(raw) || raw.length === 0) return fail(`${path}.coordinates`, 'bad_coordinates', 'coordinates must be a non-empty array');

  let positions = 0;
  const polygons: Ring[][] = [];
  for (let p = 0; p < rawPolygons.length; p++) {
    const polyPath = type === 'Polygon' ? `${path}.coordinates` : `${path}.coordinates.${p}`;
    const rawRings = rawPolygons[p];
    if (!Array.isArray(rawRings) || rawRings.length === 0) return fail(polyPath, 'bad_coordinates', 'a polygon must be a non-empty array of rings');
    const rings: Ring[] = [];
    for (let r = 0; r < rawRings.length; r++) {
      const ringPath = `${polyPath}.${r}`;
      const rawRing = rawRings[r];
      if (!Array.isArray(rawRing)) return fail(ringPath, 'bad_coordinates', 'a ring must be an array of positions');
      positions += rawRing.length;
      if (positions > maxPositions) return fail(ringPath, 'too_many_positions', `at most ${maxPositions} positions per geometry`);
      const ring: Ring = [];
      for (let i = 0; i < rawRing.length; i++) {
        const pos = rawRing[i];
        if (!Array.isArray(pos) || pos.length < 2 || pos.length > 3 || !pos.every((v) => typeof v === 'number' && Number.isFinite(v))) {
          return fail(`${ringPath}.${i}`, 'bad_coordinates', 'a position must be [lng, lat] (or [lng, lat, altitude]) of finite numbers');
        }
        const [lng, lat] = pos as number[];
        if (lng < -180 || lng > 180 || lat < -90 || lat > 90) {
          return fail(`${ringPath}.${i}`, 'coordinate_out_of_range', `position [${lng}, ${lat}] is out of range: longitude −180…180, latitude −90…90 (order is [lng, lat])`);
        }
        const prev = ring[ring.length - 1];
        if (!prev || prev[0] !== lng || prev[1] !== lat) ring.push([lng, lat]);
      }
      const first = rawRing[0] as number[] | undefined;
      const last = rawRing[rawRing.length - 1] as number[] | undefined;
      if (rawRing.length < 4) return fail(ringPath, 'too_few_positions', 'a ring needs at least 4 positions (3 corners and the first one repeated)');
      if (!first || !last || first[0] !== last[0] || first[1] !== last[1]) {
        return fail(ringPath, 'ring_not_closed', 'a ring must be closed: its last position must repeat the first');
      }
      if (ring.length < 4) return fail(ringPath, 'too_few_positions', 'a ring needs at least 3 distinct corners');
      rings.push(ring);
    }
    polygons.push(rings);
  }

  const [minX, minY, maxX, maxY] = bboxOfPolygons(polygons);
  if (maxX - minX > maxSpan || maxY - minY > maxSpan) {
    return fail(`${path}.coordinates`, 'too_large', `the geometry spans more than ${maxSpan}° (check the coordinate order and reference system)`);
  }

  const crossing = findRingIntersection(polygons);
  if (crossing) {
    return fail(`${path}.coordinates`, 'self_intersection',
      `${crossing.what} near [${crossing.at[0].toFixed(6)}, ${crossing.at[1].toFixed(6)}]`);
  }
  for (let p = 0; p < polygons.length; p++) {
    for (let r = 0; r < polygons[p].length; r++) {
      if (!(Math.abs(signedRingArea(polygons[p][r])) > 1e-14)) {
        return fail(`${path}.coordinates${type === 'Polygon' ? '' : `.${p}`}.${r}`, 'no_area', 'the ring has no area (its corners lie on a line)');
      }
    }
  }
  polygons.forEach((rings, p) => {
    for (let r = 1; r < rings.length && problems.length < MAX_PROBLEMS; r++) {
      if (!pointInRing(rings[0], edgeMidpoint(rings[r]))) {
        problems.push({ path: `${path}.coordinates${type === 'Polygon' ? '' : `.${p}`}.${r}`, reason: 'hole_outside', message: 'a hole lies outside its exterior ring' });
      }
    }
    for (let q = 0; q < polygons.length && problems.length < MAX_PROBLEMS; q++) {
      if (q !== p && pointInPolygon(polygons[q], edgeMidpoint(rings[0]))) {
        problems.push({ path: `${path}.coordinates.${p}`, reason: 'parts_overlap', message: `part ${p} lies inside part ${q}` });
      }
    }
  });
  if (problems.length) return { ok: false, problems };
  const geometry: AreaGeometry = type === 'Polygon'
    ? { type, coordinates: polygons[0] }
    : { type, coordinates: polygons };
  return { ok: true, geometry };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v.slice(0, 40)) : v === undefined ? 'missing' : typeof v;
}

function edgeMidpoint(ring: Ring): Position {
  return [(ring[0][0] + ring[1][0]) / 2, (ring[0][1] + ring[1][1]) / 2];
}

interface Segment { ax: number; ay: number; bx: number; by: number; ring: number; idx: number; edges: number; minX: number; maxX: number; minY: number; maxY: number }

const orient = (ax: number, ay: number, bx: number, by: number, cx: number, cy: number) => (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
const within = (v: number, a: number, b: number) => v >= Math.min(a, b) && v <= Math.max(a, b);

/**
 * The first place where rings cross or touch where they must not: a ring touching itself anywhere
 * but at the shared corner of consecutive edges, an edge doubling back over the previous one, two
 * rings crossing or running along each other. Rings of different polygons of a MultiPolygon are
 * treated like holes: touching at a point is allowed. A sweep over edges sorted by west end.
 */
export function findRingIntersection(polygons: ReadonlyArray<ReadonlyArray<Ring>>): { what: string; at: Position } | null {
  const segs: Segment[] = [];
  let ringId = 0;
  for (const rings of polygons) {
    for (const ring of rings) {
      const edges = ring.length - 1;
      for (let i = 0; i < edges; i++) {
        const [ax, ay] = ring[i];
        const [bx, by] = ring[i + 1];
        segs.push({ ax, ay, bx, by, ring: ringId, idx: i, edges, minX: Math.min(ax, bx), maxX: Math.max(ax, bx), minY: Math.min(ay, by), maxY: Math.max(ay, by) });
      }
      ringId++;
    }
  }
  segs.sort((s, t) => s.minX - t.minX);
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i];
    for (let j = i + 1; j < segs.length && segs[j].minX <= s.maxX; j++) {
      const t = segs[j];
      if (t.minY > s.maxY || t.maxY < s.minY) continue;
      const hit = segmentRelation(s, t);
      if (hit) return hit;
    }
  }
  return null;
}

function segmentRelation(s: Segment, t: Segment): { what: string; at: Position } | null {
  const sameRing = s.ring === t.ring;
  const gap = Math.abs(s.idx - t.idx);
  const adjacent = sameRing && (gap === 1 || gap === s.edges - 1);
  const d1 = orient(t.ax, t.ay, t.bx, t.by, s.ax, s.ay);
  const d2 = orient(t.ax, t.ay, t.bx, t.by, s.bx, s.by);
  const d3 = orient(s.ax, s.ay, s.bx, s.by, t.ax, t.ay);
  const d4 = orient(s.ax, s.ay, s.bx, s.by, t.bx, t.by);
  if (adjacent) {
    // Consecutive edges share a corner; they are wrong only when the second doubles back along the first.
    if (d1 === 0 && d2 === 0 && (s.bx - s.ax) * (t.bx - t.ax) + (s.by - s.ay) * (t.by - t.ay) < 0) {
      return { what: 'an edge runs back over the previous edge', at: [s.ax, s.ay] };
    }
    return null;
  }
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) {
    const k = d1 / (d1 - d2);
    return { what: sameRing ? 'the ring crosses itself' : 'two rings cross', at: [s.ax + (s.bx - s.ax) * k, s.ay + (s.by - s.ay) * k] };
  }
  if (d1 === 0 && d2 === 0) {
    // Collinear: a shared stretch of positive length is an overlap; a shared end point is a touch.
    const horizontal = s.maxX - s.minX >= s.maxY - s.minY;
    const lo = horizontal ? Math.max(s.minX, t.minX) : Math.max(s.minY, t.minY);
    const hi = horizontal ? Math.min(s.maxX, t.maxX) : Math.min(s.maxY, t.maxY);
    if (hi > lo) return { what: sameRing ? 'the ring runs along itself' : 'two rings run along each other', at: [s.ax, s.ay] };
    if (hi === lo && sameRing) return { what: 'the ring touches itself', at: [s.ax, s.ay] };
    return null;
  }
  if (!sameRing) return null;
  if (d1 === 0 && within(s.ax, t.ax, t.bx) && within(s.ay, t.ay, t.by)) return { what: 'the ring touches itself', at: [s.ax, s.ay] };
  if (d2 === 0 && within(s.bx, t.ax, t.bx) && within(s.by, t.ay, t.by)) return { what: 'the ring touches itself', at: [s.bx, s.by] };
  if (d3 === 0 && within(t.ax, s.ax, s.bx) && within(t.ay, s.ay, s.by)) return { what: 'the ring touches itself', at: [t.ax, t.ay] };
  if (d4 === 0 && within(t.bx, s.ax, s.bx) && within(t.by, s.ay, s.by)) return { what: 'the ring touches itself', at: [t.bx, t.by] };
  return null;
}

// ---------------------------------------------------------------------------------------------
// Measures and point tests

export function bboxOfPolygons(polygons: ReadonlyArray<ReadonlyArray<Ring>>): [number, number, number, number] {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const rings of polygons) {
    for (const [x, y] of rings[0] ?? []) {
      if (x < minX) minX = x;
      if (y < minY) minY = y;
      if (x > maxX) maxX = x;
      if (y > maxY) maxY = y;
    }
  }
  return [minX, minY, maxX, maxY];
}

export function bboxOf(g: AreaGeometry): [number, number, number, number] {
  return bboxOfPolygons(polygonsOf(g));
}

/** Even–odd ray casting over one ring (open or closed). */
export function pointInRing(ring: ReadonlyArray<Position>, p: Position): boolean {
  const [x, y] = p;
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Inside the exterior and outside every hole. */
export function pointInPolygon(rings: ReadonlyArray<Ring>, p: Position): boolean {
  if (!pointInRing(rings[0], p)) return false;
  for (let r = 1; r < rings.length; r++) if (pointInRing(rings[r], p)) return false;
  return true;
}

export function pointInGeometry(g: AreaGeometry, p: Position): boolean {
  return polygonsOf(g).some((rings) => pointInPolygon(rings, p));
}

/** Metres from p to the nearest edge of g (0 on the boundary). */
export function distanceToBoundaryM(g: AreaGeometry, p: Position): number {
  const kx = Math.cos((p[1] * Math.PI) / 180);
  let best = Infinity;
  for (const rings of polygonsOf(g)) {
    for (const ring of rings) {
      for (let i = 0; i + 1 < ring.length; i++) best = Math.min(best, segmentDistance(p, ring[i], ring[i + 1], kx));
    }
  }
  return best * METRES_PER_DEGREE;
}

/** Inside g, or within toleranceM metres of its boundary. */
export function pointNear(g: AreaGeometry, p: Position, toleranceM: number): boolean {
  return pointInGeometry(g, p) || distanceToBoundaryM(g, p) <= toleranceM;
}

/** Area in square metres (shoelace in degrees, scaled at the geometry's mean latitude). */
export function areaM2(g: AreaGeometry): number {
  let total = 0;
  for (const rings of polygonsOf(g)) {
    let a = 0;
    rings.forEach((ring, i) => { a += (i === 0 ? 1 : -1) * Math.abs(signedRingArea(ring.slice(0, -1))); });
    const [, minY, , maxY] = bboxOfPolygons([rings]);
    const lat = (minY + maxY) / 2;
    total += a * METRES_PER_DEGREE * METRES_PER_DEGREE * Math.cos((lat * Math.PI) / 180);
  }
  return total;
}

/** Great-circle distance in metres. */
export function haversineM(a: Position, b: Position): number {
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLng = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * A point inside the geometry, for labels, lookups and mappings: the area centroid of its largest
 * polygon when that lies inside, otherwise the middle of the widest inside stretch of the horizontal
 * line through the centroid (concave or holed shapes).
 */
export function labelPoint(g: AreaGeometry): Position {
  const polygons = polygonsOf(g);
  let largest = polygons[0];
  let largestArea = -Infinity;
  for (const rings of polygons) {
    const a = Math.abs(signedRingArea(rings[0].slice(0, -1)));
    if (a > largestArea) { largest = rings; largestArea = a; }
  }
  const c = ringCentroid(largest[0].slice(0, -1)) as Position;
  if (pointInPolygon(largest, c)) return c;
  const y = c[1];
  const xs: number[] = [];
  for (const ring of largest) {
    for (let i = 0; i + 1 < ring.length; i++) {
      const [x1, y1] = ring[i];
      const [x2, y2] = ring[i + 1];
      if ((y1 > y) !== (y2 > y)) xs.push(x1 + ((y - y1) * (x2 - x1)) / (y2 - y1));
    }
  }
  xs.sort((a, b) => a - b);
  let best: Position = largest[0][0];
  let width = -1;
  for (let i = 0; i + 1 < xs.length; i += 2) {
    if (xs[i + 1] - xs[i] > width) { width = xs[i + 1] - xs[i]; best = [(xs[i] + xs[i + 1]) / 2, y]; }
  }
  return best;
}

/** True when an edge of a properly crosses an edge of b (shared or collinear edges do not count). */
export function edgesCross(a: AreaGeometry, b: AreaGeometry): boolean {
  const [aMinX, aMinY, aMaxX, aMaxY] = bboxOf(a);
  const [bMinX, bMinY, bMaxX, bMaxY] = bboxOf(b);
  if (aMinX > bMaxX || bMinX > aMaxX || aMinY > bMaxY || bMinY > aMaxY) return false;
  const edges = (g: AreaGeometry) => polygonsOf(g).flatMap((rings) => rings.flatMap((ring) => ring.slice(0, -1).map((p, i) => [p, ring[i + 1]] as const)));
  const eb = edges(b);
  for (const [p, q] of edges(a)) {
    for (const [r, s] of eb) {
      const d1 = orient(r[0], r[1], s[0], s[1], p[0], p[1]);
      const d2 = orient(r[0], r[1], s[0], s[1], q[0], q[1]);
      const d3 = orient(p[0], p[1], q[0], q[1], r[0], r[1]);
      const d4 = orient(p[0], p[1], q[0], q[1], s[0], s[1]);
      // A tolerance relative to the edge lengths keeps shared cut lines (equal up to rounding) from counting.
      const eps = 1e-9 * (Math.abs(q[0] - p[0]) + Math.abs(q[1] - p[1])) * (Math.abs(s[0] - r[0]) + Math.abs(s[1] - r[1]));
      if (((d1 > eps && d2 < -eps) || (d1 < -eps && d2 > eps)) && ((d3 > eps && d4 < -eps) || (d3 < -eps && d4 > eps))) return true;
    }
  }
  return false;
}

/** Two area geometries overlap in their interiors (approximately: crossing edges or a label point inside the other). */
export function overlaps(a: AreaGeometry, b: AreaGeometry): boolean {
  return edgesCross(a, b) || pointInGeometry(b, labelPoint(a)) || pointInGeometry(a, labelPoint(b));
}

// ---------------------------------------------------------------------------------------------
// Union of tiles

const SNAP = 1e9; // positions equal to 1e-9° (0.1 mm) are the same corner

/**
 * The union of polygons that tile a region without overlapping, sharing their common boundaries
 * (grids of one community): edges are split where a corner of another polygon lies on them
 * (T-junctions), every edge that two polygons share in opposite directions cancels, and the rest is
 * chained into rings. Returns null when the polygons are not one connected piece, overlap, have
 * holes, or touch only at corners; the caller then asks for the merged geometry explicitly.
 */
export function unionOfTiles(geometries: ReadonlyArray<AreaGeometry>): PolygonGeometry | null {
  const rings: Position[][] = [];
  let expectedArea = 0;
  for (const g of geometries) {
    for (const poly of polygonsOf(g)) {
      if (poly.length !== 1) return null;
      const open = poly[0].slice(0, -1);
      const area = signedRingArea(open);
      rings.push(area < 0 ? open.reverse() : open); // counter-clockwise
      expectedArea += Math.abs(area);
    }
  }
  if (rings.length === 0) return null;
  const key = (p: Position) => `${Math.round(p[0] * SNAP)},${Math.round(p[1] * SNAP)}`;
  const corners = rings.flat();

  // Directed edges after splitting at T-junctions; count[a→b] − count[b→a] survives.
  const edges = new Map<string, { from: Position; to: Position; n: number }>();
  const addEdge = (a: Position, b: Position) => {
    const ka = key(a), kb = key(b);
    if (ka === kb) return;
    const reverse = edges.get(`${kb}>${ka}`);
    if (reverse) {
      if (--reverse.n === 0) edges.delete(`${kb}>${ka}`);
      return;
    }
    const e = edges.get(`${ka}>${kb}`);
    if (e) e.n++;
    else edges.set(`${ka}>${kb}`, { from: a, to: b, n: 1 });
  };
  for (const ring of rings) {
    for (let i = 0; i < ring.length; i++) {
      const a = ring[i];
      const b = ring[(i + 1) % ring.length];
      const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
      const onEdge: Array<{ t: number; p: Position }> = [];
      for (const c of corners) {
        if (c[0] < Math.min(a[0], b[0]) - 1e-9 || c[0] > Math.max(a[0], b[0]) + 1e-9) continue;
        if (c[1] < Math.min(a[1], b[1]) - 1e-9 || c[1] > Math.max(a[1], b[1]) + 1e-9) continue;
        const t = ((c[0] - a[0]) * (b[0] - a[0]) + (c[1] - a[1]) * (b[1] - a[1])) / (len * len);
        if (t <= 1e-9 || t >= 1 - 1e-9) continue;
        const off = Math.abs(orient(a[0], a[1], b[0], b[1], c[0], c[1])) / len;
        if (off <= 1e-9) onEdge.push({ t, p: c });
      }
      onEdge.sort((u, v) => u.t - v.t);
      let from = a;
      for (const { p } of onEdge) { addEdge(from, p); from = p; }
      addEdge(from, b);
    }
  }

  // Chain the boundary edges into rings; a corner with two ways out means the pieces only touch.
  const out = new Map<string, Array<{ from: Position; to: Position }>>();
  for (const e of edges.values()) {
    if (e.n !== 1) return null;
    const k = key(e.from);
    const list = out.get(k) ?? [];
    list.push(e);
    out.set(k, list);
  }
  for (const list of out.values()) if (list.length !== 1) return null;
  const used = new Set<string>();
  const result: Position[][] = [];
  for (const [start] of out) {
    if (used.has(start)) continue;
    const ring: Position[] = [];
    let k = start;
    while (!used.has(k)) {
      used.add(k);
      const e = out.get(k)![0];
      ring.push(e.from);
      k = key(e.to);
      if (!out.has(k)) return null;
    }
    if (k !== start) return null;
    result.push(dropCollinear(ring));
  }
  const outers = result.filter((r) => signedRingArea(r) > 0);
  if (outers.length !== 1) return null; // disconnected pieces
  const holes = result.filter((r) => signedRingArea(r) < 0);
  const area = signedRingArea(outers[0]) + holes.reduce((s, h) => s + signedRingArea(h), 0);
  if (Math.abs(area - expectedArea) > 1e-6 * expectedArea) return null; // the inputs overlapped
  const close = (r: Position[]): Ring => [...r, [r[0][0], r[0][1]]];
  return { type: 'Polygon', coordinates: [close(outers[0]), ...holes.map(close)] };
}

/** Removes corners that lie on the straight line between their neighbours (left over from shared edges). */
function dropCollinear(ring: Position[]): Position[] {
  let pts = ring;
  for (let changed = true; changed && pts.length > 3;) {
    changed = false;
    for (let i = 0; i < pts.length && pts.length > 3; i++) {
      const a = pts[(i + pts.length - 1) % pts.length];
      const b = pts[i];
      const c = pts[(i + 1) % pts.length];
      const len = Math.hypot(c[0] - a[0], c[1] - a[1]);
      const dot = (b[0] - a[0]) * (c[0] - a[0]) + (b[1] - a[1]) * (c[1] - a[1]);
      if (len > 0 && Math.abs(orient(a[0], a[1], c[0], c[1], b[0], b[1])) / len <= 1e-10 && dot > 0 && dot < len * len) {
        pts = pts.filter((_, j) => j !== i);
        changed = true;
        break;
      }
    }
  }
  return pts;
}
