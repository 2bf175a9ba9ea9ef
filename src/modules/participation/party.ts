// Party members (党员到网格报到, registered to their grid by the regions module) take tasks that count for
// them — wishes claimed as a party member, patrols of their grid (党员巡逻), volunteer activities and
// emergency tasks — and see their record: the registration (found by the phone the resident signed in
// with), the services and patrols the grid holds for them, the wishes they claimed as a party member and
// their volunteer hours. A party member records a patrol of their own grid themselves; grid staff may
// record one for them (POST /api/v1/grids/:code/party-members/:id/services with kind patrol).
import type { Actor } from '../../platform/auth/actor.ts';
import { unprocessable } from '../../platform/errors.ts';
import { partyMemberByPhoneHash, recordPartyPatrol } from '../regions/index.ts';
import { both, type ParticipationDeps } from './deps.ts';
import { participationPolicy } from './policy.ts';

const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);
const HOUR = 3_600_000;
/** A patrol is reported within a week, lasts at most 12 hours, and has ended (5 minutes' slack for phone clocks). */
const PATROL_WITHIN_MS = 7 * 24 * HOUR;
const PATROL_MAX_MS = 12 * HOUR;
const CLOCK_SLACK_MS = 5 * 60_000;

async function phoneHashOf(deps: ParticipationDeps, actor: Actor): Promise<string | null> {
  const [r] = await deps.ctx.db.query<any>('SELECT phone_hash FROM pt_resident WHERE user_id = $1', [actor.id]);
  return r?.phone_hash ?? null;
}

export async function partyRecord(deps: ParticipationDeps, actor: Actor) {
  participationPolicy.assert(actor, 'participation.volunteer.join');
  const { db } = deps.ctx;
  const hash = await phoneHashOf(deps, actor);
  const membership = hash ? await partyMemberByPhoneHash(db, hash) : null;
  const wishes = await db.query<any>(`SELECT id, title, state, claimed_at, confirmed_at, thanks FROM pt_wish WHERE claimed_by = $1 AND claimant_kind = 'party_member' ORDER BY claimed_at DESC`, [actor.id]);
  const [hours] = await db.query<any>(
    `SELECT coalesce(sum(s.hours), 0) AS hours, count(s.checked_in_at)::int AS activities, count(s.checked_in_at) FILTER (WHERE a.mobilisation_id IS NOT NULL)::int AS emergencies
     FROM pt_volunteer v JOIN pt_activity_signup s ON s.volunteer_id = v.id JOIN pt_activity a ON a.id = s.activity_id AND a.district_code = s.district_code WHERE v.user_id = $1`, [actor.id]);
  const patrols = membership?.services.filter((s) => s.kind === 'patrol') ?? [];
  return {
    membership: membership && { ...membership, services: membership.services.filter((s) => s.kind === 'service') },
    patrols: { count: patrols.length, hours: Math.round(patrols.reduce((s, p) => s + (p.hours ?? 0), 0) * 10) / 10, items: patrols },
    wishes: wishes.map((w) => ({ id: Number(w.id), title: w.title, state: w.state, claimedAt: iso(w.claimed_at), confirmedAt: iso(w.confirmed_at), thanks: w.thanks })),
    volunteering: { hours: Number(hours?.hours ?? 0), activities: hours?.activities ?? 0, emergencyTasks: hours?.emergencies ?? 0 },
  };
}

/** A party member records a patrol of their grid: it goes on the grid's record of them, as a patrol. */
export async function recordPatrol(deps: ParticipationDeps, actor: Actor, b: { startedAt: string; endedAt: string; note?: string }) {
  participationPolicy.assert(actor, 'participation.volunteer.join');
  const now = deps.ctx.now();
  const start = new Date(b.startedAt);
  const end = new Date(b.endedAt);
  const ms = end.getTime() - start.getTime();
  if (ms <= 0) throw unprocessable('patrol_times', both('结束时间须晚于开始时间', 'The patrol ends after it starts.'));
  if (ms > PATROL_MAX_MS) throw unprocessable('patrol_too_long', both('一次巡逻最长12小时', 'A patrol lasts at most 12 hours.'));
  if (end.getTime() > now.getTime() + CLOCK_SLACK_MS) throw unprocessable('in_the_future', both('巡逻结束后再登记', 'Record a patrol once it has ended.'));
  if (start.getTime() < now.getTime() - PATROL_WITHIN_MS) throw unprocessable('patrol_too_old', both('请在巡逻后7天内登记', 'Record a patrol within 7 days.'));
  // the hours, to the half hour (as the grid records its party members' services), at least half an hour
  const hours = Math.max(0.5, Math.round((ms / HOUR) * 2) / 2);
  return recordPartyPatrol(deps.ctx.db, actor, await phoneHashOf(deps, actor), { startedAt: start, hours, note: b.note ?? '党员巡逻' }, now);
}
