// Indicators for the command-centre dashboard and map (指挥大屏): counts over the cases in scope.
// Every query starts from visibilitySql, the one scope predicate of the case module, so a dashboard
// can never count what its viewer may not open. No HTTP types here.
import type { Actor } from '../../platform/auth/actor.ts';
import { notFound, unprocessable } from '../../platform/errors.ts';
import { regionPrefixSql, regionScope } from '../../platform/scope.ts';
import { lightAt } from './clock.ts';
import { visibilitySql } from './visibility.ts';
import { stateLabel } from './views.ts';
import type { CaseDeps, RegionRef } from './deps.ts';

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
  if (!regionScope(actor).within(target)) throw notFound(`Region ${target}`);
  const r = await deps.regions.find(target);
  if (!r) throw notFound(`Region ${target}`);
  return r;
}

/** "Cases the actor may see, under the region": the WHERE clause every stats query starts from. */
function scopedWhere(actor: Actor, region: string, params: unknown[]): string {
  return `${visibilitySql(actor, params)} AND ${regionPrefixSql(region, 'c', params)}`;
}

const rate = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null);

// A paused step has no due instant, so it is never overdue; an ended case counts as closed when its
// type's terminal state says it was resolved (the definitions set `outcome`).
const OVERDUE_NOW = (n: string) => `c.is_open AND c.due_at < ${n}`;
const CLOSED_IN = (from: string, to: string) => `c.outcome = 'resolved' AND c.closed_at >= ${from} AND c.closed_at < ${to}`;
const NO_OVERDUE_FACT = `NOT EXISTS (SELECT 1 FROM flow_record f WHERE f.case_id = c.id AND f.action = 'overdue')`;

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

  // Totals: today, open, overdue, and the period's on-time closures.
  const t = at([todayStart, end, now, periodStart]);
  const [totals] = await db.query<any>(
    `SELECT
       count(*) FILTER (WHERE c.created_at >= ${t.p(0)} AND c.created_at < ${t.p(1)})::int AS today_intake,
       count(*) FILTER (WHERE ${CLOSED_IN(t.p(0), t.p(1))})::int AS today_closed,
       count(*) FILTER (WHERE c.is_open)::int AS open,
       count(*) FILTER (WHERE ${OVERDUE_NOW(t.p(2))})::int AS overdue,
       count(*) FILTER (WHERE ${CLOSED_IN(t.p(3), t.p(1))})::int AS closed,
       count(*) FILTER (WHERE ${CLOSED_IN(t.p(3), t.p(1))} AND ${NO_OVERDUE_FACT})::int AS closed_on_time
     FROM "case" c
     WHERE ${where} AND (c.is_open OR c.created_at >= ${t.p(3)} OR c.closed_at >= ${t.p(3)})`, t.params);

  // 满意率 per 12345 practice: (满意 + 基本满意) / 参评, over the ratings given in the period. Ratings are
  // read from the flow records, because an unsatisfied rating is cleared from the case when it is redone.
  const s = at([periodStart, end]);
  const [sat] = await db.query<{ good: number; rated: number }>(
    `SELECT count(*) FILTER (WHERE f.data->>'rating' IN ('satisfied', 'basically_satisfied'))::int AS good, count(*)::int AS rated
     FROM flow_record f JOIN "case" c ON c.id = f.case_id
     WHERE ${where} AND f.data->>'rating' IS NOT NULL AND f.at >= ${s.p(0)} AND f.at < ${s.p(1)}`, s.params);

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
    byDay.push({ date: civilDate(day), intake: r?.intake ?? 0, closed: r?.closed ?? 0 });
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
  const u = at([now, periodStart, end]);
  const byUnit = (await db.query<any>(
    `SELECT c.lead_unit_id AS unit_id, un.name, un.name_en,
       count(*) FILTER (WHERE c.is_open)::int AS open,
       count(*) FILTER (WHERE ${OVERDUE_NOW(u.p(0))})::int AS overdue,
       count(*) FILTER (WHERE ${CLOSED_IN(u.p(1), u.p(2))})::int AS closed,
       count(*) FILTER (WHERE ${CLOSED_IN(u.p(1), u.p(2))} AND ${NO_OVERDUE_FACT})::int AS closed_on_time
     FROM "case" c JOIN unit un ON un.id = c.lead_unit_id
     WHERE ${where} AND (c.is_open OR ${CLOSED_IN(u.p(1), u.p(2))})
     GROUP BY c.lead_unit_id, un.name, un.name_en ORDER BY open DESC, overdue DESC, c.lead_unit_id`, u.params))
    .map((r) => ({
      unitId: r.unit_id, name: r.name, nameEn: r.name_en, open: r.open, overdue: r.overdue, closed: r.closed,
      onTimeRate: rate(r.closed_on_time, r.closed),
    }));

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
    byDay,
    byCategory,
    byUnit,
    byRegion: await byChildRegion(deps, actor, region.code, where, base, now, periodStart, end),
  };
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
    if (!root || !known) throw unprocessable('unknown_category', `Category ${q.categoryCode} does not exist.`);
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
