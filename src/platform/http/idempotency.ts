// The Idempotency-Key header of a write: a retry with the same key gets the first answer instead of a second record.
import { createHash } from 'node:crypto';
import type { Queryable } from '../db/index.ts';
import { badRequest, conflict, unprocessable } from '../errors.ts';

const KEY = /^[\x21-\x7e]{1,200}$/;

/** The Idempotency-Key header, validated (1–200 printable ASCII characters); undefined when absent. */
export function idempotencyKeyOf(headers: Record<string, unknown>): string | undefined {
  const raw = headers['idempotency-key'];
  if (raw == null) return undefined;
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (typeof key !== 'string' || !KEY.test(key)) throw badRequest('invalid_idempotency_key', { zh: `幂等键（Idempotency-Key）须为 1–200 个可打印 ASCII 字符。`, en: 'Idempotency-Key must be 1–200 printable ASCII characters.' });
  return key;
}

/** What a write under an Idempotency-Key answered: the first answer, and whether this is a replay of it. */
export interface Once<T> { value: T; replayed: boolean }

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs a create once per (user, Idempotency-Key) for services that keep their own transactions: the key is
 * claimed first (a pending row), so a second request with it — a double click, a retry while the first is
 * still running — waits for the first and gets its answer instead of making a second record. The same key
 * with another body is refused (422); a write that fails frees its key; a claim left pending by a crashed
 * process is taken over after two minutes. Without a key the write simply runs.
 */
export async function runOnce<T>(
  db: Queryable, userId: number, key: string | undefined, scope: string, body: unknown, write: () => Promise<T>, waitMs = 15_000,
): Promise<Once<T>> {
  if (!key) return { value: await write(), replayed: false };
  const hash = createHash('sha256').update(`${scope}\n${JSON.stringify(body ?? null)}`).digest('hex');
  const deadline = Date.now() + waitMs;
  for (;;) {
    await db.query(`DELETE FROM idempotency_key WHERE user_id = $1 AND key = $2 AND status_code = 0 AND created_at < now() - interval '2 minutes'`, [userId, key]);
    const claimed = await db.query(
      `INSERT INTO idempotency_key (user_id, key, request_hash, status_code, response) VALUES ($1, $2, $3, 0, 'null'::jsonb)
       ON CONFLICT (user_id, key) DO NOTHING RETURNING 1`, [userId, key, hash]);
    if (claimed.length) {
      let value: T;
      try { value = await write(); } catch (err) {
        await db.query('DELETE FROM idempotency_key WHERE user_id = $1 AND key = $2 AND status_code = 0', [userId, key]);
        throw err;
      }
      await db.query('UPDATE idempotency_key SET status_code = 201, response = $3::jsonb WHERE user_id = $1 AND key = $2', [userId, key, JSON.stringify(value ?? null)]);
      return { value, replayed: false };
    }
    const [row] = await db.query<{ request_hash: string; status_code: number; response: T }>(
      'SELECT request_hash, status_code, response FROM idempotency_key WHERE user_id = $1 AND key = $2', [userId, key]);
    if (!row) continue; // the first attempt failed and freed the key: this one runs
    if (row.request_hash !== hash) throw unprocessable('idempotency_key_reused', { zh: `该幂等键（Idempotency-Key）已用于内容不同的请求。`, en: 'This Idempotency-Key was already used with a different request.' });
    if (row.status_code !== 0) return { value: row.response, replayed: true };
    if (Date.now() > deadline) throw conflict('request_in_progress', { zh: `相同的请求（该幂等键）仍在处理中，请稍后再试。`, en: 'The same request (this Idempotency-Key) is still being processed; try again shortly.' });
    await sleep(50);
  }
}
