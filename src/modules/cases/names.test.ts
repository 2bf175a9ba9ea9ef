// A case type is one definition: no state or action name of a built-in type is written anywhere else in
// the platform or the console. Everything reads the definitions (engine, inboxes, lights, scheduler,
// stats, portal, intelligence, console); a quoted name elsewhere would silently leave other types out.
// Not scanned: the definitions themselves (the engine's types/ and the modules' types/ folders), tests, and the
// demo seed (src/seed/ and the modules' demo.ts), whose scripted history is data.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { builtinCaseTypes } from './types/index.ts';
import { mediationCaseTypes } from '../mediation/index.ts';
import { hazardCaseTypes } from '../risk/index.ts';

const root = join(import.meta.dirname, '../../..');

/** Quoted words that are names of something else, with where and why. Each must still be found. */
const unrelated: Array<[file: string, word: string, why: string]> = [
  ['src/modules/regions/grids/grid-service.ts', 'merge', 'a grid merge, a kind of grid change'],
  ['src/modules/registry/dictionaries.ts', 'file', 'a dictionary entry loaded from its data file'],
  ['src/modules/cases/catalog.ts', 'file', 'a category loaded from the catalogue\'s data file'],
  ['src/modules/registry/routes.ts', 'file', 'the multipart field name of an import'],
  ['src/platform/http/uploads.ts', 'file', 'the multipart field name of an upload'],
  ['src/platform/events/routes.ts', 'close', 'the socket\'s close event'],
  ['web/src/api/client.ts', 'file', 'the multipart field name of an upload'],
  ['web/src/components/PhotoUpload.tsx', 'file', 'an <input type="file">'],
  ['web/src/pages/grids/Grids.tsx', 'file', 'an <input type="file">'],
  ['web/src/pages/grids/Layers.tsx', 'file', 'an <input type="file">'],
  ['web/src/pages/registry/Imports.tsx', 'file', 'an <input type="file"> and the multipart field'],
  ['web/src/pages/registry/Imports.tsx', 'rejected', 'the import report\'s count of rejected rows'],
  ['web/src/pages/Dashboard.tsx', 'closed', 'the closures column of the per-unit indicators'],
  ['src/modules/mediation/stats.ts', 'closed', 'a statistics column: disputes closed in the period'],
  ['src/modules/mediation/stats.ts', 'accepted', 'a statistics column: petitions accepted in the period'],
  ['src/modules/participation/contracts.ts', 'closed', 'a vote\'s status (voting has ended)'],
  ['src/modules/participation/contracts.ts', 'merge', 'a moderation action on a wish (merged into another)'],
  ['src/modules/participation/contracts.ts', 'rejected', 'a points appeal\'s outcome'],
  ['src/modules/participation/points.ts', 'rejected', 'a points appeal\'s outcome'],
  ['src/modules/participation/procedures.ts', 'rejected', 'a 四议两公开 procedure voted down at a step'],
  ['src/modules/participation/surveys.ts', 'closed', 'a survey\'s status (answering has ended)'],
  ['src/modules/participation/votes.ts', 'closed', 'a vote\'s status (voting has ended)'],
  ['src/modules/participation/wishes.ts', 'merge', 'a moderation action on a wish (merged into another)'],
  ['src/modules/participation/moderation.ts', 'merge', 'a moderation action on a wish or topic (merged into another)'],
  ['src/modules/participation/topics.ts', 'merge', 'a moderation action on a topic (merged into another)'],
  ['web/src/pages/participation/Manage.tsx', 'merge', 'a moderation action on a wish (merged into another)'],
  ['web/src/pages/participation/Topics.tsx', 'merge', 'a moderation action on a topic (merged into another)'],
  ['web/src/pages/participation/Trail.tsx', 'merge', 'a moderation step in the trail (merged into another)'],
  ['web/src/pages/participation/Points.tsx', 'rejected', 'a points appeal\'s outcome'],
  ['src/modules/regions/grids/carry.ts', 'merge', 'a grid merge, a kind of grid change'],
  ['src/modules/regions/grids/patrol-service.ts', 'merge', 'a grid merge, the change that retired a grid'],
  ['web/src/pages/grids/Grids.tsx', 'merge', 'a grid merge, the change that retired a grid'],
  ['src/modules/registry/persons.ts', 'resume', 'a special-population label taken up again'],
  ['web/src/pages/participation/Manage.tsx', 'closed', 'a vote\'s status (voting has ended)'],
  ['web/src/pages/participation/Resident.tsx', 'file', 'the multipart field name of an upload'],
];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

describe('state and action names live only in the case-type definitions', () => {
  const names = new Set([...builtinCaseTypes, ...mediationCaseTypes, ...hazardCaseTypes].flatMap((d) => [...Object.keys(d.states), ...d.actions.map((a) => a.name)]));
  const scanned = [...files(join(root, 'src')), ...files(join(root, 'web/src'))]
    .map((f) => relative(root, f))
    .filter((f) => /\.(ts|tsx)$/.test(f) && !/\.test\.ts$/.test(f) && !f.startsWith('src/modules/cases/types/') && !f.startsWith('src/modules/mediation/types/') && !f.startsWith('src/modules/risk/types/') && !f.startsWith('src/seed/') && !/^src\/modules\/[a-z]+\/demo\.ts$/.test(f));

  const found: Array<[string, string, number]> = [];
  for (const f of scanned) {
    const text = readFileSync(join(root, f), 'utf8');
    for (const m of text.matchAll(/(['"`])([a-z_]+)\1/g)) {
      if (names.has(m[2])) found.push([f, m[2], text.slice(0, m.index).split('\n').length]);
    }
    // and states in list filters written into a URL (state=reported)
    for (const m of text.matchAll(/\bstate=([a-z_,]+)/g)) {
      for (const n of m[1].split(',')) if (names.has(n)) found.push([f, n, text.slice(0, m.index).split('\n').length]);
    }
  }

  it('scans the platform and the console', () => {
    expect(scanned.length).toBeGreaterThan(150);
    expect(names.size).toBeGreaterThan(30);
  });

  it('finds no quoted state or action name outside the definitions', () => {
    const unexpected = found.filter(([f, w]) => !unrelated.some(([uf, uw]) => uf === f && uw === w));
    expect(unexpected.map(([f, w, line]) => `${f}:${line} '${w}'`)).toEqual([]);
  });

  it('keeps no stale exception', () => {
    const stale = unrelated.filter(([uf, uw]) => !found.some(([f, w]) => f === uf && w === uw));
    expect(stale).toEqual([]);
  });
});
