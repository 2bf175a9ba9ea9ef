// Sensors as the console and device gateways see them: the registry's sensors in scope with their last
// readings, a device's readings over time, and readings posted in batches over HTTP.
import type { Actor } from '../../../platform/auth/actor.ts';
import { notFound } from '../../../platform/errors.ts';
import { regionScope } from '../../../platform/scope.ts';
import { sensorDevices } from '../../registry/index.ts';
import { riskPolicy } from '../policy.ts';
import type { RiskDeps } from '../service.ts';
import { parseItem, type ItemProblem } from './ingest.ts';
import { deviceReadings, deviceStates } from './store.ts';
import { readingCandidate } from '../rules/kinds.ts';
import { levels } from '../hazards.ts';
import type { SensorBatchT, SensorListQueryT, SensorReadingsQueryT } from '../contracts.ts';

/** A sensor counts as online while it has sent something in the last half hour. */
export const ONLINE_MINUTES = 30;

/** The region a sensor list is drawn from: the actor's territory, or a department's district. */
function sensorPrefix(actor: Actor): string | null {
  const p = regionScope(actor).prefixes;
  if (p.length) return p[0];
  return actor.role === 'department' ? actor.regionCode.slice(0, 6) : null;
}

export async function listSensors(deps: RiskDeps, actor: Actor, q: SensorListQueryT) {
  riskPolicy.assert(actor, 'risk.sensor.read');
  const prefix = sensorPrefix(actor);
  if (!prefix) return { items: [], total: 0 };
  if (q.region && !q.region.startsWith(prefix)) throw notFound({ zh: `区划 ${q.region}`, en: `Region ${q.region}` });
  let devices = await sensorDevices(deps.ctx.db, { regionPrefix: q.region ?? prefix });
  if (q.sensorType) devices = devices.filter((d) => d.sensorType === q.sensorType);
  if (q.q) devices = devices.filter((d) => d.name.includes(q.q!) || d.deviceCode.includes(q.q!) || (d.address ?? '').includes(q.q!));
  const states = await deviceStates(deps.ctx.db, devices.map((d) => d.id));
  const now = deps.ctx.now().getTime();
  const items = devices.map((d) => {
    const s = states.get(d.id);
    const silent = s ? Math.max(0, Math.floor((now - s.lastAt.getTime()) / 60_000)) : null;
    return {
      ...d, lastAt: s?.lastAt.toISOString() ?? null, values: s?.values ?? {}, readings: s?.readings ?? 0, offlineSince: s?.offlineSince?.toISOString() ?? null,
      silentMinutes: silent, online: silent != null && silent < ONLINE_MINUTES && !s?.offlineSince,
      breaches: s ? breachesOf(deps, d, s.values, s.lastAt) : [],
    };
  });
  // the devices heard from first, the latest on top; then those never heard from
  items.sort((a, b) => (b.lastAt ?? '').localeCompare(a.lastAt ?? '') || a.id - b.id);
  const filtered = q.online ? items.filter((i) => String(i.online) === q.online) : items;
  return { items: filtered.slice(0, q.limit), total: filtered.length };
}

/**
 * 超阈值: the latest values of a device past an enabled threshold rule of its district, each with the rule's
 * level and line, the worst level first (the console marks the device with it, not just 在线).
 */
function breachesOf(deps: RiskDeps, d: { id: number; regionCode: string; sensorType: string | null; deviceCode: string; name: string }, values: Record<string, number>, at: Date) {
  const out: Array<{ metric: string; value: number; op: string; threshold: number; level: string; ruleId: number; ruleName: string }> = [];
  for (const rule of deps.rules.thresholdRules(d.regionCode.slice(0, 6))) {
    for (const [metric, value] of Object.entries(values)) {
      const c = readingCandidate(rule, { deviceId: d.id, regionCode: d.regionCode, sensorType: d.sensorType, deviceCode: d.deviceCode, deviceName: d.name, metric, value, at });
      if (c) out.push({ metric, value, op: String(c.facts.op), threshold: Number(c.facts.threshold), level: rule.level, ruleId: rule.id, ruleName: rule.name });
    }
  }
  return out.sort((a, b) => levels.indexOf(a.level as never) - levels.indexOf(b.level as never));
}

export async function sensorReadings(deps: RiskDeps, actor: Actor, deviceId: number, q: SensorReadingsQueryT) {
  riskPolicy.assert(actor, 'risk.sensor.read');
  const prefix = sensorPrefix(actor);
  const [d] = await sensorDevices(deps.ctx.db, { ids: [deviceId] });
  if (!d || !prefix || !d.regionCode.startsWith(prefix)) throw notFound({ zh: `感知设备 ${deviceId}`, en: `Sensor ${deviceId}` });
  const to = q.to ? new Date(q.to) : deps.ctx.now();
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - 86_400_000);
  return { device: d, items: await deviceReadings(deps.ctx.db, deviceId, from, to, q.limit) };
}

/** A gateway's batch: each item is checked on its own; good ones go through the rules and are stored before the answer. */
export async function ingestHttp(deps: RiskDeps, actor: Actor, body: SensorBatchT) {
  riskPolicy.assert(actor, 'risk.sensor.ingest');
  const scope = regionScope(actor);
  const district = actor.regionCode.slice(0, 6);
  const now = deps.ctx.now().getTime();
  const rejected: ItemProblem[] = [];
  let accepted = 0;
  for (const [index, item] of body.readings.entries()) {
    const device = deps.devices.peek(district, item.deviceCode) ?? (await deps.devices.lookup(district, item.deviceCode));
    if (!device || !scope.has(device.regionCode)) {
      rejected.push({ index, code: 'unknown_device', message: `No sensor ${item.deviceCode} is registered in your region.` });
      continue;
    }
    const p = parseItem({ ...(item.at != null ? { at: item.at } : {}), values: item.values }, now);
    if (!p.ok) { rejected.push({ index, code: p.code, message: p.message }); continue; }
    deps.ingest.take(device, [p]);
    accepted += p.values.length;
  }
  deps.ingest.count(body.readings.length, rejected);
  await deps.ingest.flush();
  return { accepted, rejected };
}
