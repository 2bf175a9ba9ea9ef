// The hotline desk's requests for the ability matrix (test/api/ability-matrix.test.ts, docs/abilities.md):
// the caller's history and the knowledge base. Data scope is tested in hotline-desk.test.ts.
import type { Role } from '../../../src/platform/auth/actor.ts';
import type { Res, TestPlatform } from '../../helpers/platform.ts';

type Probe = (as: ReturnType<TestPlatform['as']>, role: Role) => Promise<Res>;

export const hotlineExercise: Record<string, Probe> = {
  'case.caller_history': (as) => as.post('/api/v1/callers/history', { phone: '13900002222' }),
};

/** Makes what the requests above need (nothing yet beyond the matrix test's own cases). */
export async function setUpHotline(_p: TestPlatform, _tokens: Record<Role, string>): Promise<void> {}
