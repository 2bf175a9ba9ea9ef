// Issue 13's registry work at 1366×768: a community worker adds a person in the console, links them to a
// house and a household, labels them 社区矫正 with the label's standard fields, and ends the label with a
// reason; the house shows its resident, the label its history; the former name (曾用名) stays masked. Records this test makes are named by a
// number of its own, so it runs on the shared demo city.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeIdNumber } from '../../src/modules/registry/id-number.ts';
import { DESKTOP, apiAs, choose, downloadBy, login, logout, openBrowser, shot, screenshotOnFailure, unlabelledControls, type Browser } from './helpers.ts';

let b: Browser;
beforeAll(async () => { b = await openBrowser(); });
afterAll(async () => { await b?.close(); });
screenshotOnFailure(() => b);
// each test logs in afresh (the session is the cookie), whatever the one before left open
beforeEach(async () => { await b.context.clearCookies(); });

const GRID = '50011700100501'; // 营盘街社区第1网格, in shequ's community
const ExcelJSP = import('exceljs');
const n = 1000 + Math.floor(Math.random() * 8000);

describe('registry work in the console', () => {
  it('adds a person, links them to a house and a household, adds a 社区矫正 label and ends it', async () => {
    const api = await apiAs('shequ');
    const house = await api.post('/api/v1/houses', { regionCode: GRID, address: `营盘街${n}号1-101` });
    const household = await api.post('/api/v1/households', { houseId: house.id, householdNo: `HH${n}` });
    const idNumber = makeIdNumber('500117', '19880506', n);

    const p = b.page;
    await login(p, 'shequ');
    await p.getByRole('link', { name: '实有人口' }).click();
    await p.getByRole('button', { name: '新增人员' }).click();
    const dialog = p.getByRole('dialog');
    await dialog.getByLabel('证件号码', { exact: true }).fill(idNumber);
    await dialog.getByLabel('姓名', { exact: true }).fill('罗志祥');
    await dialog.getByLabel('曾用名', { exact: true }).fill('罗小祥');
    await dialog.getByLabel('联系方式', { exact: true }).fill('13800138000');
    // record pickers search the API as one types; pick once the search has answered
    const pick = async (label: string, search: string, shown: string) => {
      const item = dialog.locator('.ant-form-item').filter({ has: p.getByLabel(label, { exact: true }) });
      for (let i = 0; i < 3 && !(await item.getByTitle(new RegExp(shown)).count()); i++) {
        await p.getByLabel(label, { exact: true }).click();
        await p.getByLabel(label, { exact: true }).fill(search);
        await p.waitForLoadState('networkidle');
        await p.locator('.ant-select-dropdown:visible').last().getByTitle(new RegExp(shown)).first().click();
      }
      await item.getByTitle(new RegExp(shown)).first().waitFor();
    };
    await pick('所在房屋', `营盘街${n}号`, `营盘街${n}号1-101`);
    await pick('户', `HH${n}`, `HH${n}`);
    await choose(p, '与户主关系', '户主');
    await choose(p, '民族', '汉族');
    await choose(p, '政治面貌', '群众');
    // 籍贯 is a place of the division tree (GB/T 2260), found by its name
    await dialog.getByLabel('籍贯', { exact: true }).click();
    await dialog.getByLabel('籍贯', { exact: true }).fill('合川');
    const hechuan = p.locator('.ant-cascader-dropdown:visible .ant-cascader-menu-item').filter({ hasText: '合川区' }).first();
    expect(await hechuan.textContent()).not.toContain('市辖区'); // 重庆市 → 合川区, no filler level
    await hechuan.click();
    // Esc does not close a form with what was typed; 取消 asks first, and 继续填写 keeps everything
    await dialog.locator('.ant-modal-title').click();
    await p.keyboard.press('Escape');
    await p.waitForTimeout(300);
    expect(await dialog.isVisible()).toBe(true);
    await dialog.getByRole('button', { name: '取消' }).click();
    await p.locator('.ant-modal-confirm-title', { hasText: '放弃已填写的内容？' }).waitFor();
    await p.getByRole('button', { name: '继续填写' }).click();
    expect(await dialog.getByLabel('姓名', { exact: true }).inputValue()).toBe('罗志祥');
    expect(await unlabelledControls(p)).toEqual([]);
    await shot(p, 'rw-01-person-form');
    await dialog.getByRole('button', { name: '保存' }).click();
    await p.getByTestId('person-detail').waitFor();

    // the person shows their house and household; the coded fields show their labels
    const links = p.getByTestId('person-links');
    await links.getByRole('link', { name: `营盘街${n}号1-101` }).waitFor();
    await links.getByRole('link', { name: `HH${n}` }).waitFor();
    await p.getByText('汉族').first().waitFor();
    // 籍贯 by its name (the cell beside its label), not the code
    const native = p.locator('.ant-descriptions-item-label', { hasText: /^籍贯$/ }).locator('xpath=following-sibling::*[1]');
    await expect.poll(() => native.textContent()).toBe('重庆市 合川区');
    // the former name (曾用名) is sealed like the name: shown masked
    await p.locator('.ant-descriptions-item-label', { hasText: '曾用名' }).waitFor();
    expect(await p.getByText('罗小祥').count()).toBe(0);

    // a 社区矫正 label with its standard fields
    await p.getByRole('button', { name: '添加标签' }).click();
    await choose(p, '标签类型', '社区矫正', '社区矫正对象');
    const form = p.getByRole('dialog');
    await choose(p, '矫正类别', '缓刑');
    await form.getByLabel('具体罪名').fill('盗窃罪');
    await form.getByLabel('原判刑期').fill('有期徒刑一年，缓刑二年');
    for (const [label, day] of [['矫正开始日期', '2026-01-10'], ['矫正结束日期', '2028-01-09']]) {
      await form.getByLabel(label).fill(day);
      await form.getByLabel(label).press('Enter');
    }
    await form.getByLabel('矫正小组人员组成情况').fill('司法所干警、网格员、家属');
    expect(await unlabelledControls(p)).toEqual([]);
    await shot(p, 'rw-02-label-form');
    await form.getByRole('button', { name: '保存' }).click();
    const label = p.getByTestId('label-community_correction');
    await label.getByText('缓刑', { exact: true }).waitFor();
    await label.getByText('盗窃罪').waitFor();
    expect(await label.getByText('correctionCategory').count()).toBe(0);

    // end it: 期满解矫, with the reason
    await label.getByRole('button', { name: '结束/解除' }).click();
    const end = p.getByRole('dialog');
    await end.getByLabel('矫正解除(终止)类型').click();
    await p.locator('.ant-select-dropdown:visible').getByText('期满解除矫正').click();
    await end.getByLabel('原因').fill('矫正期满，宣告解除社区矫正');
    await shot(p, 'rw-03-label-end');
    await end.getByRole('button', { name: '结束/解除' }).click();
    await label.getByText('已结束').waitFor();
    await label.getByRole('button', { name: '历史' }).click();
    const history = p.getByTestId(/label-history-/);
    await history.getByText('开始列管').waitFor();
    await history.getByText(/已结束.*矫正期满，宣告解除社区矫正/).waitFor();
    await shot(p, 'rw-04-person-with-ended-label', true);

    // a reveal uncovers only the fields asked for
    await p.getByRole('button', { name: '查看完整信息' }).click();
    const reveal = p.getByRole('dialog', { name: '查看个人敏感信息' });
    await reveal.getByRole('checkbox', { name: '证件号码' }).check();
    await reveal.getByLabel('查看用途').fill('核实矫正对象身份');
    await reveal.getByRole('button', { name: '查看完整信息' }).click();
    await expect.poll(() => p.getByTestId('revealed-idNumber').textContent()).toBe(idNumber);
    expect(await p.getByTestId('revealed-name').count()).toBe(0);
    await p.getByRole('heading', { name: '罗**' }).waitFor();

    // 以房管人: the house lists its resident, the household its member as head
    await links.getByRole('link', { name: `营盘街${n}号1-101` }).click();
    await p.getByTestId('residents-houseId').getByText('罗**').waitFor();
    await shot(p, 'rw-05-house-residents', true);
    const persons = await api.get(`/api/v1/persons?householdId=${household.id}`);
    expect(persons.items.map((x: any) => x.relationToHead)).toEqual(['02']);
    await logout(p);
  });

  let importAttempt = 0;
  it('imports an XLSX with bad rows, corrects the refused rows and imports them again', async () => {
    // new people on a retry: the first attempt may have written its good rows
    const m = n + 10 * importAttempt++;
    const { default: ExcelJS } = await ExcelJSP;
    const p = b.page;
    await login(p, 'shequ');
    await p.getByRole('link', { name: '批量导入' }).click();
    const tpl = await downloadBy(p, p.getByTestId('template-link'));
    const template = new ExcelJS.Workbook();
    await template.xlsx.readFile((await tpl.path())!);
    expect(template.worksheets.map((w) => w.name)).toEqual(['填写', '示例', '说明', '代码表']);
    const header = (template.getWorksheet('填写')!.getRow(1).values as string[]).slice(1);
    const col = (zh: string) => header.findIndex((h) => h.startsWith(`${zh}(`));
    const row = (v: Record<string, string>) => { const r = header.map(() => ''); for (const [k, x] of Object.entries(v)) r[col(k)] = x; return r; };
    const good = makeIdNumber('500117', '19850312', m + 1);
    const right = makeIdNumber('500117', '19770204', m + 2);
    const wrong = right.slice(0, 17) + (right[17] === '0' ? '1' : '0');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('填写');
    ws.addRow(header);
    ws.addRow(row({ 网格编码: GRID, 人口类型: '户籍', 证件号码: good, 姓名: '令狐冲', 民族: '汉族', 政治面貌: '中共党员', 学历: '本科' }));
    ws.addRow(row({ 网格编码: GRID, 人口类型: '流动', 证件号码: makeIdNumber('500117', '19920808', m + 3), 姓名: '仪琳', 户号: '500117999' }));
    ws.addRow(row({ 网格编码: GRID, 人口类型: '户籍', 证件号码: wrong, 姓名: '林平之', 民族: '火星族', 联系方式: '1381234' }));
    const file = join(mkdtempSync(join(tmpdir(), 'gz-rw-')), '人口导入.xlsx');
    await wb.xlsx.writeFile(file);

    await p.getByLabel(/导入文件/).setInputFiles(file);
    await p.getByRole('radio', { name: /导入正确的行/ }).check();
    await p.getByRole('button', { name: '开始导入' }).click();
    const result = p.getByTestId('import-result');
    await expect.poll(() => result.getAttribute('data-status'), { timeout: 30_000 }).toBe('partial');
    await result.getByText('共 3 行：正确 2 行，错误 1 行，已写入 2 行。').waitFor();
    await p.getByTestId('import-warnings').getByText(/已忽略：流动人口不填户号/).waitFor();
    await shot(p, 'rw-06-import-result', true);
    // a window that passes through no width (a print preview, a capture tool) leaves the page as it was: the phone
    // frame would have started it afresh, the result gone
    await p.setViewportSize({ width: 1, height: 1 });
    await p.waitForTimeout(100);
    await p.setViewportSize(DESKTOP);
    await p.waitForTimeout(800);
    await result.getByText('共 3 行：正确 2 行，错误 1 行，已写入 2 行。').waitFor({ timeout: 1000 });

    // the refused row, as it was, with every error of it in the last column (in Chinese)
    const rej = await downloadBy(p, p.getByTestId('rejected-xlsx'));
    const back = new ExcelJS.Workbook();
    await back.xlsx.readFile((await rej.path())!);
    const sheet = back.worksheets[0];
    expect(sheet.name).toBe('错误行');
    const cells = (r: number) => (sheet.getRow(r).values as unknown[]).slice(1).map((v) => String(v ?? ''));
    expect(cells(1).at(-1)).toBe('错误说明(errors)');
    expect(cells(2)[col('证件号码')]).toBe(wrong);
    const reasons = cells(2).at(-1)!;
    for (const r of ['校验位', '火星族', '联系方式须为']) expect(reasons).toContain(r);
    // corrected in the file and imported again as it is
    sheet.getRow(2).getCell(col('证件号码') + 1).value = right;
    sheet.getRow(2).getCell(col('民族') + 1).value = '回族';
    sheet.getRow(2).getCell(col('联系方式') + 1).value = '13900001234';
    const fixed = join(mkdtempSync(join(tmpdir(), 'gz-rw-')), '错误行-已改正.xlsx');
    await back.xlsx.writeFile(fixed);
    await p.getByLabel(/导入文件/).setInputFiles(fixed);
    await p.getByRole('button', { name: '开始导入' }).click();
    await expect.poll(() => result.getAttribute('data-status'), { timeout: 30_000 }).toBe('succeeded');
    await result.getByText('共 1 行：正确 1 行，错误 0 行，已写入 1 行。').waitFor();
    await shot(p, 'rw-07-import-corrected');
    await logout(p);
  });

  it('finds reveals in the audit by viewer and by person, objects by name', async () => {
    const p = b.page;
    await login(p, 'zhihui');
    await p.getByRole('link', { name: '查看审计' }).click();
    await p.getByLabel('查看人', { exact: true }).fill('shequ');
    await p.getByLabel('查看人', { exact: true }).press('Enter');
    const table = p.getByTestId('reveal-audit');
    await table.getByText('核实矫正对象身份').waitFor();
    await table.getByText(/人员 · 罗\*\* · 500117\*{8}/).first().waitFor();
    expect(await table.getByText(/person:\d+/).count()).toBe(0);
    expect(await table.getByText(/#\d/).count()).toBe(0); // no object by its row id
    expect(await unlabelledControls(p)).toEqual([]);
    await shot(p, 'rw-08-audit-by-viewer');
    await p.getByLabel('查看人', { exact: true }).fill('');
    await p.getByLabel('查看人', { exact: true }).press('Enter');
    await p.getByLabel('被查看人').fill('罗志祥');
    await p.getByLabel('被查看人').press('Enter');
    await table.getByText('核实矫正对象身份').waitFor();
    await expect.poll(() => table.getByRole('row').count()).toBe(2);
    await shot(p, 'rw-09-audit-by-person');
    await logout(p);

    // the street's 综治中心 has the audit too, for the reveals in its street
    await login(p, 'jiedao');
    await p.getByRole('link', { name: '查看审计' }).click();
    await p.getByLabel('被查看人').fill('罗志祥');
    await p.getByLabel('被查看人').press('Enter');
    await p.getByTestId('reveal-audit').getByText('核实矫正对象身份').waitFor();
    await shot(p, 'rw-10-audit-street');
    await logout(p);
  });
});
