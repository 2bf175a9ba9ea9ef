// Registry import throughput: 1,000,000 persons from CSV into PostgreSQL through the platform's import
// path (parse, validate, check ID numbers, encrypt, hash, duplicate checks, COPY), beside a raw COPY of
// the same rows measured in the same run.
//
//   node bin/run-ts.js bench/import.ts [--rows 1000000] [--workers 2] [--batch 2000] [--db gz_bench_import] [--keep-db] [--max-load 2.5]
//
// 1. Generates the CSV: valid checksummed ID numbers (unique), names, phones, grid codes of 合川区
//    (buildDemoRegions), ethnicity, sex, marital status, education, addresses, a mix of 户籍 and 流动.
// 2. Creates a scratch database on the PostgreSQL server (BENCH_PG_URL, default postgres@127.0.0.1:5432),
//    migrates it and loads seedBase (regions, units, accounts); dropped at the end unless --keep-db.
// 3. Imports the file as `zhihui` (district command centre) in all_or_nothing mode with --workers row
//    checkers (worker threads; 0 = inline), with a progress bar; rows/s over the whole job.
// 4. Raw COPY, same run: (a) the stored rows of (3), as they are (sealed, hashed), into an identical
//    empty table with the same indexes — the database's floor for these rows; (b) the source CSV into
//    an unindexed table of text columns — the floor of moving the bytes.
// 5. Verifies: every row written once, the hashes look up, a sample decrypts to the source row.
import { createReadStream, createWriteStream, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import cliProgress from 'cli-progress';
import { arg, numArg, runMain, createScratchDatabase, serverVersion, machine, loadAverage, waitForQuiet, table, int, gitRevision, onCleanup, ROOT } from './lib.ts';
import { openPostgres } from '../src/platform/db/index.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { seedBase } from '../src/seed/demo.ts';
import { buildDemoRegions } from '../src/modules/regions/demo-region-data.ts';
import { loadConfig } from '../src/platform/config.ts';
import { getActor } from '../src/platform/auth/service.ts';
import { makeIdNumber } from '../src/modules/registry/id-number.ts';

const ROWS = numArg('rows', 1_000_000);
const WORKERS = numArg('workers', 2);
const BATCH = numArg('batch', 2000);
const DB_NAME = arg('db', 'gz_bench_import');
const MAX_LOAD = numArg('max-load', 2.5);
const DATA_KEY = 'cd'.repeat(32);

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'.split('');
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉建国志红梅文斌浩宇欣怡子涵梓轩雨桐俊杰思远嘉怡晓东春梅海燕'.split('');
/** Birthplace codes of the people in the file: 合川区 and neighbours, other parts of 重庆 and 四川. */
const BIRTH_REGIONS = ['500117', '500101', '500103', '500104', '500105', '500106', '500107', '500108', '500112', '500113',
  '500115', '500118', '500120', '500151', '500152', '510104', '510105', '510107', '511602', '511623'];
const STREETS = ['合阳大道', '南屏路', '久长街', '希尔安大道', '花园路', '嘉陵江路', '钓鱼城大道', '文峰街', '塔耳门路', '涪江路'];

/** Row i of the file: deterministic, every ID number distinct (region × birth day × sequence). */
function row(i: number, grids: string[]): string {
  const region = BIRTH_REGIONS[i % BIRTH_REGIONS.length];
  const j = Math.floor(i / BIRTH_REGIONS.length);
  const day = new Date(Date.UTC(1940, 0, 1) + (j % 23_000) * 86_400_000);
  const birth = day.toISOString().slice(0, 10).replace(/-/g, '');
  const id = makeIdNumber(region, birth, Math.floor(j / 23_000) * 7 + (i % 7));
  const h = Math.imul(i + 1, 2654435761) >>> 0;
  const name = SURNAMES[h % SURNAMES.length] + GIVEN[(h >>> 8) % GIVEN.length] + (h % 3 ? GIVEN[(h >>> 16) % GIVEN.length] : '');
  const phone = `1${'3578'[h % 4]}${String(h % 1_000_000_000).padStart(9, '0')}`;
  const sex = Number(id[16]) % 2 ? '男' : '女';
  const grid = grids[h % grids.length];
  const floating = h % 5 === 0;
  const address = `${STREETS[(h >>> 4) % STREETS.length]}${1 + (h % 300)}号${1 + ((h >>> 12) % 30)}栋${1 + ((h >>> 20) % 28)}0${1 + (h % 4)}`;
  return [grid, floating ? '流动' : '户籍', id, name, sex, h % 50 ? '汉族' : '土家族', phone, address, h % 3 ? '20' : '10',
    ['21', '31', '61', '71', '81'][h % 5], h % 10 ? '13' : '01', floating ? '01' : ''].join(',') + '\n';
}
const HEADER = 'regionCode,populationType,idNumber,name,sex,ethnicity,phone,currentAddress,maritalStatus,education,politicalStatus,inflowReason\n';

async function writeCsv(file: string, grids: string[]): Promise<void> {
  const out = createWriteStream(file);
  out.write(HEADER);
  let buf = '';
  for (let i = 0; i < ROWS; i++) {
    buf += row(i, grids);
    if (buf.length > 1 << 20) { if (!out.write(buf)) await once(out, 'drain'); buf = ''; }
  }
  out.end(buf);
  await once(out, 'finish');
}

/** CPU seconds (user + system) used so far by each PostgreSQL backend of a database (the server runs on this machine). */
async function backendCpu(q: { query(sql: string, params?: unknown[]): Promise<any> }, db: string): Promise<Map<number, number>> {
  const res = await q.query('SELECT pid FROM pg_stat_activity WHERE datname = $1', [db]);
  const out = new Map<number, number>();
  for (const { pid } of (Array.isArray(res) ? res : res.rows) as Array<{ pid: number }>) {
    try { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); out.set(pid, (Number(f[11]) + Number(f[12])) / 100); } catch { /* not local */ }
  }
  return out;
}
/** CPU seconds the backends used between two readings (backends opened in between count from zero). */
const cpuSince = (before: Map<number, number>, after: Map<number, number>) => [...after].reduce((s, [pid, c]) => s + c - (before.get(pid) ?? 0), 0);

async function copyInto(client: pg.Client, sql: string, file: string): Promise<number> {
  const t0 = performance.now();
  await pipeline(createReadStream(file), client.query(copyStreams.from(sql)));
  return performance.now() - t0;
}

await runMain(async () => {
  console.log(`gongzhi ${gitRevision()} — registry import benchmark: ${int(ROWS)} persons, ${WORKERS} worker threads, batches of ${BATCH}`);
  console.log(`${machine()}, PostgreSQL ${await serverVersion()}`);
  const dir = join(ROOT, '.tmp', 'bench-import');
  mkdirSync(dir, { recursive: true });
  onCleanup('remove generated files', async () => { rmSync(dir, { recursive: true, force: true }); });
  const csvFile = join(dir, 'persons.csv');
  const grids = buildDemoRegions().filter((r) => r.level === 'grid' && r.kind === 'comprehensive').map((r) => r.code);
  let t = performance.now();
  await writeCsv(csvFile, grids);
  console.log(`generated ${csvFile}: ${int(ROWS)} rows, ${(statSync(csvFile).size / 2 ** 20).toFixed(1)} MiB, ${grids.length} grids (${((performance.now() - t) / 1000).toFixed(1)} s)`);

  const url = await createScratchDatabase(DB_NAME);
  const setup = await openPostgres(url, 2);
  await migrate(setup);
  await seedBase(setup);
  await setup.close();

  const load = await waitForQuiet(MAX_LOAD, numArg('wait', 300));
  const loadBefore = loadAverage();
  console.log(`load average before the runs: ${loadBefore}${load >= MAX_LOAD ? ` (still ≥ ${MAX_LOAD})` : ''}`);

  // --- import through the platform -----------------------------------------------------------------
  const { createPlatform } = await import('../src/app.ts');
  const { registryDeps, startImport, csvRecords } = await import('../src/modules/registry/index.ts');
  const config = loadConfig({ DATABASE_URL: url, GONGZHI_DATA_KEY: DATA_KEY, GONGZHI_DATA_DIR: dir, LOG_LEVEL: 'warn' } as NodeJS.ProcessEnv);
  const p = await createPlatform({ config, logLevel: 'warn' });
  onCleanup('close platform', () => p.close());
  const [u] = await p.ctx.db.query<{ id: number }>(`SELECT id FROM app_user WHERE username = 'zhihui'`);
  const actor = (await getActor(p.ctx.db, Number(u.id)))!;
  const deps = registryDeps(p.ctx);
  const bar = new cliProgress.SingleBar({ format: 'import [{bar}] {percentage}% | {value}/{total} rows | {rate} rows/s | refused {rejected}', hideCursor: true }, cliProgress.Presets.shades_classic);
  bar.start(ROWS, 0, { rate: 0, rejected: 0 });
  // the import's COPY and duplicate checks run on pool connections opened by now or during the run
  const pg0 = await backendCpu(p.ctx.db, DB_NAME);
  const cpu0 = process.cpuUsage();
  t = performance.now();
  const started = await startImport(deps, actor, {
    kind: 'persons', mode: 'all_or_nothing', fileName: 'persons.csv', source: csvRecords(csvFile), estimatedTotal: ROWS,
    batchSize: BATCH, workers: WORKERS > 0 ? { count: WORKERS, dataKey: Buffer.from(DATA_KEY, 'hex') } : undefined,
    onProgress: (pr) => bar.update(pr.processed, { rate: int(pr.processed / ((performance.now() - t) / 1000)), rejected: pr.rejected }),
  });
  const job = await started.done;
  const importMs = performance.now() - t;
  const importCpu = process.cpuUsage(cpu0);
  const importPgCpu = cpuSince(pg0, await backendCpu(p.ctx.db, DB_NAME));
  bar.stop();
  if (job.status !== 'succeeded' || job.written !== ROWS) throw new Error(`import ${job.status}: written ${job.written}, refused ${job.rejected}, ${job.error}`);
  const importRate = ROWS / (importMs / 1000);
  const importNodeUs = (importCpu.user + importCpu.system) / ROWS;
  console.log(`import: ${int(ROWS)} rows in ${(importMs / 1000).toFixed(1)} s = ${int(importRate)} rows/s (this process: ${((importCpu.user + importCpu.system) / 1e6).toFixed(1)} CPU s incl. workers = ${importNodeUs.toFixed(1)} µs/row; PostgreSQL backends: ${importPgCpu.toFixed(1)} CPU s = ${((importPgCpu * 1e6) / ROWS).toFixed(1)} µs/row; load ${loadAverage()})`);

  // --- verification ------------------------------------------------------------------------------------
  const [v] = await p.ctx.db.query<any>(`SELECT count(*)::int AS n, count(DISTINCT id_hash)::int AS hashes,
    count(*) FILTER (WHERE sealed NOT LIKE 'v1.%')::int AS unsealed, count(DISTINCT region_code)::int AS grids FROM person`);
  const sampleIdx = [0, Math.floor(ROWS / 2), ROWS - 1];
  let sampleOk = 0;
  for (const i of sampleIdx) {
    const cells = row(i, grids).trim().split(',');
    const [hit] = await p.ctx.db.query<any>('SELECT sealed, name_masked, id_masked FROM person WHERE id_hash = $1', [p.ctx.cipher.lookupHash(cells[2])]);
    const personal = hit && JSON.parse(p.ctx.cipher.decrypt(hit.sealed));
    if (personal?.idNumber === cells[2] && personal.name === cells[3] && personal.phone === cells[6] && !hit.id_masked.includes(cells[2].slice(6, 14))) sampleOk++;
  }
  const verified = v.n === ROWS && v.hashes === ROWS && v.unsealed === 0 && sampleOk === sampleIdx.length;
  console.log(`verification: ${int(v.n)} persons, ${int(v.hashes)} distinct ID hashes, ${v.unsealed} unsealed, ${v.grids} grids; sample lookups by hash decrypt to the source rows: ${sampleOk}/${sampleIdx.length} → ${verified ? 'OK' : 'FAILED'}`);
  if (!verified) throw new Error('verification failed');

  // --- raw COPY of the same rows -------------------------------------------------------------------------
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  onCleanup('close raw client', () => client.end());
  const cols = (await client.query<{ c: string }>(`SELECT string_agg(column_name, ', ' ORDER BY ordinal_position) AS c FROM information_schema.columns
    WHERE table_name = 'person' AND column_name <> 'id'`)).rows[0].c;
  const dump = join(dir, 'person-rows.copy');
  await pipeline(client.query(copyStreams.to(`COPY person (${cols}) TO STDOUT`)), createWriteStream(dump));
  await client.query('CREATE TABLE person_raw (LIKE person INCLUDING ALL)');
  const rawPg0 = await backendCpu(client, DB_NAME);
  const rawMs = await copyInto(client, `COPY person_raw (${cols}) FROM STDIN`, dump);
  const rawPgCpu = cpuSince(rawPg0, await backendCpu(client, DB_NAME));
  const rawRate = ROWS / (rawMs / 1000);
  console.log(`raw COPY of the stored rows into an identical table (same indexes): ${(rawMs / 1000).toFixed(1)} s = ${int(rawRate)} rows/s (PostgreSQL backends: ${((rawPgCpu * 1e6) / ROWS).toFixed(1)} µs/row)`);
  await client.query(`CREATE UNLOGGED TABLE person_csv (${HEADER.trim().split(',').map((c) => `"${c}" text`).join(', ')})`);
  const csvMs = await copyInto(client, `COPY person_csv FROM STDIN (FORMAT csv, HEADER true)`, csvFile);
  const csvRate = ROWS / (csvMs / 1000);
  console.log(`raw COPY of the source CSV into an unindexed text table: ${(csvMs / 1000).toFixed(1)} s = ${int(csvRate)} rows/s`);

  const loadAfter = loadAverage();
  const us = (cpuSeconds: number) => ((cpuSeconds * 1e6) / ROWS).toFixed(1);
  const results = table(['run', 'rows', 'seconds', 'rows/s', 'vs raw COPY (same rows)', 'CPU µs/row: Node', 'PostgreSQL'], [
    ['import: parse, validate, encrypt, hash, dedupe, COPY', int(ROWS), (importMs / 1000).toFixed(1), int(importRate), `${((importRate / rawRate) * 100).toFixed(0)} %`,
      importNodeUs.toFixed(1), us(importPgCpu)],
    ['raw COPY of the stored rows (same table and indexes)', int(ROWS), (rawMs / 1000).toFixed(1), int(rawRate), '100 %', '–', us(rawPgCpu)],
    ['raw COPY of the source CSV (text columns, no index)', int(ROWS), (csvMs / 1000).toFixed(1), int(csvRate), `${((csvRate / rawRate) * 100).toFixed(0)} %`, '–', '–'],
  ]);
  console.log(`\nResults (load average before ${loadBefore}, after ${loadAfter}):\n\n${results}`);
  console.log(`\nimport ${int(importRate)} rows/s (target ≥ 35,000: ${importRate >= 35_000 ? 'met' : 'MISSED'})`);
}, numArg('timeout', 30 * 60) * 1000);
