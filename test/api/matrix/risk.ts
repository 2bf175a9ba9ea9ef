// The risk module's requests for the ability matrix (test/api/ability-matrix.test.ts, docs/abilities.md):
// what the set-up makes (an alert per role with 城管 as its unit, counsellors and referrals, a major
// decision whose 稳评 lets it proceed), and one request per risk ability. Data scope (404 outside the
// territory) is tested endpoint by endpoint in risk-alerts, risk-sensors and risk-work.
import { expect } from 'vitest';
import type { Role } from '../../../src/platform/auth/actor.ts';
import type { Res, TestPlatform } from '../../helpers/platform.ts';
import { homeGrid, homeStreet } from '../../helpers/fixtures.ts';
import { idNumber } from '../registry-helpers.ts';

const ids = {} as Record<string, number>;
/** One alert per role (each acknowledges its own), one referral per role whose notes it may read, one decision ready to approve. */
const alertOf = {} as Record<Role, number>;
const referralOf = {} as Record<Role, number>;
let decision = 0;

type Probe = (as: ReturnType<TestPlatform['as']>, role: Role) => Promise<Res>;
const hazard = { categoryCode: '600101', title: '楼道堆物', description: '3栋楼道堆放杂物', regionCode: homeGrid.code };
/** Staff accounts made counsellors by the roles that keep the register (each account once). */
const counsellorFor: Partial<Record<Role, string>> = { admin: 'zhujian', command_centre: 'shichang', street_centre: 'weijian', community: 'minzheng', department: 'renshe' };

export const riskExercise: Record<string, Probe> = {
  'risk.read': (as) => as.get('/api/v1/risk/hazards'),
  'risk.register.write': (as) => as.post('/api/v1/risk/hazards', hazard),
  'risk.alert.handle': (as, role) => as.post(`/api/v1/risk/alerts/${alertOf[role] ?? alertOf.command_centre}/acknowledge`, {}),
  'risk.rule.read': (as) => as.get('/api/v1/risk/rules'),
  'risk.rule.write': (as) => as.post('/api/v1/risk/rules', { name: '测试规则', kind: 'keyword', level: 'blue', regionCode: homeStreet.code, params: { keywords: ['测试词'] } }),
  'risk.sensor.read': (as) => as.get('/api/v1/risk/sensors'),
  'risk.sensor.ingest': (as) => as.post('/api/v1/risk/sensor-readings', { readings: [{ deviceCode: 'NO-SUCH-1', values: { a: 1 } }] }),
  'risk.check.fill': (as) => as.post('/api/v1/risk/checks', { regionCode: homeGrid.code, answers: Object.fromEntries(CHECK_ITEMS.map((k) => [k, { ok: true }])) }),
  'risk.check.read': (as) => as.get('/api/v1/risk/checks/roll-call'),
  'risk.check.template': (as) => as.send('PUT', '/api/v1/risk/checks/template', { items: CHECK_ITEMS.map((key) => ({ key, zh: key, en: key })) }),
  'risk.keyperson.refer': (as) => as.post('/api/v1/risk/referrals', { personId: ids.person, counsellorId: ids.counsellor, reason: '情绪低落，需心理疏导' }),
  'risk.counsellor.manage': (as, role) => as.post('/api/v1/risk/counsellors', { userId: ids[counsellorFor[role] ?? 'zhujian'] }),
  'risk.counselling.note': (as, role) => as.get(`/api/v1/risk/referrals/${referralOf[role] ?? referralOf.command_centre}/notes`),
  'risk.assessment.read': (as) => as.get('/api/v1/risk/decisions'),
  'risk.assessment.write': (as) => as.post('/api/v1/risk/decisions', { title: '某项目', kind: 'project', description: '说明' }),
  'risk.decision.approve': (as) => as.post(`/api/v1/risk/decisions/${decision}/decide`, { status: 'approved' }),
};
const CHECK_ITEMS = ['fire_lanes', 'gas', 'ebike_charging', 'buildings', 'workplaces', 'flood', 'disputes', 'key_persons', 'gatherings', 'wages'];

/** Makes what the requests above need, as the command centre and the hotline operator of the matrix test. */
export async function setUpRisk(p: TestPlatform, tokens: Record<Role, string>): Promise<void> {
  for (const u of ['zhihui', 'jiedao', 'shequ', 'chengguan', 'zhujian', 'shichang', 'weijian', 'minzheng', 'renshe']) {
    ids[u] = (await p.as(await p.login(u)).get('/api/v1/auth/me')).body.id;
  }
  const cmd = p.as(tokens.command_centre);
  // an alert for each role, each with 城管 as its unit so the department sees and handles its own
  await p.risk.start({ ticks: false, mqtt: false });
  expect((await cmd.post('/api/v1/risk/rules', { name: '矩阵关键词', kind: 'keyword', level: 'red', unitId: 'dept-chengguan', params: { keywords: ['矩阵测试'] } })).status).toBe(201);
  await p.risk.settle();
  for (const r of Object.keys(tokens) as Role[]) {
    const c = await p.as(tokens.hotline_operator).post('/api/v1/cases', { categoryCode: '030102', title: '矩阵测试', description: `矩阵测试 ${r}`, regionCode: homeGrid.code });
    expect(c.status, c.text).toBe(201);
    await p.risk.settle();
    alertOf[r] = (await cmd.get('/api/v1/risk/alerts?kind=keyword')).body.items.find((a: any) => a.caseIds.includes(c.body.id)).id;
  }
  // a person referred to counsellors, the command centre and the street as supervisors, the community and the department as counsellors
  ids.person = (await cmd.post('/api/v1/persons', { regionCode: homeGrid.code, populationType: 'registered', idNumber: idNumber(), name: '某丙' })).body.id;
  const counsellor = async (user: string, supervisor: string) => (await cmd.post('/api/v1/risk/counsellors', { userId: ids[user], supervisorUserId: ids[supervisor] })).body.id;
  const viaDept = await counsellor('chengguan', 'zhihui');
  const viaCommunity = await counsellor('shequ', 'jiedao');
  ids.counsellor = viaDept;
  const refer = async (counsellorId: number) => (await cmd.post('/api/v1/risk/referrals', { personId: ids.person, counsellorId, reason: '情绪低落' })).body.id;
  referralOf.department = referralOf.command_centre = await refer(viaDept);
  referralOf.community = referralOf.street_centre = await refer(viaCommunity);
  // a decision whose assessment lets it proceed
  decision = (await cmd.post('/api/v1/risk/decisions', { title: '矩阵项目', kind: 'project', description: '说明' })).body.id;
  await cmd.post(`/api/v1/risk/decisions/${decision}/assessment`, {});
  await cmd.post(`/api/v1/risk/decisions/${decision}/assessment/risk-points`, { description: '噪音', category: '环境', importance: 2, urgency: 2 });
  await cmd.post(`/api/v1/risk/decisions/${decision}/assessment/consultations`, { method: 'forum', heldOn: '2026-11-10', participants: 20, support: 18, summary: '支持' });
  await cmd.post(`/api/v1/risk/decisions/${decision}/assessment/expert-reviews`, { expertName: '李', field: '环境', opinion: '可行', recommendation: 'agree', reviewedOn: '2026-11-12' });
  expect((await cmd.post(`/api/v1/risk/decisions/${decision}/assessment/complete`, { rating: 'low', conclusion: 'proceed', conclusionText: '可以实施' })).status).toBe(200);
}
