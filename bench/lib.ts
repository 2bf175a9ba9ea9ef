// Shared pieces of the HTTP benchmarks (bench/intake.ts, bench/inbox.ts): a scratch database on the
// PostgreSQL server, server child processes (bench/server.ts), load from autocannon in this process,
// result tables, and clean-up that always runs (database dropped, children killed, bounded time).
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { loadavg, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import autocannon from 'autocannon';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const dbUrl = (name: string) => PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);

// ---------------------------------------------------------------------------------------------
// Command line: --name value / --name=value / --flag

export function arg(name: string): string | undefined;
export function arg(name: string, fallback: string): string;
export function arg(name: string, fallback?: string): string | undefined {
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === `--${name}`) return argv[i + 1] && !argv[i + 1].startsWith('--') ? argv[i + 1] : 'true';
    if (argv[i].startsWith(`--${name}=`)) return argv[i].slice(name.length + 3);
  }
  return fallback;
}
export const numArg = (name: string, fallback: number) => Number(arg(name, String(fallback)));

/** --setup-sql FILE: statements run on the scratch database before the HTTP runs (to try an index or a setting). */
export async function runSetupSql(db: { exec(sql: string): Promise<void> }): Promise<string | null> {
  const file = arg('setup-sql');
  if (!file) return null;
  const { readFileSync } = await import('node:fs');
  const { splitSql } = await import('../src/platform/db/migrate.ts');
  for (const stmt of splitSql(readFileSync(file, 'utf8'))) await db.exec(stmt);
  return file;
}

// ---------------------------------------------------------------------------------------------
// Clean-up that always runs: on success, on error, on Ctrl-C, and when the watchdog fires.

const cleanups: Array<{ name: string; fn: () => Promise<void> }> = [];
const children = new Set<ChildProcess>();
let cleaning: Promise<void> | null = null;

export function onCleanup(name: string, fn: () => Promise<void>): void { cleanups.push({ name, fn }); }

async function cleanupAll(): Promise<void> {
  if (cleaning) return cleaning;
  cleaning = (async () => {
    for (const c of children) { try { c.kill('SIGKILL'); } catch { /* gone */ } }
    for (const { name, fn } of cleanups.reverse()) {
      try {
        await Promise.race([fn(), new Promise((_, no) => setTimeout(() => no(new Error('timed out')), 20_000).unref())]);
      } catch (err) {
        console.error(`clean-up "${name}" failed: ${(err as Error).message}`);
      }
    }
  })();
  return cleaning;
}

/** Runs main with a watchdog; cleans up and exits in every case. */
export async function runMain(main: () => Promise<void>, timeoutMs: number): Promise<never> {
  const watchdog = setTimeout(async () => {
    console.error(`\nbenchmark exceeded its time limit (${Math.round(timeoutMs / 1000)} s); cleaning up`);
    await cleanupAll();
    process.exit(3);
  }, timeoutMs);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, async () => { console.error(`\n${sig}: cleaning up`); await cleanupAll(); process.exit(130); });
  }
  let code = 0;
  try {
    await main();
  } catch (err) {
    console.error(err);
    code = 1;
  }
  clearTimeout(watchdog);
  await cleanupAll();
  process.exit(code);
}

// ---------------------------------------------------------------------------------------------
// Scratch database

async function withAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL });
  await c.connect();
  try { return await fn(c); } finally { await c.end(); }
}

/**
 * Creates a fresh database (dropping a leftover of a crashed run) and registers its drop. A database of that name
 * that someone is connected to is another run's, still going: dropping it WITH (FORCE) would end that run's
 * connections (57P01, as a second intake benchmark once did to a first one's closing check), so it is refused.
 */
export async function createScratchDatabase(name: string): Promise<string> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`bad database name ${name}`);
  await withAdmin(async (c) => {
    const { rows: [busy] } = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
    if (busy.n > 0) throw new Error(`database ${name} is in use by ${busy.n} connection(s): another benchmark run is going on; wait for it, or give this run its own --db NAME`);
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name}`);
  });
  onCleanup(`drop database ${name}`, async () => {
    if (arg('keep-db') === 'true') { console.log(`(kept database ${name}: --keep-db)`); return; }
    await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    console.log(`dropped database ${name}`);
  });
  return dbUrl(name);
}

export async function serverVersion(): Promise<string> {
  return withAdmin(async (c) => (await c.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0].v);
}

// ---------------------------------------------------------------------------------------------
// Server child processes

export interface Server { port: number; base: string; pid: number; stop(): Promise<void> }

/** Starts bench/server.ts in a child process and waits for its READY line. */
export function startServer(mode: 'platform' | 'baseline', env: Record<string, string>, cwd = ROOT): Promise<Server> {
  // BENCH_SERVER_NODE_ARGS: extra node flags for the server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof";
  // BENCH_REF_NODE_ARGS: the flags of a --compare-ref server instead (an A/B of a flag: --compare-ref HEAD)
  const flags = cwd !== ROOT && process.env.BENCH_REF_NODE_ARGS != null ? process.env.BENCH_REF_NODE_ARGS : process.env.BENCH_SERVER_NODE_ARGS;
  const nodeArgs = (flags ?? '').split(' ').filter(Boolean);
  const script = process.env.BENCH_SERVER_SCRIPT ?? 'bench/server.ts'; // a variant server, for experiments
  const child = spawn(process.execPath, [...nodeArgs, 'bin/run-ts.js', script, mode], {
    cwd, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.add(child);
  const exited = new Promise<void>((ok) => child.once('exit', () => { children.delete(child); ok(); }));
  const stop = async () => {
    if (child.exitCode != null || child.signalCode != null) return;
    child.stdin?.end();
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
  };
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => { void stop(); reject(new Error(`${mode} server did not start within 60 s`)); }, 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /READY (\d+)/.exec(buf);
      if (m) {
        clearTimeout(timer);
        const port = Number(m[1]);
        resolve({ port, base: `http://127.0.0.1:${port}`, pid: child.pid!, stop });
      }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${mode} server exited with ${code} before it was ready`)); });
  });
}

export async function login(base: string, username: string, password = 'gongzhi-demo-2026'): Promise<string> {
  const r = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }),
  });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${await r.text()}`);
  return ((await r.json()) as { token: string }).token;
}

// ---------------------------------------------------------------------------------------------
// Load

export interface LoadOptions {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  connections: number;
  /** seconds (runs until then; requests in flight at the end are not counted) */
  duration?: number;
  /** exact number of requests (every one is answered before the run ends) */
  amount?: number;
  path?: () => string;
  body?: () => string;
}

export interface LoadResult {
  completed: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
  rps: number;
  p50: number;
  p90: number;
  /** present for closed-loop runs (load) */
  p95?: number;
  p99: number;
  max: number;
  statusCodes: Record<string, number>;
}

const percentile = (sorted: Float64Array, q: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] : NaN;

/**
 * autocannon in this process. Latencies are collected per 2xx response (ms, sub-millisecond precision,
 * closed-loop, no coordinated-omission correction); req/s counts completed responses over the time from
 * the start to the last response.
 */
export function load(o: LoadOptions): Promise<LoadResult> {
  const lat: number[] = [];
  const t0 = performance.now();
  let last = t0;
  const makePath = o.path;
  const makeBody = o.body;
  return new Promise((resolve, reject) => {
    const inst = autocannon({
      url: o.url,
      connections: o.connections,
      ...(o.amount ? { amount: o.amount } : { duration: o.duration ?? 10 }),
      timeout: 30,
      headers: o.headers ?? {},
      requests: [{
        method: o.method ?? 'GET',
        ...(makePath || makeBody ? {
          setupRequest: (req: any) => {
            if (makePath) req.path = makePath();
            if (makeBody) req.body = makeBody();
            return req;
          },
        } : {}),
      }],
    }, (err: Error | null, r: any) => {
      if (err) return reject(err);
      const sorted = Float64Array.from(lat).sort();
      const seconds = (last - t0) / 1000;
      const completed = Number(r['1xx'] ?? 0) + Number(r['2xx']) + Number(r['3xx']) + Number(r['4xx']) + Number(r['5xx']);
      const statusCodes: Record<string, number> = {};
      for (const [k, v] of Object.entries(r.statusCodeStats ?? {})) statusCodes[k] = (v as { count: number }).count;
      resolve({
        completed, ok: Number(r['2xx']), non2xx: Number(r.non2xx), errors: Number(r.errors), timeouts: Number(r.timeouts),
        seconds, rps: completed / seconds, p50: percentile(sorted, 0.5), p90: percentile(sorted, 0.9), p95: percentile(sorted, 0.95),
        p99: percentile(sorted, 0.99), max: sorted.length ? sorted[sorted.length - 1] : NaN, statusCodes,
      });
    });
    inst.on('response', (_client: unknown, status: number, _bytes: number, responseTime: number) => {
      if (status >= 200 && status < 300) lat.push(responseTime);
      last = performance.now();
    });
  });
}

/**
 * Open-loop GET load: requests are sent on a fixed schedule (rate per second, evenly spaced) over at most
 * `connections` keep-alive sockets, whether or not earlier ones were answered, and each latency counts from
 * the request's scheduled time, so waiting for a free socket or a busy server is in it (no coordinated
 * omission). autocannon's own rate limit sends each second's quota in a burst, which measures the burst.
 */
export function paced(o: {
  url: string; path?: () => string; headers?: Record<string, string>; connections: number; rate: number; seconds: number;
  /** seconds at the same rate first, not counted: the sockets open and the server settles (default 2) */
  warmup?: number;
}): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.connections });
  const u = new URL(o.url);
  const interval = 1000 / o.rate;
  const warm = Math.round(o.rate * (o.warmup ?? 2));
  const total = warm + Math.max(1, Math.round(o.rate * o.seconds));
  const lat: number[] = [];
  const statusCodes: Record<string, number> = {};
  let errors = 0;
  let non2xx = 0;
  let sent = 0;
  let done = 0;
  const t0 = performance.now();
  const measuredFrom = t0 + warm * interval;
  let last = measuredFrom;
  return new Promise((resolve) => {
    const finish = () => {
      if (++done < total) return;
      agent.destroy();
      const sorted = Float64Array.from(lat).sort();
      const seconds = (last - measuredFrom) / 1000;
      const completed = lat.length + non2xx;
      resolve({
        completed, ok: lat.length, non2xx, errors, timeouts: 0, seconds, rps: completed / seconds,
        p50: percentile(sorted, 0.5), p90: percentile(sorted, 0.9), p99: percentile(sorted, 0.99),
        max: sorted.length ? sorted[sorted.length - 1] : NaN, statusCodes,
      });
    };
    const fire = (scheduled: number) => {
      const counted = scheduled >= measuredFrom;
      const req = http.get({ hostname: u.hostname, port: u.port, path: o.path ? o.path() : u.pathname + u.search, headers: o.headers, agent }, (res) => {
        res.resume();
        res.on('end', () => {
          if (counted) {
            last = performance.now();
            const code = res.statusCode ?? 0;
            statusCodes[code] = (statusCodes[code] ?? 0) + 1;
            if (code >= 200 && code < 300) lat.push(last - scheduled); else non2xx++;
          }
          finish();
        });
      });
      req.setTimeout(30_000, () => req.destroy(new Error('timeout'))); // as autocannon's timeout
      req.on('error', () => { if (counted) errors++; finish(); });
    };
    const tick = () => {
      const due = Math.min(total, Math.floor((performance.now() - t0) / interval) + 1);
      while (sent < due) fire(t0 + sent++ * interval);
      if (sent < total) setTimeout(tick, Math.max(0, t0 + sent * interval - performance.now()));
    };
    tick();
  });
}

// ---------------------------------------------------------------------------------------------
// CPU accounting: where the cores went during a run (server process, its PostgreSQL backends, this process)

function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / CLOCK_TICKS; // utime + stime
  } catch {
    return 0;
  }
}
const CLOCK_TICKS = 100;

export interface CpuUse { server: number; postgres: number; loadgen: number }

/** Starts counting CPU time of the server process, the backends connected to dbName, and this process. */
export async function cpuMeter(serverPid: number, dbName: string): Promise<() => Promise<CpuUse>> {
  const backends = async () => withAdmin(async (c) => (await c.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [dbName])).rows.map((r) => r.pid));
  const pids = await backends();
  const start = { server: cpuMsOf(serverPid), pg: new Map(pids.map((p) => [p, cpuMsOf(p)])), self: process.cpuUsage() };
  return async () => {
    const now = await backends();
    let pgMs = 0;
    for (const p of now) pgMs += cpuMsOf(p) - (start.pg.get(p) ?? 0); // backends opened meanwhile count from 0
    const self = process.cpuUsage(start.self);
    return { server: cpuMsOf(serverPid) - start.server, postgres: pgMs, loadgen: (self.user + self.system) / 1000 };
  };
}

// ---------------------------------------------------------------------------------------------
// Machine, load average, tables

export function machine(): string {
  const cpu = cpus();
  return `${cpu.length} cores (${cpu[0]?.model.trim() ?? '?'}), Node ${process.version}`;
}

export const loadAverage = () => loadavg().map((x) => x.toFixed(2)).join(' ');

/** Waits (a bounded time) until the 1-minute load average is below max; returns it either way. */
export async function waitForQuiet(max: number, waitSeconds: number): Promise<number> {
  const until = Date.now() + waitSeconds * 1000;
  let l = loadavg()[0];
  while (l >= max && Date.now() < until) {
    console.log(`  load average ${loadAverage()} ≥ ${max}: waiting…`);
    await new Promise((ok) => setTimeout(ok, 15_000));
    l = loadavg()[0];
  }
  return l;
}

export function table(header: string[], rows: Array<Array<string | number>>): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => [...(r[i] ?? '')].reduce((w, ch) => w + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0))));
  const pad = (s: string, w: number, right: boolean) => {
    const len = [...s].reduce((x, ch) => x + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);
    return right ? ' '.repeat(w - len) + s : s + ' '.repeat(w - len);
  };
  const line = (r: string[]) => `| ${r.map((c, i) => pad(c, widths[i], i > 0)).join(' | ')} |`;
  return [line(cells[0]), `|${widths.map((w, i) => (i > 0 ? '-'.repeat(w + 1) + ':' : ':' + '-'.repeat(w + 1))).join('|')}|`, ...cells.slice(1).map(line)].join('\n');
}

export const ms = (x: number) => (Number.isFinite(x) ? (x < 10 ? x.toFixed(2) : x.toFixed(1)) : '–');
export const int = (x: number) => Math.round(x).toLocaleString('en-US');

export function gitRevision(): string {
  try { return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim(); } catch { return '?'; }
}

/**
 * Another revision of this repository, checked out beside the tree (in .tmp/bench-ref-<sha>) with this
 * tree's node_modules, so a benchmark can run it in the same run as the current code (an A/B against
 * main). Reused when it exists.
 */
export function checkoutRef(ref: string): { dir: string; sha: string } {
  const sha = execFileSync('git', ['rev-parse', ref], { cwd: ROOT, encoding: 'utf8' }).trim();
  const dir = join(ROOT, '.tmp', `bench-ref-${sha.slice(0, 12)}`);
  if (!existsSync(join(dir, 'package.json'))) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    execFileSync('sh', ['-c', `git archive ${sha} | tar -x -C ${JSON.stringify(dir)}`], { cwd: ROOT });
  }
  if (!existsSync(join(dir, 'node_modules'))) symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return { dir, sha };
}

/** Migrates a scratch database and loads the demo base data with that revision's own code. */
export function seedWithRef(dir: string, url: string): void {
  const script = join(dir, '.tmp-bench-seed.ts');
  writeFileSync(script, `import { openPostgres } from './src/platform/db/index.ts';
import { migrate } from './src/platform/db/migrate.ts';
import { seedBase } from './src/seed/demo.ts';
const db = await openPostgres(process.env.DATABASE_URL!, 2);
await migrate(db);
await seedBase(db);
await db.close();
`);
  execFileSync(process.execPath, ['bin/run-ts.js', script], { cwd: dir, env: { ...process.env, DATABASE_URL: url }, stdio: 'inherit' });
}
