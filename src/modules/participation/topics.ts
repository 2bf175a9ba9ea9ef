// 议事: residents propose topics where they live and support others' (once each: the support's primary
// key settles a race, and the count moves in the same transaction); staff answer, hide or put a topic on
// the agenda of a deliberation meeting — the shared meetings (src/platform/meetings) of kind
// participation.deliberation, held at building (place: the building), grid or community level, with
// agenda, participants, minutes and decisions.
import type { Actor, Role } from '../../platform/auth/actor.ts';
import { conflict, notFound, unprocessable } from '../../platform/errors.ts';
import type { Meetings } from '../../platform/meetings/index.ts';
import { regionLevels, regionScope } from '../../platform/scope.ts';
import { both, type ParticipationDeps } from './deps.ts';
import { participationPolicy } from './policy.ts';
import { residentOf } from './residents.ts';
import { recordModeration, type HideReason } from './moderation.ts';
import { notifyUser } from './messages.ts';

const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);

/** The 议事 meeting kind: read by staff of the territory, held by those who convene residents. */
export function registerDeliberation(meetings: Meetings): void {
  const readers = participationPolicy.rolesWith('participation.read') as readonly Role[];
  const holders = participationPolicy.rolesWith('participation.moderate') as readonly Role[];
  meetings.register({
    kind: 'participation.deliberation', label: { zh: '议事协商会', en: 'Deliberation meeting' },
    mayRead: (a) => readers.includes(a.role), mayHold: (a) => holders.includes(a.role),
  });
}

const view = (t: any, actor: Actor, supported: boolean) => ({
  id: Number(t.id), regionCode: t.region_code, regionName: t.region_name ?? undefined, title: t.title, body: t.body, supports: t.supports, status: t.status, answer: t.answer,
  meetingId: t.meeting_id == null ? null : Number(t.meeting_id), createdAt: iso(t.created_at), mine: Number(t.proposed_by) === actor.id, supported,
  hidden: participationPolicy.can(actor, 'participation.read', { regionCode: t.region_code }) ? t.hidden : undefined,
  mergedInto: participationPolicy.can(actor, 'participation.read', { regionCode: t.region_code }) && t.merged_into != null ? Number(t.merged_into) : undefined,
});

export async function proposeTopic(deps: ParticipationDeps, actor: Actor, b: { title: string; body?: string }) {
  participationPolicy.assert(actor, 'participation.topic.propose');
  const home = (await residentOf(deps.ctx.db, actor)).regionCode;
  const [t] = await deps.ctx.db.query<any>(
    'INSERT INTO pt_topic (district_code, region_code, title, body, proposed_by, created_at) VALUES ($1,$2,$3,$4,$5,$6) RETURNING *',
    [regionLevels(home).district, home, b.title, b.body ?? null, actor.id, deps.ctx.now()]);
  return view(t, actor, false);
}

export async function listTopics(deps: ParticipationDeps, actor: Actor, q: { community?: string } = {}) {
  const params: unknown[] = [actor.id];
  let where: string;
  if (actor.role === 'resident') {
    params.push((await residentOf(deps.ctx.db, actor)).regionCode.slice(0, 12));
    where = `t.region_code LIKE $2 || '%' AND NOT t.hidden`;
  } else {
    participationPolicy.assert(actor, 'participation.read');
    where = regionScope(actor).sql('t', params, false);
    if (q.community) { params.push(q.community); where += ` AND t.region_code LIKE $${params.length} || '%'`; }
  }
  const rows = await deps.ctx.db.query<any>(
    `SELECT t.*, r.name AS region_name, c.name AS community_name, EXISTS (SELECT 1 FROM pt_topic_support s WHERE s.topic_id = t.id AND s.user_id = $1) AS supported
     FROM pt_topic t LEFT JOIN region r ON r.code = t.region_code LEFT JOIN region c ON length(t.region_code) >= 12 AND c.code = left(t.region_code, 12)
     WHERE ${where} ORDER BY t.supports DESC, t.created_at DESC LIMIT 200`, params);
  return { items: rows.map((t) => ({ ...view(t, actor, t.supported), communityName: t.community_name ?? undefined })) };
}

async function load(deps: ParticipationDeps, actor: Actor, id: number) {
  const [t] = await deps.ctx.db.query<any>('SELECT * FROM pt_topic WHERE id = $1', [id]);
  if (!t) throw notFound({ zh: `议题 ${id}`, en: `Topic ${id}` });
  if (actor.role === 'resident') {
    if (t.hidden || !(await residentOf(deps.ctx.db, actor)).regionCode.startsWith(t.region_code.slice(0, 12))) throw notFound({ zh: `议题 ${id}`, en: `Topic ${id}` });
  } else if (!participationPolicy.can(actor, 'participation.read', { regionCode: t.region_code })) throw notFound({ zh: `议题 ${id}`, en: `Topic ${id}` });
  return t;
}

export async function supportTopic(deps: ParticipationDeps, actor: Actor, id: number) {
  participationPolicy.assert(actor, 'participation.topic.propose');
  const t = await load(deps, actor, id);
  return deps.ctx.db.transaction(async (tx) => {
    const [s] = await tx.query('INSERT INTO pt_topic_support (district_code, topic_id, user_id, at) VALUES ($1,$2,$3,$4) ON CONFLICT DO NOTHING RETURNING topic_id',
      [t.district_code, id, actor.id, deps.ctx.now()]);
    if (!s) throw conflict('already_supported', both('您已附议过', 'You support this topic already.'));
    const [row] = await tx.query<any>('UPDATE pt_topic SET supports = supports + 1 WHERE id = $1 AND district_code = $2 RETURNING *', [id, t.district_code]);
    return view(row, actor, true);
  });
}

/**
 * Staff: answer, hide or unhide a topic, merge it into the topic it duplicates (it leaves the list and its
 * supporters move to the other, once each), or put it on a deliberation meeting's agenda (the meeting's
 * own record). Each step is a row of the moderation trail (moderation.ts).
 */
export async function moderateTopic(deps: ParticipationDeps, actor: Actor, meetings: Meetings, id: number,
  b: { action: 'hide' | 'unhide' | 'answer' | 'schedule' | 'merge'; note?: string; reason?: HideReason; meetingId?: number; intoId?: number }) {
  const t = await load(deps, actor, id);
  participationPolicy.assert(actor, 'participation.moderate', { regionCode: t.region_code }, { zh: `议题 ${id}`, en: `Topic ${id}` });
  // hiding says why: a reason from the list (and, for 'other', the words); the author is told
  if (b.action === 'hide' && !b.reason) {
    throw unprocessable('hide_reason_required', { zh: '隐藏议题须选择原因，原因会告知提出人。', en: 'Hiding a topic needs a reason; its author is told.' });
  }
  if (b.action === 'hide' && b.reason === 'other' && !b.note?.trim()) {
    throw unprocessable('hide_reason_text_required', { zh: '原因选“其他”时请写明具体原因。', en: 'With the reason “other”, write the reason out.' });
  }
  if (b.reason && b.action !== 'hide') {
    throw unprocessable('reason_only_for_hide', { zh: '只有隐藏议题时才填写隐藏原因。', en: 'A hiding reason goes with hiding only.' });
  }
  if (b.action === 'answer' && !b.note) throw unprocessable('answer_required', both('请填写答复内容', 'An answer needs its text.'));
  if (b.action === 'schedule') {
    if (!b.meetingId) throw unprocessable('meeting_required', both('请指定议事会', 'Name the deliberation meeting.'));
    const m = await meetings.get(actor, b.meetingId);
    if (m.kind !== 'participation.deliberation') throw unprocessable('not_deliberation', both('只能列入议事协商会', 'Topics go on the agenda of deliberation meetings.'));
  }
  let into: any = null;
  if (b.action === 'merge') {
    if (!b.intoId || b.intoId === id) throw unprocessable('merge_target', both('请指定要合并到的议题', 'Name the topic this one duplicates.'));
    [into] = await deps.ctx.db.query<any>('SELECT * FROM pt_topic WHERE id = $1', [b.intoId]);
    if (!into || into.hidden || into.region_code.slice(0, 12) !== t.region_code.slice(0, 12)) {
      throw unprocessable('merge_target', both('只能合并到同一社区未隐藏的议题', 'Merge into a visible topic of the same community.'));
    }
  }
  const now = deps.ctx.now();
  await deps.ctx.db.transaction(async (tx) => {
    if (b.action === 'hide') await tx.query('UPDATE pt_topic SET hidden = true WHERE id = $1', [id]);
    if (b.action === 'unhide') await tx.query('UPDATE pt_topic SET hidden = false, merged_into = NULL WHERE id = $1', [id]);
    if (b.action === 'answer') await tx.query('UPDATE pt_topic SET answer = $2 WHERE id = $1', [id, b.note]);
    if (b.action === 'schedule') await tx.query(`UPDATE pt_topic SET status = 'scheduled', meeting_id = $2 WHERE id = $1`, [id, b.meetingId]);
    if (b.action === 'merge') {
      await tx.query('UPDATE pt_topic SET hidden = true, merged_into = $2 WHERE id = $1', [id, into.id]);
      // the duplicate's supporters support the topic it joins (once each; its proposer does not support their own)
      await tx.query(
        `INSERT INTO pt_topic_support (district_code, topic_id, user_id, at)
         SELECT $2, $3, s.user_id, s.at FROM pt_topic_support s WHERE s.topic_id = $1 AND s.user_id <> $4 ON CONFLICT DO NOTHING`,
        [id, into.district_code, into.id, into.proposed_by]);
      await tx.query('UPDATE pt_topic SET supports = (SELECT count(*) FROM pt_topic_support s WHERE s.topic_id = $1) WHERE id = $1', [into.id]);
    }
    await recordModeration(tx, actor, { subject: 'topic', subjectId: id, districtCode: t.district_code, regionCode: t.region_code, action: b.action, note: b.note,
      targetId: b.action === 'schedule' ? b.meetingId : b.action === 'merge' ? into.id : null, reason: b.action === 'hide' ? b.reason : null, at: now });
    // the author hears that their topic left the list, and why (a duplicate merged: the topic it joined), or that it is back
    const author = Number(t.proposed_by);
    if (b.action === 'hide' && !t.hidden) await notifyUser(tx, { userId: author, kind: 'topic_hidden', subjectId: id, title: t.title, reason: b.reason, note: b.note, at: now });
    if (b.action === 'merge' && !t.hidden) await notifyUser(tx, { userId: author, kind: 'topic_hidden', subjectId: id, title: t.title, reason: 'duplicate', note: into.title, at: now });
    if (b.action === 'unhide' && t.hidden) await notifyUser(tx, { userId: author, kind: 'topic_unhidden', subjectId: id, title: t.title, at: now });
  });
  const [row] = await deps.ctx.db.query<any>('SELECT * FROM pt_topic WHERE id = $1', [id]);
  return view(row, actor, false);
}
