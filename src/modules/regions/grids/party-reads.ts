// A read for the participation module: the party member registered to a grid (党员到网格报到) with this
// phone (matched by its keyed hash), and the services recorded for them. No personal data beyond the
// masked phone.
import type { Queryable } from '../../../platform/db/index.ts';

export interface PartyMembership {
  memberId: number; gridCode: string; branch: string; registeredOn: string;
  services: Array<{ servedOn: string; hours: number | null; description: string }>;
}

export async function partyMemberByPhoneHash(db: Queryable, phoneHash: string): Promise<PartyMembership | null> {
  const [m] = await db.query<any>(
    `SELECT id, region_code, branch, registered_on::text AS registered_on FROM grid_party_member WHERE phone_hash = $1 AND ended_at IS NULL ORDER BY id DESC LIMIT 1`, [phoneHash]);
  if (!m) return null;
  const services = await db.query<any>('SELECT served_on::text AS served_on, hours, description FROM grid_party_service WHERE member_id = $1 ORDER BY served_on DESC LIMIT 100', [m.id]);
  return { memberId: Number(m.id), gridCode: m.region_code, branch: m.branch, registeredOn: m.registered_on,
    services: services.map((s) => ({ servedOn: s.served_on, hours: s.hours == null ? null : Number(s.hours), description: s.description })) };
}
