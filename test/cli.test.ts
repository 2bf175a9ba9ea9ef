// The CLI as a user runs it: `npx gongzhi <command>` from the project root.
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadDistrictDivisions } from '../src/modules/regions/china-division-source.ts';
import ExcelJS from 'exceljs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { readTable } from '../src/platform/spreadsheet.ts';
import { engine, pgAdminUrl, dbUrl } from './helpers/engine.ts';

const gongzhi = (args: string[], env: Record<string, string> = {}) =>
  execFileSync('node', ['bin/gongzhi.js', ...args], { encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'silent', ...env }, timeout: 120_000 });
/** Runs a command that may fail: exit status and everything it printed. */
function run(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync('node', ['bin/gongzhi.js', ...args], { encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'silent', ...env }, timeout: 180_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('gongzhi CLI', () => {
  it('lists its commands', () => {
    const out = gongzhi(['--help']);
    for (const cmd of ['start', 'migrate', 'seed', 'classifier']) expect(out).toContain(cmd);
  });

  it('migrates an empty embedded database, and a second run finds it up to date', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gz-cli-'));
    try {
      expect(gongzhi(['migrate'], { GONGZHI_DATA_DIR: dir })).toMatch(/applied: 0001_platform, 0002_cases/);
      expect(gongzhi(['migrate'], { GONGZHI_DATA_DIR: dir })).toMatch(/up to date/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000); // two processes, each starting PGlite and applying ~50 migrations

  it('refuses an invalid configuration with a clear message', () => {
    expect(() => gongzhi(['migrate'], { PORT: 'eighty' })).toThrow(/PORT/);
  });

  it('lists the set-up commands', () => {
    const out = gongzhi(['--help']);
    for (const cmd of ['init', 'reset-password', 'import', 'template']) expect(out).toContain(cmd);
  });

  it('refuses to serve an empty database without the demo, then sets up a city with init, once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gz-cli-init-'));
    const env = { GONGZHI_DATA_DIR: dir, PORT: '0' };
    try {
      const start = run(['start', '--no-demo'], { ...env, LANG: 'en_US.UTF-8' });
      expect(start.status).toBe(1);
      expect(start.out).toContain('The embedded database is empty');
      expect(start.out).toContain('npx gongzhi init --district');
      expect(start.out).not.toContain('gongzhi is running');
      // in Chinese where the locale is Chinese, as the import messages are
      const zh = run(['start', '--no-demo'], { ...env, LANG: 'zh_CN.UTF-8' });
      expect(zh.status).toBe(1);
      expect(zh.out).toContain('内置数据库是空的：没有可服务的区县；使用了 --no-demo，不会自动写入演示数据（除非加 --demo）。');
      expect(zh.out).not.toContain('is empty');

      expect(run(['init'], env)).toMatchObject({ status: 2, out: expect.stringMatching(/exactly one of --district/) });
      expect(run(['init', '--district', '999999'], env)).toMatchObject({ status: 1, out: expect.stringMatching(/not a county-level district/) });

      const init = run(['init', '--city', '4603'], { ...env, GONGZHI_ADMIN_PASSWORD: 'sansha-admin-2026' });
      expect(init.status, init.out).toBe(0);
      expect(init.out).toContain('西沙群岛 (460321), 南沙群岛 (460322), 中沙群岛的岛礁及其海域 (460323)');
      expect(init.out).toContain('5 streets/towns, 10 communities/villages, 10 placeholder grids');
      expect(init.out).toContain('npx gongzhi import units');
      expect(init.out).toContain('the password in GONGZHI_ADMIN_PASSWORD');

      expect(run(['init', '--city', '460300'], env)).toMatchObject({ status: 0, out: expect.stringMatching(/already set up/) });
      expect(run(['init', '--district', '320206'], env)).toMatchObject({ status: 1, out: expect.stringMatching(/already holds 30 regions \(districts: 460321 西沙群岛/) });

      // a set-up import from the command line, its errors in English
      const bad = run(['import', 'units', 'test/fixtures/deploy/huishan-units.csv', '--as', 'admin', '--lang', 'en', '--errors', join(dir, 'errors.csv')], env);
      expect(bad.status).toBe(1);
      expect(bad.out).toContain('import units failed: 4 rows have errors; nothing was written');
      expect(bad.out).toMatch(/row 3: .*region code "320206001": no such region/);
      expect(readFileSync(join(dir, 'errors.csv'), 'utf8')).toContain('row,column,value,reason');

      // the standard address library from the command line: a landmark in a community of 西沙群岛, by its code
      const village = loadDistrictDivisions('460321').villages[0];
      writeFileSync(join(dir, 'addresses.csv'), `类型,名称,别名,区划代码\n地标,永兴岛码头,码头|客运码头,${village.code}\n飞船,火星站,,${village.code}\n`);
      const addr = run(['import', 'addresses', join(dir, 'addresses.csv'), '--as', 'admin'], env);
      expect(addr.status).toBe(1);
      expect(addr.out).toMatch(/第 3 行: 地址类型"飞船"无法识别/);
      const addrOk = run(['import', 'addresses', join(dir, 'addresses.csv'), '--as', 'admin', '--mode', 'valid_rows'], env);
      expect(addrOk.out).toContain('新增 1 条');
      // the XLSX template of this database: drop-downs, the allowed values and the ids init created
      const tpl = run(['template', 'units', join(dir, 'units.xlsx')], { ...env, LANG: 'zh_CN.UTF-8' });
      expect(tpl.status, tpl.out).toBe(0);
      expect(tpl.out).toContain('“说明”“已有单位”“区划”表');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(join(dir, 'units.xlsx'));
      const sheet = (name: string) => wb.getWorksheet(name)!.getSheetValues().flat().map(String);
      expect(sheet('说明')).toEqual(expect.arrayContaining(['单位类型(kind) 可选值 (allowed values)', '职能部门', '12345热线中心', '街道综治中心']));
      expect(sheet('已有单位')).toEqual(expect.arrayContaining(['cmd-4603', 'cmd-460321', 'hotline-460321', 'sc-460321451']));
      expect(sheet('区划')).toEqual(expect.arrayContaining(['460321', '西沙群岛']));
      const kindCell = wb.getWorksheet('data')!.getCell('D2');
      expect(kindCell.dataValidation).toMatchObject({ type: 'list' });
      expect(wb.getWorksheet('list4')!.getSheetValues().flat().map(String)).toEqual(expect.arrayContaining(['职能部门', '指挥中心']));

      // a refused file leaves its error report beside it; once corrected, the stale report goes
      const units = join(dir, 'ss-units.csv');
      writeFileSync(units, 'id,name,kind,regionCode,parentId\nss-chengguan,三沙市城市管理局,部门,460321,cmd-460321\n');
      expect(run(['import', 'units', units, '--as', 'admin'], env).status).toBe(1);
      expect(existsSync(join(dir, 'ss-units.errors.csv'))).toBe(true);
      writeFileSync(units, 'id,name,kind,regionCode,parentId\nss-chengguan,三沙市城市管理局,职能部门,460321,cmd-460321\n');
      const fixed = run(['import', 'units', units, '--as', 'admin', '--lang', 'en'], env);
      expect(fixed.status, fixed.out).toBe(0);
      expect(fixed.out).toContain('removed the error report of an earlier run');
      expect(existsSync(join(dir, 'ss-units.errors.csv'))).toBe(false);

      const reset = run(['reset-password', 'admin'], env);
      expect(reset.status).toBe(0);
      expect(reset.out).toMatch(/New password for admin \(shown once; it must be changed at the next login\): [\w-]{16}/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);

  it('writes set-up templates, CSV and XLSX, that read back with an example row', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gz-cli-tpl-'));
    try {
      gongzhi(['template', 'users', join(dir, 'users.xlsx')]);
      gongzhi(['template', 'responsibilities', join(dir, 'r.csv')]);
      const users = await readTable(join(dir, 'users.xlsx'));
      expect(users[0].cells).toEqual(['用户名(username)', '姓名(displayName)', '角色(role)', '所属单位(unitId)', '所属区划编码(regionCode)', '语言(locale)', '初始密码(password)']);
      expect(users[1].cells[0]).toMatch(/^#/);
      const rules = await readTable(join(dir, 'r.csv'));
      expect(rules.map((r) => r.cells[0])).toEqual(['事项分类(categoryCode)', '#020501']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  if (engine === 'postgres') it('on a PostgreSQL server: start without --demo refuses the empty database; seed demo wants --yes', async () => {
    const name = `gz_cli_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: pgAdminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    try {
      const env = { DATABASE_URL: dbUrl(name), PORT: '0', LANG: 'en_US.UTF-8' };
      const start = run(['start'], env);
      expect(start.status).toBe(1);
      expect(start.out).toContain('The PostgreSQL database (DATABASE_URL) is empty');
      const seed = run(['seed', 'demo'], env);
      expect(seed.status).toBe(1);
      expect(seed.out).toMatch(/--yes/);
      const c = new pg.Client({ connectionString: dbUrl(name) });
      await c.connect();
      const users = await c.query('SELECT count(*)::int AS n FROM app_user');
      await c.end();
      expect(users.rows[0].n).toBe(0);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  }, 120_000);
});

