// The kinds of early-warning rule (预警规则). A rule is data: a kind, its parameters (validated by the
// kind's schema), a level and a region. Each kind says which triggers it watches and, given one, what it
// sees: candidates, each about a subject (a grid and category, a case, a device, a label …) with the
// facts that made it fire and how long the subject stays quiet afterwards. The same functions serve the
// live engine and the back-test, over the History they are given.
import { z } from 'zod';
import { hotspotsAmong } from '../../intelligence/index.ts';
import { chinaDate, normaliseAddress, type CaseReportSignal, type History, type Trigger } from './history.ts';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

export interface RuleDef {
  id: number; version: number; districtCode: string; regionCode: string; kind: RuleKind; level: string; params: any;
}

export interface Candidate {
  subject: string;
  /** When the rule saw it (the trigger's instant). */
  at: Date;
  regionCode: string;
  facts: Record<string, unknown>;
  caseIds?: number[];
  deviceId?: number;
  labelId?: number;
  unitId?: string;
  /** The subject raises nothing more until then; null: never again. */
  quietUntil: Date | null;
}

const days = (max: number) => z.number().positive().max(max);
const count = (max: number) => z.number().int().min(1).max(max);
const categoryPrefix = z.string().regex(/^\d{2,12}$/, 'category codes are 2–12 digits');
const area = z.enum(['grid', 'community', 'street']);
const sensorType = z.string().regex(/^[0-9A-Za-z_]{1,20}$/, 'a sensor type code');
const metric = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,39}$/, 'metric names are letters, digits and underscores');
/** Rules that turn their alerts into cases by themselves name the hazard category. */
const autoCase = z.object({ categoryCode: z.string().regex(/^\d{6}$/, 'a leaf category code (6 digits)') }).strict();
const common = { autoCase: autoCase.optional() };

export const paramSchemas = {
  /** ≥ N similar cases in a grid (or community, street) within T days. */
  case_threshold: z.object({
    minCases: count(1000), days: days(90), area: area.default('grid'), categoryPrefix: categoryPrefix.optional(), ...common,
  }).strict(),
  /** Cases in the last window against the mean of the windows before it. */
  case_surge: z.object({
    windowDays: days(30), baselineWindows: count(12), factor: z.number().min(1).max(100), minCases: count(10_000),
    area: z.enum(['community', 'street', 'district']).default('street'), categoryPrefix: categoryPrefix.optional(), ...common,
  }).strict(),
  /** Words in a case's title or description (群体, 跳楼, 讨薪, 集访 …). */
  keyword: z.object({
    keywords: z.array(z.string().trim().min(1).max(20)).min(1).max(100), categoryPrefix: categoryPrefix.optional(), ...common,
  }).strict(),
  /** The same reporter, or the same address, again and again. */
  repeat: z.object({ by: z.enum(['reporter', 'address']), minCases: count(1000), days: days(365), ...common }).strict(),
  /** An urgent or emergency case's step runs out. */
  urgent_overdue: z.object({ urgencies: z.array(z.enum(['urgent', 'emergency'])).min(1).max(2).default(['urgent', 'emergency']), ...common }).strict(),
  /** One unit lets many steps run out. */
  unit_overdue_surge: z.object({ minOverdue: count(10_000), days: days(90), ...common }).strict(),
  /** A case handed back again and again (no unit takes it). */
  returned_repeatedly: z.object({ minReturns: count(50), ...common }).strict(),
  /** The intelligence module's hotspot forms (similar complaints from several people in one community). */
  hotspot: z.object({
    minCases: count(1000), days: days(90), minHeat: z.number().min(0).max(10_000).default(0), minSimilarity: z.number().min(0.05).max(1).optional(), ...common,
  }).strict(),
  /** A key person's follow-up is overdue. */
  followup_overdue: z.object({
    graceDays: z.number().int().min(0).max(90).default(0), intervalDays: z.number().int().min(1).max(365).default(30),
    labelTypes: z.array(z.string().regex(/^[a-z_]{2,40}$/)).max(20).optional(), ...common,
  }).strict(),
  /** A dispute's 民转刑 risk score (the mediation module's) reaches a level. */
  dispute_risk: z.object({ minScore: z.number().min(0).max(100), ...common }).strict(),
  /** A reading beyond a threshold. */
  sensor_threshold: z.object({
    sensorType: sensorType.optional(), metric, op: z.enum(['gt', 'gte', 'lt', 'lte']), value: z.number().finite(),
    quietMinutes: z.number().int().min(1).max(7 * 24 * 60).default(30), ...common,
  }).strict(),
  /** A sensor that sends nothing for a while. */
  sensor_offline: z.object({ sensorType: sensorType.optional(), minutes: z.number().int().min(1).max(7 * 24 * 60), ...common }).strict(),
} as const;
export type RuleKind = keyof typeof paramSchemas;
export const ruleKinds = Object.keys(paramSchemas) as RuleKind[];

/** Which triggers each kind watches. */
export const watches: Record<RuleKind, Trigger['type']> = {
  case_threshold: 'report', case_surge: 'report', keyword: 'report', repeat: 'report', hotspot: 'report',
  urgent_overdue: 'step', unit_overdue_surge: 'step', returned_repeatedly: 'step',
  followup_overdue: 'tick', sensor_offline: 'tick', dispute_risk: 'dispute_score', sensor_threshold: 'reading',
};

/** The region code of the area a report counts in. */
export function areaOf(r: Pick<CaseReportSignal, 'regionCode' | 'streetCode' | 'communityCode'>, a: 'grid' | 'community' | 'street' | 'district'): string {
  switch (a) {
    case 'grid': return r.regionCode;
    case 'community': return r.communityCode ?? r.regionCode;
    case 'street': return r.streetCode ?? r.regionCode;
    case 'district': return r.regionCode.slice(0, 6);
  }
}

/** Reports known when `r` arrived: earlier ones, and those of the same instant with a smaller or equal id. */
const knownAt = (r: CaseReportSignal) => (x: CaseReportSignal) => x.at < r.at || (x.at.getTime() === r.at.getTime() && x.id <= r.id);
const inCategory = (prefix: string | undefined, code: string) => !prefix || code.startsWith(prefix);
const before = (at: Date, ms: number) => new Date(at.getTime() - ms);
const after = (at: Date, ms: number) => new Date(at.getTime() + ms);

type Evaluate = (rule: RuleDef, t: Trigger, h: History) => Promise<Candidate[]>;

/**
 * Rules over reports watch the platform's other cases: a hazard is the register's own record (often made
 * of an alert, whose words it repeats), so hazards neither trigger these rules nor count in them.
 */
const REGISTER_TYPE = 'hazard';
const watched = (r: CaseReportSignal) => r.type !== REGISTER_TYPE;
const watchedHistory = (h: History): History => ({ ...h, reports: async (q) => (await h.reports(q)).filter(watched) });

const onReport = (f: (rule: RuleDef, r: CaseReportSignal, h: History) => Promise<Candidate[]>): Evaluate =>
  async (rule, t, h) => (t.type === 'report' && watched(t.report) && t.report.regionCode.startsWith(rule.regionCode) ? f(rule, t.report, watchedHistory(h)) : []);

export const evaluators: Record<RuleKind, Evaluate> = {
  case_threshold: onReport(async (rule, r, h) => {
    const p = rule.params as z.infer<typeof paramSchemas.case_threshold>;
    if (!inCategory(p.categoryPrefix, r.categoryCode)) return [];
    const where = areaOf(r, p.area);
    // "similar" cases: the same category (within the rule's category group when it names one)
    const seen = (await h.reports({ regionPrefix: where, from: before(r.at, p.days * DAY_MS), to: r.at, categoryPrefix: r.categoryCode })).filter(knownAt(r));
    if (seen.length < p.minCases) return [];
    return [{
      subject: `${where}|${r.categoryCode}`, at: r.at, regionCode: where, quietUntil: after(r.at, p.days * DAY_MS),
      facts: { count: seen.length, days: p.days, area: p.area, categoryCode: r.categoryCode }, caseIds: seen.map((x) => x.id),
    }];
  }),
  case_surge: onReport(async (rule, r, h) => {
    const p = rule.params as z.infer<typeof paramSchemas.case_surge>;
    if (!inCategory(p.categoryPrefix, r.categoryCode)) return [];
    const where = areaOf(r, p.area);
    const w = p.windowDays * DAY_MS;
    const all = (await h.reports({ regionPrefix: where, from: before(r.at, w * (p.baselineWindows + 1)), to: r.at, categoryPrefix: p.categoryPrefix }))
      .filter(knownAt(r));
    const current = all.filter((x) => x.at > before(r.at, w));
    const baseline = (all.length - current.length) / p.baselineWindows;
    if (current.length < p.minCases || current.length < p.factor * baseline) return [];
    const group = p.categoryPrefix ?? '';
    return [{
      subject: `${where}|${group}`, at: r.at, regionCode: where, quietUntil: after(r.at, w),
      facts: { count: current.length, baseline: Math.round(baseline * 100) / 100, factor: p.factor, windowDays: p.windowDays, categoryPrefix: group || null },
      caseIds: current.map((x) => x.id).slice(-200),
    }];
  }),
  keyword: onReport(async (rule, r) => {
    const p = rule.params as z.infer<typeof paramSchemas.keyword>;
    if (!inCategory(p.categoryPrefix, r.categoryCode)) return [];
    const text = `${r.title}\n${r.description}`;
    const words = p.keywords.filter((k) => text.includes(k));
    if (!words.length) return [];
    return [{ subject: `case:${r.id}`, at: r.at, regionCode: r.regionCode, quietUntil: null, facts: { keywords: words, caseNo: r.caseNo }, caseIds: [r.id] }];
  }),
  repeat: onReport(async (rule, r, h) => {
    const p = rule.params as z.infer<typeof paramSchemas.repeat>;
    const key = p.by === 'reporter' ? r.reporterKey : normaliseAddress(r.address);
    if (!key) return [];
    const q = { regionPrefix: rule.regionCode, from: before(r.at, p.days * DAY_MS), to: r.at };
    const seen = (await h.reports(p.by === 'reporter' ? { ...q, reporterKey: key } : { ...q, address: key })).filter(knownAt(r));
    if (seen.length < p.minCases) return [];
    return [{
      subject: `${p.by}:${key}`, at: r.at, regionCode: r.regionCode, quietUntil: after(r.at, p.days * DAY_MS),
      // the address is a place; a reporter is never named (the key is a keyed hash)
      facts: { count: seen.length, days: p.days, by: p.by, address: p.by === 'address' ? r.address : null }, caseIds: seen.map((x) => x.id),
    }];
  }),
  hotspot: onReport(async (rule, r, h) => {
    const p = rule.params as z.infer<typeof paramSchemas.hotspot>;
    const where = r.communityCode ?? r.regionCode;
    const seen = (await h.reports({ regionPrefix: where, from: before(r.at, p.days * DAY_MS), to: r.at, categoryPrefix: r.categoryCode })).filter(knownAt(r));
    if (seen.length < p.minCases) return [];
    const found = hotspotsAmong(seen.map((x) => ({
      id: x.id, title: x.title, description: x.description, areaCode: where, categoryCode: x.categoryCode, createdAt: x.at, reporterKey: x.reporterKey,
    })), r.at, { minCases: p.minCases, halfLifeDays: 7, ...(p.minSimilarity ? { minSimilarity: p.minSimilarity } : {}) });
    const mine = found.find((s) => s.caseIds.includes(r.id) && s.heat >= p.minHeat);
    if (!mine) return [];
    return [{
      subject: `${where}|${r.categoryCode}`, at: r.at, regionCode: where, quietUntil: after(r.at, p.days * DAY_MS),
      facts: { count: mine.count, reporters: mine.reporters, heat: mine.heat, categoryCode: r.categoryCode, title: seen.find((x) => x.id === mine.representativeId)?.title ?? null },
      caseIds: mine.caseIds,
    }];
  }),
  urgent_overdue: async (rule, t) => {
    if (t.type !== 'step' || t.step.fact !== 'overdue' || !t.step.regionCode.startsWith(rule.regionCode)) return [];
    const p = rule.params as z.infer<typeof paramSchemas.urgent_overdue>;
    if (!(p.urgencies as string[]).includes(t.step.urgency)) return [];
    const s = t.step;
    return [{
      subject: `case:${s.caseId}:${s.at.toISOString()}`, at: s.at, regionCode: s.regionCode, quietUntil: null,
      facts: { caseNo: s.caseNo, urgency: s.urgency, unitId: s.unitId }, caseIds: [s.caseId], unitId: s.unitId ?? undefined,
    }];
  },
  unit_overdue_surge: async (rule, t, h) => {
    if (t.type !== 'step' || t.step.fact !== 'overdue' || !t.step.unitId || !t.step.regionCode.startsWith(rule.regionCode)) return [];
    const p = rule.params as z.infer<typeof paramSchemas.unit_overdue_surge>;
    const s = t.step;
    const mine = (await h.steps({ regionPrefix: rule.regionCode, from: before(s.at, p.days * DAY_MS), to: s.at }))
      .filter((x) => x.fact === 'overdue' && x.unitId === s.unitId);
    if (mine.length < p.minOverdue) return [];
    return [{
      subject: `unit:${s.unitId}`, at: s.at, regionCode: rule.regionCode, quietUntil: after(s.at, p.days * DAY_MS),
      facts: { unitId: s.unitId, count: mine.length, days: p.days }, caseIds: [...new Set(mine.map((x) => x.caseId))].slice(-200), unitId: s.unitId ?? undefined,
    }];
  },
  returned_repeatedly: async (rule, t, h) => {
    if (t.type !== 'step' || t.step.fact !== 'returned' || !t.step.regionCode.startsWith(rule.regionCode)) return [];
    const p = rule.params as z.infer<typeof paramSchemas.returned_repeatedly>;
    const s = t.step;
    const returns = (await h.steps({ regionPrefix: s.regionCode, from: before(s.at, 366 * DAY_MS), to: s.at }))
      .filter((x) => x.fact === 'returned' && x.caseId === s.caseId);
    if (returns.length < p.minReturns) return [];
    return [{
      subject: `case:${s.caseId}`, at: s.at, regionCode: s.regionCode, quietUntil: null,
      facts: { caseNo: s.caseNo, returns: returns.length, units: [...new Set(returns.map((x) => x.unitId).filter(Boolean))] }, caseIds: [s.caseId],
    }];
  },
  followup_overdue: async (rule, t, h) => {
    if (t.type !== 'tick') return [];
    const p = rule.params as z.infer<typeof paramSchemas.followup_overdue>;
    const today = chinaDate(t.at);
    const due = await h.followupsDue({ regionPrefix: rule.regionCode, asOf: t.at, intervalDays: p.intervalDays, labelTypes: p.labelTypes });
    return due.filter((d) => daysBetween(d.dueOn, today) > p.graceDays).map((d) => ({
      subject: `label:${d.labelId}:${d.dueOn}`, at: t.at, regionCode: d.regionCode, quietUntil: null, labelId: d.labelId,
      facts: { labelType: d.labelType, personId: d.personId, dueOn: d.dueOn, daysOverdue: daysBetween(d.dueOn, today) },
    }));
  },
  sensor_offline: async (rule, t, h) => {
    if (t.type !== 'tick') return [];
    const p = rule.params as z.infer<typeof paramSchemas.sensor_offline>;
    const silent = await h.silentDevices({ regionPrefix: rule.regionCode, sensorType: p.sensorType, since: before(t.at, p.minutes * MINUTE_MS) });
    return silent.map((d) => offlineCandidate(p.minutes, d, d.lastAt));
  },
  dispute_risk: async (rule, t) => {
    if (t.type !== 'dispute_score' || !t.score.regionCode.startsWith(rule.regionCode)) return [];
    const p = rule.params as z.infer<typeof paramSchemas.dispute_risk>;
    if (t.score.score < p.minScore) return [];
    return [{
      subject: `dispute:${t.score.caseId}`, at: t.at, regionCode: t.score.regionCode, quietUntil: null, caseIds: [t.score.caseId],
      facts: { caseNo: t.score.caseNo, score: t.score.score, reasons: t.score.reasons.slice(0, 10) },
    }];
  },
  sensor_threshold: async (rule, t) => {
    if (t.type !== 'reading') return [];
    const c = readingCandidate(rule, t.reading);
    return c ? [c] : [];
  },
};

/** An offline episode of a device: from its last reading; raised once, `minutes` after it. */
export function offlineCandidate(minutes: number, d: { id: number; regionCode: string; deviceCode: string; name: string }, lastAt: Date): Candidate {
  return {
    subject: `device:${d.id}:${lastAt.toISOString()}`, at: after(lastAt, minutes * MINUTE_MS), regionCode: d.regionCode, quietUntil: null, deviceId: d.id,
    facts: { deviceCode: d.deviceCode, deviceName: d.name, lastAt: lastAt.toISOString(), minutes },
  };
}

const compare = { gt: (a: number, b: number) => a > b, gte: (a: number, b: number) => a >= b, lt: (a: number, b: number) => a < b, lte: (a: number, b: number) => a <= b };

/** Whether a reading crosses a threshold rule (synchronous: the ingestion asks it of every reading). */
export function readingCandidate(rule: RuleDef, r: { deviceId: number; regionCode: string; sensorType: string | null; deviceCode: string; deviceName: string; metric: string; value: number; at: Date }): Candidate | null {
  const p = rule.params as z.infer<typeof paramSchemas.sensor_threshold>;
  if (p.metric !== r.metric || (p.sensorType && p.sensorType !== r.sensorType) || !r.regionCode.startsWith(rule.regionCode)) return null;
  if (!compare[p.op](r.value, p.value)) return null;
  return {
    subject: `device:${r.deviceId}:${r.metric}`, at: r.at, regionCode: r.regionCode, quietUntil: after(r.at, p.quietMinutes * MINUTE_MS), deviceId: r.deviceId,
    facts: { deviceCode: r.deviceCode, deviceName: r.deviceName, metric: r.metric, value: r.value, op: p.op, threshold: p.value },
  };
}

/** Whole days from one civil date to another. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** Whether a subject may raise again at `at`, given when its quiet period ends (undefined: never raised). */
export function mayRaise(quietUntil: Date | null | undefined, at: Date): boolean {
  if (quietUntil === undefined) return true;
  return quietUntil !== null && quietUntil.getTime() <= at.getTime();
}
