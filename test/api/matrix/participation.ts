// The participation module's requests for the ability matrix (test/api/ability-matrix.test.ts,
// docs/abilities.md): an open vote of the home community with a linked resident to cast in it, a wish
// per role to claim, a registry person and a resident account per role to link. Data scope (404 outside
// the territory) is tested in participation-votes and participation-wishes.
import { expect } from 'vitest';
import type { Role } from '../../../src/platform/auth/actor.ts';
import type { Res, TestPlatform } from '../../helpers/platform.ts';
import { homeCommunity, homeGrid, homeStreet } from '../../helpers/fixtures.ts';
import { createUser } from '../../../src/platform/auth/service.ts';
import { person } from '../registry-helpers.ts';

type Probe = (as: ReturnType<TestPlatform['as']>, role: Role) => Promise<Res>;
const survey = { id: 0, question: 0 };
let voteId = 0, optionId = 0, wishToModerate = 0, itemId = 0;
const wishFor = {} as Record<Role, number>;
const personFor = {} as Record<Role, number>;
const accountFor = {} as Record<Role, number>;

const vote = () => ({
  regionCode: homeCommunity.code, title: '矩阵表决', choice: 'single', voterUnit: 'person', anonymous: true,
  opensAt: '2026-11-16T00:00:00Z', closesAt: '2026-11-30T00:00:00Z', options: ['同意', '不同意'],
});

export const participationExercise: Record<string, Probe> = {
  'participation.read': (as) => as.get(`/api/v1/participation/votes/${voteId}/ballots`),
  'participation.vote.manage': (as) => as.post('/api/v1/participation/votes', vote()),
  'participation.vote.cast': (as) => as.post(`/api/v1/participation/votes/${voteId}/ballots`, { optionIds: [optionId] }),
  'participation.wish.post': (as, role) => as.post('/api/v1/participation/wishes', role === 'resident'
    ? { title: '想要一本字典', category: 'study' }
    : { title: '想要一本字典', category: 'study', regionCode: homeGrid.code, wisher: { name: '郑小明' } }),
  'participation.wish.claim': (as, role) => as.post(`/api/v1/participation/wishes/${wishFor[role]}/claim`, { kind: role === 'department' ? 'unit' : 'volunteer' }),
  'participation.moderate': (as) => as.post(`/api/v1/participation/wishes/${wishToModerate}/moderate`, { action: 'answer', note: '社区已联系' }),
  'participation.points.manage': (as) => as.post('/api/v1/participation/points/shop', { regionCode: homeCommunity.code, name: '肥皂', cost: 5, stock: 10 }),
  'participation.points.use': (as) => as.post('/api/v1/participation/points/redemptions', { itemId }),
  'participation.procedure.run': (as) => as.post('/api/v1/participation/procedures', { regionCode: homeCommunity.code, title: '矩阵事项' }),
  // a title of each role's own: a second open survey of one title in one region is refused (409)
  'participation.survey.manage': (as, role) => as.post('/api/v1/participation/surveys', { regionCode: homeCommunity.code, title: `矩阵调查（${role}）`, template: 'safety', opensAt: '2026-11-16T00:00:00Z', closesAt: '2026-11-30T00:00:00Z' }),
  'participation.survey.enter': (as) => as.post(`/api/v1/participation/surveys/${survey.id}/responses`, { gridCode: homeGrid.code, answers: [{ questionId: survey.question, choices: [0] }] }),
  'participation.survey.answer': (as) => as.post(`/api/v1/participation/surveys/${survey.id}/responses`, { answers: [{ questionId: survey.question, choices: [1] }] }),
  'participation.topic.propose': (as) => as.post('/api/v1/participation/topics', { title: '矩阵议题' }),
  'participation.announce': (as) => as.post('/api/v1/participation/announcements', { regionCode: homeCommunity.code, title: '停水通知', body: '周三9:00—17:00停水。' }),
  'participation.volunteer.join': (as) => as.post('/api/v1/participation/volunteers/me', { skills: ['急救'] }),
  'participation.volunteer.manage': (as, role) => as.post('/api/v1/participation/volunteer-teams', { regionCode: homeCommunity.code, name: `矩阵志愿队 ${role}` }),
  'participation.mobilise': (as, role) => as.post('/api/v1/participation/mobilisations', { regionCode: role === 'command_centre' ? homeStreet.code : homeCommunity.code,
    reason: '矩阵演练', tasks: [{ title: '巡查', hours: 1, capacity: 5 }] }),
  'participation.resident.link': (as, role) => as.post('/api/v1/participation/residents/link', { userId: accountFor[role], personId: personFor[role] }),
};

/** Makes what the requests above need, as the community of the matrix test. */
export async function setUpParticipation(p: TestPlatform, tokens: Record<Role, string>): Promise<void> {
  const community = p.as(tokens.community);
  const v = await community.post('/api/v1/participation/votes', vote());
  expect(v.status, v.text).toBe(201);
  [voteId, optionId] = [v.body.id, v.body.options[0].id];
  // the matrix's resident (jumin) is linked to a registry person, so that their ballot counts
  const [{ id: jumin }] = await p.ctx.db.query<{ id: number }>(`SELECT id FROM app_user WHERE username = 'jumin'`);
  const me = await community.post('/api/v1/persons', person(homeGrid.code, { name: '孙强' }));
  expect((await community.post('/api/v1/participation/residents/link', { userId: jumin, personId: me.body.id })).status).toBe(200);
  for (const role of Object.keys(tokens) as Role[]) {
    // posted by a worker other than the claimant (one does not claim one's own wish)
    wishFor[role] = (await p.as(role === 'grid_worker' ? tokens.community : tokens.grid_worker).post('/api/v1/participation/wishes', { title: `矩阵心愿 ${role}`, category: 'care', regionCode: homeGrid.code, wisher: { name: '郑大妈' } })).body.id;
    personFor[role] = (await community.post('/api/v1/persons', person(homeGrid.code))).body.id;
    accountFor[role] = await createUser(p.ctx.db, { username: `ptm-${role}`, displayName: `居民 ${role}`, password: 'matrix-pass-2026', role: 'resident', regionCode: homeCommunity.code });
  }
  // an item of the points shop, and points for the resident to redeem it
  itemId = (await community.post('/api/v1/participation/points/shop', { regionCode: homeCommunity.code, name: '毛巾', cost: 10, stock: 5 })).body.id;
  const rule = (await community.post('/api/v1/participation/points/rules', { regionCode: homeCommunity.code, code: 'matrix', label: '矩阵奖励', points: 50 })).body.id;
  expect((await community.post('/api/v1/participation/points/awards', { personId: me.body.id, ruleId: rule })).status).toBe(201);
  // a one-question survey of the home community
  const sv = await community.post('/api/v1/participation/surveys', { regionCode: homeCommunity.code, title: '矩阵问卷', opensAt: '2026-11-16T00:00:00Z', closesAt: '2026-11-30T00:00:00Z',
    questions: [{ kind: 'single', text: '是否满意？', options: ['满意', '不满意'] }] });
  expect(sv.status, sv.text).toBe(201);
  [survey.id, survey.question] = [sv.body.id, sv.body.questions[0].id];
  // a resident's wish, for moderation
  wishToModerate = (await p.as(tokens.resident).post('/api/v1/participation/wishes', { title: '楼道灯坏了', category: 'other' })).body.id;
}
