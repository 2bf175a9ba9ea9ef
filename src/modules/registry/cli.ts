// Command-line import, export and templates of the registries:
//   gongzhi import persons FILE --as USERNAME [--mode all_or_nothing|valid_rows] [--workers 2] [--errors FILE]
//   gongzhi export persons FILE --as USERNAME [--region CODE]
//   gongzhi template persons FILE
// The CLI acts as a named user (the scope of the import or export is theirs) and shows a progress bar.
import { closeSync, createWriteStream, openSync, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { extname } from 'node:path';
import cliProgress from 'cli-progress';
import { getActor } from '../../platform/auth/service.ts';
import { loadDataKey } from '../../platform/crypto.ts';
import { CliError } from '../../platform/cli-text.ts';
import type { AppContext } from '../../platform/context.ts';
import { importKinds, type ImportKind } from './contracts.ts';
import { registryDeps } from './index.ts';
import { exportCsv, exportKinds, templateCsv, type ExportKind } from './import/export.ts';
import { importErrorReport, startImport, type ImportMode } from './import/pipeline.ts';
import { csvRecords, estimateRecords, xlsxRecords } from './import/sources.ts';

export interface ImportCommandOptions { as: string; mode?: string; workers?: string; errors?: string }
export interface ExportCommandOptions { as: string; region?: string }

/** A kind the command does not know: said with the kinds it takes (`also`: the set-up kinds the CLI takes too). */
export function unknownKind(kind: string, kinds: readonly string[]): CliError {
  return new CliError({ zh: `未知的类型“${kind}”；可选：${kinds.join('、')}。`, en: `Unknown kind "${kind}"; one of ${kinds.join(', ')}.` }, 2);
}

function kindOf(kind: string, also: readonly string[] = []): ImportKind {
  if (!(importKinds as readonly string[]).includes(kind)) throw unknownKind(kind, [...also, ...importKinds]);
  return kind as ImportKind;
}

/** Opens the platform the command works on (the CLI passes createPlatform). */
export type OpenPlatform = () => Promise<{ ctx: AppContext; close(): Promise<void> }>;

async function platformAs(open: OpenPlatform, username: string) {
  const p = await open();
  const [u] = await p.ctx.db.query<{ id: number; active: boolean }>('SELECT id, active FROM app_user WHERE username = $1', [username]);
  const actor = u?.active ? await getActor(p.ctx.db, Number(u.id)) : null;
  if (!actor) { await p.close(); throw new CliError({ zh: `没有启用的用户“${username}”。`, en: `No active user "${username}".` }); }
  return { p, actor };
}

/** Imports a CSV (or XLSX) file with a progress bar; prints the outcome and writes the error report. Returns the exit code. */
export async function importCommand(kind: string, file: string, opts: ImportCommandOptions, open: OpenPlatform, otherKinds: readonly string[] = []): Promise<number> {
  const k = kindOf(kind, otherKinds);
  const mode = (opts.mode ?? 'all_or_nothing') as ImportMode;
  if (mode !== 'all_or_nothing' && mode !== 'valid_rows') {
    throw new CliError({ zh: '--mode 可选 all_or_nothing（全部正确才导入）或 valid_rows（只导入正确的行）。', en: '--mode is all_or_nothing or valid_rows.' }, 2);
  }
  const workers = Number(opts.workers ?? 2);
  if (!Number.isInteger(workers) || workers < 0) throw new CliError({ zh: '--workers 须为线程数（0 或正整数）。', en: '--workers takes a number of threads (0 or more).' }, 2);
  closeSync(openSync(file, 'r')); // a missing or unreadable file is told before the database is opened
  const { p, actor } = await platformAs(open, opts.as);
  try {
    const xlsx = extname(file).toLowerCase() === '.xlsx';
    const total = xlsx ? undefined : estimateRecords(file);
    const bar = new cliProgress.SingleBar({
      format: `${k} [{bar}] {percentage}% | {value}/{total} rows | {rate} rows/s | refused {rejected}`, hideCursor: true,
    }, cliProgress.Presets.shades_classic);
    bar.start(total ?? 0, 0, { rate: 0, rejected: 0 });
    const t0 = Date.now();
    const started = await startImport(registryDeps(p.ctx), actor, {
      kind: k, mode, fileName: file, source: xlsx ? await xlsxRecords(readFileSync(file)) : csvRecords(file), estimatedTotal: total,
      workers: workers > 0 ? { count: workers, dataKey: loadDataKey(p.ctx.config.GONGZHI_DATA_KEY, p.ctx.config.dataDir) } : undefined,
      onProgress: (pr) => {
        if (pr.total && pr.total > (total ?? 0)) bar.setTotal(pr.total);
        bar.update(pr.processed, { rate: Math.round(pr.processed / Math.max(0.001, (Date.now() - t0) / 1000)), rejected: pr.rejected });
      },
    });
    const job = await started.done;
    bar.update(job.processed);
    bar.stop();
    console.log(`import #${job.id} ${job.status}: ${job.processed} rows read, ${job.written} written, ${job.rejected} refused (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    if (job.error) console.log(job.error);
    if (job.errorReport) {
      const out = opts.errors ?? `${file.replace(/\.(csv|xlsx)$/i, '')}.errors.csv`;
      writeFileSync(out, `\uFEFF${await importErrorReport(registryDeps(p.ctx), actor, job.id)}`);
      console.log(`error report (row, column, value, reason): ${out}`);
    }
    return job.status === 'failed' ? 1 : 0;
  } finally { // an AppError (scope, file) is said in both languages by the CLI
    await p.close();
  }
}

/** Exports the records of a kind in the user's scope, masked, each code with its label beside it. */
export async function exportCommand(kind: string, file: string, opts: ExportCommandOptions, open: OpenPlatform): Promise<number> {
  if (!(exportKinds as readonly string[]).includes(kind)) throw unknownKind(kind, exportKinds);
  const k = kind as ExportKind;
  const { p, actor } = await platformAs(open, opts.as);
  try {
    const out = createWriteStream(file);
    await once(out, 'open'); // a folder that does not exist is told here (rejects with the stream's error)
    let lines = -1;
    for await (const chunk of exportCsv(registryDeps(p.ctx), actor, k, opts.region)) {
      lines += chunk.split('\r\n').length - 1;
      if (!out.write(chunk)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    console.log(`exported ${lines} ${k} to ${file} (personal fields masked)`);
    return 0;
  } finally {
    await p.close();
  }
}

/** Writes the CSV template of a kind (the header row, UTF-8 with BOM). */
export function templateCommand(kind: string, file: string, otherKinds: readonly string[] = []): number {
  writeFileSync(file, templateCsv(kindOf(kind, otherKinds)));
  console.log(`template for ${kind} written to ${file}`);
  return 0;
}
