// The role × ability matrix of docs/abilities.md, cell by cell, over HTTP. The matrix is read from the
// document (reviewed by hand), never from the policies it checks: for every ability this file holds a
// hand-written request that needs it, made as a demo account of each role with a body that role could
// sensibly send (a case in its own region, a person in its own grid …). A ✓ cell must answer 2xx, a –
// cell 403 application/problem+json. /auth/me must list exactly the abilities of the role's row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { testPlatform, type Res, type TestPlatform } from '../helpers/platform.ts';
import { homeCommunity, homeGrid, homeStreet, neighbourGrid, pointIn } from '../helpers/fixtures.ts';
import { ensureAdmin } from '../../src/platform/auth/bootstrap.ts';
import { roles, type Role } from '../../src/platform/auth/actor.ts';
import { person } from './registry-helpers.ts';
import { neighbourDispute, setUpOrgs } from './mediation-helpers.ts';
import { riskExercise, setUpRisk } from './matrix/risk.ts';
import { registryWorkExercise, setUpRegistryWork } from './matrix/registry-work.ts';
import { gridDayExercise, setUpGridDay } from './matrix/grid-day.ts';
import { hotlineGeoExercise } from './matrix/hotline-geo.ts';
import { hotlineExercise, setUpHotline } from './matrix/hotline.ts';
import { participationExercise, setUpParticipation } from './matrix/participation.ts';

// ---------------------------------------------------------------------------------------------
// The matrix, as docs/abilities.md writes it

const MATRIX_FILE = join(import.meta.dirname, '../../docs/abilities.md');

/** The table whose header row is `| ability | <the eight roles> |`: ability → roles marked ✓. */
function parseMatrix(markdown: string): Map<string, Set<Role>> {
  const lines = markdown.split('\n');
  const cells = (line: string) => line.trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim());
  const header = lines.findIndex((l) => l.trim().startsWith('|') && cells(l)[0] === 'ability');
  if (header < 0) throw new Error('docs/abilities.md has no table with an "ability" header');
  const columns = cells(lines[header]).slice(1);
  if (JSON.stringify(columns) !== JSON.stringify(roles)) throw new Error(`matrix columns ${columns.join(', ')} are not the roles ${roles.join(', ')}`);
  if (!/^\|(\s*-+\s*\|)+$/.test(lines[header + 1].trim())) throw new Error('the matrix header is not followed by a separator row');
  const out = new Map<string, Set<Role>>();
  for (const line of lines.slice(header + 2)) {
    if (!line.trim().startsWith('|')) break;
    const [first, ...marks] = cells(line);
    const ability = /^`([a-z_.]+)`$/.exec(first)?.[1];
    if (!ability) throw new Error(`matrix row "${line}" does not start with an ability in backticks`);
    if (out.has(ability)) throw new Error(`ability ${ability} appears twice in the matrix`);
    if (marks.length !== roles.length || marks.some((m) => m !== '✓' && m !== '–')) throw new Error(`matrix row ${ability}: expected ${roles.length} cells of ✓ or –`);
    out.set(ability, new Set(roles.filter((_, i) => marks[i] === '✓')));
  }
  return out;
}

const matrix = parseMatrix(readFileSync(MATRIX_FILE, 'utf8'));

// ---------------------------------------------------------------------------------------------
// One demo account per role

const ADMIN_PASSWORD = 'admin-secret-2026';
const account: Record<Role, string> = {
  admin: 'admin', command_centre: 'zhihui', street_centre: 'jiedao', community: 'shequ', grid_worker: 'wangge',
  hotline_operator: 'rexian', department: 'chengguan', resident: 'jumin',
};
const dataDir = `.tmp/ability-matrix-${randomBytes(4).toString('hex')}`;
let p: TestPlatform;
const token = {} as Record<Role, string>;
const as = (role: Role) => p.as(token[role]);

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a3a3f1f60000000049454e44ae426082', 'hex');
const H = `/api/v1/grids/${homeGrid.code}`;
const here = pointIn(homeGrid);

// what the set-up made for the requests below
let ticketId: number; // a 12345 ticket in the home grid with the caller's phone, dispatched to 城管
let revealPersonId: number;
const deletablePerson = {} as Record<Role, number>; // one person per role, so that each allowed delete has its own
let staffId: number, memberId: number, grantee: number;
let disputeId: number, partyId: number, petitionId: number, receptionDay: number; // in the home grid and street; the petition assigned to 城管
let leaderIds: number[]; // the users named the petition's four 包案 leaders

const report = (role: Role, body: Record<string, unknown>) => as(role).post('/api/v1/cases', {
  categoryCode: '020501', title: '菜市场门口占道经营', description: '早上七点到九点有摊贩在人行道上摆摊。', ...here, ...body,
});
const petition = () => ({
  categoryCode: '140102', title: '工地拖欠工资', description: '工地拖欠工资三个月，多次讨要未果。', regionCode: homeCommunity.code, form: 'visit',
  parties: [{ role: 'petitioner', name: '刘大勇', phone: '13600001111' }],
});
const ok = (r: Res, what: string) => { expect(r.status, `${what}: ${r.text.slice(0, 300)}`).toBeLessThan(300); return r.body; };

beforeAll(async () => {
  p = await testPlatform('2026-11-16T01:30:00Z', { GONGZHI_DATA_DIR: dataDir }); // Monday 09:30 in 合川
  await ensureAdmin(p.ctx.db, ADMIN_PASSWORD);
  for (const role of roles) token[role] = await p.login(account[role], role === 'admin' ? ADMIN_PASSWORD : undefined);

  // a ticket whose caller the operator, the centres, the community and the handling department may need to call
  ticketId = ok(await report('hotline_operator', { categoryCode: '030102', title: '路灯不亮', reporter: { name: '张建华', phone: '13800001234' } }), 'ticket').id;
  ok(await as('hotline_operator').post(`/api/v1/cases/${ticketId}/actions/accept`, {}), 'accept');
  ok(await as('hotline_operator').post(`/api/v1/cases/${ticketId}/actions/dispatch`, { leadUnitId: 'dept-chengguan' }), 'dispatch');

  // people in the home grid: one to reveal, one to delete for each role
  revealPersonId = ok(await as('community').post('/api/v1/persons', person(homeGrid.code)), 'person').id;
  for (const role of roles) deletablePerson[role] = ok(await as('community').post('/api/v1/persons', person(homeGrid.code, { name: '李四' })), 'person').id;

  // the home grid's staff and a party member
  staffId = ok(await as('community').post(`${H}/staff`, { role: 'grid_leader', name: '刘洋', phone: '13800005678' }), 'staff').id;
  memberId = ok(await as('community').post(`${H}/party-members`, { name: '陈明', branch: '第一党支部', registeredOn: '2026-01-05' }), 'party member').id;

  // a reveal grant goes to the neighbour grid's worker (not the grid worker of the matrix)
  [{ id: grantee }] = await p.ctx.db.query<{ id: number }>('SELECT id FROM app_user WHERE username = $1', [`wg${neighbourGrid.code}`]);

  // a dispute in the home grid with its parties, a petition in the home community, a reception day of the street
  await setUpOrgs(p, token.street_centre);
  const dispute = ok(await as('community').post('/api/v1/disputes', neighbourDispute()), 'dispute');
  [disputeId, partyId] = [dispute.case.id, dispute.parties[0].id];
  petitionId = ok(await as('street_centre').post('/api/v1/petitions', petition()), 'petition').case.id;
  // … accepted, assigned to 城管 (the matrix's department) and marked a backlog case (积案)
  ok(await as('street_centre').post(`/api/v1/cases/${petitionId}/actions/accept_petition`, {}), 'accept petition');
  ok(await as('street_centre').post(`/api/v1/cases/${petitionId}/actions/assign_petition`, { leadUnitId: 'dept-chengguan' }), 'assign petition');
  ok(await as('street_centre').post(`/api/v1/petitions/${petitionId}/backlog`, { reason: '久拖未决，群众反映强烈' }), 'backlog');
  leaderIds = (await p.ctx.db.query<{ id: number }>(`SELECT id FROM app_user WHERE username = ANY($1::text[]) ORDER BY array_position($1::text[], username)`,
    [['zhihui', 'renshe', 'jiedao', 'gongan']])).map((u) => Number(u.id));
  receptionDay = ok(await as('street_centre').post('/api/v1/reception-days', { regionCode: homeStreet.code, leaderName: '陈书记', leaderTitle: '党工委书记', day: '2026-11-20', startsAt: '09:00', endsAt: '11:00', place: '街道信访接待室' }), 'reception day').id;

  // the risk module's alerts, counsellors, referrals and a major decision (test/api/matrix/risk.ts)
  await setUpRisk(p, token);
  // a labelled person per role, each to end its own label (test/api/matrix/registry-work.ts)
  await setUpRegistryWork(p, token);
  // a household to visit (test/api/matrix/grid-day.ts)
  await setUpGridDay(p, token);
  // the hotline desk's knowledge base (test/api/matrix/hotline.ts)
  await setUpHotline(p, token);
  // participation: an open vote, wishes to claim, people and accounts to link (test/api/matrix/participation.ts)
  await setUpParticipation(p, token);

  // retraining needs closed cases in at least two categories: 小事不出村, reported and self-handled
  for (let i = 0; i < 24; i++) {
    const c = ok(await report('grid_worker', { categoryCode: i % 2 ? '020501' : '020502', title: `${i % 2 ? '占道经营' : '店外经营'}第${i + 1}起` }), 'grid event');
    ok(await as('grid_worker').post(`/api/v1/cases/${c.id}/actions/self_close`, { note: '已现场劝离，恢复通行' }), 'self_close');
  }
}, 300_000);
afterAll(async () => { await p?.close(); rmSync(dataDir, { recursive: true, force: true }); });

// ---------------------------------------------------------------------------------------------
// A request per ability. Each needs the ability and nothing more for the role's own data.

const upload = async (role: Role): Promise<Res> => {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(Buffer.concat([PNG, Buffer.from(role)]))], { type: 'image/png' }), '现场照片.png');
  return p.as(token[role]).send('POST', '/api/v1/attachments', form);
};

const exercise: Record<string, (role: Role) => Promise<Res>> = {
  // cases
  'case.read': (r) => as(r).get('/api/v1/cases'),
  'case.report': (r) => report(r, r === 'hotline_operator' ? { reporter: { name: '王芳', phone: '13900002222' } } : {}),
  'case.inbox': (r) => as(r).get('/api/v1/cases?inbox=true&sort=due_at'),
  'case.reveal_reporter': (r) => as(r).post(`/api/v1/cases/${ticketId}/reporter/reveal`, { purpose: '联系诉求人了解现场情况' }),
  'case.attach': upload,
  'stats.read': (r) => as(r).get('/api/v1/stats/overview'),
  // registries
  'registry.use': (r) => as(r).get('/api/v1/persons'),
  'registry.delete': (r) => as(r).send('DELETE', `/api/v1/persons/${deletablePerson[r]}`),
  'registry.reveal': (r) => as(r).post(`/api/v1/persons/${revealPersonId}/reveal`, { purpose: '核实联系方式，安排上门走访' }),
  'registry.administer': (r) => as(r).post('/api/v1/registry/reveal-grants', { userId: grantee, reason: '专项排查期间核实重点人员' }),
  'registry.audit': (r) => as(r).get('/api/v1/audit/reveals'),
  // grids
  'grid.read': (r) => as(r).get(H),
  'grid.write': (r) => as(r).send('PUT', `${H}/geometry`, { geometry: { type: 'Polygon', coordinates: homeGrid.polygon } }),
  'grid.households': (r) => as(r).send('PUT', `${H}/households`, { households: 420 }),
  'grid.layer.read': (r) => as(r).get('/api/v1/grid-layers'),
  'grid.layer.write': (r) => as(r).post('/api/v1/grid-layers', { id: `xiaofang-${r.replace('_', '-')}`, kind: 'fire', name: '消防网格', regionCode: '500117' }),
  'grid.staff.read': (r) => as(r).get(`${H}/staff`),
  'grid.staff.write': (r) => as(r).post(`${H}/staff`, { role: 'part_time', name: '兼职网格员' }),
  'grid.staff.reveal': (r) => as(r).post(`${H}/staff/${staffId}/reveal`, { purpose: '联系网格长核实情况' }),
  'grid.party_service': (r) => as(r).post(`${H}/party-members/${memberId}/services`, { servedOn: '2026-11-15', description: '清理楼道杂物' }),
  'grid.patrol.write': (r) => as(r).post('/api/v1/patrols/check-in', here),
  'grid.patrol.read': (r) => as(r).get('/api/v1/patrols'),
  // administration
  'admin.manage': (r) => as(r).get('/api/v1/admin/users'),
  'admin.directory.read': (r) => as(r).get('/api/v1/admin/units'),
  // intelligence
  'intelligence.read': (r) => as(r).get('/api/v1/intelligence/model'),
  'intelligence.hotspots': (r) => as(r).get('/api/v1/intelligence/hotspots?days=30'),
  'intelligence.retrain': (r) => as(r).post('/api/v1/intelligence/model/retrain', {}),
  // mediation and petitions
  'mediation.read': (r) => as(r).get('/api/v1/disputes'),
  'mediation.register': (r) => as(r).post('/api/v1/disputes', neighbourDispute()),
  'mediation.handle': (r) => as(r).post(`/api/v1/disputes/${disputeId}/investigations`, { investigatedAt: '2026-11-16T02:00:00Z', investigator: '赵建国', interviewee: '王小明', content: '现场查看402天花板渗水痕迹' }),
  'mediation.reveal': (r) => as(r).post(`/api/v1/disputes/${disputeId}/parties/${partyId}/reveal`, { purpose: '电话通知当事人参加调解' }),
  'mediation.orgs.read': (r) => as(r).get('/api/v1/mediation/orgs'),
  'mediation.orgs.manage': (r) => as(r).post('/api/v1/mediation/orgs', { regionCode: homeCommunity.code, level: 'community', kind: 'room', name: `第${roles.indexOf(r) + 2}调解室` }),
  'mediation.stats': (r) => as(r).get('/api/v1/mediation/stats'),
  'petition.read': (r) => as(r).get('/api/v1/petitions'),
  'petition.register': (r) => as(r).post('/api/v1/petitions', petition()),
  'petition.manage': (r) => as(r).send('PUT', `/api/v1/petitions/${petitionId}/leaders`, { leaders: ['county_leader', 'department', 'township', 'police_officer'].map((role, i) => ({ role, userId: leaderIds[i] })) }),
  'petition.reception': (r) => as(r).post(`/api/v1/reception-days/${receptionDay}/bookings`, { name: '刘大勇', matter: '反映工地拖欠工资' }),
  // risk prevention
  ...Object.fromEntries(Object.entries(riskExercise).map(([ability, request]) => [ability, (r: Role) => request(as(r), r)])),
  // registry work
  ...Object.fromEntries(Object.entries(registryWorkExercise).map(([ability, request]) => [ability, (r: Role) => request(as(r), r)])),
  // the grid worker's day
  ...Object.fromEntries(Object.entries(gridDayExercise).map(([ability, request]) => [ability, (r: Role) => request(as(r), r)])),
  // addresses and geocoding (test/api/matrix/hotline-geo.ts)
  ...Object.fromEntries(Object.entries(hotlineGeoExercise).map(([ability, request]) => [ability, (r: Role) => request(as(r), r)])),
  // the hotline desk
  ...Object.fromEntries(Object.entries(hotlineExercise).map(([ability, request]) => [ability, (r: Role) => request(as(r), r)])),
  // participation
  ...Object.fromEntries(Object.entries(participationExercise).map(([ability, request]) => [ability, (r: Role) => request(as(r), r)])),
  // the account
  'account.two_factor': (r) => as(r).post('/api/v1/auth/totp/enrol', {}),
};

describe('docs/abilities.md', () => {
  it('has a row for every ability the platform declares, and this test a request for every row', () => {
    expect([...matrix.keys()].sort()).toEqual(p.ctx.abilities.all());
    expect(Object.keys(exercise).sort()).toEqual([...matrix.keys()].sort());
  });
});

describe.each([...matrix.keys()])('%s', (ability) => {
  it.each([...roles])('as %s', async (role) => {
    const r = await exercise[ability](role);
    if (matrix.get(ability)!.has(role)) {
      expect(r.status, `${role} should be able to ${ability}: ${r.text.slice(0, 300)}`).toBeGreaterThanOrEqual(200);
      expect(r.status, `${role} should be able to ${ability}: ${r.text.slice(0, 300)}`).toBeLessThan(300);
    } else {
      expect(r.status, `${role} should not be able to ${ability}: ${r.text.slice(0, 300)}`).toBe(403);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(typeof r.body?.detail).toBe('string');
    }
  });
});

describe('GET /api/v1/auth/me', () => {
  it.each([...roles])('lists exactly the matrix row of %s', async (role) => {
    const r = await as(role).get('/api/v1/auth/me');
    expect(r.status, r.text).toBe(200);
    const row = [...matrix].filter(([, who]) => who.has(role)).map(([ability]) => ability).sort();
    expect(r.body.abilities).toEqual(row);
  });
});
