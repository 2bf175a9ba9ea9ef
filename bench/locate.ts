// Point → grid lookup benchmark: 85,000 irregular grid polygons tiling a province-sized area
// (about 重庆市's extent), random lookups inside it, one core.
// Run: node --import tsx bench/locate.ts [grids] [lookups]
import os from 'node:os';
import { LocateIndex, type LocateItem } from '../src/modules/regions/locate-index.ts';
import { seededRandom } from '../src/modules/regions/geometry.ts';

const GRIDS = Number(process.argv[2] ?? 85_000);
const LOOKUPS = Number(process.argv[3] ?? 2_000_000);
const AREA = { west: 105.3, east: 110.1, south: 28.2, north: 32.2 };

/**
 * A jittered lattice of cols × rows cells. Lattice vertices move by up to ±25 % of a cell (except on
 * the outer border); about half the edges get a bent midpoint shared by both neighbours, so cells
 * are quads, pentagons and hexagons that tile the area exactly.
 */
function generateGrids(count: number): { items: LocateItem[]; cols: number; rows: number } {
  const aspect = ((AREA.east - AREA.west) * Math.cos((30 * Math.PI) / 180)) / (AREA.north - AREA.south);
  // rows × cols = count exactly, as square-ish as the divisors of count allow.
  const ideal = Math.sqrt(count / aspect);
  let rows = 1;
  for (let d = 1; d <= count; d++) if (count % d === 0 && Math.abs(Math.log(d / ideal)) < Math.abs(Math.log(rows / ideal))) rows = d;
  const cols = count / rows;
  const dx = (AREA.east - AREA.west) / cols;
  const dy = (AREA.north - AREA.south) / rows;
  const random = seededRandom('bench-grids');
  const vx = new Float64Array((cols + 1) * (rows + 1));
  const vy = new Float64Array((cols + 1) * (rows + 1));
  for (let j = 0; j <= rows; j++) {
    for (let i = 0; i <= cols; i++) {
      const k = j * (cols + 1) + i;
      const inner = i > 0 && i < cols && j > 0 && j < rows;
      vx[k] = AREA.west + i * dx + (inner ? (random() - 0.5) * 0.5 * dx : 0);
      vy[k] = AREA.south + j * dy + (inner ? (random() - 0.5) * 0.5 * dy : 0);
    }
  }
  const vertex = (i: number, j: number): number[] => [vx[j * (cols + 1) + i], vy[j * (cols + 1) + i]];
  // Bent midpoints: horizontal edge (i,j)-(i+1,j) and vertical edge (i,j)-(i,j+1), inner edges only.
  const hMid = new Map<number, number[]>();
  const vMid = new Map<number, number[]>();
  for (let j = 1; j < rows; j++) {
    for (let i = 0; i < cols; i++) {
      if (random() < 0.5) continue;
      const a = vertex(i, j), b = vertex(i + 1, j);
      hMid.set(j * cols + i, [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2 + (random() - 0.5) * 0.3 * dy]);
    }
  }
  for (let j = 0; j < rows; j++) {
    for (let i = 1; i < cols; i++) {
      if (random() < 0.5) continue;
      const a = vertex(i, j), b = vertex(i, j + 1);
      vMid.set(j * (cols + 1) + i, [(a[0] + b[0]) / 2 + (random() - 0.5) * 0.3 * dx, (a[1] + b[1]) / 2]);
    }
  }
  const items: LocateItem[] = [];
  for (let j = 0; j < rows; j++) {
    for (let i = 0; i < cols; i++) {
      const ring: number[][] = [vertex(i, j)];
      const bottom = hMid.get(j * cols + i);
      if (bottom) ring.push(bottom);
      ring.push(vertex(i + 1, j));
      const right = vMid.get(j * (cols + 1) + i + 1);
      if (right) ring.push(right);
      ring.push(vertex(i + 1, j + 1));
      const top = hMid.get((j + 1) * cols + i);
      if (top) ring.push(top);
      ring.push(vertex(i, j + 1));
      const left = vMid.get(j * (cols + 1) + i);
      if (left) ring.push(left);
      ring.push(ring[0]);
      items.push({ code: `G${String(j).padStart(3, '0')}${String(i).padStart(3, '0')}`, polygon: [ring] });
    }
  }
  return { items, cols, rows };
}

function randomPoints(count: number, seed: string): Float64Array {
  const random = seededRandom(seed);
  const points = new Float64Array(count * 2);
  for (let k = 0; k < count; k++) {
    points[2 * k] = AREA.west + random() * (AREA.east - AREA.west);
    points[2 * k + 1] = AREA.south + random() * (AREA.north - AREA.south);
  }
  return points;
}

/** Wall-clock and CPU seconds (the CPU time excludes waiting for a core on a busy machine). */
function run(index: LocateIndex, points: Float64Array): { seconds: number; cpuSeconds: number; hits: number } {
  let hits = 0;
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  for (let k = 0; k < points.length; k += 2) {
    if (index.locate(points[k], points[k + 1]) !== null) hits++;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  return { seconds, cpuSeconds: (used.user + used.system) / 1e6, hits };
}

const { items, cols, rows } = generateGrids(GRIDS);
const vertices = items.reduce((sum, item) => sum + (item.polygon[0] as number[][]).length - 1, 0);
console.log(`grids: ${items.length} (${cols} × ${rows}), ${(vertices / items.length).toFixed(2)} vertices per grid, area ${AREA.west}–${AREA.east} E × ${AREA.south}–${AREA.north} N`);

const heapBefore = process.memoryUsage().heapUsed;
const buildStarted = process.hrtime.bigint();
const index = LocateIndex.build(items);
const buildMs = Number(process.hrtime.bigint() - buildStarted) / 1e6;
const heapAfter = process.memoryUsage().heapUsed;
console.log(`build: ${buildMs.toFixed(1)} ms (heap +${((heapAfter - heapBefore) / 1e6).toFixed(1)} MB)`);

// Correctness spot check against a brute-force scan (even–odd ray casting over every polygon).
const check = randomPoints(300, 'bench-check');
for (let k = 0; k < check.length; k += 2) {
  const x = check[k], y = check[k + 1];
  const expected = items.filter((item) => {
    let inside = false;
    const ring = item.polygon[0] as number[][];
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      if ((ring[i][1] > y) !== (ring[j][1] > y) && x < ((ring[j][0] - ring[i][0]) * (y - ring[i][1])) / (ring[j][1] - ring[i][1]) + ring[i][0]) inside = !inside;
    }
    return inside;
  });
  const got = index.locate(x, y);
  if (expected.length !== 1 || expected[0].code !== got) throw new Error(`mismatch at ${x},${y}: ${got} vs ${expected.map((e) => e.code)}`);
}
console.log('check: 300 random points agree with a brute-force scan');

run(index, randomPoints(200_000, 'bench-warmup'));
const points = randomPoints(LOOKUPS, 'bench-lookups');
const rounds = [run(index, points), run(index, points), run(index, points)];
const rate = (seconds: number) => Math.round(LOOKUPS / seconds).toLocaleString('en');
for (const [n, r] of rounds.entries()) {
  console.log(`round ${n + 1}: ${LOOKUPS.toLocaleString('en')} lookups in ${(r.seconds * 1000).toFixed(0)} ms = ${rate(r.seconds)} lookups/s wall, ${rate(r.cpuSeconds)} per CPU-second (${r.hits.toLocaleString('en')} hits)`);
}
const best = Math.min(...rounds.map((r) => r.seconds));
console.log(`best: ${rate(best)} lookups/s (${((best / LOOKUPS) * 1e9).toFixed(0)} ns/lookup); build ${buildMs.toFixed(0)} ms; load average ${os.loadavg()[0].toFixed(2)} on ${os.availableParallelism()} cores`);
