// The command centre's case list: filtered by street (the area picker) and by reporting date, then
// exported to XLSX; the workbook holds the cases the filtered list shows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { downloadBy, login, openBrowser, shot, screenshotOnFailure, type Browser } from './helpers.ts';
import { homeStreet } from '../helpers/fixtures.ts';

let b: Browser;
beforeAll(async () => { b = await openBrowser(); });
afterAll(async () => { await b?.close(); });
screenshotOnFailure(() => b);

describe('command centre list', () => {
  it('filters by street and date and exports the list', async () => {
    const page = b.page;
    await login(page, 'zhihui');
    // the last 30 days (the demo's history), open and closed
    const to = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const from = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
    await page.goto(`/cases?open=all&from=${from}T00:00:00%2B08:00&to=${to}T00:00:00%2B08:00`);
    await page.getByRole('heading', { name: '案件查询' }).waitFor();
    // the street, picked in the area filter
    await page.locator('#f-region').click();
    await page.locator('.ant-cascader-menu-item').filter({ hasText: homeStreet.shortName }).first().click();
    await page.keyboard.press('Escape');
    await page.waitForURL(new RegExp(`region=${homeStreet.code}`));
    await expect.poll(() => page.locator('tbody tr.ant-table-row').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await page.waitForLoadState('networkidle');
    await shot(page, 'cc-01-list-by-street-and-date'); // (waits for the filtered page to settle)
    const shown = [...new Set((await page.locator('tbody tr.ant-table-row a[href^="/cases/"]').allTextContents()).filter((x) => /^[A-Z]{2}\d+$/.test(x)))];
    const download = await downloadBy(page, page.getByTestId('export-xlsx'));
    const path = await download.path();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path!);
    const ws = wb.getWorksheet('案件')!;
    const nos: string[] = [];
    for (let i = 2; i <= ws.rowCount; i++) nos.push(String(ws.getRow(i).getCell(1).value));
    // the first page of the list is in the workbook, in the same order, and every row is in the street
    expect(nos.slice(0, shown.length)).toEqual(shown);
    for (let i = 2; i <= ws.rowCount; i++) expect(String(ws.getRow(i).getCell(7).value)).toContain(homeStreet.shortName);
    const about = wb.getWorksheet('说明')!;
    expect(String(about.getRow(3).getCell(2).value)).toContain(from);
  });
});
