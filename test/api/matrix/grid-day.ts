// The grid worker's day (fieldwork module) in the ability matrix (test/api/ability-matrix.test.ts,
// docs/abilities.md): a registry household in the home grid to visit, and one request per fieldwork
// ability. Scope (404 outside the territory) is tested in test/api/fieldwork.test.ts.
import { expect } from 'vitest';
import type { Role } from '../../../src/platform/auth/actor.ts';
import type { Res, TestPlatform } from '../../helpers/platform.ts';
import { homeGrid, pointIn } from '../../helpers/fixtures.ts';

type Probe = (as: ReturnType<TestPlatform['as']>, role: Role) => Promise<Res>;
let household = 0;
let worker = 0;
let leader = 0;
let day = 0;
/** A day of its own for each request, so that no plan repeats another (one plan per household, worker and day). */
const nextDay = () => new Date(Date.parse('2026-11-20T00:00:00Z') + (day++) * 86_400_000).toISOString().slice(0, 10);

export const gridDayExercise: Record<string, Probe> = {
  'fieldwork.day': (as) => as.get('/api/v1/fieldwork/today'),
  'fieldwork.visit': (as) => as.post('/api/v1/fieldwork/visits', { purpose: 'routine', householdId: household, checklist: { members_match: 'yes' }, result: 'visited', ...pointIn(homeGrid) }),
  'fieldwork.patrol': (as) => as.post('/api/v1/fieldwork/patrols', pointIn(homeGrid)),
  'fieldwork.plan': (as) => as.post('/api/v1/fieldwork/plans', { householdId: household, purpose: 'routine', plannedOn: nextDay() }),
  // for someone else: the home grid's worker (within every territory that may plan for others), or for the worker, the 网格长
  'fieldwork.plan.assign': (as, role) => as.post('/api/v1/fieldwork/plans', {
    householdId: household, purpose: 'safety', plannedOn: nextDay(), assigneeId: role === 'grid_worker' ? leader : worker,
  }),
  'fieldwork.residents': (as) => as.get(`/api/v1/fieldwork/residents?q=${encodeURIComponent('张')}`),
  'fieldwork.followups': (as) => as.get('/api/v1/fieldwork/follow-ups?overdue=true'),
};

/** A household in the home grid, registered by the community. */
export async function setUpGridDay(p: TestPlatform, tokens: Record<Role, string>): Promise<void> {
  const r = await p.as(tokens.community).post('/api/v1/households', { regionCode: homeGrid.code, householdNo: 'MX-0001', address: '矩阵路1号' });
  expect(r.status, r.text).toBe(201);
  household = r.body.id;
  worker = (await p.as(tokens.grid_worker).get('/api/v1/auth/me')).body.id;
  leader = (await p.as(tokens.community).get('/api/v1/auth/me')).body.id;
}
