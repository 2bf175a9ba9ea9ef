// Moderation of residents' content (issue 16, item 9): staff hide, merge duplicates and answer wishes and
// 议事 topics (wishes.ts, topics.ts). Every step is a row of pt_moderation — append-only, a trigger refuses
// changes (migration 0109) — written in the transaction of the change it records, beside the audit log;
// staff of the territory read the trail, newest first, as facts (the console words them).
import type { Actor } from '../../platform/auth/actor.ts';
import type { Queryable } from '../../platform/db/index.ts';
import { regionScope } from '../../platform/scope.ts';
import type { ParticipationDeps } from './deps.ts';
import { participationPolicy } from './policy.ts';
import type { hideReasons } from './contracts.ts';

export type ModerationAction = 'hide' | 'unhide' | 'merge' | 'answer' | 'schedule';
export type HideReason = (typeof hideReasons)[number];
const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);

/** Records one moderation step, and its audit entry, in the caller's transaction. */
export async function recordModeration(tx: Queryable, actor: Actor, s: {
  subject: 'wish' | 'topic'; subjectId: number; districtCode: string; regionCode: string; action: ModerationAction; note?: string | null; targetId?: number | null; reason?: HideReason | null; at: Date;
}): Promise<void> {
  await tx.query('INSERT INTO pt_moderation (district_code, subject, subject_id, action, note, target_id, actor_id, at, reason) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)',
    [s.districtCode, s.subject, s.subjectId, s.action, s.note ?? null, s.targetId ?? null, actor.id, s.at, s.reason ?? null]);
  await tx.query(`INSERT INTO audit_log (actor_id, action, target, region_code, detail) VALUES ($1, $2, $3, $4, $5::jsonb)`,
    // the audit names as they were before the trail (participation.moderate.* for wishes)
    [actor.id, s.subject === 'wish' ? `participation.moderate.${s.action}` : `participation.topic.${s.action}`, `${s.subject}:${s.subjectId}`, s.regionCode, JSON.stringify({ note: s.note ?? null, targetId: s.targetId ?? null, ...(s.reason ? { reason: s.reason } : {}) })]);
}

/**
 * The moderation trail of the territory (staff): who did what to which wish or topic, when, with the
 * note and what it was merged into or scheduled for; one subject's trail with `subject` and `subjectId`.
 */
export async function moderationTrail(deps: ParticipationDeps, actor: Actor, q: { subject?: 'wish' | 'topic'; subjectId?: number; page: number; pageSize: number }) {
  participationPolicy.assert(actor, 'participation.read');
  const params: unknown[] = [];
  const filters: string[] = [];
  if (q.subject) { params.push(q.subject); filters.push(`m.subject = $${params.length}`); }
  if (q.subjectId) { params.push(q.subjectId); filters.push(`m.subject_id = $${params.length}`); }
  const inner = `SELECT m.id, m.subject, m.subject_id, m.action, m.note, m.reason, m.target_id, m.at, u.display_name AS actor_name,
      coalesce(w.title, t.title) AS title, coalesce(w.region_code, t.region_code) AS region_code, r.name AS region_name,
      CASE WHEN m.action = 'merge' THEN coalesce(wt.title, tt.title) END AS target_title
    FROM pt_moderation m
    JOIN app_user u ON u.id = m.actor_id
    LEFT JOIN pt_wish w ON m.subject = 'wish' AND w.id = m.subject_id AND w.district_code = m.district_code
    LEFT JOIN pt_topic t ON m.subject = 'topic' AND t.id = m.subject_id AND t.district_code = m.district_code
    LEFT JOIN pt_wish wt ON m.subject = 'wish' AND wt.id = m.target_id AND wt.district_code = m.district_code
    LEFT JOIN pt_topic tt ON m.subject = 'topic' AND tt.id = m.target_id AND tt.district_code = m.district_code
    LEFT JOIN region r ON r.code = coalesce(w.region_code, t.region_code)
    ${filters.length ? `WHERE ${filters.join(' AND ')}` : ''}`;
  const scope = regionScope(actor).sql('x', params, false);
  params.push(q.pageSize, (q.page - 1) * q.pageSize);
  const rows = await deps.ctx.db.query<any>(
    `SELECT * FROM (${inner}) x WHERE ${scope} ORDER BY x.at DESC, x.id DESC LIMIT $${params.length - 1} OFFSET $${params.length}`, params);
  return {
    page: q.page, pageSize: q.pageSize,
    items: rows.map((m) => ({
      id: Number(m.id), subject: m.subject as 'wish' | 'topic', subjectId: Number(m.subject_id), title: m.title, regionCode: m.region_code, regionName: m.region_name ?? null,
      action: m.action as ModerationAction, note: m.note, reason: (m.reason ?? null) as HideReason | null, target: m.target_id == null ? null : { id: Number(m.target_id), title: m.target_title ?? null },
      actor: m.actor_name, at: iso(m.at),
    })),
  };
}
