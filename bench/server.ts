// Server process for the HTTP benchmarks, started by bench/intake.ts and bench/inbox.ts:
//   node bin/run-ts.js bench/server.ts platform   — the whole platform (createPlatform) on DATABASE_URL
//   node bin/run-ts.js bench/server.ts baseline   — bare Fastify + a pg pool of the same size, two endpoints:
//       POST /baseline/insert       one INSERT … RETURNING id into bench_baseline
//       GET  /baseline/select/:id   one SELECT by primary key from BENCH_SELECT_TABLE (default bench_baseline)
// Listens on a random port of 127.0.0.1 and prints one line `READY <port>` on stdout. Exits when its
// stdin closes (the parent died or is done) or on SIGTERM, so no server outlives its benchmark.
import Fastify from 'fastify';
import pg from 'pg';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The platform's pool size (GONGZHI_DB_POOL, default 10, as in src/platform/config.ts); the baseline uses the same. */
export const POOL_SIZE = Number(process.env.GONGZHI_DB_POOL ?? 10);

const mode = process.argv[2];
const url = process.env.DATABASE_URL;
if (!url || (mode !== 'platform' && mode !== 'baseline')) {
  console.error('usage: DATABASE_URL=postgres://… node bin/run-ts.js bench/server.ts platform|baseline');
  process.exit(2);
}

let close: () => Promise<void> = async () => {};
let closing = false;
async function shutdown(code = 0): Promise<never> {
  if (!closing) {
    closing = true;
    const timer = setTimeout(() => process.exit(code), 3000);
    timer.unref();
    await close().catch(() => {});
  }
  process.exit(code);
}
process.on('SIGTERM', () => void shutdown(0));
process.on('SIGINT', () => void shutdown(0));
process.stdin.on('end', () => void shutdown(0));
process.stdin.on('error', () => void shutdown(0));
process.stdin.resume();

if (mode === 'platform') {
  const { createPlatform } = await import('../src/app.ts');
  const { loadConfig } = await import('../src/platform/config.ts');
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: url,
    GONGZHI_DATA_DIR: join(tmpdir(), 'gongzhi-bench'),
    GONGZHI_DATA_KEY: process.env.GONGZHI_DATA_KEY ?? 'ab'.repeat(32),
    LOG_LEVEL: 'silent',
  } as NodeJS.ProcessEnv);
  const p = await createPlatform({ config, logLevel: 'silent' });
  // The background jobs (outbox poller, overdue scheduler) are not started: the benchmark measures the
  // request paths alone, and the scheduler would rewrite the generated data while it is being measured.
  // BENCH_EVENT_HUB=1 (bench/events.ts) starts the event hub alone, as every server process runs it.
  if (process.env.BENCH_EVENT_HUB === '1') await p.ctx.events.start();
  // BENCH_RISK=1 (bench/sensors.ts) starts risk prevention's background work: MQTT ingestion and the event hub.
  if (process.env.BENCH_RISK === '1') await p.risk.start({ ticks: false });
  await p.http.listen({ port: 0, host: '127.0.0.1' });
  close = () => p.close();
  const addr = p.http.server.address();
  console.log(`READY ${typeof addr === 'object' && addr ? addr.port : 0}`);
} else {
  pg.types.setTypeParser(20, (v) => Number(v)); // as src/platform/db does
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE });
  pool.on('error', () => {});
  const selectTable = process.env.BENCH_SELECT_TABLE ?? 'bench_baseline';
  if (!/^[a-z_"]+$/.test(selectTable)) throw new Error(`bad BENCH_SELECT_TABLE ${selectTable}`);
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  app.post('/baseline/insert', async (req, reply) => {
    const b = req.body as { title?: string; description?: string; categoryCode?: string; lat?: number; lng?: number };
    const r = await pool.query(
      'INSERT INTO bench_baseline (title, description, category_code, lat, lng) VALUES ($1, $2, $3, $4, $5) RETURNING id',
      [b.title ?? '', b.description ?? '', b.categoryCode ?? null, b.lat ?? null, b.lng ?? null]);
    return reply.code(201).send({ id: Number(r.rows[0].id) });
  });
  app.get('/baseline/select/:id', async (req, reply) => {
    const r = await pool.query(`SELECT * FROM ${selectTable} WHERE id = $1`, [Number((req.params as { id: string }).id)]);
    if (!r.rows.length) return reply.code(404).send({ code: 'not_found' });
    return r.rows[0];
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  close = async () => { await app.close(); await pool.end(); };
  const addr = app.server.address();
  console.log(`READY ${typeof addr === 'object' && addr ? addr.port : 0}`);
}
