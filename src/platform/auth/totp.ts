// An optional second factor for the accounts that can do the most (administrators, command centres):
// time-based one-time passwords (RFC 6238, otplib), set up from the console. Enrolment hands out a
// secret and its otpauth:// URI (shown as a QR code and as text); the first code confirms it; from
// then on a login needs a code as well. Secrets are sealed with the personal-data key; a code is taken
// once (its time step is remembered), within one step of clock drift. No HTTP types here.
import { generateSecret, generateURI, verify } from 'otplib';
import type { Queryable } from '../db/index.ts';
import type { PersonalDataCipher } from '../crypto.ts';
import type { Actor, Role } from './actor.ts';
import { AppError, conflict, forbidden } from '../errors.ts';
import { definePolicy } from '../policy.ts';

/** Two-step verification is offered to the accounts that can change the most: administrators and command centres. */
export const accountPolicy = definePolicy({
  'account.two_factor': { roles: ['admin', 'command_centre'] as Role[], what: { zh: '设置两步验证（仅向系统管理员和指挥中心账号提供）', en: 'set up two-step verification (offered to administrator and command-centre accounts)' } },
});
const TOTP_ROLES: ReadonlySet<Role> = new Set(accountPolicy.rolesWith('account.two_factor'));
const STEP_SECONDS = 30;
const ISSUER = '共治 gongzhi';

function assertMayUse(actor: Actor): void {
  accountPolicy.assert(actor, 'account.two_factor');
}

interface TotpRow { totp_secret: string | null; totp_pending_secret: string | null; totp_enabled_at: Date | null; totp_last_step: number | null }

async function row(q: Queryable, userId: number): Promise<TotpRow> {
  const [r] = await q.query<TotpRow>('SELECT totp_secret, totp_pending_secret, totp_enabled_at, totp_last_step FROM app_user WHERE id = $1', [userId]);
  return r;
}

export async function totpStatus(q: Queryable, actor: Actor) {
  const r = await row(q, actor.id);
  return { available: TOTP_ROLES.has(actor.role), enabled: !!r?.totp_secret, enabledAt: r?.totp_enabled_at ? new Date(r.totp_enabled_at).toISOString() : null };
}

/** Starts (or restarts) an enrolment: a new secret, waiting for its first code. */
export async function startEnrolment(q: Queryable, cipher: PersonalDataCipher, actor: Actor) {
  assertMayUse(actor);
  if ((await row(q, actor.id)).totp_secret) throw conflict('totp_enabled', { zh: `两步验证已开启；如需绑定新设备，请先关闭。`, en: 'Two-step verification is on already; turn it off first to set up a new device.' });
  const secret = generateSecret();
  await q.query('UPDATE app_user SET totp_pending_secret = $2 WHERE id = $1', [actor.id, cipher.encrypt(secret)]);
  return { secret, otpauthUri: generateURI({ issuer: ISSUER, label: actor.username, secret }) };
}

/** The time step a code belongs to, or null when it is not a current code of the secret. */
async function matchingStep(secret: string, code: string, now: Date): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  const epoch = Math.floor(now.getTime() / 1000);
  const r = await verify({ secret, token: code, epoch, epochTolerance: STEP_SECONDS });
  return r.valid ? Math.floor(epoch / STEP_SECONDS) + r.delta : null;
}

/** A wrong code: 401 at login (not logged in yet), 422 when a logged-in user sets up or turns off (the session is fine). */
const wrongCode = (status: 401 | 422 = 422) => new AppError(status, 'invalid_otp', { zh: `验证码错误或已使用，请输入身份验证器应用中当前的验证码。`, en: 'The verification code is wrong or has been used; enter the current code from your authenticator app.' });

export async function confirmEnrolment(q: Queryable, cipher: PersonalDataCipher, actor: Actor, code: string, now: Date) {
  assertMayUse(actor);
  const r = await row(q, actor.id);
  if (!r.totp_pending_secret) throw conflict('no_enrolment', { zh: `请先开始设置：当前没有等待首次验证的密钥。`, en: 'Start the set-up first: there is no secret waiting for its first code.' });
  const step = await matchingStep(cipher.decrypt(r.totp_pending_secret), code, now);
  if (step == null) throw wrongCode();
  await q.query(
    'UPDATE app_user SET totp_secret = totp_pending_secret, totp_pending_secret = NULL, totp_enabled_at = $2, totp_last_step = $3 WHERE id = $1',
    [actor.id, now, step]);
  return totpStatus(q, actor);
}

/** Turns the second factor off; a current code proves the device is at hand. */
export async function disableTotp(q: Queryable, cipher: PersonalDataCipher, actor: Actor, code: string, now: Date) {
  const r = await row(q, actor.id);
  if (!r.totp_secret) throw conflict('totp_not_enabled', { zh: `两步验证未开启。`, en: 'Two-step verification is not on.' });
  await takeCode(q, cipher, actor.id, r, code, now);
  await q.query('UPDATE app_user SET totp_secret = NULL, totp_pending_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL WHERE id = $1', [actor.id]);
  return totpStatus(q, actor);
}

async function takeCode(q: Queryable, cipher: PersonalDataCipher, userId: number, r: TotpRow, code: string, now: Date, status?: 401 | 422): Promise<void> {
  const step = await matchingStep(cipher.decrypt(r.totp_secret!), code, now);
  if (step == null || (r.totp_last_step != null && step <= Number(r.totp_last_step))) throw wrongCode(status);
  // the step only moves forward: of two logins racing with one code, one wins
  const [taken] = await q.query<{ id: number }>(
    'UPDATE app_user SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2) RETURNING id', [userId, step]);
  if (!taken) throw wrongCode(status);
}

/**
 * The second step of a login whose password was right: nothing to do without TOTP; a code is needed
 * with it (401 otp_required when none was sent, invalid_otp when it is wrong or used).
 */
export async function checkSecondFactor(q: Queryable, cipher: PersonalDataCipher, userId: number, code: string | undefined, now: Date): Promise<void> {
  const r = await row(q, userId);
  if (!r?.totp_secret) return;
  if (!code) throw new AppError(401, 'otp_required', { zh: `该账号已开启两步验证：请输入身份验证器应用中的验证码。`, en: 'This account uses two-step verification: enter the code from your authenticator app.' });
  await takeCode(q, cipher, userId, r, code, now, 401);
}
