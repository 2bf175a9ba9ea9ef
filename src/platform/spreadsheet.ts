// Small tables in and out of files: CSV (UTF-8, with or without BOM; csv-parse) and XLSX (exceljs, first
// worksheet). For set-up files of up to a few thousand rows, read whole; the registry's streaming
// import of millions of rows has its own sources (modules/registry/import/sources.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { BilingualError } from './errors.ts';

/** A row with its number as a spreadsheet shows it (the header is row 1). */
export interface TableRow { n: number; cells: string[] }

/** The file is not CSV or XLSX as it claims: `message` in English, `zh` in Chinese. */
export class UnreadableFileError extends BilingualError {
  constructor(message: string, zh: string) { super({ zh, en: message }); }
}

export const isXlsx = (file: string) => extname(file).toLowerCase() === '.xlsx';

/** Every row of the file, blank rows left out, cells as trimmed strings. */
export async function readTable(file: string): Promise<TableRow[]> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    (err as NodeJS.ErrnoException).path ??= file; // a folder (EISDIR) is reported without its path
    throw err;
  }
  return isXlsx(file) ? readXlsx(bytes) : readCsv(bytes);
}

function readCsv(bytes: Buffer): TableRow[] {
  let records: string[][];
  try {
    records = parse(bytes, { bom: true, relax_column_count: true, skip_empty_lines: false });
  } catch (err) {
    throw new UnreadableFileError(`not a readable CSV file: ${(err as Error).message}`, `不是可读取的 CSV 文件：${(err as Error).message}`);
  }
  return records.map((cells, i) => ({ n: i + 1, cells: cells.map((c) => c.trim()) })).filter((r) => r.cells.some((c) => c !== ''));
}

async function readXlsx(bytes: Buffer): Promise<TableRow[]> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw new UnreadableFileError('not a readable XLSX workbook', '不是可读取的 XLSX 工作簿');
  }
  const ws = wb.worksheets[0];
  const rows: TableRow[] = [];
  if (!ws) return rows;
  const width = ws.columnCount;
  ws.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    for (let c = 1; c <= width; c++) cells.push(cellText(row.getCell(c).value).trim());
    if (cells.some((c) => c !== '')) rows.push({ n: row.number, cells });
  });
  return rows;
}

/** Dates as YYYY-MM-DD, formulas as their results, rich text as its text. */
function cellText(v: ExcelJS.CellValue): string {
  if (v == null) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v !== 'object') return String(v);
  if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
  if ('richText' in v) return v.richText.map((t) => t.text).join('');
  if ('text' in v) return String(v.text);
  return '';
}

/** RFC 4180 quoting; a formula-looking cell gets a leading apostrophe (CSV injection). */
export function csvCell(v: unknown): string {
  let s = v == null ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s) && !/^[+-]?\d[\d.-]*$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export interface WorkbookExtras {
  /** XLSX: columns (by index) whose cells offer a drop-down of these values (the data rows below the header) */
  choices?: Record<number, string[]>;
  /** XLSX: further sheets after the data sheet (instructions, reference lists), first row bold */
  sheets?: Array<{ name: string; rows: string[][] }>;
}

/** Writes a header and rows as XLSX (by the file's extension) or CSV with a UTF-8 BOM, so spreadsheet programs read Chinese. */
export async function writeTable(file: string, header: string[], rows: string[][], opts: { mode?: number } & WorkbookExtras = {}): Promise<void> {
  if (isXlsx(file)) {
    writeFileSync(file, await xlsxTable(header, rows, opts), { mode: opts.mode });
    return;
  }
  const lines = [header, ...rows].map((r) => `${r.map(csvCell).join(',')}\r\n`).join('');
  writeFileSync(file, `\uFEFF${lines}`, { mode: opts.mode });
}

/** The XLSX workbook writeTable writes: a data sheet (bold header), its drop-downs and the further sheets. */
export async function xlsxTable(header: string[], rows: string[][], opts: WorkbookExtras = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('data');
  ws.addRow(header).font = { bold: true };
  for (const r of rows) ws.addRow(r);
  ws.columns.forEach((col, i) => { col.width = Math.min(40, Math.max(12, ...[header[i], ...rows.map((r) => r[i] ?? '')].map((s) => s.length * 2))); });
  for (const [i, values] of Object.entries(opts.choices ?? {})) {
    // a list kept on a sheet of its own (an inline list is limited to 255 characters)
    const list = wb.addWorksheet(`list${Number(i) + 1}`, { state: 'hidden' });
    for (const v of values) list.addRow([v]);
    const col = ws.getColumn(Number(i) + 1).letter;
    for (let r = 2; r <= 1000; r++) {
      ws.getCell(`${col}${r}`).dataValidation = {
        type: 'list', allowBlank: true, formulae: [`'${list.name}'!$A$1:$A$${values.length}`],
        showErrorMessage: true, errorTitle: header[Number(i)], error: values.join(' / ').slice(0, 250),
      };
    }
  }
  for (const sheet of opts.sheets ?? []) {
    const extra = wb.addWorksheet(sheet.name);
    sheet.rows.forEach((r, n) => { const row = extra.addRow(r); if (n === 0) row.font = { bold: true }; });
    extra.columns.forEach((col, i) => { col.width = Math.min(60, Math.max(12, ...sheet.rows.map((r) => (r[i] ?? '').length * 2))); });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
