// Users and sessions: argon2id password hashes, opaque session tokens stored as SHA-256.
import { hash, verify } from '@node-rs/argon2';
import { createHash, randomBytes } from 'node:crypto';
import type { Db, Queryable } from '../db/index.ts';
import type { Actor, Role } from './actor.ts';
import { AppError } from '../errors.ts';

export const hashPassword = (password: string) => hash(password);
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

interface ActorRow {
  id: number; username: string; display_name: string; role: Role; unit_id: string | null;
  unit_kind: string | null; region_code: string; locale: string; password_hash?: string; active: boolean;
}

const actorColumns = `u.id, u.username, u.display_name, u.role, u.unit_id, un.kind AS unit_kind, u.region_code, u.locale, u.active`;
const actorFrom = 'app_user u LEFT JOIN unit un ON un.id = u.unit_id';
const actorSelect = `SELECT ${actorColumns} FROM ${actorFrom}`;

function toActor(r: ActorRow): Actor {
  return {
    id: Number(r.id), username: r.username, displayName: r.display_name, role: r.role,
    unitId: r.unit_id, unitKind: r.unit_kind, regionCode: r.region_code, locale: r.locale,
  };
}

// A short-lived cache in front of the session lookup keeps authentication off the hot path.
// Revocation is immediate in this process; other processes see it within CACHE_MS.
const CACHE_MS = 5_000;
const cache = new Map<string, { actor: Actor; until: number; expires: number }>();

export interface Session { token: string; expiresAt: Date; actor: Actor }

// An account that does not exist, is inactive or has no password costs one argon2 verification all
// the same, so the answer's timing does not tell which usernames exist (bench/login-timing.ts).
let dummyHash: Promise<string> | null = null;
const dummy = () => (dummyHash ??= hashPassword(randomBytes(16).toString('hex')));
const isArgon2 = (h: string | undefined): h is string => !!h?.startsWith('$argon2');

/**
 * Checks the password, then the second factor when the caller gives one (auth/totp.ts); throttling
 * failed attempts is the caller's (auth/throttle.ts, per address and account).
 */
export async function login(
  db: Db, username: string, password: string, sessionHours: number, now = new Date(),
  secondFactor?: (userId: number) => Promise<void>,
): Promise<Session> {
  const [row] = await db.query<ActorRow>(
    `SELECT u.id, u.username, u.display_name, u.role, u.unit_id, un.kind AS unit_kind, u.region_code, u.locale,
       u.active, u.password_hash FROM app_user u LEFT JOIN unit un ON un.id = u.unit_id WHERE u.username = $1`,
    [username],
  );
  const stored = isArgon2(row?.password_hash) ? row.password_hash : await dummy();
  const matches = await verify(stored, password).catch(() => false);
  if (!row || !row.active || !isArgon2(row.password_hash) || !matches) {
    throw new AppError(401, 'invalid_credentials', 'Wrong username or password.');
  }
  await secondFactor?.(Number(row.id));
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + sessionHours * 3600_000);
  await db.query('INSERT INTO session (token_hash, user_id, expires_at) VALUES ($1, $2, $3)', [sha256(token), row.id, expiresAt]);
  return { token, expiresAt, actor: toActor(row) };
}

export async function authenticate(db: Queryable, token: string, now = new Date()): Promise<Actor | null> {
  const h = sha256(token);
  const hit = cache.get(h);
  const t = now.getTime();
  if (hit && hit.until > t && hit.expires > t) return hit.actor;
  // the session's expiry too: the cache must not outlive it
  const [row] = await db.query<ActorRow & { expires_at: Date }>(
    `SELECT ${actorColumns}, s.expires_at FROM ${actorFrom} JOIN session s ON s.user_id = u.id
     WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 AND u.active`,
    [h, now], { prepare: true },
  );
  if (!row) { cache.delete(h); return null; }
  const actor = toActor(row);
  if (cache.size > 10_000) cache.clear();
  cache.set(h, { actor, until: t + CACHE_MS, expires: new Date(row.expires_at).getTime() });
  return actor;
}

export async function logout(db: Queryable, token: string): Promise<void> {
  const h = sha256(token);
  cache.delete(h);
  await db.query('UPDATE session SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL', [h]);
}

export async function getActor(db: Queryable, userId: number): Promise<Actor | null> {
  const [row] = await db.query<ActorRow>(`${actorSelect} WHERE u.id = $1`, [userId]);
  return row ? toActor(row) : null;
}

export async function createUser(db: Queryable, u: {
  username: string; displayName: string; password?: string; passwordHash?: string; role: Role;
  unitId?: string | null; regionCode: string; locale?: string;
}): Promise<number> {
  const ph = u.passwordHash ?? (await hashPassword(u.password!));
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO app_user (username, display_name, password_hash, role, unit_id, region_code, locale)
     VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id`,
    [u.username, u.displayName, ph, u.role, u.unitId ?? null, u.regionCode, u.locale ?? 'zh-CN'],
  );
  return Number(row.id);
}

/** For tests: forget cached sessions. */
export function resetAuthCaches(): void { cache.clear(); }

/**
 * Drops the cached actors of one user (after an administrator changed the account: role, unit, region,
 * activation, password), or of everyone (a unit changed kind), so this process sees the change at once.
 */
export function forgetCachedActors(userId?: number): void {
  if (userId == null) { cache.clear(); return; }
  for (const [h, entry] of cache) if (entry.actor.id === userId) cache.delete(h);
}
