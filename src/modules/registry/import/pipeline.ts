// Bulk import of persons, houses, organisations and facilities. One job row per file, polled for
// progress; rows are checked as they stream in (inline, or in worker threads for big files) and
// written through one transaction; duplicates are caught within the file and against the database;
// every refused row goes into the error report. Modes: all_or_nothing (any refused row → nothing is
// written) and valid_rows (the accepted rows are written, the rest reported).
import type { Actor } from '../../../platform/auth/actor.ts';
import type { Queryable } from '../../../platform/db/index.ts';
import { AppError, notFound } from '../../../platform/errors.ts';
import { scopePrefixes } from '../../../platform/scope.ts';
import { iso, type RegistryDeps } from '../common.ts';
import type { ImportKind } from '../contracts.ts';
import { assertRegistryUser, inScope } from '../policy.ts';
import { mapHeader, type HeaderMap } from './columns.ts';
import { processRow, rowEnv, tableSpec, type RowEnvData, type RowError, type RowOk, type RowWarning, type TableSpec } from './rows.ts';
import { zhReason, type Lang } from './messages.ts';
import { csvLine, type RecordSource } from './sources.ts';
import { csvLayout, csvPieces, type CsvDelimiter, type CsvPiece } from './chunks.ts';
import { withWriter } from './writer.ts';
import { truncateCodePoints } from '../../../platform/text.ts';

export type ImportMode = 'all_or_nothing' | 'valid_rows';

export interface ImportOptions {
  kind: ImportKind;
  mode: ImportMode;
  fileName?: string | null;
  source: RecordSource;
  /** expected number of data rows (progress); corrected when the file has been read */
  estimatedTotal?: number;
  /** check rows in worker threads (persons on PostgreSQL); they need the data key */
  workers?: { count: number; dataKey: Buffer };
  batchSize?: number;
  onProgress?: (p: ImportProgress) => void;
}

export interface ImportProgress { processed: number; total: number | null; valid: number; rejected: number }

/** Progress of the imports running in this process (PGlite cannot be read while the import's transaction runs). */
const live = new Map<number, ImportProgress>();

/**
 * Rows of a batch: accepted (with their COPY lines as UTF-8 when a worker made them) and refused.
 * Row numbers count from the batch's first record (0); the pipeline adds where the batch starts,
 * since a worker that parses a chunk itself is the first to know how many records it holds.
 */
export interface BatchResult { count: number; ok: RowOk[]; copy?: Buffer; errors: RowError[] }

/** The COPY lines (each ending in '\n', which never occurs inside one) of the rows at `picked`. */
function pickLines(copy: Buffer, picked: number[]): Buffer {
  const starts = [0];
  for (let i = copy.indexOf(10); i !== -1; i = copy.indexOf(10, i + 1)) starts.push(i + 1);
  return Buffer.concat(picked.map((i) => copy.subarray(starts[i], starts[i + 1])));
}
export interface RowProcessor {
  process(batch: string[][]): Promise<BatchResult>;
  /** a quote-free CSV chunk of whole records (chunks.ts), parsed by the processor */
  processCsv?(chunk: Buffer, delimiter: CsvDelimiter): Promise<BatchResult>;
  close(): Promise<void>;
  depth: number;
}

function inlineProcessor(deps: RegistryDeps, data: RowEnvData, spec: TableSpec, map: HeaderMap, headerLength: number): RowProcessor {
  const env = rowEnv(data, deps.ctx.cipher);
  return {
    depth: 1,
    async process(batch) {
      const ok: RowOk[] = [];
      const errors: RowError[] = [];
      batch.forEach((cells, i) => {
        const r = processRow(env, spec, map, cells, i, headerLength);
        if (Array.isArray(r)) errors.push(...r); else { r.cells = cells; ok.push(r); }
      });
      // let the server answer other requests between batches
      await new Promise((r) => setImmediate(r));
      return { count: batch.length, ok, errors };
    },
    async close() {},
  };
}

async function* batches(it: AsyncIterator<string[]>, size: number): AsyncGenerator<CsvPiece> {
  let batch: string[][] = [];
  for (let r = await it.next(); !r.done; r = await it.next()) {
    batch.push(r.value);
    if (batch.length >= size) { yield { records: batch }; batch = []; }
  }
  if (batch.length) yield { records: batch };
}

/**
 * The data rows in batches: parsed in this thread, or — a CSV source going to a processor that parses
 * CSV itself, and a file that can be cut (csvLayout) — as raw chunks read again from the file's start.
 */
async function pieces(opts: ImportOptions, it: AsyncIterator<string[]>, header: string[], processor: RowProcessor, size: number): Promise<AsyncGenerator<CsvPiece>> {
  const input = opts.source.csvInput;
  const layout = input !== undefined && processor.processCsv ? await csvLayout(input, header) : null;
  if (!layout) return batches(it, size);
  opts.source.stop?.();
  return csvPieces(input!, layout.start, layout.delimiter, size);
}

/** Keys of this batch already in the database. */
async function existingKeys(q: Queryable, kind: ImportKind, keys: string[]): Promise<Set<string>> {
  if (!keys.length) return new Set();
  let rows: Array<{ k: string }>;
  // One index probe per key (a semi join from the keys): `col = ANY($1)` with thousands of keys is
  // planned as a sequential scan once the table looks big, and during an import it does, since the
  // import's own uncommitted rows fill the heap: every batch would read them all again.
  // The keys go sorted, so consecutive probes walk the index in order, and as one '\n'-joined text
  // (keys never contain a line break), which the driver sends as it is instead of quoting an array.
  const probe = (table: string, col: string) =>
    q.query<{ k: string }>(`SELECT u.k FROM unnest(string_to_array($1::text, E'\\n')) AS u(k) WHERE EXISTS (SELECT 1 FROM ${table} t WHERE t.${col} = u.k)`,
      [[...keys].sort().join('\n')]);
  switch (kind) {
    case 'persons': rows = await probe('person', 'id_hash'); break;
    case 'organisations': rows = await probe('organisation', 'credit_code'); break;
    case 'facilities': rows = await probe('facility', 'code'); break;
    case 'houses': {
      const grids = [...new Set(keys.map((k) => k.slice(0, k.indexOf('|'))))];
      const addresses = keys.map((k) => k.slice(k.indexOf('|') + 1));
      rows = await q.query(`SELECT region_code || '|' || address AS k FROM house WHERE region_code = ANY($1::text[]) AND address = ANY($2::text[])`, [grids, addresses]);
      break;
    }
  }
  return new Set(rows.map((r) => r.k));
}

const duplicateReason: Record<ImportKind, string> = {
  persons: 'a person with this ID number is registered already',
  houses: 'a house with this address is registered in this grid already',
  organisations: 'an organisation with this unified social credit code is registered already',
  facilities: 'a facility with this code is registered already',
};

/** 部件 codes for rows that came without one: the next serials of their district and class. */
async function assignFacilityCodes(q: Queryable, spec: TableSpec, rows: RowOk[], counters: Map<string, number>, seen: Map<string, number>): Promise<void> {
  const ci = spec.columns.indexOf('code');
  const major = spec.columns.indexOf('major');
  const minor = spec.columns.indexOf('minor');
  for (const r of rows) {
    if (r.literals[ci]) continue;
    const prefix = `${r.literals[0]!.slice(0, 6)}${r.literals[major]}${r.literals[minor]}`;
    if (!counters.has(prefix)) {
      const [m] = await q.query<{ code: string | null }>('SELECT max(code) AS code FROM facility WHERE code LIKE $1', [`${prefix}%`]);
      counters.set(prefix, m.code ? Number(m.code.slice(10)) : 0);
    }
    let n = counters.get(prefix)! + 1;
    while (seen.has(`${prefix}${String(n).padStart(6, '0')}`)) n++;
    if (n > 999_999) throw new AppError(409, 'facility_serials_exhausted', { zh: `${prefix} 的流水号已用完。`, en: `No serial numbers left for ${prefix}.` });
    counters.set(prefix, n);
    r.literals[ci] = `${prefix}${String(n).padStart(6, '0')}`;
    r.key = r.literals[ci];
    r.keyOf = { column: r.keyOf?.column ?? 'code', value: r.key! };
  }
}

export interface ImportStart { jobId: number; done: Promise<ImportJobView> }

/**
 * Reads the header (a file that cannot be read is refused at once, with nothing recorded), creates the
 * job and runs the import; `done` settles with the finished job.
 */
export async function startImport(deps: RegistryDeps, actor: Actor, opts: ImportOptions): Promise<ImportStart> {
  assertRegistryUser(actor);
  const it = opts.source[Symbol.asyncIterator]();
  let first: IteratorResult<string[]>;
  try { first = await it.next(); } catch (err) { throw malformed(err); }
  if (first.done || !first.value.some((c) => c.trim())) throw new AppError(400, 'malformed_file', { zh: `文件为空：须包含表头行和数据行。`, en: 'The file is empty: it needs a header row and data rows.' });
  const header = first.value;
  const mapped = mapHeader(opts.kind, header);
  if (!mapped.ok) throw new AppError(400, 'malformed_file', { zh: `表头与“${opts.kind}”的导入格式不符：${mapped.problems.slice(0, 5).join('；')}。`, en: `The header row does not fit ${opts.kind}: ${mapped.problems.slice(0, 5).join('; ')}.` }, { problems: mapped.problems });

  const { db } = deps.ctx;
  await deps.dictionaries.fresh();
  await deps.regions.fresh();
  const [job] = await db.query<{ id: number }>(
    `INSERT INTO import_job (kind, mode, file_name, region_code, total, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [opts.kind, opts.mode, opts.fileName == null ? null : truncateCodePoints(opts.fileName, 200), actor.regionCode, opts.estimatedTotal ?? null, actor.id]);
  const jobId = Number(job.id);
  const progress: ImportProgress = { processed: 0, total: opts.estimatedTotal ?? null, valid: 0, rejected: 0 };
  live.set(jobId, progress);
  const done = runImport(deps, actor, opts, jobId, it, header, mapped.map, progress)
    .finally(() => live.delete(jobId))
    .then(() => getImport(deps, actor, jobId));
  return { jobId, done };
}

function malformed(err: unknown): AppError {
  const e = err as { code?: string; message?: string };
  if (e?.code?.startsWith?.('CSV_')) return new AppError(400, 'malformed_file', { zh: `文件不是有效的 CSV：${e.message}`, en: `The file is not valid CSV: ${e.message}` });
  return err as AppError;
}

async function runImport(
  deps: RegistryDeps, actor: Actor, opts: ImportOptions, jobId: number, it: AsyncIterator<string[]>, header: string[],
  map: HeaderMap, progress: ImportProgress,
): Promise<void> {
  const { db } = deps.ctx;
  const spec = tableSpec(opts.kind);
  const data: RowEnvData = {
    kind: opts.kind, dict: deps.dictionaries.snapshot(), regions: deps.regions.snapshot(), scope: scopePrefixes(actor),
    today: deps.ctx.now().toISOString(), actorId: actor.id, jobId,
  };
  const useWorkers = opts.workers && opts.workers.count > 0 && opts.kind === 'persons' && !!db.pool;
  const headerLength = header.length;
  const processor: RowProcessor = useWorkers
    ? new (await import('./workers.ts')).RowWorkers(await (await import('./worker-bundle.ts')).workerEntry(), opts.workers!.count, opts.workers!.dataKey, data, map, headerLength)
    : inlineProcessor(deps, data, spec, map, headerLength);
  const errors: RowError[] = [];
  const warnings: RowWarning[] = [];
  let warningCount = 0;
  // all_or_nothing writes nothing once a row is refused: then the file to correct holds every row (the
  // accepted ones with an empty reason), so that importing it corrected writes them all, not the refused
  // ones alone. Rows checked in worker threads come without their cells (null: the refused rows only).
  let goodRows: Map<number, string[]> | null = opts.mode === 'all_or_nothing' ? new Map() : null;
  const seen = new Map<string, number>();
  const counters = new Map<string, number>();
  let poisoned = false;
  let lastSaved = Date.now();
  const saveProgress = async (force = false) => {
    opts.onProgress?.(progress);
    // PostgreSQL: other processes see progress in the job row; PGlite's one connection is busy with the import
    if (!db.pool || (!force && Date.now() - lastSaved < 1000)) return;
    lastSaved = Date.now();
    await db.query('UPDATE import_job SET processed = $2, valid = $3, rejected = $4, total = $5 WHERE id = $1',
      [jobId, progress.processed, progress.valid, progress.rejected, progress.total]);
  };

  try {
    const result = await withWriter(db, spec, async (writer, q) => {
      let nextRow = 2; // the header is row 1, as in a spreadsheet
      const handle = async (r: BatchResult) => {
        const base = nextRow;
        nextRow += r.count;
        for (const x of r.ok) x.row += base;
        for (const e of r.errors) e.row += base;
        const rejectedRows = new Set(r.errors.map((e) => e.row));
        errors.push(...r.errors);
        for (const x of r.ok) {
          if (!x.warnings) continue;
          warningCount += x.warnings.length;
          for (const w of x.warnings) { w.row = x.row; if (warnings.length < 1000) warnings.push(w); }
        }
        if (opts.kind === 'facilities') await assignFacilityCodes(q, spec, r.ok, counters, seen);
        const fresh = r.ok.filter((x) => x.key !== null && !seen.has(x.key)).map((x) => x.key!);
        const inDb = await existingKeys(q, opts.kind, [...new Set(fresh)]);
        const accepted: number[] = [];
        r.ok.forEach((x, i) => {
          const firstRow = x.key !== null ? seen.get(x.key) : undefined;
          if (firstRow !== undefined) {
            errors.push(duplicate(x, `duplicate of row ${firstRow} in this file`));
            rejectedRows.add(x.row);
          } else if (x.key !== null && inDb.has(x.key)) {
            errors.push(duplicate(x, duplicateReason[opts.kind]));
            rejectedRows.add(x.row);
            seen.set(x.key, x.row);
          } else {
            if (x.key !== null) seen.set(x.key, x.row);
            accepted.push(i);
          }
        });
        if (goodRows) {
          for (const i of accepted) {
            const cells = r.ok[i].cells;
            // a very big file keeps its refused rows only, to bound the memory an import holds
            if (!cells || goodRows.size >= 200_000) { goodRows = null; break; }
            goodRows.set(r.ok[i].row, cells);
          }
        }
        progress.processed += r.count;
        progress.rejected += rejectedRows.size;
        progress.valid += accepted.length;
        if (opts.mode === 'all_or_nothing' && progress.rejected > 0) poisoned = true;
        if (!poisoned && accepted.length) {
          if (r.copy && writer.writeLines) await writer.writeLines(accepted.length === r.ok.length ? r.copy : pickLines(r.copy, accepted), accepted.length);
          else await writer.write(accepted.map((i) => r.ok[i].literals));
        }
        await saveProgress();
      };
      // Reading and checking run ahead of writing: batches are handed to the processor as they are read,
      // and a chain writes their results in file order, so the workers never wait on a database round trip.
      let inflight = 0;
      let chain: Promise<void> = Promise.resolve();
      let failed: unknown = null;
      let slot: (() => void) | null = null;
      try {
        for await (const piece of await pieces(opts, it, header, processor, opts.batchSize ?? 2000)) {
          if (failed) break;
          const pending = 'bytes' in piece ? processor.processCsv!(piece.bytes, piece.delimiter) : processor.process(piece.records);
          inflight++;
          chain = chain.then(async () => {
            try { if (!failed) await handle(await pending); } catch (err) { failed ??= err; } finally { inflight--; slot?.(); }
          });
          pending.catch(() => {});
          while (inflight >= processor.depth && !failed) await new Promise<void>((ok) => { slot = ok; });
        }
      } catch (err) {
        failed ??= malformed(err);
      }
      await chain;
      if (failed) throw failed;
      progress.total = progress.processed;
      return opts.mode === 'all_or_nothing' ? progress.rejected === 0 && progress.valid > 0 : progress.valid > 0;
    });
    const status = !result.committed ? 'failed' : progress.rejected ? 'partial' : 'succeeded';
    const error = result.committed ? null
      : progress.valid === 0 && progress.rejected === 0 ? 'The file has no data rows.'
        : progress.valid === 0 ? 'Every row was refused; see the error report.'
          : goodRows ? ALL_ROWS_ERROR : 'Rows were refused and the mode is all_or_nothing: nothing was written; see the error report.';
    const allRows = !result.committed && progress.valid > 0 && progress.rejected > 0 && goodRows ? goodRows : undefined;
    await finish(deps, jobId, progress, result.written, status, error, errors, { header, warnings, warningCount, allRows });
  } catch (err) {
    const concurrent = (err as { code?: string })?.code === '23505';
    const message = err instanceof AppError ? err.message
      : concurrent ? 'Some rows were registered by someone else while the import ran; nothing was written. Run the import again.'
        : 'The import stopped on an unexpected error; nothing was written.';
    if (!(err instanceof AppError) && !concurrent) deps.ctx.log.error({ err, jobId }, 'import failed');
    await finish(deps, jobId, progress, 0, 'failed', message, errors, { header, warnings, warningCount });
  } finally {
    await processor.close();
  }
}

/** A duplicate row's error: the key column and value, and the row's cells when they were kept. */
function duplicate(x: RowOk, reason: string): RowError {
  const value = x.keyOf?.value ?? '';
  return { row: x.row, column: x.keyOf?.column ?? '', value, reason, zh: zhReason({ code: 'duplicate', message: reason }, '', value), ...(x.cells ? { cells: x.cells } : {}) };
}

/** The job's error when nothing was written and the file to correct holds every row of the file. */
const ALL_ROWS_ERROR = 'Rows were refused and the mode is all_or_nothing: nothing was written. The file of every row, the refused ones marked with their reasons, can be corrected and imported again as a whole.';

async function finish(deps: RegistryDeps, jobId: number, p: ImportProgress, written: number, status: string, error: string | null, errors: RowError[],
  extra: { header: string[]; warnings: RowWarning[]; warningCount: number; allRows?: Map<number, string[]> }) {
  errors.sort((a, b) => a.row - b.row);
  const report = errors.length ? ['row,column,value,reason\r\n', ...errors.map((e) => csvLine([e.row, e.column, e.value, e.reason]))].join('') : null;
  // the refused rows as they were (personal data: sealed), to be corrected and imported again; when
  // nothing was written (all_or_nothing), every row of the file in its order
  const rows = new Map<number, string[]>(extra.allRows);
  for (const e of errors) if (e.cells && !rows.has(e.row)) rows.set(e.row, e.cells);
  const sorted = [...rows].sort((a, b) => a[0] - b[0]);
  const rejected = rows.size ? deps.ctx.cipher.encrypt(JSON.stringify({ header: extra.header, rows: sorted })) : null;
  const listed = errors.slice(0, 50_000).map(({ cells: _cells, ...e }) => e);
  await deps.ctx.db.query(
    `UPDATE import_job SET status = $2, processed = $3, total = $3, valid = $4, rejected = $5, written = $6, error = $7, error_report = $8,
       finished_at = now(), errors = $9::jsonb, warnings = $10::jsonb, warning_count = $11, rejected_sealed = $12 WHERE id = $1`,
    [jobId, status, p.processed, p.valid, p.rejected, written, error, report, listed.length ? JSON.stringify(listed) : null,
      extra.warnings.length ? JSON.stringify(extra.warnings) : null, extra.warningCount, rejected]);
}

// ---------------------------------------------------------------------------------------------
// Reading jobs: the importer, and administrators and command centres over their region

export interface ImportJobView {
  id: number; kind: string; mode: string; status: string; fileName: string | null; total: number | null; processed: number;
  valid: number; rejected: number; written: number; error: string | null; errorReport: string | null;
  /** the refused rows with their cells and reasons, to correct and import again (the importer only) */
  rejectedFile: { xlsx: string; csv: string; allRows: boolean } | null;
  warningCount: number; warnings: Array<{ row: number; column: string; value: string; reason: string }>;
  createdBy: number; createdAt: string; finishedAt: string | null;
}

async function loadJob(deps: RegistryDeps, actor: Actor, id: number): Promise<any> {
  const [j] = await deps.ctx.db.query<any>('SELECT * FROM import_job WHERE id = $1', [id]);
  const visible = j && (Number(j.created_by) === actor.id || ((actor.role === 'admin' || actor.role === 'command_centre') && inScope(actor, j.region_code)));
  if (!visible) throw notFound({ zh: `导入任务 ${id}`, en: `Import ${id}` });
  return j;
}

export async function getImport(deps: RegistryDeps, actor: Actor, id: number, lang: Lang = 'en'): Promise<ImportJobView> {
  const j = await loadJob(deps, actor, id);
  const p = live.get(id);
  return {
    id: Number(j.id), kind: j.kind, mode: j.mode, status: j.status, fileName: j.file_name,
    total: p ? p.total : j.total, processed: p ? p.processed : j.processed, valid: p ? p.valid : j.valid, rejected: p ? p.rejected : j.rejected,
    written: j.written, error: j.error, errorReport: j.error_report ? `/api/v1/imports/${j.id}/errors.csv` : null,
    rejectedFile: j.rejected_sealed && Number(j.created_by) === actor.id ? { xlsx: `/api/v1/imports/${j.id}/rejected.xlsx`, csv: `/api/v1/imports/${j.id}/rejected.csv`, allRows: j.error === ALL_ROWS_ERROR } : null,
    warningCount: j.warning_count ?? 0,
    warnings: ((j.warnings ?? []) as RowWarning[]).slice(0, 100).map((w) => ({ row: w.row, column: w.column, value: w.value, reason: lang === 'zh' ? w.zh : w.reason })),
    createdBy: Number(j.created_by), createdAt: iso(j.created_at)!, finishedAt: iso(j.finished_at),
  };
}

/** Every refused cell of an import, one line each: row, column, value (masked when personal), reason in the reader's language. */
export async function importErrorReport(deps: RegistryDeps, actor: Actor, id: number, lang: Lang = 'en'): Promise<string> {
  const j = await loadJob(deps, actor, id);
  if (j.status === 'running') throw new AppError(409, 'import_running', { zh: `导入仍在进行中，完成后才能查看报告。`, en: 'The import is still running; the report comes when it has finished.' });
  const head = lang === 'zh' ? '行号,列,内容,原因\r\n' : 'row,column,value,reason\r\n';
  if (!j.errors) return j.error_report && lang === 'en' ? j.error_report : head;
  return head + (j.errors as RowError[]).map((e) => csvLine([e.row, e.column, e.value, lang === 'zh' ? e.zh ?? e.reason : e.reason])).join('');
}

/** The column of the reasons in a file of refused rows; an import ignores it, so the corrected file imports as it is. */
export const REASONS_COLUMN = { zh: '错误说明(errors)', en: 'Errors (errors)' };

/**
 * The refused rows as they were in the file, each with its reasons in one more column: for the importer
 * to correct and import again as it is. Only the importer gets it (the cells hold personal data).
 */
export async function rejectedRows(deps: RegistryDeps, actor: Actor, id: number, lang: Lang): Promise<{ header: string[]; rows: string[][] }> {
  const j = await loadJob(deps, actor, id);
  if (Number(j.created_by) !== actor.id || !j.rejected_sealed) throw notFound({ zh: `导入任务 ${id} 中被拒绝的行`, en: `The refused rows of import ${id}` });
  const { header, rows } = JSON.parse(deps.ctx.cipher.decrypt(j.rejected_sealed)) as { header: string[]; rows: Array<[number, string[]]> };
  const reasons = new Map<number, string[]>();
  for (const e of (j.errors ?? []) as RowError[]) {
    const text = `${e.column ? `${e.column}: ` : ''}${lang === 'zh' ? e.zh ?? e.reason : e.reason}`;
    reasons.set(e.row, [...(reasons.get(e.row) ?? []), text]);
  }
  const keep = header.map((h) => !/^(错误说明|errors\b)/i.test(h.replace(/^\uFEFF/, '').trim()));
  const out = rows.map(([n, cells]) => [...cells.filter((_, i) => keep[i]), (reasons.get(n) ?? []).join('；')]);
  return { header: [...header.filter((_, i) => keep[i]), REASONS_COLUMN[lang]], rows: out };
}

export async function listImports(deps: RegistryDeps, actor: Actor, lang: Lang = 'en') {
  const rows = await deps.ctx.db.query<any>('SELECT id FROM import_job WHERE created_by = $1 ORDER BY id DESC LIMIT 50', [actor.id]);
  return { items: await Promise.all(rows.map((r) => getImport(deps, actor, Number(r.id), lang))) };
}
