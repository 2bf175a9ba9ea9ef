// Shared set-up of the mediation tests: a street's 矛调中心 and a community 调解室 with mediators, and
// small builders for disputes and petitions.
import { expect } from 'vitest';
import { encodePng } from '../../src/platform/documents/index.ts';
import type { TestPlatform } from '../helpers/platform.ts';
import { homeCommunity, homeGrid, homeStreet } from '../helpers/fixtures.ts';

/** A 1×1 PNG: a signature as the console's canvas sends it. */
export const PNG = `data:image/png;base64,${encodePng(120, 40, (x, y) => (Math.abs(y - 20 - 10 * Math.sin(x / 9)) < 2 ? [0, 0, 0, 255] : [0, 0, 0, 0])).toString('base64')}`;

export interface MediationSetup { roomId: number; centreId: number; mediators: number[]; streetMediator: number }

/** 街道 registers its 矛调中心 and the community's 调解室 with three mediators (one 金牌). */
export async function setUpOrgs(p: TestPlatform, street: string): Promise<MediationSetup> {
  const as = p.as(street);
  const centre = await as.post('/api/v1/mediation/orgs', { regionCode: homeStreet.code, level: 'street', kind: 'centre', name: `${homeStreet.name}矛调中心`, specialties: ['1302'] });
  expect(centre.status, centre.text).toBe(201);
  const room = await as.post('/api/v1/mediation/orgs', { regionCode: homeCommunity.code, level: 'community', kind: 'room', name: '老赵调解室', brand: true, brandName: '老赵调解室', specialties: ['1301'] });
  expect(room.status, room.text).toBe(201);
  const mediators: number[] = [];
  for (const [name, gold] of [['赵建国', true], ['钱芳', false], ['孙立', false]] as const) {
    const m = await as.post('/api/v1/mediation/mediators', { orgId: room.body.id, name, gold, specialties: ['130102'], phone: '13900001111' });
    expect(m.status, m.text).toBe(201);
    mediators.push(m.body.id);
  }
  const sm = await as.post('/api/v1/mediation/mediators', { orgId: centre.body.id, name: '李正', specialties: ['1302'] });
  return { roomId: room.body.id, centreId: centre.body.id, mediators, streetMediator: sm.body.id };
}

export const neighbourDispute = (extra: Record<string, unknown> = {}) => ({
  categoryCode: '130102', title: '楼上漏水引发邻里纠纷', description: '3栋502住户卫生间漏水，楼下402天花板受损，双方多次协商未果。',
  regionCode: homeGrid.code, address: '合阳城街道嘉陵路12号3栋', occurredOn: '2026-11-10', peopleInvolved: 4,
  parties: [
    { role: 'applicant', name: '王小明', idNumber: '500117198001011234', phone: '13800001234', address: '嘉陵路12号3栋402' },
    { role: 'respondent', name: '李大海', phone: '13800005678', address: '嘉陵路12号3栋502', birthYear: 1950 },
  ],
  ...extra,
});

export const act = (p: TestPlatform, token: string, id: number, action: string, body: Record<string, unknown> = {}) =>
  p.as(token).post(`/api/v1/cases/${id}/actions/${action}`, body);

/** A China date n days from the platform clock. */
export const chinaDay = (p: TestPlatform, n = 0) => new Date(p.clock.now.getTime() + 8 * 3600_000 + n * 86_400_000).toISOString().slice(0, 10);
