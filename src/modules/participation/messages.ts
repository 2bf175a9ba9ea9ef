// Messages to a resident about their own content (issue 16 leftovers): when staff hide their 议事 topic or
// wish (with the reason, from a short list and free text) or show it again, or decide a points appeal
// (申诉) they filed, they find it in 我的 › 消息.
// Written in the transaction of the moderation step; only the addressee reads or marks a message.
import type { Actor } from '../../platform/auth/actor.ts';
import type { Queryable } from '../../platform/db/index.ts';
import { notFound } from '../../platform/errors.ts';
import type { ParticipationDeps } from './deps.ts';
import type { HideReason } from './moderation.ts';

export type MessageKind = 'topic_hidden' | 'topic_unhidden' | 'wish_hidden' | 'wish_unhidden' | 'appeal_upheld' | 'appeal_rejected';
const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);

/** Tells a user about a step taken on their content (in the caller's transaction). */
export async function notifyUser(tx: Queryable, m: { userId: number; kind: MessageKind; subjectId: number; title: string; reason?: HideReason | null; note?: string | null; at: Date }): Promise<void> {
  await tx.query('INSERT INTO pt_message (user_id, kind, subject_id, title, reason, note, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7)',
    [m.userId, m.kind, m.subjectId, m.title, m.reason ?? null, m.note ?? null, m.at]);
}

/** The signed-in user's messages, newest first, with the unread count. */
export async function myMessages(deps: ParticipationDeps, actor: Actor, q: { unread?: 'true' | 'false' }) {
  const rows = await deps.ctx.db.query<any>(
    `SELECT * FROM pt_message WHERE user_id = $1 ${q.unread === 'true' ? 'AND read_at IS NULL' : ''} ORDER BY created_at DESC, id DESC LIMIT 100`, [actor.id]);
  const [{ n }] = await deps.ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM pt_message WHERE user_id = $1 AND read_at IS NULL', [actor.id]);
  return {
    unread: n,
    items: rows.map((m) => ({
      id: Number(m.id), kind: m.kind as MessageKind, subjectId: Number(m.subject_id),
      // the topic's id for topic messages (as before subjectId)
      topicId: Number(m.subject_id), title: m.title as string,
      reason: (m.reason ?? null) as HideReason | null, note: (m.note ?? null) as string | null, at: iso(m.created_at), read: m.read_at != null,
    })),
  };
}

/** Marks one of the user's messages read (someone else's is not found). */
export async function markMessageRead(deps: ParticipationDeps, actor: Actor, id: number) {
  const [m] = await deps.ctx.db.query<any>('UPDATE pt_message SET read_at = coalesce(read_at, $3) WHERE id = $1 AND user_id = $2 RETURNING id', [id, actor.id, deps.ctx.now()]);
  if (!m) throw notFound({ zh: `消息 ${id}`, en: `Message ${id}` });
  return { id, read: true };
}
