// Hotspot clustering on real citizen messages (../shared/data/messages_votes.csv, read in place and
// never copied): messages are grouped by the district named in them (A1区 …) and by text.
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { segment } from './segment.ts';
import { textSimilarity } from './similarity.ts';
import { findHotspots, type HotspotItem } from './hotspots.ts';

const FILE = new URL('../../../../shared/data/messages_votes.csv', import.meta.url).pathname;

// under CI the data must be there: a missing file fails the test instead of skipping it
describe.skipIf(!existsSync(FILE) && process.env.CI !== 'true')('hotspots on real messages', () => {
  it('finds repeated complaints about one problem, from several people, whose texts are alike', () => {
    expect(existsSync(FILE), `${FILE} is required under CI`).toBe(true);
    const rows = parse(readFileSync(FILE), { columns: true, skip_empty_lines: true, relax_quotes: true }) as Record<string, string>[];
    const items: HotspotItem[] = rows.flatMap((r, i) => {
      const area = /A\d+(区|县|市)/.exec(`${r.title}${r.detail}`)?.[0];
      if (!area) return [];
      return [{ id: i, areaCode: area, categoryCode: 'all', tokens: segment(`${r.title} ${r.detail}`.slice(0, 600)), createdAt: new Date(r.time!.replace(/\//g, '-')), reporterKey: r.user! }];
    });
    const now = new Date(Math.max(...items.map((i) => i.createdAt.getTime())));
    const found = findHotspots(items, now, { minSimilarity: 0.5, minCases: 3, halfLifeDays: 30 });
    expect(found.length).toBeGreaterThan(0);
    const top = found[0]!;
    // a hotspot is several messages, not a single person repeating themselves …
    expect(top.count).toBeGreaterThanOrEqual(3);
    expect(top.reporters).toBeGreaterThanOrEqual(2);
    // … about one problem: every message is close to the headline message
    const byId = new Map(items.map((i) => [i.id, i]));
    const head = byId.get(top.representativeId)!;
    for (const id of top.caseIds) expect(textSimilarity(head.tokens, byId.get(id)!.tokens)).toBeGreaterThan(0.3);
    // and the heat orders them: more, more recent, more people first
    for (let i = 1; i < found.length; i++) expect(found[i - 1]!.heat).toBeGreaterThanOrEqual(found[i]!.heat);
    console.log(`${items.length} messages with a district → ${found.length} hotspots; hottest: ${top.count} messages from ${top.reporters} people, heat ${top.heat}`);
  }, 120_000);
});
