// The category data file: what readCatalog accepts and refuses. Loading it into a database (upgrades
// that keep administrators' edits) is tested in test/api/deploy-huishan.test.ts.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogFilePath, readCatalog } from './catalog.ts';

const original = JSON.parse(readFileSync(catalogFilePath, 'utf8'));

function withFile(change: (d: any) => void): () => unknown {
  const d = structuredClone(original);
  change(d);
  const dir = mkdtempSync(join(tmpdir(), 'gz-catalog-'));
  const file = join(dir, 'categories.json');
  writeFileSync(file, JSON.stringify(d));
  return () => { try { return readCatalog(file); } finally { rmSync(dir, { recursive: true, force: true }); } };
}

describe('the category data file', () => {
  it('holds the GB/T 30428.2 部件 and 事件 trees and the 12345 categories, with limits and hints on every leaf', () => {
    const c = readCatalog();
    expect(c.version).toBeGreaterThanOrEqual(1);
    expect(c.categories.filter((x) => x.parentCode === null).map((x) => x.nameZh).slice(0, 2)).toEqual(['管理部件', '管理事件']);
    const leaves = c.categories.filter((x) => x.limitHours != null);
    expect(leaves.length).toBeGreaterThan(100);
    for (const l of leaves) expect(c.units[l.defaultUnit], l.code).toBeDefined();
    // a group takes its case types from its leaves
    expect(c.categories.find((x) => x.code === '01')!.caseTypes).toEqual(['urban']);
    const below02 = new Set(leaves.filter((l) => l.code.startsWith('02')).flatMap((l) => l.caseTypes));
    expect(new Set(c.categories.find((x) => x.code === '02')!.caseTypes)).toEqual(below02);
  });

  it('refuses a file a loader could not trust, saying where', () => {
    expect(withFile((d) => { delete d.categories[2].limitHours; })).toThrow(/leaf 010101 needs types, limitHours and unit/);
    expect(withFile((d) => { d.categories[2].unit = 'nobody'; })).toThrow(/"nobody" is not one of units/);
    expect(withFile((d) => { d.categories.splice(1, 1); })).toThrow(/010101 comes before its parent 0101/);
    expect(withFile((d) => { d.categories.push(d.categories[2]); })).toThrow(/010101 appears twice/);
    expect(withFile((d) => { d.version = 0; })).toThrow(/version/);
    expect(withFile((d) => { d.categories[0].limitHours = 3; })).toThrow(/group 01 takes/);
  });
});
