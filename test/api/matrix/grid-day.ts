// The grid worker's day (fieldwork module) in the ability matrix (test/api/ability-matrix.test.ts,
// docs/abilities.md): a registry household in the home grid to visit, and one request per fieldwork
// ability. Scope (404 outside the territory) is tested in test/api/fieldwork.test.ts.
import { expect } from 'vitest';
import type { Role } from '../../../src/platform/auth/actor.ts';
import type { Res, TestPlatform } from '../../helpers/platform.ts';
import { homeGrid, pointIn } from '../../helpers/fixtures.ts';

type Probe = (as: ReturnType<TestPlatform['as']>, role: Role) => Promise<Res>;
let household = 0;

export const gridDayExercise: Record<string, Probe> = {
  'fieldwork.day': (as) => as.get('/api/v1/fieldwork/today'),
  'fieldwork.visit': (as) => as.post('/api/v1/fieldwork/visits', { purpose: 'routine', householdId: household, checklist: { members_match: 'yes' }, result: 'visited', ...pointIn(homeGrid) }),
  'fieldwork.patrol': (as) => as.post('/api/v1/fieldwork/patrols', pointIn(homeGrid)),
  'fieldwork.residents': (as) => as.get(`/api/v1/fieldwork/residents?q=${encodeURIComponent('张')}`),
  'fieldwork.followups': (as) => as.get('/api/v1/fieldwork/follow-ups?overdue=true'),
};

/** A household in the home grid, registered by the community. */
export async function setUpGridDay(p: TestPlatform, tokens: Record<Role, string>): Promise<void> {
  const r = await p.as(tokens.community).post('/api/v1/households', { regionCode: homeGrid.code, householdNo: 'MX-0001', address: '矩阵路1号' });
  expect(r.status, r.text).toBe(201);
  household = r.body.id;
}
