// Where readings are kept (migration 0071): written in batches — COPY on a PostgreSQL server
// (pg-copy-streams), one multi-row INSERT from arrays on the embedded database — with the last reading
// of each device upserted once per batch; partitions by day made ahead and dropped past the retention.
import type { Db, Queryable } from '../../../platform/db/index.ts';
import { regionLevels } from '../../../platform/scope.ts';

export interface StoredReading { at: number; districtCode: string; deviceId: number; metric: string; value: number }

export type DeviceLatest = Map<number, { at: number; values: Record<string, number>; n: number; districtCode: string; regionCode: string }>;

/** Folds one batch's last readings into another's (the states are written less often than the readings). */
export function mergeLatest(into: DeviceLatest, from: DeviceLatest): void {
  for (const [id, s] of from) {
    const cur = into.get(id);
    if (!cur) { into.set(id, { ...s, values: { ...s.values } }); continue; }
    cur.n += s.n;
    cur.values = s.at >= cur.at ? { ...cur.values, ...s.values } : { ...s.values, ...cur.values };
    cur.at = Math.max(cur.at, s.at);
  }
}

/** A batch in columns (cheaper to build and to send than objects). */
export class ReadingBatch {
  at: number[] = [];
  district: string[] = [];
  device: number[] = [];
  metric: string[] = [];
  value: number[] = [];
  /** per device: its newest reading time, values at that time, and how many readings the batch holds */
  latest: DeviceLatest = new Map();

  get size(): number { return this.at.length; }

  push(r: StoredReading, regionCode: string): void {
    this.at.push(r.at); this.district.push(r.districtCode); this.device.push(r.deviceId); this.metric.push(r.metric); this.value.push(r.value);
    const cur = this.latest.get(r.deviceId);
    if (!cur) this.latest.set(r.deviceId, { at: r.at, values: { [r.metric]: r.value }, n: 1, districtCode: r.districtCode, regionCode });
    else {
      cur.n++;
      // each metric's latest value: a newer reading overwrites it, an older one only fills a gap
      if (r.at >= cur.at) { cur.at = r.at; cur.values[r.metric] = r.value; } else if (!(r.metric in cur.values)) cur.values[r.metric] = r.value;
    }
  }
}

/** ISO time of epoch milliseconds; readings come in the same second by thousands, so the second is formatted once. */
let isoSecond = -1;
let isoPrefix = '';
export function isoOf(ms: number): string {
  const sec = Math.floor(ms / 1000);
  if (sec !== isoSecond) { isoSecond = sec; isoPrefix = new Date(sec * 1000).toISOString().slice(0, 20); }
  return `${isoPrefix}${String(ms - sec * 1000).padStart(3, '0')}Z`;
}

/** COPY's text format for one batch. */
function copyText(b: ReadingBatch, from: number, to: number): string {
  let out = '';
  for (let i = from; i < to; i++) out += `${isoOf(b.at[i])}\t${b.district[i]}\t${b.device[i]}\t${b.metric[i]}\t${b.value[i]}\n`;
  return out;
}

const COPY_SQL = 'COPY sensor_reading (at, district_code, device_id, metric, value) FROM STDIN';

/** Writes the readings (the devices' last readings are written apart: upsertState). */
export async function writeBatch(db: Db, b: ReadingBatch): Promise<void> {
  if (!b.size) return;
  if (db.pool) await copyInto(db, b);
  else {
    await db.query(
      `INSERT INTO sensor_reading (at, district_code, device_id, metric, value)
       SELECT t, d, dev, m, v FROM unnest($1::timestamptz[], $2::text[], $3::bigint[], $4::text[], $5::float8[]) AS x(t, d, dev, m, v)`,
      [b.at.map(isoOf), b.district, b.device, b.metric, b.value]);
  }
}

async function copyInto(db: Db, b: ReadingBatch): Promise<void> {
  const { from: copyFrom } = await import('pg-copy-streams');
  const client = await db.pool!.connect();
  try {
    await new Promise<void>((resolve, reject) => {
      const stream = client.query(copyFrom(COPY_SQL));
      stream.on('error', reject);
      stream.on('finish', () => resolve());
      const CHUNK = 2000;
      let i = 0;
      // one chunk of text at a time, yielding between chunks: the process's other work (an alert being
      // raised, events delivered to the console) does not wait behind a whole batch being formatted
      const write = () => {
        if (i >= b.size) { stream.end(); return; }
        const end = Math.min(b.size, i + CHUNK);
        const ok = stream.write(copyText(b, i, end));
        i = end;
        if (!ok) stream.once('drain', write);
        else setImmediate(write);
      };
      write();
    });
  } finally {
    client.release();
  }
}

/** Devices whose last readings one statement writes (the statement is built synchronously: kept short). */
export const STATE_CHUNK = 2000;

/**
 * The last reading of each device (a device's newest reading wins, whatever the order of arrival), in
 * statements of STATE_CHUNK devices: building one for 10,000 devices blocks the process for tens of
 * milliseconds, and an alert raised meanwhile would wait for it.
 */
export async function upsertState(db: Queryable, latest: DeviceLatest): Promise<void> {
  const entries = [...latest.entries()];
  for (let i = 0; i < entries.length; i += STATE_CHUNK) await upsertStateChunk(db, entries.slice(i, i + STATE_CHUNK));
}

async function upsertStateChunk(db: Queryable, entries: Array<[number, DeviceLatest extends Map<number, infer S> ? S : never]>): Promise<void> {
  if (!entries.length) return;
  const rows = entries.map(([id, s]) => {
    const lv = regionLevels(s.regionCode);
    return { id, d: s.districtCode, r: s.regionCode, st: lv.street, co: lv.community, at: new Date(s.at).toISOString(), v: s.values, n: s.n };
  });
  await db.query(
    `INSERT INTO sensor_state (device_id, district_code, region_code, street_code, community_code, last_at, last_values, readings, offline_since)
     SELECT x.id, x.d, x.r, x.st, x.co, x.at, x.v, x.n, NULL FROM jsonb_to_recordset($1::jsonb)
       AS x(id bigint, d text, r text, st text, co text, at timestamptz, v jsonb, n bigint)
     ON CONFLICT (device_id, district_code) DO UPDATE SET
       last_values = CASE WHEN EXCLUDED.last_at >= sensor_state.last_at THEN sensor_state.last_values || EXCLUDED.last_values
                          ELSE EXCLUDED.last_values || sensor_state.last_values END,
       last_at = GREATEST(sensor_state.last_at, EXCLUDED.last_at),
       readings = sensor_state.readings + EXCLUDED.readings,
       region_code = EXCLUDED.region_code, street_code = EXCLUDED.street_code, community_code = EXCLUDED.community_code,
       offline_since = CASE WHEN EXCLUDED.last_at > sensor_state.last_at THEN NULL ELSE sensor_state.offline_since END`,
    [JSON.stringify(rows)]);
}

// ---------------------------------------------------------------------------------------------
// Partitions and retention (PostgreSQL server; the embedded database keeps one table)

const DAY_MS = 86_400_000;
const partitionName = (day: Date) => `sensor_reading_p${day.toISOString().slice(0, 10).replace(/-/g, '')}`;

/** Makes the day partitions from yesterday to `daysAhead` days ahead (UTC days); returns those created. */
export async function ensurePartitions(db: Db, now: Date, daysAhead = 3): Promise<string[]> {
  if (db.engine !== 'postgres') return [];
  const made: string[] = [];
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const existing = new Set((await partitions(db)).map((p) => p.name));
  for (let d = -1; d <= daysAhead; d++) {
    const start = new Date(today + d * DAY_MS);
    const name = partitionName(start);
    if (existing.has(name)) continue;
    try {
      await db.exec(`CREATE TABLE ${name} PARTITION OF sensor_reading FOR VALUES FROM ('${start.toISOString()}') TO ('${new Date(start.getTime() + DAY_MS).toISOString()}')`);
      made.push(name);
    } catch (err: any) {
      // the default partition already holds rows of that day (or another process made it just now): leave the day there
      if (!['42P07', '23514'].includes(err?.code)) throw err;
    }
  }
  return made;
}

export async function partitions(db: Queryable): Promise<Array<{ name: string; bound: string }>> {
  return db.query<{ name: string; bound: string }>(
    `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound FROM pg_inherits i
     JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'sensor_reading' ORDER BY c.relname`);
}

/** Drops day partitions that end before the cutoff and deletes older rows of the default partition. */
export async function expireReadings(db: Db, cutoff: Date): Promise<{ droppedPartitions: number; deleted: number }> {
  let dropped = 0;
  for (const p of await partitions(db)) {
    const m = /^sensor_reading_p(\d{4})(\d{2})(\d{2})$/.exec(p.name);
    if (!m) continue;
    const end = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) + DAY_MS;
    if (end <= cutoff.getTime()) { await db.exec(`DROP TABLE ${p.name}`); dropped++; }
  }
  const gone = await db.query('DELETE FROM sensor_reading_default WHERE at < $1 RETURNING 1', [cutoff]);
  return { droppedPartitions: dropped, deleted: gone.length };
}

// ---------------------------------------------------------------------------------------------
// Reads for rules, back-tests and the console

/** Devices silent since before `since` (they had sent something before): offline detection. */
export async function silentStates(db: Queryable, deviceIds: number[], since: Date): Promise<Array<{ deviceId: number; lastAt: Date }>> {
  if (!deviceIds.length) return [];
  const rows = await db.query<{ device_id: number; last_at: Date }>(
    'SELECT device_id, last_at FROM sensor_state WHERE device_id = ANY($1::bigint[]) AND last_at < $2', [deviceIds, since]);
  return rows.map((r) => ({ deviceId: Number(r.device_id), lastAt: new Date(r.last_at) }));
}

/** Marks devices offline (for the sensor list) and returns those newly marked. */
export async function markOffline(db: Queryable, deviceIds: number[], at: Date): Promise<number[]> {
  if (!deviceIds.length) return [];
  const rows = await db.query<{ device_id: number }>(
    'UPDATE sensor_state SET offline_since = $2 WHERE device_id = ANY($1::bigint[]) AND offline_since IS NULL RETURNING device_id', [deviceIds, at]);
  return rows.map((r) => Number(r.device_id));
}

const ops = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

/** Readings of these devices beyond a threshold in (from, to], oldest first (the threshold rule's back-test). */
export async function readingsBeyond(db: Queryable, deviceIds: number[], metric: string, op: keyof typeof ops, value: number, from: Date, to: Date, limit = 200_000) {
  if (!deviceIds.length) return [];
  const rows = await db.query<{ device_id: number; at: Date; value: number }>(
    `SELECT device_id, at, value FROM sensor_reading WHERE device_id = ANY($1::bigint[]) AND metric = $2 AND value ${ops[op]} $3 AND at > $4 AND at <= $5
     ORDER BY at, device_id LIMIT ${limit}`, [deviceIds, metric, value, from, to]);
  return rows.map((r) => ({ deviceId: Number(r.device_id), at: new Date(r.at), value: Number(r.value) }));
}

/**
 * Each reading time of these devices in (from − minutes, to] with the time of the device's next reading
 * (null when none followed within the period): the offline rule's back-test finds its gaps here.
 */
export async function readingTimes(db: Queryable, deviceIds: number[], from: Date, to: Date, minutes: number, limit = 500_000) {
  if (!deviceIds.length) return [];
  const rows = await db.query<{ device_id: number; at: Date; next_at: Date | null }>(
    `SELECT device_id, at, lead(at) OVER (PARTITION BY device_id ORDER BY at) AS next_at
     FROM (SELECT DISTINCT device_id, at FROM sensor_reading WHERE device_id = ANY($1::bigint[]) AND at > $2 AND at <= $3) s
     ORDER BY device_id, at LIMIT ${limit}`, [deviceIds, new Date(from.getTime() - minutes * 60_000), to]);
  return rows.map((r) => ({ deviceId: Number(r.device_id), at: new Date(r.at), nextAt: r.next_at ? new Date(r.next_at) : null }));
}

/** The last readings and states of devices (the console's live list). */
export async function deviceStates(db: Queryable, deviceIds: number[]) {
  if (!deviceIds.length) return new Map<number, { lastAt: Date; values: Record<string, number>; readings: number; offlineSince: Date | null }>();
  const rows = await db.query<any>('SELECT device_id, last_at, last_values, readings, offline_since FROM sensor_state WHERE device_id = ANY($1::bigint[])', [deviceIds]);
  return new Map(rows.map((r) => [Number(r.device_id), {
    lastAt: new Date(r.last_at), values: r.last_values ?? {}, readings: Number(r.readings), offlineSince: r.offline_since ? new Date(r.offline_since) : null,
  }]));
}

/** A device's readings in a period, for its chart (newest last, at most `limit`). */
export async function deviceReadings(db: Queryable, deviceId: number, from: Date, to: Date, limit: number) {
  const rows = await db.query<{ at: Date; metric: string; value: number }>(
    `SELECT at, metric, value FROM (SELECT at, metric, value FROM sensor_reading WHERE device_id = $1 AND at > $2 AND at <= $3 ORDER BY at DESC LIMIT ${limit}) s ORDER BY at`,
    [deviceId, from, to]);
  return rows.map((r) => ({ at: new Date(r.at).toISOString(), metric: r.metric, value: Number(r.value) }));
}
