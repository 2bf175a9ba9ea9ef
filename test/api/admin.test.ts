// Administration: users, units, categories and time limits, the responsibility list, the working
// calendar. Who may do what, that changes take effect at once, that bad input changes nothing, and
// that every write leaves an audit row.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlatform, type TestPlatform, type Res } from '../helpers/platform.ts';
import { homeGrid, homeStreet, otherGrid, otherStreet, pointIn } from '../helpers/fixtures.ts';
import { ensureAdmin } from '../../src/platform/auth/bootstrap.ts';
import { createUser } from '../../src/platform/auth/service.ts';
import { DEMO_PASSWORD } from '../../src/seed/demo.ts';

let p: TestPlatform;
const t: Record<string, string> = {};
const ADMIN_PASSWORD = 'admin-secret-2026';
const MB = 'x'.repeat(1024 * 1024 + 10);

async function req(token: string | null, method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, body?: unknown): Promise<Res> {
  const r = await p.http.inject({ method, url, payload: body as any, headers: token ? { authorization: `Bearer ${token}` } : {} });
  let parsed: any = null;
  try { parsed = r.body ? JSON.parse(r.body) : null; } catch { parsed = null; }
  return { status: r.statusCode, body: parsed, headers: r.headers, text: r.body };
}
const as = (who: string) => ({
  get: (url: string) => req(t[who], 'GET', url),
  post: (url: string, body: unknown) => req(t[who], 'POST', url, body),
  patch: (url: string, body: unknown) => req(t[who], 'PATCH', url, body),
  put: (url: string, body: unknown) => req(t[who], 'PUT', url, body),
  del: (url: string) => req(t[who], 'DELETE', url),
});

function problem(r: Res, status: number | number[], code?: string) {
  if (Array.isArray(status)) expect(status, r.text).toContain(r.status);
  else expect(r.status, r.text).toBe(status);
  expect(r.headers['content-type']).toContain('application/problem+json');
  if (code) expect(r.body.code).toBe(code);
}

async function counts() {
  const [r] = await p.ctx.db.query<any>(`SELECT
    (SELECT count(*)::int FROM app_user) AS users, (SELECT count(*)::int FROM unit) AS units,
    (SELECT count(*)::int FROM category) AS categories, (SELECT count(*)::int FROM responsibility) AS rules,
    (SELECT count(*)::int FROM audit_log) AS audits, (SELECT count(*)::int FROM setting) AS settings`);
  return r;
}
async function lastAudit() {
  const [a] = await p.ctx.db.query<any>('SELECT * FROM audit_log ORDER BY id DESC LIMIT 1');
  return a;
}

beforeAll(async () => {
  p = await testPlatform('2026-11-16T01:30:00Z'); // Monday 09:30 in 合川
  await ensureAdmin(p.ctx.db, ADMIN_PASSWORD);
  // a district administrator and a street administrator, to test the region scope of administration
  const [{ hash }] = await p.ctx.db.query<{ hash: string }>(`SELECT password_hash AS hash FROM app_user WHERE username = 'zhihui'`);
  await createUser(p.ctx.db, { username: 'quadmin', displayName: '区管理员', passwordHash: hash, role: 'admin', regionCode: '500117' });
  await createUser(p.ctx.db, { username: 'jdadmin', displayName: '街道管理员', passwordHash: hash, role: 'admin', regionCode: homeStreet.code });
  t.admin = await p.login('admin', ADMIN_PASSWORD);
  for (const u of ['quadmin', 'jdadmin', 'zhihui', 'rexian', 'chengguan', 'jumin']) t[u] = await p.login(u);
  // the portal's system account exists once someone reported through the portal
  const r = await p.as(null).post('/api/v1/portal/cases', { categoryCode: '030102', title: '路灯不亮', description: '两盏路灯不亮', ...pointIn(homeGrid) });
  expect(r.status, r.text).toBe(201);
}, 120_000);
afterAll(async () => { await p?.close(); });

describe('who may administer', () => {
  it('keeps users and the calendar to administrators; lets command centres read the directories', async () => {
    for (const who of ['zhihui', 'rexian', 'chengguan', 'jumin']) {
      problem(await as(who).get('/api/v1/admin/users'), 403, 'forbidden');
      problem(await as(who).get('/api/v1/admin/calendar'), 403, 'forbidden');
      problem(await as(who).post('/api/v1/admin/units', { id: 'x-unit', name: '某单位', kind: 'department', regionCode: '500117' }), 403, 'forbidden');
      problem(await as(who).patch('/api/v1/admin/categories/020501', { limitMinutes: 60 }), 403);
      problem(await as(who).post('/api/v1/admin/responsibilities', { categoryCode: '020501', regionPrefix: '500117', leadUnitId: 'dept-shichang' }), 403, 'forbidden');
      problem(await as(who).put('/api/v1/admin/calendar', { overrides: {} }), 403);
    }
    for (const url of ['/api/v1/admin/units', '/api/v1/admin/categories', '/api/v1/admin/responsibilities']) {
      expect((await as('zhihui').get(url)).status).toBe(200);
      for (const who of ['rexian', 'chengguan', 'jumin']) problem(await as(who).get(url), 403, 'forbidden');
      problem(await req(null, 'GET', url), 401, 'unauthenticated');
    }
  });
});

describe('users', () => {
  it('lists and searches users in the administrator\'s region, never with password hashes or system accounts', async () => {
    const r = await as('admin').get('/api/v1/admin/users?q=rexian');
    expect(r.status, r.text).toBe(200);
    expect(r.body.items.map((u: any) => u.username).sort()).toEqual(['rexian', 'rexian2']);
    expect(r.body.items[0]).toMatchObject({ role: 'hotline_operator', unitId: 'hotline-500117', regionCode: '500117', active: true });
    const all = await as('admin').get('/api/v1/admin/users?pageSize=200&page=1');
    expect(all.body.total).toBeGreaterThan(200);
    expect(all.body.items).toHaveLength(200);
    expect(all.text).not.toMatch(/password|argon2/i);
    expect((await as('admin').get('/api/v1/admin/users?q=portal')).body.items).toEqual([]);
    const depts = await as('admin').get('/api/v1/admin/users?role=department&pageSize=100');
    expect(depts.body.items.every((u: any) => u.role === 'department')).toBe(true);
    expect(depts.body.total).toBe(14);
    // a street administrator sees only the street's users
    const street = await as('jdadmin').get('/api/v1/admin/users?pageSize=200');
    expect(street.body.items.every((u: any) => u.regionCode.startsWith(homeStreet.code))).toBe(true);
    expect(street.body.items.map((u: any) => u.username)).toContain('wangge');
    expect(street.body.items.map((u: any) => u.username)).not.toContain('zhihui');
    // the search term is data, not SQL or a pattern
    expect((await as('admin').get(`/api/v1/admin/users?q=${encodeURIComponent("' OR '1'='1")}`)).body.items).toEqual([]);
    expect((await as('admin').get('/api/v1/admin/users?q=%25')).body.items).toEqual([]);
    problem(await as('admin').get('/api/v1/admin/users?q=%00'), 400, 'validation_failed');
    problem(await as('admin').get('/api/v1/admin/units?q=%00'), 400, 'validation_failed');
    problem(await as('admin').get('/api/v1/admin/users?page=0'), 400, 'validation_failed');
    problem(await as('admin').get('/api/v1/admin/users?role=root'), 400, 'validation_failed');
  });

  it('creates a user who can then log in, and must first replace the password the administrator typed', async () => {
    const r = await as('admin').post('/api/v1/admin/users', {
      username: 'zhangwei', displayName: '城管局 张伟', password: 'a-long-password', role: 'department', unitId: 'dept-chengguan', regionCode: '500117',
    });
    expect(r.status, r.text).toBe(201);
    expect(r.body).toMatchObject({ username: 'zhangwei', role: 'department', unitId: 'dept-chengguan', unitName: '合川区城市管理局', active: true, locale: 'zh-CN' });
    expect(r.text).not.toMatch(/password|argon2/i);
    const token = await p.login('zhangwei', 'a-long-password');
    const a = await lastAudit();
    expect(a).toMatchObject({ action: 'user.create', target: `user:${r.body.id}` });
    expect(JSON.stringify(a.detail)).not.toContain('a-long-password');
    expect((await p.as(token).get('/api/v1/auth/me')).body).toMatchObject({ unitId: 'dept-chengguan', passwordChangeRequired: true });
    problem(await p.as(token).get('/api/v1/cases?inbox=true'), 403, 'password_change_required');
    expect((await p.as(token).post('/api/v1/auth/password', { currentPassword: 'a-long-password', newPassword: 'zhangwei-own-2026' })).status).toBe(204);
    expect((await p.as(token).get('/api/v1/cases?inbox=true')).status).toBe(200);
  });

  it('refuses duplicate, reserved and invalid users, changing nothing', async () => {
    const before = await counts();
    const ok = { username: 'newuser1', displayName: '新用户', password: 'a-long-password', role: 'community', regionCode: homeStreet.code };
    const post = (body: unknown) => as('admin').post('/api/v1/admin/users', body);
    problem(await post({ ...ok, username: 'REXIAN' }), 409, 'username_taken');
    problem(await post({ ...ok, username: 'portal' }), 409, 'username_taken');
    problem(await post({ ...ok, password: 'short' }), 400, 'validation_failed');
    problem(await post({ ...ok, role: 'superuser' }), 400, 'validation_failed');
    problem(await post({ ...ok, role: 1 }), 400, 'validation_failed');
    problem(await post({ ...ok, regionCode: '500117999999' }), 422, 'unknown_region');
    problem(await post({ ...ok, unitId: 'no-such-unit' }), 422, 'unknown_unit');
    problem(await post({ ...ok, role: 'department' }), 422, 'unit_required');
    problem(await post({ ...ok, username: "x'; DROP TABLE app_user; --" }), 400, 'validation_failed');
    problem(await post({ ...ok, displayName: '<script>alert(1)</script>' }), 400, 'validation_failed');
    problem(await post({ ...ok, displayName: 'a\u0000b' }), 400, 'validation_failed');
    problem(await post({ ...ok, displayName: 'x'.repeat(101) }), 400, 'validation_failed');
    problem(await post({ ...ok, displayName: MB }), 413);
    problem(await post({ ...ok, passwordHash: 'x' }), 400, 'validation_failed');
    problem(await post({ username: 'newuser1' }), 400, 'validation_failed');
    problem(await post(null), [400, 415]);
    problem(await post('not json'), [400, 415]);
    // a street administrator cannot create users outside the street
    problem(await as('jdadmin').post('/api/v1/admin/users', { ...ok, regionCode: otherStreet.code }), 422, 'outside_scope');
    problem(await as('jdadmin').post('/api/v1/admin/users', { ...ok, role: 'department', unitId: 'dept-chengguan' }), 422, 'unknown_unit');
    expect(await counts()).toEqual(before);
  });

  it('changes, deactivates and re-passwords users; sessions end with a new password or deactivation', async () => {
    const created = await as('admin').post('/api/v1/admin/users', {
      username: 'liming', displayName: '李明', password: 'first-password', role: 'community', regionCode: homeStreet.code, locale: 'en',
    });
    const id = created.body.id;
    const tok = await p.login('liming', 'first-password');
    expect((await p.as(tok).get('/api/v1/auth/me')).body).toMatchObject({ role: 'community', regionCode: homeStreet.code, passwordChangeRequired: true });
    expect((await p.as(tok).post('/api/v1/auth/password', { currentPassword: 'first-password', newPassword: 'liming-own-2026' })).status).toBe(204);
    expect((await p.as(tok).get('/api/v1/auth/me')).body.passwordChangeRequired).toBe(false);
    const r = await as('admin').patch(`/api/v1/admin/users/${id}`, { displayName: '李明（网格长）', role: 'grid_worker', regionCode: homeGrid.code });
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ displayName: '李明（网格长）', role: 'grid_worker', regionCode: homeGrid.code, locale: 'en' });
    // at once, though authentication is cached: the user's next request has the new role and scope
    expect((await p.as(tok).get('/api/v1/auth/me')).body).toMatchObject({ role: 'grid_worker', regionCode: homeGrid.code });
    expect((await lastAudit()).detail.changes.role).toEqual({ from: 'community', to: 'grid_worker' });

    const pw = await as('admin').patch(`/api/v1/admin/users/${id}`, { password: 'second-password' });
    expect(pw.status, pw.text).toBe(200);
    expect((await lastAudit()).detail).toMatchObject({ passwordChanged: true });
    expect(JSON.stringify((await lastAudit()).detail)).not.toContain('second-password');
    p.clock.advance(1); // past the session cache
    expect((await p.as(tok).get('/api/v1/auth/me')).status).toBe(401);
    await expect(p.login('liming', 'first-password')).rejects.toThrow();
    const tok2 = await p.login('liming', 'second-password');
    // the administrator knows the password they reset: the user replaces it before anything else
    expect((await p.as(tok2).get('/api/v1/auth/me')).body.passwordChangeRequired).toBe(true);
    problem(await p.as(tok2).get('/api/v1/cases'), 403, 'password_change_required');
    const off = await as('admin').patch(`/api/v1/admin/users/${id}`, { active: false });
    expect(off.body.active).toBe(false);
    p.clock.advance(1);
    expect((await p.as(tok2).get('/api/v1/auth/me')).status).toBe(401);
    await expect(p.login('liming', 'second-password')).rejects.toThrow();
  });

  it('serves a session from a short cache: a revocation by another process is seen within 5 seconds', async () => {
    const tok = await p.login('rexian');
    expect((await p.as(tok).get('/api/v1/auth/me')).status).toBe(200);
    // as another process would: the session row is revoked behind this process's back
    await p.ctx.db.query('UPDATE session SET revoked_at = $2 WHERE token_hash = $1', [createHash('sha256').update(tok).digest('hex'), p.clock.now]);
    expect((await p.as(tok).get('/api/v1/auth/me')).status).toBe(200); // served from the cache, no session query
    p.clock.advance(0.1); // 6 s
    expect((await p.as(tok).get('/api/v1/auth/me')).status).toBe(401);
  });

  it('refuses bad changes and changes outside the scope', async () => {
    const [me] = await p.ctx.db.query<{ id: number }>(`SELECT id FROM app_user WHERE username = 'admin'`);
    const [portal] = await p.ctx.db.query<{ id: number }>(`SELECT id FROM app_user WHERE username = 'portal'`);
    const [city] = await p.ctx.db.query<{ id: number }>(`SELECT id FROM app_user WHERE username = 'city'`);
    const [rexian] = await p.ctx.db.query<{ id: number }>(`SELECT id FROM app_user WHERE username = 'rexian'`);
    const before = await counts();
    problem(await as('admin').patch(`/api/v1/admin/users/${me.id}`, { active: false }), 409, 'cannot_change_self');
    problem(await as('admin').patch(`/api/v1/admin/users/${me.id}`, { role: 'resident' }), 409, 'cannot_change_self');
    problem(await as('admin').patch(`/api/v1/admin/users/${portal.id}`, { active: true, password: 'now-i-can-log-in' }), 403, 'system_account');
    problem(await as('quadmin').patch(`/api/v1/admin/users/${city.id}`, { displayName: '改名' }), 404, 'not_found');
    problem(await as('jdadmin').patch(`/api/v1/admin/users/${rexian.id}`, { displayName: '改名' }), 404, 'not_found');
    problem(await as('admin').patch('/api/v1/admin/users/99999999', { displayName: '改名' }), 404, 'not_found');
    problem(await as('admin').patch('/api/v1/admin/users/abc', { displayName: '改名' }), 400, 'validation_failed');
    problem(await as('admin').patch(`/api/v1/admin/users/${rexian.id}`, {}), 400, 'validation_failed');
    problem(await as('admin').patch(`/api/v1/admin/users/${rexian.id}`, { active: 'no' }), 400, 'validation_failed');
    problem(await as('admin').patch(`/api/v1/admin/users/${rexian.id}`, { role: 'department', unitId: null }), 422, 'unit_required');
    problem(await as('admin').patch(`/api/v1/admin/users/${rexian.id}`, { username: 'renamed' }), 400, 'validation_failed');
    problem(await as('admin').patch(`/api/v1/admin/users/${rexian.id}`, { displayName: MB }), 413);
    expect(await counts()).toEqual(before);
    expect((await p.login('rexian')).length).toBeGreaterThan(10);
  });
});

describe('units', () => {
  it('creates and changes units; refuses duplicates, cycles and deactivating a unit the routing needs', async () => {
    const r = await as('admin').post('/api/v1/admin/units', { id: 'dept-wenlv', name: '合川区文化和旅游发展委员会', nameEn: 'Culture and Tourism Commission', kind: 'department', regionCode: '500117' });
    expect(r.status, r.text).toBe(201);
    expect(r.body).toMatchObject({ id: 'dept-wenlv', kind: 'department', regionCode: '500117', active: true, parentId: null });
    expect((await lastAudit()).action).toBe('unit.create');
    const child = await as('admin').post('/api/v1/admin/units', { id: 'dept-wenlv-1', name: '文旅执法支队', kind: 'department', regionCode: '500117', parentId: 'dept-wenlv' });
    expect(child.status, child.text).toBe(201);
    const list = await as('zhihui').get('/api/v1/admin/units?kind=department&q=wenlv');
    expect(list.body.items.map((u: any) => u.id)).toEqual(['dept-wenlv', 'dept-wenlv-1']);

    const before = await counts();
    problem(await as('admin').post('/api/v1/admin/units', { id: 'DEPT-WENLV', name: '重复', kind: 'department', regionCode: '500117' }), 409, 'unit_exists');
    problem(await as('admin').patch('/api/v1/admin/units/dept-wenlv', { parentId: 'dept-wenlv-1' }), 422, 'unit_cycle');
    problem(await as('admin').patch('/api/v1/admin/units/dept-wenlv', { parentId: 'dept-wenlv' }), 422, 'unit_cycle');
    const inUse = await as('admin').patch('/api/v1/admin/units/dept-chengguan', { active: false });
    problem(inUse, 409, 'unit_in_use');
    // the unit by its name, and where to go: the responsibility list
    expect(inUse.body.detail).toMatch(/^权责清单中有 \d+ 条规则由「合川区城市管理局」承办或协办/);
    problem(await as('admin').patch('/api/v1/admin/units/dept-chengguan', { kind: 'hotline' }), 409, 'unit_in_use');
    problem(await as('admin').post('/api/v1/admin/units', { id: 'x y', name: '空格', kind: 'department', regionCode: '500117' }), 400, 'validation_failed');
    problem(await as('admin').post('/api/v1/admin/units', { id: 'x-1', name: '某局', kind: 'ministry', regionCode: '500117' }), 400, 'validation_failed');
    problem(await as('admin').post('/api/v1/admin/units', { id: 'x-1', name: '<img src=x onerror=alert(1)>', kind: 'department', regionCode: '500117' }), 400, 'validation_failed');
    problem(await as('admin').post('/api/v1/admin/units', { id: 'x-1', name: '某局', kind: 'department', regionCode: '999999' }), 422, 'unknown_region');
    problem(await as('admin').post('/api/v1/admin/units', { id: 'x-1', name: '某局', kind: 'department', regionCode: '500117', parentId: 'nope' }), 422, 'unknown_unit');
    problem(await as('admin').post('/api/v1/admin/units', { id: 'x-1', name: MB, kind: 'department', regionCode: '500117' }), 413);
    problem(await as('jdadmin').patch('/api/v1/admin/units/dept-wenlv', { name: '改名' }), 404, 'not_found');
    problem(await as('admin').patch('/api/v1/admin/units/no-such', { name: '改名' }), 404, 'not_found');
    problem(await as('admin').patch('/api/v1/admin/units/dept-wenlv', {}), 400, 'validation_failed');
    expect(await counts()).toEqual(before);

    const renamed = await as('admin').patch('/api/v1/admin/units/dept-wenlv-1', { name: '文旅综合执法支队', active: false });
    expect(renamed.body).toMatchObject({ name: '文旅综合执法支队', active: false });
    expect((await lastAudit()).detail.changes.active).toEqual({ from: true, to: false });
    const street = await as('jdadmin').get('/api/v1/admin/units');
    expect(street.body.items.every((u: any) => u.regionCode.startsWith(homeStreet.code))).toBe(true);
  });
});

describe('categories and time limits', () => {
  const reportHandling = async (categoryCode: string) => {
    const c = await p.as(t.rexian).post('/api/v1/cases', { categoryCode, title: '测试时限', description: '测试时限', ...pointIn(homeGrid) });
    expect(c.status, c.text).toBe(201);
    await p.as(t.rexian).post(`/api/v1/cases/${c.body.id}/actions/accept`, {});
    await p.as(t.rexian).post(`/api/v1/cases/${c.body.id}/actions/dispatch`, { leadUnitId: 'dept-chengguan' });
    return (await p.as(t.chengguan).post(`/api/v1/cases/${c.body.id}/actions/sign`, {})).body.case;
  };

  it('edits a time limit, and the next case runs on it', async () => {
    expect((await reportHandling('020501')).sla.limitMinutes).toBe(240);
    const r = await as('admin').patch('/api/v1/admin/categories/020501', { limitMinutes: 600, closingCondition: '摊点撤离，现场恢复' });
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ code: '020501', limitMinutes: 600, leaf: true, closingCondition: '摊点撤离，现场恢复' });
    expect((await lastAudit()).detail.changes.limitMinutes).toEqual({ from: 240, to: 600 });
    expect((await reportHandling('020501')).sla.limitMinutes).toBe(600);
    const list = await as('zhihui').get('/api/v1/admin/categories?type=urban');
    expect(list.body.items.find((c: any) => c.code === '020501').limitMinutes).toBe(600);
  });

  it('deactivates a category for intake, and adds a child category that takes cases at once', async () => {
    expect((await as('admin').patch('/api/v1/admin/categories/030104', { active: false })).status).toBe(200);
    const refused = await p.as(t.rexian).post('/api/v1/cases', { categoryCode: '030104', title: '设施损坏', description: '设施损坏', ...pointIn(homeGrid) });
    problem(refused, 422, 'unknown_category');
    expect((await as('admin').get('/api/v1/admin/categories?active=false')).body.items.map((c: any) => c.code)).toEqual(['030104']);

    const r = await as('admin').post('/api/v1/admin/categories', { code: '030199', parentCode: '0301', nameZh: '井盖异响', nameEn: 'Rattling manhole cover', limitMinutes: 840 });
    expect(r.status, r.text).toBe(201);
    expect(r.body).toMatchObject({ code: '030199', parentCode: '0301', leaf: true });
    expect(r.body.caseTypes).toContain('hotline'); // inherited from the group
    expect((await reportHandling('030199')).sla.limitMinutes).toBe(840);
  });

  it('refuses bad category edits, changing nothing', async () => {
    const before = await counts();
    const patch = (code: string, body: unknown) => as('admin').patch(`/api/v1/admin/categories/${code}`, body);
    const post = (body: unknown) => as('admin').post('/api/v1/admin/categories', body);
    problem(await patch('02', { limitMinutes: 60 }), 422, 'category_not_leaf');
    problem(await patch('999999', { nameZh: '无' }), 404, 'not_found');
    problem(await patch('020501', {}), 400, 'validation_failed');
    problem(await patch('020501', { limitMinutes: -5 }), 400, 'validation_failed');
    problem(await patch('020501', { limitMinutes: '60' }), 400, 'validation_failed');
    problem(await patch('020501', { limitMinutes: 1e9 }), 400, 'validation_failed');
    problem(await patch('020501', { nameZh: '<b>粗体</b>' }), 400, 'validation_failed');
    problem(await patch('020501', { filingCondition: MB }), 413);
    problem(await patch("02' OR '1'='1", { nameZh: '无' }), 400, 'validation_failed');
    const child = { code: '020598', parentCode: '0205', nameZh: '测试', nameEn: 'Test', limitMinutes: 60 };
    problem(await post({ ...child, code: '020501' }), 409, 'category_exists');
    problem(await post({ ...child, code: '02050101', parentCode: '020501' }), 422, 'parent_is_leaf');
    problem(await post({ ...child, code: '030198' }), 422, 'code_not_under_parent');
    problem(await post({ ...child, parentCode: '0299', code: '029901' }), 422, 'unknown_category');
    problem(await post({ ...child, caseTypes: ['parking'] }), 422, 'unknown_case_type');
    problem(await post({ ...child, caseTypes: ['Parking!'] }), 400, 'validation_failed');
    problem(await post({ ...child, nameEn: undefined }), 400, 'validation_failed');
    // categories are platform-wide: a street administrator may not edit them
    problem(await as('jdadmin').patch('/api/v1/admin/categories/020501', { limitMinutes: 60 }), 403, 'platform_admin_only');
    problem(await as('jdadmin').post('/api/v1/admin/categories', child), 403, 'platform_admin_only');
    expect(await counts()).toEqual(before);
  });
});

describe('responsibility list', () => {
  const routeOf = async (grid: typeof homeGrid) => {
    const c = await p.as(t.rexian).post('/api/v1/cases', { categoryCode: '030102', title: '路灯不亮', description: '三盏路灯不亮', ...pointIn(grid) });
    expect(c.status, c.text).toBe(201);
    return c.body.routing;
  };

  it('adds a street-specific rule that routing follows at once, and deletes it again', async () => {
    expect((await routeOf(homeGrid)).leadUnitId).toBe('dept-chengguan');
    const r = await as('admin').post('/api/v1/admin/responsibilities', {
      categoryCode: '030102', regionPrefix: homeStreet.code, leadUnitId: `sc-${homeStreet.code}`, assistUnitIds: ['dept-shichang'], note: '街道综合执法',
    });
    expect(r.status, r.text).toBe(201);
    expect(r.body).toMatchObject({ categoryCode: '030102', regionPrefix: homeStreet.code, leadUnitId: `sc-${homeStreet.code}`, assistUnitIds: ['dept-shichang'] });
    expect(r.body.assistUnits).toEqual([{ id: 'dept-shichang', name: '合川区市场监督管理局' }]);
    expect((await lastAudit()).action).toBe('responsibility.create');
    expect(await routeOf(homeGrid)).toMatchObject({ leadUnitId: `sc-${homeStreet.code}`, assistUnitIds: ['dept-shichang'], source: 'responsibility_list' });
    expect((await routeOf(otherGrid)).leadUnitId).toBe('dept-chengguan');

    const list = await as('zhihui').get(`/api/v1/admin/responsibilities?category=030102&region=${homeGrid.code}`);
    expect(list.body.items.map((x: any) => x.regionPrefix).sort()).toEqual(['500117', homeStreet.code]);
    const streetView = await as('jdadmin').get('/api/v1/admin/responsibilities?category=030102');
    expect(streetView.body.items).toHaveLength(2); // the district rule applies to the street too

    // edited in place: another lead unit, and routing follows at once
    const edited = await as('admin').patch(`/api/v1/admin/responsibilities/${r.body.id}`, { leadUnitId: 'dept-shichang', assistUnitIds: [], note: '' });
    expect(edited.status, edited.text).toBe(200);
    expect(edited.body).toMatchObject({ id: r.body.id, categoryCode: '030102', regionPrefix: homeStreet.code, leadUnitId: 'dept-shichang', assistUnitIds: [], note: null });
    expect((await lastAudit())).toMatchObject({ action: 'responsibility.update', target: `responsibility:${r.body.id}` });
    expect(await routeOf(homeGrid)).toMatchObject({ leadUnitId: 'dept-shichang', assistUnitIds: [], source: 'responsibility_list' });
    // moved onto the district's key, which the district rule holds: refused, naming that rule
    const taken = await as('admin').patch(`/api/v1/admin/responsibilities/${r.body.id}`, { regionPrefix: '500117' });
    problem(taken, 409, 'responsibility_exists');
    expect(taken.body).toMatchObject({ categoryCode: '030102', regionPrefix: '500117', id: expect.any(Number) });
    expect(taken.body.id).not.toBe(r.body.id);
    problem(await as('admin').patch(`/api/v1/admin/responsibilities/${r.body.id}`, { leadUnitId: 'dept-shichang', assistUnitIds: ['dept-shichang'] }), 422, 'duplicate_unit');
    problem(await as('admin').patch(`/api/v1/admin/responsibilities/${r.body.id}`, {}), 400, 'validation_failed');
    problem(await as('jdadmin').patch(`/api/v1/admin/responsibilities/${taken.body.id}`, { note: '改' }), 404, 'not_found'); // a district rule
    expect((await routeOf(homeGrid)).leadUnitId).toBe('dept-shichang');

    problem(await as('jdadmin').del('/api/v1/admin/responsibilities/1'), 404, 'not_found'); // a district rule
    const del = await as('admin').del(`/api/v1/admin/responsibilities/${r.body.id}`);
    expect(del.status, del.text).toBe(204);
    expect((await lastAudit()).action).toBe('responsibility.delete');
    expect((await routeOf(homeGrid)).leadUnitId).toBe('dept-chengguan');
    problem(await as('admin').del(`/api/v1/admin/responsibilities/${r.body.id}`), 404, 'not_found');
  });

  it('refuses bad rules, changing nothing', async () => {
    const before = await counts();
    const ok = { categoryCode: '020502', regionPrefix: homeStreet.code, leadUnitId: 'dept-shichang', assistUnitIds: [] };
    const post = (body: unknown) => as('admin').post('/api/v1/admin/responsibilities', body);
    problem(await post({ ...ok, regionPrefix: '500117' }), 409, 'responsibility_exists');
    problem(await post({ ...ok, leadUnitId: 'no-such' }), 422, 'unknown_unit');
    problem(await post({ ...ok, leadUnitId: 'hotline-500117' }), 422, 'unit_cannot_handle');
    problem(await post({ ...ok, assistUnitIds: ['dept-shichang'] }), 422, 'duplicate_unit');
    problem(await post({ ...ok, categoryCode: '999999' }), 422, 'unknown_category');
    problem(await post({ ...ok, regionPrefix: '500117999' }), 422, 'unknown_region');
    problem(await as('jdadmin').post('/api/v1/admin/responsibilities', { ...ok, regionPrefix: otherStreet.code }), 422, 'outside_scope');
    problem(await post({ ...ok, assistUnitIds: 'dept-shichang' }), 400, 'validation_failed');
    problem(await post({ ...ok, leadUnitId: "'; DELETE FROM responsibility; --" }), 400, 'validation_failed');
    problem(await post({ ...ok, note: '<script>x</script>' }), 400, 'validation_failed');
    problem(await post({ ...ok, note: MB }), 413);
    problem(await post({ categoryCode: '020502' }), 400, 'validation_failed');
    problem(await as('admin').del('/api/v1/admin/responsibilities/abc'), 400, 'validation_failed');
    expect(await counts()).toEqual(before);
  });
});

describe('working calendar', () => {
  const dueOfNewCase = async () => {
    const c = await p.as(t.rexian).post('/api/v1/cases', { categoryCode: '020501', title: '占道', description: '占道', ...pointIn(homeGrid) });
    return c.body.sla.dueAt;
  };

  it('reads the default, stores overrides and hours, and deadlines follow at once', async () => {
    const r = await as('admin').get('/api/v1/admin/calendar');
    expect(r.body).toEqual({ hours: { periods: [{ start: '09:00', end: '12:00' }, { start: '13:30', end: '17:30' }] }, overrides: {} });
    p.clock.set('2026-11-16T09:00:00Z'); // Monday 17:00: the one-hour acceptance limit runs into Tuesday
    t.rexian = await p.login('rexian');
    expect(await dueOfNewCase()).toBe('2026-11-17T01:30:00.000Z'); // Tuesday 09:30
    const put = await as('admin').put('/api/v1/admin/calendar', { overrides: { '2026-11-17': 'holiday' } });
    expect(put.status, put.text).toBe(200);
    expect(put.body.overrides).toEqual({ '2026-11-17': 'holiday' });
    expect((await lastAudit()).action).toBe('calendar.update');
    expect(await dueOfNewCase()).toBe('2026-11-18T01:30:00.000Z'); // Wednesday 09:30
    const hours = await as('admin').put('/api/v1/admin/calendar', { hours: { periods: [{ start: '08:30', end: '12:00' }, { start: '14:00', end: '18:00' }] } });
    expect(hours.body).toEqual({ hours: { periods: [{ start: '08:30', end: '12:00' }, { start: '14:00', end: '18:00' }] }, overrides: { '2026-11-17': 'holiday' } });
    expect(await dueOfNewCase()).toBe('2026-11-16T10:00:00.000Z'); // Monday 18:00, the same day now
    expect((await as('admin').put('/api/v1/admin/calendar', { overrides: {} })).body.overrides).toEqual({});
  });

  it('refuses invalid calendars, changing nothing', async () => {
    const before = await counts();
    const cal = (await as('admin').get('/api/v1/admin/calendar')).body;
    const put = (body: unknown) => as('admin').put('/api/v1/admin/calendar', body);
    const bad: unknown[] = [
      {}, { hours: { periods: [] } }, { hours: { periods: [{ start: '12:00', end: '09:00' }] } },
      { hours: { periods: [{ start: '09:00', end: '12:00' }, { start: '11:00', end: '13:00' }] } },
      { hours: { periods: [{ start: '25:00', end: '26:00' }] } }, { hours: { periods: [{ start: '9:00', end: '12:00' }] } },
      { hours: { periods: [{ start: '09:00' }] } }, { overrides: { '2026-02-30': 'holiday' } }, { overrides: { '2026-11-17': 'weekend' } },
      { overrides: { "2026-11-17'; --": 'holiday' } }, { overrides: [] }, { hours: 'always' }, { timezone: 'UTC' },
    ];
    for (const body of bad) problem(await put(body), 400, 'validation_failed');
    problem(await put({ overrides: { [MB]: 'holiday' } }), 413);
    problem(await as('jdadmin').put('/api/v1/admin/calendar', { overrides: {} }), 403, 'platform_admin_only');
    expect((await as('admin').get('/api/v1/admin/calendar')).body).toEqual(cal);
    expect(await counts()).toEqual(before);
  });
});

describe('audit', () => {
  it('has a row for every administrative write, naming the actor', async () => {
    const [admin] = await p.ctx.db.query<{ id: number }>(`SELECT id FROM app_user WHERE username = 'admin'`);
    const rows = await p.ctx.db.query<{ action: string; actor_id: number }>('SELECT action, actor_id FROM audit_log ORDER BY id');
    const actions = new Set(rows.map((r) => r.action));
    for (const a of ['user.create', 'user.update', 'unit.create', 'unit.update', 'category.update', 'category.create',
      'responsibility.create', 'responsibility.delete', 'calendar.update']) expect(actions).toContain(a);
    // users changing their own password (as those the administrator created must) are the actors of those rows
    expect(rows.filter((r) => r.action !== 'user.password_change').every((r) => Number(r.actor_id) === Number(admin.id))).toBe(true);
    expect(DEMO_PASSWORD).toBeTruthy();
  });
});
