// The sensors the ingestion accepts readings for: the registry's things of kind sensor, looked up by
// district and device code in memory (a reading must not cost a query). The directory reloads every
// minute and looks up a code it does not know once, remembering a miss for half a minute, so a device
// registered a moment ago is accepted within seconds and an unknown one costs nothing per reading.
import type { Queryable } from '../../../platform/db/index.ts';
import { sensorDevices, type SensorDevice } from '../../registry/index.ts';

const RELOAD_MS = 60_000;
const MISS_MS = 30_000;

export class DeviceDirectory {
  /** district → device code → device (two lookups of strings the topic already holds: no key built per reading) */
  private byCode = new Map<string, Map<string, SensorDevice>>();
  private byId = new Map<number, SensorDevice>();
  private misses = new Map<string, number>();
  private loadedAt = 0;
  private loading: Promise<void> | null = null;

  constructor(private db: Queryable, private now: () => number = Date.now) {}

  private static key(district: string, code: string): string { return `${district}|${code}`; }

  async load(): Promise<void> {
    this.loading ??= (async () => {
      try {
        const all = await sensorDevices(this.db);
        const byCode = new Map<string, Map<string, SensorDevice>>();
        for (const d of all) {
          let m = byCode.get(d.districtCode);
          if (!m) byCode.set(d.districtCode, (m = new Map()));
          m.set(d.deviceCode, d);
        }
        this.byCode = byCode;
        this.byId = new Map(all.map((d) => [d.id, d]));
        this.misses.clear();
        this.loadedAt = this.now();
      } finally {
        this.loading = null;
      }
    })();
    return this.loading;
  }

  /** The device now, if known without a query (the hot path); undefined when it must be looked up. */
  peek(district: string, code: string): SensorDevice | null | undefined {
    if (this.now() - this.loadedAt > RELOAD_MS) void this.load().catch(() => undefined);
    const d = this.byCode.get(district)?.get(code);
    if (d) return d;
    const missedAt = this.misses.get(DeviceDirectory.key(district, code));
    return missedAt != null && this.now() - missedAt < MISS_MS ? null : undefined;
  }

  /** Looks one code up in the registry (after peek said it does not know it). */
  async lookup(district: string, code: string): Promise<SensorDevice | null> {
    const [d] = await sensorDevices(this.db, { districtCode: district, deviceCode: code });
    const key = DeviceDirectory.key(district, code);
    if (d) {
      let m = this.byCode.get(district);
      if (!m) this.byCode.set(district, (m = new Map()));
      m.set(code, d);
      this.byId.set(d.id, d);
      this.misses.delete(key);
      return d;
    }
    if (this.misses.size > 100_000) this.misses.clear();
    this.misses.set(key, this.now());
    return null;
  }

  byDeviceId(id: number): SensorDevice | undefined { return this.byId.get(id); }

  all(): SensorDevice[] { return [...this.byId.values()]; }
}
