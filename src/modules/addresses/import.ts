// Reading an address file: CSV (UTF-8, header row), XLSX (first sheet, header row) or GeoJSON (a
// FeatureCollection of Points). Column names are Chinese or English (docs/addresses.md); kinds are
// written in either language too. Each row becomes an AddressInput or an error naming its row.
import { parse } from 'csv-parse/sync';
import { AppError } from '../../platform/errors.ts';
import { addressKinds, AddressInputSchema, type AddressInput, type AddressKindT } from './contracts.ts';

export interface RowError { row: number; message: string; messageZh: string }
export interface ParsedFile { rows: Array<{ row: number; input: AddressInput }>; errors: RowError[] }

const COLUMNS: Record<keyof Required<AddressInput>, string[]> = {
  kind: ['类型', '地址类型', 'kind', 'type'],
  label: ['名称', '标准地址', '地址', 'label', 'name'],
  aliases: ['别名', '俗称', 'aliases', 'alias'],
  regionCode: ['区划代码', '网格代码', '社区代码', 'regioncode', 'region_code', 'code'],
  lng: ['经度', 'lng', 'lon', 'longitude'],
  lat: ['纬度', 'lat', 'latitude'],
};
const KINDS: Record<string, AddressKindT> = {
  道路: 'road', 路: 'road', 街巷: 'road', 门牌: 'door', 门牌号: 'door', 门牌地址: 'door', 小区: 'compound', 院落: 'compound',
  楼栋: 'building', 楼: 'building', 建筑物: 'building', 地标: 'landmark', 兴趣点: 'landmark', poi: 'landmark',
  村民小组: 'group', 组: 'group', 社: 'group',
};

export function kindOf(value: string): AddressKindT | null {
  const v = value.trim().toLowerCase();
  if ((addressKinds as readonly string[]).includes(v)) return v as AddressKindT;
  return KINDS[v] ?? null;
}

const splitAliases = (s: string) => s.split(/[|;；、,，]/u).map((x) => x.trim()).filter(Boolean);
const num = (s: unknown) => (s === '' || s == null ? null : Number(s));

function fromRecord(rec: Record<string, unknown>, row: number, errors: RowError[]): AddressInput | null {
  const kindText = String(rec.kind ?? '');
  const kind = kindOf(kindText);
  if (!kind) {
    errors.push({ row, message: `unknown kind "${kindText.slice(0, 20)}" (road, door, compound, building, landmark, group)`, messageZh: `地址类型"${kindText.slice(0, 20)}"无法识别（道路、门牌、小区、楼栋、地标、村民小组）` });
    return null;
  }
  const aliases = Array.isArray(rec.aliases) ? rec.aliases.map(String) : splitAliases(String(rec.aliases ?? ''));
  const candidate = {
    kind, label: String(rec.label ?? '').trim(), aliases,
    regionCode: rec.regionCode ? String(rec.regionCode).trim() : undefined,
    lat: num(rec.lat), lng: num(rec.lng),
  };
  const r = AddressInputSchema.safeParse(candidate);
  if (!r.success) {
    const issue = r.error.issues[0];
    const field = String(issue.path[0] ?? '');
    errors.push({ row, message: `${field || 'row'}: ${issue.message}`, messageZh: `${FIELD_ZH[field] ?? '本行'}不符合要求：${issue.message}` });
    return null;
  }
  if ((r.data.lat == null) !== (r.data.lng == null) || (r.data.lat != null && !Number.isFinite(r.data.lat))) {
    errors.push({ row, message: 'give both lat and lng, or neither', messageZh: '经度和纬度须同时填写或同时留空' });
    return null;
  }
  if (!r.data.regionCode && r.data.lat == null) {
    errors.push({ row, message: 'give a region code or a point', messageZh: '须填写区划代码或经纬度' });
    return null;
  }
  return r.data;
}
const FIELD_ZH: Record<string, string> = { kind: '类型', label: '名称', aliases: '别名', regionCode: '区划代码', lat: '纬度', lng: '经度' };

function fromTable(table: string[][]): ParsedFile {
  const [header, ...body] = table;
  if (!header) throw new AppError(422, 'empty_file', { zh: `文件没有表头行。`, en: 'The file has no header row.' }, { zh: '文件没有表头行。' });
  const names = header.map((h) => String(h).trim().replace(/^\uFEFF/, '').toLowerCase());
  const index: Partial<Record<keyof typeof COLUMNS, number>> = {};
  for (const [field, aliases] of Object.entries(COLUMNS) as Array<[keyof typeof COLUMNS, string[]]>) {
    const i = names.findIndex((n) => aliases.includes(n));
    if (i >= 0) index[field] = i;
  }
  if (index.kind === undefined || index.label === undefined) {
    throw new AppError(422, 'missing_columns', { zh: `表头至少须包含“类型”和“名称”两列。`, en: 'The header needs at least the columns 类型 (kind) and 名称 (label).' }, { zh: '表头至少需要"类型"和"名称"两列。' });
  }
  const out: ParsedFile = { rows: [], errors: [] };
  body.forEach((cells, i) => {
    if (cells.every((c) => String(c ?? '').trim() === '')) return;
    const rec: Record<string, unknown> = {};
    for (const [field, at] of Object.entries(index)) rec[field] = String(cells[at!] ?? '').trim();
    const input = fromRecord(rec, i + 2, out.errors);
    if (input) out.rows.push({ row: i + 2, input });
  });
  return out;
}

export async function parseAddressFile(format: 'csv' | 'xlsx' | 'geojson', content: string | Buffer): Promise<ParsedFile> {
  if (format === 'csv') {
    let table: string[][];
    try { table = parse(content, { bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true }); } catch {
      throw new AppError(400, 'malformed_file', { zh: `文件不是可读取的 CSV。`, en: 'The file is not readable CSV.' }, { zh: '文件不是可读的 CSV。' });
    }
    return fromTable(table);
  }
  if (format === 'xlsx') {
    const buf = typeof content === 'string' ? Buffer.from(content, 'base64') : content;
    const ExcelJS: any = (await import('exceljs')).default ?? (await import('exceljs'));
    const wb = new ExcelJS.Workbook();
    try { await wb.xlsx.load(buf); } catch {
      throw new AppError(400, 'malformed_file', { zh: `文件不是可读取的 XLSX 工作簿。`, en: 'The file is not a readable XLSX workbook.' }, { zh: '文件不是可读的 XLSX 工作簿。' });
    }
    const ws = wb.worksheets[0];
    const table: string[][] = [];
    const width = ws?.columnCount ?? 0;
    ws?.eachRow({ includeEmpty: false }, (row: any) => {
      const cells: string[] = [];
      for (let c = 1; c <= width; c++) {
        const v = row.getCell(c).value;
        cells.push(v == null ? '' : typeof v === 'object' ? String(v.result ?? v.text ?? '') : String(v));
      }
      table.push(cells);
    });
    return fromTable(table);
  }
  let doc: any;
  try { doc = JSON.parse(typeof content === 'string' ? content : content.toString('utf8')); } catch {
    throw new AppError(400, 'malformed_file', { zh: `文件不是可读取的 GeoJSON。`, en: 'The file is not readable GeoJSON.' }, { zh: '文件不是可读的 GeoJSON。' });
  }
  if (doc?.type !== 'FeatureCollection' || !Array.isArray(doc.features)) {
    throw new AppError(422, 'not_feature_collection', { zh: `GeoJSON 须为由点要素（Point）组成的 FeatureCollection。`, en: 'GeoJSON must be a FeatureCollection of Point features.' }, { zh: 'GeoJSON 须为点要素的 FeatureCollection。' });
  }
  const out: ParsedFile = { rows: [], errors: [] };
  doc.features.slice(0, 500_000).forEach((f: any, i: number) => {
    const row = i + 1;
    const c = f?.geometry?.type === 'Point' ? f.geometry.coordinates : null;
    if (!Array.isArray(c) || typeof c[0] !== 'number' || typeof c[1] !== 'number') {
      out.errors.push({ row, message: 'the feature is not a Point', messageZh: '该要素不是点' });
      return;
    }
    const p = f.properties ?? {};
    const rec: Record<string, unknown> = {
      kind: p.kind ?? p['类型'] ?? '', label: p.label ?? p.name ?? p['名称'] ?? '', aliases: p.aliases ?? p['别名'] ?? '',
      regionCode: p.regionCode ?? p['区划代码'] ?? '', lng: c[0], lat: c[1],
    };
    const input = fromRecord(rec, row, out.errors);
    if (input) out.rows.push({ row, input });
  });
  return out;
}
