// Housekeeping: rows that only matter for a while expire by a documented policy (README, Configuration):
//   outbox events           GONGZHI_OUTBOX_RETENTION_DAYS (7): SSE clients resume from them and every
//                           process reads them; a process further behind than this rebuilds its state.
//   idempotency keys        GONGZHI_IDEMPOTENCY_RETENTION_DAYS (7): a retry with the same key after this
//                           is a new request.
//   sessions                GONGZHI_SESSION_RETENTION_DAYS (30) after they expired or were revoked.
// Other pieces add their own tasks (the file store drops blobs no attachment uses). Every task deletes
// only what is past its limit, so several processes may run the job at once.
import type { Db } from './db/index.ts';
import type { Config } from './config.ts';

export interface RetentionPolicy { outboxDays: number; idempotencyDays: number; sessionDays: number }

export function retentionPolicy(config: Config): RetentionPolicy {
  return {
    outboxDays: config.GONGZHI_OUTBOX_RETENTION_DAYS,
    idempotencyDays: config.GONGZHI_IDEMPOTENCY_RETENTION_DAYS,
    sessionDays: config.GONGZHI_SESSION_RETENTION_DAYS,
  };
}

/** A housekeeping task: removes what has expired at `now`; returns counts by kind. */
export type HousekeepingTask = (now: Date) => Promise<Record<string, number>>;

const BATCH = 5000;
const daysBefore = (now: Date, days: number) => new Date(now.getTime() - days * 86_400_000);

/**
 * Deletes outbox events older than the cutoff from the oldest position up to the first younger one, so
 * the positions kept stay contiguous (a resuming client's replay then has no holes).
 */
export async function expireOutbox(db: Db, cutoff: Date): Promise<number> {
  const [young] = await db.query<{ pos: number }>(
    'SELECT pos FROM outbox WHERE pos IS NOT NULL AND created_at >= $1 ORDER BY pos LIMIT 1', [cutoff]);
  const [head] = await db.query<{ pos: number }>('SELECT pos FROM outbox_head');
  const before = young ? Number(young.pos) : Number(head?.pos ?? 0) + 1;
  let deleted = 0;
  for (;;) {
    const [r] = await db.query<{ n: number }>(
      `WITH d AS (DELETE FROM outbox WHERE id IN (
         SELECT id FROM outbox WHERE pos IS NOT NULL AND pos < $1 ORDER BY pos LIMIT ${BATCH}) RETURNING 1)
       SELECT count(*)::int AS n FROM d`, [before]);
    deleted += r.n;
    if (r.n < BATCH) return deleted;
  }
}

export async function expireIdempotencyKeys(db: Db, cutoff: Date): Promise<number> {
  let deleted = 0;
  for (;;) {
    const [r] = await db.query<{ n: number }>(
      `WITH d AS (DELETE FROM idempotency_key WHERE (user_id, key) IN (
         SELECT user_id, key FROM idempotency_key WHERE created_at < $1 LIMIT ${BATCH}) RETURNING 1)
       SELECT count(*)::int AS n FROM d`, [cutoff]);
    deleted += r.n;
    if (r.n < BATCH) return deleted;
  }
}

/** Sessions that expired, or were revoked, before the cutoff. */
export async function expireSessions(db: Db, cutoff: Date): Promise<number> {
  const [r] = await db.query<{ n: number }>(
    `WITH d AS (DELETE FROM session WHERE expires_at < $1 OR revoked_at < $1 RETURNING 1) SELECT count(*)::int AS n FROM d`, [cutoff]);
  return r.n;
}

/** The platform's own expiry tasks under a policy. */
export function retentionTask(db: Db, policy: RetentionPolicy): HousekeepingTask {
  return async (now) => ({
    outbox: await expireOutbox(db, daysBefore(now, policy.outboxDays)),
    idempotencyKeys: await expireIdempotencyKeys(db, daysBefore(now, policy.idempotencyDays)),
    sessions: await expireSessions(db, daysBefore(now, policy.sessionDays)),
  });
}

/** Runs every task once; a failing task does not stop the others. */
export async function runHousekeeping(tasks: HousekeepingTask[], now: Date, onError: (err: unknown) => void): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const task of tasks) {
    try { Object.assign(out, await task(now)); } catch (err) { onError(err); }
  }
  return out;
}

/** Runs the tasks shortly after start and then on an interval, until stopped. */
export function startHousekeeping(tasks: HousekeepingTask[], intervalMs: number, now: () => Date,
  log: { info(o: object, msg: string): void; warn(o: object, msg: string): void }): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const counts = await runHousekeeping(tasks, now(), (err) => log.warn({ err }, 'housekeeping task failed; will retry'));
      if (Object.values(counts).some((n) => n > 0)) log.info({ expired: counts }, 'housekeeping');
    } finally {
      running = false;
    }
  };
  const first = setTimeout(() => void tick(), 10_000);
  const timer = setInterval(() => void tick(), intervalMs);
  first.unref();
  timer.unref();
  return () => { clearTimeout(first); clearInterval(timer); };
}
