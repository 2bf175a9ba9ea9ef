// Back-testing a rule (回溯测试): what would it have raised in a past period? The period's signals are
// replayed in the order they happened through the same evaluators the live engine uses, over a history
// that answers as things stood at each instant, with the same quiet periods — so a rule that ran live
// through the period raised exactly what its back-test counts.
import type { Queryable } from '../../../platform/db/index.ts';
import { caseItems, caseReportsBetween, caseStepsBetween, categoriesByCode, type CaseDeps } from '../../cases/index.ts';
import type { FollowupSource } from '../followups.ts';
import type { DeviceDirectory } from '../sensors/devices.ts';
import { readingsBeyond, readingTimes, silentStates } from '../sensors/store.ts';
import {
  normaliseAddress, type CaseReportSignal, type CaseStepSignal, type DisputeRiskScore, type History, type ReportQuery, type Trigger,
} from './history.ts';
import { evaluators, mayRaise, offlineCandidate, readingCandidate, watches, type Candidate, type RuleDef } from './kinds.ts';

const DAY_MS = 86_400_000;

/** Where the mediation module's 民转刑 scores come from, once it is wired in (see index.ts). */
export interface DisputeRiskSource {
  /** Scores computed in (from, to] for disputes under the region, oldest first. */
  scoresBetween(regionPrefix: string, from: Date, to: Date): Promise<DisputeRiskScore[]>;
  /** Calls back with every new score (the live path). Returns the unsubscribe function. */
  subscribe(onScore: (s: DisputeRiskScore) => void): () => void;
}

export interface HistoryEnv { cases: CaseDeps; db: Queryable; devices: DeviceDirectory; followups: FollowupSource }

/** The live history: the case engine's, the registry's and the sensors' current records. */
export function dbHistory(env: HistoryEnv): History {
  return {
    reports: (q) => caseReportsBetween(env.cases, q),
    steps: (q) => caseStepsBetween(env.cases, q),
    followupsDue: (q) => env.followups.due(q),
    async silentDevices(q) {
      const devices = env.devices.all().filter((d) => d.regionCode.startsWith(q.regionPrefix) && (!q.sensorType || d.sensorType === q.sensorType));
      const byId = new Map(devices.map((d) => [d.id, d]));
      return (await silentStates(env.db, devices.map((d) => d.id), q.since)).map((s) => ({ ...byId.get(s.deviceId)!, lastAt: s.lastAt }));
    },
  };
}

/** A history over signals loaded once for a period (follow-ups are asked of their source as of each instant). */
function memoryHistory(env: HistoryEnv, reports: CaseReportSignal[], steps: CaseStepSignal[]): History {
  return {
    async reports(q: ReportQuery) {
      const addr = q.address ?? null;
      return reports.filter((r) => r.at > q.from && r.at <= q.to && r.regionCode.startsWith(q.regionPrefix)
        && (!q.categoryPrefix || r.categoryCode.startsWith(q.categoryPrefix))
        && (!q.reporterKey || r.reporterKey === q.reporterKey)
        && (!addr || normaliseAddress(r.address) === addr));
    },
    async steps(q) { return steps.filter((s) => s.at > q.from && s.at <= q.to && s.regionCode.startsWith(q.regionPrefix)); },
    followupsDue: (q) => env.followups.due(q),
    async silentDevices() { return []; },
  };
}

/** How far before the period a kind looks back. */
function lookbackMs(rule: RuleDef): number {
  const p = rule.params;
  switch (rule.kind) {
    case 'case_threshold': case 'repeat': case 'hotspot': case 'unit_overdue_surge': return p.days * DAY_MS;
    case 'case_surge': return p.windowDays * (p.baselineWindows + 1) * DAY_MS;
    case 'returned_repeatedly': return 366 * DAY_MS;
    default: return 0;
  }
}

/** China midnights in (from, to]: the instants a day's follow-ups fall overdue. */
function midnights(from: Date, to: Date): Date[] {
  const out: Date[] = [];
  const offset = 8 * 3600_000;
  let t = Math.floor((from.getTime() + offset) / DAY_MS) * DAY_MS - offset;
  while (t <= to.getTime()) { if (t > from.getTime()) out.push(new Date(t)); t += DAY_MS; }
  return out;
}

/** Where a hit is: the grid (or the community, street, district a rule counts in), named, with its path from the district down. */
export interface HitRegion { code: string; name: string; level: string | null; path: Array<{ code: string; name: string }> }
/** A category a hit concerns, named. */
export interface HitCategory { code: string; name: { zh: string; en: string } }

export interface BacktestResult {
  kind: string; from: string; to: string; count: number;
  /** The first 500 alerts it would have raised, oldest first, each with the region and the categories it concerns. */
  alerts: Array<{
    subject: string; at: string; regionCode: string; facts: Record<string, unknown>; caseIds: number[]; deviceId: number | null; labelId: number | null;
    region: HitRegion; categories: HitCategory[];
  }>;
  truncated: boolean;
  /** Why nothing could be replayed (a source not connected yet). */
  note: string | null;
}

export async function backtest(env: HistoryEnv & { disputes?: DisputeRiskSource | null }, rule: RuleDef, from: Date, to: Date): Promise<BacktestResult> {
  const found: Candidate[] = [];
  const quiet = new Map<string, Date | null>();
  const consider = (c: Candidate) => {
    if (!mayRaise(quiet.get(c.subject), c.at)) return;
    quiet.set(c.subject, c.quietUntil);
    found.push(c);
  };
  let note: string | null = null;
  /** the category of each case seen on the way (a hit names the categories of its cases) */
  const caseCategory = new Map<number, string>();
  const watch = watches[rule.kind];
  if (watch === 'report' || watch === 'step') {
    const since = new Date(from.getTime() - lookbackMs(rule));
    const region = { regionPrefix: rule.regionCode, from: since, to };
    const reports = watch === 'report' ? await caseReportsBetween(env.cases, region) : [];
    const steps = watch === 'step' ? await caseStepsBetween(env.cases, region) : [];
    for (const r of reports) caseCategory.set(r.id, r.categoryCode);
    for (const x of steps) caseCategory.set(x.caseId, x.categoryCode);
    const h = memoryHistory(env, reports, steps);
    const triggers: Trigger[] = watch === 'report'
      ? reports.filter((r) => r.at > from).map((r) => ({ type: 'report', at: r.at, report: r }))
      : steps.filter((s) => s.at > from).map((s) => ({ type: 'step', at: s.at, step: s }));
    for (const t of triggers) for (const c of await evaluators[rule.kind](rule, t, h)) consider(c);
  } else if (rule.kind === 'followup_overdue') {
    const h = memoryHistory(env, [], []);
    for (const at of midnights(from, to)) for (const c of await evaluators.followup_overdue(rule, { type: 'tick', at }, h)) consider(c);
  } else if (rule.kind === 'sensor_offline') {
    const minutes = rule.params.minutes as number;
    const devices = sensorsOf(env, rule);
    const byId = new Map(devices.map((d) => [d.id, d]));
    for (const r of await readingTimes(env.db, devices.map((d) => d.id), from, to, minutes)) {
      const silentAt = r.at.getTime() + minutes * 60_000;
      if (silentAt <= from.getTime() || silentAt > to.getTime()) continue;
      if (r.nextAt && r.nextAt.getTime() <= silentAt) continue;
      consider(offlineCandidate(minutes, byId.get(r.deviceId)!, r.at));
    }
    found.sort((a, b) => a.at.getTime() - b.at.getTime());
  } else if (rule.kind === 'sensor_threshold') {
    const devices = sensorsOf(env, rule);
    const byId = new Map(devices.map((d) => [d.id, d]));
    const p = rule.params;
    for (const r of await readingsBeyond(env.db, devices.map((d) => d.id), p.metric, p.op, p.value, from, to)) {
      const d = byId.get(r.deviceId)!;
      const c = readingCandidate(rule, { deviceId: d.id, regionCode: d.regionCode, sensorType: d.sensorType, deviceCode: d.deviceCode, deviceName: d.name, metric: p.metric, value: r.value, at: r.at });
      if (c) consider(c);
    }
  } else if (rule.kind === 'dispute_risk') {
    if (!env.disputes) note = 'dispute_risk_source_not_connected';
    else for (const s of await env.disputes.scoresBetween(rule.regionCode, from, to)) {
      for (const c of await evaluators.dispute_risk(rule, { type: 'dispute_score', at: s.at, score: s }, memoryHistory(env, [], []))) consider(c);
    }
  }
  const shown = found.slice(0, 500);
  const { regions, categories } = await describeHits(env, shown, caseCategory);
  return {
    kind: rule.kind, from: from.toISOString(), to: to.toISOString(), count: found.length, truncated: found.length > 500, note,
    alerts: shown.map((c, i) => ({
      subject: c.subject, at: c.at.toISOString(), regionCode: c.regionCode, facts: c.facts, caseIds: c.caseIds ?? [], deviceId: c.deviceId ?? null, labelId: c.labelId ?? null,
      region: regions.get(c.regionCode)!, categories: categories[i],
    })),
  };
}

/** The categories a hit concerns: the one its facts name (a threshold's, a hotspot's, a surge's group), else those of its cases. */
function hitCategoryCodes(c: Candidate, caseCategory: Map<number, string>): string[] {
  const named = (c.facts.categoryCode ?? c.facts.categoryPrefix) as string | null | undefined;
  if (named) return [named];
  return [...new Set((c.caseIds ?? []).map((id) => caseCategory.get(id)).filter((x): x is string => !!x))].slice(0, 5);
}

/** Names the regions (with their paths from the district down) and the categories of the hits shown. */
async function describeHits(env: HistoryEnv, hits: Candidate[], caseCategory: Map<number, string>) {
  // cases whose category no signal gave (a dispute's score): asked of the case engine
  const unknown = [...new Set(hits.filter((c) => !c.facts.categoryCode && !c.facts.categoryPrefix).flatMap((c) => c.caseIds ?? []).filter((id) => !caseCategory.has(id)))];
  for (const [id, item] of await caseItems(env.cases, unknown.slice(0, 2000))) caseCategory.set(id, item.categoryCode);
  const codes = hits.map((c) => hitCategoryCodes(c, caseCategory));
  const names = await categoriesByCode(env.cases, [...new Set(codes.flat())]);
  const categories = codes.map((list) => list.map((code) => ({ code, name: names.get(code)?.name ?? { zh: code, en: code } })));
  const regionCodes = [...new Set(hits.map((c) => c.regionCode))];
  const wanted = [...new Set(regionCodes.flatMap((code) => [6, 9, 12].filter((n) => n < code.length).map((n) => code.slice(0, n)).concat(code)))];
  const rows = wanted.length ? await env.db.query<{ code: string; name: string; short_name: string | null; level: string }>(
    'SELECT code, name, short_name, level FROM region WHERE code = ANY($1::text[])', [wanted]) : [];
  const byCode = new Map(rows.map((r) => [r.code, r]));
  const regions = new Map<string, HitRegion>(regionCodes.map((code) => {
    const own = byCode.get(code);
    const path = [6, 9, 12].filter((n) => n < code.length).map((n) => code.slice(0, n)).concat(code)
      .map((c) => byCode.get(c)).filter((r): r is NonNullable<typeof r> => !!r).map((r) => ({ code: r.code, name: r.short_name || r.name }));
    return [code, { code, name: own?.name ?? code, level: own?.level ?? null, path }];
  }));
  return { regions, categories };
}

function sensorsOf(env: HistoryEnv, rule: RuleDef) {
  const type = rule.params.sensorType as string | undefined;
  return env.devices.all().filter((d) => d.regionCode.startsWith(rule.regionCode) && (!type || d.sensorType === type));
}
