// The command centre's list: filtered by street and reporting date, exported to XLSX with the period,
// the filters and the count; the workbook holds exactly the listed cases, and only those in scope.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { homeGrid, homeStreet, otherGrid, pointIn } from '../helpers/fixtures.ts';

let p: TestPlatform;
let cmd: string, op: string, street: string;
const made: Record<string, string> = {};
beforeAll(async () => {
  p = await testPlatform('2026-11-16T01:30:00Z');
  [cmd, op, street] = [await p.login('zhihui'), await p.login('rexian'), await p.login('jiedao')];
  const file = async (key: string, grid: typeof homeGrid, iso: string) => {
    p.clock.set(iso);
    const r = await p.as(op).post('/api/v1/cases', {
      categoryCode: '030102', title: `路灯不亮 ${key}`, description: '路灯不亮', ...pointIn(grid), appealKind: 'help',
    });
    expect(r.status, r.text).toBe(201);
    made[key] = r.body.caseNo;
  };
  await file('home-early', homeGrid, '2026-11-10T02:00:00Z');
  await file('home-in', homeGrid, '2026-11-12T02:00:00Z');
  await file('other-in', otherGrid, '2026-11-12T03:00:00Z');
  await file('home-late', homeGrid, '2026-11-16T02:00:00Z');
});
afterAll(async () => { await p?.close(); });

async function sheet(token: string, query: string, lang = 'zh-CN') {
  const raw = await p.http.inject({ method: 'GET', url: `/api/v1/cases/export.xlsx?${query}`, headers: { authorization: `Bearer ${token}`, 'accept-language': lang } });
  expect(raw.statusCode, raw.body).toBe(200);
  expect(raw.headers['content-type']).toContain('spreadsheetml');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(raw.rawPayload as any);
  return wb;
}

describe('the case list by street and date, exported', () => {
  const query = `region=${homeStreet.code}&from=2026-11-11T00:00:00Z&to=2026-11-15T00:00:00Z&open=true`;

  it('filters by how long a case is overdue', async () => {
    // the home-early ticket's first step (待受理, 1 working hour) is long overdue; the one filed just now is not
    const r = await p.as(cmd).get('/api/v1/cases?overdueHours=24');
    expect(r.body.items.map((c: any) => c.caseNo)).toContain(made['home-early']);
    expect(r.body.items.map((c: any) => c.caseNo)).not.toContain(made['home-late']);
    expect((await p.as(cmd).get('/api/v1/cases')).body.items.length).toBe(4);
  });

  it('lists only the street\'s cases reported in the period', async () => {
    const r = await p.as(cmd).get(`/api/v1/cases?${query}&count=true`);
    expect(r.body.items.map((c: any) => c.caseNo)).toEqual([made['home-in']]);
    expect(r.body.total).toBe(1);
  });

  it('exports the same cases, with the period, the filters and the count', async () => {
    const wb = await sheet(cmd, query);
    const cases = wb.getWorksheet('案件')!;
    expect(cases.getRow(1).getCell(1).value).toBe('工单编号');
    const nos = [];
    for (let i = 2; i <= cases.rowCount; i++) nos.push(cases.getRow(i).getCell(1).value);
    expect(nos).toEqual([made['home-in']]);
    expect(cases.getRow(2).getCell(5).value).toBe('求助');
    const about = wb.getWorksheet('说明')!;
    const info = Object.fromEntries([1, 2, 3, 4, 5].map((i) => [about.getRow(i).getCell(1).value, about.getRow(i).getCell(2).value]));
    // Beijing time and words, not ISO and query parameters
    expect(info['期间（上报时间）']).toBe('2026-11-11 08:00 ~ 2026-11-15 08:00');
    expect(info['案件数']).toBe(1);
    expect(String(info['筛选条件'])).toContain(`区域 ${homeStreet.name}`);
    expect(String(info['筛选条件'])).toContain('；仅在办；时间 2026-11-11 08:00 至 2026-11-15 08:00');
    expect(String(info['筛选条件'])).not.toMatch(/=|region|T\d\d:/);
    expect(String(info['导出时间'])).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d（北京时间）$/);
  });

  it('answers in English to an English request, and keeps to the exporter\'s scope', async () => {
    const en = await sheet(cmd, 'open=true', 'en');
    expect(en.getWorksheet('Cases')!.getRow(1).getCell(1).value).toBe('Case no.');
    const wb = await sheet(street, 'open=true');
    const cases = wb.getWorksheet('案件')!;
    const nos = [];
    for (let i = 2; i <= cases.rowCount; i++) nos.push(cases.getRow(i).getCell(1).value);
    expect(nos.sort()).toEqual([made['home-early'], made['home-in'], made['home-late']].sort());
  });
});
