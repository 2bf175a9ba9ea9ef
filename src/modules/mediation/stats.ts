// Statistics of disputes and petitions over the module's own records (never the case engine's tables):
// disputes received, resolved, mediation success rate, 化解率, average days to close, the backlog and its
// trend, by category, level, organisation, mediator or region; petition volume by form, repeats, first
// petitions, collective petitions and backlog cases (积案) opened and closed. Exported as XLSX (exceljs).
import ExcelJS from 'exceljs';
import type { Actor } from '../../platform/auth/actor.ts';
import { notFound } from '../../platform/errors.ts';
import { regionPrefixSql, regionScope } from '../../platform/scope.ts';
import { categoriesByCode } from '../cases/index.ts';
import type { MediationDeps } from './deps.ts';
import { mediationPolicy } from './policy.ts';
import { addDays, chinaDate } from './limits.ts';
import type { StatsQueryT } from './contracts.ts';

const DAY_MS = 86_400_000;
const startOf = (date: string) => new Date(`${date}T00:00:00+08:00`);

interface Frame { region: string; from: string; to: string; params: unknown[]; where: string }

function frameOf(deps: MediationDeps, actor: Actor, q: StatsQueryT, alias: string): Frame {
  mediationPolicy.assert(actor, 'mediation.stats');
  const region = q.region ?? actor.regionCode;
  if (!regionScope(actor).within(region)) throw notFound({ zh: `区划 ${region}`, en: `Region ${region}` });
  const to = q.to ?? chinaDate(deps.ctx.now());
  const from = q.from ?? addDays(to, -89);
  if (from > to) throw notFound({ zh: `结束早于开始的统计期间`, en: 'A period that ends before it starts' });
  const params: unknown[] = [];
  const where = regionPrefixSql(region, alias, params);
  return { region, from, to, params, where };
}

const rate = (num: number, den: number) => (den ? Math.round((num / den) * 1000) / 10 : null);

/** Per group: the counts every rate is made of (summed for the total, so the period is scanned once). */
const DISPUTE_COUNTS = (p: (v: unknown) => string, from: Date, toExcl: Date) => `
  count(*) FILTER (WHERE d.received_at >= ${p(from)} AND d.received_at < ${p(toExcl)})::int AS received,
  count(*) FILTER (WHERE d.success AND d.agreed_at >= ${p(from)} AND d.agreed_at < ${p(toExcl)})::int AS resolved,
  count(*) FILTER (WHERE d.success IS NOT NULL AND coalesce(d.agreed_at, d.failed_at) >= ${p(from)} AND coalesce(d.agreed_at, d.failed_at) < ${p(toExcl)})::int AS concluded,
  count(*) FILTER (WHERE d.success AND d.received_at >= ${p(from)} AND d.received_at < ${p(toExcl)})::int AS received_resolved,
  count(*) FILTER (WHERE d.is_open)::int AS backlog,
  count(*) FILTER (WHERE d.closed_at >= ${p(from)} AND d.closed_at < ${p(toExcl)})::int AS closed,
  coalesce(sum(round(extract(epoch FROM d.closed_at - d.received_at) * 1000000)) FILTER (WHERE d.closed_at >= ${p(from)} AND d.closed_at < ${p(toExcl)}), 0)::float8 AS closed_us,
  count(*) FILTER (WHERE d.is_open AND d.risk_score >= 50)::int AS high_risk`;

interface Counts { received: number; resolved: number; concluded: number; received_resolved: number; backlog: number; closed: number; closed_us: number; high_risk: number }

const metricsOf = (r: Counts) => ({
  received: r.received, resolved: r.resolved, concluded: r.concluded, backlog: r.backlog, highRisk: r.high_risk,
  /** 调解成功率: agreements among mediations concluded (agreement or failure) in the period. */
  successRate: rate(r.resolved, r.concluded),
  /** 化解率: disputes received in the period that were resolved. */
  resolutionRate: rate(r.received_resolved, r.received),
  averageDays: r.closed ? Math.round((Number(r.closed_us) / 86_400_000_000 / r.closed) * 10) / 10 : null,
});

const sumCounts = (rows: Counts[]): Counts => rows.reduce((t, r) => {
  for (const k of Object.keys(t) as Array<keyof Counts>) t[k] += Number(r[k]);
  return t;
}, { received: 0, resolved: 0, concluded: 0, received_resolved: 0, backlog: 0, closed: 0, closed_us: 0, high_risk: 0 });

/** The dispute figures computed from the rows (the reference the counters are tested against; regions of no level). */
export async function disputeStatsFromRows(deps: MediationDeps, actor: Actor, q: StatsQueryT) {
  const f = frameOf(deps, actor, q, 'd');
  const from = startOf(f.from);
  const toExcl = startOf(addDays(f.to, 1));
  const params = [...f.params];
  const p = (v: unknown) => { params.push(v); return `$${params.length}`; };
  const counts = DISPUTE_COUNTS(p, from, toExcl);
  // rows that matter to the period: received in it, or still open, or closed in it
  const relevant = `(d.received_at >= ${p(from)} OR d.is_open OR d.closed_at >= ${p(from)}) AND d.received_at < ${p(toExcl)}`;
  const [groups, trend] = await Promise.all([
    deps.ctx.db.query<Counts & { key: unknown }>(`SELECT ${dimensionSql(q.by, f.region)} AS key, ${counts} FROM dispute d WHERE ${f.where} AND ${relevant} GROUP BY 1`, params, { prepare: true }),
    backlogTrend(deps, f),
  ]);
  return shape(deps, f, q, groups.map((g) => ({ ...g, key: g.key == null ? null : String(g.key) })), trend);
}

function dimensionSql(by: StatsQueryT['by'], region: string): string {
  switch (by) {
    case 'category': return 'd.category_code';
    case 'level': return 'd.level';
    case 'org': return 'd.org_id';
    case 'mediator': return 'd.lead_mediator_id';
    case 'region': {
      const next = region.length < 9 ? 9 : region.length < 12 ? 12 : 16;
      return `left(d.region_code, ${next})`;
    }
  }
}

async function dimensionNames(deps: MediationDeps, by: StatsQueryT['by'], keys: string[]): Promise<Map<string, string>> {
  if (!keys.length) return new Map();
  switch (by) {
    case 'category': return new Map([...(await categoriesByCode(deps.cases, keys)).entries()].map(([k, v]) => [k, v.name.zh]));
    case 'org': return new Map((await deps.ctx.db.query<any>('SELECT id, name FROM mediation_org WHERE id = ANY($1::bigint[])', [keys.map(Number)])).map((r) => [String(r.id), r.name]));
    case 'mediator': return new Map((await deps.ctx.db.query<any>('SELECT id, name, gold FROM mediator WHERE id = ANY($1::bigint[])', [keys.map(Number)])).map((r) => [String(r.id), `${r.name}${r.gold ? '（金牌）' : ''}`]));
    case 'region': return deps.cases.regions.namesOf(keys);
    case 'level': return new Map([['district', '区级'], ['street', '街道(镇)级'], ['community', '社区(村)级']]);
  }
}

/**
 * Open disputes at the end of each week of the period: the count open at its start, plus those received
 * and minus those closed week by week (three grouped counts instead of one scan per week).
 */
async function backlogTrend(deps: MediationDeps, f: Frame) {
  const params = [...f.params];
  const p = (v: unknown) => { params.push(v); return `$${params.length}`; };
  const start = startOf(f.from);
  const end = startOf(addDays(f.to, 1));
  const week = (col: string) => `floor(extract(epoch FROM ${col} - ${p(start)}::timestamptz) / 604800)::int`;
  const rows = await deps.ctx.db.query<{ w: number | null; opened: number; closed: number; base: number }>(
    `SELECT w, sum(opened)::int AS opened, sum(closed)::int AS closed, sum(base)::int AS base FROM (
       SELECT CASE WHEN d.received_at >= ${p(start)} THEN ${week('d.received_at')} END AS w,
         (d.received_at >= ${p(start)})::int AS opened, 0 AS closed,
         (d.received_at < ${p(start)} AND (d.closed_at IS NULL OR d.closed_at >= ${p(start)}))::int AS base
       FROM dispute d WHERE ${f.where} AND d.received_at < ${p(end)} AND (d.is_open OR d.closed_at >= ${p(start)} OR d.received_at >= ${p(start)})
       UNION ALL
       SELECT ${week('d.closed_at')}, 0, 1, 0 FROM dispute d WHERE ${f.where} AND d.closed_at >= ${p(start)} AND d.closed_at < ${p(end)}
     ) x GROUP BY w`, params, { prepare: true });
  const weeks = Math.max(1, Math.ceil((end.getTime() - start.getTime()) / (7 * DAY_MS)));
  const opened = new Array(weeks).fill(0);
  const closed = new Array(weeks).fill(0);
  let open = 0;
  for (const r of rows) {
    open += Number(r.base);
    if (r.w == null) continue;
    const i = Math.min(weeks - 1, Math.max(0, Number(r.w)));
    opened[i] += Number(r.opened);
    closed[i] += Number(r.closed);
  }
  return opened.map((o, i) => {
    open += o - closed[i];
    const weekEnd = addDays(f.from, Math.min((i + 1) * 7, Math.round((end.getTime() - start.getTime()) / DAY_MS)) - 1);
    return { weekEnding: weekEnd, received: o, closed: closed[i], open };
  });
}

/** The petition figures computed from the rows (the reference the counters are tested against; regions of no level). */
export async function petitionStatsFromRows(deps: MediationDeps, actor: Actor, q: StatsQueryT) {
  const f = frameOf(deps, actor, q, 'p');
  const params = [...f.params];
  const p = (v: unknown) => { params.push(v); return `$${params.length}`; };
  const from = startOf(f.from);
  const toExcl = startOf(addDays(f.to, 1));
  const inPeriod = `p.received_at >= ${p(from)} AND p.received_at < ${p(toExcl)}`;
  const [r] = await deps.ctx.db.query<any>(
    `SELECT count(*) FILTER (WHERE ${inPeriod})::int AS received,
       count(*) FILTER (WHERE ${inPeriod} AND p.form = 'letter')::int AS letters,
       count(*) FILTER (WHERE ${inPeriod} AND p.form = 'visit')::int AS visits,
       count(*) FILTER (WHERE ${inPeriod} AND p.form = 'call')::int AS calls,
       count(*) FILTER (WHERE ${inPeriod} AND p.form = 'online')::int AS online,
       count(*) FILTER (WHERE ${inPeriod} AND p.first_time)::int AS first_time,
       count(*) FILTER (WHERE ${inPeriod} AND p.repeat_kind = 'same_person_and_matter')::int AS repeats,
       count(*) FILTER (WHERE ${inPeriod} AND p.petitioners >= 5)::int AS collective,
       count(*) FILTER (WHERE p.concluded_at >= ${p(from)} AND p.concluded_at < ${p(toExcl)})::int AS concluded,
       count(*) FILTER (WHERE p.is_open)::int AS open,
       count(*) FILTER (WHERE p.backlog AND p.is_open)::int AS backlog_open,
       count(*) FILTER (WHERE p.backlog_closed_at >= ${p(from)} AND p.backlog_closed_at < ${p(toExcl)})::int AS backlog_closed,
       count(*) FILTER (WHERE p.accepted_at IS NOT NULL AND ${inPeriod} AND (p.accepted_at AT TIME ZONE 'Asia/Shanghai')::date <= p.accept_due_on)::int AS accepted_on_time,
       count(*) FILTER (WHERE p.accepted_at IS NOT NULL AND ${inPeriod})::int AS accepted
     FROM petition p WHERE ${f.where} AND (p.received_at >= ${p(from)} OR p.is_open OR p.concluded_at >= ${p(from)} OR p.backlog_closed_at >= ${p(from)}) AND p.received_at < ${p(toExcl)}`,
    params, { prepare: true });
  return petitionShape(f, r, await overdueCount(deps, f));
}

const LABELS: Record<string, string> = { category: '纠纷类型', level: '层级', org: '调解组织', mediator: '调解员', region: '区域' };

const sumOf = (c: Counts) => c.received + c.resolved + c.concluded + c.received_resolved + c.backlog + c.closed + c.high_risk;

/** Totals, and the groups with anything to count (the 200 largest), named. */
async function shape(deps: MediationDeps, f: Frame, q: StatsQueryT, all: Array<Counts & { key: string | null }>, trend: Awaited<ReturnType<typeof backlogTrend>>) {
  const groups = all.map((g) => { const c = { ...g }; for (const k of COUNT_KEYS) c[k] = Number(g[k]); return c; }).filter((g) => sumOf(g) > 0);
  groups.sort((a, b) => b.received - a.received || b.backlog - a.backlog || String(a.key).localeCompare(String(b.key)));
  const shown = groups.slice(0, 200);
  const names = await dimensionNames(deps, q.by, shown.map((g) => g.key).filter((k): k is string => k != null));
  return {
    region: f.region, from: f.from, to: f.to, by: q.by,
    total: metricsOf(sumCounts(groups)),
    groups: shown.map((g) => ({ key: g.key, name: g.key == null ? null : names.get(g.key) ?? g.key, ...metricsOf(g) })),
    trend,
  };
}
const COUNT_KEYS = ['received', 'resolved', 'concluded', 'received_resolved', 'backlog', 'closed', 'closed_us', 'high_risk'] as const;

function petitionShape(f: Frame, r: any, overdue: number) {
  const n = (k: string) => Number(r[k] ?? 0);
  return {
    region: f.region, from: f.from, to: f.to,
    received: n('received'), byForm: { letter: n('letters'), visit: n('visits'), call: n('calls'), online: n('online') },
    firstTime: n('first_time'), repeats: n('repeats'), repeatRate: rate(n('repeats'), n('received')), collective: n('collective'),
    concluded: n('concluded'), open: n('open'), backlogOpen: n('backlog_open'), backlogClosed: n('backlog_closed'),
    acceptedOnTimeRate: rate(n('accepted_on_time'), n('accepted')),
    /** Open petitions past the time limit of their current step (now, whatever the period). */
    overdue,
  };
}

// ---------------------------------------------------------------------------------------------
// From the counters (dispute_tally, petition_tally: migration 0064, kept by triggers in the writing
// transaction). A period is read as whole months, whole 旬 (1st–10th, 11th–20th, 21st–end) and single days.

interface Buckets { m: string[]; x: string[]; d: string[] }

const monthStart = (date: string) => `${date.slice(0, 8)}01`;
const nextMonth = (date: string) => { const d = new Date(`${monthStart(date)}T00:00:00Z`); d.setUTCMonth(d.getUTCMonth() + 1); return d.toISOString().slice(0, 10); };
const xunStart = (date: string) => { const day = Number(date.slice(8)); return `${date.slice(0, 8)}${day <= 10 ? '01' : day <= 20 ? '11' : '21'}`; };
const nextXun = (date: string) => { const day = Number(date.slice(8)); return day <= 10 ? `${date.slice(0, 8)}11` : day <= 20 ? `${date.slice(0, 8)}21` : nextMonth(date); };

/** The fewest buckets that cover [from, to] exactly (inclusive China dates). */
export function bucketsOf(from: string, to: string): Buckets {
  const out: Buckets = { m: [], x: [], d: [] };
  let at = from;
  while (at <= to) {
    if (at === monthStart(at) && addDays(nextMonth(at), -1) <= to) { out.m.push(at); at = nextMonth(at); }
    else if (at === xunStart(at) && addDays(nextXun(at), -1) <= to) { out.x.push(at); at = nextXun(at); }
    else { out.d.push(at); at = addDays(at, 1); }
  }
  return out;
}

/**
 * The counters' scope for a region: a district or a street. A community or a grid has a few hundred records
 * a year, counted from the rows through its index as fast as from counters (and without their writes).
 */
const scopeOf = (region: string) => ([6, 9].includes(region.length) ? region : null);

/** SQL selecting the buckets of the period (`inp`) and of everything before it (`pre`). */
function bucketSql(from: string, to: string, p: (v: unknown) => string) {
  const period = bucketsOf(from, to);
  const ms = monthStart(from);
  const before = from > ms ? bucketsOf(ms, addDays(from, -1)) : { m: [], x: [], d: [] };
  const any = (b: Buckets) => `((t.tier = 'm' AND t.bucket = ANY(${p(b.m)}::date[])) OR (t.tier = 'x' AND t.bucket = ANY(${p(b.x)}::date[])) OR (t.tier = 'd' AND t.bucket = ANY(${p(b.d)}::date[])))`;
  let inp: string | undefined, pre: string | undefined; // placeholders only for what the query uses
  return {
    get inp() { return (inp ??= any(period)); },
    get pre() { return (pre ??= `((t.tier = 'm' AND t.bucket < ${p(ms)}::date) OR ${any(before)})`); },
  };
}

export async function disputeStats(deps: MediationDeps, actor: Actor, q: StatsQueryT) {
  const f = frameOf(deps, actor, q, 'd');
  const scope = scopeOf(f.region);
  if (!scope) return disputeStatsFromRows(deps, actor, q);
  const sql = (build: (p: (v: unknown) => string) => string) => {
    const params: unknown[] = [];
    const text = build((v) => { params.push(v); return `$${params.length}`; });
    return [text, params] as const;
  };
  const head = (p: (v: unknown) => string) => `t.district_code = ${p(scope.slice(0, 6))} AND t.scope = ${p(scope)}`;
  const [groupsSql, groupsParams] = sql((p) => {
    const { inp, pre } = bucketSql(f.from, f.to, p);
    return `SELECT t.value AS key,
      coalesce(sum(t.received) FILTER (WHERE i), 0)::int AS received, coalesce(sum(t.resolved) FILTER (WHERE i), 0)::int AS resolved,
      coalesce(sum(t.concluded) FILTER (WHERE i), 0)::int AS concluded, coalesce(sum(t.received_resolved) FILTER (WHERE i), 0)::int AS received_resolved,
      coalesce(sum(t.closed) FILTER (WHERE i), 0)::int AS closed, coalesce(sum(t.closed_us) FILTER (WHERE i), 0)::float8 AS closed_us,
      sum(t.open)::int AS backlog, sum(t.high_risk)::int AS high_risk
    FROM (SELECT t.*, ${inp} AS i FROM dispute_tally t WHERE ${head(p)} AND t.dim = ${p(q.by)} AND (${inp} OR ${pre})) t GROUP BY t.value`;
  });
  // the weekly trend from the level dimension (at most four values): each day of the period, and the open count before it
  const [trendSql, trendParams] = sql((p) => {
    const { pre } = bucketSql(f.from, f.to, p);
    const from = p(f.from);
    return `SELECT CASE WHEN t.tier = 'd' AND t.bucket >= ${from}::date THEN (t.bucket - ${from}::date) END AS day,
      sum(t.received)::int AS received, sum(t.closed)::int AS closed
    FROM dispute_tally t WHERE ${head(p)} AND t.dim = 'level'
      AND ((t.tier = 'd' AND t.bucket >= ${from}::date AND t.bucket <= ${p(f.to)}::date) OR ${pre}) GROUP BY 1`;
  });
  const [rows, trendRows] = await Promise.all([
    deps.ctx.db.query<Counts & { key: string }>(groupsSql, groupsParams, { prepare: true }),
    deps.ctx.db.query<{ day: number | null; received: number; closed: number }>(trendSql, trendParams, { prepare: true }),
  ]);
  return shape(deps, f, q, rows.map((r) => ({ ...r, key: r.key === '' ? null : r.key })), trendOfDays(f, trendRows));
}

function trendOfDays(f: Frame, rows: Array<{ day: number | null; received: number; closed: number }>) {
  const days = Math.round((startOf(addDays(f.to, 1)).getTime() - startOf(f.from).getTime()) / DAY_MS);
  const weeks = Math.max(1, Math.ceil(days / 7));
  const opened = new Array(weeks).fill(0);
  const closed = new Array(weeks).fill(0);
  let open = 0;
  for (const r of rows) {
    if (r.day == null) { open += Number(r.received) - Number(r.closed); continue; }
    const i = Math.min(weeks - 1, Math.floor(Number(r.day) / 7));
    opened[i] += Number(r.received);
    closed[i] += Number(r.closed);
  }
  return opened.map((o, i) => {
    open += o - closed[i];
    return { weekEnding: addDays(f.from, Math.min((i + 1) * 7, days) - 1), received: o, closed: closed[i], open };
  });
}

export async function petitionStats(deps: MediationDeps, actor: Actor, q: StatsQueryT) {
  const f = frameOf(deps, actor, q, 'p');
  const scope = scopeOf(f.region);
  if (!scope) return petitionStatsFromRows(deps, actor, q);
  const params: unknown[] = [];
  const p = (v: unknown) => { params.push(v); return `$${params.length}`; };
  const { inp, pre } = bucketSql(f.from, f.to, p);
  const cols = ['received', 'letters', 'visits', 'calls', 'online', 'first_time', 'repeats', 'collective', 'accepted', 'accepted_on_time', 'concluded', 'backlog_closed'];
  const [[r], overdue] = await Promise.all([
    deps.ctx.db.query<any>(
      `SELECT ${cols.map((c) => `coalesce(sum(t.${c}) FILTER (WHERE i), 0)::int AS ${c}`).join(', ')},
         coalesce(sum(t.open), 0)::int AS open, coalesce(sum(t.backlog_open), 0)::int AS backlog_open
       FROM (SELECT t.*, ${inp} AS i FROM petition_tally t WHERE t.district_code = ${p(scope.slice(0, 6))} AND t.scope = ${p(scope)} AND (${inp} OR ${pre})) t`,
      params, { prepare: true }),
    overdueCount(deps, f),
  ]);
  return petitionShape(f, r, overdue);
}

/** Open petitions received by the end of the period that are past the last day of their current step today. */
async function overdueCount(deps: MediationDeps, f: Frame): Promise<number> {
  const params = [...f.params];
  const p = (v: unknown) => { params.push(v); return `$${params.length}`; };
  const [r] = await deps.ctx.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM petition p WHERE ${f.where} AND p.is_open AND p.due_on < ${p(chinaDate(deps.ctx.now()))}::date
       AND p.received_at < ${p(startOf(addDays(f.to, 1)))}`, params, { prepare: true });
  return r?.n ?? 0;
}

export async function statsWorkbook(deps: MediationDeps, actor: Actor, q: StatsQueryT): Promise<Buffer> {
  const [d, pt] = await Promise.all([disputeStats(deps, actor, q), petitionStats(deps, actor, q)]);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'gongzhi';
  const head = (ws: ExcelJS.Worksheet, cols: Array<[string, number]>) => {
    ws.columns = cols.map(([header, width]) => ({ header, width }));
    ws.getRow(1).font = { bold: true };
  };
  const overview = wb.addWorksheet('总览');
  head(overview, [['指标', 24], ['数值', 16]]);
  const t = d.total;
  for (const row of [
    ['统计区域', d.region], ['统计期间', `${d.from} 至 ${d.to}`], ['受理纠纷(件)', t.received], ['化解成功(件)', t.resolved], ['调解终结(件)', t.concluded],
    ['调解成功率(%)', t.successRate], ['化解率(%)', t.resolutionRate], ['平均办结天数', t.averageDays], ['在办积存(件)', t.backlog], ['高风险在办(件)', t.highRisk],
    ['信访受理(件)', pt.received], ['来信', pt.byForm.letter], ['来访', pt.byForm.visit], ['来电', pt.byForm.call], ['网上信访', pt.byForm.online],
    ['初信初访', pt.firstTime], ['超期未办', pt.overdue], ['重复信访', pt.repeats], ['重复信访率(%)', pt.repeatRate], ['集体访', pt.collective], ['信访积案在办', pt.backlogOpen], ['信访积案化解', pt.backlogClosed],
  ]) overview.addRow(row);
  const groups = wb.addWorksheet(`按${LABELS[q.by]}`);
  head(groups, [[LABELS[q.by], 28], ['受理', 10], ['化解成功', 10], ['调解终结', 10], ['调解成功率(%)', 14], ['化解率(%)', 12], ['平均天数', 10], ['在办', 10], ['高风险', 10]]);
  for (const g of d.groups) groups.addRow([g.name ?? '未分流', g.received, g.resolved, g.concluded, g.successRate, g.resolutionRate, g.averageDays, g.backlog, g.highRisk]);
  const trend = wb.addWorksheet('积案趋势');
  head(trend, [['周末日期', 14], ['新受理', 10], ['办结', 10], ['在办', 10]]);
  for (const w of d.trend) trend.addRow([w.weekEnding, w.received, w.closed, w.open]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
