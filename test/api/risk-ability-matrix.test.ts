// Who may do what in risk prevention: the role × ability matrix of docs/risk.md, written out by hand
// here (not read from the policy it checks), every cell exercised over HTTP — a request that only the
// ability lets through answers anything but 403 for a role that has it, and 403 for one that has not —
// and GET /auth/me telling each role exactly its risk abilities. Data scope (404 outside the territory)
// is tested endpoint by endpoint in risk-alerts, risk-sensors and risk-work.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAdmin } from '../../src/platform/auth/bootstrap.ts';
import { testPlatform, type Res, type TestPlatform } from '../helpers/platform.ts';
import { homeGrid } from '../helpers/fixtures.ts';

const roles = ['admin', 'command_centre', 'street_centre', 'community', 'grid_worker', 'hotline_operator', 'department', 'resident'] as const;
type Role = (typeof roles)[number];
const users: Record<Role, string> = {
  admin: 'admin', command_centre: 'zhihui', street_centre: 'jiedao', community: 'shequ', grid_worker: 'wangge',
  hotline_operator: 'rexian', department: 'chengguan', resident: 'jumin',
};

/** The matrix, as docs/risk.md has it: the roles that have each ability. */
const matrix: Record<string, Role[]> = {
  'risk.read': ['command_centre', 'street_centre', 'community', 'grid_worker', 'department'],
  'risk.register.write': ['command_centre', 'street_centre', 'community', 'grid_worker'],
  'risk.alert.handle': ['command_centre', 'street_centre', 'community', 'department'],
  'risk.rule.read': ['admin', 'command_centre', 'street_centre'],
  'risk.rule.write': ['admin', 'command_centre', 'street_centre'],
  'risk.sensor.read': ['admin', 'command_centre', 'street_centre', 'community', 'grid_worker', 'department'],
  'risk.sensor.ingest': ['admin', 'command_centre'],
  'risk.check.fill': ['community', 'grid_worker'],
  'risk.check.read': ['command_centre', 'street_centre', 'community'],
  'risk.check.template': ['command_centre', 'street_centre'],
  'risk.keyperson.refer': ['command_centre', 'street_centre', 'community'],
  'risk.counsellor.manage': ['command_centre', 'street_centre'],
  'risk.counselling.note': ['command_centre', 'street_centre', 'community', 'department'],
  'risk.assessment.read': ['command_centre', 'street_centre', 'department'],
  'risk.assessment.write': ['command_centre', 'street_centre', 'department'],
  'risk.decision.approve': ['command_centre'],
};

type Probe = (as: ReturnType<TestPlatform['as']>) => Promise<Res>;
/** One request per ability that nothing but that ability lets past the 403 (bodies valid, targets absent or out of reach). */
const probes: Record<string, Probe> = {
  'risk.read': (as) => as.get('/api/v1/risk/hazards'),
  'risk.register.write': (as) => as.post('/api/v1/risk/hazards', { categoryCode: '600101', title: '楼道堆物', description: '3栋楼道堆放杂物', regionCode: homeGrid.code }),
  'risk.alert.handle': (as) => as.post('/api/v1/risk/alerts/987654321/acknowledge', {}),
  'risk.rule.read': (as) => as.get('/api/v1/risk/rules'),
  'risk.rule.write': (as) => as.post('/api/v1/risk/rules', { name: 'x', kind: 'keyword', level: 'red', params: { keywords: [] } }),
  'risk.sensor.read': (as) => as.get('/api/v1/risk/sensors'),
  'risk.sensor.ingest': (as) => as.post('/api/v1/risk/sensor-readings', { readings: [{ deviceCode: 'NO-SUCH-1', values: { a: 1 } }] }),
  'risk.check.fill': (as) => as.post('/api/v1/risk/checks', { regionCode: homeGrid.code, answers: {} }),
  'risk.check.read': (as) => as.get('/api/v1/risk/checks/roll-call'),
  'risk.check.template': (as) => as.send('PUT', '/api/v1/risk/checks/template', { regionCode: '999999', items: [{ key: 'aa', zh: '项', en: 'item' }] }),
  'risk.keyperson.refer': (as) => as.post('/api/v1/risk/referrals', { personId: 987654321, counsellorId: 1, reason: '情绪低落' }),
  'risk.counsellor.manage': (as) => as.post('/api/v1/risk/counsellors', { userId: 987654321 }),
  'risk.counselling.note': (as) => as.get('/api/v1/risk/referrals/987654321/notes'),
  'risk.assessment.read': (as) => as.get('/api/v1/risk/decisions'),
  'risk.assessment.write': (as) => as.post('/api/v1/risk/decisions', { title: '某项目', kind: 'project', description: '说明', regionCode: '999999' }),
  'risk.decision.approve': (as) => as.post('/api/v1/risk/decisions/987654321/decide', { status: 'approved' }),
};

let p: TestPlatform;
const tokens = {} as Record<Role, string>;

beforeAll(async () => {
  p = await testPlatform('2026-11-16T01:30:00Z');
  await ensureAdmin(p.ctx.db, 'matrix-admin-2026');
  for (const r of roles) tokens[r] = await p.login(users[r], r === 'admin' ? 'matrix-admin-2026' : undefined);
});
afterAll(async () => { await p?.close(); });

describe.each(roles)('%s', (role) => {
  it('is told exactly its risk abilities by /auth/me', async () => {
    const me = (await p.as(tokens[role]).get('/api/v1/auth/me')).body;
    const mine = me.abilities.filter((a: string) => a.startsWith('risk.')).sort();
    expect(mine).toEqual(Object.entries(matrix).filter(([, rs]) => rs.includes(role)).map(([a]) => a).sort());
  });

  for (const [ability, allowed] of Object.entries(matrix)) {
    const may = allowed.includes(role);
    it(`${may ? 'may' : 'may not'}: ${ability}`, async () => {
      const r = await probes[ability](p.as(tokens[role]));
      expect(r.status, r.text.slice(0, 300)).toBeLessThan(500);
      if (may) expect(r.status, r.text.slice(0, 300)).not.toBe(403);
      else {
        expect(r.status, r.text.slice(0, 300)).toBe(403);
        expect(r.headers['content-type']).toContain('application/problem+json');
      }
    });
  }
});
