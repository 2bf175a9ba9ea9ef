// A real district set up from nothing, as a new user would: 无锡市惠山区 (320206) on an empty database of
// its own (PGlite in memory, or a scratch PostgreSQL database), in production mode. `init` builds the
// region tree from the official division data, the territorial units, the category tree and the admin;
// units, users and the responsibility list come from CSV and XLSX files; then a 12345 ticket is filed,
// dispatched to an imported department by the imported responsibility list, and closed over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createPlatform, type Platform } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/platform/config.ts';
import { createUser, getActor, resetAuthCaches } from '../../src/platform/auth/service.ts';
import { readTable } from '../../src/platform/spreadsheet.ts';
import { initDistricts, InitRefusedError, type InitResult } from '../../src/setup/init.ts';
import { planStart, startFacts } from '../../src/setup/start.ts';
import { rowReport, runSetupImport, type SetupImportResult } from '../../src/modules/admin/setup-import.ts';
import { loadCatalog, readCatalog } from '../../src/modules/cases/catalog.ts';
import { hazardCategories } from '../../src/modules/risk/hazards.ts';
import { emptyDatabase, type EmptyDb } from '../helpers/empty-db.ts';
import { expectProblemStatus, type Res } from '../helpers/platform.ts';

const fixtures = join(import.meta.dirname, '../fixtures/deploy');
let empty: EmptyDb;
let config: Config;
let init: InitResult;
let p: Platform;
const tokens: Record<string, string> = {};
let passwords: SetupImportResult['passwords'] = [];
const now = new Date('2026-11-16T01:30:00Z'); // a Monday, 09:30 in 无锡

async function call(token: string | null, method: string, url: string, body?: unknown): Promise<Res> {
  const r = await p.http.inject({ method: method as any, url, payload: body as any, headers: token ? { authorization: `Bearer ${token}` } : {} });
  let parsed: any = null;
  try { parsed = r.body ? JSON.parse(r.body) : null; } catch { parsed = null; }
  return { status: r.statusCode, body: parsed, headers: r.headers, text: r.body };
}
const as = (who: string) => ({
  get: (url: string) => call(tokens[who], 'GET', url),
  post: (url: string, body: unknown = {}) => call(tokens[who], 'POST', url, body),
  patch: (url: string, body: unknown) => call(tokens[who], 'PATCH', url, body),
});
async function login(username: string, password: string): Promise<Res> {
  return call(null, 'POST', '/api/v1/auth/login', { username, password });
}
/** Logs in with a generated password and replaces it, as the console makes the user do. */
async function firstLogin(username: string, generated: string, chosen: string): Promise<void> {
  const r = await login(username, generated);
  expect(r.status, r.text).toBe(200);
  expect(r.body.passwordChangeRequired).toBe(true);
  const changed = await call(r.body.token, 'POST', '/api/v1/auth/password', { currentPassword: generated, newPassword: chosen });
  expect(changed.status, changed.text).toBe(204);
  tokens[username] = r.body.token;
}
async function importFile(kind: 'units' | 'users' | 'responsibilities', file: string, username = 'admin', opts: Parameters<typeof runSetupImport>[4] = {}) {
  const [u] = await empty.db.query<{ id: number }>('SELECT id FROM app_user WHERE username = $1', [username]);
  const actor = (await getActor(empty.db, Number(u.id)))!;
  return runSetupImport(empty.db, actor, kind, await readTable(join(fixtures, file)), { source: file, ...opts });
}
const count = async (sql: string) => Number((await empty.db.query<{ n: number }>(sql))[0].n);

beforeAll(async () => {
  resetAuthCaches();
  empty = await emptyDatabase();
  config = loadConfig({
    GONGZHI_ENV: 'production', GONGZHI_DATA_KEY: 'cd'.repeat(32), GONGZHI_DATA_DIR: '.tmp/test-data', LOG_LEVEL: 'silent',
    ...(empty.url ? { DATABASE_URL: empty.url } : {}),
  } as NodeJS.ProcessEnv);
  p = await createPlatform({ config, db: empty.db, now: () => now, logLevel: 'silent' });
  await p.http.ready();
}, 180_000);
afterAll(async () => { await p?.close(); await empty?.drop(); });

describe('an empty database that is not the embedded demo', () => {
  it('is not served: start says to run init, and no demo account exists', async () => {
    const plan = planStart(await startFacts(empty.db, config, undefined));
    expect(plan.action).toBe('refuse');
    if (plan.action === 'refuse') expect(plan.message.join('\n')).toContain('npx gongzhi init --district');
    expect(await count('SELECT count(*)::int AS n FROM region')).toBe(0);
    expect(await count('SELECT count(*)::int AS n FROM app_user WHERE demo')).toBe(0);
  });
});

describe('gongzhi init --district 320206', () => {
  it('builds 惠山区 with its 9 street-level regions and 123 communities and villages, and the admin', async () => {
    init = await initDistricts(empty.db, { district: '320206' });
    await p.reload();
    expect(init.status).toBe('created');
    expect(init.counts).toEqual({ streets: 9, communities: 123, grids: 123, units: 2 + 9 + 123 });
    expect(init.admin).toMatchObject({ created: true, generated: true });
    expect(init.admin.password).toMatch(/^[\w-]{16}$/);
    // start now serves it, and production mode finds no demo accounts to refuse
    expect(planStart(await startFacts(empty.db, config, undefined)).action).toBe('serve');
  });

  it('makes the admin change the generated password before anything else', async () => {
    const first = await login('admin', init.admin.password!);
    expect(first.status, first.text).toBe(200);
    expect(first.body.passwordChangeRequired).toBe(true);
    // production mode: the session cookie is Secure
    expect(String(first.headers['set-cookie'])).toMatch(/gz_session=[^;]+;.*Secure/i);
    const t = first.body.token;
    for (const [method, url] of [['GET', '/api/v1/admin/units'], ['GET', '/api/v1/regions/320206/children'], ['GET', '/api/v1/cases'], ['POST', '/api/v1/admin/units']]) {
      expectProblemStatus(await call(t, method, url, method === 'POST' ? { id: 'x', name: 'x', kind: 'department', regionCode: '320206' } : undefined), 403, 'password_change_required');
    }
    expect(await count(`SELECT count(*)::int AS n FROM unit WHERE id = 'x'`)).toBe(0);
    const me = await call(t, 'GET', '/api/v1/auth/me');
    expect(me.body).toMatchObject({ username: 'admin', demo: false, passwordChangeRequired: true });
    // the admin of a district set-up administers that district, not the province above it
    expect(me.body.regionCode).toBe('320206');
    // a second session, which the change will end
    const other = (await login('admin', init.admin.password!)).body.token;
    expectProblemStatus(await call(t, 'POST', '/api/v1/auth/password', { currentPassword: 'wrong-password', newPassword: 'huishan-admin-2026' }), 403, 'wrong_password');
    expectProblemStatus(await call(t, 'POST', '/api/v1/auth/password', { currentPassword: init.admin.password, newPassword: 'short' }), 400, 'validation_failed');
    expectProblemStatus(await call(t, 'POST', '/api/v1/auth/password', { currentPassword: init.admin.password, newPassword: init.admin.password }), 422, 'password_unchanged');
    expect((await call(t, 'POST', '/api/v1/auth/password', { currentPassword: init.admin.password, newPassword: 'huishan-admin-2026' })).status).toBe(204);
    expect((await call(t, 'GET', '/api/v1/auth/me')).body.passwordChangeRequired).toBe(false);
    expect((await call(t, 'GET', '/api/v1/admin/units')).status).toBe(200);
    expect((await call(other, 'GET', '/api/v1/auth/me')).status).toBe(401);
    expect((await login('admin', init.admin.password!)).status).toBe(401);
    tokens.admin = (await login('admin', 'huishan-admin-2026')).body.token;
    expect(await count(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'user.password_change'`)).toBe(1);
  });

  it('serves the official streets and communities, with codes and names, over HTTP', async () => {
    const streets = await as('admin').get('/api/v1/regions/320206/children');
    expect(streets.status, streets.text).toBe(200);
    expect(streets.body.items ?? streets.body).toBeDefined();
    const list: any[] = streets.body.items ?? streets.body;
    expect(list.map((s) => [s.code, s.name, s.kind])).toEqual([
      ['320206001', '堰桥街道', 'street'], ['320206002', '长安街道', 'street'], ['320206003', '钱桥街道', 'street'],
      ['320206004', '前洲街道', 'street'], ['320206005', '玉祁街道', 'street'], ['320206102', '洛社镇', 'town'],
      ['320206103', '阳山镇', 'town'], ['320206401', '无锡惠山经济开发区', 'development_zone'],
      ['320206500', '无锡惠山工业转型集聚区', 'development_zone'],
    ]);
    let communities: any[] = [];
    for (const s of list) {
      const r = await as('admin').get(`/api/v1/regions/${s.code}/children`);
      communities = communities.concat((r.body.items ?? r.body).map((c: any) => ({ ...c, street: s.code })));
    }
    expect(communities).toHaveLength(123);
    expect(communities.filter((c) => c.kind === 'village')).toHaveLength(29);
    expect(communities.find((c) => c.code === '320206001002')).toMatchObject({ name: '陈家桥社区居委会', shortName: '陈家桥社区', officialCode: '320206001002', street: '320206001' });
    expect(communities.find((c) => c.code === '320206500498')).toMatchObject({ name: '惠山工业转型集聚区虚拟社区', street: '320206500' });
    for (const c of communities) expect(c.code.startsWith(c.street)).toBe(true);
    const ancestors = await as('admin').get('/api/v1/regions/320206001002/ancestors');
    expect((ancestors.body.items ?? ancestors.body).map((r: any) => r.name)).toEqual(['江苏省', '无锡市', '惠山区', '堰桥街道']);
  });

  it('creates the territorial units that 属地兜底 needs, and loads the category tree', async () => {
    const units = (await as('admin').get('/api/v1/admin/units')).body.items as any[];
    const of = (kind: string) => units.filter((u) => u.kind === kind);
    expect(of('command_centre').map((u) => [u.id, u.name])).toEqual([['cmd-320206', '惠山区社会治理指挥中心']]);
    expect(of('hotline').map((u) => [u.id, u.name])).toEqual([['hotline-320206', '惠山区12345热线服务中心']]);
    expect(of('street_centre')).toHaveLength(9);
    expect(of('street_centre').find((u) => u.id === 'sc-320206401')).toMatchObject({ name: '无锡惠山经济开发区综治中心', regionCode: '320206401', parentId: 'cmd-320206' });
    expect(of('community')).toHaveLength(123);
    expect(of('community').find((u) => u.id === 'cm-320206001002')).toMatchObject({ name: '陈家桥社区居委会', parentId: 'sc-320206001' });
    const cats = (await as('admin').get('/api/v1/categories')).body.items as any[];
    // the catalogue file's tree, and the risk register's categories that the risk module adds
    expect(cats.map((c: any) => c.code).sort()).toEqual([...readCatalog().categories.map((c) => c.code), ...hazardCategories.map((c) => c.code)].sort());
    expect(cats.find((c: any) => c.code === '020501')).toMatchObject({ name: { zh: '占道经营' }, limitMinutes: expect.any(Number) });
    expect((await as('admin').get('/api/v1/admin/responsibilities')).body.items).toEqual([]);
  });

  it('is idempotent for the same district and refuses another one on this database', async () => {
    const again = await initDistricts(empty.db, { district: '320206' });
    expect(again.status).toBe('already');
    await expect(initDistricts(empty.db, { district: '320205' })).rejects.toThrow(InitRefusedError);
    expect(await count(`SELECT count(*)::int AS n FROM region WHERE code LIKE '320205%'`)).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM app_user`)).toBe(1);
  });
});

describe('set-up imports', () => {
  it('refuses a file with errors whole, reporting every error of every row, in Chinese by default and in English', async () => {
    const before = await count('SELECT count(*)::int AS n FROM unit');
    const r = await importFile('units', 'huishan-units-bad.csv');
    expect(r).toMatchObject({ status: 'failed', written: 0, rows: 5 });
    expect(await count('SELECT count(*)::int AS n FROM unit')).toBe(before);
    const rows = [...new Set(r.errors.map((e) => e.row))];
    expect(rows).toEqual([3, 4, 5, 6]); // row 2 is right, row 7 is blank
    const row3 = r.errors.filter((e) => e.row === 3);
    expect(row3.map((e) => [e.column, e.code])).toEqual([
      ['id', 'duplicate_in_file'], ['kind', 'invalid_choice'], ['regionCode', 'unknown_region'], ['parentId', 'unknown_unit']]);
    expect(rowReport('units', 3, row3, 'zh')).toBe(
      '第 3 行：单位编码“hs-ok”：与第 2 行重复；单位类型“部门”：不是可选值，可选：指挥中心、街道综治中心、社区居委会、职能部门、12345热线中心、网格工作组、区县政府、市政府；'
      + '所属区划编码“320299”：区划不存在；上级单位编码“nope”：单位不存在、已停用或不在您的范围内');
    const row4 = r.errors.filter((e) => e.row === 4);
    expect(rowReport('units', 4, row4, 'en')).toBe(
      'row 4: unit id "cmd-320206": exists already; name "<b>指挥中心</b>": contains control characters or markup; region code "500117": no such region');
    expect(r.errors.filter((e) => e.row >= 5).map((e) => e.code)).toEqual(['unit_cycle', 'unit_cycle']);
    // valid_rows writes the right row and leaves the others out
    const partial = await importFile('units', 'huishan-units-bad.csv', 'admin', { mode: 'valid_rows' });
    expect(partial).toMatchObject({ status: 'partial', written: 1 });
    expect(await count(`SELECT count(*)::int AS n FROM unit WHERE id = 'hs-ok'`)).toBe(1);
  });

  it('imports only in the importer\'s scope, and only for administrators and command centres', async () => {
    await createUser(empty.db, { username: 'yq.zhihui', displayName: '堰桥街道指挥中心', password: 'yanqiao-duty-2026', role: 'command_centre', unitId: 'sc-320206001', regionCode: '320206001' });
    await createUser(empty.db, { username: 'yq.jiedao', displayName: '堰桥街道综治中心', password: 'yanqiao-duty-2026', role: 'street_centre', unitId: 'sc-320206001', regionCode: '320206001' });
    await expect(importFile('units', 'huishan-units.csv', 'yq.jiedao')).rejects.toMatchObject({ status: 403, code: 'forbidden' });
    const street = await importFile('units', 'huishan-units.csv', 'yq.zhihui');
    expect(street.status).toBe('failed');
    // the street's own squad is in scope; the district departments are not
    expect(street.errors.filter((e) => e.code === 'outside_scope').map((e) => e.row)).toEqual([4, 5, 6]);
    expect(street.errors.find((e) => e.row === 3)).toBeUndefined();
    // a command centre cannot make administrators
    const table = [{ n: 1, cells: ['username', 'displayName', 'role', 'regionCode'] }, { n: 2, cells: ['yq.admin', '越权', '系统管理员', '320206001'] }];
    const [u] = await empty.db.query<{ id: number }>(`SELECT id FROM app_user WHERE username = 'yq.zhihui'`);
    const refused = await runSetupImport(empty.db, (await getActor(empty.db, Number(u.id)))!, 'users', table);
    expect(refused.errors.map((e) => e.code)).toEqual(['role_not_allowed']);
    expect(await count(`SELECT count(*)::int AS n FROM app_user WHERE username = 'yq.admin'`)).toBe(0);
  });

  it('imports units from CSV, users from XLSX and the responsibility list from CSV', async () => {
    const units = await importFile('units', 'huishan-units.csv');
    expect(units.errors).toEqual([]);
    expect(units).toMatchObject({ status: 'done', rows: 4, written: 4 });
    const squad = (await as('admin').get('/api/v1/admin/units?q=hs-cg-yanqiao')).body.items[0];
    expect(squad).toMatchObject({ name: '惠山区城市管理局堰桥中队', kind: 'department', regionCode: '320206001', parentId: 'hs-chengguan' });
    expect((await as('admin').get('/api/v1/admin/units?q=hs-shichang')).body.items[0].parentId).toBe('cmd-320206');

    const users = await importFile('users', 'huishan-users.xlsx');
    expect(users.errors).toEqual([]);
    expect(users).toMatchObject({ status: 'done', rows: 5, written: 5 });
    passwords = users.passwords;
    // a password each for the rows without one, nobody else's
    expect(passwords.map((x) => x.username)).toEqual(['hs.rexian', 'hs.chengguan', 'hs.jiedao']);
    const listed = (await as('admin').get('/api/v1/admin/users?q=hs.&pageSize=50')).body.items as any[];
    expect(listed.find((x) => x.username === 'hs.chengguan')).toMatchObject({ role: 'department', unitId: 'hs-chengguan', regionCode: '320206' });
    expect(listed.find((x) => x.username === 'hs.zhihui')).toMatchObject({ role: 'command_centre', locale: 'en', regionCode: '320206' });

    const rules = await importFile('responsibilities', 'huishan-responsibilities.csv');
    expect(rules.errors).toEqual([]);
    expect(rules.written).toBe(3);
    const list = (await as('admin').get('/api/v1/admin/responsibilities')).body.items as any[];
    expect(list.map((r) => [r.categoryCode, r.regionPrefix, r.leadUnitId, r.assistUnitIds])).toEqual([
      ['010108', '320206', 'hs-chengguan', []],
      ['020501', '320206', 'hs-chengguan', ['hs-shichang']],
      ['020501', '320206001', 'hs-cg-yanqiao', []],
    ]);
    // importing the same rules again changes nothing
    const again = await importFile('responsibilities', 'huishan-responsibilities.csv');
    expect(again.errors.map((e) => e.code)).toEqual(['responsibility_exists', 'responsibility_exists', 'responsibility_exists']);
    expect(await count(`SELECT count(*)::int AS n FROM audit_log WHERE action IN ('unit.create', 'user.create', 'responsibility.create')`)).toBe(1 + 4 + 5 + 3);
    await p.reload();
  });

  it('makes imported users change the password at the first login, generated or given in the file (the administrator knows both)', async () => {
    const pw = (u: string) => passwords.find((x) => x.username === u)!.password;
    await firstLogin('hs.rexian', pw('hs.rexian'), 'rexian-huishan-2026');
    await firstLogin('hs.chengguan', pw('hs.chengguan'), 'chengguan-huishan-2026');
    await firstLogin('hs.cg.yanqiao', 'yanqiao-squad-2026', 'yanqiao-squad-own-2026');
    for (const u of ['hs.rexian', 'hs.chengguan', 'hs.cg.yanqiao']) {
      expect((await as(u).get('/api/v1/auth/me')).body).toMatchObject({ username: u, demo: false, passwordChangeRequired: false });
    }
    expect(await count('SELECT count(*)::int AS n FROM app_user WHERE demo')).toBe(0);
  });
});

describe('accounts of the street, the community and the hotline created without a unit', () => {
  it('work for their region\'s own unit, so what is sent to that unit reaches their inbox', async () => {
    const create = (username: string, role: string, regionCode: string) => as('admin').post('/api/v1/admin/users', {
      username, displayName: username, password: 'a-long-password-2026', role, regionCode,
    });
    const street = await create('hs.yq.jiedao2', 'street_centre', '320206001');
    expect(street.status, street.text).toBe(201);
    expect(street.body).toMatchObject({ unitId: 'sc-320206001', unitName: '堰桥街道综治中心' });
    const [community] = (await empty.db.query<{ code: string }>(`SELECT code FROM region WHERE parent_code = '320206001' AND level = 'community' ORDER BY code LIMIT 1`));
    expect((await create('hs.yq.shequ', 'community', community.code)).body).toMatchObject({ unitId: `cm-${community.code}` });
    expect((await create('hs.rexian2', 'hotline_operator', '320206')).body).toMatchObject({ unitId: 'hotline-320206' });
    // a department has no region's own unit: it must still name one
    expect((await create('hs.dept2', 'department', '320206')).status).toBe(422);

    // a ticket the district sends down to the street waits in the street centre's inbox
    await firstLogin('hs.yq.jiedao2', 'a-long-password-2026', 'yq-jiedao2-own-2026');
    const r = await as('hs.rexian').post('/api/v1/cases', { categoryCode: '020501', title: '堰桥街道占道经营', description: '市民反映堰桥街道路口有人占道经营。', regionCode: '320206001' });
    expect(r.status, r.text).toBe(201);
    expect((await as('hs.rexian').post(`/api/v1/cases/${r.body.id}/actions/accept`, {})).status).toBe(200);
    const d = await as('hs.rexian').post(`/api/v1/cases/${r.body.id}/actions/dispatch`, { leadUnitId: 'sc-320206001' });
    expect(d.status, d.text).toBe(200);
    const inbox = (await as('hs.yq.jiedao2').get('/api/v1/cases?inbox=true&pageSize=50')).body.items as Array<{ id: number }>;
    expect(inbox.map((c) => c.id)).toContain(r.body.id);
  });
});

describe('a 12345 ticket in 惠山区', () => {
  const act = (who: string, id: number, action: string, body: Record<string, unknown> = {}) => as(who).post(`/api/v1/cases/${id}/actions/${action}`, body);

  it('is filed by region code, dispatched to the imported department by the imported list, and closed', async () => {
    const r = await as('hs.rexian').post('/api/v1/cases', {
      categoryCode: '020501', title: '钱桥街道菜场门口占道经营', description: '每天早上有摊贩占用人行道摆摊，行人只能走非机动车道。',
      regionCode: '32020600300101', reporter: { name: '张建华', phone: '13800001234' },
    });
    expect(r.status, r.text).toBe(201);
    const c = r.body;
    expect(c.caseNo).toMatch(/^RX20261116\d{7}$/);
    expect(c.regionCode).toBe('32020600300101'); // 钱桥社区's placeholder grid
    expect(c.routing).toMatchObject({ leadUnitId: 'hs-chengguan', assistUnitIds: ['hs-shichang'], source: 'responsibility_list' });
    expect((await act('hs.rexian', c.id, 'accept')).status).toBe(200);
    const d = await act('hs.rexian', c.id, 'dispatch', { leadUnitId: c.routing.leadUnitId, assistUnitIds: c.routing.assistUnitIds });
    expect(d.status, d.text).toBe(200);
    expect(d.body.case.state).toBe('dispatched');
    expect((await as('hs.chengguan').get('/api/v1/cases?inbox=true')).body.items.map((x: any) => x.id)).toContain(c.id);
    expect((await act('hs.chengguan', c.id, 'sign')).body.case.state).toBe('handling');
    expect((await act('hs.chengguan', c.id, 'reply', { note: '已联合市场监管所劝离摊贩，设置临时疏导点。' })).body.case.state).toBe('replied');
    expect((await act('hs.rexian', c.id, 'verify_pass')).body.case.state).toBe('awaiting_callback');
    const closed = await act('hs.rexian', c.id, 'call_back', { rating: 'satisfied', note: '市民表示满意' });
    expect(closed.status, closed.text).toBe(200);
    expect(closed.body.case).toMatchObject({ state: 'closed', isOpen: false });
    const tl = await as('hs.rexian').get(`/api/v1/cases/${c.id}/timeline`);
    expect(tl.body.items.map((f: any) => f.action)).toEqual(['report', 'accept', 'dispatch', 'sign', 'reply', 'verify_pass', 'call_back']);
  });

  it('routes by the most specific rule, and to the street\'s 综治中心 where the list names nobody (属地兜底)', async () => {
    const file = (categoryCode: string, regionCode: string) => as('hs.rexian').post('/api/v1/cases', {
      categoryCode, title: '群众反映', description: '群众来电反映的问题，请核实处理。', regionCode,
    });
    const yanqiao = await file('020501', '32020600100201');
    expect(yanqiao.body.routing).toMatchObject({ leadUnitId: 'hs-cg-yanqiao', source: 'responsibility_list' });
    const other = await file('120102', '32020610200101'); // 洛社镇 六龙社区
    expect(other.status, other.text).toBe(201);
    expect(other.body.routing).toMatchObject({ leadUnitId: 'sc-320206102', source: 'territorial_fallback' });
  });
});

describe('placeholder grids', () => {
  const square = (lng: number, lat: number, d = 0.004) => ({ type: 'Polygon', coordinates: [[[lng, lat], [lng + d, lat], [lng + d, lat + d], [lng, lat + d], [lng, lat]]] });

  it('are counted in the grid page\'s header, although no household count is entered yet', async () => {
    const cov = await as('admin').get('/api/v1/grids/coverage');
    expect(cov.status, cov.text).toBe(200);
    expect(cov.body.items).toHaveLength(123);
    // the header read "0 个网格，0 户" above this list of 123 grids
    expect(cov.body.total).toMatchObject({ grids: 123, gridsWithHouseholds: 0, households: 0, visited: 0 });
  });

  it('place cases by region code until outlines are imported; an outline makes a grid findable on the map', async () => {
    const at = { categoryCode: '020501', title: '占道经营', description: '菜场门口占道经营', lng: 120.281, lat: 31.681 };
    expectProblemStatus(await as('hs.rexian').post('/api/v1/cases', at), 422, 'outside_area');
    const grid = await as('admin').get('/api/v1/grids/32020600100201');
    expect(grid.status, grid.text).toBe(200);
    expect(grid.body).toMatchObject({ code: '32020600100201', geometry: null, version: null, retiredAt: null });
    const imported = await as('admin').post('/api/v1/grids/import?mode=upsert', {
      type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: '32020600100201', name: '陈家桥社区第1网格' }, geometry: square(120.279, 31.679) }],
    });
    expect(imported.status, imported.text).toBe(201);
    expect((await as('admin').get('/api/v1/grids/32020600100201')).body.version).toBe(1);
    const located = await as('hs.rexian').post('/api/v1/cases', at);
    expect(located.status, located.text).toBe(201);
    expect(located.body.regionCode).toBe('32020600100201');
    // another placeholder is drawn by hand (PUT geometry), version 1 as well
    const drawn = await call(tokens.admin, 'PUT', '/api/v1/grids/32020600100301/geometry', { geometry: square(120.29, 31.69) });
    expect(drawn.status, drawn.text).toBe(200);
    expect(drawn.body.version).toBe(1);
  });
});

describe('the category tree as versioned data', () => {
  it('upgrades to a newer file version and keeps what administrators edited', async () => {
    expect((await as('admin').patch('/api/v1/admin/categories/020501', { limitMinutes: 600, nameZh: '占道经营（本区口径）' })).status).toBe(200);
    const v1 = readCatalog();
    const v2 = structuredClone(v1);
    v2.version = v1.version + 1;
    const rename = (code: string, zh: string) => { v2.categories.find((c) => c.code === code)!.nameZh = zh; };
    rename('020501', '占道经营（新版）');
    rename('010108', '路灯（新版）');
    v2.categories = v2.categories.filter((c) => c.code !== '010107');
    v2.categories.push({ code: '010199', parentCode: '0101', nameZh: '新增部件', nameEn: 'New component', caseTypes: ['urban'], limitHours: 7, defaultUnit: 'chengguan' });
    expect(await loadCatalog(empty.db, v2)).toEqual({ applied: true, version: v2.version });
    const cat = async (code: string) => (await empty.db.query<any>('SELECT * FROM category WHERE code = $1', [code]))[0];
    expect(await cat('020501')).toMatchObject({ name_zh: '占道经营（本区口径）', limit_minutes: 600, edited: true });
    expect(await cat('010108')).toMatchObject({ name_zh: '路灯（新版）', active: true });
    expect(await cat('010107')).toMatchObject({ active: false });
    expect(await cat('010199')).toMatchObject({ name_zh: '新增部件', limit_minutes: 420, origin: 'file', active: true });
    // an older or equal version changes nothing
    expect(await loadCatalog(empty.db, v1)).toEqual({ applied: false, version: v2.version });
    expect((await cat('010108')).name_zh).toBe('路灯（新版）');
  });
});
