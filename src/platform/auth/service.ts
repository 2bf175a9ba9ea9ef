// Users and sessions: argon2id password hashes, opaque session tokens stored as SHA-256.
import { hash, verify } from '@node-rs/argon2';
import * as nodeCrypto from 'node:crypto';
import { createHash, randomBytes } from 'node:crypto';
import type { Db, Queryable } from '../db/index.ts';
import type { Actor, Role } from './actor.ts';
import { AppError } from '../errors.ts';

export const hashPassword = (password: string) => hash(password);
// Every authenticated request hashes its token: crypto.hash (Node ≥ 20.12) does it in one call, without a
// Hash object (≈ 2.5 µs against ≈ 5.5 µs on this platform's VMs); the same digest either way.
const sha256: (s: string) => string = typeof nodeCrypto.hash === 'function'
  ? (s) => nodeCrypto.hash('sha256', s, 'hex')
  : (s) => createHash('sha256').update(s).digest('hex');

interface ActorRow {
  id: number; username: string; display_name: string; role: Role; unit_id: string | null;
  unit_kind: string | null; region_code: string; locale: string; password_hash?: string; active: boolean;
  demo: boolean; password_change_required: boolean; password_public: boolean;
}

const actorColumns = `u.id, u.username, u.display_name, u.role, u.unit_id, un.kind AS unit_kind, u.region_code, u.locale, u.active,
  u.demo, u.password_change_required, u.password_public`;
const actorFrom = 'app_user u LEFT JOIN unit un ON un.id = u.unit_id';
const actorSelect = `SELECT ${actorColumns} FROM ${actorFrom}`;

function toActor(r: ActorRow): Actor {
  return {
    id: Number(r.id), username: r.username, displayName: r.display_name, role: r.role,
    unitId: r.unit_id, unitKind: r.unit_kind, regionCode: r.region_code, locale: r.locale,
    demo: r.demo === true, passwordChangeRequired: r.password_change_required === true, passwordPublic: r.password_public === true,
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
    `SELECT ${actorColumns}, u.password_hash FROM ${actorFrom} WHERE u.username = $1`,
    [username],
  );
  const stored = isArgon2(row?.password_hash) ? row.password_hash : await dummy();
  const matches = await verify(stored, password).catch(() => false);
  if (!row || !row.active || !isArgon2(row.password_hash) || !matches) {
    throw new AppError(401, 'invalid_credentials', { zh: `用户名或密码错误。`, en: 'Wrong username or password.' });
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
  announceSessionChange({ tokenHash: h });
}

export async function getActor(db: Queryable, userId: number): Promise<Actor | null> {
  const [row] = await db.query<ActorRow>(`${actorSelect} WHERE u.id = $1`, [userId]);
  return row ? toActor(row) : null;
}

export async function createUser(db: Queryable, u: {
  username: string; displayName: string; password?: string; passwordHash?: string; role: Role;
  unitId?: string | null; regionCode: string; locale?: string;
  /** a demo account (the demo seed's) */
  demo?: boolean;
  /** the password was generated: it must be changed at the first login */
  passwordChangeRequired?: boolean;
  /** the password is published (the demo accounts'); by default, a demo account's is */
  passwordPublic?: boolean;
}): Promise<number> {
  const ph = u.passwordHash ?? (await hashPassword(u.password!));
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO app_user (username, display_name, password_hash, role, unit_id, region_code, locale, demo, password_change_required, password_public)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) RETURNING id`,
    [u.username, u.displayName, ph, u.role, u.unitId ?? null, u.regionCode, u.locale ?? 'zh-CN', u.demo ?? false, u.passwordChangeRequired ?? false,
      u.passwordPublic ?? u.demo ?? false],
  );
  return Number(row.id);
}

/** The shortest password a user may choose (the administration API's rule too). */
export const MIN_PASSWORD_LENGTH = 10;

/**
 * A user changes their own password: the current one must be right, the new one different. Clears the
 * must-change flag and ends the user's other sessions (the one in use, `keepTokenHash`, stays).
 */
export async function changePassword(db: Db, actor: Actor, current: string, next: string, keepToken: string | null, now = new Date()): Promise<void> {
  const [row] = await db.query<{ password_hash: string }>('SELECT password_hash FROM app_user WHERE id = $1 AND active', [actor.id]);
  if (!row || !(await verify(row.password_hash, current).catch(() => false))) {
    throw new AppError(403, 'wrong_password', { zh: `当前密码不正确。`, en: 'The current password is not right.' });
  }
  if (next === current) throw new AppError(422, 'password_unchanged', { zh: `新密码不能与当前密码相同。`, en: 'Choose a new password that differs from the current one.' });
  if (next.length < MIN_PASSWORD_LENGTH) throw new AppError(422, 'password_too_short', { zh: `密码至少 ${MIN_PASSWORD_LENGTH} 位。`, en: `Passwords have at least ${MIN_PASSWORD_LENGTH} characters.` });
  const passwordHash = await hashPassword(next);
  await db.transaction(async (tx) => {
    await tx.query('UPDATE app_user SET password_hash = $2, password_change_required = false, password_public = false WHERE id = $1', [actor.id, passwordHash]);
    await tx.query('UPDATE session SET revoked_at = $3 WHERE user_id = $1 AND revoked_at IS NULL AND token_hash <> $2',
      [actor.id, keepToken ? sha256(keepToken) : '', now]);
    await tx.query(`INSERT INTO audit_log (actor_id, action, target, region_code, detail) VALUES ($1, 'user.password_change', $2, $3, '{}'::jsonb)`,
      [actor.id, `user:${actor.id}`, actor.regionCode]);
  });
  forgetCachedActors(actor.id);
}

/** For tests: forget cached sessions. */
export function resetAuthCaches(): void { cache.clear(); }

/**
 * Drops the cached actors of one user (after an administrator changed the account: role, unit, region,
 * activation, password), or of everyone (a unit changed kind), so this process sees the change at once.
 */
export function forgetCachedActors(userId?: number): void {
  if (userId == null) cache.clear();
  else for (const [h, entry] of cache) if (entry.actor.id === userId) cache.delete(h);
  announceSessionChange(userId == null ? {} : { userId });
}

// ---------------------------------------------------------------------------------------------
// Sessions of long-lived connections (event streams): they must end when their session does.

/** The stored form of a session token. */
export const sessionTokenHash = sha256;

/** What changed in this process: one session (logout), one user's account, or every account (no field). */
export interface SessionChange { tokenHash?: string; userId?: number }
const sessionChangeListeners = new Set<(c: SessionChange) => void>();

/** Long-lived connections of this process re-check their sessions at once when one changes here. */
export function onSessionChange(fn: (c: SessionChange) => void): () => void {
  sessionChangeListeners.add(fn);
  return () => { sessionChangeListeners.delete(fn); };
}

function announceSessionChange(c: SessionChange): void {
  for (const fn of sessionChangeListeners) fn(c);
}

export type SessionEnd = 'revoked' | 'expired' | 'deactivated';
export interface SessionState { actor: Actor; expiresAt: Date; ended: SessionEnd | null }

/** The state of each session, read from the database (no cache): a token missing from the map is gone. */
export async function sessionStates(db: Queryable, tokenHashes: string[], now: Date): Promise<Map<string, SessionState>> {
  if (!tokenHashes.length) return new Map();
  const rows = await db.query<ActorRow & { token_hash: string; expires_at: Date; revoked_at: Date | null }>(
    `SELECT ${actorColumns}, s.token_hash, s.expires_at, s.revoked_at FROM ${actorFrom} JOIN session s ON s.user_id = u.id
     WHERE s.token_hash = ANY($1::text[])`, [tokenHashes]);
  return new Map(rows.map((r) => {
    const expiresAt = new Date(r.expires_at);
    const ended: SessionEnd | null = !r.active ? 'deactivated' : r.revoked_at ? 'revoked' : expiresAt <= now ? 'expired' : null;
    return [r.token_hash, { actor: toActor(r), expiresAt, ended }];
  }));
}
