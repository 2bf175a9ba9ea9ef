// A new district after `gongzhi init`, started in production mode as its administrator does (walk w10): a normal
// start logs no error, and the administrator's set-up checklist says what is left to do, step by step, from the
// database — each step turning done as the administrator does it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { createPlatform, type Platform } from '../../src/app.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { migrate } from '../../src/platform/db/migrate.ts';
import { resetAuthCaches } from '../../src/platform/auth/service.ts';
import { initDistricts } from '../../src/setup/init.ts';
import { emptyDatabase, type EmptyDb } from '../helpers/empty-db.ts';
import ExcelJS from 'exceljs';
import { readCatalog } from '../../src/modules/cases/catalog.ts';

let empty: EmptyDb;
let p: Platform;
const logLines: Array<{ level: number; msg?: string }> = [];
const ADMIN_PASSWORD = 'huishan-admin-2026';
const now = new Date('2026-11-16T01:30:00Z');

async function call(token: string | null, method: string, url: string, body?: unknown) {
  const r = await p.http.inject({ method: method as any, url, payload: body as any, headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: r.statusCode, body: r.body ? JSON.parse(r.body) : null, text: r.body };
}

beforeAll(async () => {
  resetAuthCaches();
  empty = await emptyDatabase();
  await migrate(empty.db);
  await initDistricts(empty.db, { district: '320206', adminPassword: ADMIN_PASSWORD });
  const config = loadConfig({
    GONGZHI_ENV: 'production', GONGZHI_DATA_KEY: 'cd'.repeat(32), GONGZHI_DATA_DIR: '.tmp/test-data', LOG_LEVEL: 'info',
    ...(empty.url ? { DATABASE_URL: empty.url } : {}),
  } as NodeJS.ProcessEnv);
  // every line the platform logs, as `gongzhi start` writes them
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
      done();
    },
  });
  p = await createPlatform({ config, db: empty.db, now: () => now, logLevel: 'info', logStream: stream });
  await p.http.ready();
}, 180_000);
afterAll(async () => { await p?.close(); await empty?.drop(); });

describe('a production start of a district init has just set up', () => {
  it('logs no error (nothing at level 50 or above): an SMS gateway not configured is a warning', async () => {
    p.startBackground();
    await new Promise((r) => setTimeout(r, 1500));
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.filter((l) => l.level >= 50).map((l) => l.msg)).toEqual([]);
    expect(logLines.find((l) => /resident sign-in by phone is off/.test(l.msg ?? ''))?.level).toBe(40);
  });
});

describe('the administrator\'s set-up checklist', () => {
  let admin: string;
  const steps = async (token = admin) => {
    const r = await call(token, 'GET', '/api/v1/admin/setup-checklist');
    expect(r.status, r.text).toBe(200);
    return { ...r.body, done: Object.fromEntries((r.body.steps as any[]).map((s) => [s.key, s.done])) };
  };

  it('says what init did and what is left: regions loaded; units, users, responsibility list, grid outlines and the password to do', async () => {
    const r = await call(null, 'POST', '/api/v1/auth/login', { username: 'admin', password: ADMIN_PASSWORD });
    expect(r.status, r.text).toBe(200);
    admin = r.body.token;
    const list = await steps();
    expect(list.demo).toBe(false);
    expect(list.complete).toBe(false);
    expect(list.steps.map((s: any) => s.key)).toEqual(['regions', 'units', 'users', 'responsibilities', 'gridOutlines', 'adminPassword']);
    expect(list.steps[0]).toEqual({ key: 'regions', done: true, count: 9 });
    expect(list.done).toMatchObject({ units: false, users: false, responsibilities: false, gridOutlines: false, adminPassword: false });
  });

  it('turns each step done as the administrator does it, and is complete at the end', async () => {
    const unit = await call(admin, 'POST', '/api/v1/admin/units', { id: 'hs-chengguan', name: '惠山区城市管理局', kind: 'department', regionCode: '320206', parentId: 'cmd-320206' });
    expect(unit.status, unit.text).toBe(201);
    expect((await steps()).done).toMatchObject({ units: true, users: false });

    const user = await call(admin, 'POST', '/api/v1/admin/users', {
      username: 'hs.chengguan', displayName: '城管用户', password: 'a-long-password-2026', role: 'department', regionCode: '320206', unitId: 'hs-chengguan',
    });
    expect(user.status, user.text).toBe(201);
    expect((await steps()).done).toMatchObject({ users: true, responsibilities: false });

    const rule = await call(admin, 'POST', '/api/v1/admin/responsibilities', { categoryCode: '020501', regionPrefix: '320206', leadUnitId: 'hs-chengguan' });
    expect(rule.status, rule.text).toBe(201);
    expect((await steps()).done).toMatchObject({ responsibilities: true, gridOutlines: false });

    const d = 0.004;
    const [lng, lat] = [120.279, 31.679];
    const grid = await call(admin, 'POST', '/api/v1/grids/import?mode=upsert', {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { code: '32020600100201', name: '陈家桥社区第1网格' },
        geometry: { type: 'Polygon', coordinates: [[[lng, lat], [lng + d, lat], [lng + d, lat + d], [lng, lat + d], [lng, lat]]] } }],
    });
    expect(grid.status, grid.text).toBe(201);
    expect((await steps()).done).toMatchObject({ gridOutlines: true, adminPassword: false });

    // the password from GONGZHI_ADMIN_PASSWORD (in the environment, in a shell's history) is replaced by one of the admin's own
    const changed = await call(admin, 'POST', '/api/v1/auth/password', { currentPassword: ADMIN_PASSWORD, newPassword: 'huishan-admin-own-2026' });
    expect(changed.status, changed.text).toBe(204);
    const last = await steps();
    expect(last.done.adminPassword).toBe(true);
    expect(last.complete).toBe(true);
  });

  it('is the administrator\'s: other roles are refused', async () => {
    const r = await call(null, 'POST', '/api/v1/auth/login', { username: 'hs.chengguan', password: 'a-long-password-2026' });
    const forced = await call(r.body.token, 'POST', '/api/v1/auth/password', { currentPassword: 'a-long-password-2026', newPassword: 'hs-chengguan-own-2026' });
    expect(forced.status, forced.text).toBe(204);
    expect((await call(r.body.token, 'GET', '/api/v1/admin/setup-checklist')).status).toBe(403);
    expect((await call(null, 'GET', '/api/v1/admin/setup-checklist')).status).toBe(401);
  });
});

describe('the responsibility list\'s import template, downloaded from the console', () => {
  it('is an XLSX workbook whose 事项分类 sheet lists every category code with its name and level, and the district\'s units', async () => {
    const login = await call(null, 'POST', '/api/v1/auth/login', { username: 'admin', password: 'huishan-admin-own-2026' });
    expect(login.status, login.text).toBe(200);
    const r = await p.http.inject({ method: 'GET', url: '/api/v1/admin/setup-templates/responsibilities', headers: { authorization: `Bearer ${login.body.token}` } });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toContain('spreadsheetml');
    expect(String(r.headers['content-disposition'])).toContain(encodeURIComponent('权责清单导入模板.xlsx'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    const rows = (name: string) => {
      const out: string[][] = [];
      wb.getWorksheet(name)!.eachRow((row) => { out.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))); });
      return out;
    };
    const categories = rows('事项分类');
    expect(categories[0]).toEqual(['分类代码(code)', '分类名称(name)', '英文名称(English name)', '层级(level)', '上级分类(parent)']);
    expect(categories.map((c) => c[0])).toEqual(expect.arrayContaining(readCatalog().categories.map((c) => c.code)));
    expect(categories.find((c) => c[0] === '020501')).toEqual(['020501', '占道经营', expect.any(String), '三级 (level 3)', '0205 街面秩序']);
    expect(rows('已有单位').map((u) => u[0])).toEqual(expect.arrayContaining(['cmd-320206', 'hotline-320206', 'hs-chengguan']));
    expect(rows('data')[0][0]).toBe('事项分类(categoryCode)');
    // the units and users templates too; a department may not download them; an unknown kind is refused
    for (const kind of ['units', 'users']) {
      const t = await p.http.inject({ method: 'GET', url: `/api/v1/admin/setup-templates/${kind}`, headers: { authorization: `Bearer ${login.body.token}` } });
      expect(t.statusCode, kind).toBe(200);
    }
    const dept = await call(null, 'POST', '/api/v1/auth/login', { username: 'hs.chengguan', password: 'hs-chengguan-own-2026' });
    expect((await call(dept.body.token, 'GET', '/api/v1/admin/setup-templates/responsibilities')).status).toBe(403);
    expect((await call(login.body.token, 'GET', '/api/v1/admin/setup-templates/persons')).status).toBe(400);
  });
});

