import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { definePolicy, type Policy } from './policy.ts';
import { AppError } from './errors.ts';
import type { Actor } from './auth/actor.ts';
import { accountPolicy } from './auth/totp.ts';
// the policies app.ts registers (a test may reach past the modules' index.ts; the case policy is built there from the case types)
import { casePolicy } from '../modules/cases/policy.ts';
import { CaseTypeRegistry } from '../modules/cases/registry.ts';
import { gridPolicy } from '../modules/regions/index.ts';
import { adminPolicy } from '../modules/admin/index.ts';
import { registryPolicy } from '../modules/registry/index.ts';
import { intelligencePolicy } from '../modules/intelligence/index.ts';
import { mediationPolicy } from '../modules/mediation/index.ts';
import { fieldworkPolicy } from '../modules/fieldwork/index.ts';
import { addressPolicy } from '../modules/addresses/index.ts';
import { knowledgePolicy } from '../modules/knowledge/index.ts';
import { riskPolicy } from '../modules/risk/index.ts';
import { participationPolicy } from '../modules/participation/index.ts';

const policies: Policy[] = [accountPolicy, casePolicy(new CaseTypeRegistry()), registryPolicy, gridPolicy, adminPolicy, intelligencePolicy,
  mediationPolicy, riskPolicy, fieldworkPolicy, addressPolicy, knowledgePolicy, participationPolicy];
const abilities = policies.flatMap((p) => Object.entries(p.abilities));

/** The abilities of docs/abilities.md's matrix, which test/api/ability-matrix.test.ts holds to what the running platform registers. */
const doc = readFileSync(join(import.meta.dirname, '../../docs/abilities.md'), 'utf8');
const documented = [...doc.matchAll(/^\| `([a-z_.]+)` \|(?: [✓–] \|)+$/gm)].map((m) => m[1]);

const actor = (role: Actor['role']): Actor => ({ id: 1, username: 'u', displayName: 'U', role, unitId: null, unitKind: null, regionCode: '330106', locale: 'zh-CN' });
const refusalOf = (f: () => void): AppError => {
  try { f(); } catch (e) { if (e instanceof AppError) return e; throw e; }
  throw new Error('expected a refusal');
};

describe('what each ability lets one do (the 403 names it)', () => {
  it('covers every ability the platform registers', () => {
    expect(documented.length).toBeGreaterThan(80);
    expect(abilities.map(([name]) => name).sort()).toEqual([...documented].sort());
  });

  it('says each in docs/abilities.md as the 403 does', () => {
    const said = Object.fromEntries([...doc.matchAll(/\*\*`([a-z_.]+)`\*\* 「([^」]+)」/g)].map((m) => [m[1], m[2]]));
    expect(said).toEqual(Object.fromEntries(abilities.map(([name, def]) => [name, def.what.zh])));
  });

  it.each(abilities)('%s is said in Chinese and in English', (_, def) => {
    expect(def.what.zh.trim()).not.toBe('');
    expect(def.what.en.trim()).not.toBe('');
    expect(def.what.zh).toMatch(/^[\u4e00-\u9fff]/); // a Chinese verb phrase, read after 无权
    expect(def.what.zh).not.toMatch(/^(无权|执行此操作)|[。.]$/); // the sentence brings 无权 and its full stop
    expect(def.what.en).toMatch(/^[a-z]/); // read after "may not"
    expect(def.what.en).not.toMatch(/\.$/);
  });

  it('refuses a role without the ability by naming the action in both languages', () => {
    const e = refusalOf(() => gridPolicy.assert(actor('resident'), 'grid.write'));
    expect(e.status).toBe(403);
    expect(e.code).toBe('forbidden');
    expect(e.zh).toBe('当前角色（居民）无权调整网格边界。');
    expect(e.message).toBe('Your role (resident) may not change grid geometry.');
  });

  it('says 执行此操作 for an ability no policy declares, and lets the role that has one through', () => {
    const p = definePolicy({ 'demo.read': { roles: ['community'], what: { zh: '查看演示', en: 'read the demo' } } });
    expect(() => p.assert(actor('community'), 'demo.read')).not.toThrow();
    expect(refusalOf(() => p.assert(actor('grid_worker'), 'demo.read')).zh).toBe('当前角色（网格员）无权查看演示。');
    expect(refusalOf(() => p.assert(actor('grid_worker'), 'demo.write' as 'demo.read')).zh).toBe('当前角色（网格员）无权执行此操作。');
  });
});
