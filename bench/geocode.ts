// Geocoding benchmark: the demo district's region tree plus a standard address library scaled to
// 100,000 addresses (doors, buildings, 小区, landmarks, 村民小组), caller-style queries (the accuracy
// test's set, and door numbers and buildings), one core. Beside it, in the same run, a baseline: the
// obvious implementation, testing every name of every place with String.includes and keeping the
// longest match. Run: npm run bench:geocode [-- addresses] (node bin/run-ts.js bench/geocode.ts 100000)
import os from 'node:os';
import { buildDemoRegions } from '../src/modules/regions/index.ts';
import { Geocoder, normalise, type GeoAddress, type GeoRegion } from '../src/modules/addresses/index.ts';
import { demoAddresses } from '../src/seed/addresses.ts';
import { callerTexts } from '../test/helpers/caller-addresses.ts';

const TARGET = Number(process.argv[2] ?? 100_000);
const ROUNDS = 5;

const regions = buildDemoRegions();
const geoRegions: GeoRegion[] = regions.map((r) => ({ code: r.code, parentCode: r.parentCode, level: r.level, name: r.name, shortName: r.shortName, centroid: r.centroid ?? null }));
// scale the library: more door numbers per grid and buildings per 小区 until it holds TARGET addresses
let doorsPerGrid = 4;
let rows = demoAddresses(regions, { doorsPerGrid, buildingsPerEstate: 12 });
while (rows.length < TARGET) {
  doorsPerGrid = Math.ceil(doorsPerGrid * Math.min(4, (TARGET / rows.length) * 1.05));
  rows = demoAddresses(regions, { doorsPerGrid, buildingsPerEstate: 12 });
}
rows = rows.slice(0, TARGET);
const addresses: GeoAddress[] = rows.map((a, i) => ({ id: i + 1, kind: a.kind, label: a.label, aliases: a.aliases ?? [], regionCode: a.regionCode!, lat: a.lat ?? null, lng: a.lng ?? null }));

let t0 = performance.now();
const geo = new Geocoder(geoRegions, addresses);
const buildMs = performance.now() - t0;

// queries: caller-style texts naming a community or a street, and door numbers / buildings
const set = callerTexts(regions, { perCommunity: 5, perStreet: 10 });
const doors = addresses.filter((a) => a.kind === 'door' || a.kind === 'building');
const queries = [...set.community, ...set.street].map((t) => t.text);
for (let i = 0; i < queries.length / 2; i++) queries.push(`${doors[(i * 7919) % doors.length].label}附近`);

/** The baseline: every name of every place tested with includes(), the longest (then deepest) match wins. */
function baselineIndex() {
  const names: Array<{ name: string; depth: number; code: string }> = [];
  for (const r of geoRegions) for (const n of new Set([r.name, r.shortName])) names.push({ name: normalise(n), depth: r.code.length, code: r.code });
  for (const a of addresses) for (const n of [a.label, ...a.aliases]) names.push({ name: normalise(n), depth: 20, code: a.regionCode });
  return (text: string) => {
    const s = normalise(text);
    let best: { name: string; depth: number; code: string } | null = null;
    for (const n of names) if (s.includes(n.name) && (!best || n.name.length > best.name.length || (n.name.length === best.name.length && n.depth > best.depth))) best = n;
    return best;
  };
}
t0 = performance.now();
const baseline = baselineIndex();
const baselineBuildMs = performance.now() - t0;

function measure(fn: (q: string) => unknown, qs: string[]): { p50: number; p99: number; max: number; perSecond: number } {
  for (const q of qs.slice(0, 200)) fn(q); // warm-up
  const times: number[] = [];
  const start = performance.now();
  for (let round = 0; round < ROUNDS; round++) {
    for (const q of qs) {
      const a = performance.now();
      fn(q);
      times.push(performance.now() - a);
    }
  }
  const total = performance.now() - start;
  times.sort((x, y) => x - y);
  const at = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
  return { p50: at(0.5), p99: at(0.99), max: times[times.length - 1], perSecond: (times.length / total) * 1000 };
}

const ours = measure((q) => geo.search(q, { limit: 5 }), queries);
const baselineQueries = queries.filter((_, i) => i % 10 === 0); // the baseline is slow: every 10th query
const base = measure(baseline, baselineQueries);
const ms = (x: number) => `${x.toFixed(3)} ms`;
console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model}, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}, node ${process.version}`);
console.log(`library: ${addresses.length} standard addresses (${doorsPerGrid} doors per grid), ${geoRegions.length} regions; queries: ${queries.length} × ${ROUNDS} rounds (baseline: ${baselineQueries.length} × ${ROUNDS})`);
console.log(`index build: ${buildMs.toFixed(0)} ms (baseline name list: ${baselineBuildMs.toFixed(0)} ms)`);
console.log('| geocoder | p50 | p99 | max | queries/s (one core) |');
console.log('|---|---:|---:|---:|---:|');
console.log(`| gongzhi (term index, src/modules/addresses/geocoder.ts) | ${ms(ours.p50)} | **${ms(ours.p99)}** | ${ms(ours.max)} | ${Math.round(ours.perSecond).toLocaleString('en')} |`);
console.log(`| baseline (includes() over every name) | ${ms(base.p50)} | ${ms(base.p99)} | ${ms(base.max)} | ${Math.round(base.perSecond).toLocaleString('en')} |`);
console.log(`p99 ratio baseline / ours: ${(base.p99 / ours.p99).toFixed(0)}×`);
// accuracy with the large library (the unit test measures it with the demo's library)
const top = (text: string) => geo.search(text, { limit: 1 })[0]?.regionPath.map((p) => p.code) ?? [];
const share = (xs: typeof set.community, key: 'communityCode' | 'streetCode') => xs.filter((t) => top(t.text).includes(t[key]!)).length / xs.length;
console.log(`accuracy at this size: community ${(share(set.community, 'communityCode') * 100).toFixed(1)} %, its street ${(share(set.community, 'streetCode') * 100).toFixed(1)} %, street only ${(share(set.street, 'streetCode') * 100).toFixed(1)} % (n = ${set.community.length} + ${set.street.length})`);
