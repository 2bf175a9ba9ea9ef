// Dependencies and small pieces the fieldwork use cases share.
import { createHash } from 'node:crypto';
import type { Actor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Db, Queryable } from '../../platform/db/index.ts';
import { badRequest, unprocessable } from '../../platform/errors.ts';
import type { CaseDeps } from '../cases/index.ts';
import type { GridDeps, RegionService } from '../regions/index.ts';
import type { RegistryDeps } from '../registry/index.ts';
import { fieldworkPolicy, type FieldworkAbility } from './policy.ts';

export interface FieldworkDeps {
  ctx: AppContext;
  cases: CaseDeps;
  registry: RegistryDeps;
  regions: RegionService;
  grid: GridDeps;
}

export const assertCan = (actor: Actor, ability: FieldworkAbility): void => fieldworkPolicy.assert(actor, ability);
export const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);

/** YYYY-MM-DD in China time, and the instant that day starts. */
export const chinaDate = (at: Date) => new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
export const chinaDayStart = (day: string) => new Date(Date.parse(`${day}T00:00:00+08:00`));

export { idempotencyKeyOf } from '../../platform/http/idempotency.ts';

/** The stored first answer to (user, key), or null; another request under the same key is refused. */
export async function replayOf<T>(db: Queryable, actor: Actor, key: string, hash: string): Promise<(T & { replayed: true }) | null> {
  const [row] = await db.query<{ request_hash: string; response: T }>('SELECT request_hash, response FROM idempotency_key WHERE user_id = $1 AND key = $2', [actor.id, key]);
  if (!row) return null;
  if (row.request_hash !== hash) throw unprocessable('idempotency_key_reused', { zh: `该幂等键（Idempotency-Key）已用于内容不同的请求。`, en: 'This Idempotency-Key was already used with a different request.' });
  return { ...row.response, replayed: true as const };
}

export const requestHash = (scope: string, body: unknown) => createHash('sha256').update(`${scope}\n${JSON.stringify(body)}`).digest('hex');

/** Runs a write once per (user, Idempotency-Key), storing its answer in the same transaction. */
export async function once<T extends object>(db: Db, actor: Actor, key: string | undefined, scope: string, body: unknown, write: (tx: Queryable) => Promise<T>): Promise<T & { replayed?: true }> {
  if (!key) return db.transaction(write);
  const hash = requestHash(scope, body);
  const earlier = await replayOf<T>(db, actor, key, hash);
  if (earlier) return earlier;
  try {
    return await db.transaction(async (tx) => {
      const out = await write(tx);
      await tx.query('INSERT INTO idempotency_key (user_id, key, request_hash, status_code, response) VALUES ($1, $2, $3, 201, $4::jsonb)',
        [actor.id, key, hash, JSON.stringify(out)]);
      return out;
    });
  } catch (err: any) {
    if (err?.code === '23505') {
      const again = await replayOf<T>(db, actor, key, hash);
      if (again) return again;
    }
    throw err;
  }
}
