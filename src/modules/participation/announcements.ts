// Announcements (通知公告) to the residents of a region, with read counts: staff publish to a region of
// their territory; residents see those addressed to where they live and mark them read (once); staff see
// how many of the region's resident accounts have read each one.
import type { Actor } from '../../platform/auth/actor.ts';
import { notFound, unprocessable } from '../../platform/errors.ts';
import { appendEvent } from '../../platform/events/index.ts';
import { regionLevels, regionScope } from '../../platform/scope.ts';
import { both, type ParticipationDeps } from './deps.ts';
import { participationPolicy } from './policy.ts';
import { residentOf, wisherLabel } from './residents.ts';

const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);

export async function publishAnnouncement(deps: ParticipationDeps, actor: Actor, b: { regionCode: string; title: string; body: string }) {
  participationPolicy.assert(actor, 'participation.announce');
  if (!regionScope(actor).has(b.regionCode)) throw unprocessable('outside_scope', both('只能向本辖区发布', 'Announce to a region of your territory.'));
  const [r] = await deps.ctx.db.query('SELECT code FROM region WHERE code = $1', [b.regionCode]);
  if (!r) throw unprocessable('unknown_region', both('区域不存在', `Region ${b.regionCode} does not exist.`));
  return deps.ctx.db.transaction(async (tx) => {
    const [a] = await tx.query<any>('INSERT INTO pt_announcement (district_code, region_code, title, body, published_by, published_at) VALUES ($1,$2,$3,$4,$5,$6) RETURNING *',
      [regionLevels(b.regionCode).district, b.regionCode, b.title, b.body, actor.id, deps.ctx.now()]);
    await appendEvent(tx, { topic: 'participation.announcement', regionCode: b.regionCode, unitIds: [], userIds: [], payload: { announcementId: Number(a.id) } });
    return { id: Number(a.id), regionCode: a.region_code, title: a.title, body: a.body, publishedAt: iso(a.published_at) };
  });
}

/** Residents: what is addressed to where they live, with whether they have read it. Staff: their territory's, with read counts. */
export async function listAnnouncements(deps: ParticipationDeps, actor: Actor) {
  const { db } = deps.ctx;
  if (actor.role === 'resident') {
    const home = (await residentOf(db, actor)).regionCode;
    const rows = await db.query<any>(
      `SELECT a.*, EXISTS (SELECT 1 FROM pt_announcement_read r WHERE r.announcement_id = a.id AND r.user_id = $2) AS read
       FROM pt_announcement a WHERE starts_with($1, a.region_code) ORDER BY a.published_at DESC LIMIT 100`, [home, actor.id]);
    return { items: rows.map((a) => ({ id: Number(a.id), title: a.title, body: a.body, publishedAt: iso(a.published_at), read: a.read })) };
  }
  participationPolicy.assert(actor, 'participation.read');
  const params: unknown[] = [];
  const rows = await db.query<any>(
    `SELECT a.*, (SELECT count(*)::int FROM pt_announcement_read r WHERE r.announcement_id = a.id) AS reads,
       (SELECT count(*)::int FROM pt_resident p WHERE p.region_code LIKE a.region_code || '%') AS audience,
       g.name AS region_name, u.display_name AS published_by_name
     FROM pt_announcement a LEFT JOIN region g ON g.code = a.region_code JOIN app_user u ON u.id = a.published_by
     WHERE ${regionScope(actor).sql('a', params, false)} ORDER BY a.published_at DESC LIMIT 100`, params);
  return { items: rows.map((a) => ({ id: Number(a.id), regionCode: a.region_code, regionName: a.region_name ?? null, title: a.title, body: a.body,
    publishedAt: iso(a.published_at), publishedBy: a.published_by_name, reads: a.reads, audience: a.audience })) };
}

export async function markRead(deps: ParticipationDeps, actor: Actor, id: number) {
  const { db } = deps.ctx;
  const [a] = await db.query<any>('SELECT * FROM pt_announcement WHERE id = $1', [id]);
  if (!a || actor.role !== 'resident' || !(await residentOf(db, actor)).regionCode.startsWith(a.region_code)) throw notFound({ zh: `公告 ${id}`, en: `Announcement ${id}` });
  await db.query('INSERT INTO pt_announcement_read (district_code, announcement_id, user_id, at) VALUES ($1,$2,$3,$4) ON CONFLICT DO NOTHING', [a.district_code, id, actor.id, deps.ctx.now()]);
  return { id, read: true };
}

/**
 * Who has not read an announcement (staff of the territory): the resident accounts of the region it was
 * published to that have not opened it, each as the walls name residents (王** once linked, else
 * 居民（尾号5678）) with their community — never a name or phone in full. At most 200 are listed; `unread`
 * counts them all.
 */
export async function announcementUnread(deps: ParticipationDeps, actor: Actor, id: number) {
  participationPolicy.assert(actor, 'participation.read');
  const { db } = deps.ctx;
  const [a] = await db.query<any>('SELECT * FROM pt_announcement WHERE id = $1', [id]);
  if (!a || !regionScope(actor).has(a.region_code)) throw notFound({ zh: `公告 ${id}`, en: `Announcement ${id}` });
  const rows = await db.query<any>(
    `SELECT p.user_id, u.display_name, g.name AS region_name, count(*) OVER ()::int AS total
     FROM pt_resident p JOIN app_user u ON u.id = p.user_id LEFT JOIN region g ON g.code = left(p.region_code, 12)
     WHERE p.region_code LIKE $1 || '%' AND NOT EXISTS (SELECT 1 FROM pt_announcement_read r WHERE r.announcement_id = $2 AND r.user_id = p.user_id)
     ORDER BY p.region_code, p.user_id LIMIT 200`, [a.region_code, id]);
  const [{ audience }] = await db.query<{ audience: number }>(`SELECT count(*)::int AS audience FROM pt_resident WHERE region_code LIKE $1 || '%'`, [a.region_code]);
  const items = [];
  for (const r of rows) items.push({ name: await wisherLabel(db, { id: Number(r.user_id), displayName: r.display_name }), regionName: r.region_name ?? null });
  return { id, audience, unread: rows[0]?.total ?? 0, items };
}
