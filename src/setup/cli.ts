// Command-line set-up of a real district:
//   gongzhi init --district 320206 | --city 3202
//   gongzhi template units|users|responsibilities FILE(.csv|.xlsx)
//   gongzhi import units|users|responsibilities FILE --as USERNAME [--mode all_or_nothing|valid_rows] [--lang zh|en]
//   gongzhi reset-password USERNAME
// Each opens the database named by the configuration (DATABASE_URL or the data folder), migrates it and
// acts; the import runs as a named user, in that user's scope.
import { loadConfig } from '../platform/config.ts';
import { openDb, type Db } from '../platform/db/index.ts';
import { migrate } from '../platform/db/migrate.ts';
import { getActor, hashPassword, forgetCachedActors } from '../platform/auth/service.ts';
import { generatePassword } from '../platform/auth/bootstrap.ts';
import { AppError } from '../platform/errors.ts';
import { isXlsx, readTable, UnreadableFileError, writeTable } from '../platform/spreadsheet.ts';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cliLang } from './start.ts';
import {
  FileProblem, rowReport, runSetupImport, setupKinds, setupTemplate, columnLabel, errorMessage,
  type ImportMode, type Lang, type SetupImportResult, type SetupKind, type TemplateContext,
} from '../modules/admin/index.ts';
import { initDistricts, InitRefusedError, nextSteps, UnknownDivisionError } from './init.ts';
import { districtsFor } from '../modules/regions/index.ts';

export const isSetupKind = (kind: string): kind is SetupKind => (setupKinds as readonly string[]).includes(kind);

async function openMigrated(): Promise<{ db: Db; config: ReturnType<typeof loadConfig> }> {
  const config = loadConfig();
  const db = await openDb({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir, poolSize: 2 });
  await migrate(db);
  return { db, config };
}

export async function initCommand(opts: { district?: string; city?: string }): Promise<number> {
  if (!opts.district === !opts.city) {
    console.error('Give exactly one of --district <county code> (e.g. 320206) or --city <prefecture code> (e.g. 3202).');
    return 2;
  }
  try {
    districtsFor(opts); // a wrong code is told before the database is opened
  } catch (err) {
    if (err instanceof UnknownDivisionError) { console.error(err.message); return 1; }
    throw err;
  }
  const { db, config } = await openMigrated();
  try {
    const r = await initDistricts(db, { ...opts, adminPassword: config.GONGZHI_ADMIN_PASSWORD });
    const names = r.districts.map((d) => `${d.name} (${d.code})`).join(', ');
    if (r.status === 'already') {
      console.log(`${names}: already set up in this database; nothing to do.`);
    } else {
      console.log(`Set up ${names} on ${db.engine === 'pglite' ? `PGlite (${config.dataDir}/pgdata)` : 'PostgreSQL'}:`);
      console.log(`  ${r.counts.streets} streets/towns, ${r.counts.communities} communities/villages, ${r.counts.grids} placeholder grids (no outlines yet),`);
      console.log(`  ${r.counts.units} territorial units (command centre, 12345 hotline centre, 综治中心, 居委会/村委会),`);
      console.log(`  the category tree (version ${r.catalog.version}), and the admin account.`);
    }
    for (const line of nextSteps(r.admin)) console.log(line);
    return 0;
  } catch (err) {
    if (err instanceof UnknownDivisionError || err instanceof InitRefusedError) { console.error(err.message); return 1; }
    throw err;
  } finally {
    await db.close();
  }
}

export async function resetPasswordCommand(username: string): Promise<number> {
  const { db } = await openMigrated();
  try {
    const password = generatePassword();
    const hash = await hashPassword(password);
    const rows = await db.transaction(async (tx) => {
      const found = await tx.query<{ id: number }>(
        'UPDATE app_user SET password_hash = $2, password_change_required = true, password_public = false WHERE username = $1 AND NOT is_system RETURNING id', [username, hash]);
      if (found.length) {
        await tx.query('UPDATE session SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [found[0].id]);
        await tx.query(`INSERT INTO audit_log (actor_id, action, target, detail) VALUES (NULL, 'user.password_reset', $1, '{"source":"cli"}'::jsonb)`, [`user:${found[0].id}`]);
      }
      return found;
    });
    if (!rows.length) { console.error(`No account "${username}".`); return 1; }
    forgetCachedActors(Number(rows[0].id));
    console.log(`New password for ${username} (shown once; it must be changed at the next login): ${password}`);
    return 0;
  } finally {
    await db.close();
  }
}

/** The units and regions of the database that is set up (none when there is no database yet). */
async function templateContext(): Promise<TemplateContext | undefined> {
  const config = loadConfig();
  if (!config.DATABASE_URL && !existsSync(join(config.dataDir, 'pgdata'))) return undefined; // do not create one
  const { db } = await openMigrated();
  try {
    const units = await db.query<{ id: string; name: string; kind: string; region_code: string }>(
      'SELECT id, name, kind, region_code FROM unit WHERE active ORDER BY region_code, id');
    const regions = await db.query<{ code: string; name: string; level: string }>(
      `SELECT code, name, level FROM region WHERE retired_at IS NULL AND level NOT IN ('province', 'city') ORDER BY code`);
    return { units: units.map((u) => ({ id: u.id, name: u.name, kind: u.kind, regionCode: u.region_code })), regions };
  } finally {
    await db.close();
  }
}

export async function setupTemplateCommand(kind: SetupKind, file: string): Promise<number> {
  const xlsx = isXlsx(file);
  const t = setupTemplate(kind, xlsx ? await templateContext() : undefined);
  await writeTable(file, t.header, [t.example], xlsx ? { choices: t.choices, sheets: t.sheets } : {});
  const lang = cliLang();
  const zh = xlsx
    ? `${kindZh[kind]}导入模板已写入 ${file}：每个字段一列（中文(key)），以 # 开头的示例行不导入；“${t.sheets.map((x) => x.name).join('”“')}”表列出各列说明、可选值${t.sheets.length > 1 ? '以及本库已有的单位和区划编码' : ''}，类型/角色列带下拉选项。`
    : `${kindZh[kind]}导入模板已写入 ${file}：每个字段一列（中文(key)），以 # 开头的示例行不导入。可选值和已有单位编码见 XLSX 模板的“说明”表（npx gongzhi template ${kind} ${kind}.xlsx）。`;
  const en = xlsx
    ? `template for ${kind} written to ${file}: one column per field (中文(key)), an example row starting with # (not imported); the sheets ${t.sheets.map((x) => x.name).join(', ')} explain each column and list the allowed values${t.sheets.length > 1 ? ' and the units and region codes of this database' : ''}; the kind/role column offers a drop-down.`
    : `template for ${kind} written to ${file}: one column per field (中文(key)), an example row starting with # (not imported). The allowed values and the units' ids are on the instructions sheet of the XLSX template (npx gongzhi template ${kind} ${kind}.xlsx).`;
  for (const line of lang === 'zh' ? [zh] : lang === 'en' ? [en] : [zh, en]) console.log(line);
  return 0;
}

export interface SetupImportOptions { as: string; mode?: string; errors?: string; passwords?: string; lang?: string }

const text = {
  zh: {
    done: (r: SetupImportResult) => `导入${kindZh[r.kind]}：读取 ${r.rows} 行，写入 ${r.written} 行。`,
    failed: (r: SetupImportResult) => `导入${kindZh[r.kind]}失败：${new Set(r.errors.map((e) => e.row)).size} 行有错误，未写入任何数据（全部正确才导入）。`,
    partial: (r: SetupImportResult) => `导入${kindZh[r.kind]}：写入 ${r.written} 行，${new Set(r.errors.map((e) => e.row)).size} 行有错误未写入。`,
    report: (f: string) => `错误报告（行、列、值、原因）：${f}`,
    passwords: (n: number, f: string) => `已为 ${n} 个账号生成初始密码，写入 ${f}（仅此一次；首次登录须修改密码；分发后请删除该文件）。`,
    reload: '正在运行的服务将在 30 秒内使用新数据。',
    file: '文件无法导入：',
    noUser: (u: string) => `没有启用的用户“${u}”。`,
    staleReport: (f: string) => `已删除上次导入的错误报告 ${f}（本次没有错误）。`,
  },
  en: {
    done: (r: SetupImportResult) => `import ${r.kind}: ${r.rows} rows read, ${r.written} written.`,
    failed: (r: SetupImportResult) => `import ${r.kind} failed: ${new Set(r.errors.map((e) => e.row)).size} rows have errors; nothing was written (all or nothing).`,
    partial: (r: SetupImportResult) => `import ${r.kind}: ${r.written} rows written, ${new Set(r.errors.map((e) => e.row)).size} rows with errors left out.`,
    report: (f: string) => `error report (row, column, value, reason): ${f}`,
    passwords: (n: number, f: string) => `generated initial passwords for ${n} accounts, written to ${f} (once; each must be changed at the first login; delete the file after handing them out).`,
    reload: 'A running server uses the new data within 30 s.',
    file: 'The file cannot be imported: ',
    noUser: (u: string) => `No active user "${u}".`,
    staleReport: (f: string) => `removed the error report of an earlier run, ${f} (this run has no errors).`,
  },
};
const kindZh: Record<SetupKind, string> = { units: '单位', users: '用户', responsibilities: '权责清单' };

/** Imports a set-up file; prints every refused row in the chosen language and writes the reports. Returns the exit code. */
export async function setupImportCommand(kind: SetupKind, file: string, opts: SetupImportOptions): Promise<number> {
  const lang: Lang = opts.lang === 'en' ? 'en' : 'zh';
  const t = text[lang];
  const mode = (opts.mode ?? 'all_or_nothing') as ImportMode;
  if (mode !== 'all_or_nothing' && mode !== 'valid_rows') { console.error('--mode is all_or_nothing or valid_rows.'); return 2; }
  const { db } = await openMigrated();
  try {
    const [u] = await db.query<{ id: number }>('SELECT id FROM app_user WHERE username = $1 AND active', [opts.as]);
    const actor = u ? await getActor(db, Number(u.id)) : null;
    if (!actor) { console.error(t.noUser(opts.as)); return 1; }
    const r = await runSetupImport(db, actor, kind, await readTable(file), { mode, lang, source: file });
    console.log(t[r.status](r));
    printRowErrors(r, lang);
    const defaultReport = `${file.replace(/\.(csv|xlsx)$/i, '')}.errors.csv`;
    if (!r.errors.length && !opts.errors && existsSync(defaultReport)) {
      // the report of an earlier run of this file, now corrected: it would only mislead
      rmSync(defaultReport);
      console.log(t.staleReport(defaultReport));
    }
    if (r.errors.length) {
      const out = opts.errors ?? defaultReport;
      await writeTable(out, lang === 'zh' ? ['行', '列', '值', '原因'] : ['row', 'column', 'value', 'reason'],
        r.errors.map((e) => [String(e.row), columnLabel(kind, e.column, lang), e.value, errorMessage(e, lang)]));
      console.log(t.report(out));
    }
    if (r.passwords.length) {
      const out = opts.passwords ?? `${file.replace(/\.(csv|xlsx)$/i, '')}.passwords.csv`;
      await writeTable(out, lang === 'zh' ? ['用户名', '初始密码'] : ['username', 'initial password'],
        r.passwords.map((p) => [p.username, p.password]), { mode: 0o600 });
      console.log(t.passwords(r.passwords.length, out));
    }
    if (r.written) console.log(t.reload);
    return r.status === 'done' ? 0 : 1;
  } catch (err) {
    if (err instanceof FileProblem) { console.error(t.file + err.text(lang)); return 1; }
    if (err instanceof AppError) { console.error(t.file + err.say(lang === 'zh')); return 1; }
    if (err instanceof UnreadableFileError) { console.error(t.file + err.message); return 1; }
    throw err;
  } finally {
    await db.close();
  }
}

function printRowErrors(r: SetupImportResult, lang: Lang): void {
  const byRow = new Map<number, SetupImportResult['errors']>();
  for (const e of r.errors) byRow.set(e.row, [...(byRow.get(e.row) ?? []), e]);
  const lines = [...byRow].map(([row, errors]) => rowReport(r.kind, row, errors, lang));
  for (const line of lines.slice(0, 50)) console.error(`  ${line}`);
  if (lines.length > 50) console.error(lang === 'zh' ? `  ……另有 ${lines.length - 50} 行，见错误报告` : `  … ${lines.length - 50} more rows in the error report`);
}
