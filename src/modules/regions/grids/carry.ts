// Grid changes carry their people (网格调整人随格走): after a split or a merge, the grid staff, the
// accounts, the party members and — through carriers other modules provide (the registry's records) —
// everything registered on the retired grids moves to the successor grid where it lies. A merge has one
// successor, so everything moves. After a split, things with a location go to the part that contains
// it; people go where their recent work lay (check-ins and patrol tracks of the last 60 days). What
// cannot be placed is written to grid_change_review for a person to decide, and moves when decided.
// All of it happens in the transaction of the change: a grid is never split with its people half moved.
import type { Queryable } from '../../../platform/db/index.ts';
import type { Actor } from '../../../platform/auth/actor.ts';
import { AppError, notFound, unprocessable } from '../../../platform/errors.ts';
import { pointInGeometry, type AreaGeometry, type Position } from './geometry.ts';
import { assertCan, scopeLike, underScope } from './policy.ts';
import { audit, iso } from './common.ts';
import { forgetCachedActors } from '../../../platform/auth/service.ts';
import { moveVisits } from './patrol-service.ts';

export interface Successor { code: string; geometry: AreaGeometry }

export interface CarryChange {
  changeId: number;
  kind: 'split' | 'merge';
  from: string[];
  to: Successor[];
  /** The successor containing a point, or null (outside all of them). A merge's one successor contains every point. */
  place(lng: number, lat: number): string | null;
  at: Date;
}

export interface CarryItem { kind: string; refId: number; label: string; reason: 'no_location' | 'outside_successors' | 'no_recent_work' }
export interface CarryResult { moved: Record<string, number>; review: CarryItem[]; users?: number[] }

/** What another module registers on grids, moved by it in the change's transaction. */
export interface GridCarrier {
  name: string;
  carry(tx: Queryable, change: CarryChange): Promise<CarryResult>;
  /** Moves one record of a review item to the grid a person chose; false when the record is gone. */
  resolve(tx: Queryable, kind: string, refId: number, to: string): Promise<boolean>;
  kinds: string[];
  /** Told that a review item of another carrier's kind was placed on `to`, to move what goes with that record. */
  follow?(tx: Queryable, kind: string, refId: number, to: string): Promise<void>;
  /** What lies on each grid now (the registry: households, key persons with follow-ups, those overdue), for the notes a change leaves. */
  summarize?(q: Queryable, codes: string[], at: Date): Promise<Map<string, GridLoad>>;
}

/** What a grid holds that someone must look after: households, key persons (重点人员) with a follow-up schedule, those overdue. */
export interface GridLoad { households: number; keyPersons: number; overdueFollowUps: number }

/** The load of each grid by the carriers that know it (zeros when none does). */
export async function gridLoads(q: Queryable, carriers: GridCarrier[], codes: string[], at: Date): Promise<Map<string, GridLoad>> {
  const out = new Map(codes.map((c) => [c, { households: 0, keyPersons: 0, overdueFollowUps: 0 }]));
  for (const c of carriers) {
    if (!c.summarize) continue;
    for (const [code, l] of await c.summarize(q, codes, at)) {
      const o = out.get(code);
      if (o) { o.households += l.households; o.keyPersons += l.keyPersons; o.overdueFollowUps += l.overdueFollowUps; }
    }
  }
  return out;
}

export function placer(to: Successor[]): (lng: number, lat: number) => string | null {
  if (to.length === 1) return () => to[0].code;
  return (lng, lat) => to.find((s) => pointInGeometry(s.geometry, [lng, lat]))?.code ?? null;
}

const WORK_DAYS = 60;

/** The successor most of a user's recent work lay in (check-ins and patrol points), or null. */
async function whereTheyWorked(tx: Queryable, userIds: number[], change: CarryChange): Promise<Map<number, string | null>> {
  const out = new Map<number, string | null>();
  if (!userIds.length) return out;
  const since = new Date(change.at.getTime() - WORK_DAYS * 86_400_000);
  const checkIns = await tx.query<{ user_id: number; lat: number; lng: number }>(
    'SELECT user_id, lat, lng FROM patrol_check_in WHERE user_id = ANY($1::bigint[]) AND at >= $2', [userIds, since]);
  const patrols = await tx.query<{ user_id: number; track: Array<[number, number, string]> }>(
    'SELECT user_id, track FROM patrol WHERE user_id = ANY($1::bigint[]) AND started_at >= $2', [userIds, since]);
  const counts = new Map<number, Map<string, number>>();
  const add = (u: number, p: Position) => {
    const code = change.place(p[0], p[1]);
    if (!code) return;
    const m = counts.get(u) ?? new Map<string, number>();
    m.set(code, (m.get(code) ?? 0) + 1);
    counts.set(u, m);
  };
  for (const c of checkIns) add(Number(c.user_id), [c.lng, c.lat]);
  for (const p of patrols) for (const t of p.track ?? []) add(Number(p.user_id), [t[0], t[1]]);
  for (const u of userIds) {
    const m = counts.get(u);
    out.set(u, m ? [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0] : null);
  }
  return out;
}

/** Staff, accounts and party members of the retired grids (the grid module's own, and app_user). */
export async function carryGridPeople(tx: Queryable, change: CarryChange): Promise<CarryResult> {
  const moved: Record<string, number> = { staff: 0, accounts: 0, party_members: 0, household_visits: 0 };
  const review: CarryItem[] = [];
  const users: number[] = [];
  const merge = change.to.length === 1;
  const accounts = await tx.query<{ id: number; username: string; display_name: string; region_code: string }>(
    'SELECT id, username, display_name, region_code FROM app_user WHERE region_code = ANY($1::text[]) AND active', [change.from]);
  const staff = await tx.query<{ id: number; user_id: number | null; name: string; region_code: string }>(
    'SELECT id, user_id, name, region_code FROM grid_staff WHERE region_code = ANY($1::text[]) AND ended_at IS NULL', [change.from]);
  const work = merge ? new Map<number, string | null>()
    : await whereTheyWorked(tx, [...new Set([...accounts.map((a) => Number(a.id)), ...staff.filter((s) => s.user_id != null).map((s) => Number(s.user_id))])], change);
  const target = (userId: number | null) => (merge ? change.to[0].code : userId != null ? work.get(userId) ?? null : null);
  for (const a of accounts) {
    const to = target(Number(a.id));
    if (!to) { review.push({ kind: 'account', refId: Number(a.id), label: `${a.display_name}（${a.username}）`, reason: 'no_recent_work' }); continue; }
    await tx.query('UPDATE app_user SET region_code = $2 WHERE id = $1', [a.id, to]);
    users.push(Number(a.id));
    moved.accounts++;
  }
  for (const s of staff) {
    // a staff member with an account goes where the account went (or where their work lay); one that cannot be
    // placed leaves the retired grid (the assignment ends with the change) and is assigned again when decided
    const to = target(s.user_id == null ? null : Number(s.user_id));
    if (!to) {
      await tx.query('UPDATE grid_staff SET ended_at = $2 WHERE id = $1', [s.id, change.at]);
      review.push({ kind: 'staff', refId: Number(s.id), label: s.name, reason: s.user_id == null ? 'no_location' : 'no_recent_work' });
      continue;
    }
    await tx.query('UPDATE grid_staff SET region_code = $2 WHERE id = $1', [s.id, to]);
    moved.staff++;
  }
  const members = await tx.query<{ id: number; name: string }>(
    'SELECT id, name FROM grid_party_member WHERE region_code = ANY($1::text[]) AND ended_at IS NULL', [change.from]);
  for (const m of members) {
    if (!merge) {
      await tx.query('UPDATE grid_party_member SET ended_at = $2 WHERE id = $1', [m.id, change.at]);
      review.push({ kind: 'party_member', refId: Number(m.id), label: m.name, reason: 'no_location' });
      continue;
    }
    await tx.query('UPDATE grid_party_member SET region_code = $2 WHERE id = $1', [m.id, change.to[0].code]);
    moved.party_members++;
  }
  // household visits (入户走访) with a location count for the grid they happened in: its coverage follows them (those
  // recorded from the phone against a registry household are moved again by the fieldwork carrier, with the household);
  // a visit without a location stays where it was recorded, as history
  const visits = await tx.query<{ id: number; lat: number; lng: number }>(
    'SELECT id, lat, lng FROM household_visit WHERE region_code = ANY($1::text[]) AND lat IS NOT NULL AND lng IS NOT NULL', [change.from]);
  const placedVisits = new Map<number, string>();
  for (const v of visits) {
    const to = change.place(v.lng, v.lat);
    if (to) placedVisits.set(Number(v.id), to);
  }
  await moveVisits(tx, placedVisits);
  moved.household_visits = placedVisits.size;
  return { moved, review, users };
}

/** Runs every carrier and writes what none could place to the review list; returns the counts. */
export async function carryAll(tx: Queryable, community: string, change: CarryChange, carriers: GridCarrier[]) {
  const results = [{ name: 'grid', ...(await carryGridPeople(tx, change)) }];
  for (const c of carriers) results.push({ name: c.name, ...(await c.carry(tx, change)) });
  const moved = Object.assign({}, ...results.map((r) => r.moved)) as Record<string, number>;
  const review = results.flatMap((r) => r.review);
  // which accounts went where: each is told on its 今日 (accountMoves), the worker not left to find out
  await tx.query(
    `INSERT INTO grid_change_notice (change_id, user_id, region_code, created_at)
     SELECT $1, id, region_code, $3 FROM app_user WHERE id = ANY($2::bigint[]) ON CONFLICT DO NOTHING`,
    [change.changeId, results.flatMap((r) => r.users ?? []), change.at]);
  if (review.length) {
    const from = change.from.length === 1 ? change.from[0] : change.from.join(',');
    await tx.query(
      `INSERT INTO grid_change_review (change_id, region_code, from_code, kind, ref_id, label, reason, created_at)
       SELECT $1, $2, $3, k, r, l, why, $4 FROM unnest($5::text[], $6::bigint[], $7::text[], $8::text[]) AS x(k, r, l, why)`,
      [change.changeId, community, from.slice(0, 200), change.at, review.map((i) => i.kind), review.map((i) => i.refId), review.map((i) => i.label.slice(0, 200)), review.map((i) => i.reason)]);
  }
  return { moved, review: review.length, users: results.flatMap((r) => r.users ?? []) };
}

/** Sessions of moved accounts see their new region at once (the actor cache of this process). */
export function forgetMovedActors(users: number[]): void {
  for (const u of users) forgetCachedActors(u);
}

// ---------------------------------------------------------------------------------------------
// The review list

export async function listReview(db: Queryable, actor: Actor, q: { region?: string; open?: boolean }) {
  assertCan(actor, 'grid.read');
  const prefix = q.region ?? actor.regionCode;
  if (!underScope(actor, prefix)) throw notFound({ zh: `区划 ${prefix}`, en: `Region ${prefix}` });
  const rows = await db.query<any>(
    `SELECT r.*, c.kind AS change_kind, c.to_codes, u.display_name AS resolver FROM grid_change_review r JOIN grid_change c ON c.id = r.change_id
     LEFT JOIN app_user u ON u.id = r.resolved_by
     WHERE r.region_code LIKE $1 ${q.open === false ? '' : 'AND r.resolved_at IS NULL'} ORDER BY r.id LIMIT 1000`, [scopeLike(prefix)]);
  // where each person of the list is now: a person reads the grid they work on, not the retired grid's empty table
  const placed = await wherePeopleAre(db, actor, rows);
  // the grids by name (the retired one too): a person decides by names, not codes
  const codes = [...new Set(rows.flatMap((r) => [...String(r.from_code).split(','), ...(r.to_codes as string[])]).concat([...placed.values()]))];
  const names = new Map((codes.length ? await db.query<{ code: string; name: string }>('SELECT code, name FROM region WHERE code = ANY($1::text[])', [codes]) : [])
    .map((x) => [x.code, x.name]));
  const nameOf = (c: string) => names.get(c) ?? c;
  return {
    items: rows.map((r) => ({
      id: Number(r.id), changeId: Number(r.change_id), changeKind: r.change_kind, fromCode: r.from_code, successors: r.to_codes,
      fromName: String(r.from_code).split(',').map(nameOf).join('、'),
      successorGrids: (r.to_codes as string[]).map((c) => ({ code: c, name: nameOf(c) })),
      kind: r.kind, refId: Number(r.ref_id), label: r.label, reason: r.reason,
      placedOn: placed.has(Number(r.id)) ? { code: placed.get(Number(r.id))!, name: nameOf(placed.get(Number(r.id))!) } : null,
      resolvedTo: r.resolved_to, resolvedBy: r.resolver ?? null, resolvedAt: iso(r.resolved_at), createdAt: iso(r.created_at),
    })),
  };
}

/**
 * The grid each staff member and party member of the review list is on now (review id → grid code), when in the
 * actor's scope: their post or membership assigned again (a decision on the list), another post of the same
 * account, or — added again by hand on one of the new grids, as the split's note invites — a post there under the
 * same name. Absent while not placed.
 */
async function wherePeopleAre(db: Queryable, actor: Actor, rows: Array<{ id: number; kind: string; ref_id: number; from_code: string; to_codes: string[] }>) {
  const out = new Map<number, string>();
  for (const [kind, table] of [['staff', 'grid_staff'], ['party_member', 'grid_party_member']] as const) {
    const items = rows.filter((r) => r.kind === kind);
    if (!items.length) continue;
    const userCol = kind === 'staff' ? 'user_id' : 'NULL::bigint AS user_id';
    const records = new Map((await db.query<{ id: number; name: string; user_id: number | null; region_code: string; ended_at: Date | null }>(
      `SELECT id, name, ${userCol}, region_code, ended_at FROM ${table} WHERE id = ANY($1::bigint[])`, [items.map((r) => r.ref_id)])).map((x) => [Number(x.id), x]));
    const codes = [...new Set(items.flatMap((r) => r.to_codes))];
    const users = [...records.values()].flatMap((x) => (x.user_id == null ? [] : [Number(x.user_id)]));
    const active = await db.query<{ id: number; name: string; user_id: number | null; region_code: string }>(
      `SELECT id, name, ${userCol}, region_code FROM ${table} WHERE ended_at IS NULL AND (region_code = ANY($1::text[])${kind === 'staff' ? ' OR user_id = ANY($2::bigint[])' : ''}) ORDER BY id`,
      kind === 'staff' ? [codes, users] : [codes]);
    for (const r of items) {
      const rec = records.get(Number(r.ref_id));
      if (!rec) continue;
      const from = String(r.from_code).split(',');
      const code = rec.ended_at == null && !from.includes(rec.region_code) ? rec.region_code
        : active.find((a) => rec.user_id != null && a.user_id != null && Number(a.user_id) === Number(rec.user_id) && !from.includes(a.region_code))?.region_code
          ?? active.find((a) => a.name === rec.name && r.to_codes.includes(a.region_code))?.region_code;
      if (code && underScope(actor, code)) out.set(Number(r.id), code);
    }
  }
  return out;
}

/** Places one review item on a successor grid of its change (or ends a staff or party assignment: to = null). */
export async function resolveReview(db: Queryable & { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> }, actor: Actor, id: number, to: string, carriers: GridCarrier[], now: Date) {
  assertCan(actor, 'grid.write');
  const out = await db.transaction(async (tx) => {
    const [r] = await tx.query<any>(
      'SELECT r.*, c.to_codes FROM grid_change_review r JOIN grid_change c ON c.id = r.change_id WHERE r.id = $1 FOR UPDATE OF r', [id]);
    if (!r || !underScope(actor, r.region_code)) throw notFound({ zh: `待复核事项 ${id}`, en: `Review item ${id}` });
    if (r.resolved_at) throw new AppError(409, 'already_resolved', { zh: `待复核事项 ${id} 已处理。`, en: `Review item ${id} was decided already.` });
    if (!(r.to_codes as string[]).includes(to)) throw unprocessable('not_a_successor', { zh: `网格 ${to} 不是接替 ${r.from_code} 的网格之一：${(r.to_codes as string[]).join('、')}。`, en: `Grid ${to} is not one of the grids that replaced ${r.from_code}: ${(r.to_codes as string[]).join(', ')}.` });
    const refId = Number(r.ref_id);
    let ok: boolean;
    // a staff post or party member the change ended is assigned again on the chosen grid (not one ended by a person since)
    const reopen = (table: string) => tx.query(
      `UPDATE ${table} t SET region_code = $2, ended_at = NULL FROM grid_change c WHERE t.id = $1 AND c.id = $3 AND (t.ended_at IS NULL OR t.ended_at = c.at) RETURNING t.id`,
      [refId, to, r.change_id]);
    if (r.kind === 'account') {
      ok = (await tx.query('UPDATE app_user SET region_code = $2 WHERE id = $1 RETURNING id', [refId, to])).length > 0;
      // the account placed later is told like those the change moved at once
      if (ok) {
        await tx.query(`INSERT INTO grid_change_notice (change_id, user_id, region_code, created_at) VALUES ($1, $2, $3, $4)
                        ON CONFLICT (change_id, user_id) DO UPDATE SET region_code = EXCLUDED.region_code, created_at = EXCLUDED.created_at`,
          [r.change_id, refId, to, now]);
      }
    }
    else if (r.kind === 'staff') ok = (await reopen('grid_staff')).length > 0;
    else if (r.kind === 'party_member') ok = (await reopen('grid_party_member')).length > 0;
    else {
      const carrier = carriers.find((c) => c.kinds.includes(r.kind));
      ok = carrier ? await carrier.resolve(tx, r.kind, refId, to) : false;
      // what other modules keep with the record (a visit planned to the person) goes with it
      if (ok) for (const c of carriers) if (c !== carrier) await c.follow?.(tx, r.kind, refId, to);
    }
    await tx.query('UPDATE grid_change_review SET resolved_to = $2, resolved_by = $3, resolved_at = $4 WHERE id = $1', [id, ok ? to : null, actor.id, now]);
    await audit(tx, actor, 'grid.review.resolve', `${r.kind}:${refId}`, to, { review: id, moved: ok });
    return { id, kind: r.kind, refId, resolvedTo: ok ? to : null, moved: ok };
  });
  if (out.kind === 'account' && out.moved) forgetCachedActors(out.refId);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Telling the moved

/** How long a grid change stays on a moved account's 今日. */
const TELL_DAYS = 30;

/**
 * The grid changes of the last 30 days that moved this account: where it went and what went elsewhere
 * (the households and key persons now on the other grids), so that a worker whose households a split gave
 * to another grid reads it on 今日 instead of finding them gone.
 */
export async function accountMoves(q: Queryable, carriers: GridCarrier[], userId: number, now: Date) {
  const rows = await q.query<{ id: number; kind: string; at: Date; from_codes: string[]; to_codes: string[]; mine: string }>(
    `SELECT c.id, c.kind, c.at, c.from_codes, c.to_codes, n.region_code AS mine FROM grid_change_notice n JOIN grid_change c ON c.id = n.change_id
     WHERE n.user_id = $1 AND n.created_at >= $2 ORDER BY c.at DESC, c.id DESC LIMIT 5`,
    [userId, new Date(now.getTime() - TELL_DAYS * 86_400_000)]);
  if (!rows.length) return [];
  const codes = [...new Set(rows.flatMap((r) => [...r.from_codes, ...r.to_codes]))];
  const names = new Map((await q.query<{ code: string; name: string }>('SELECT code, name FROM region WHERE code = ANY($1::text[])', [codes])).map((x) => [x.code, x.name]));
  const named = (c: string) => ({ code: c, name: names.get(c) ?? c });
  const others = [...new Set(rows.flatMap((r) => r.to_codes.filter((c) => c !== r.mine)))];
  const loads = await gridLoads(q, carriers, others, now);
  return rows.map((r) => ({
    changeId: Number(r.id), kind: r.kind as 'split' | 'merge', at: iso(r.at)!,
    fromGrids: r.from_codes.map(named), toGrids: r.to_codes.map(named), grid: named(r.mine),
    others: r.to_codes.filter((c) => c !== r.mine).map((c) => ({ ...named(c), ...loads.get(c)! })),
  }));
}
