// Patrols walked with the phone (日常巡查): start, GPS points posted every few seconds while walking
// (each post may repeat points a lost connection kept; points not later than the last stored are
// dropped), stop. Stopping writes the grid module's patrol record with the whole track, and the
// session keeps its id. Coverage: the share of the grid's cells the track passed (regions' cells).
import type { Actor } from '../../platform/auth/actor.ts';
import { conflict, notFound, unprocessable } from '../../platform/errors.ts';
import { regionScope } from '../../platform/scope.ts';
import { cellCoverage, createPatrol, gridOutline, PatrolCreate, type Position } from '../regions/index.ts';
import { targets } from './checklists.ts';
import { assertCan, iso, type FieldworkDeps } from './common.ts';
import type { PatrolPointsT, PatrolStartT, PatrolStopT } from './contracts.ts';

/** The grid patrol records keep at most this many points. */
const MAX_POINTS = 5000;
/** Points may be stamped this far before the session started (phone clocks) or after now. */
const SLACK_MS = 5 * 60_000;

type Point = [number, number, string, number | null];

async function loadSession(deps: FieldworkDeps, actor: Actor, id: number, lock = false): Promise<any> {
  const [s] = await deps.ctx.db.query<any>(
    `SELECT s.*, u.display_name FROM patrol_session s JOIN app_user u ON u.id = s.user_id WHERE s.id = $1${lock ? ' FOR UPDATE OF s' : ''}`, [id]);
  if (!s || !regionScope(actor).has(s.region_code)) throw notFound({ zh: `巡查 ${id}`, en: `Patrol ${id}` });
  return s;
}

const own = (actor: Actor, s: any) => {
  if (Number(s.user_id) !== actor.id) throw conflict('not_your_patrol', { zh: `只有发起巡查的网格员可以上传轨迹点或结束巡查。`, en: 'Only the worker who started a patrol posts its points or stops it.' });
  if (s.ended_at) throw conflict('patrol_ended', { zh: `该次巡查已结束。`, en: 'This patrol has ended.' });
};

/** Starts a patrol, or answers the one already open (a second tap, or a retry after a lost answer). */
export async function startPatrol(deps: FieldworkDeps, actor: Actor, input: PatrolStartT) {
  assertCan(actor, 'fieldwork.patrol');
  const now = deps.ctx.now();
  const first: Point[] = input.lat != null ? [[input.lng!, input.lat, now.toISOString(), null]] : [];
  const [row] = await deps.ctx.db.query<{ id: number }>(
    `INSERT INTO patrol_session (user_id, region_code, started_at, track, point_count, note, created_at)
     VALUES ($1, $2, $3, $4::jsonb, $5, $6, $3) ON CONFLICT (user_id) WHERE ended_at IS NULL DO NOTHING RETURNING id`,
    [actor.id, actor.regionCode, now, JSON.stringify(first), first.length, input.note ?? null]);
  if (row) return { ...(await getPatrolSession(deps, actor, Number(row.id))), started: true };
  const open = await currentPatrol(deps, actor);
  return { ...open!, started: false };
}

export async function currentPatrol(deps: FieldworkDeps, actor: Actor) {
  assertCan(actor, 'fieldwork.patrol');
  const [s] = await deps.ctx.db.query<{ id: number }>('SELECT id FROM patrol_session WHERE user_id = $1 AND ended_at IS NULL', [actor.id]);
  return s ? getPatrolSession(deps, actor, Number(s.id)) : null;
}

export async function addPoints(deps: FieldworkDeps, actor: Actor, id: number, input: PatrolPointsT) {
  assertCan(actor, 'fieldwork.patrol');
  const now = deps.ctx.now();
  return deps.ctx.db.transaction(async (tx) => {
    const [s] = await tx.query<any>('SELECT * FROM patrol_session WHERE id = $1 FOR UPDATE', [id]);
    if (!s || !regionScope(actor).has(s.region_code)) throw notFound({ zh: `巡查 ${id}`, en: `Patrol ${id}` });
    own(actor, s);
    const track = (s.track ?? []) as Point[];
    let last = track.length ? Date.parse(track[track.length - 1][2]) : new Date(s.started_at).getTime() - SLACK_MS;
    const added: Point[] = [];
    for (const p of [...input.points].sort((a, b) => Date.parse(a.at) - Date.parse(b.at))) {
      const at = Date.parse(p.at);
      if (at > now.getTime() + SLACK_MS) throw unprocessable('in_the_future', { zh: `轨迹点时间 ${p.at} 晚于现在。`, en: `A point is stamped ${p.at}, in the future.` });
      if (at <= last) continue;
      added.push([p.lng, p.lat, new Date(at).toISOString(), p.accuracy ?? null]);
      last = at;
    }
    if (track.length + added.length > MAX_POINTS) throw unprocessable('too_many_points', { zh: `一次巡查最多记录 ${MAX_POINTS} 个轨迹点，请结束本次巡查后重新开始。`, en: `A patrol holds at most ${MAX_POINTS} points; stop this one and start another.` });
    if (added.length) {
      await tx.query('UPDATE patrol_session SET track = track || $2::jsonb, point_count = point_count + $3 WHERE id = $1', [id, JSON.stringify(added), added.length]);
    }
    return { id, added: added.length, pointCount: track.length + added.length };
  });
}

export async function stopPatrol(deps: FieldworkDeps, actor: Actor, id: number, input: PatrolStopT) {
  assertCan(actor, 'fieldwork.patrol');
  const s = await loadSession(deps, actor, id);
  if (Number(s.user_id) !== actor.id) throw conflict('not_your_patrol', { zh: `只有发起巡查的网格员可以结束巡查。`, en: 'Only the worker who started a patrol stops it.' });
  if (s.ended_at) return getPatrolSession(deps, actor, id); // a retried stop
  const now = deps.ctx.now();
  const track = (s.track ?? []) as Point[];
  const startedAt = new Date(Math.min(new Date(s.started_at).getTime(), ...track.map((p) => Date.parse(p[2]))));
  const endedAt = new Date(Math.max(now.getTime(), startedAt.getTime() + 1000, ...track.map((p) => Date.parse(p[2]))));
  // the grid module's patrol record (its list, 巡查 statistics): the whole track
  const patrol = await createPatrol(deps.grid, actor, PatrolCreate.parse({
    startedAt: startedAt.toISOString(), endedAt: endedAt.toISOString(),
    track: track.map((p) => ({ lng: p[0], lat: p[1], at: p[2] })), note: input.note ?? s.note ?? undefined,
  }), `patrol-session-${id}`);
  await deps.ctx.db.query('UPDATE patrol_session SET ended_at = $2, patrol_id = $3, note = coalesce($4, note) WHERE id = $1 AND ended_at IS NULL',
    [id, endedAt, patrol.id, input.note ?? null]);
  return getPatrolSession(deps, actor, id);
}

/** The grid a patrol is measured against: the worker's own grid, else the grid most of the track lies in. */
function patrolGrid(deps: FieldworkDeps, s: any, track: Point[]): string | null {
  if (s.region_code.length === 14) return s.region_code;
  const counts = new Map<string, number>();
  for (const p of track) {
    const g = deps.regions.locate(p[0], p[1]);
    if (g && g.startsWith(s.region_code)) counts.set(g, (counts.get(g) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}

export async function getPatrolSession(deps: FieldworkDeps, actor: Actor, id: number) {
  assertCan(actor, 'fieldwork.patrol');
  const s = await loadSession(deps, actor, id);
  const track = (s.track ?? []) as Point[];
  const gridCode = patrolGrid(deps, s, track);
  const outline = gridCode ? await gridOutline(deps.ctx.db, gridCode) : null;
  const coverage = outline ? cellCoverage(outline.geometry, track.map((p): Position => [p[0], p[1]]), targets.cellMetres) : null;
  let distance = 0;
  for (let i = 1; i < track.length; i++) distance += metres(track[i - 1], track[i]);
  const end = s.ended_at ? new Date(s.ended_at) : deps.ctx.now();
  return {
    id: Number(s.id), user: { id: Number(s.user_id), name: s.display_name }, regionCode: s.region_code,
    startedAt: iso(s.started_at), endedAt: iso(s.ended_at), open: !s.ended_at, patrolId: s.patrol_id == null ? null : Number(s.patrol_id),
    minutes: Math.max(0, Math.round((end.getTime() - new Date(s.started_at).getTime()) / 60_000)),
    pointCount: track.length, distanceM: Math.round(distance), note: s.note,
    track: track.map((p) => ({ lng: p[0], lat: p[1], at: p[2] })),
    grid: outline ? { code: outline.code, name: outline.name, geometry: outline.geometry } : null,
    coverage: coverage ? { cellM: coverage.cellM, cells: coverage.cells, covered: coverage.covered, share: coverage.share, boxes: coverage.boxes } : null,
  };
}

function metres(a: Point, b: Point): number {
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLng = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Today's patrols of a worker: minutes walked and the share of their grid covered by all of them together. */
export async function patrolsToday(deps: FieldworkDeps, actor: Actor, dayStart: Date) {
  const rows = await deps.ctx.db.query<any>(
    'SELECT id, started_at, ended_at, track, region_code FROM patrol_session WHERE user_id = $1 AND (ended_at IS NULL OR ended_at >= $2) ORDER BY id', [actor.id, dayStart]);
  const now = deps.ctx.now();
  let minutes = 0;
  const all: Point[] = [];
  for (const r of rows) {
    const from = Math.max(new Date(r.started_at).getTime(), dayStart.getTime());
    minutes += Math.max(0, ((r.ended_at ? new Date(r.ended_at) : now).getTime() - from) / 60_000);
    all.push(...(r.track as Point[]));
  }
  const gridCode = actor.regionCode.length === 14 ? actor.regionCode : null;
  const outline = gridCode ? await gridOutline(deps.ctx.db, gridCode) : null;
  const cov = outline ? cellCoverage(outline.geometry, all.map((p): Position => [p[0], p[1]]), targets.cellMetres) : null;
  return {
    sessions: rows.length, minutes: Math.round(minutes), coverage: cov?.share ?? null,
    openId: rows.find((r) => !r.ended_at)?.id != null ? Number(rows.find((r) => !r.ended_at).id) : null,
  };
}
