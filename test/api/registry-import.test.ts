// Bulk import and export of persons, houses, organisations and facilities: templates, row-level
// validation with an error report (row, column, masked value, reason), all_or_nothing vs valid_rows,
// duplicates within the file and against the database, rows outside the importer's scope, malformed
// files, progress polling.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { homeGrid, neighbourGrid, otherGrid, homeCommunity } from '../helpers/fixtures.ts';
import { makeIdNumber } from '../../src/modules/registry/id-number.ts';
import { badChecksum, creditCode, expectProblem, idNumber, registryCounts, requester, type Requester } from './registry-helpers.ts';

let p: TestPlatform;
let shequ: Requester, wangge: Requester, zhihui: Requester, jiedao: Requester;
const G = homeGrid.code;
const N = neighbourGrid.code;

beforeAll(async () => {
  p = await testPlatform('2026-11-16T01:30:00Z');
  shequ = requester(p, await p.login('shequ'));
  wangge = requester(p, await p.login('wangge'));
  zhihui = requester(p, await p.login('zhihui'));
  jiedao = requester(p, await p.login('jiedao'));
});
afterAll(async () => { await p?.close(); });

const csv = (rows: string[][]) => rows.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\n') + '\n';
const report = async (as: Requester, jobId: number) => {
  const res = await as.get(`/api/v1/imports/${jobId}/errors.csv`);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toContain('text/csv');
  return parse(res.text, { bom: true, columns: true }) as Array<{ row: string; column: string; value: string; reason: string }>;
};
const personsWritten = async () => (await p.ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM person'))[0].n;

describe('templates', () => {
  it('serves a CSV template per kind, whose header imports as it is', async () => {
    for (const kind of ['persons', 'houses', 'organisations', 'facilities']) {
      const t = await wangge.get(`/api/v1/registry/templates/${kind}.csv`);
      expect(t.status).toBe(200);
      expect(t.headers['content-type']).toContain('text/csv');
      expect(t.headers['content-disposition']).toContain(`${kind}-template.csv`);
      expect(t.text.startsWith('\uFEFF')).toBe(true);
      expect(t.text.split('\r\n').filter(Boolean)).toHaveLength(1);
    }
    const header = (await wangge.get('/api/v1/registry/templates/persons.csv')).text.replace('\uFEFF', '').trim();
    expect(header).toContain('证件号码(idNumber)');
    const body = `${header}\n${header.split(',').map((h) => ({
      '网格编码(regionCode)': G, '人口类型(populationType)': '户籍', '证件号码(idNumber)': idNumber(), '姓名(name)': '任盈盈', '民族(ethnicity)': '汉族',
    } as Record<string, string>)[h] ?? '').join(',')}\n`;
    const r = await wangge.upload('/api/v1/imports?kind=persons&wait=true', body, 'persons.csv');
    expect(r.body, r.text).toMatchObject({ status: 'succeeded', written: 1 });
    expectProblem(await wangge.get('/api/v1/registry/templates/users.csv'), 400, 'validation_failed');
  });
});

describe('persons', () => {
  it('imports a file: labels for codes, dates in several forms, 流动 and 境外 details; masked in the export', async () => {
    const ids = [idNumber(), idNumber(), makeIdNumber('500117', '19910304', 551)];
    const body = csv([
      ['网格编码', '人口类型', '证件代码', '证件号码', '姓名', '性别', '民族', '联系方式', '婚姻状况', '出生日期', '现住门(楼)详址', '流入原因', '国籍(地区)', '抵达日期'],
      [G, '户籍', '', ids[0], '东方不败', '', '汉族', '13800000001', '已婚', '', '营盘街1号, 2栋', '', '', ''],
      [G, 'floating', '111', ids[1].toLowerCase(), '向问天', '', '01', '', '20', '', '营盘街2号', '务工', '', ''],
      [N, '境外', '414', 'G12345678', 'John Smith', '1', '', '', '', '', '', '', 'USA', '2026/3/5'],
      [G, '流动人口', '', ids[2], '上官云', '男', '土家族', '', '', '1991-03-04', '', '01', '', ''],
    ]);
    const r = await shequ.upload('/api/v1/imports?kind=persons&mode=all_or_nothing&wait=true', body, '人口.csv');
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ kind: 'persons', mode: 'all_or_nothing', status: 'succeeded', fileName: '人口.csv', total: 4, processed: 4, valid: 4, rejected: 0, written: 4, errorReport: null });
    expect(r.headers.location).toBe(`/api/v1/imports/${r.body.id}`);
    const floating = (await shequ.get(`/api/v1/persons?idNumber=${ids[1]}`)).body.items[0];
    expect(floating).toMatchObject({ populationType: 'floating', ethnicity: '01', maritalStatus: '20', details: { inflowReason: '01' } });
    const overseas = (await shequ.get('/api/v1/persons?populationType=overseas')).body.items[0];
    expect(overseas).toMatchObject({ regionCode: N, idType: '414', details: { nationality: 'USA', arrivedOn: '2026-03-05' }, nameMasked: 'J***' });
    const exported = (await shequ.get('/api/v1/registry/exports/persons.csv')).text;
    for (const id of ids) expect(exported).not.toContain(id);
    expect(exported).not.toContain('东方不败');
    const rows = parse(exported, { bom: true, columns: true }) as any[];
    expect(rows.find((x) => x['证件号码(idNumber)'] === `${ids[0].slice(0, 6)}********${ids[0].slice(-4)}`)).toMatchObject({
      '姓名(name)': '东***', '联系方式(phone)': '138****0001', '现住门(楼)详址(currentAddress)': '营盘街1号, 2栋', '婚姻状况(maritalStatus)': '20',
    });
    const [a] = await p.ctx.db.query<any>(`SELECT * FROM audit_log WHERE action = 'registry.export' ORDER BY id DESC LIMIT 1`);
    expect(a.target).toBe('export:persons');
  });

  it('all_or_nothing: one bad row and nothing is written; the report lists every refused row with masked values', async () => {
    const before = await personsWritten();
    const good = idNumber();
    const badId = badChecksum(idNumber());
    const body = csv([
      ['regionCode', 'populationType', 'idNumber', 'name', 'phone', 'sex', 'ethnicity', 'birthDate'],
      [G, '户籍', good, '岳灵珊', '13811112222', '', '', ''],
      [G, '户籍', badId, '林震南', '13822223333', '', '', ''],
      [G, '户籍', idNumber(), '', '', '', '', ''],
      [G, '火星人', idNumber(), '陆大有', '', '', '', ''],
      [G, '户籍', idNumber(), '劳德诺', 'abc', '', '99', ''],
      [otherGrid.code, '户籍', idNumber(), '梁发', '', '', '', ''],
      ['50011700100599', '户籍', idNumber(), '施戴子', '', '', '', ''],
      [G, '户籍', makeIdNumber('500117', '19900101', 3), '高根明', '', '女', '', '1990-01-02'],
      [G, '户籍', good, '岳灵珊', '', '', '', ''],
      [G, '户籍', idNumber()],
    ]);
    const r = await shequ.upload('/api/v1/imports?kind=persons&wait=true', body);
    expect(r.body).toMatchObject({ status: 'failed', written: 0, valid: 1, rejected: 9, processed: 10 });
    expect(r.body.error).toContain('nothing was written');
    expect(await personsWritten()).toBe(before);
    const rep = await report(shequ, r.body.id);
    const byRow = (n: number) => rep.filter((e) => e.row === String(n));
    expect(byRow(3)).toEqual([{ row: '3', column: '证件号码(idNumber)', value: `${badId.slice(0, 6)}********${badId.slice(-4)}`, reason: expect.stringContaining('check character') }]);
    expect(byRow(4)[0]).toMatchObject({ column: '姓名(name)' });
    expect(byRow(5)[0]).toMatchObject({ column: '人口类型(populationType)', value: '火星人' });
    // every error of the row: the phone's shape and the unknown ethnicity code
    expect(byRow(6).map((e) => e.column).sort()).toEqual(['民族(ethnicity)', '联系方式(phone)'].sort());
    expect(byRow(6).find((e) => e.column === '联系方式(phone)')!.value).toBe('****');
    expect(byRow(7)[0]).toMatchObject({ column: '网格编码(regionCode)', reason: expect.stringContaining('outside the region you work in') });
    expect(byRow(8)[0]).toMatchObject({ column: '网格编码(regionCode)', reason: expect.stringContaining('does not exist') });
    expect(byRow(9).map((e) => e.column).sort()).toEqual(['出生日期(birthDate)', '性别(sex)']);
    expect(byRow(10)[0]).toMatchObject({ column: '证件号码(idNumber)', value: `${good.slice(0, 6)}********${good.slice(-4)}`, reason: 'duplicate of row 2 in this file' });
    expect(byRow(11)[0].reason).toContain('fields; the header has 8');
    const text = (await shequ.get(`/api/v1/imports/${r.body.id}/errors.csv`)).text;
    for (const clear of [good, badId, '13822223333', '林震南']) expect(text).not.toContain(clear);
  });

  it('valid_rows: writes the good rows and reports the rest; duplicates of registered persons are refused', async () => {
    const existing = idNumber();
    expect((await shequ.post('/api/v1/persons', { regionCode: G, populationType: 'registered', idNumber: existing, name: '曲洋' })).status).toBe(201);
    const before = await personsWritten();
    const fresh = [idNumber(), idNumber()];
    const body = csv([
      ['regionCode', 'populationType', 'idNumber', 'name'],
      [G, '户籍', fresh[0], '刘正风'],
      [G, '户籍', existing, '曲洋'],
      [G, '户籍', badChecksum(idNumber()), '费彬'],
      [N, '流动', fresh[1], '曲非烟'],
      [N, '流动', fresh[1], '曲非烟'],
    ]);
    const r = await shequ.upload('/api/v1/imports?kind=persons&mode=valid_rows&wait=true', body);
    expect(r.body).toMatchObject({ status: 'partial', valid: 2, rejected: 3, written: 2 });
    expect(await personsWritten()).toBe(before + 2);
    const rep = await report(shequ, r.body.id);
    expect(rep.map((e) => [e.row, e.reason])).toEqual([
      ['3', 'a person with this ID number is registered already'],
      ['4', expect.stringContaining('check character')],
      ['6', 'duplicate of row 5 in this file'],
    ]);
    const again = await shequ.upload('/api/v1/imports?kind=persons&mode=valid_rows&wait=true', body);
    expect(again.body).toMatchObject({ status: 'failed', valid: 0, written: 0, error: 'Every row was refused; see the error report.' });
  });

  it('checks rows in worker threads (PostgreSQL) with the same results: accepted rows written, refused and duplicate ones reported', async () => {
    // on PGlite the workers option falls back to checking inline: the same expectations hold
    const { registryDeps, startImport, csvRecords } = await import('../../src/modules/registry/index.ts');
    const { getActor } = await import('../../src/platform/auth/service.ts');
    const [u] = await p.ctx.db.query<{ id: number }>(`SELECT id FROM app_user WHERE username = 'shequ'`);
    const actor = (await getActor(p.ctx.db, Number(u.id)))!;
    const existing = idNumber();
    expect((await shequ.post('/api/v1/persons', { regionCode: G, populationType: 'registered', idNumber: existing, name: '岳不群' })).status).toBe(201);
    const before = await personsWritten();
    const fresh = Array.from({ length: 7 }, () => idNumber());
    const rows = [
      ['regionCode', 'populationType', 'idNumber', 'name', 'currentAddress'],
      [G, '户籍', fresh[0], '令狐冲', '华山\\玉女峰1号'],
      [G, '户籍', existing, '岳不群', ''],
      [G, '户籍', badChecksum(idNumber()), '劳德诺', ''],
      [N, '流动', fresh[1], '林平之', '福州"向阳巷"'],
      [N, '流动', fresh[1], '林平之', ''],
      ...fresh.slice(2).map((id, i) => [G, '户籍', id, `陆大有${i}`, `华山${i}号`]),
    ];
    const run = async (mode: 'valid_rows' | 'all_or_nothing') => (await startImport(registryDeps(p.ctx), actor, {
      kind: 'persons', mode, source: csvRecords(Buffer.from(csv(rows))), batchSize: 3,
      workers: { count: 2, dataKey: Buffer.from('ab'.repeat(32), 'hex') },
    })).done;
    const none = await run('all_or_nothing');
    expect(none).toMatchObject({ status: 'failed', valid: 7, rejected: 3, written: 0 });
    expect(await personsWritten()).toBe(before);
    const job = await run('valid_rows');
    expect(job).toMatchObject({ status: 'partial', valid: 7, rejected: 3, written: 7 });
    expect(await personsWritten()).toBe(before + 7);
    const rep = await report(shequ, job.id);
    expect(rep.map((e) => [e.row, e.reason])).toEqual([
      ['3', 'a person with this ID number is registered already'],
      ['4', expect.stringContaining('check character')],
      ['6', 'duplicate of row 5 in this file'],
    ]);
    const stored = await p.ctx.db.query<{ current_address: string | null; sealed: string }>(
      'SELECT current_address, sealed FROM person WHERE import_job_id = $1 ORDER BY id', [job.id]);
    expect(stored.map((r) => r.current_address)).toEqual(['华山\\玉女峰1号', '福州"向阳巷"', ...fresh.slice(2).map((_, i) => `华山${i}号`)]);
    expect(JSON.parse(p.ctx.cipher.decrypt(stored[1].sealed))).toMatchObject({ idNumber: fresh[1], name: '林平之' });
  });

  it('answers at once with 202 and a job to poll when not asked to wait', async () => {
    const rows = [['regionCode', 'populationType', 'idNumber', 'name']];
    for (let i = 0; i < 300; i++) rows.push([G, '户籍', idNumber(), '仪琳']);
    const r = await wangge.upload('/api/v1/imports?kind=persons', csv(rows));
    expect(r.status, r.text).toBe(202);
    expect(r.body).toMatchObject({ status: 'running', total: 300 });
    let job = r.body;
    for (let i = 0; i < 200 && job.status === 'running'; i++) {
      await new Promise((ok) => setTimeout(ok, 50));
      job = (await wangge.get(r.headers.location as string)).body;
      expect(job.processed).toBeLessThanOrEqual(300);
    }
    expect(job).toMatchObject({ status: 'succeeded', processed: 300, total: 300, written: 300 });
    expect((await wangge.get('/api/v1/imports')).body.items[0].id).toBe(job.id);
  });
});

describe('houses, organisations, facilities', () => {
  it('imports houses with owner and tenant sealed, refusing duplicates by address', async () => {
    const owner = idNumber();
    const body = csv([
      ['regionCode', 'address', 'floor', 'area', 'useType', 'hazardTypes', 'ownerName', 'ownerIdNumber', 'ownerPhone', 'rented', 'rentalUse', 'tenantName', 'leaseStart', 'leaseEnd'],
      [G, '营盘街20号1-1', '1', '60.5', '出租', '消防安全隐患、用电安全隐患', '风清扬', owner, '13900001111', '是', '居住', '不戒', '2026-01-01', '2026-12-31'],
      [G, '营盘街20号1-2', '1', '55', '自住', '', '风清扬', owner, '', '否', '', '', '', ''],
      [G, '营盘街20号1-1', '1', '60.5', '', '', '', '', '', '', '', '', '', ''],
      [G, '营盘街20号1-3', 'one', '', '', '', '', badChecksum(owner), '', '', '', '桃谷仙', '', ''],
    ]);
    const r = await shequ.upload('/api/v1/imports?kind=houses&mode=valid_rows&wait=true', body);
    expect(r.body, r.text).toMatchObject({ status: 'partial', written: 2, rejected: 2 });
    const h = (await shequ.get('/api/v1/houses?q=营盘街20号1-1')).body.items[0];
    expect(h).toMatchObject({ floor: 1, area: 60.5, useType: '02', hazardTypes: ['01', '05'], rented: true, rentalUse: '01', ownerNameMasked: '风**', tenantNameMasked: '不*' });
    const rep = await report(shequ, r.body.id);
    expect(rep.find((e) => e.row === '4')).toMatchObject({ column: '房屋地址(address)', reason: 'duplicate of row 2 in this file' });
    // every error of the row: the floor, the owner's ID number, and a tenant on a house that is not let
    expect(rep.filter((e) => e.row === '5').map((e) => e.column).sort()).toEqual(['楼层(floor)', '房主公民身份号码(ownerIdNumber)', '是否出租(rented)'].sort());
    const csvOut = (await shequ.get('/api/v1/registry/exports/houses.csv')).text;
    expect(csvOut).not.toContain(owner);
    expect(csvOut).toContain('风**');
  });

  it('imports organisations, checking credit codes and refusing duplicates against the database', async () => {
    const codes = [creditCode(), creditCode()];
    await shequ.post('/api/v1/organisations', { regionCode: G, kind: 'enterprise', name: '已登记', creditCode: codes[1] });
    const body = csv([
      ['regionCode', 'kind', 'name', 'creditCode', 'typeCode', 'employees', 'legalRepName', 'legalRepPhone', 'hazardousChemicals'],
      [G, '企业', '黑木崖贸易有限公司', codes[0], '有限责任公司', '25', '杨莲亭', '13700007777', '否'],
      [G, 'enterprise', '重复公司', codes[1], '', '', '', '', ''],
      [G, '社会组织', '坏代码协会', '91110108551385082R', '', '', '', '', ''],
      [G, '党组织', '营盘街社区第二党支部', '', '党支部', '', '', '', ''],
    ]);
    const r = await shequ.upload('/api/v1/imports?kind=organisations&mode=valid_rows&wait=true', body);
    expect(r.body).toMatchObject({ status: 'partial', written: 2, rejected: 2 });
    const rep = await report(shequ, r.body.id);
    expect(rep.map((e) => [e.row, e.column, e.reason])).toEqual([
      ['3', '统一社会信用代码(creditCode)', 'an organisation with this unified social credit code is registered already'],
      ['4', '统一社会信用代码(creditCode)', expect.stringContaining('GB 32100')],
    ]);
    expect((await shequ.get(`/api/v1/organisations?creditCode=${codes[0]}`)).body.items[0]).toMatchObject({ typeCode: '150', employees: 25, legalRepNameMasked: '杨**' });
  });

  it('imports facilities, numbering those without a code after the ones registered', async () => {
    await shequ.post('/api/v1/facilities', { regionCode: G, major: '03', minor: '01', name: '公厕' });
    const body = csv([
      ['网格编码', '大类', '小类', '部件标识码', '部件名称', '部件状态', '权属单位', '养护单位'],
      [G, '03', '01', '', '公厕', '完好', '区城管局', '环卫所'],
      [G, '03', '01', '', '公厕', '破损', '区城管局', '环卫所'],
      [G, '03', '02', '5001170302000100', '垃圾箱', '丢失', '', ''],
      [G, '03', '09', '', '未知小类', '', '', ''],
      [G, '03', '01', '', '公厕', '坏了', '', ''],
    ]);
    const r = await shequ.upload('/api/v1/imports?kind=facilities&mode=valid_rows&wait=true', body);
    expect(r.body).toMatchObject({ status: 'partial', written: 3, rejected: 2 });
    const codes = (await shequ.get('/api/v1/facilities?major=03&pageSize=50')).body.items.map((x: any) => x.code).sort();
    expect(codes).toEqual(['5001170301000001', '5001170301000002', '5001170301000003', '5001170302000100']);
    const rep = await report(shequ, r.body.id);
    expect(rep.map((e) => [e.row, e.column])).toEqual([['5', '小类(minor)'], ['6', '部件状态(state)']]);
  });
});

describe('malformed files and bad requests', () => {
  it('refuses unreadable files with 4xx, recording nothing', async () => {
    const before = await registryCounts(p);
    const cases: Array<[string, string | Buffer, number, string]> = [
      ['an empty file', '', 400, 'malformed_file'],
      ['a blank header', '\n\n', 400, 'malformed_file'],
      ['an unknown column', 'regionCode,populationType,idNumber,name,salary\n', 400, 'malformed_file'],
      ['a missing required column', 'regionCode,populationType,name\n', 400, 'malformed_file'],
      ['a column twice', 'regionCode,populationType,idNumber,name,姓名\n', 400, 'malformed_file'],
      ['binary content', Buffer.from([0x00, 0x01, 0x02, 0xff, 0x00]), 415, 'unsupported_media_type'],
    ];
    for (const [name, content, status, code] of cases) {
      const r = await shequ.upload('/api/v1/imports?kind=persons&wait=true', content);
      expectProblem(r, status, code);
      expect(r.body.detail.length, name).toBeGreaterThan(10);
    }
    expect(await registryCounts(p)).toEqual(before);
    const xlsx = await shequ.upload('/api/v1/imports?kind=persons&wait=true', Buffer.from('504b0304140000000800', 'hex'), 'persons.xlsx');
    expectProblem(xlsx, 400, 'malformed_file');
    expectProblem(await shequ.upload('/api/v1/imports?kind=users&wait=true', 'a\n'), 400, 'validation_failed');
    expectProblem(await shequ.upload('/api/v1/imports?kind=persons&mode=some&wait=true', 'a\n'), 400, 'validation_failed');
    expectProblem(await shequ.post('/api/v1/imports?kind=persons', { file: 'regionCode' }), 415, 'not_multipart');
    expectProblem(await p.as(null).post('/api/v1/imports?kind=persons'), 401);
    expect(await registryCounts(p)).toEqual(before);
  });

  it('refuses a CSV that breaks in the middle (an unclosed quote), writing nothing', async () => {
    const before = await registryCounts(p);
    const r = await shequ.upload('/api/v1/imports?kind=persons&mode=valid_rows&wait=true',
      `regionCode,populationType,idNumber,name\n${G},户籍,${idNumber()},令狐冲\n${G},户籍,${idNumber()},"任我行\n`);
    // an uploaded file is parsed as a whole before the job starts; a streamed file (CLI) fails its job instead
    expectProblem(r, 400, 'malformed_file');
    expect(r.body.detail).toContain('not valid CSV');
    expect(await registryCounts(p)).toEqual(before);
  });

  it('takes formula-looking cells as text and keeps them harmless in reports and exports', async () => {
    const r = await shequ.upload('/api/v1/imports?kind=houses&wait=true', csv([
      ['regionCode', 'address'], [G, '=HYPERLINK("http://evil")'], [homeCommunity.code, '+cmd|calc'],
    ]));
    expect(r.body).toMatchObject({ status: 'failed', rejected: 1 });
    const rep = (await shequ.get(`/api/v1/imports/${r.body.id}/errors.csv`)).text;
    expect(rep).not.toMatch(/^[=+]/m);
    const ok = await shequ.upload('/api/v1/imports?kind=houses&wait=true', csv([['regionCode', 'address'], [G, '@SUM(A1)营盘街']]));
    expect(ok.body.status).toBe('succeeded');
    const out = (await shequ.get('/api/v1/registry/exports/houses.csv')).text;
    expect(out).toContain("'@SUM(A1)营盘街");
    void jiedao; void zhihui;
  });
});
