// Indicators for the command-centre dashboard and map (指挥大屏): counts over the cases in scope.
// Every query starts from visibilitySql, the one scope predicate of the case module, so a dashboard
// can never count what its viewer may not open. No HTTP types here.
import type { Actor } from '../../platform/auth/actor.ts';
import { notFound, unprocessable } from '../../platform/errors.ts';
import { regionPrefixSql, regionScope } from '../../platform/scope.ts';
import { lightAt } from './clock.ts';
import { visibilitySql } from './visibility.ts';
import { actionLabel, stateLabel } from './views.ts';
import type { CaseDeps, RegionRef } from './deps.ts';
import type { CaseTypeRegistry } from './registry.ts';
import { inboxGroups, type CaseTypeDef, type StateDef, type SystemFact } from './definition.ts';

const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3600_000;

/** Days since 1970-01-01 of the Asia/Shanghai civil date of an instant (China has no DST). */
export const shanghaiDay = (ms: number) => Math.floor((ms + SHANGHAI_OFFSET_MS) / DAY_MS);
/** The instant a Shanghai civil day starts. */
export const shanghaiDayStart = (day: number) => new Date(day * DAY_MS - SHANGHAI_OFFSET_MS);
export const civilDate = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
/** SQL for the Shanghai civil day number of a timestamptz column; the same arithmetic on both engines. */
const daySql = (col: string) => `floor((extract(epoch from ${col}) + ${SHANGHAI_OFFSET_MS / 1000}) / 86400)::int`;


/** Stats are for staff; residents follow their own cases instead. */
export function assertMayReadStats(deps: CaseDeps, actor: Actor): void {
  deps.policy.assert(actor, 'stats.read');
}

/**
 * The region a query is about: the actor's own region by default, or one under it. A region outside
 * the actor's scope looks exactly like one that does not exist.
 */
export async function resolveStatsRegion(deps: CaseDeps, actor: Actor, code?: string): Promise<RegionRef> {
  const target = code ?? actor.regionCode;
  if (!regionScope(actor).within(target)) throw notFound({ zh: `区划 ${target}`, en: `Region ${target}` });
  const r = await deps.regions.find(target);
  if (!r) throw notFound({ zh: `区划 ${target}`, en: `Region ${target}` });
  return r;
}

/** "Cases the actor may see, under the region": the WHERE clause every stats query starts from. */
function scopedWhere(actor: Actor, region: string, params: unknown[]): string {
  return `${visibilitySql(actor, params)} AND ${regionPrefixSql(region, 'c', params)}`;
}

const rate = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null);

/** A rate with the counts behind it: `count` of `of` (null when there is nothing to count). */
export interface Kpi { rate: number | null; count: number; of: number }
const kpi = (count: number, of: number): Kpi => ({ rate: rate(count, of), count, of });

// A paused step has no due instant, so it is never overdue; an ended case counts as closed when its
// type's terminal state says it was resolved (the definitions set `outcome`).
const OVERDUE_NOW = (n: string) => `c.is_open AND c.due_at < ${n}`;
const CLOSED_IN = (from: string, to: string) => `c.outcome = 'resolved' AND c.closed_at >= ${from} AND c.closed_at < ${to}`;

/**
 * System facts that do not carry the case's own step deadline: a duplicate merged in (no deadline) and a
 * summoned unit's missed report-in (its own deadline). Every other flow record carries the deadline in force
 * after it (`due_at`: the step's due instant; null while paused or once ended).
 */
const NOT_THE_CASE_CLOCK: SystemFact[] = ['merged_in', 'whistle_overdue'];

/**
 * A step of the case ended late: some flow record came after the deadline in force before it (the due
 * instant the previous record left). That is the record that ended an overdue step, or anything done while
 * it was overdue (催办, the scheduler's 超期 fact). Read from the flow records' deadlines, so a step that
 * ended late counts even when the overdue scheduler never ran in between. `facts` is the parameter holding
 * NOT_THE_CASE_CLOCK.
 */
const LATE_STEP = (facts: string) => `EXISTS (SELECT 1 FROM (
    SELECT f.at, lag(f.due_at) OVER (ORDER BY f.seq) AS due_before FROM flow_record f
    WHERE f.case_id = c.id AND f.district_code = c.district_code AND f.action <> ALL(${facts}::text[])) s
  WHERE s.at > s.due_before)`;

/** A state filed in the 待签收 inbox group whose clock runs (a time limit to sign for it). */
const awaitsSigning = (s: StateDef) => s.inbox != null && inboxGroups[s.inbox] === inboxGroups.sign && typeof s.clock === 'object';

/**
 * What the 三率 read from the case-type definitions, per type and version, as rows (type, version, kind,
 * name) for an SQL table: the states where a dispatched case waits to be signed for under a time limit
 * (待签收 with a clock), the paused states, the terminal states, and the actions by which the unit the case
 * was dispatched to answers the dispatch (its lead unit's actions from such a state: 签收, 退回, 再派遣 …).
 */
type RuleKind = 'awaits_signing' | 'pauses' | 'ends' | 'answers_dispatch';
function kpiRules(types: CaseTypeRegistry): [string[], number[], string[], string[]] {
  const out: [string[], number[], string[], string[]] = [[], [], [], []];
  const add = (d: CaseTypeDef, kind: RuleKind, name: string) => { out[0].push(d.type); out[1].push(d.version); out[2].push(kind); out[3].push(name); };
  for (const d of types.all()) {
    const signing = Object.entries(d.states).filter(([, s]) => awaitsSigning(s)).map(([n]) => n);
    for (const n of signing) add(d, 'awaits_signing', n);
    for (const [n, s] of Object.entries(d.states)) {
      if (s.clock === 'paused') add(d, 'pauses', n);
      if (s.terminal) add(d, 'ends', n);
    }
    const answers = new Set(d.actions.filter((a) => a.roles !== 'system' && a.party === 'lead_unit' && a.from.some((f) => signing.includes(f))).map((a) => a.name));
    for (const n of answers) add(d, 'answers_dispatch', n);
  }
  return out;
}

/** SQL: the rule table of kpiRules, from four array parameters. */
const RULES = (p: (i: number) => string, first: number) =>
  `kpi_rule AS (SELECT * FROM unnest(${p(first)}::text[], ${p(first + 1)}::int[], ${p(first + 2)}::text[], ${p(first + 3)}::text[]) AS k(type, version, kind, name))`;
/** SQL: whether `name` is of `kind` for the case `c`'s type and version. */
const IS = (kind: RuleKind, name: string, c = 'c') =>
  `EXISTS (SELECT 1 FROM kpi_rule k WHERE k.type = ${c}.type AND k.version = ${c}.workflow_version AND k.kind = '${kind}' AND k.name = ${name})`;

export interface OverviewQuery { region?: string; days: number }

export async function overview(deps: CaseDeps, actor: Actor, q: OverviewQuery) {
  assertMayReadStats(deps, actor);
  const { db } = deps.ctx;
  const region = await resolveStatsRegion(deps, actor, q.region);
  const now = deps.ctx.now();
  const today = shanghaiDay(now.getTime());
  const firstDay = today - (q.days - 1);
  const periodStart = shanghaiDayStart(firstDay);
  const todayStart = shanghaiDayStart(today);
  const end = shanghaiDayStart(today + 1);

  const base: unknown[] = [];
  const where = scopedWhere(actor, region.code, base);
  const at = (extra: unknown[]) => {
    const params = [...base, ...extra];
    const n = base.length;
    return { params, p: (i: number) => `$${n + i + 1}` };
  };

  // Totals: today, open, overdue, and the period's closures, on time when no step ran past its deadline.
  const t = at([todayStart, end, now, periodStart, NOT_THE_CASE_CLOCK]);
  const [totals] = await db.query<any>(
    `SELECT
       count(*) FILTER (WHERE c.created_at >= ${t.p(0)} AND c.created_at < ${t.p(1)})::int AS today_intake,
       count(*) FILTER (WHERE ${CLOSED_IN(t.p(0), t.p(1))})::int AS today_closed,
       count(*) FILTER (WHERE c.is_open)::int AS open,
       count(*) FILTER (WHERE ${OVERDUE_NOW(t.p(2))})::int AS overdue,
       count(*) FILTER (WHERE ${CLOSED_IN(t.p(3), t.p(1))})::int AS closed,
       count(*) FILTER (WHERE ${CLOSED_IN(t.p(3), t.p(1))} AND NOT ${LATE_STEP(t.p(4))})::int AS closed_on_time
     FROM "case" c
     WHERE ${where} AND (c.is_open OR c.created_at >= ${t.p(3)} OR c.closed_at >= ${t.p(3)})`, t.params);

  // 满意率 per 12345 practice: (满意 + 基本满意) / 参评, over the ratings given in the period. Ratings are
  // read from the flow records, because an unsatisfied rating is cleared from the case when it is redone.
  // 解决率's unsolved: cases whose rating in the period did not end them (不满意 → 重办) and that were not
  // resolved later in the period.
  const rules = kpiRules(deps.types);
  const s = at([periodStart, end, ...rules]);
  const [sat] = await db.query<{ good: number; rated: number; unsolved: number }>(
    `WITH ${RULES(s.p, 2)}
     SELECT count(*) FILTER (WHERE f.data->>'rating' IN ('satisfied', 'basically_satisfied'))::int AS good, count(*)::int AS rated,
       count(DISTINCT c.id) FILTER (WHERE NOT ${IS('ends', 'f.to_state')} AND NOT coalesce(${CLOSED_IN(s.p(0), s.p(1))}, false))::int AS unsolved
     FROM flow_record f JOIN "case" c ON c.id = f.case_id
     WHERE ${where} AND f.data->>'rating' IS NOT NULL AND f.at >= ${s.p(0)} AND f.at < ${s.p(1)}`, s.params);

  const response = await responseCounts(deps, where, at, rules, periodStart, end, now);
  const overdueAt = await overdueByDay(deps, where, at, firstDay, today, periodStart, now);

  const d = at([periodStart, end]);
  const dayRows = await db.query<{ d: number; intake: number; closed: number }>(
    `SELECT d, sum(intake)::int AS intake, sum(closed)::int AS closed FROM (
       SELECT ${daySql('c.created_at')} AS d, 1 AS intake, 0 AS closed FROM "case" c
       WHERE ${where} AND c.created_at >= ${d.p(0)} AND c.created_at < ${d.p(1)}
       UNION ALL
       SELECT ${daySql('c.closed_at')} AS d, 0 AS intake, 1 AS closed FROM "case" c
       WHERE ${where} AND ${CLOSED_IN(d.p(0), d.p(1))}
     ) x GROUP BY d`, d.params);
  const byDayMap = new Map(dayRows.map((r) => [Number(r.d), r]));
  const byDay = [];
  for (let day = firstDay; day <= today; day++) {
    const r = byDayMap.get(day);
    byDay.push({ date: civilDate(day), intake: r?.intake ?? 0, closed: r?.closed ?? 0, overdue: overdueAt[day - firstDay] });
  }

  // The period's intake by top-level category (a code starts with its parent's code).
  const cat = at([periodStart, end]);
  const byCategory = (await db.query<any>(
    `SELECT r.code, r.name_zh, r.name_en, count(*)::int AS n FROM "case" c
     JOIN category r ON r.parent_code IS NULL AND left(c.category_code, length(r.code)) = r.code
     WHERE ${where} AND c.created_at >= ${cat.p(0)} AND c.created_at < ${cat.p(1)}
     GROUP BY r.code, r.name_zh, r.name_en ORDER BY n DESC, r.code`, cat.params))
    .map((r) => ({ code: r.code, name: { zh: r.name_zh, en: r.name_en }, count: r.n }));

  // By lead unit: what it holds now, what is overdue, and its closures in the period.
  const u = at([now, periodStart, end, NOT_THE_CASE_CLOCK]);
  const byUnit = (await db.query<any>(
    `SELECT c.lead_unit_id AS unit_id, un.name, un.name_en,
       count(*) FILTER (WHERE c.is_open)::int AS open,
       count(*) FILTER (WHERE ${OVERDUE_NOW(u.p(0))})::int AS overdue,
       count(*) FILTER (WHERE ${CLOSED_IN(u.p(1), u.p(2))})::int AS closed,
       count(*) FILTER (WHERE ${CLOSED_IN(u.p(1), u.p(2))} AND NOT ${LATE_STEP(u.p(3))})::int AS closed_on_time
     FROM "case" c JOIN unit un ON un.id = c.lead_unit_id
     WHERE ${where} AND (c.is_open OR ${CLOSED_IN(u.p(1), u.p(2))})
     GROUP BY c.lead_unit_id, un.name, un.name_en ORDER BY open DESC, overdue DESC, c.lead_unit_id`, u.params))
    .map((r) => ({
      unitId: r.unit_id, name: r.name, nameEn: r.name_en, open: r.open, overdue: r.overdue, closed: r.closed,
      closedOnTime: r.closed_on_time, onTimeRate: rate(r.closed_on_time, r.closed),
    }));

  const resolved = totals.closed;
  return {
    region: { code: region.code, name: region.name, level: region.level },
    period: { days: q.days, from: civilDate(firstDay), to: civilDate(today) },
    today: { intake: totals.today_intake, closed: totals.today_closed },
    open: totals.open,
    overdue: totals.overdue,
    closed: totals.closed,
    onTimeRate: rate(totals.closed_on_time, totals.closed),
    satisfactionRate: rate(sat.good, sat.rated),
    rated: sat.rated,
    /** The period's rates, each with the counts behind it (docs/kpi.md). */
    rates: {
      onTime: kpi(totals.closed_on_time, totals.closed),
      response: kpi(response.onTime, response.due),
      resolution: kpi(resolved, resolved + sat.unsolved),
      satisfaction: kpi(sat.good, sat.rated),
    },
    byDay,
    byCategory,
    byUnit,
    byRegion: await byChildRegion(deps, actor, region.code, where, base, now, periodStart, end),
  };
}

type At = (extra: unknown[]) => { params: unknown[]; p: (i: number) => string };

/**
 * 响应率: the dispatches of the period (a case entering a 待签收 state with a time limit, not coming back
 * from a pause), and how many the unit answered in time — its first action from that state (签收, 退回,
 * 再派遣 …) at or before the deadline then in force. A dispatch not yet answered counts once its deadline
 * has passed (late); before that it is not counted yet.
 */
async function responseCounts(
  deps: CaseDeps, where: string, at: At, rules: [string[], number[], string[], string[]], from: Date, end: Date, now: Date,
): Promise<{ onTime: number; due: number }> {
  const r = at([from, end, now, NOT_THE_CASE_CLOCK, ...rules]);
  const [row] = await deps.ctx.db.query<{ on_time: number; due: number }>(
    `WITH ${RULES(r.p, 4)},
     cand AS (
       SELECT c.id, c.district_code, c.type, c.workflow_version, c.state, c.due_at FROM "case" c
       WHERE ${where} AND (c.is_open OR c.closed_at >= ${r.p(0)}) AND c.created_at < ${r.p(1)}
     ),
     steps AS (
       SELECT f.case_id, f.seq, f.at, lag(f.due_at) OVER (PARTITION BY f.case_id ORDER BY f.seq) AS due_before,
         ${IS('awaits_signing', 'f.to_state', 'c')} AS to_signing,
         ${IS('awaits_signing', 'f.from_state', 'c')} AS from_signing,
         ${IS('pauses', 'f.from_state', 'c')} AS from_pause,
         ${IS('answers_dispatch', 'f.action', 'c')} AS answering,
         f.from_state IS DISTINCT FROM f.to_state AS moved
       FROM flow_record f JOIN cand c ON c.id = f.case_id AND c.district_code = f.district_code
       WHERE f.action <> ALL(${r.p(3)}::text[])
     ),
     marked AS (
       SELECT case_id, seq, at, due_before,
         (to_signing AND NOT from_pause AND (moved OR (from_signing AND answering))) AS dispatch,
         (from_signing AND answering) AS answer
       FROM steps
     ),
     numbered AS (
       SELECT *, sum(CASE WHEN dispatch THEN 1 ELSE 0 END) OVER (PARTITION BY case_id ORDER BY seq) AS episode FROM marked
     ),
     answers AS (
       SELECT DISTINCT ON (case_id, ep) case_id, ep, at, due_before FROM (
         SELECT case_id, seq, at, due_before, episode - CASE WHEN dispatch THEN 1 ELSE 0 END AS ep FROM numbered WHERE answer
       ) x ORDER BY case_id, ep, seq
     ),
     latest AS (SELECT case_id, max(episode) AS episode FROM numbered GROUP BY case_id)
     SELECT
       count(*) FILTER (WHERE a.case_id IS NOT NULL AND (a.due_before IS NULL OR a.at <= a.due_before))::int AS on_time,
       count(*) FILTER (WHERE a.case_id IS NOT NULL
         OR (l.episode = d.episode AND ${IS('awaits_signing', 'c.state', 'c')} AND c.due_at < ${r.p(2)}))::int AS due
     FROM numbered d
     JOIN cand c ON c.id = d.case_id
     JOIN latest l ON l.case_id = d.case_id
     LEFT JOIN answers a ON a.case_id = d.case_id AND a.ep = d.episode
     WHERE d.dispatch AND d.at >= ${r.p(0)} AND d.at < ${r.p(1)}`, r.params);
  return { onTime: row.on_time, due: row.due };
}

/**
 * The open overdue count at the end of each day of the period (today: now), from the flow records: a case
 * is overdue at an instant when the record in force then (the latest at or before it) left a deadline that
 * had passed. Today's figure is the `overdue` of the overview.
 */
async function overdueByDay(
  deps: CaseDeps, where: string, at: At, firstDay: number, today: number, periodStart: Date, now: Date,
): Promise<number[]> {
  const instants: Date[] = [];
  for (let day = firstDay; day < today; day++) instants.push(shanghaiDayStart(day + 1));
  instants.push(now);
  const r = at([periodStart, now, NOT_THE_CASE_CLOCK, instants]);
  const rows = await deps.ctx.db.query<{ i: number; n: number }>(
    `WITH cand AS (
       SELECT c.id, c.district_code FROM "case" c WHERE ${where} AND (c.is_open OR c.closed_at >= ${r.p(0)}) AND c.created_at <= ${r.p(1)}
     ),
     rec AS (
       SELECT f.case_id, f.at, f.due_at, lead(f.at) OVER (PARTITION BY f.case_id ORDER BY f.seq) AS next_at
       FROM flow_record f JOIN cand c ON c.id = f.case_id AND c.district_code = f.district_code
       WHERE f.action <> ALL(${r.p(2)}::text[])
     )
     SELECT t.i::int AS i, count(DISTINCT rec.case_id)::int AS n
     FROM unnest(${r.p(3)}::timestamptz[]) WITH ORDINALITY AS t(at, i)
     LEFT JOIN rec ON rec.due_at IS NOT NULL AND rec.at <= t.at AND rec.due_at < t.at AND (rec.next_at IS NULL OR rec.next_at > t.at)
     GROUP BY t.i`, r.params);
  const byIndex = new Map(rows.map((x) => [Number(x.i), x.n]));
  return instants.map((_, i) => byIndex.get(i + 1) ?? 0);
}

/** Drill-down: the region's children (city → district → street → community → grid) with their counts. */
async function byChildRegion(
  deps: CaseDeps, actor: Actor, region: string, where: string, base: unknown[], now: Date, periodStart: Date, end: Date,
) {
  const { db } = deps.ctx;
  const children = await deps.regions.childrenOf(region);
  if (!children.length) return [];
  const counts = new Map<string, { open: number; overdue: number; total: number }>();
  for (const len of new Set(children.map((c) => c.code.length))) {
    const params = [...base, len, now, periodStart, end];
    const n = base.length;
    const rows = await db.query<any>(
      `SELECT left(c.region_code, $${n + 1}::int) AS code,
         count(*) FILTER (WHERE c.is_open)::int AS open,
         count(*) FILTER (WHERE ${OVERDUE_NOW(`$${n + 2}`)})::int AS overdue,
         count(*) FILTER (WHERE c.created_at >= $${n + 3} AND c.created_at < $${n + 4})::int AS total
       FROM "case" c WHERE ${where} AND (c.is_open OR c.created_at >= $${n + 3})
       GROUP BY 1`, params);
    for (const r of rows) counts.set(r.code, { open: r.open, overdue: r.overdue, total: r.total });
  }
  return children.map((c) => ({ code: c.code, name: c.name, level: c.level, ...(counts.get(c.code) ?? { open: 0, overdue: 0, total: 0 }) }));
}

export interface ActivityQuery { region?: string; limit: number }

/**
 * The latest steps on the cases in scope, newest first, for the big screen's live feed: what happened (the
 * action, by which unit, to which case), where (the street, community and grid by name) and when.
 */
export async function recentActivity(deps: CaseDeps, actor: Actor, q: ActivityQuery) {
  assertMayReadStats(deps, actor);
  const { db } = deps.ctx;
  const region = await resolveStatsRegion(deps, actor, q.region);
  const params: unknown[] = [];
  const where = scopedWhere(actor, region.code, params);
  // newest records first by their identity (the order they were written), each joined to its case in scope
  const rows = await db.query<any>(
    `SELECT f.id, f.case_id, f.action, f.at, f.actor_kind, c.case_no, c.title, c.type, c.workflow_version, c.region_code,
       c.street_code, c.community_code, u.name AS unit_name, u.name_en AS unit_name_en
     FROM flow_record f JOIN "case" c ON c.id = f.case_id AND c.district_code = f.district_code
     LEFT JOIN unit u ON u.id = f.actor_unit_id
     WHERE ${where} ORDER BY f.id DESC LIMIT ${q.limit}`, params);
  const codes = [...new Set(rows.flatMap((r) => [r.street_code, r.community_code, r.region_code]).filter(Boolean))];
  const places = new Map((codes.length ? await db.query<{ code: string; name: string; short_name: string | null; level: string }>(
    'SELECT code, name, short_name, level FROM region WHERE code = ANY($1::text[])', [codes]) : [])
    .map((r) => [r.code, { code: r.code, name: r.short_name || r.name, level: r.level }]));
  return {
    region: { code: region.code, name: region.name, level: region.level },
    items: rows.map((r) => {
      const def = deps.types.get(r.type, r.workflow_version);
      // the full path: street, community, grid (by their short names)
      const path = [...new Set([r.street_code, r.community_code, r.region_code].filter(Boolean))]
        .map((code) => places.get(code)).filter((x) => !!x);
      return {
        id: Number(r.id), caseId: Number(r.case_id), caseNo: r.case_no, title: r.title,
        action: r.action, actionLabel: actionLabel(deps.types, def, r.action),
        unit: r.unit_name ? { name: r.unit_name, nameEn: r.unit_name_en } : null, bySystem: r.actor_kind === 'system',
        place: path, at: new Date(r.at).toISOString(),
      };
    }),
  };
}

/** Open and overdue cases per grid under a region, for colouring the grid polygons. */
export async function gridStats(deps: CaseDeps, actor: Actor, q: { region?: string }) {
  assertMayReadStats(deps, actor);
  const { db } = deps.ctx;
  const region = await resolveStatsRegion(deps, actor, q.region);
  const grids = (await deps.regions.gridsUnder(region.code)).map((code) => ({ code }));
  const params: unknown[] = [];
  const where = scopedWhere(actor, region.code, params);
  params.push(deps.ctx.now());
  const rows = await db.query<{ code: string; open: number; overdue: number }>(
    `SELECT c.region_code AS code, count(*)::int AS open, count(*) FILTER (WHERE ${OVERDUE_NOW(`$${params.length}`)})::int AS overdue
     FROM "case" c WHERE ${where} AND c.is_open GROUP BY c.region_code`, params);
  const by = new Map(rows.map((r) => [r.code, r]));
  return {
    region: { code: region.code, name: region.name, level: region.level },
    items: grids.map((g) => {
      const r = by.get(g.code);
      const open = r?.open ?? 0;
      const overdue = r?.overdue ?? 0;
      return { gridCode: g.code, open, overdue, overdueShare: open ? Math.round((overdue / open) * 10_000) / 10_000 : 0 };
    }),
  };
}

export interface PointsQuery { region?: string; open?: 'true' | 'false'; limit: number }

/** Located cases in scope for the clustered map layer, newest first. */
export async function casePoints(deps: CaseDeps, actor: Actor, q: PointsQuery) {
  const { db } = deps.ctx;
  const params: unknown[] = [];
  const where = [visibilitySql(actor, params), 'c.lat IS NOT NULL', 'c.lng IS NOT NULL'];
  if (q.region) {
    const region = await resolveStatsRegion(deps, actor, q.region);
    where.push(regionPrefixSql(region.code, 'c', params));
  }
  if (q.open) where.push(q.open === 'true' ? 'c.is_open' : 'NOT c.is_open');
  const rows = await db.query<any>(
    `SELECT c.id, c.case_no, c.lat, c.lng, c.state, c.title, c.is_open, c.due_at, c.yellow_at FROM "case" c
     WHERE ${where.join(' AND ')} ORDER BY c.created_at DESC, c.id DESC LIMIT ${q.limit}`, params);
  const now = deps.ctx.now();
  return {
    items: rows.map((r) => ({
      id: Number(r.id), caseNo: r.case_no, lat: r.lat, lng: r.lng, state: r.state, title: r.title,
      light: lightAt(now, { dueAt: r.due_at ? new Date(r.due_at) : null, yellowAt: r.yellow_at ? new Date(r.yellow_at) : null, isOpen: r.is_open }),
    })),
    truncated: rows.length === q.limit,
  };
}

// ---------------------------------------------------------------------------------------------
// Similar open cases nearby (the hotline operator's duplicate warning)

export interface SimilarQuery { lat: number; lng: number; categoryCode?: string; text?: string; days: number; radius: number; limit: number }

const EARTH_RADIUS_M = 6_371_008.8;

/** Great-circle distance in metres (haversine). */
export function distanceMeters(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLng = (lng2 - lng1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

function bigrams(text: string): Set<string> {
  const s = text.replace(/[\s\p{P}\p{S}]+/gu, '').toLowerCase();
  const out = new Set<string>();
  if (s.length === 1) out.add(s);
  for (let i = 0; i + 2 <= s.length; i++) out.add(s.slice(i, i + 2));
  return out;
}

/** Dice coefficient of the two texts' character-bigram sets, in [0, 1]. */
export function bigramOverlap(a: string, b: string): number {
  const x = bigrams(a);
  const y = bigrams(b);
  if (!x.size || !y.size) return 0;
  let shared = 0;
  for (const g of x) if (y.has(g)) shared++;
  return (2 * shared) / (x.size + y.size);
}

export async function similarCases(deps: CaseDeps, actor: Actor, q: SimilarQuery) {
  const { db } = deps.ctx;
  const now = deps.ctx.now();
  const params: unknown[] = [];
  const where = [visibilitySql(actor, params), 'c.is_open', 'c.lat IS NOT NULL'];
  if (q.categoryCode) {
    const [root] = await db.query<{ code: string }>(
      `SELECT code FROM category WHERE parent_code IS NULL AND left($1, length(code)) = code ORDER BY length(code) DESC LIMIT 1`,
      [q.categoryCode]);
    const [known] = await db.query<{ code: string }>('SELECT code FROM category WHERE code = $1', [q.categoryCode]);
    if (!root || !known) throw unprocessable('unknown_category', { zh: `事项分类 ${q.categoryCode} 不存在。`, en: `Category ${q.categoryCode} does not exist.` });
    params.push(`${root.code}%`);
    where.push(`c.category_code LIKE $${params.length}`);
  }
  // A bounding box narrows the candidates in SQL; the exact distance is computed here.
  const dLat = q.radius / 111_320;
  const dLng = q.radius / (111_320 * Math.max(0.01, Math.cos((q.lat * Math.PI) / 180)));
  params.push(q.lat - dLat, q.lat + dLat, q.lng - dLng, q.lng + dLng, new Date(now.getTime() - q.days * DAY_MS));
  const n = params.length;
  where.push(`c.lat BETWEEN $${n - 4} AND $${n - 3}`, `c.lng BETWEEN $${n - 2} AND $${n - 1}`, `c.created_at >= $${n}`);
  const rows = await db.query<any>(
    `SELECT c.id, c.case_no, c.title, c.description, c.type, c.workflow_version, c.state, c.lat, c.lng, c.created_at FROM "case" c
     WHERE ${where.join(' AND ')} ORDER BY c.created_at DESC LIMIT 2000`, params);
  const text = q.text?.trim();
  const ranked = rows
    .map((r) => {
      const distance = distanceMeters(q.lat, q.lng, r.lat, r.lng);
      const similarity = text ? bigramOverlap(text, `${r.title} ${r.description}`) : null;
      // Nearer and more alike ranks higher; without text, distance alone decides.
      const score = similarity == null ? -distance : 0.5 * (1 - distance / q.radius) + 0.5 * similarity;
      return { r, distance, similarity, score };
    })
    .filter((x) => x.distance <= q.radius)
    .sort((a, b) => b.score - a.score || a.distance - b.distance);
  return {
    items: ranked.slice(0, q.limit).map(({ r, distance, similarity }) => ({
      id: Number(r.id), caseNo: r.case_no, title: r.title, state: r.state,
      stateLabel: stateLabel(deps.types, deps.types.get(r.type, r.workflow_version), r.state), distanceMeters: Math.round(distance),
      textSimilarity: similarity == null ? null : Math.round(similarity * 1000) / 1000,
      createdAt: new Date(r.created_at).toISOString(),
    })),
  };
}
