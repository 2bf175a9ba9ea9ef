// Shared helpers of the participation API tests: registry people in households, resident accounts
// linked to them (as staff confirm a link), and a vote body.
import { expect } from 'vitest';
import type { TestPlatform } from '../helpers/platform.ts';
import { createUser } from '../../src/platform/auth/service.ts';
import { person } from './registry-helpers.ts';

export const RESIDENT_PASSWORD = 'resident-pass-2026';
let seq = 0;

/** A household in a grid (as the community's staff token registers it). */
export async function household(p: TestPlatform, staff: string, gridCode: string): Promise<number> {
  const r = await p.as(staff).post('/api/v1/households', { regionCode: gridCode, householdNo: `PT${Date.now() % 100000}${++seq}`, kind: 'family' });
  expect(r.status, r.text).toBe(201);
  return r.body.id;
}

/**
 * A registry person (in a household when given) with a resident account linked to them by staff:
 * returns the account's token and the ids.
 */
export async function linkedResident(p: TestPlatform, staff: string, gridCode: string, opts: { householdId?: number; birth?: string; name?: string } = {}) {
  const extra: Record<string, unknown> = { name: opts.name ?? '王小红' };
  if (opts.householdId) extra.householdId = opts.householdId;
  const per = await p.as(staff).post('/api/v1/persons', person(gridCode, extra));
  expect(per.status, per.text).toBe(201);
  const username = `res${Date.now().toString(36)}${++seq}`;
  const userId = await createUser(p.ctx.db, { username, displayName: `居民 ${opts.name ?? '王小红'}`, password: RESIDENT_PASSWORD, role: 'resident', regionCode: gridCode.slice(0, 12) });
  const link = await p.as(staff).post('/api/v1/participation/residents/link', { userId, personId: per.body.id });
  expect(link.status, link.text).toBe(200);
  return { token: await p.login(username, RESIDENT_PASSWORD), userId, personId: per.body.id as number, username };
}

export const voteBody = (regionCode: string, extra: Record<string, unknown> = {}) => ({
  regionCode, title: '小区停车位划线方案', description: '请就停车位划线方案表决', choice: 'single', voterUnit: 'person', anonymous: false,
  opensAt: '2026-11-16T00:00:00Z', closesAt: '2026-11-20T00:00:00Z', options: ['同意', '不同意', '弃权'], ...extra,
});
