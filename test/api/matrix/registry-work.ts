// Registry work's requests for the ability matrix (test/api/ability-matrix.test.ts, docs/abilities.md):
// the set-up labels a person of the home grid once per role (each role ends its own label), and one
// request per ability registry work added. Scope and the rest of each endpoint are tested in
// test/api/registry-work.test.ts.
import { expect } from 'vitest';
import type { Role } from '../../../src/platform/auth/actor.ts';
import type { Res, TestPlatform } from '../../helpers/platform.ts';
import { homeGrid } from '../../helpers/fixtures.ts';
import { idNumber } from '../registry-helpers.ts';

type Probe = (as: ReturnType<TestPlatform['as']>, role: Role) => Promise<Res>;
/** One person with an active 吸毒人员 label per role: [personId, labelId]. */
const labelOf = {} as Record<Role, [number, number]>;

export const registryWorkExercise: Record<string, Probe> = {
  'registry.label.end': (as, role) => as.post(`/api/v1/persons/${labelOf[role][0]}/labels/${labelOf[role][1]}/end`, { kind: 'lift', on: '2026-11-15', reason: '戒断三年未复吸，解除管控' }),
};

/** Makes what the requests above need, as the command centre of the matrix test. */
export async function setUpRegistryWork(p: TestPlatform, tokens: Record<Role, string>): Promise<void> {
  const cmd = p.as(tokens.command_centre);
  for (const r of Object.keys(tokens) as Role[]) {
    const person = await cmd.post('/api/v1/persons', { regionCode: homeGrid.code, populationType: 'registered', idNumber: idNumber(), name: '某丁' });
    expect(person.status, person.text).toBe(201);
    const label = await cmd.post(`/api/v1/persons/${person.body.id}/labels`, { type: 'drug_user', startedOn: '2023-01-01', fields: { controlStatus: '02' } });
    expect(label.status, label.text).toBe(201);
    labelOf[r] = [person.body.id, label.body.id];
  }
}
