// One batch of import rows in a worker thread (worker.ts): checked, sealed and formatted (the CPU-heavy
// part: checksums, zod, AES-256-GCM, HMAC), so a two-core machine keeps both cores busy beside the database.
// A batch goes back as few objects as possible, so that neither thread pays for cloning thousands of
// small objects: the COPY text of the accepted rows as one UTF-8 buffer (transferred, not copied),
// their row numbers as an Int32Array, and their keys and masked key values as two '\n'-joined strings.
// A batch comes as parsed records, or as the raw bytes of a quote-free CSV chunk that is split here
// (chunks.ts), which spares the main thread csv-parse and both threads cloning thousands of cells.
import type { PersonalDataCipher } from '../../../platform/crypto.ts';
import { splitCsvChunk, type CsvDelimiter } from './chunks.ts';
import type { HeaderMap } from './columns.ts';
import { copyLine, processRow, rowEnv, tableSpec, type RowEnv, type RowEnvData, type RowError, type TableSpec } from './rows.ts';

/** A batch to check: parsed records, or a quote-free CSV chunk (UTF-8) of whole records. */
export type WorkerTask = { id: number; batch: string[][] } | { id: number; csv: ArrayBuffer; delimiter: CsvDelimiter };

/** What a worker sends back for one batch (see workers.ts). */
export interface WorkerBatch {
  id: number;
  /** records in the batch */
  count: number;
  /** row numbers of the accepted rows within the batch (0 = its first record), in file order */
  rows: Int32Array;
  /** their keys ('' for none), joined by '\n' */
  keys: string;
  /** the column and masked values their keys come from, for duplicate reports */
  keyColumn: string;
  keyValues: string;
  /** their COPY lines, UTF-8, each ending in '\n' */
  copy: ArrayBuffer;
  errors: RowError[];
}

export interface BatchChecker { env: RowEnv; spec: TableSpec; map: HeaderMap; headerLength: number }

export function batchChecker(data: RowEnvData, cipher: PersonalDataCipher, map: HeaderMap, headerLength: number): BatchChecker {
  return { env: rowEnv(data, cipher), spec: tableSpec(data.kind), map, headerLength };
}

/** Checks a batch; the ArrayBuffers of the answer are meant to be transferred. */
export function checkBatch(c: BatchChecker, task: WorkerTask): WorkerBatch {
  const batch = 'csv' in task ? splitCsvChunk(Buffer.from(task.csv).toString('utf8'), task.delimiter) : task.batch;
  const rows: number[] = [];
  const keys: string[] = [];
  const keyValues: string[] = [];
  const lines: string[] = [];
  const errors: RowError[] = [];
  let keyColumn = '';
  for (let i = 0; i < batch.length; i++) {
    const r = processRow(c.env, c.spec, c.map, batch[i], i, c.headerLength);
    if (Array.isArray(r)) { for (const e of r) errors.push(e); continue; }
    rows.push(r.row);
    keys.push(r.key ?? '');
    keyColumn = r.keyOf?.column ?? keyColumn;
    keyValues.push(r.keyOf?.value ?? '');
    lines.push(copyLine(r.literals));
  }
  const text = Buffer.from(lines.join(''), 'utf8');
  // a big Buffer.from owns its ArrayBuffer; a small one sits in the shared pool and is copied out
  const copy = text.byteOffset === 0 && text.byteLength === text.buffer.byteLength
    ? text.buffer as ArrayBuffer
    : text.buffer.slice(text.byteOffset, text.byteOffset + text.byteLength) as ArrayBuffer;
  return { id: task.id, count: batch.length, rows: Int32Array.from(rows), keys: keys.join('\n'), keyColumn, keyValues: keyValues.join('\n'), copy, errors };
}
