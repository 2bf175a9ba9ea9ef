// Event delivery: commit → SSE client latency while intakes arrive at a steady rate.
//
//   node bin/run-ts.js bench/events.ts [--rate 500] [--seconds 20] [--warmup 3] [--clients 4] [--rounds 1] [--db gz_bench_events] [--keep-db]
//
// 1. A scratch database (migrations + seedBase), two platform server processes (bench/server.ts platform with
//    BENCH_EVENT_HUB=1: the event hub runs as in every server process; GONGZHI_EVENTS_POLL_MS as configured,
//    default 250 ms).
// 2. Intakes (realistic 12345 tickets as in bench/intake.ts, logged in as `rexian`) go to the first process,
//    open-loop: `--rate` per second, evenly spaced, each latency counted from its scheduled send time.
// 3. Three scenarios, back to back: the intakes alone (the baseline: what the write path costs without any
//    subscriber); with `--clients` SSE clients (district command centre `zhihui`, who sees every case) on the
//    process that takes the intakes; and with the clients on the other process (it learns of the events only
//    from the database).
// 4. For every event a client receives: commit → SSE = arrival time − the event's `at` (the outbox row's
//    created_at: the start of the intake's transaction, so an upper bound of the time since its commit; the
//    database and this process share the machine's clock). Verification: every case answered 201 during the
//    run reaches every client exactly once, in position order.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import {
  arg, numArg, runMain, createScratchDatabase, serverVersion, startServer, login, machine, loadAverage,
  waitForQuiet, table, ms, int, gitRevision, cpuMeter, type Server, type CpuUse,
} from './lib.ts';
import { openPostgres } from '../src/platform/db/index.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { seedBase } from '../src/seed/demo.ts';
import { makeBodies } from './intake-bodies.ts';

const RATE = numArg('rate', 500);
const SECONDS = numArg('seconds', 20);
const WARMUP = numArg('warmup', 3);
const CLIENTS = numArg('clients', 4);
const ROUNDS = numArg('rounds', 1);
const DB_NAME = arg('db', 'gz_bench_events');
const TARGET_MS = 500;

const nowMs = () => performance.timeOrigin + performance.now();

// ---------------------------------------------------------------------------------------------
// SSE clients

interface Arrival { caseId: number; position: number; at: number; arrived: number }
interface Client { arrivals: Arrival[]; ready: Promise<void>; close(): void }

function openClient(base: string, token: string): Client {
  const ctrl = new AbortController();
  const arrivals: Arrival[] = [];
  let markReady!: () => void;
  const ready = new Promise<void>((ok) => { markReady = ok; });
  void (async () => {
    try {
      const res = await fetch(`${base}/api/v1/events`, { headers: { authorization: `Bearer ${token}` }, signal: ctrl.signal });
      if (res.status !== 200 || !res.body) throw new Error(`SSE ${res.status}`);
      const reader = res.body.getReader();
      const dec = new TextDecoder();
      let buf = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        const arrived = nowMs();
        buf += dec.decode(value, { stream: true });
        if (buf.includes(': connected')) markReady();
        let cut: number;
        while ((cut = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, cut);
          buf = buf.slice(cut + 2);
          if (!block.includes('event: case.reported')) continue;
          const id = /^id: (\d+)$/m.exec(block);
          const data = /^data: (.*)$/m.exec(block);
          if (!id || !data) continue;
          const d = JSON.parse(data[1]);
          arrivals.push({ caseId: Number(d.caseId), position: Number(id[1]), at: Date.parse(d.at), arrived });
        }
      }
    } catch (err) {
      if (!ctrl.signal.aborted) console.error(`SSE client failed: ${(err as Error).message}`);
      markReady();
    }
  })();
  return { arrivals, ready, close: () => ctrl.abort() };
}

// ---------------------------------------------------------------------------------------------
// Open-loop intakes

interface Sent { scheduled: number; status: number; caseId: number | null; latency: number; counted: boolean }

/** POSTs `rate` intakes per second, evenly spaced, over keep-alive sockets; latency from the scheduled time. */
function pacedIntakes(base: string, token: string, next: () => string, rate: number, warmup: number, seconds: number): Promise<Sent[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const u = new URL(`${base}/api/v1/cases`);
  const interval = 1000 / rate;
  const warm = Math.round(rate * warmup);
  const total = warm + Math.round(rate * seconds);
  const out: Sent[] = [];
  let sent = 0;
  let done = 0;
  const t0 = performance.now();
  return new Promise((resolve) => {
    const finish = () => { if (++done === total) { agent.destroy(); resolve(out); } };
    const fire = (k: number) => {
      const scheduled = t0 + k * interval;
      const body = next();
      const req = http.request({
        hostname: u.hostname, port: u.port, path: u.pathname, method: 'POST', agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          let caseId: number | null = null;
          try { caseId = res.statusCode === 201 ? Number(JSON.parse(Buffer.concat(chunks).toString()).id) : null; } catch { /* counted as failed */ }
          out.push({ scheduled: performance.timeOrigin + scheduled, status: res.statusCode ?? 0, caseId, latency: performance.now() - scheduled, counted: k >= warm });
          finish();
        });
      });
      req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
      req.on('error', () => { out.push({ scheduled: performance.timeOrigin + scheduled, status: 0, caseId: null, latency: NaN, counted: k >= warm }); finish(); });
      req.end(body);
    };
    const tick = () => {
      const due = Math.min(total, Math.floor((performance.now() - t0) / interval) + 1);
      while (sent < due) fire(sent++);
      if (sent < total) setTimeout(tick, Math.max(0, t0 + sent * interval - performance.now()));
    };
    tick();
  });
}

// ---------------------------------------------------------------------------------------------

const pct = (xs: number[], q: number) => {
  if (!xs.length) return NaN;
  const a = Float64Array.from(xs).sort();
  return a[Math.min(a.length - 1, Math.max(0, Math.ceil(q * a.length) - 1))];
};

interface Outcome {
  name: string; rps: number; intakeP50: number; intakeP99: number; failed: number; cases: number;
  events: number; p50: number; p90: number; p99: number; max: number; sendP99: number;
  lost: number; duplicates: number; outOfOrder: number; cpu: CpuUse;
}

async function scenario(name: string, writer: Server, sse: Server | null, tokens: { intake: string; sse: string[] }, next: () => string): Promise<Outcome> {
  const clients = sse ? tokens.sse.map((tk) => openClient(sse.base, tk)) : [];
  await Promise.all(clients.map((c) => c.ready));
  const meter = await cpuMeter(writer.pid, DB_NAME);
  const t0 = performance.now();
  const sent = await pacedIntakes(writer.base, tokens.intake, next, RATE, WARMUP, SECONDS);
  const seconds = (performance.now() - t0) / 1000 - WARMUP;
  const counted = sent.filter((s) => s.counted);
  const ok = counted.filter((s) => s.caseId != null);
  const expected = new Set(ok.map((s) => s.caseId!));
  // let the last events arrive (bounded), then stop listening
  const until = Date.now() + 10_000;
  const complete = (c: Client) => { const got = new Set(c.arrivals.map((a) => a.caseId)); for (const id of expected) if (!got.has(id)) return false; return true; };
  while (!clients.every(complete) && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
  const cpu = await meter();
  for (const c of clients) c.close();
  const sentAt = new Map(ok.map((s) => [s.caseId!, s.scheduled]));
  const lat: number[] = [];
  const sendLat: number[] = [];
  let lost = 0;
  let duplicates = 0;
  let outOfOrder = 0;
  for (const c of clients) {
    const seen = new Map<number, number>();
    let last = 0;
    for (const a of c.arrivals) {
      if (a.position <= last) outOfOrder++;
      last = Math.max(last, a.position);
      seen.set(a.caseId, (seen.get(a.caseId) ?? 0) + 1);
      if (!expected.has(a.caseId)) continue; // a warm-up case
      lat.push(a.arrived - a.at);
      sendLat.push(a.arrived - sentAt.get(a.caseId)!);
    }
    for (const id of expected) {
      const n = seen.get(id) ?? 0;
      if (n === 0) lost++;
      if (n > 1) duplicates += n - 1;
    }
  }
  return {
    name, rps: counted.length / seconds, intakeP50: pct(ok.map((s) => s.latency), 0.5), intakeP99: pct(ok.map((s) => s.latency), 0.99),
    failed: counted.length - ok.length, cases: ok.length, events: lat.length, p50: pct(lat, 0.5), p90: pct(lat, 0.9), p99: pct(lat, 0.99),
    max: lat.length ? Math.max(...lat) : NaN, sendP99: pct(sendLat, 0.99), lost, duplicates, outOfOrder, cpu,
  };
}

function rotate<T>(xs: T[]): () => T {
  let i = 0;
  return () => xs[i++ % xs.length];
}

await runMain(async () => {
  const quiet = await waitForQuiet(Number(arg('max-load', '1.0')), numArg('wait-quiet', 0));
  console.log(`gongzhi event-delivery benchmark — ${new Date().toISOString()} — git ${gitRevision()}`);
  console.log(`machine: ${machine()}; PostgreSQL ${await serverVersion()}; load average at start: ${loadAverage()}${quiet >= 1 ? '  (busy machine)' : ''}`);
  const pollMs = Number(process.env.GONGZHI_EVENTS_POLL_MS ?? 250);
  console.log(`intakes: ${RATE}/s open-loop, ${WARMUP} s warm-up + ${SECONDS} s per scenario; ${CLIENTS} SSE clients (zhihui); GONGZHI_EVENTS_POLL_MS ${pollMs}; ${ROUNDS} round(s)\n`);

  const url = await createScratchDatabase(DB_NAME);
  const db = await openPostgres(url, 2);
  await migrate(db);
  const regions = await seedBase(db);
  await db.close();
  const next = rotate(makeBodies(regions, 5000));

  const env = { DATABASE_URL: url, BENCH_EVENT_HUB: '1', GONGZHI_EVENTS_POLL_MS: String(pollMs) };
  const writer = await startServer('platform', env);
  const reader = await startServer('platform', env);
  const tokens = { intake: await login(writer.base, 'rexian'), sse: [] as string[] };
  for (let i = 0; i < CLIENTS; i++) tokens.sse.push(await login(reader.base, 'zhihui'));

  const outcomes: Outcome[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const tag = ROUNDS > 1 ? ` #${round}` : '';
    for (const [name, sse] of [
      [`intakes alone (baseline)${tag}`, null],
      [`SSE on the writing process${tag}`, writer],
      [`SSE on another process${tag}`, reader],
    ] as const) {
      const o = await scenario(name, writer, sse, tokens, next);
      outcomes.push(o);
      console.log(`${o.name}: ${int(o.rps)} intakes/s, intake p99 ${ms(o.intakeP99)} ms` +
        (sse ? `, commit → SSE p50 ${ms(o.p50)} / p99 ${ms(o.p99)} ms over ${int(o.events)} deliveries, lost ${o.lost}` : '') + ` (load average ${loadAverage()})`);
    }
  }
  await reader.stop();
  await writer.stop();

  console.log(`\nResults (${RATE} intakes/s offered, ${SECONDS} s; ${CLIENTS} SSE clients; load average now ${loadAverage()}):\n`);
  console.log(table(
    ['scenario', 'intakes/s', 'intake p50 ms', 'intake p99 ms', 'failed', 'deliveries', 'commit→SSE p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'send→SSE p99 ms', 'lost', 'dup', 'out of order', 'CPU ms/intake writer + postgres'],
    outcomes.map((o) => [o.name, int(o.rps), ms(o.intakeP50), ms(o.intakeP99), o.failed, int(o.events), ms(o.p50), ms(o.p90), ms(o.p99), ms(o.max), ms(o.sendP99),
      o.lost, o.duplicates, o.outOfOrder, `${(o.cpu.server / o.cases).toFixed(3)} + ${(o.cpu.postgres / o.cases).toFixed(3)}`])));
  const delivered = outcomes.filter((o) => o.events > 0);
  const worst = Math.max(...delivered.map((o) => o.p99));
  const good = delivered.length > 0 && delivered.every((o) => o.lost === 0 && o.duplicates === 0 && o.outOfOrder === 0) && outcomes.every((o) => o.failed === 0);
  console.log(`\ncommit → SSE p99, worst scenario: ${ms(worst)} ms (target < ${TARGET_MS} ms: ${worst < TARGET_MS ? 'met' : 'MISSED'})`);
  console.log(`verification: every case answered 201 reached every client once, in position order: ${good ? 'OK' : 'FAILED'}`);
  if (!good) { process.exitCode = 1; throw new Error('verification failed'); }
}, numArg('timeout', 15 * 60) * 1000);
