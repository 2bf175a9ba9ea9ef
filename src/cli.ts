// The `gongzhi` command line: start, init, migrate, seed, import/export/template, reset-password, classifier.
import { Command, CommanderError } from 'commander';
import { join, resolve } from 'node:path';
import { loadConfig } from './platform/config.ts';
import { openDb } from './platform/db/index.ts';
import { ensureAdmin } from './platform/auth/bootstrap.ts';
import { CliError, cliLang, commanderProblem, describeFailure, sayIn, type CliLang } from './platform/cli-text.ts';

export async function main(argv: string[]): Promise<void> {
  const program = new Command('gongzhi').description('共治 gongzhi — grid-based municipal social governance');
  // a wrong option, command or argument is said in both languages by fail() below, not in commander's English
  // alone; the subcommands defined after these calls inherit them
  program.exitOverride().configureOutput({ outputError: () => {} });

  program.command('start')
    .description('Run the platform (HTTP API, console, scheduler). An empty embedded database gets the demo city; a PostgreSQL server or production mode gets demo data only with --demo')
    .option('--demo', 'seed the demo city 重庆市合川区 into an empty database (on any engine, also in production mode)')
    .option('--no-demo', 'never seed the demo city')
    .action(async (opts: { demo?: boolean }) => {
      const { createPlatform } = await import('./app.ts');
      const { seedDemo, demoSummary, DEMO_PASSWORD } = await import('./seed/demo.ts');
      const { planStart, startFacts, cliLang, seedingMessage, withDemoMqtt } = await import('./setup/start.ts');
      const config = withDemoMqtt(loadConfig());
      const lang = cliLang();
      const p = await createPlatform({ config });
      const plan = planStart(await startFacts(p.ctx.db, config, opts.demo), lang);
      if (plan.action === 'refuse') {
        for (const line of plan.message) console.error(line);
        await p.close();
        process.exitCode = 1;
        return;
      }
      for (const w of plan.warnings) console.warn(`warning: ${w}`);
      let demoAdmin = false;
      if (plan.action === 'seed_demo') {
        for (const line of seedingMessage(lang)) console.log(line);
        const r = await seedDemo(p);
        console.log(`  demo city ready: ${demoSummary(p, r)}.`);
        demoAdmin = true;
      }
      const admin = await ensureAdmin(p.ctx.db, config.GONGZHI_ADMIN_PASSWORD, { demo: demoAdmin });
      p.startBackground();
      await (await import('./platform/http/console-build.ts')).ensureConsoleBuilt().catch((e: Error) => console.error(`The web console could not be built: ${e.message}`));
      await p.http.listen({ port: config.PORT, host: config.HOST });
      const url = `http://localhost:${config.PORT}`;
      console.log(`\ngongzhi is running on ${p.ctx.db.engine === 'pglite' ? `PGlite (${config.dataDir}/pgdata)` : 'PostgreSQL'}${config.production ? ' in production mode' : ''}`);
      console.log(`  console   ${url}/`);
      console.log(`  API docs  ${url}/docs   (OpenAPI: ${url}/openapi.json)`);
      if (admin.created) {
        console.log(`  log in as admin with password: ${admin.generated ? admin.password : '(from GONGZHI_ADMIN_PASSWORD)'}`);
        if (admin.generated) console.log('  (generated and shown once: it must be changed at the first login; or set GONGZHI_ADMIN_PASSWORD)');
      } else {
        console.log('  log in with your account (a lost password: npx gongzhi reset-password USERNAME)');
      }
      const [{ n: demoAccounts }] = await p.ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM app_user WHERE demo AND active');
      if (demoAccounts > 0) {
        console.log(`  demo accounts (password ${DEMO_PASSWORD}): zhihui (区指挥中心), city (市运管中心), rexian (12345话务员), jiedao (街道综治中心),`);
        console.log('    shequ (社区网格长; runs 四议两公开 as a village secretary would), wangge (网格员), chengguan / zhujian / … (部门),');
        console.log('    jumin (居民), zhiyuan (志愿者), dangyuan (党员); and jd<street code>, sq<community or village code>, wg<grid code>');
      }
      const stop = async () => { await p.close(); process.exit(0); };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });

  program.command('init')
    .description('Set up a real district (or every district of a city) on an empty database: regions from the official division data, territorial units, the category tree, the first admin')
    .option('--district <code>', 'GB/T 2260 county-level code, e.g. 320206 (无锡市惠山区)')
    .option('--city <code>', 'prefecture-level code, e.g. 3202 or 320200 (every district of 无锡市)')
    .action(async (opts: { district?: string; city?: string }) => {
      const { initCommand } = await import('./setup/cli.ts');
      process.exitCode = await initCommand(opts);
    });

  program.command('reset-password')
    .description('Give an account a new generated password, shown once; it must be changed at the next login')
    .argument('<username>')
    .action(async (username: string) => {
      const { resetPasswordCommand } = await import('./setup/cli.ts');
      process.exitCode = await resetPasswordCommand(username);
    });

  program.command('migrate')
    .description('Apply database migrations')
    .action(async () => {
      const config = loadConfig();
      const { migrateDatabase } = await import('./app.ts');
      const { createFileStore } = await import('./platform/files/index.ts');
      const db = await openDb({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir });
      const r = await migrateDatabase(db, config, await createFileStore(config));
      console.log(r.applied.length ? `applied: ${r.applied.join(', ')}` : `up to date (${r.total} migrations)`);
      await db.close();
    });

  const dbCommand = program.command('db').description('Database administration (PostgreSQL)');
  dbCommand.command('grant-runtime')
    .description('Give a runtime role what the platform needs, without UPDATE/DELETE/TRUNCATE on flow records and the audit log; connects as GONGZHI_OWNER_DATABASE_URL (or DATABASE_URL)')
    .argument('<role>', 'an existing PostgreSQL role (the user of DATABASE_URL)')
    .action(async (role: string) => {
      const config = loadConfig();
      const url = config.GONGZHI_OWNER_DATABASE_URL ?? config.DATABASE_URL;
      if (!url) throw new CliError({ zh: '请把 GONGZHI_OWNER_DATABASE_URL（或 DATABASE_URL）设为数据库所有者的 PostgreSQL 连接。', en: 'Set GONGZHI_OWNER_DATABASE_URL (or DATABASE_URL) to the owner\'s PostgreSQL connection.' });
      const { openPostgres } = await import('./platform/db/index.ts');
      const { grantRuntime, APPEND_ONLY_TABLES } = await import('./platform/db/roles.ts');
      const db = await openPostgres(url, 1);
      try {
        await grantRuntime(db, role);
        console.log(`granted ${role}: read and write, no DDL; append-only (no UPDATE, DELETE, TRUNCATE): ${APPEND_ONLY_TABLES.join(', ')}`);
      } finally {
        await db.close();
      }
    });

  dbCommand.command('partition-by-district')
    .description('LIST-partition the case tables ("case", flow_record, case_assignment) by district_code: a partition per district of the region table and a DEFAULT one, keeping the rows, keys, indexes, triggers and grants; run again after adding districts (docs/partitioning.md). Connects as GONGZHI_OWNER_DATABASE_URL (or DATABASE_URL)')
    .option('--lock-timeout <seconds>', 'how long to wait for the tables\' locks', '60')
    .action(async (opts: { lockTimeout: string }) => {
      const config = loadConfig();
      const url = config.GONGZHI_OWNER_DATABASE_URL ?? config.DATABASE_URL;
      if (!url) throw new CliError({ zh: '分区只用于 PostgreSQL 服务器：请把 GONGZHI_OWNER_DATABASE_URL（或 DATABASE_URL）设为数据库所有者的连接。', en: 'Partitioning is for a PostgreSQL server: set GONGZHI_OWNER_DATABASE_URL (or DATABASE_URL) to the owner\'s connection.' });
      const seconds = Number(opts.lockTimeout);
      if (!Number.isFinite(seconds) || seconds <= 0) throw new CliError({ zh: '--lock-timeout 须为秒数。', en: '--lock-timeout takes a number of seconds.' }, 2);
      const { openPostgres } = await import('./platform/db/index.ts');
      const { partitionCasesByDistrict } = await import('./modules/cases/index.ts');
      const db = await openPostgres(url, 1);
      try {
        for (const t of await partitionCasesByDistrict(db, { lockTimeoutMs: seconds * 1000 })) {
          console.log(`${t.table}: ${t.action}`);
          for (const part of t.partitions) console.log(`  ${part.name.padEnd(32)} ${(part.value ?? 'DEFAULT').padEnd(10)} ${part.rows} rows`);
        }
      } catch (err) {
        // one transaction: nothing was changed
        for (const line of sayIn({ zh: `partition-by-district 失败，未做任何改动：${(err as Error).message}`, en: `partition-by-district failed, nothing changed: ${(err as Error).message}` }, cliLang())) console.error(line);
        process.exitCode = 1;
      } finally {
        await db.close();
      }
    });

  const seed = program.command('seed').description('Load data');
  seed.command('demo')
    .description('Seed the demo city 重庆市合川区 (regions, grids, units, demo accounts, cases) into an empty database')
    .option('--cases <n>', 'number of demo cases', '300')
    .option('--yes', 'confirm seeding demo accounts into a PostgreSQL (DATABASE_URL) or production-mode database')
    .action(async (opts: { cases: string; yes?: boolean }) => {
      const { createPlatform } = await import('./app.ts');
      const { isSeeded, seedDemo, demoSummary, DEMO_PASSWORD } = await import('./seed/demo.ts');
      const { seedDemoRefusal } = await import('./setup/start.ts');
      const config = loadConfig();
      const cases = Number(opts.cases);
      if (!Number.isInteger(cases) || cases < 0) throw new CliError({ zh: '--cases 须为事件数（0 或正整数）。', en: '--cases takes a number of cases (0 or more).' }, 2);
      const refusal = seedDemoRefusal(config, opts.yes === true, cliLang());
      if (refusal) { console.error(refusal); process.exitCode = 1; return; }
      const p = await createPlatform({ config, logLevel: 'warn' });
      const [{ n }] = await p.ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM region');
      if (await isSeeded(p.ctx.db)) {
        console.log('The demo city is already in this database; nothing to do.');
      } else if (n > 0) {
        await p.close();
        throw new CliError({ zh: '此数据库已有其他区县；演示城市只能写入空数据库。', en: 'This database holds another district; the demo city goes into an empty database only.' });
      } else {
        const r = await seedDemo(p, { cases });
        const admin = await ensureAdmin(p.ctx.db, p.ctx.config.GONGZHI_ADMIN_PASSWORD, { demo: true });
        console.log(`Seeded 合川区: ${demoSummary(p, r)}. Demo password: ${DEMO_PASSWORD}`);
        if (admin.generated) console.log(`admin password (shown once; it must be changed at the first login): ${admin.password}`);
      }
      await p.close();
    });

  program.command('import')
    .description('Import from CSV or XLSX: set-up data (units, users, responsibilities) or registries (persons, houses, organisations, facilities), in the scope of USER, with an error report')
    .argument('<kind>', 'units | users | responsibilities | persons | houses | organisations | facilities | addresses')
    .argument('<file>', 'CSV (UTF-8) or XLSX file (addresses: also GeoJSON)')
    .requiredOption('--as <username>', 'the user whose scope the import runs in')
    .option('--mode <mode>', 'all_or_nothing (default) or valid_rows')
    .option('--workers <n>', 'validation and encryption threads (registries)')
    .option('--errors <file>', 'where to write the error report')
    .option('--passwords <file>', 'users: where to write the generated passwords (default FILE.passwords.csv)')
    .option('--lang <lang>', 'set-up imports: language of the messages, zh (default) or en')
    .action(async (kind: string, file: string, opts) => {
      if (kind === 'addresses') {
        const { importAddressesCommand } = await import('./modules/addresses/cli.ts');
        process.exitCode = await importAddressesCommand(file, opts, openPlatform);
        return;
      }
      const { isSetupKind, setupImportCommand, setupKinds } = await import('./setup/cli.ts');
      if (isSetupKind(kind)) { process.exitCode = await setupImportCommand(kind, file, opts); return; }
      const { importCommand } = await import('./modules/registry/cli.ts');
      process.exitCode = await importCommand(kind, file, opts, openPlatform, [...setupKinds, 'addresses']);
    });
  program.command('export')
    .description('Export a registry to CSV, personal data masked')
    .argument('<kind>').argument('<file>')
    .requiredOption('--as <username>', 'the user whose scope the export covers')
    .option('--region <code>', 'only this region')
    .action(async (kind: string, file: string, opts) => {
      const { exportCommand } = await import('./modules/registry/cli.ts');
      process.exitCode = await exportCommand(kind, file, opts, openPlatform);
    });
  program.command('template')
    .description('Write the import template of a kind (set-up: units, users, responsibilities as CSV or XLSX with an example row; registries: CSV)')
    .argument('<kind>').argument('<file>')
    .action(async (kind: string, file: string) => {
      const { isSetupKind, setupTemplateCommand, setupKinds } = await import('./setup/cli.ts');
      if (isSetupKind(kind)) { process.exitCode = await setupTemplateCommand(kind, file); return; }
      const { templateCommand } = await import('./modules/registry/cli.ts');
      process.exitCode = templateCommand(kind, file, setupKinds);
    });

  const classifier = program.command('classifier').description('Train and evaluate the case-text classifier');
  classifier.command('train')
    .requiredOption('--data <file>', 'CSV with text_seg or title+detail, and label')
    .option('--out <file>', 'where to write the model')
    .action(async (opts: { data: string; out?: string }) => {
      const { trainCommand } = await import('./modules/intelligence/cli.ts');
      await trainCommand(opts);
    });
  classifier.command('retrain')
    .description('Retrain from the closed cases in the database and put the new model version in force')
    .action(async () => { process.exitCode = await retrainCommand(); });
  classifier.command('eval')
    .requiredOption('--data <file>', 'CSV with text_seg or title+detail, and label')
    .option('--model <file>', 'model file (default: the newest in the data folder)')
    .action(async (opts: { data: string; model?: string }) => {
      const { evalCommand } = await import('./modules/intelligence/cli.ts');
      await evalCommand(opts);
    });

  try {
    await program.parseAsync(argv);
  } catch (err) {
    fail(err, argv, program);
  }
}

/** The language of a failure's message: --lang en|zh where the command takes it, else the terminal's. */
function failureLang(argv: string[]): CliLang {
  const i = argv.indexOf('--lang');
  const given = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--lang='))?.slice(7);
  return given === 'en' || given === 'zh' ? given : cliLang();
}

/**
 * Prints why a command could not go on, in one line per language and without a stack trace (GONGZHI_DEBUG=1 adds
 * it for an unexpected error), and sets a non-zero exit status; help and --version exit as commander says.
 */
function fail(err: unknown, argv: string[], program: Command): void {
  const lang = failureLang(argv);
  if (err instanceof CommanderError) {
    if (err.exitCode === 0 || err.code === 'commander.help' || err.code === 'commander.helpDisplayed' || err.code === 'commander.version') {
      process.exitCode = err.exitCode;
      return;
    }
    const failure = describeFailure(new CliError(commanderProblem(err.code, err.message, commandPath(argv, program)), 2), lang);
    for (const line of failure.lines) console.error(line);
    process.exitCode = failure.exitCode;
    return;
  }
  const failure = describeFailure(err, lang);
  for (const line of failure.lines) console.error(line);
  if (failure.stack) console.error(failure.stack);
  // the command is over: a database or server it opened before failing must not keep the process waiting
  process.exit(failure.exitCode);
}

/** "import " for `gongzhi import units x.csv --foo`, "db grant-runtime " …: the command whose --help to suggest. */
function commandPath(argv: string[], program: Command): string {
  const words: string[] = [];
  let cmd: Command | undefined = program;
  for (const arg of argv.slice(2)) {
    if (arg.startsWith('-')) continue;
    const sub: Command | undefined = cmd.commands.find((c) => c.name() === arg || c.aliases().includes(arg));
    if (!sub) break;
    words.push(arg);
    cmd = sub;
  }
  return words.map((w) => `${w} `).join('');
}

/**
 * Retrains the text model from the closed cases in the database (title + description → category code),
 * saves it as the next version in the data folder's models/ and prints its summary. A running server
 * picks the new file up within 30 seconds; POST /api/v1/intelligence/model/retrain swaps it at once.
 */
async function retrainCommand(): Promise<number> {
  const { createPlatform } = await import('./app.ts');
  const { ModelStore, retrainFromClosedCases } = await import('./modules/intelligence/index.ts');
  const p = await createPlatform({ logLevel: 'warn' });
  try {
    const store = new ModelStore(join(p.ctx.config.dataDir, 'models'), p.ctx.log);
    const r = await retrainFromClosedCases({ cases: p.cases, store });
    console.log(`model: ${resolve(store.dir, `${r.model.version}.json.gz`)}`);
    console.log(`trained on n = ${r.examples} examples (${r.closedCases} closed cases, ${r.seedExamples} seed examples), ${r.model.labels} categories, ${r.trainingSeconds} s`);
    console.log(JSON.stringify(r));
    return 0;
  } catch (err) {
    for (const line of sayIn({ zh: `重新训练失败：${(err as Error).message}`, en: `retrain failed: ${(err as Error).message}` }, cliLang())) console.error(line);
    return 1;
  } finally {
    await p.close();
  }
}

/** The platform a one-off command works on. */
async function openPlatform() {
  const { createPlatform } = await import('./app.ts');
  return createPlatform({ logLevel: 'warn' });
}
