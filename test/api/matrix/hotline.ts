// The hotline desk's requests for the ability matrix (test/api/ability-matrix.test.ts, docs/abilities.md):
// the caller's history and the knowledge base. Data scope is tested in hotline-desk.test.ts and knowledge.test.ts.
import type { Role } from '../../../src/platform/auth/actor.ts';
import type { Res, TestPlatform } from '../../helpers/platform.ts';

type Probe = (as: ReturnType<TestPlatform['as']>, role: Role) => Promise<Res>;

export const hotlineExercise: Record<string, Probe> = {
  'case.caller_history': (as) => as.post('/api/v1/callers/history', { phone: '13900002222' }),
  'knowledge.read': (as) => as.get('/api/v1/knowledge/articles?q=停水'),
  'knowledge.write': (as, role) => as.post('/api/v1/knowledge/articles', {
    title: `停水怎么办（${role}）`, answer: '突发停水拨打供水公司服务热线。', keywords: ['停水'], categoryCode: '030201',
  }),
};

/** Makes what the requests above need (nothing yet beyond the matrix test's own cases). */
export async function setUpHotline(_p: TestPlatform, _tokens: Record<Role, string>): Promise<void> {}
