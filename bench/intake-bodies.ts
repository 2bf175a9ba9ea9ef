// Request bodies for the intake benchmarks (bench/intake.ts, bench/events.ts).
import { categories } from '../src/seed/categories-data.ts';
import { generateCaseText, mulberry32 } from '../src/seed/case-texts.ts';
import { LocateIndex } from '../src/modules/regions/locate-index.ts';
import type { DemoRegion } from '../src/modules/regions/demo-region-data.ts';

/** Realistic 12345 tickets: hotline leaf categories, points inside random grids, texts from the demo generator. */
export function makeBodies(regions: DemoRegion[], n: number): string[] {
  const rng = mulberry32(20261201);
  const byCode = new Map(regions.map((r) => [r.code, r]));
  const grids = regions.filter((r) => r.level === 'grid' && r.polygon);
  const comprehensive = grids.filter((g) => g.kind === 'comprehensive');
  const index = LocateIndex.build(grids.map((g) => ({ code: g.code, polygon: g.polygon! })));
  const leaves = categories.filter((c) => c.limitHours != null && c.caseTypes.includes('hotline'));
  const pick = <T>(xs: T[]) => xs[Math.floor(rng() * xs.length)];
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const grid = pick(comprehensive);
    const ring = grid.polygon![0];
    const xs = ring.map((p) => p[0]);
    const ys = ring.map((p) => p[1]);
    let [lng, lat] = grid.centroid!;
    for (let t = 0; t < 30; t++) { // a random point of the grid (rejection sampling in its box)
      const x = Math.min(...xs) + rng() * (Math.max(...xs) - Math.min(...xs));
      const y = Math.min(...ys) + rng() * (Math.max(...ys) - Math.min(...ys));
      if (index.locate(x, y) === grid.code) { lng = x; lat = y; break; }
    }
    const community = byCode.get(grid.parentCode!)!;
    const street = byCode.get(community.parentCode!)!;
    const cat = pick(leaves);
    const text = generateCaseText(rng, cat.code, { streetName: street.shortName, communityName: community.shortName });
    out.push(JSON.stringify({
      categoryCode: cat.code, title: text.title, description: text.description, address: text.address,
      lat: Number(lat.toFixed(6)), lng: Number(lng.toFixed(6)), channel: 'hotline',
      urgency: rng() < 0.05 ? 'urgent' : 'normal',
      reporter: { name: text.reporterName, phone: text.reporterPhone },
    }));
  }
  return out;
}
