// Import files as streams of records (arrays of cell strings, the header first) — CSV through
// csv-parse, XLSX through one small adapter over exceljs — and the CSV files the registry writes.
import { createReadStream, openSync, readSync, closeSync } from 'node:fs';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import { AppError } from '../../../platform/errors.ts';

export type RecordSource = AsyncIterable<string[]> & {
  /** a CSV source: its file (path) or buffer, which worker threads may parse themselves (see chunks.ts) */
  csvInput?: Buffer | string;
  /** stops reading (closes the file) */
  stop?: () => void;
};

export const csvOptions = { bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true } as const;

export function csvRecords(input: Buffer | string): RecordSource {
  const file = Buffer.isBuffer(input) ? null : createReadStream(input);
  const parser = (file ?? Readable.from([input])).pipe(parse(csvOptions));
  return Object.assign(parser, { csvInput: input, stop: () => { parser.destroy(); file?.destroy(); } });
}

/** Rows in a file or buffer, counted by line breaks (a quoted field with a line break counts twice): the progress total. */
export function estimateRecords(input: Buffer | string): number {
  let n = 0;
  let last = 10;
  const count = (b: Buffer, len: number) => {
    for (let i = b.indexOf(10); i !== -1 && i < len; i = b.indexOf(10, i + 1)) n++;
    if (len) last = b[len - 1];
  };
  if (Buffer.isBuffer(input)) count(input, input.length);
  else {
    const fd = openSync(input, 'r');
    const buf = Buffer.allocUnsafe(1 << 20);
    try { for (let len; (len = readSync(fd, buf, 0, buf.length, null)) > 0;) count(buf, len); } finally { closeSync(fd); }
  }
  if (last !== 10) n++;
  return Math.max(0, n - 1);
}

// ---------------------------------------------------------------------------------------------
// XLSX through exceljs (a dependency: XLSX works on every install); everything else sees rows of strings.

/** Dates as YYYY-MM-DD, formulas as their results, rich text and hyperlinks as their text. */
function cellText(v: any): string {
  if (v == null) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v !== 'object') return String(v);
  if ('result' in v) return cellText(v.result);
  if ('richText' in v) return v.richText.map((t: { text: string }) => t.text).join('');
  return String(v.text ?? '');
}

/** The first worksheet's rows as strings (dates as YYYY-MM-DD, formulas as their results). */
export async function xlsxRecords(buf: Buffer): Promise<RecordSource> {
  const wb = new ExcelJS.Workbook();
  try { await wb.xlsx.load(buf as unknown as ArrayBuffer); } catch { throw new AppError(400, 'malformed_file', { zh: `文件不是可读取的 XLSX 工作簿。`, en: 'The file is not a readable XLSX workbook.' }); }
  const ws = wb.worksheets[0];
  const rows: string[][] = [];
  const width = ws?.columnCount ?? 0;
  ws?.eachRow({ includeEmpty: false }, (row: any) => {
    const cells: string[] = [];
    for (let c = 1; c <= width; c++) {
      const v = row.getCell(c).value;
      cells.push(cellText(v));
    }
    rows.push(cells);
  });
  return (async function* () { yield* rows; })();
}

export async function xlsxFile(header: string[], rows: AsyncIterable<string[]> | string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('data');
  ws.addRow(header);
  for await (const r of rows as AsyncIterable<string[]>) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// ---------------------------------------------------------------------------------------------
// CSV out: RFC 4180 quoting; a formula-looking cell gets a leading apostrophe (CSV injection)

export function csvCell(v: unknown): string {
  let s = v == null ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s) && !/^[+-]?\d[\d.-]*$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
export const csvLine = (cells: unknown[]) => `${cells.map(csvCell).join(',')}\r\n`;
/** UTF-8 BOM so spreadsheet programs read Chinese correctly. */
export const BOM = '\uFEFF';
