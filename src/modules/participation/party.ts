// Party members (党员到网格报到, registered to their grid by the regions module) take tasks that count for
// them — wishes claimed as a party member, volunteer activities and emergency tasks — and see their
// record: the registration (found by the phone the resident signed in with), the services the grid
// recorded, the wishes they claimed as a party member and their volunteer hours.
import type { Actor } from '../../platform/auth/actor.ts';
import { partyMemberByPhoneHash } from '../regions/index.ts';
import type { ParticipationDeps } from './deps.ts';
import { participationPolicy } from './policy.ts';

const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);

export async function partyRecord(deps: ParticipationDeps, actor: Actor) {
  participationPolicy.assert(actor, 'participation.volunteer.join');
  const { db } = deps.ctx;
  const [r] = await db.query<any>('SELECT phone_hash FROM pt_resident WHERE user_id = $1', [actor.id]);
  const membership = r?.phone_hash ? await partyMemberByPhoneHash(db, r.phone_hash) : null;
  const wishes = await db.query<any>(`SELECT id, title, state, claimed_at, confirmed_at, thanks FROM pt_wish WHERE claimed_by = $1 AND claimant_kind = 'party_member' ORDER BY claimed_at DESC`, [actor.id]);
  const [hours] = await db.query<any>(
    `SELECT coalesce(sum(s.hours), 0) AS hours, count(s.checked_in_at)::int AS activities, count(s.checked_in_at) FILTER (WHERE a.mobilisation_id IS NOT NULL)::int AS emergencies
     FROM pt_volunteer v JOIN pt_activity_signup s ON s.volunteer_id = v.id JOIN pt_activity a ON a.id = s.activity_id AND a.district_code = s.district_code WHERE v.user_id = $1`, [actor.id]);
  return {
    membership,
    wishes: wishes.map((w) => ({ id: Number(w.id), title: w.title, state: w.state, claimedAt: iso(w.claimed_at), confirmedAt: iso(w.confirmed_at), thanks: w.thanks })),
    volunteering: { hours: Number(hours?.hours ?? 0), activities: hours?.activities ?? 0, emergencyTasks: hours?.emergencies ?? 0 },
  };
}
