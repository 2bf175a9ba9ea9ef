// Sensor ingestion: MQTT messages and HTTP batches → checked readings → the threshold rules → stored in
// batches. A payload that is not a reading is counted by reason and dropped; nothing a device sends can
// stop the pipeline. Readings of a device the registry does not know are dropped the same way.
//
// Message format (topic <root>/<district code>/sensors/<device code>, root "gongzhi" by default): a JSON object
//   {"at": "2026-12-06T08:00:00Z" | 1765008000000, "values": {"lel": 12.5, "temp": 21}}
// or an array of up to 1,000 of them. "at" may be left out (the time of arrival is used).
import type { Db } from '../../../platform/db/index.ts';
import type { Logger } from 'pino';
import type { SensorDevice } from '../../registry/index.ts';
import type { Reading } from '../rules/history.ts';
import type { DeviceDirectory } from './devices.ts';
import { mergeLatest, ReadingBatch, upsertState, writeBatch, type DeviceLatest } from './store.ts';

/** The devices' last readings are written at most this often (one upsert for every device heard meanwhile). */
const STATE_MS = 1000;

/** The topics readings arrive on, under a root (GONGZHI_MQTT_TOPIC). */
export const topicFilter = (root: string) => `${root}/+/sensors/+`;
const topicPattern = (root: string) => new RegExp(`^${root}/(\\d{6})/sensors/([0-9A-Za-z_-]{4,40})$`);
const METRIC = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;
const MAX_ITEMS = 1000;
const MAX_METRICS = 50;
const MAX_PAYLOAD = 256 * 1024;
const PAST_MS = 7 * 86_400_000;
const FUTURE_MS = 5 * 60_000;

export type DropReason = 'topic' | 'too_large' | 'not_json' | 'shape' | 'metric' | 'value' | 'time' | 'unknown_device' | 'overload' | 'store_failed';

export interface IngestStats {
  /** messages (MQTT) or batch items (HTTP) received */
  received: number;
  /** readings that passed every check and went to the rules */
  accepted: number;
  /** readings written to the database */
  stored: number;
  dropped: Record<DropReason, number>;
  batches: number;
  buffered: number;
  lastFlushMs: number;
}

export interface ItemProblem { index: number; code: DropReason; message: string }

export interface IngestOptions {
  batchSize?: number;
  flushMs?: number;
  /** readings held while a flush is under way; beyond this new ones are dropped (counted as overload) */
  maxBuffered?: number;
  now?: () => number;
  log?: Logger;
  /** the first topic level (default gongzhi) */
  topicRoot?: string;
}

type Parsed = { ok: true; items: Array<{ at: number; values: Array<[string, number]> }> } | { ok: false; code: DropReason; message: string };

/** Checks one reading item: its time (epoch ms or ISO) and its values (metric → finite number). */
export function parseItem(x: unknown, now: number): { ok: true; at: number; values: Array<[string, number]> } | { ok: false; code: DropReason; message: string } {
  if (!x || typeof x !== 'object' || Array.isArray(x)) return { ok: false, code: 'shape', message: 'a reading is an object {at, values}' };
  const o = x as Record<string, unknown>;
  for (const k in o) if (k !== 'at' && k !== 'values') return { ok: false, code: 'shape', message: `unknown field "${k.slice(0, 20)}"` };
  let at = now;
  if (o.at != null) {
    at = typeof o.at === 'number' ? o.at : typeof o.at === 'string' ? Date.parse(o.at) : NaN;
    if (!Number.isFinite(at)) return { ok: false, code: 'time', message: '"at" is an ISO time or epoch milliseconds' };
    if (at < now - PAST_MS || at > now + FUTURE_MS) return { ok: false, code: 'time', message: '"at" is more than 7 days old or in the future' };
  }
  const v = o.values;
  if (!v || typeof v !== 'object' || Array.isArray(v)) return { ok: false, code: 'shape', message: '"values" is an object of metric → number' };
  const values: Array<[string, number]> = [];
  for (const k in v as Record<string, unknown>) {
    if (!METRIC.test(k)) return { ok: false, code: 'metric', message: 'metric names are letters, digits and underscores' };
    const n = (v as Record<string, unknown>)[k];
    if (typeof n !== 'number' || !Number.isFinite(n)) return { ok: false, code: 'value', message: `the value of ${k} is not a finite number` };
    values.push([k, n]);
    if (values.length > MAX_METRICS) return { ok: false, code: 'shape', message: `at most ${MAX_METRICS} metrics a reading` };
  }
  if (!values.length) return { ok: false, code: 'shape', message: '"values" is empty' };
  return { ok: true, at, values };
}

export function parsePayload(payload: Buffer | string, now: number): Parsed {
  if (payload.length > MAX_PAYLOAD) return { ok: false, code: 'too_large', message: 'payloads are at most 256 KiB' };
  let json: unknown;
  try { json = JSON.parse(typeof payload === 'string' ? payload : payload.toString('utf8')); } catch { return { ok: false, code: 'not_json', message: 'the payload is not JSON' }; }
  const list = Array.isArray(json) ? json : [json];
  if (!list.length || list.length > MAX_ITEMS) return { ok: false, code: 'shape', message: `1 to ${MAX_ITEMS} readings a message` };
  const items = [];
  for (const x of list) {
    const p = parseItem(x, now);
    if (!p.ok) return p;
    items.push({ at: p.at, values: p.values });
  }
  return { ok: true, items };
}

const zero = (): Record<DropReason, number> => ({
  topic: 0, too_large: 0, not_json: 0, shape: 0, metric: 0, value: 0, time: 0, unknown_device: 0, overload: 0, store_failed: 0,
});

export class Ingestor {
  private batch = new ReadingBatch();
  private flushing: Promise<void> | null = null;
  /** last readings of devices stored since the states were last written */
  private states: DeviceLatest = new Map();
  private statesAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private stats_: IngestStats = { received: 0, accepted: 0, stored: 0, dropped: zero(), batches: 0, buffered: 0, lastFlushMs: 0 };
  private readonly batchSize: number;
  private readonly flushMs: number;
  private readonly maxBuffered: number;
  private readonly now: () => number;
  private warnedAt = 0;
  private log?: Logger;
  private topic: RegExp;

  constructor(private db: Db, private devices: DeviceDirectory, private onReading: (r: Reading) => void, opts: IngestOptions = {}) {
    this.batchSize = opts.batchSize ?? 5000;
    this.flushMs = opts.flushMs ?? 100;
    this.maxBuffered = opts.maxBuffered ?? 500_000;
    this.now = opts.now ?? Date.now;
    this.log = opts.log;
    this.topic = topicPattern(opts.topicRoot ?? 'gongzhi');
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.batch.size) void this.flush(false);
      else if (this.states.size && !this.flushing && Date.now() - this.statesAt >= STATE_MS) void this.flush(true);
    }, this.flushMs);
    this.timer.unref();
  }

  stats(): IngestStats { return { ...this.stats_, dropped: { ...this.stats_.dropped }, buffered: this.batch.size }; }

  private drop(code: DropReason, n = 1): void {
    this.stats_.dropped[code] += n;
    const t = Date.now();
    if (t - this.warnedAt > 60_000) {
      this.warnedAt = t;
      this.log?.warn({ dropped: this.stats_.dropped }, 'sensor readings dropped (counted by reason; see GET /api/v1/risk/sensors/ingest)');
    }
  }

  /** An MQTT message. Never throws: whatever arrives is a reading, or counted and dropped. */
  acceptMessage(topic: string, payload: Buffer): void {
    this.stats_.received++;
    const m = this.topic.exec(topic);
    if (!m) return this.drop('topic');
    const parsed = parsePayload(payload, this.now());
    if (!parsed.ok) return this.drop(parsed.code);
    const device = this.devices.peek(m[1], m[2]);
    if (device) return this.take(device, parsed.items);
    if (device === null) return this.drop('unknown_device', parsed.items.length);
    this.devices.lookup(m[1], m[2]).then(
      (d) => (d ? this.take(d, parsed.items) : this.drop('unknown_device', parsed.items.length)),
      () => this.drop('unknown_device', parsed.items.length));
  }

  /** Counts what an HTTP batch brought and what it dropped (its items are checked one by one by the caller). */
  count(received: number, dropped: Array<{ code: DropReason }>): void {
    this.stats_.received += received;
    for (const d of dropped) this.drop(d.code);
  }

  /** Readings of one known device: to the rules, then into the batch. */
  take(device: SensorDevice, items: Array<{ at: number; values: Array<[string, number]> }>): void {
    for (const it of items) {
      for (const [metric, value] of it.values) {
        if (this.batch.size >= this.maxBuffered) { this.drop('overload'); continue; }
        this.stats_.accepted++;
        this.onReading({
          deviceId: device.id, districtCode: device.districtCode, regionCode: device.regionCode, sensorType: device.sensorType,
          deviceCode: device.deviceCode, deviceName: device.name, metric, value, at: new Date(it.at),
        });
        this.batch.push({ at: it.at, districtCode: device.districtCode, deviceId: device.id, metric, value }, device.regionCode);
      }
    }
    if (this.batch.size >= this.batchSize && !this.flushing) void this.flush(false);
  }

  /** Writes what is buffered (waits for a flush under way first); `states` also writes the devices' last readings now. */
  async flush(states = true): Promise<void> {
    while (this.flushing) await this.flushing;
    if (!this.batch.size) { if (states) await this.writeStates(); return; }
    const b = this.batch;
    this.batch = new ReadingBatch();
    const started = Date.now();
    this.flushing = (async () => {
      try {
        await writeBatch(this.db, b);
        this.stats_.stored += b.size;
        this.stats_.batches++;
        mergeLatest(this.states, b.latest);
        if (states || Date.now() - this.statesAt >= STATE_MS) await this.writeStates();
      } catch (err) {
        this.drop('store_failed', b.size);
        this.log?.error({ err, readings: b.size }, 'a batch of sensor readings could not be stored');
      } finally {
        this.stats_.lastFlushMs = Date.now() - started;
        this.flushing = null;
      }
    })();
    await this.flushing;
    if (this.batch.size >= this.batchSize) await this.flush(false);
  }

  private async writeStates(): Promise<void> {
    const s = this.states;
    this.states = new Map();
    this.statesAt = Date.now();
    try {
      await upsertState(this.db, s);
    } catch (err) {
      this.log?.warn({ err, devices: s.size }, 'the last readings of sensors could not be written; the next ones will be');
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }
}
