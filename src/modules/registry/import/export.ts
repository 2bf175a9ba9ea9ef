// Exports and templates. Exports cover every registry kind, as CSV or XLSX, with each code's label in the
// column beside it (民族 01 | 民族名称 汉族); personal columns carry the masked forms (500117********1234,
// 张*, 138****5678), never the sealed values; each export is audited. Templates are XLSX workbooks: the
// import columns with an example row per 人口类型, a note on which columns each type fills, and the code
// lists of every coded column (labels and short forms are accepted as well as codes).
import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Actor } from '../../../platform/auth/actor.ts';
import { regionPrefixSql } from '../../../platform/scope.ts';
import { audit, type RegistryDeps } from '../common.ts';
import type { ImportKind } from '../contracts.ts';
import type { Dictionaries } from '../dictionaries.ts';
import { kinds, type KindName } from '../kinds.ts';
import { makeCreditCode } from '../credit-code.ts';
import { makeIdNumber } from '../id-number.ts';
import { populationTypeNames } from '../persons-model.ts';
import { assertRegistryUser, scopeSql } from '../policy.ts';
import { headerTitle, importColumns, populationColumnNotes, type ImportColumn } from './columns.ts';
import { BOM, csvLine } from './sources.ts';

export function templateCsv(kind: ImportKind): string {
  return BOM + csvLine(importColumns[kind].map(headerTitle));
}

export const exportKinds = ['persons', 'houses', 'organisations', 'facilities', 'buildings', 'rooms', 'households', 'places', 'things'] as const;
export type ExportKind = (typeof exportKinds)[number];

/** The columns of an export: the import columns, or for the other kinds their fields, parent and personal fields. */
function exportColumns(kind: ExportKind): ImportColumn[] {
  if (kind in importColumns) return importColumns[kind as ImportKind];
  const k = kinds[kind as KindName];
  return [
    { key: 'regionCode', zh: '网格编码', type: 'string' },
    ...(k.parent ? [{ key: k.parent.api, zh: `${kinds[k.parent.kind].zh}ID`, type: 'int' as const }] : []),
    ...k.fields.filter((f) => f.pg !== 'jsonb').map((f): ImportColumn => ({
      key: f.api, zh: f.zh, type: f.pg === 'bool' ? 'bool' : f.pg === 'date' ? 'date' : f.pg === 'text[]' ? 'list' : 'string', dict: f.dict,
    })),
    ...k.sensitive.map((s): ImportColumn => ({ key: s.api, zh: s.zh, type: 'string', personal: s.kind })),
  ];
}

const coded = (c: ImportColumn) => !!(c.dict || c.labels || c.dictOf || c.key === 'populationType');
const labelTitle = (c: ImportColumn) => `${c.zh}名称(${c.key}Label)`;

export const exportHeader = (kind: ExportKind) => ['id', ...exportColumns(kind).flatMap((c) => (coded(c) ? [headerTitle(c), labelTitle(c)] : [headerTitle(c)]))];

const tables: Record<ExportKind, string> = Object.fromEntries(exportKinds.map((k) => [k, k === 'persons' ? 'person' : kinds[k as KindName].table])) as Record<ExportKind, string>;

function rawCell(kind: ExportKind, c: ImportColumn, row: any): unknown {
  if (c.key === 'regionCode') return row.region_code;
  if (kind === 'persons') {
    if (c.key === 'idNumber') return row.id_masked;
    if (c.key === 'name') return row.name_masked;
    if (c.key === 'formerName') return row.former_name_masked;
    if (c.key === 'phone') return row.phone_masked;
    if (c.key === 'idType') return row.id_type;
    if (c.key === 'populationType') return row.population_type;
    if (c.target?.startsWith('details.')) return row.details?.[c.key] ?? row.masked?.[c.key] ?? '';
    return row[c.key.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`)];
  }
  if (c.personal) return row.masked?.[c.key] ?? '';
  const k = kinds[kind as KindName];
  if (k.parent && c.key === k.parent.api) return row[k.parent.col];
  const fd = k.fields.find((x) => x.api === c.key);
  return fd ? row[fd.col] : '';
}

function text(v: unknown): string {
  if (v == null) return '';
  if (Array.isArray(v)) return v.join(',');
  if (typeof v === 'boolean') return v ? '是' : '否';
  return String(v);
}

/** The label of a coded cell: dictionary entries (lists: each), the column's own labels, the population type's name. */
function labelOf(dict: Dictionaries, c: ImportColumn, v: unknown, row: Record<string, any>): string {
  if (v == null || v === '') return '';
  if (c.key === 'populationType') return populationTypeNames[v as keyof typeof populationTypeNames]?.zh ?? String(v);
  if (c.labels) return Object.entries(c.labels).find(([, token]) => token === v)?.[0] ?? String(v);
  const name = c.dictOf ? c.dictOf({ kind: row.kind }) : c.dict;
  if (!name) return '';
  return (Array.isArray(v) ? v : [v]).map((x) => dict.entry(name, String(x))?.labelZh ?? String(x)).join(',');
}

/** The rows of an export, header first: the records of a kind in the actor's scope (optionally under a region). */
export async function* exportRows(deps: RegistryDeps, actor: Actor, kind: ExportKind, regionCode?: string): AsyncGenerator<string[]> {
  assertRegistryUser(actor);
  const { db } = deps.ctx;
  const dict = await deps.dictionaries.fresh();
  await audit(db, actor, 'registry.export', `export:${kind}`, regionCode ?? actor.regionCode, { kind, regionCode: regionCode ?? null });
  yield exportHeader(kind);
  const cols = exportColumns(kind);
  const dateCols = kind === 'persons' ? ['birth_date'] : kinds[kind as KindName].fields.filter((f) => f.pg === 'date').map((f) => f.col);
  const select = `SELECT t.*${dateCols.map((c) => `, to_char(t.${c}, 'YYYY-MM-DD') AS ${c}`).join('')}`;
  let last = 0;
  for (;;) {
    const params: unknown[] = [last];
    // persons are scoped by region_code prefix (their one scope index, migration 0008)
    const leveled = kind !== 'persons';
    const where = [`t.id > $1`, scopeSql(actor, 't', params, leveled)];
    if (regionCode) where.push(regionPrefixSql(regionCode, 't', params, leveled));
    const rows = await db.query<any>(`${select} FROM ${tables[kind]} t WHERE ${where.join(' AND ')} ORDER BY t.id LIMIT 2000`, params);
    if (!rows.length) return;
    for (const r of rows) {
      const out: string[] = [String(r.id)];
      for (const c of cols) {
        const v = rawCell(kind, c, r);
        out.push(text(v));
        if (coded(c)) out.push(labelOf(dict, c, v, r));
      }
      yield out;
    }
    last = Number(rows[rows.length - 1].id);
  }
}

/** CSV text (UTF-8 with BOM) of rows, in chunks. */
export async function* csvOf(rows: AsyncIterable<string[]> | Iterable<string[]>): AsyncGenerator<string> {
  let chunk = BOM;
  for await (const r of rows) {
    chunk += csvLine(r);
    if (chunk.length > 64_000) { yield chunk; chunk = ''; }
  }
  if (chunk) yield chunk;
}

/** An XLSX workbook of rows, streamed (the header row bold and frozen). */
export function xlsxOf(rows: AsyncIterable<string[]> | Iterable<string[]>, sheet = 'data'): Readable {
  const out = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const ws = wb.addWorksheet(sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
  void (async () => {
    let first = true;
    for await (const r of rows) {
      const row = ws.addRow(r);
      if (first) { row.font = { bold: true }; first = false; }
      row.commit();
    }
    ws.commit();
    await wb.commit();
  })().catch((err) => out.destroy(err));
  return out;
}

// ---------------------------------------------------------------------------------------------
// The XLSX template

/** One plausible row per population type (persons) or one row (other kinds), by column key. */
const EXAMPLES: Record<ImportKind, Array<Record<string, string>>> = {
  persons: [
    { populationType: '户籍人口', idType: '居民身份证', idNumber: makeIdNumber('500117', '19880315', 1), name: '张三', phone: '13800000000', ethnicity: '汉族', politicalStatus: '中共党员', education: '本科', maritalStatus: '已婚', currentAddress: '营盘街12号1栋2单元301', householdNo: '500117001' },
    { populationType: '流动人口', idType: '居民身份证', idNumber: makeIdNumber('511623', '19920708', 2), name: '李四', ethnicity: '汉族', politicalStatus: '群众', inflowReason: '务工', residenceType: '租赁房屋', registeredOn: '2026-03-01', currentAddress: '营盘街8号3-502' },
    { populationType: '境外人员', idType: '普通护照', idNumber: 'E12345678', name: 'NGUYEN VAN A', nationality: '越南', foreignSurname: 'NGUYEN', foreignGivenName: 'VAN A', arrivedOn: '2026-01-05', visitPurpose: '就业' },
    { populationType: '留守人员', idType: '居民身份证', idNumber: makeIdNumber('500117', '19550101', 1), name: '王五', formerName: '王老五', leftBehindType: '留守老人', healthStatus: '一般或较弱', familyMemberName: '王小五', familyMemberPhone: '13700000000' },
  ],
  houses: [{ address: '营盘街12号1栋2单元301', unitNo: '2', floor: '3', doorNo: '301', area: '89.5', useType: '自住', rented: '否', ownerName: '赵德明', ownerPhone: '13500000000' }],
  organisations: [{ kind: '企业', name: '某某商贸有限公司', creditCode: makeCreditCode('91', '500117', 'MA0000001'), address: '营盘街20号', employees: '12', legalRepName: '孙经理' }],
  facilities: [{ major: '01', minor: '01', name: '营盘街消火栓', state: '完好', address: '营盘街12号旁', lat: '29.5630', lng: '106.5516', ownerUnit: '区自来水公司' }],
};

/** The template of a kind as an XLSX workbook: 填写 (header and example rows), 说明 (notes), 代码表 (code lists). */
export async function templateXlsx(deps: RegistryDeps, kind: ImportKind): Promise<Buffer> {
  const dict = await deps.dictionaries.fresh();
  const cols = importColumns[kind];
  const wb = new ExcelJS.Workbook();
  const data = wb.addWorksheet('填写', { views: [{ state: 'frozen', ySplit: 1 }] });
  data.addRow(cols.map(headerTitle)).font = { bold: true };
  // text cells: an 18-digit ID number typed into a number cell would lose its last digits
  data.columns.forEach((col, i) => { col.width = Math.max(12, Math.min(30, headerTitle(cols[i]).length * 1.6)); col.numFmt = '@'; });
  const examples = wb.addWorksheet('示例');
  examples.addRow(cols.map(headerTitle)).font = { bold: true };
  for (const e of EXAMPLES[kind]) examples.addRow(cols.map((c) => (c.key === 'regionCode' ? '（网格编码）' : e[c.key] ?? '')));

  const notes = wb.addWorksheet('说明');
  notes.getColumn(1).width = 18;
  notes.getColumn(2).width = 110;
  const note = (a: string, b: string, bold = false) => { const r = notes.addRow([a, b]); if (bold) r.font = { bold: true }; };
  note('填写说明', '在“填写”页从第 2 行起每行填一条记录；“示例”页是示例行，不会被导入。表头保持不变（中文名或括号中的英文名均可）。', true);
  note('必填列', cols.filter((c) => c.required).map((c) => c.zh).join('、'));
  note('代码列', '可填代码、名称或常用简称（如 政治面貌 填 01、中国共产党党员 或 中共党员；民族 填 01 或 汉族），见“代码表”页。');
  note('日期', '写作 YYYY-MM-DD，如 2026-03-01。是/否 列填 是 或 否。');
  note('错误报告', '导入后可下载“错误行”文件：保留原始内容，最后一列是错误说明；改正后可直接再次导入（错误说明列会被忽略）。');
  if (kind === 'persons') {
    note('', '');
    note('人口类型', '各人口类型另填的列（不适用的列会被忽略并提示，不会拒绝整行）', true);
    for (const n of populationColumnNotes()) {
      const req = n.required.length ? `；必填：${n.columns.filter((c) => n.required.includes(c.key)).map((c) => c.zh).join('、')}` : '';
      note(n.zh, `${n.columns.map((c) => c.zh).join('、')}${req}`);
    }
  }

  const codes = wb.addWorksheet('代码表');
  codes.addRow(['列', '代码', '名称', '简称/别名']).font = { bold: true };
  [14, 10, 30, 30].forEach((w, i) => { codes.getColumn(i + 1).width = w; });
  for (const c of cols) {
    if (c.key === 'populationType') {
      for (const [token, n] of Object.entries(populationTypeNames)) codes.addRow([c.zh, token, n.zh, n.zh.slice(0, 2)]);
      continue;
    }
    if (c.labels) {
      for (const [label, token] of Object.entries(c.labels)) codes.addRow([c.zh, token, label, '']);
      continue;
    }
    const names = c.dictOf ? ['enterprise_type', 'social_org_type', 'party_org_type'] : c.dict ? [c.dict] : [];
    for (const name of names) {
      for (const code of dict.snapshot().codes[name] ?? []) {
        const e = dict.entry(name, code)!;
        codes.addRow([c.zh, e.code, e.labelZh, e.aliases.join('、')]);
      }
    }
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The records of a kind as CSV text chunks (UTF-8 with BOM, header first): the CLI's export. */
export function exportCsv(deps: RegistryDeps, actor: Actor, kind: ExportKind, regionCode?: string): AsyncGenerator<string> {
  return csvOf(exportRows(deps, actor, kind, regionCode));
}
