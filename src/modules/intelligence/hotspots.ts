// Hotspots (热点问题): repeated complaints about the same problem in the same area. Recent cases are
// grouped by area and category, then joined when their texts are alike (single linkage); a group of
// at least `minCases` is a hotspot. Its heat grows with the number of cases, how recent they are and
// how many different people reported them (ten calls from one person are one voice).
import { bigramCosine, characterBigrams } from './similarity.ts';

export interface HotspotItem {
  id: number;
  /** The area the hotspot is counted in (community code, or grid). */
  areaCode: string;
  categoryCode: string;
  tokens: readonly string[];
  createdAt: Date;
  /** Who reported it (any stable key: user id, hashed phone); null when unknown. */
  reporterKey: string | null;
}

export interface HotspotSettings {
  /** Texts at least this similar belong to the same problem. */
  minSimilarity: number;
  /** Fewest cases that make a hotspot. */
  minCases: number;
  /** A case's weight halves every `halfLifeDays`. */
  halfLifeDays: number;
}

export const DEFAULT_HOTSPOT_SETTINGS: HotspotSettings = { minSimilarity: 0.35, minCases: 3, halfLifeDays: 7 };

export interface Hotspot {
  areaCode: string;
  categoryCode: string;
  caseIds: number[];
  count: number;
  reporters: number;
  firstAt: Date;
  lastAt: Date;
  heat: number;
  /** The case whose text is most like the others': the hotspot's headline. */
  representativeId: number;
}

/**
 * Pure: heat = Σ recency weights × (1 + ln(distinct reporters)). Recency weight of a case is
 * 0.5^(age / half-life); unknown reporters count as distinct people.
 */
export function heatIndex(createdAts: readonly Date[], distinctReporters: number, now: Date, halfLifeDays: number): number {
  let recency = 0;
  for (const at of createdAts) {
    const ageDays = Math.max(0, (now.getTime() - at.getTime()) / 86_400_000);
    recency += 0.5 ** (ageDays / halfLifeDays);
  }
  return Math.round(recency * (1 + Math.log(Math.max(1, distinctReporters))) * 100) / 100;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item); else out.set(k, [item]);
  }
  return out;
}

/** Pure: hotspots among the items, hottest first. */
export function findHotspots(items: readonly HotspotItem[], now: Date, settings: HotspotSettings = DEFAULT_HOTSPOT_SETTINGS): Hotspot[] {
  const out: Hotspot[] = [];
  for (const group of groupBy(items, (i) => `${i.areaCode}|${i.categoryCode}`).values()) {
    if (group.length < settings.minCases) continue;
    const profiles = group.map((i) => characterBigrams(i.tokens));
    // union–find over the pairs that are alike
    const parent = group.map((_, i) => i);
    const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
    const sim: number[][] = group.map(() => []);
    for (let a = 0; a < group.length; a++) {
      for (let b = a + 1; b < group.length; b++) {
        const s = bigramCosine(profiles[a]!, profiles[b]!);
        sim[a]![b] = s; sim[b]![a] = s;
        if (s >= settings.minSimilarity) parent[find(a)] = find(b);
      }
    }
    for (const members of groupBy(group.map((_, i) => i), (i) => String(find(i))).values()) {
      if (members.length < settings.minCases) continue;
      const cases = members.map((i) => group[i]!);
      const reporters = new Set(cases.map((c) => c.reporterKey ?? `case:${c.id}`)).size;
      const times = cases.map((c) => c.createdAt);
      let representative = members[0]!;
      let best = -1;
      for (const i of members) {
        const total = members.reduce((sum, j) => sum + (i === j ? 0 : sim[i]![j]!), 0);
        if (total > best) { best = total; representative = i; }
      }
      out.push({
        areaCode: cases[0]!.areaCode,
        categoryCode: cases[0]!.categoryCode,
        caseIds: cases.map((c) => c.id).sort((x, y) => x - y),
        count: cases.length,
        reporters,
        firstAt: new Date(Math.min(...times.map((t) => t.getTime()))),
        lastAt: new Date(Math.max(...times.map((t) => t.getTime()))),
        heat: heatIndex(times, reporters, now, settings.halfLifeDays),
        representativeId: group[representative]!.id,
      });
    }
  }
  return out.sort((a, b) => b.heat - a.heat || b.count - a.count || a.areaCode.localeCompare(b.areaCode));
}
