// Small helpers the grid services share: audit rows, Idempotency-Key replay, dates in China time.
import { createHash } from 'node:crypto';
import type { Db, Queryable } from '../../../platform/db/index.ts';
import type { Actor } from '../../../platform/auth/actor.ts';
import { AppError, badRequest, unprocessable } from '../../../platform/errors.ts';
import { fieldZh } from '../../../platform/fields.ts';

export async function audit(tx: Queryable, actor: Actor, action: string, target: string, regionCode: string | null, detail: Record<string, unknown>) {
  await tx.query(
    'INSERT INTO audit_log (actor_id, action, target, region_code, detail) VALUES ($1, $2, $3, $4, $5::jsonb)',
    [actor.id, action, target, regionCode, JSON.stringify(detail)]);
}

export const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);
export const isUniqueViolation = (err: any) => err?.code === '23505';

/** China Standard Time has no daylight saving: a fixed +08:00. */
const CST_MS = 8 * 3600_000;

/** 'YYYY-MM-DD' in China time → the instant the day starts. */
export function chinaDayStart(day: string): Date {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d) - CST_MS);
}

/** The China-time calendar date of an instant, 'YYYY-MM-DD'. */
export function chinaDate(at: Date): string {
  return new Date(at.getTime() + CST_MS).toISOString().slice(0, 10);
}

export { idempotencyKeyOf } from '../../../platform/http/idempotency.ts';

/**
 * Runs a write once per (user, Idempotency-Key): the first response is stored in the same
 * transaction as the write and replayed for a retry with the same body; another body with the same
 * key is refused. Without a key the write simply runs.
 */
export async function once<T extends object>(
  db: Db, actor: Actor, key: string | undefined, scope: string, body: unknown, write: (tx: Queryable) => Promise<T>,
): Promise<T & { replayed?: true }> {
  if (!key) return db.transaction(write);
  const hash = createHash('sha256').update(`${scope}\n${JSON.stringify(body)}`).digest('hex');
  const replay = async () => {
    const [row] = await db.query<{ request_hash: string; response: T }>(
      'SELECT request_hash, response FROM idempotency_key WHERE user_id = $1 AND key = $2', [actor.id, key]);
    if (!row) return null;
    if (row.request_hash !== hash) throw unprocessable('idempotency_key_reused', { zh: `该幂等键（Idempotency-Key）已用于内容不同的请求。`, en: 'This Idempotency-Key was already used with a different request.' });
    return { ...row.response, replayed: true as const };
  };
  const earlier = await replay();
  if (earlier) return earlier;
  try {
    return await db.transaction(async (tx) => {
      const out = await write(tx);
      await tx.query(
        'INSERT INTO idempotency_key (user_id, key, request_hash, status_code, response) VALUES ($1, $2, $3, 201, $4::jsonb)',
        [actor.id, key, hash, JSON.stringify(out)]);
      return out;
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      const again = await replay();
      if (again) return again;
    }
    throw err;
  }
}

/** Rejects instants too far in the future (clock skew allowance) or too old to upload now. */
export function checkRecent(at: Date, now: Date, field: string, maxAgeDays = 30): void {
  if (at.getTime() > now.getTime() + 5 * 60_000) throw unprocessable('in_the_future', { zh: `${fieldZh(field)}不能晚于现在。`, en: `${field} lies in the future.` });
  if (at.getTime() < now.getTime() - maxAgeDays * 86_400_000) {
    throw new AppError(422, 'too_old', { zh: `${fieldZh(field)}已超过 ${maxAgeDays} 天，此类记录须由社区办公室录入。`, en: `${field} is more than ${maxAgeDays} days ago; such records are entered by the community office.` });
  }
}
