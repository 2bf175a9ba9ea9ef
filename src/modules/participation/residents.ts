// Resident accounts in participation: the registry person an account is linked to gives the resident
// their home region and household. Staff confirm a link, or the resident proves it with the ID number
// and phone the registry holds (matched by keyed hashes; nothing is revealed either way).
import { createHash, randomInt } from 'node:crypto';
import type { Actor } from '../../platform/auth/actor.ts';
import type { Queryable } from '../../platform/db/index.ts';
import { AppError, notFound, unprocessable } from '../../platform/errors.ts';
import { regionLevels, regionScope } from '../../platform/scope.ts';
import { maskName } from '../../platform/crypto.ts';
import { documentHash, participant, participantByIdentity, type Participant } from '../registry/index.ts';
import type { ParticipationDeps } from './deps.ts';
import { both } from './deps.ts';
import { participationPolicy } from './policy.ts';

export interface Resident {
  userId: number;
  /** The resident's home region: their registry person's, or the account's own until linked. */
  regionCode: string;
  personId: number | null;
  householdId: number | null;
  linked: boolean;
}

export async function residentOf(db: Queryable, actor: Actor): Promise<Resident> {
  const [r] = await db.query<any>('SELECT * FROM pt_resident WHERE user_id = $1', [actor.id]);
  if (!r) return { userId: actor.id, regionCode: actor.regionCode, personId: null, householdId: null, linked: false };
  return {
    userId: actor.id, regionCode: r.region_code, linked: r.link_status === 'linked',
    personId: r.person_id == null ? null : Number(r.person_id), householdId: r.household_id == null ? null : Number(r.household_id),
  };
}

/**
 * How a resident appears as a wisher on the walls: the masked name of their registry person once linked (王**),
 * else 居民 with the tail of their masked phone (居民（尾号5678）), else the masked name in their display name —
 * never the first digit of a phone.
 */
export async function wisherLabel(db: Queryable, actor: Pick<Actor, 'id' | 'displayName'>): Promise<string> {
  const [r] = await db.query<any>('SELECT person_id, phone_masked FROM pt_resident WHERE user_id = $1', [actor.id]);
  const p = r?.person_id == null ? null : await participant(db, Number(r.person_id));
  if (p) return p.nameMasked;
  const tail = String(r?.phone_masked ?? '').match(/(\d{4})$/)?.[1];
  if (tail) return `居民（尾号${tail}）`;
  const name = actor.displayName.trim().split(/\s+/).pop() ?? '';
  return name && !/[\d*]/.test(name) ? maskName(name) : '居民';
}

/** The registry person a linked resident is (for votes); 422 when the account is not linked yet. */
export async function linkedParticipant(db: Queryable, actor: Actor): Promise<Participant> {
  const me = await residentOf(db, actor);
  const p = me.personId == null ? null : await participant(db, me.personId);
  if (!p) throw unprocessable('not_linked', both('账号尚未关联实有人口，请先完成实名关联', 'Your account is not linked to your registry record yet; link it first.'));
  return p;
}

async function writeLink(q: Queryable, userId: number, p: Participant, via: 'staff' | 'identity' | 'seed', by: number | null, now: Date): Promise<void> {
  try {
    await q.query(
      `INSERT INTO pt_resident (user_id, district_code, region_code, person_id, household_id, link_status, linked_via, linked_by, linked_at)
       VALUES ($1, $2, $3, $4, $5, 'linked', $6, $7, $8)
       ON CONFLICT (user_id) DO UPDATE SET region_code = excluded.region_code, district_code = excluded.district_code, person_id = excluded.person_id,
         household_id = excluded.household_id, link_status = 'linked', linked_via = excluded.linked_via, linked_by = excluded.linked_by, linked_at = excluded.linked_at`,
      [userId, regionLevels(p.regionCode).district, p.regionCode, p.personId, p.householdId, via, by, now]);
    // the wishes the resident posted before the link show the linked person's masked name from now on
    await q.query('UPDATE pt_wish SET wisher_masked = $2 WHERE wisher_user_id = $1', [userId, p.nameMasked]);
  } catch (err: any) {
    if (err?.code === '23505') throw new AppError(409, 'person_already_linked', both('该实有人口已关联其他账号', 'This registry person is linked to another account.'));
    throw err;
  }
}

/** Staff confirm that a resident account is this registry person (in the staff member's territory). */
export async function linkByStaff(deps: ParticipationDeps, actor: Actor, userId: number, personId: number): Promise<Resident> {
  participationPolicy.assert(actor, 'participation.resident.link');
  const { db } = deps.ctx;
  const [u] = await db.query<{ role: string }>('SELECT role FROM app_user WHERE id = $1 AND active AND NOT is_system', [userId]);
  if (!u || u.role !== 'resident') throw notFound({ zh: `居民账号 ${userId}`, en: `Resident account ${userId}` });
  const p = await participant(db, personId);
  if (!p || !regionScope(actor).has(p.regionCode)) throw notFound({ zh: `人员 ${personId}`, en: `Person ${personId}` });
  await db.transaction(async (tx) => {
    await writeLink(tx, userId, p, 'staff', actor.id, deps.ctx.now());
    await tx.query(`INSERT INTO audit_log (actor_id, action, target, region_code, detail) VALUES ($1, 'participation.link_resident', $2, $3, $4::jsonb)`,
      [actor.id, `user:${userId}`, p.regionCode, JSON.stringify({ personId })]);
  });
  return residentOf(db, { id: userId } as Actor);
}

/** A resident links their own account by the ID number and phone the registry holds. */
export async function linkByIdentity(deps: ParticipationDeps, actor: Actor, idNumber: string, phone: string): Promise<Resident> {
  if (actor.role !== 'resident') throw new AppError(403, 'forbidden', both('只有居民账号可以实名关联', 'Only resident accounts link themselves to the registry.'));
  const { db, cipher } = deps.ctx;
  const p = await participantByIdentity(db, { idHash: documentHash(cipher, '111', idNumber), phoneHash: cipher.lookupHash(phone.trim()) });
  if (!p) throw unprocessable('identity_mismatch', both('身份证号与手机号未能匹配登记信息，请联系社区确认', 'The ID number and phone do not match a registry record; ask your community to confirm you.'));
  await db.transaction((tx) => writeLink(tx, actor.id, p, 'identity', actor.id, deps.ctx.now()));
  return residentOf(db, actor);
}

// 关联码: 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L), shown as XXXX-XXXX.
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const LINK_CODE_DAYS = 7;
const codeHash = (code: string) => createHash('sha256').update(`pt-link:${code.replace(/[\s-]/g, '').toUpperCase()}`).digest('hex');

/**
 * A grid worker (or the community) makes a one-time 关联码 for a registry person of their territory, to hand
 * to the resident; valid for seven days, once. The code is shown only in this answer.
 */
export async function issueLinkCode(deps: ParticipationDeps, actor: Actor, personId: number) {
  participationPolicy.assert(actor, 'participation.resident.link');
  const { db } = deps.ctx;
  const p = await participant(db, personId);
  if (!p || !regionScope(actor).has(p.regionCode)) throw notFound({ zh: `人员 ${personId}`, en: `Person ${personId}` });
  const raw = Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
  const code = `${raw.slice(0, 4)}-${raw.slice(4)}`;
  const now = deps.ctx.now();
  const expiresAt = new Date(now.getTime() + LINK_CODE_DAYS * 86_400_000);
  await db.transaction(async (tx) => {
    await tx.query('INSERT INTO pt_link_code (person_id, code_hash, created_by, created_at, expires_at) VALUES ($1,$2,$3,$4,$5)', [personId, codeHash(code), actor.id, now, expiresAt]);
    await tx.query(`INSERT INTO audit_log (actor_id, action, target, region_code, detail) VALUES ($1, 'participation.link_code', $2, $3, '{}'::jsonb)`,
      [actor.id, `person:${personId}`, p.regionCode]);
  });
  return { code, expiresAt: expiresAt.toISOString() };
}

/** A resident links their own account by the 关联码 a worker gave them (the worker vouches for the link). */
export async function linkByCode(deps: ParticipationDeps, actor: Actor, code: string): Promise<Resident> {
  if (actor.role !== 'resident') throw new AppError(403, 'forbidden', { zh: '只有居民账号可以用关联码关联。', en: 'Only resident accounts link themselves with a code.' });
  const { db } = deps.ctx;
  const now = deps.ctx.now();
  await db.transaction(async (tx) => {
    const [c] = await tx.query<any>('SELECT * FROM pt_link_code WHERE code_hash = $1 FOR UPDATE', [codeHash(code)]);
    if (!c || c.used_at || new Date(c.expires_at) <= now) {
      throw unprocessable('link_code_invalid', { zh: '关联码不正确、已使用或已过期，请向网格员重新获取。', en: 'The code is wrong, used or expired; ask your grid worker for a new one.' });
    }
    const p = await participant(tx, Number(c.person_id));
    if (!p) throw unprocessable('link_code_invalid', { zh: '关联码对应的人员已不在登记中，请联系网格员。', en: 'The person of this code is no longer registered; ask your grid worker.' });
    await tx.query('UPDATE pt_link_code SET used_at = $2, used_by = $3 WHERE id = $1', [c.id, now, actor.id]);
    await writeLink(tx, actor.id, p, 'staff', Number(c.created_by), now);
    await tx.query(`INSERT INTO audit_log (actor_id, action, target, region_code, detail) VALUES ($1, 'participation.link_resident', $2, $3, $4::jsonb)`,
      [actor.id, `user:${actor.id}`, p.regionCode, JSON.stringify({ personId: p.personId, viaCodeOf: Number(c.created_by) })]);
  });
  return residentOf(db, actor);
}

/** Links a demo resident (the seed), without checks. */
export async function linkForSeed(q: Queryable, userId: number, p: Participant, now: Date): Promise<void> {
  await writeLink(q, userId, p, 'seed', null, now);
}

/** Whether a region is where the resident lives or above it (a vote or notice addressed to them). */
export const addressedTo = (me: Resident, regionCode: string) => me.regionCode.startsWith(regionCode);

/** The communities (12-digit regions) with their street's name, for public pages and the first sign-in. */
export async function listCommunities(deps: ParticipationDeps) {
  const rows = await deps.ctx.db.query<any>(
    `SELECT c.code, c.name, s.name AS street_name FROM region c LEFT JOIN region s ON s.code = c.parent_code
     WHERE length(c.code) = 12 ORDER BY c.code LIMIT 5000`);
  return { items: rows.map((r) => ({ code: r.code as string, name: r.name as string, streetName: (r.street_name ?? null) as string | null })) };
}
