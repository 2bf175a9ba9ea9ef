// Residents sign in with their phone number and a one-time code. Codes go through a pluggable SMS sender:
// GONGZHI_SMS_WEBHOOK (the gateway's HTTP endpoint), or one given to createParticipation. Without a
// sender, development mode writes the code to the server log (a warning, so it is seen), and production
// mode does not start the feature: the two endpoints answer 503 sms_sender_missing, and start-up logs why.
// The first sign-in of a phone makes a resident account (no password) in the community the resident
// names; linking it to the registry person (residents.ts) gives it a household.
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { AppContext } from '../../platform/context.ts';
import { maskPhone } from '../../platform/crypto.ts';
import { AppError, unprocessable } from '../../platform/errors.ts';
import { createUser, getActor } from '../../platform/auth/service.ts';
import { regionLevels } from '../../platform/scope.ts';
import { both } from './deps.ts';

/** `log`: the development sender (the code is in the server log); `sms`: a real gateway. */
export interface SmsSender { description: string; delivery?: 'sms' | 'log'; send(phone: string, text: string): Promise<void> }

const CODE_MINUTES = 5;
const MAX_TRIES = 5;
const MAX_CODES_PER_HOUR = 5;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** The configured sender; null when there is none in production (the feature is off). */
export function smsSenderFor(ctx: AppContext): SmsSender | null {
  const url = ctx.config.GONGZHI_SMS_WEBHOOK;
  if (url) {
    return {
      description: `webhook ${new URL(url).host}`,
      async send(phone, text) {
        const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ phone, text }), signal: AbortSignal.timeout(10_000) });
        if (!r.ok) throw new AppError(503, 'sms_failed', both('短信发送失败，请稍后再试', 'The code could not be sent; try again later.'));
      },
    };
  }
  if (ctx.config.production) return null;
  return {
    description: 'development log', delivery: 'log',
    async send(phone, text) { ctx.log.warn({ sms: { to: maskPhone(phone), text } }, `development SMS (no sender configured): ${text}`); },
  };
}

export class ResidentSignIn {
  constructor(private readonly ctx: AppContext, readonly sender: SmsSender | null) {
    // a district without an SMS gateway is a normal set-up, not a fault: residents sign in by password
    if (!sender) ctx.log.warn('resident sign-in by phone is off: production mode has no SMS sender (set GONGZHI_SMS_WEBHOOK)');
  }

  private on(): SmsSender {
    if (!this.sender) throw new AppError(503, 'sms_sender_missing', both('短信验证码登录未开通', 'Sign-in by text message is not available: no SMS sender is configured.'));
    return this.sender;
  }

  /** Sends a code to the phone (the answer is the same whether or not an account exists). */
  async sendCode(phone: string): Promise<{ sentTo: string; expiresInSeconds: number; delivery: 'sms' | 'log' }> {
    const sender = this.on();
    const { db, cipher } = this.ctx;
    const now = this.ctx.now();
    const phoneHash = cipher.lookupHash(phone);
    const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM pt_sign_in_code WHERE phone_hash = $1 AND created_at > $2', [phoneHash, new Date(now.getTime() - 3600_000)]);
    if (n >= MAX_CODES_PER_HOUR) throw new AppError(429, 'too_many_codes', both('验证码发送过于频繁，请一小时后再试', 'Too many codes for this phone; try again in an hour.'));
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    await db.query('INSERT INTO pt_sign_in_code (phone_hash, code_hash, expires_at, created_at) VALUES ($1, $2, $3, $4)',
      [phoneHash, sha256(`${phoneHash}:${code}`), new Date(now.getTime() + CODE_MINUTES * 60_000), now]);
    await sender.send(phone, `【共治】您的登录验证码是 ${code}，${CODE_MINUTES} 分钟内有效。请勿告诉他人。`);
    // where the code went (never the code): a development server says to look in its log
    return { sentTo: maskPhone(phone), expiresInSeconds: CODE_MINUTES * 60, delivery: sender.delivery ?? 'sms' };
  }

  /** Checks the latest code of the phone; signs the resident in, making their account at the first sign-in. */
  async signIn(phone: string, code: string, communityCode?: string) {
    this.on();
    const { db, cipher } = this.ctx;
    const now = this.ctx.now();
    const phoneHash = cipher.lookupHash(phone);
    const wrong = () => new AppError(401, 'invalid_code', both('验证码错误或已过期', 'The code is wrong or has expired.'));
    const userId = await db.transaction(async (tx) => {
      const [c] = await tx.query<any>('SELECT * FROM pt_sign_in_code WHERE phone_hash = $1 ORDER BY created_at DESC, id DESC LIMIT 1 FOR UPDATE', [phoneHash]);
      if (!c || c.used_at || new Date(c.expires_at) <= now || c.attempts >= MAX_TRIES) throw wrong();
      await tx.query('UPDATE pt_sign_in_code SET attempts = attempts + 1 WHERE id = $1', [c.id]);
      const ok = timingSafeEqual(Buffer.from(c.code_hash, 'hex'), Buffer.from(sha256(`${phoneHash}:${code}`), 'hex'));
      if (!ok) return null;
      await tx.query('UPDATE pt_sign_in_code SET used_at = $2 WHERE id = $1', [c.id, now]);
      const [r] = await tx.query<{ user_id: number }>('SELECT user_id FROM pt_resident WHERE phone_hash = $1', [phoneHash]);
      if (r) return Number(r.user_id);
      if (!communityCode) throw unprocessable('community_required', both('首次登录请选择所在社区', 'At the first sign-in, name the community you live in.'));
      const [region] = await tx.query<any>(`SELECT code FROM region WHERE code = $1 AND length(code) = 12`, [communityCode]);
      if (!region) throw unprocessable('unknown_region', both('社区不存在', `Community ${communityCode} does not exist.`));
      const id = await createUser(tx, { username: `r-${randomBytes(6).toString('hex')}`, displayName: `居民 ${maskPhone(phone)}`, passwordHash: '!', role: 'resident', regionCode: communityCode });
      await tx.query(`INSERT INTO pt_resident (user_id, district_code, region_code, phone_hash, phone_masked) VALUES ($1, $2, $3, $4, $5)`,
        [id, regionLevels(communityCode).district, communityCode, phoneHash, maskPhone(phone)]);
      return id;
    });
    if (userId == null) throw wrong();
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + this.ctx.config.GONGZHI_SESSION_HOURS * 3600_000);
    await db.query('INSERT INTO session (token_hash, user_id, expires_at) VALUES ($1, $2, $3)', [sha256(token), userId, expiresAt]);
    const actor = (await getActor(db, userId))!;
    return { token, expiresAt, user: { ...actor, abilities: this.ctx.abilities.of(actor) } };
  }
}
