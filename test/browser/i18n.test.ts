// Every label the console builds from a server value exists in both catalogues.
import { describe, expect, it } from 'vitest';
import zh from '../../web/src/i18n/zh-CN.ts';
import en from '../../web/src/i18n/en.ts';
import { actionNames, builtinWorkflows } from '../../src/modules/cases/workflow.ts';
import { channels, ratings } from '../../src/modules/cases/contracts.ts';
import { roles } from '../../src/platform/auth/actor.ts';
import { unitKinds } from '../../src/modules/admin/contracts.ts';
import { layerKinds, staffRoles } from '../../src/modules/grids/contracts.ts';

const states = [...new Set(builtinWorkflows.flatMap((w) => Object.keys(w.states)))];
const needed = [
  ...actionNames.map((a) => `action.${a}`), ...states.map((s) => `state.${s}`), ...channels.map((c) => `channel.${c}`),
  ...ratings.map((r) => `rating.${r}`), ...roles.map((r) => `role.${r}`), ...unitKinds.map((k) => `unitKind.${k}`),
  ...builtinWorkflows.map((w) => `type.${w.type}`), ...staffRoles.map((r) => `staffRole.${r}`),
  ...layerKinds.map((k) => `gl.kind.${k}`),
];

describe('message catalogues', () => {
  it('have the same keys in zh-CN and en, none empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
    for (const [k, v] of [...Object.entries(zh), ...Object.entries(en)]) expect(v.trim(), k).not.toBe('');
  });
  it('cover every action, state, channel, rating, role and unit kind', () => {
    expect(needed.filter((k) => !(k in zh))).toEqual([]);
  });
});
