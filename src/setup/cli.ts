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
  FileProblem, rowReport, runSetupImport, setupKinds, setupTemplate, columnLabel, errorMessage, CATEGORY_SHEET,
  type ImportMode, type Lang, type SetupImportResult, type SetupKind, type TemplateContext,
} from '../modules/admin/index.ts';
import { initDistricts, nextSteps } from './init.ts';
import { CliError } from '../platform/cli-text.ts';
import { districtsFor } from '../modules/regions/index.ts';
import { listCategoryRecords, readCatalog } from '../modules/cases/index.ts';

export { setupKinds };
export const isSetupKind = (kind: string): kind is SetupKind => (setupKinds as readonly string[]).includes(kind);

async function openMigrated(): Promise<{ db: Db; config: ReturnType<typeof loadConfig> }> {
  const config = loadConfig();
  const db = await openDb({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir, poolSize: 2 });
  await migrate(db);
  return { db, config };
}

export async function initCommand(opts: { district?: string; city?: string }): Promise<number> {
  const lang = cliLang();
  if (!opts.district === !opts.city) {
    throw new CliError({
      zh: '请给出且只给出一个：--district <区县代码>（例如 320206）或 --city <地级市代码>（例如 3202）。',
      en: 'Give exactly one of --district <county code> (e.g. 320206) or --city <prefecture code> (e.g. 3202).',
    }, 2);
  }
  districtsFor(opts); // a wrong code (UnknownDivisionError, said in both languages by the CLI) is told before the database is opened
  const { db, config } = await openMigrated();
  try {
    const r = await initDistricts(db, { ...opts, adminPassword: config.GONGZHI_ADMIN_PASSWORD });
    const names = r.districts.map((d) => `${d.name} (${d.code})`).join(', ');
    const where = db.engine === 'pglite' ? `PGlite (${config.dataDir}/pgdata)` : 'PostgreSQL';
    const summary = r.status === 'already'
      ? { zh: [`${names}：此数据库中已建立，无需再做。`], en: [`${names}: already set up in this database; nothing to do.`] }
      : {
        zh: [
          `已在 ${where} 上建立 ${names}：`,
          `  ${r.counts.streets} 个街道/镇，${r.counts.communities} 个社区/村，${r.counts.grids} 个占位网格（尚无边界），`,
          `  ${r.counts.units} 个属地单位（指挥中心、12345 热线中心、综治中心、居委会/村委会），`,
          `  事项分类树（版本 ${r.catalog.version}）和管理员账号。`,
        ],
        en: [
          `Set up ${names} on ${where}:`,
          `  ${r.counts.streets} streets/towns, ${r.counts.communities} communities/villages, ${r.counts.grids} placeholder grids (no outlines yet),`,
          `  ${r.counts.units} territorial units (command centre, 12345 hotline centre, 综治中心, 居委会/村委会),`,
          `  the category tree (version ${r.catalog.version}), and the admin account.`,
        ],
      };
    const steps = nextSteps(r.admin, lang);
    const lines = lang === 'zh' ? [...summary.zh, ...steps]
      : lang === 'en' ? [...summary.en, ...steps]
        : [...summary.zh, ...steps.slice(0, steps.indexOf('')), '', ...summary.en, ...steps.slice(steps.indexOf('') + 1)];
    for (const line of lines) console.log(line);
    return 0;
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
    if (!rows.length) throw new CliError({ zh: `没有账号“${username}”。`, en: `No account "${username}".` });
    forgetCachedActors(Number(rows[0].id));
    console.log(`New password for ${username} (shown once; it must be changed at the next login): ${password}`);
    return 0;
  } finally {
    await db.close();
  }
}

/**
 * The units, regions and category tree of the database that is set up; without a database yet (none is created
 * for a template), the category tree of the catalogue file that init will load.
 */
async function templateContext(): Promise<TemplateContext> {
  const config = loadConfig();
  if (!config.DATABASE_URL && !existsSync(join(config.dataDir, 'pgdata'))) {
    const categories = readCatalog().categories.map((c) => ({ code: c.code, parentCode: c.parentCode, nameZh: c.nameZh, nameEn: c.nameEn }));
    return { units: [], regions: [], categories };
  }
  const { db } = await openMigrated();
  try {
    const units = await db.query<{ id: string; name: string; kind: string; region_code: string }>(
      'SELECT id, name, kind, region_code FROM unit WHERE active ORDER BY region_code, id');
    const regions = await db.query<{ code: string; name: string; level: string }>(
      `SELECT code, name, level FROM region WHERE retired_at IS NULL AND level NOT IN ('province', 'city') ORDER BY code`);
    const categories = (await listCategoryRecords(db, { active: true }))
      .map((c) => ({ code: c.code, parentCode: c.parent_code, nameZh: c.name_zh, nameEn: c.name_en }));
    return { units: units.map((u) => ({ id: u.id, name: u.name, kind: u.kind, regionCode: u.region_code })), regions, categories };
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
    ? `${kindZh[kind]}导入模板已写入 ${file}：每个字段一列（中文(key)），以 # 开头的示例行不导入；“${t.sheets.map((x) => x.name).join('”“')}”表列出各列说明、可选值${t.sheets.some((x) => x.name === '已有单位') ? '以及本库已有的单位和区划编码' : ''}${t.sheets.some((x) => x.name === CATEGORY_SHEET) ? '，“事项分类”表列出全部分类代码、名称和层级' : ''}，类型/角色列带下拉选项。`
    : `${kindZh[kind]}导入模板已写入 ${file}：每个字段一列（中文(key)），以 # 开头的示例行不导入。可选值和已有单位编码见 XLSX 模板的“说明”表（npx gongzhi template ${kind} ${kind}.xlsx）。`;
  const en = xlsx
    ? `template for ${kind} written to ${file}: one column per field (中文(key)), an example row starting with # (not imported); the sheets ${t.sheets.map((x) => x.name).join(', ')} explain each column and list the allowed values${t.sheets.some((x) => x.name === '已有单位') ? ' and the units and region codes of this database' : ''}${t.sheets.some((x) => x.name === CATEGORY_SHEET) ? `; the ${CATEGORY_SHEET} sheet lists every category code with its name and level` : ''}; the kind/role column offers a drop-down.`
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
  if (mode !== 'all_or_nothing' && mode !== 'valid_rows') {
    throw new CliError({ zh: '--mode 可选 all_or_nothing（全部正确才导入）或 valid_rows（只导入正确的行）。', en: '--mode is all_or_nothing or valid_rows.' }, 2);
  }
  // a missing or unreadable file is told before the database is opened (the CLI says which file and why)
  let rows: Awaited<ReturnType<typeof readTable>>;
  try {
    rows = await readTable(file);
  } catch (err) {
    if (err instanceof UnreadableFileError) throw new CliError({ zh: text.zh.file + err.zh, en: text.en.file + err.message });
    throw err;
  }
  const { db } = await openMigrated();
  try {
    const [u] = await db.query<{ id: number }>('SELECT id FROM app_user WHERE username = $1 AND active', [opts.as]);
    const actor = u ? await getActor(db, Number(u.id)) : null;
    if (!actor) throw new CliError({ zh: text.zh.noUser(opts.as), en: text.en.noUser(opts.as) });
    const r = await runSetupImport(db, actor, kind, rows, { mode, lang, source: file });
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
