// A sensor fleet for bench/sensors.ts: one MQTT connection (mqtt.js, QoS 0) publishing readings of
// DEVICES devices (codes PREFIX00000 …) on <ROOT>/<DISTRICT>/sensors/<code>, one reading a message, at RATE
// messages a second (evenly paced; RATE=0: as fast as the socket takes them) for SECONDS, or COUNT messages.
// Values stay below the benchmark's threshold. Prints `READY` once connected, waits for a line on stdin to
// start, and ends with `DONE {"sent":…,"seconds":…}`.
import mqtt from 'mqtt';
import { performance } from 'node:perf_hooks';

const env = (k: string, d?: string) => process.env[k] ?? d ?? (() => { throw new Error(`${k} missing`); })();
const URL_ = env('URL');
const ROOT = env('ROOT');
const DISTRICT = env('DISTRICT');
const DEVICES = Number(env('DEVICES'));
const PREFIX = env('PREFIX', 'BENCH-');
const RATE = Number(env('RATE', '0'));
const SECONDS = Number(env('SECONDS', '10'));
const COUNT = Number(env('COUNT', '0'));

const topics = Array.from({ length: DEVICES }, (_, i) => `${ROOT}/${DISTRICT}/sensors/${PREFIX}${String(i).padStart(5, '0')}`);
const client = mqtt.connect(URL_, { clientId: `bench-pub-${process.pid}`, clean: true });
await new Promise<void>((ok, fail) => { client.once('connect', () => ok()); client.once('error', fail); });
console.log('READY');
await new Promise<void>((ok) => process.stdin.once('data', () => ok()));

const total = COUNT || Math.round(RATE * SECONDS);
let sent = 0;
const t0 = performance.now();
const send = (n: number) => {
  for (let i = 0; i < n; i++, sent++) {
    // ~10 % LEL, far below the benchmark's 20 % line
    client.publish(topics[sent % DEVICES], `{"at":${Date.now()},"values":{"lel":${(sent % 100) / 10}}}`);
  }
};
await new Promise<void>((done) => {
  const tick = () => {
    const due = RATE ? Math.min(total, Math.floor(((performance.now() - t0) / 1000) * RATE)) : Math.min(total, sent + 2000);
    send(due - sent);
    if (sent >= total) return done();
    // unpaced: yield to the socket between bursts so the buffer drains
    setTimeout(tick, RATE ? 2 : 0);
  };
  tick();
});
const seconds = (performance.now() - t0) / 1000;
await new Promise<void>((ok) => client.end(false, {}, () => ok()));
console.log(`DONE ${JSON.stringify({ sent, seconds })}`);
process.exit(0);
