// Daily grid work (日常巡查, 入户走访): location check-ins, patrols with their GPS track, household visits,
// and 巡查覆盖率 = households visited ÷ households in the grid (GB/T 34300 practice), per grid and period.
import type { Queryable } from '../../../platform/db/index.ts';
import type { Actor } from '../../../platform/auth/actor.ts';
import { AppError, badRequest, conflict, notFound, unprocessable } from '../../../platform/errors.ts';
import { assertCan, listPrefix, scopeLike, underScope } from './policy.ts';
import { checkRecent, chinaDate, chinaDayStart, iso, once } from './common.ts';
import { distanceToBoundaryM, haversineM, pointInGeometry, type AreaGeometry, type Position } from './geometry.ts';
import type { CheckInT, ListQueryT, PatrolCreateT, PeriodQueryT, VisitCreateT } from './contracts.ts';
import type { GridDeps } from './grid-service.ts';

/** Longest patrol one record may hold. */
const MAX_PATROL_MS = 24 * 3600_000;
/** Track points may be stamped this far outside the patrol's start and end (phone clocks). */
const TRACK_SLACK_MS = 5 * 60_000;

interface Own { code: string; kind: string; geometry: AreaGeometry }

/** The current grids of the actor's own region: their grid, or every grid of their community. */
async function ownGrids(q: Queryable, actor: Actor): Promise<Own[]> {
  return q.query<Own>(
    `SELECT r.code, r.kind, p.geometry FROM region r JOIN grid_polygon p ON p.region_code = r.code AND p.valid_to IS NULL
     WHERE r.code LIKE $1 AND r.level = 'grid' ORDER BY r.kind, r.code LIMIT 1000`, [scopeLike(actor.regionCode)]);
}

/** Where a point lies relative to the actor's own grids. Comprehensive grids win: households belong to them. */
function relate(own: Own[], p: Position): { inside: Own | null; distanceM: number | null } {
  const hits = own.filter((g) => pointInGeometry(g.geometry, p));
  if (hits.length) return { inside: hits.find((g) => g.kind === 'comprehensive') ?? hits[0], distanceM: 0 };
  if (!own.length) return { inside: null, distanceM: null };
  return { inside: null, distanceM: Math.round(Math.min(...own.map((g) => distanceToBoundaryM(g.geometry, p)))) };
}

// ---------------------------------------------------------------------------------------------
// Check-in

export async function checkIn(deps: GridDeps, actor: Actor, input: CheckInT, key?: string) {
  assertCan(actor, 'grid.patrol.write');
  const { db } = deps.ctx;
  const p: Position = [input.lng, input.lat];
  const located = deps.regions.locate(input.lng, input.lat);
  const { inside, distanceM } = relate(await ownGrids(db, actor), p);
  const now = deps.ctx.now();
  return once(db, actor, key, 'check-in', input, async (tx) => {
    const [row] = await tx.query<{ id: number }>(
      `INSERT INTO patrol_check_in (user_id, region_code, located_grid, inside_own, lat, lng, accuracy_m, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [actor.id, actor.regionCode, located, !!inside, input.lat, input.lng, input.accuracy ?? null, now]);
    return {
      id: Number(row.id), at: now.toISOString(), lat: input.lat, lng: input.lng,
      gridCode: located, gridName: located ? deps.regions.nameOf(located) ?? null : null,
      ownRegion: actor.regionCode, insideOwnGrid: !!inside, distanceToOwnGridM: distanceM,
    };
  });
}

export async function listCheckIns(deps: GridDeps, actor: Actor, query: ListQueryT) {
  assertCan(actor, 'grid.patrol.read');
  const { prefix, from, to } = await period(deps, actor, query);
  const own = whose('c', actor, query);
  const rows = await deps.ctx.db.query<any>(
    `SELECT c.id, c.user_id, u.display_name, c.region_code, c.located_grid, c.inside_own, c.lat, c.lng, c.accuracy_m, c.at
     FROM patrol_check_in c JOIN app_user u ON u.id = c.user_id
     WHERE ${own.sql} AND c.at >= $2 AND c.at < $3 ORDER BY c.at DESC, c.id DESC LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`,
    [own.like ?? scopeLike(prefix), from, to, ...own.params]);
  return {
    items: rows.map((c) => ({
      id: Number(c.id), user: { id: Number(c.user_id), name: c.display_name }, ownRegion: c.region_code, gridCode: c.located_grid,
      insideOwnGrid: c.inside_own, lat: c.lat, lng: c.lng, accuracyM: c.accuracy_m, at: iso(c.at),
    })),
    page: query.page, pageSize: query.pageSize,
  };
}

// ---------------------------------------------------------------------------------------------
// Patrols

export async function createPatrol(deps: GridDeps, actor: Actor, input: PatrolCreateT, key?: string) {
  assertCan(actor, 'grid.patrol.write');
  const { db } = deps.ctx;
  const start = new Date(input.startedAt);
  const end = new Date(input.endedAt);
  if (!(end > start)) throw unprocessable('invalid_period', { zh: `结束时间（endedAt）须晚于开始时间（startedAt）。`, en: 'endedAt must be after startedAt.' });
  if (end.getTime() - start.getTime() > MAX_PATROL_MS) throw unprocessable('patrol_too_long', { zh: `一次巡查最长24小时，更长的工作请分多次记录。`, en: 'A patrol lasts at most 24 hours; record longer work as several patrols.' });
  const now = deps.ctx.now();
  checkRecent(end, now, 'endedAt');
  const points = input.track.map((t) => ({ p: [t.lng, t.lat] as Position, at: new Date(t.at) }));
  points.forEach((pt, i) => {
    if (pt.at.getTime() < start.getTime() - TRACK_SLACK_MS || pt.at.getTime() > end.getTime() + TRACK_SLACK_MS) {
      throw unprocessable('track_outside_patrol', { zh: `第 ${i} 个轨迹点的时间不在巡查的开始和结束时间之内。`, en: `Track point ${i} is stamped outside the patrol's start and end.` }, { index: i });
    }
    if (i > 0 && pt.at < points[i - 1].at) throw unprocessable('track_not_in_order', { zh: `第 ${i} 个轨迹点的时间早于前一个点。`, en: `Track point ${i} is earlier than the point before it.` }, { index: i });
  });
  let distance = 0;
  for (let i = 1; i < points.length; i++) distance += haversineM(points[i - 1].p, points[i].p);
  const own = await ownGrids(db, actor);
  const inside = points.filter((pt) => own.some((g) => pointInGeometry(g.geometry, pt.p))).length;
  const grids = [...new Set(points.map((pt) => deps.regions.locate(pt.p[0], pt.p[1])).filter((c): c is string => !!c))].sort();
  const share = points.length ? Math.round((inside / points.length) * 1000) / 1000 : null;
  return once(db, actor, key, 'patrol', input, async (tx) => {
    const [row] = await tx.query<{ id: number }>(
      `INSERT INTO patrol (user_id, region_code, started_at, ended_at, track, point_count, distance_m, inside_share, grids, note, created_at)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10, $11) RETURNING id`,
      [actor.id, actor.regionCode, start, end, JSON.stringify(points.map((pt) => [pt.p[0], pt.p[1], pt.at.toISOString()])),
        points.length, distance, share, grids, input.note ?? null, now]);
    return {
      id: Number(row.id), startedAt: start.toISOString(), endedAt: end.toISOString(), pointCount: points.length,
      distanceM: Math.round(distance), insideOwnShare: share, grids, note: input.note ?? null,
    };
  });
}

const patrolView = (r: any, withTrack: boolean) => ({
  id: Number(r.id), user: { id: Number(r.user_id), name: r.display_name }, ownRegion: r.region_code,
  startedAt: iso(r.started_at), endedAt: iso(r.ended_at), pointCount: r.point_count, distanceM: Math.round(r.distance_m),
  insideOwnShare: r.inside_share, grids: r.grids, note: r.note,
  ...(withTrack ? { track: r.track.map((t: [number, number, string]) => ({ lng: t[0], lat: t[1], at: t[2] })) } : {}),
});

export async function listPatrols(deps: GridDeps, actor: Actor, query: ListQueryT) {
  assertCan(actor, 'grid.patrol.read');
  const { prefix, from, to } = await period(deps, actor, query);
  const own = whose('p', actor, query);
  const rows = await deps.ctx.db.query<any>(
    `SELECT p.id, p.user_id, u.display_name, p.region_code, p.started_at, p.ended_at, p.point_count, p.distance_m, p.inside_share, p.grids, p.note
     FROM patrol p JOIN app_user u ON u.id = p.user_id
     WHERE ${own.sql} AND p.started_at >= $2 AND p.started_at < $3
     ORDER BY p.started_at DESC, p.id DESC LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`, [own.like ?? scopeLike(prefix), from, to, ...own.params]);
  return { items: rows.map((r) => patrolView(r, false)), page: query.page, pageSize: query.pageSize };
}

export async function getPatrol(deps: GridDeps, actor: Actor, id: number) {
  assertCan(actor, 'grid.patrol.read');
  const [r] = await deps.ctx.db.query<any>(
    'SELECT p.*, u.display_name FROM patrol p JOIN app_user u ON u.id = p.user_id WHERE p.id = $1', [id]);
  if (!r || !underScope(actor, r.region_code)) throw notFound({ zh: `巡查 ${id}`, en: `Patrol ${id}` });
  return patrolView(r, true);
}

// ---------------------------------------------------------------------------------------------
// Household visits

/** The same household written slightly differently counts once: NFKC, trimmed, inner spaces dropped, lower case. */
export function householdKey(input: { houseRef?: string; householdRef?: string }): string {
  const norm = (s: string) => s.normalize('NFKC').trim().replace(/\s+/g, '').toLowerCase();
  return input.householdRef !== undefined ? `household:${norm(input.householdRef)}` : `house:${norm(input.houseRef!)}`;
}

async function visitGrid(deps: GridDeps, actor: Actor, input: VisitCreateT): Promise<string> {
  const { db } = deps.ctx;
  if (input.lat !== undefined && input.lng !== undefined) {
    const p: Position = [input.lng, input.lat];
    const { inside } = relate(await ownGrids(db, actor), p);
    if (inside) return inside.code;
    const located = deps.regions.locate(input.lng, input.lat);
    if (!located) throw unprocessable('outside_area', { zh: `该位置不在本平台任何网格内。`, en: 'The location is outside every grid of this platform.' });
    if (!underScope(actor, located)) throw new AppError(403, 'outside_scope', { zh: `该户不在您负责的网格内。`, en: 'The household lies outside the grids you work in.' });
    return located;
  }
  const code = input.gridCode ?? (actor.role === 'grid_worker' ? actor.regionCode : undefined);
  if (!code) throw badRequest('location_required', { zh: `请提供走访位置（经纬度）或网格编码。`, en: 'Give the visit’s location (lat, lng) or its gridCode.' });
  if (!underScope(actor, code)) throw new AppError(403, 'outside_scope', { zh: `网格 ${code} 不在您的工作区域内。`, en: `Grid ${code} is outside the region you work in.` });
  const [g] = await db.query<{ retired_at: Date | null }>(`SELECT retired_at FROM region WHERE code = $1 AND level = 'grid'`, [code]);
  if (!g) throw unprocessable('unknown_grid', { zh: `网格 ${code} 不存在。`, en: `Grid ${code} does not exist.` });
  if (g.retired_at) throw conflict('grid_retired', { zh: `网格 ${code} 已撤销，请在接替它的网格中记录走访。`, en: `Grid ${code} was retired; record the visit in the grid that replaced it.` });
  return code;
}

export async function createVisit(deps: GridDeps, actor: Actor, input: VisitCreateT, key?: string) {
  assertCan(actor, 'grid.patrol.write');
  const grid = await visitGrid(deps, actor, input);
  const now = deps.ctx.now();
  const at = input.visitedAt ? new Date(input.visitedAt) : now;
  checkRecent(at, now, 'visitedAt');
  const householdKeyValue = householdKey(input);
  return once(deps.ctx.db, actor, key, 'visit', input, async (tx) => {
    const [row] = await tx.query<{ id: number }>(
      `INSERT INTO household_visit (user_id, region_code, household_key, house_ref, household_ref, lat, lng, visited_at, result, note, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
      [actor.id, grid, householdKeyValue, input.houseRef ?? null, input.householdRef ?? null, input.lat ?? null, input.lng ?? null, at, input.result, input.note ?? null, now]);
    return {
      id: Number(row.id), gridCode: grid, houseRef: input.houseRef ?? null, householdRef: input.householdRef ?? null,
      visitedAt: at.toISOString(), result: input.result, note: input.note ?? null,
    };
  });
}

export async function listVisits(deps: GridDeps, actor: Actor, query: ListQueryT) {
  assertCan(actor, 'grid.patrol.read');
  const { prefix, from, to } = await period(deps, actor, query);
  const own = whose('v', actor, query);
  const rows = await deps.ctx.db.query<any>(
    `SELECT v.id, v.user_id, u.display_name, v.region_code, v.house_ref, v.household_ref, v.lat, v.lng, v.visited_at, v.result, v.note
     FROM household_visit v JOIN app_user u ON u.id = v.user_id
     WHERE ${own.sql} AND v.visited_at >= $2 AND v.visited_at < $3
     ORDER BY v.visited_at DESC, v.id DESC LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`, [own.like ?? scopeLike(prefix), from, to, ...own.params]);
  // a reference to a registry record reads as its address (the phone's visits name the registry's household)
  const refs = rows.flatMap((v) => [v.house_ref, v.household_ref]).filter((r): r is string => !!r);
  const names = deps.refNames && refs.length ? await deps.refNames(refs) : new Map<string, string>();
  // a visit recorded on the phone has its own page (/visits/:id, the fieldwork module's record)
  const pages = deps.visitPages && rows.length ? await deps.visitPages(rows.map((v) => Number(v.id))) : new Map<number, number>();
  return {
    items: rows.map((v) => ({
      id: Number(v.id), fieldVisitId: pages.get(Number(v.id)) ?? null, user: { id: Number(v.user_id), name: v.display_name }, gridCode: v.region_code,
      gridName: deps.regions.nameOf(v.region_code) ?? null, houseRef: v.house_ref,
      householdRef: v.household_ref, houseName: v.house_ref ? names.get(v.house_ref) ?? v.house_ref : null,
      householdName: v.household_ref ? names.get(v.household_ref) ?? v.household_ref : null,
      lat: v.lat, lng: v.lng, visitedAt: iso(v.visited_at), result: v.result, note: v.note,
    })),
    page: query.page, pageSize: query.pageSize,
  };
}

/**
 * The rows of a list: those in the region (the territory, or the region asked for), or with mine=true the
 * actor's own wherever they lie now — a grid split moves a worker's visits with their households, and 我的 →
 * 巡查走访 still lists them all (in the region asked for, when one is).
 */
function whose(alias: string, actor: Actor, query: ListQueryT): { sql: string; params: unknown[]; like?: string } {
  if (query.mine !== 'true') return { sql: `${alias}.region_code LIKE $1`, params: [] };
  return { sql: `${alias}.user_id = $4 AND ${alias}.region_code LIKE $1`, params: [actor.id], like: query.region ? undefined : '%' };
}

// ---------------------------------------------------------------------------------------------
// Coverage (巡查覆盖率)

/** Region prefix and period [from, to) from a query: whole China-time days, this month so far by default. */
async function period(deps: GridDeps, actor: Actor, query: PeriodQueryT) {
  const prefix = listPrefix(actor, query.region);
  if (query.region) {
    const [r] = await deps.ctx.db.query('SELECT code FROM region WHERE code = $1', [query.region]);
    if (!r) throw notFound({ zh: `区划 ${query.region}`, en: `Region ${query.region}` });
  }
  const today = chinaDate(deps.ctx.now());
  const fromDay = query.from ?? `${today.slice(0, 8)}01`;
  const toDay = query.to ?? today;
  if (toDay < fromDay) throw unprocessable('invalid_period', { zh: `结束日期（to）早于开始日期（from）。`, en: '`to` is before `from`.' });
  const from = chinaDayStart(fromDay);
  const to = new Date(chinaDayStart(toDay).getTime() + 86_400_000);
  if (to.getTime() - from.getTime() > 367 * 86_400_000) throw unprocessable('period_too_long', { zh: `统计期间最长一年。`, en: 'A period spans at most one year.' });
  return { prefix, from, to, fromDay, toDay };
}

const ratio = (visited: number, households: number | null) => (households ? Math.round((visited / households) * 10_000) / 10_000 : null);

/**
 * Per grid under the region: households (from the household source), distinct households visited in
 * the period (a visit counts when the household was reached: every result but not_home), and their
 * ratio. Current grids are listed, and retired grids that have visits in the period or were retired in it, each
 * with when it was retired and the grids that replaced it (the console lists them apart).
 */
export async function coverage(deps: GridDeps, actor: Actor, query: PeriodQueryT) {
  assertCan(actor, 'grid.patrol.read');
  const { prefix, from, to, fromDay, toDay } = await period(deps, actor, query);
  const { db } = deps.ctx;
  const like = scopeLike(prefix);
  const visited = new Map((await db.query<{ region_code: string; n: number }>(
    `SELECT region_code, count(DISTINCT household_key)::int AS n FROM household_visit
     WHERE region_code LIKE $1 AND visited_at >= $2 AND visited_at < $3 AND result <> 'not_home' GROUP BY region_code`,
    [like, from, to])).map((r) => [r.region_code, Number(r.n)]));
  const grids = await db.query<{ code: string; name: string; kind: string; retired_at: Date | null }>(
    `SELECT code, name, kind, retired_at FROM region WHERE level = 'grid' AND code LIKE $1
       AND (retired_at IS NULL OR code = ANY($2::text[]) OR (retired_at >= $3 AND retired_at < $4)) ORDER BY code`,
    [like, [...visited.keys()], from, to]);
  const counts = await deps.households.countsUnder(prefix);
  const replaced = await retirements(db, grids.filter((g) => g.retired_at).map((g) => g.code));
  const items = grids.map((g) => {
    const households = counts.get(g.code) ?? null;
    const v = visited.get(g.code) ?? 0;
    const row = { gridCode: g.code, name: g.name, kind: g.kind, retired: !!g.retired_at, households, visited: v, coverage: ratio(v, households) };
    return g.retired_at ? { ...row, retiredAt: iso(g.retired_at), retiredBy: replaced.get(g.code)?.by ?? null, successorGrids: replaced.get(g.code)?.successorGrids ?? [] } : row;
  });
  // grids: every grid in force in the territory; households and coverage over those whose household
  // count is known (a district fresh from init has none yet: its header must say so, not "0 grids").
  // A retired grid keeps its last count on its row, but its households now belong to its successors:
  // adding it again would count them twice.
  const current = items.filter((i) => !i.retired);
  const counted = current.filter((i) => i.households != null);
  const households = counted.reduce((s, i) => s + i.households!, 0);
  const visitedTotal = counted.reduce((s, i) => s + i.visited, 0);
  return {
    regionCode: prefix, from: fromDay, to: toDay, items,
    total: {
      grids: current.length, gridsWithHouseholds: current.filter((i) => i.households != null).length, households,
      visited: visitedTotal, coverage: ratio(visitedTotal, households),
    },
  };
}

/** The split or merge that retired each grid, with the grids that replaced it by name (a person reads names, not codes). */
async function retirements(db: Queryable, codes: string[]) {
  const out = new Map<string, { by: 'split' | 'merge'; successorGrids: Array<{ code: string; name: string }> }>();
  if (!codes.length) return out;
  const changes = await db.query<{ kind: 'split' | 'merge'; from_codes: string[]; to_codes: string[] }>(
    `SELECT kind, from_codes, to_codes FROM grid_change WHERE kind IN ('split', 'merge') AND from_codes && $1::text[] ORDER BY at, id`, [codes]);
  const successors = [...new Set(changes.flatMap((c) => c.to_codes))];
  const names = new Map((successors.length ? await db.query<{ code: string; name: string }>('SELECT code, name FROM region WHERE code = ANY($1::text[])', [successors]) : [])
    .map((r) => [r.code, r.name]));
  for (const c of changes) {
    for (const f of c.from_codes) if (codes.includes(f)) out.set(f, { by: c.kind, successorGrids: c.to_codes.map((code) => ({ code, name: names.get(code) ?? code })) });
  }
  return out;
}

/**
 * Household visits moved to the grid their household lies in now (a grid split or merge; the fieldwork
 * module's carrier decides where its visits go and moves the grid's record of each with it).
 */
export async function moveVisits(tx: Queryable, placed: Map<number, string>): Promise<void> {
  if (!placed.size) return;
  await tx.query('UPDATE household_visit v SET region_code = x.code FROM unnest($1::bigint[], $2::text[]) AS x(id, code) WHERE v.id = x.id',
    [[...placed.keys()], [...placed.values()]]);
}
