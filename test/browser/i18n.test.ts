// Every label the console builds from a server value exists in both catalogues.
import { describe, expect, it } from 'vitest';
import zh from '../../web/src/i18n/zh-CN.ts';
import en from '../../web/src/i18n/en.ts';
import { builtinCaseTypes, channels, ratings } from '../../src/modules/cases/index.ts';
import { roles } from '../../src/platform/auth/actor.ts';
import { unitKinds } from '../../src/modules/admin/contracts.ts';
import { layerKinds, staffRoles } from '../../src/modules/regions/grids/contracts.ts';

// States, actions and types carry their own labels in their definitions (checked below), not in the catalogues.
const needed = [
  ...channels.map((c) => `channel.${c}`),
  ...ratings.map((r) => `rating.${r}`), ...roles.map((r) => `role.${r}`), ...unitKinds.map((k) => `unitKind.${k}`),
  ...staffRoles.map((r) => `staffRole.${r}`), ...layerKinds.map((k) => `gl.kind.${k}`),
];

describe('message catalogues', () => {
  it('have the same keys in zh-CN and en, none empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
    for (const [k, v] of [...Object.entries(zh), ...Object.entries(en)]) expect(v.trim(), k).not.toBe('');
  });
  it('cover every channel, rating, role and unit kind', () => {
    expect(needed.filter((k) => !(k in zh))).toEqual([]);
  });
  it('leave no state, action or type to the catalogues: every definition labels them in Chinese and English', () => {
    const labels = builtinCaseTypes.flatMap((d) => [d.name, ...Object.values(d.states).map((s) => s.label),
      ...d.actions.flatMap((a) => [a.label, ...(a.fields ?? []).map((f) => f.label)])]);
    for (const l of labels) {
      expect(l.zh, JSON.stringify(l)).toMatch(/[\u4e00-\u9fff]/);
      expect(l.en, JSON.stringify(l)).toMatch(/^[\x20-\x7e]+$/);
      expect(l.en).not.toBe(l.zh);
    }
  });
});
