// Sensor ingestion and alert latency, each beside its baseline in the same run.
//
//   node bin/run-ts.js bench/sensors.ts [--rate 30000] [--seconds 20] [--devices 10000] [--probes 10] [--db gz_bench_sensors] [--keep-db]
//
// 1. A scratch PostgreSQL database (migrations + the demo base), `--devices` sensors registered in the demo
//    district, 400 probe sensors, and a threshold rule (可燃气体 ≥ 20 % LEL) that the fleet never crosses.
// 2. The platform in a server process (bench/server.ts platform, BENCH_RISK=1: MQTT ingestion on, shared
//    subscription, the event hub running) on the local Mosquitto, and an SSE client of the command centre.
// 3. Baselines: the broker's own relay rate (mosquitto_pub --repeat → mosquitto_sub, its C clients), the relay
//    rate with the fleet's publisher (mqtt.js) and a counting subscriber, and a raw COPY (pg-copy-streams)
//    of the same number of readings into the same table from this process.
// 4. End to end: the fleet publishes `--rate` readings a second for `--seconds` (one reading a message);
//    the ingestion counters and the table say how many were stored and when. Then as fast as it can.
// 5. Alert latency: probe sensors cross the line `--probes` times a second, first alone, then under the
//    paced load; latency = the SSE client's receipt of alert.raised − the reading's time (its "at", set
//    when it was published; the bench and the server share the machine's clock).
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import {
  ROOT, arg, numArg, runMain, onCleanup, createScratchDatabase, serverVersion, startServer, login, machine, loadAverage, table, ms, int, gitRevision,
  cpuMeter, type Server,
} from './lib.ts';
import { openPostgres } from '../src/platform/db/index.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { seedBase } from '../src/seed/demo.ts';

const RATE = numArg('rate', 30_000);
const SECONDS = numArg('seconds', 20);
const DEVICES = numArg('devices', 10_000);
const PROBES_PER_S = numArg('probes', 10);
const DB_NAME = arg('db', 'gz_bench_sensors');
const BROKER = arg('broker', 'mqtt://127.0.0.1:1883');
const TOPIC_ROOT = `gzbench${randomBytes(3).toString('hex')}`;
const DISTRICT = '500117';
const nowMs = () => performance.timeOrigin + performance.now();

const pct = (xs: number[], q: number) => {
  if (!xs.length) return NaN;
  const a = Float64Array.from(xs).sort();
  return a[Math.min(a.length - 1, Math.max(0, Math.ceil(q * a.length) - 1))];
};

// ---------------------------------------------------------------------------------------------
// Child processes

const kids = new Set<ChildProcess>();
onCleanup('child processes', async () => { for (const k of kids) k.kill('SIGKILL'); });

function child(cmd: string, args: string[], env: Record<string, string> = {}) {
  const c = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'] });
  kids.add(c);
  c.once('exit', () => kids.delete(c));
  let out = '';
  c.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  const line = async (re: RegExp, ms = 60_000) => {
    const end = Date.now() + ms;
    while (!re.test(out)) {
      if (c.exitCode != null) throw new Error(`${cmd} exited (${c.exitCode}): ${out.slice(-500)}`);
      if (Date.now() > end) throw new Error(`${cmd}: no ${re} within ${ms} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return re.exec(out)!;
  };
  return { c, line, exited: once(c, 'exit') };
}

/** The fleet's publisher (bench/mqtt-publisher.ts) on the platform's topics, connected and waiting for the start. */
const publisher = (env: Record<string, string>) => publisherFor(TOPIC_ROOT, env);

// ---------------------------------------------------------------------------------------------
// Baselines

/**
 * The broker with its own C clients: N messages from mosquitto_pub --repeat to mosquitto_sub, which prints
 * one line a message. QoS 0 may lose some when the machine is loaded: the count stops 3 s after the last one
 * arrived, and the rate is what arrived over the time until then.
 */
async function brokerRelay(n: number): Promise<{ rate: number; received: number }> {
  const topic = `${TOPIC_ROOT}-relay/x`;
  const sub = spawn('mosquitto_sub', ['-h', '127.0.0.1', '-t', topic, '-C', String(n)], { stdio: ['ignore', 'pipe', 'inherit'] });
  kids.add(sub);
  let got = 0;
  let last = 0;
  sub.stdout!.on('data', (d: Buffer) => { for (const b of d) if (b === 10) got++; last = nowMs(); });
  await new Promise((r) => setTimeout(r, 500));
  const t0 = nowMs();
  const pub = child('mosquitto_pub', ['-h', '127.0.0.1', '-t', topic, '-q', '0', '-m', '{"at":1765000000000,"values":{"lel":4.2}}', '--repeat', String(n), '--repeat-delay', '0']);
  await pub.exited;
  while (got < n && nowMs() - Math.max(last, t0) < 3000) await new Promise((r) => setTimeout(r, 50));
  sub.kill();
  kids.delete(sub);
  return { rate: got / ((last - t0) / 1000), received: got };
}

/** The fleet's publisher into a subscriber (mqtt.js) that only counts: what a Node consumer could take. */
async function nodeRelay(n: number): Promise<{ rate: number; published: number }> {
  const sub = mqtt.connect(BROKER, { clientId: `bench-count-${process.pid}` });
  await new Promise<void>((ok) => sub.once('connect', () => ok()));
  let got = 0;
  let last = 0;
  sub.on('message', () => { got++; last = nowMs(); });
  await new Promise<void>((ok, fail) => sub.subscribe(`${TOPIC_ROOT}-count/+/sensors/+`, { qos: 0 }, (e) => (e ? fail(e) : ok())));
  const pub = await publisherFor(`${TOPIC_ROOT}-count`, { COUNT: String(n), RATE: '0', DEVICES: '1000' });
  const t0 = pub.start();
  const r = await pub.done();
  const end = Date.now() + 10_000;
  while (got < n && Date.now() < end) await new Promise((ok) => setTimeout(ok, 50));
  sub.end(true);
  return { rate: got / ((last - t0) / 1000), published: r.sent / r.seconds };
}

/** A publisher (bench/mqtt-publisher.ts) on topics under `root`, connected and waiting for the start. */
async function publisherFor(root: string, env: Record<string, string>) {
  const p = child(process.execPath, ['bin/run-ts.js', 'bench/mqtt-publisher.ts'], { URL: BROKER, ROOT: root, DISTRICT, ...env });
  await p.line(/READY/);
  return {
    start: () => { p.c.stdin!.write('go\n'); return nowMs(); },
    done: async () => JSON.parse((await p.line(/DONE (\{.*\})/, 600_000))[1]) as { sent: number; seconds: number },
  };
}

/** Raw COPY of n readings shaped as the fleet's into the same table (with its index), from this process. */
async function rawCopy(url: string, n: number, deviceIds: number[]): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const base = Date.now() - 3600_000;
  const t0 = nowMs();
  const stream = c.query(copyFrom('COPY sensor_reading (at, district_code, device_id, metric, value) FROM STDIN'));
  const done = once(stream, 'finish');
  for (let i = 0; i < n; i += 2000) {
    let chunk = '';
    for (let j = i; j < Math.min(n, i + 2000); j++) chunk += `${new Date(base + j).toISOString()}\t${DISTRICT}\t${deviceIds[j % deviceIds.length]}\tlel\t${(j % 100) / 10}\n`;
    if (!stream.write(chunk)) await once(stream, 'drain');
  }
  stream.end();
  await done;
  const rate = n / ((nowMs() - t0) / 1000);
  await c.query('DELETE FROM sensor_reading WHERE at < $1', [new Date(base + n + 1)]);
  await c.end();
  return rate;
}

// ---------------------------------------------------------------------------------------------
// SSE client: alert.raised events with the reading's time

function alertClient(base: string, token: string) {
  const ctrl = new AbortController();
  /** latency, and its two parts: reading → alert written (ingestion, rule, raise) and alert written → SSE (event delivery) */
  const arrivals: Array<{ device: string; latency: number; raise: number; deliver: number }> = [];
  let ready!: () => void;
  const isReady = new Promise<void>((ok) => { ready = ok; });
  void (async () => {
    try {
      const res = await fetch(`${base}/api/v1/events`, { headers: { authorization: `Bearer ${token}` }, signal: ctrl.signal });
      const reader = res.body!.getReader();
      const dec = new TextDecoder();
      let buf = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        const arrived = nowMs();
        buf += dec.decode(value, { stream: true });
        if (buf.includes(': connected')) ready();
        let cut: number;
        while ((cut = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, cut);
          buf = buf.slice(cut + 2);
          if (!block.includes('event: alert.raised')) continue;
          const data = JSON.parse(/^data: (.*)$/m.exec(block)![1]);
          const written = Date.parse(data.at);
          arrivals.push({ device: data.facts?.deviceCode, latency: arrived - Date.parse(data.triggeredAt), raise: written - Date.parse(data.triggeredAt), deliver: arrived - written });
        }
      }
    } catch (err) {
      if (!ctrl.signal.aborted) console.error(`SSE client failed: ${(err as Error).message}`);
    }
  })();
  return { arrivals, ready: isReady, close: () => ctrl.abort() };
}

/** Probe sensors crossing the line, `perSecond` a second for `seconds`, each probe once (its quiet period keeps it to one alert). */
async function probes(client: mqtt.MqttClient, from: number, perSecond: number, seconds: number): Promise<string[]> {
  const codes: string[] = [];
  const total = perSecond * seconds;
  const t0 = nowMs();
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / perSecond;
    const wait = due - nowMs();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const code = `PROBE-${String(from + i).padStart(5, '0')}`;
    codes.push(code);
    client.publish(`${TOPIC_ROOT}/${DISTRICT}/sensors/${code}`, JSON.stringify({ at: Date.now(), values: { lel: 35 } }));
  }
  return codes;
}

async function waitForAlerts(sse: ReturnType<typeof alertClient>, codes: string[], ms = 15_000) {
  const want = new Set(codes);
  const end = Date.now() + ms;
  while (Date.now() < end && sse.arrivals.filter((a) => want.has(a.device)).length < codes.length) await new Promise((r) => setTimeout(r, 50));
  return sse.arrivals.filter((a) => want.has(a.device));
}

// ---------------------------------------------------------------------------------------------

async function ingestStats(base: string, token: string) {
  const r = await fetch(`${base}/api/v1/risk/sensors/ingest`, { headers: { authorization: `Bearer ${token}` } });
  return (await r.json()) as { received: number; accepted: number; stored: number; dropped: Record<string, number>; eventLoopDelayMs: { p99: number; max: number } };
}

/**
 * Runs the fleet and follows the server's counters until every accepted reading is stored. `during` runs
 * alongside (the probes) and says how many readings it published, which are not counted as the fleet's.
 */
async function endToEnd(server: Server, token: string, env: Record<string, string>, during?: () => Promise<number>) {
  const before = await ingestStats(server.base, token);
  const pub = await publisher({ DEVICES: String(DEVICES), ...env });
  const t0 = pub.start();
  const duringDone = during?.() ?? Promise.resolve(0);
  const sent = await pub.done();
  const extra = await duringDone;
  // the last readings are stored within a flush interval or two; wait until the counters stop moving (2 s)
  let s = await ingestStats(server.base, token);
  let lastStoredAt = nowMs();
  for (let idle = 0; idle < 20; await new Promise((r) => setTimeout(r, 100))) {
    const n = await ingestStats(server.base, token);
    if (n.stored !== s.stored) { lastStoredAt = nowMs(); idle = 0; } else idle++;
    s = n;
    if (s.received - before.received >= sent.sent + extra && s.stored - before.stored >= s.accepted - before.accepted) break;
  }
  const stored = s.stored - before.stored - extra;
  const dropped = Object.fromEntries(Object.entries(s.dropped).map(([k, v]) => [k, v - before.dropped[k]]).filter(([, v]) => v));
  return {
    sent: sent.sent, publishSeconds: sent.seconds, publishRate: sent.sent / sent.seconds, received: s.received - before.received - extra, stored,
    seconds: (lastStoredAt - t0) / 1000, rate: stored / ((lastStoredAt - t0) / 1000), lost: sent.sent - stored, dropped,
  };
}

async function main() {
  console.log(`sensor ingestion benchmark · ${machine()} · PostgreSQL ${await serverVersion()} · Mosquitto on ${BROKER} · ${gitRevision()} · load ${loadAverage()}`);
  const url = await createScratchDatabase(DB_NAME);
  const db = await openPostgres(url, 4);
  await migrate(db);
  await seedBase(db);
  // the fleet and the probes: sensors in the district's grids, registered as the registry would hold them
  const grids = (await db.query<{ code: string }>(`SELECT code FROM region WHERE level = 'grid' AND code LIKE '${DISTRICT}%' ORDER BY code`)).map((g) => g.code);
  await db.query(
    `INSERT INTO thing (region_code, district_code, street_code, community_code, kind, name, device_code, sensor_type)
     SELECT g, left(g, 6), left(g, 9), left(g, 12), 'sensor', code, code, '02'
     FROM (SELECT (ARRAY[${grids.map((g) => `'${g}'`).join(',')}])[1 + (i % ${grids.length})] AS g,
                  CASE WHEN i < $1 THEN 'BENCH-' || lpad(i::text, 5, '0') ELSE 'PROBE-' || lpad((i - $1)::text, 5, '0') END AS code
           FROM generate_series(0, $1 + 399) AS i) s`, [DEVICES]);
  const deviceIds = (await db.query<{ id: number }>(`SELECT id FROM thing WHERE device_code LIKE 'BENCH-%' ORDER BY id`)).map((r) => Number(r.id));
  await db.close();

  const server = await startServer('platform', {
    DATABASE_URL: url, BENCH_RISK: '1', GONGZHI_MQTT_URL: BROKER, GONGZHI_MQTT_TOPIC: TOPIC_ROOT, GONGZHI_SENSOR_RETENTION_DAYS: '3650',
  });
  const token = await login(server.base, 'zhihui');
  const rule = await fetch(`${server.base}/api/v1/risk/rules`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ name: '可燃气体超标', kind: 'sensor_threshold', level: 'red', params: { sensorType: '02', metric: 'lel', op: 'gte', value: 20, quietMinutes: 30 } }),
  });
  if (rule.status !== 201) throw new Error(`rule: ${rule.status} ${await rule.text()}`);
  await new Promise((r) => setTimeout(r, 1500)); // the rule reaches the server's engine by its event
  const sse = alertClient(server.base, token);
  await sse.ready;
  const probe = mqtt.connect(BROKER, { clientId: `bench-probe-${process.pid}` });
  await new Promise<void>((ok) => probe.once('connect', () => ok()));
  // warm-up: the subscription, the device directory, the first partitions
  await endToEnd(server, token, { RATE: '5000', SECONDS: '2' });

  console.log('\nbaselines …');
  const relayC = await brokerRelay(RATE * SECONDS);
  const relayNode = await nodeRelay(RATE * SECONDS);
  const copyRate = await rawCopy(url, RATE * SECONDS, deviceIds);

  console.log('alert latency without load …');
  const quietCodes = await probes(probe, 0, PROBES_PER_S, 10);
  const quietArrivals = await waitForAlerts(sse, quietCodes);
  await new Promise((r) => setTimeout(r, 1500)); // the probes' readings are stored before the counters are read again
  const quiet = quietArrivals.map((a) => a.latency);
  const quietLoop = (await ingestStats(server.base, token)).eventLoopDelayMs;

  console.log(`end to end at ${int(RATE)} readings/s for ${SECONDS} s, with probes …`);
  const cpu = await cpuMeter(server.pid, DB_NAME);
  let loadCodes: string[] = [];
  const paced = await endToEnd(server, token, { RATE: String(RATE), SECONDS: String(SECONDS) },
    async () => { loadCodes = await probes(probe, 100, PROBES_PER_S, Math.max(1, SECONDS - 2)); return loadCodes.length; });
  const cpuUse = await cpu();
  const loadedLoop = (await ingestStats(server.base, token)).eventLoopDelayMs;
  const loadedArrivals = await waitForAlerts(sse, loadCodes);
  const loaded = loadedArrivals.map((a) => a.latency);

  console.log('end to end as fast as the publisher goes …');
  const max = await endToEnd(server, token, { RATE: '0', COUNT: String(RATE * SECONDS) });
  probe.end(true);
  sse.close();
  const check = await openPostgres(url, 1);
  const [{ n: rows }] = await check.query<{ n: number }>(`SELECT count(*)::int AS n FROM sensor_reading WHERE device_id = ANY($1::bigint[])`, [deviceIds]);
  await check.close();
  await server.stop();

  console.log(`\nreadings: one a message, ${int(DEVICES)} devices; ${int(RATE * SECONDS)} readings a run; rows in the table after the runs: ${int(rows)}`);
  console.log(table(['what', 'readings/s', 'note'], [
    ['broker relay, its own C clients (mosquitto_pub --repeat → mosquitto_sub)', int(relayC.rate), relayC.received < RATE * SECONDS ? `the broker alone; ${int(relayC.received)} of ${int(RATE * SECONDS)} arrived` : 'the broker alone'],
    ['broker relay, the fleet\'s publisher (mqtt.js) → a counting mqtt.js subscriber', int(relayNode.rate), `published ${int(relayNode.published)}/s`],
    ['raw COPY of the same readings into sensor_reading (pg-copy-streams)', int(copyRate), 'the database alone'],
    [`end to end, paced at ${int(RATE)}/s: MQTT → checks → rules → stored`, int(paced.rate),
      `published ${int(paced.publishRate)}/s; stored ${int(paced.stored)} of ${int(paced.sent)}${Object.keys(paced.dropped).length ? `; dropped ${JSON.stringify(paced.dropped)}` : ''}`],
    ['end to end, publisher unpaced', int(max.rate), `published ${int(max.publishRate)}/s; stored ${int(max.stored)} of ${int(max.sent)}${Object.keys(max.dropped).length ? `; dropped ${JSON.stringify(max.dropped)}` : ''}`],
  ]));
  console.log(`CPU during the paced run (s): server ${(cpuUse.server / 1000).toFixed(1)}, PostgreSQL ${(cpuUse.postgres / 1000).toFixed(1)}, bench ${(cpuUse.loadgen / 1000).toFixed(1)} · load average at the end ${loadAverage()}`);
  console.log('\nalert latency, reading published → alert.raised at an SSE client of the command centre (ms)');
  console.log(table(['when', 'alerts', 'of', 'p50', 'p90', 'p99', 'max'], [
    ['no load', quiet.length, quietCodes.length, ms(pct(quiet, 0.5)), ms(pct(quiet, 0.9)), ms(pct(quiet, 0.99)), ms(pct(quiet, 1))],
    [`under ${int(RATE)} readings/s`, loaded.length, loadCodes.length, ms(pct(loaded, 0.5)), ms(pct(loaded, 0.9)), ms(pct(loaded, 0.99)), ms(pct(loaded, 1))],
  ]));
  console.log('\nthe same, in two parts: reading → alert written (ingestion, rule, raise) · alert written → SSE client (event delivery); p50 / p99 ms');
  const part = (xs: Array<{ raise: number; deliver: number }>, k: 'raise' | 'deliver') => `${ms(pct(xs.map((a) => a[k]), 0.5))} / ${ms(pct(xs.map((a) => a[k]), 0.99))}`;
  console.log(table(['when', 'reading → alert written', 'alert written → SSE'], [
    ['no load', part(quietArrivals, 'raise'), part(quietArrivals, 'deliver')],
    [`under ${int(RATE)} readings/s`, part(loadedArrivals, 'raise'), part(loadedArrivals, 'deliver')],
  ]));
  console.log(`the server's event loop over the last minute (worst second's p99 / longest wait, ms): no load ${quietLoop.p99} / ${quietLoop.max}, under ${int(RATE)} readings/s ${loadedLoop.p99} / ${loadedLoop.max}`);
  console.log(`\nJSON ${JSON.stringify({ relayC, relayNode, copyRate, paced, max, quiet: { p50: pct(quiet, 0.5), p99: pct(quiet, 0.99), n: quiet.length }, loaded: { p50: pct(loaded, 0.5), p99: pct(loaded, 0.99), n: loaded.length }, quietLoop, loadedLoop })}`);
}

await runMain(main, 30 * 60_000);
