// /healthz latency while the largest allowed grid polygon (MAX_POSITIONS positions) is checked, over
// and over (issue 11: a 20,000-vertex polygon held the event loop for 0.8 s). The checks run in the
// geometry worker thread; the event loop stays free. The platform listens on 127.0.0.1 in this process
// (PostgreSQL scratch database, or PGlite with --engine pglite; demo base data); one client puts the polygon in a loop, another asks /healthz every 10 ms.
//   node bin/run-ts.js bench/geometry-loop.ts [--seconds 20] [--engine postgres|pglite]
import { performance } from 'node:perf_hooks';
import { createPlatform } from '../src/app.ts';
import { loadConfig } from '../src/platform/config.ts';
import { openPglite, openPostgres, type Db } from '../src/platform/db/index.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { seedBase, DEMO_PASSWORD } from '../src/seed/demo.ts';
import { MAX_POSITIONS } from '../src/modules/regions/grids/geometry.ts';
import { buildDemoRegions } from '../src/modules/regions/demo-region-data.ts';
import { densify } from '../test/helpers/geometry.ts';
import { arg, createScratchDatabase, gitRevision, machine, ms, numArg, runMain, table } from './lib.ts';

const quantile = (xs: number[], f: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(f * s.length))] ?? NaN; };

async function main() {
  const seconds = numArg('seconds', 20);
  const engine = arg('engine', 'postgres');
  // PGlite runs the database in this thread too: its own work on a 400 kB row shows up in /healthz
  const db: Db = engine === 'pglite' ? await openPglite() : await openPostgres(await createScratchDatabase(`gz_bench_geometry_${process.pid}`), 4);
  await migrate(db);
  await seedBase(db);
  const config = loadConfig({ GONGZHI_DATA_DIR: '.tmp/bench-geometry', GONGZHI_DATA_KEY: 'ef'.repeat(32), LOG_LEVEL: 'silent' } as NodeJS.ProcessEnv);
  const p = await createPlatform({ config, db, logLevel: 'silent' });
  const address = await p.http.listen({ host: '127.0.0.1', port: 0 });
  const login = await fetch(`${address}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'jiedao', password: DEMO_PASSWORD }) });
  const token = ((await login.json()) as { token: string }).token;
  const regions = buildDemoRegions();
  const street = regions.find((r) => r.level === 'street')!;
  const community = regions.filter((r) => r.level === 'community' && r.parentCode === street.code)[1];
  const grid = regions.find((r) => r.level === 'grid' && r.kind === 'comprehensive' && r.parentCode === community.code)!;
  const body = JSON.stringify({ geometry: { type: 'Polygon', coordinates: [densify(grid.polygon![0] as Array<[number, number]>, MAX_POSITIONS)] } });

  const healthz = async (samples: number[]) => {
    const t = performance.now();
    await (await fetch(`${address}/healthz`)).text();
    samples.push(performance.now() - t);
  };
  // idle first, for comparison
  const idle: number[] = [];
  for (let i = 0; i < 200; i++) { await healthz(idle); await new Promise((r) => setTimeout(r, 10)); }

  const busy: number[] = [];
  const puts: number[] = [];
  const until = performance.now() + seconds * 1000;
  const putter = (async () => {
    while (performance.now() < until) {
      const t = performance.now();
      const r = await fetch(`${address}/api/v1/grids/${grid.code}/geometry`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });
      if (r.status !== 200) throw new Error(`PUT geometry: ${r.status} ${await r.text()}`);
      puts.push(performance.now() - t);
    }
  })();
  while (performance.now() < until) { await healthz(busy); await new Promise((r) => setTimeout(r, 10)); }
  await putter;
  await p.close();

  console.log(`\nMeasured ${new Date().toISOString().slice(0, 10)} at ${gitRevision()} on ${machine()}; ${engine}; polygon of ${MAX_POSITIONS.toLocaleString('en')} positions, `
    + `${Buffer.byteLength(body).toLocaleString('en')} bytes, put ${puts.length} times in ${seconds} s.\n`);
  console.log(table(['', 'requests', 'median ms', 'p99 ms', 'max ms'], [
    ['/healthz, idle', idle.length, ms(quantile(idle, 0.5)), ms(quantile(idle, 0.99)), ms(Math.max(...idle))],
    ['/healthz while the polygon is checked', busy.length, ms(quantile(busy, 0.5)), ms(quantile(busy, 0.99)), ms(Math.max(...busy))],
    ['PUT /grids/{code}/geometry (the polygon)', puts.length, ms(quantile(puts, 0.5)), ms(quantile(puts, 0.99)), ms(Math.max(...puts))],
  ]));
}

await runMain(main, 20 * 60_000);
