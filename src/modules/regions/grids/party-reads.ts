// For the participation module: a resident who signed in by phone finds their 党员到网格报到 record (the
// party member registered to a grid with this phone, matched by its keyed hash) with the services and
// patrols recorded for them, and records a patrol of their own grid (党员巡逻). No personal data beyond
// the masked phone.
import type { Db, Queryable } from '../../../platform/db/index.ts';
import type { Actor } from '../../../platform/auth/actor.ts';
import { AppError, unprocessable } from '../../../platform/errors.ts';
import { audit, chinaDate } from './common.ts';

export interface PartyService { id: number; kind: 'service' | 'patrol'; servedOn: string; hours: number | null; description: string }
export interface PartyMembership { memberId: number; gridCode: string; branch: string; registeredOn: string; services: PartyService[] }

const serviceOf = (s: any): PartyService => ({
  id: Number(s.id), kind: s.kind, servedOn: s.served_on, hours: s.hours == null ? null : Number(s.hours), description: s.description,
});

async function memberByPhoneHash(db: Queryable, phoneHash: string) {
  const [m] = await db.query<any>(
    `SELECT id, region_code, branch, registered_on::text AS registered_on FROM grid_party_member WHERE phone_hash = $1 AND ended_at IS NULL ORDER BY id DESC LIMIT 1`, [phoneHash]);
  return m ?? null;
}

export async function partyMemberByPhoneHash(db: Queryable, phoneHash: string): Promise<PartyMembership | null> {
  const m = await memberByPhoneHash(db, phoneHash);
  if (!m) return null;
  const services = await db.query<any>('SELECT id, kind, served_on::text AS served_on, hours, description FROM grid_party_service WHERE member_id = $1 ORDER BY served_on DESC, id DESC LIMIT 200', [m.id]);
  return { memberId: Number(m.id), gridCode: m.region_code, branch: m.branch, registeredOn: m.registered_on, services: services.map(serviceOf) };
}

/**
 * A party member records a patrol of the grid they are registered to (the actor is their resident
 * account, found by the phone they signed in with): an entry of kind patrol on their grid's record,
 * audited. 403 not_party_member when no registration has this phone.
 */
export async function recordPartyPatrol(db: Db, actor: Actor, phoneHash: string | null, p: { startedAt: Date; hours: number; note: string }, now: Date): Promise<PartyService & { gridCode: string }> {
  const m = phoneHash ? await memberByPhoneHash(db, phoneHash) : null;
  if (!m) throw new AppError(403, 'not_party_member', { zh: `只有到网格报到的党员可以登记党员巡逻。`, en: '只有到网格报到的党员可以登记党员巡逻 (Only party members registered to a grid record party patrols.)' });
  const servedOn = chinaDate(p.startedAt);
  if (servedOn < m.registered_on) throw unprocessable('before_registration', { zh: `巡逻日期早于您到网格报到的日期（${m.registered_on}）。`, en: `巡逻日期早于报到日期 (The patrol is before you registered to the grid on ${m.registered_on}.)` });
  if (servedOn > chinaDate(now)) throw unprocessable('in_the_future', { zh: `巡逻时间不能晚于现在。`, en: '巡逻时间不能晚于现在 (The patrol lies in the future.)' });
  return db.transaction(async (tx) => {
    const [row] = await tx.query<any>(
      `INSERT INTO grid_party_service (member_id, region_code, kind, served_on, hours, description, recorded_by, created_at)
       VALUES ($1, $2, 'patrol', $3, $4, $5, $6, $7) RETURNING id, kind, served_on::text AS served_on, hours, description`,
      [m.id, m.region_code, servedOn, p.hours, p.note, actor.id, now]);
    await audit(tx, actor, 'party_member.patrol', `party_member:${m.id}`, m.region_code, { servedOn, hours: p.hours });
    return { ...serviceOf(row), gridCode: m.region_code };
  });
}
